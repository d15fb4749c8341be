"""Render main-window views offscreen to PNG files (`briefing screenshot`, `make screenshots`).

Runs on the GUI thread of an offscreen QApplication made by the CLI command. Each view is shown
at the asked size, background loads (tasks) are waited for, then the window is grabbed.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from briefing.core.atomic import atomic_output
from briefing.core.errors import BriefingError
from briefing.core.home import Home
from briefing.ui import tasks

SETTLE_TIMEOUT_S = 60.0


def parse_size(text: str) -> tuple[int, int]:
    """'1400x900' -> (1400, 900); BriefingError for anything else or an absurd size."""
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise BriefingError(f"size must look like 1400x900, not {text!r}") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise BriefingError(f"size {w}x{h} is out of range (200..8000 each way)")
    return w, h


def _settle(app: QApplication, timeout: float = SETTLE_TIMEOUT_S) -> None:
    """Process events until no task is running and the event queue is quiet."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        app.processEvents()
        if tasks.active_tasks():
            quiet = 0
            time.sleep(0.01)
            continue
        quiet += 1
        if quiet >= 5:  # a few idle rounds: deferred layouts and repaints have run
            return
        time.sleep(0.02)
    raise BriefingError("timed out waiting for the views to load")


def render_views(home: Home, names: list[str], size: tuple[int, int], *, theme: str = "light") -> dict[str, QImage]:
    """One image per view name, each of exactly `size` pixels (device pixel ratio 1), in `theme`."""
    from briefing.ui.main_window import VIEW_NAMES, MainWindow

    unknown = [n for n in names if n not in VIEW_NAMES]
    if unknown:
        raise BriefingError(f"unknown view {unknown[0]!r} (choose from {', '.join(VIEW_NAMES)})")
    app = QApplication.instance()
    window = MainWindow(home, auto_sync=False)  # a screenshot never starts a sync
    window.set_theme(theme, save=False)
    window.resize(*size)
    window.show()
    images: dict[str, QImage] = {}
    try:
        for name in names:
            window.switch_to(name)
            window.resize(*size)
            _settle(app)
            image = window.grab().toImage()
            if (image.width(), image.height()) != size:
                image = image.scaled(*size)
            images[name] = image
    finally:
        from briefing.ui import app as app_module

        app_module.set_theme("system")  # the process's palette as it was
        window.hide()
        window.deleteLater()
        tasks.shutdown(5_000)
        app.processEvents()
    return images


def save_png(image: QImage, path: str | Path) -> Path:
    path = Path(path)
    with atomic_output(path) as tmp:
        if not image.save(str(tmp), "PNG"):
            raise BriefingError(f"cannot write {path}")
    return path
