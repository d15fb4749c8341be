"""The Qt application: created once, light, dark or following the system (View > Theme; charts
follow a change live), a visible keyboard focus frame, window state in QSettings.

`ensure_app()` is the one way the process gets its QApplication: `briefing gui`, the commands that
draw (offscreen when there is no display), the benchmarks. GUI thread only.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from briefing import __version__, paths
from briefing.ui import tasks

ORG_NAME = "Open Model Briefing"
ORG_DOMAIN = "open-model-briefing.github.io"
APP_NAME = "Open Model Briefing"
ICON_PATH = paths.RESOURCES_DIR / "icons" / "app.svg"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

log = logging.getLogger(__name__)

#: Where QSettings live when overridden (tests, screenshots): an INI file under this folder.
_settings_dir: Path | None = None
#: Collects garbage on the GUI thread (set up with the QApplication).
_collector: GarbageCollector | None = None


def configure_settings(directory: str | os.PathLike[str] | None) -> None:
    """Keep GUI settings in INI files under `directory` (None: the platform's normal place).

    Tests and `briefing screenshot` call this with a temporary folder so they never read or write
    the user's settings. $BRIEFING_SETTINGS_DIR does the same for a whole process.
    """
    global _settings_dir
    _settings_dir = Path(directory) if directory else None


def gui_settings() -> QSettings:
    """The window-state settings (geometry, last view)."""
    directory = _settings_dir or (
        Path(os.environ["BRIEFING_SETTINGS_DIR"]) if os.environ.get("BRIEFING_SETTINGS_DIR") else None
    )
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        return QSettings(str(directory / "gui.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORG_NAME, APP_NAME)


def app_icon() -> QIcon:
    return QIcon(str(ICON_PATH))


#: Qt messages that say nothing to a user: the offscreen platform's, printed by every screenshot.
QUIET_QT_MESSAGES = frozenset({"This plugin does not support propagateSizeHints()"})


def _qt_message(mode: QtMsgType, context: object, message: str) -> None:
    """Qt's messages to stderr as before, less the known noise (so a failing command prints one line)."""
    if message not in QUIET_QT_MESSAGES:
        sys.stderr.write(message + "\n")


#: Qt's switch that keeps painting on the GUI thread (read when the pool is first used, after this).
SERIAL_PAINTING_ENV = "QT_NO_GUI_THREADPOOL"


def ensure_app(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication, created (with names, icon, palette, shutdown hook and garbage
    collection on the GUI thread) if needed."""
    existing = QApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    qInstallMessageHandler(_qt_message)
    # Qt splits big fills and image conversions across its GUI thread pool. On the 2-core machines
    # staffers use, waking the pool costs more than it saves: a view switch paints in about a third
    # of the time without it (benchmarks/README.md). A value the user set is kept.
    os.environ.setdefault(SERIAL_PAINTING_ENV, "1")
    # Fractional scale factors (125%, 150%) are passed through so text and charts stay crisp.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setOrganizationDomain(ORG_DOMAIN)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("open-model-briefing")
    app.setWindowIcon(app_icon())
    register_fonts()
    _follow_system_palette(app)
    tasks.install_shutdown_hook(app)
    global _collector
    # Python's cycle collector runs on whichever thread allocates when a threshold is crossed; if that
    # is a task-runner thread and the garbage holds Qt wrappers (pyqtgraph items are full of cycles),
    # Qt crashes. Collect on a GUI-thread timer instead, as the UI tests do (tests/ui/conftest.py).
    _collector = GarbageCollector(interval=1.0)
    return app


class GarbageCollector:
    """Python's cycle collector, run only by a GUI-thread timer (pyqtgraph's GarbageCollector,
    without importing pyqtgraph and numpy before the first paint): automatic collection is turned
    off and each tick collects the generations whose counts passed their thresholds."""

    def __init__(self, interval: float = 1.0) -> None:
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer()
        self.timer.timeout.connect(self.check)
        self.timer.start(int(interval * 1000))

    @staticmethod
    def freeze_long_lived() -> None:
        """Move every object alive now (the modules, the loaded records) out of the collector's
        reach (`gc.freeze`): a full collection then scans only what came after, so it costs a
        few milliseconds instead of the ~70 ms that would land in a view switch. Called once,
        when start-up has imported the views' modules."""
        gc.freeze()

    def check(self) -> None:
        l0, l1, l2 = gc.get_count()
        if l0 > self.threshold[0]:
            gc.collect(0)
            if l1 > self.threshold[1]:
                gc.collect(1)
                if l2 > self.threshold[2]:
                    gc.collect(2)


def register_fonts(folder: Path | None = None) -> list[str]:
    """Register the fonts the standalone bundle carries (DejaVu, WenQuanYi for CJK), so briefs and
    charts look the same on a machine without them. Returns the families added (none outside a bundle)."""
    folder = folder or paths.FONTS_DIR
    families: list[str] = []
    if not folder.is_dir():
        return families
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("cannot load the bundled font %s", path.name)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    return families


THEMES = ("system", "light", "dark")
_theme = "system"
#: Keyboard focus must be visible on every pane (Fusion marks buttons and boxes itself).
FOCUS_STYLE = (
    "QAbstractItemView:focus { border: 2px solid palette(highlight); }"
    " QPlainTextEdit:focus { border: 2px solid palette(highlight); }"
    " QToolButton:focus { border: 2px solid palette(highlight); border-radius: 3px; padding: 2px 4px; }"
)

_LIGHT = {
    "Window": "#EFEFEF",
    "WindowText": "#111111",
    "Base": "#FFFFFF",
    "AlternateBase": "#F5F5F5",
    "ToolTipBase": "#FFFFDC",
    "ToolTipText": "#111111",
    "PlaceholderText": "#6E6E6E",
    "Text": "#111111",
    "Button": "#EFEFEF",
    "ButtonText": "#111111",
    "BrightText": "#FFFFFF",
    "Light": "#FFFFFF",
    "Midlight": "#E3E3E3",
    "Mid": "#A0A0A0",
    "Dark": "#A0A0A0",
    "Shadow": "#696969",
    "Highlight": "#2F7DC0",
    "HighlightedText": "#FFFFFF",
    "Link": "#0B57D0",
    "LinkVisited": "#6B3FA0",
}
_DARK = {
    "Window": "#2B2B2B",
    "WindowText": "#E8E8E8",
    "Base": "#1E1E1E",
    "AlternateBase": "#262626",
    "ToolTipBase": "#3A3A3A",
    "ToolTipText": "#F0F0F0",
    "PlaceholderText": "#9A9A9A",
    "Text": "#E8E8E8",
    "Button": "#353535",
    "ButtonText": "#E8E8E8",
    "BrightText": "#FFFFFF",
    "Light": "#4A4A4A",
    "Midlight": "#3F3F3F",
    "Mid": "#2A2A2A",
    "Dark": "#1A1A1A",
    "Shadow": "#000000",
    "Highlight": "#3D8EE0",
    "HighlightedText": "#FFFFFF",
    "Link": "#7DB7FF",
    "LinkVisited": "#C5A3FF",
}


def theme_palette(dark: bool) -> QPalette:
    """A complete light or dark palette (the same on every platform, whatever it supports)."""
    palette = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    disabled = QColor("#7A7A7A" if dark else "#9A9A9A")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def current_theme() -> str:
    return _theme


def set_theme(mode: str) -> None:
    """'system' (the platform's scheme, followed live), 'light' or 'dark': the app's palette; every
    widget, charts included, re-colours at once."""
    global _theme
    if mode not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {mode!r}")
    _theme = mode
    app = QApplication.instance()
    if app is None:
        return
    if mode == "system":
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(theme_palette(mode == "dark"))
    _repolish(app)
    _recolour_charts()


def _repolish(app: QApplication) -> None:
    """Qt does not pass a new palette on to widgets styled by a style sheet (the app's or their
    own): setting each sheet again re-polishes them with the new palette."""
    app.setStyleSheet(app.styleSheet())
    for widget in QApplication.allWidgets():
        if widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())


def _recolour_charts() -> None:
    chart_base = sys.modules.get("briefing.render.chart_base")
    if chart_base is None:  # no chart built yet (at start-up): nothing to re-colour, nothing to load
        return
    ChartWidget = chart_base.ChartWidget  # noqa: N806 - the class, read from its loaded module

    for widget in QApplication.allWidgets():
        if isinstance(widget, ChartWidget):
            widget.follow_palette()


def _follow_system_palette(app: QApplication) -> None:
    """Fusion draws the platform's light or dark scheme the same way everywhere, and follows changes
    (unless the user chose a theme)."""
    app.setStyle("Fusion")
    app.setStyleSheet(FOCUS_STYLE)

    def apply(*_: object) -> None:
        if _theme == "system":
            app.setPalette(app.style().standardPalette())
            _repolish(app)
            _recolour_charts()

    apply()
    app.styleHints().colorSchemeChanged.connect(apply)


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _log_qt_message(kind: QtMsgType, context: object, message: str) -> None:
    logging.getLogger("briefing.qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def _log_uncaught(kind: type[BaseException], exc: BaseException, tb: object) -> None:
    """An exception escaping a slot: into the log with its traceback, then Python's usual report."""
    log.critical("uncaught exception", exc_info=(kind, exc, tb))  # type: ignore[arg-type]
    sys.__excepthook__(kind, exc, tb)  # type: ignore[arg-type]


def log_app_errors() -> None:
    """For the desktop app (a menu-started GUI has no stderr): exceptions escaping a slot and Qt's
    own warnings go to the log file too."""
    sys.excepthook = _log_uncaught
    qInstallMessageHandler(_log_qt_message)
