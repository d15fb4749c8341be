"""The Qt application: created once, follows the system palette, remembers window state in QSettings.

`ensure_app()` is the one way the process gets its QApplication: `briefing gui`, the commands that
draw (offscreen when there is no display), the benchmarks. GUI thread only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from briefing import __version__, paths
from briefing.ui import tasks

ORG_NAME = "Open Model Briefing"
ORG_DOMAIN = "open-model-briefing.github.io"
APP_NAME = "Open Model Briefing"
ICON_PATH = paths.RESOURCES_DIR / "icons" / "app.svg"

#: Where QSettings live when overridden (tests, screenshots): an INI file under this folder.
_settings_dir: Path | None = None


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


def ensure_app(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication, created (with names, icon, palette, shutdown hook) if needed."""
    existing = QApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
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
    _follow_system_palette(app)
    tasks.install_shutdown_hook(app)
    return app


def _follow_system_palette(app: QApplication) -> None:
    """Fusion draws the platform's light or dark scheme the same way everywhere, and follows changes."""
    app.setStyle("Fusion")

    def apply(*_: object) -> None:
        app.setPalette(app.style().standardPalette())

    apply()
    app.styleHints().colorSchemeChanged.connect(apply)

