"""The Qt application: created once, follows the system palette, remembers window state in QSettings.

`ensure_app()` is the one way the process gets its QApplication: `briefing gui`, the commands that
draw (offscreen when there is no display), the benchmarks. GUI thread only.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QtMsgType, QTimer, qInstallMessageHandler
from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon
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
    directory = _settings_dir or (Path(os.environ["BRIEFING_SETTINGS_DIR"]) if os.environ.get("BRIEFING_SETTINGS_DIR") else None)
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


def ensure_app(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication, created (with names, icon, palette, shutdown hook and garbage
    collection on the GUI thread) if needed."""
    existing = QApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    qInstallMessageHandler(_qt_message)
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


def _follow_system_palette(app: QApplication) -> None:
    """Fusion draws the platform's light or dark scheme the same way everywhere, and follows changes."""
    app.setStyle("Fusion")

    def apply(*_: object) -> None:
        app.setPalette(app.style().standardPalette())

    apply()
    app.styleHints().colorSchemeChanged.connect(apply)

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO, QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR, QtMsgType.QtFatalMsg: logging.CRITICAL,
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
