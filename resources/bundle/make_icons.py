"""Render the app's SVG icon to the PNG sizes desktops ask for (hicolor theme layout).

Usage: python make_icons.py SVG OUT_DIR  ->  OUT_DIR/hicolor/{16x16,...,512x512}/apps/open-model-briefing.png
and OUT_DIR/hicolor/scalable/apps/open-model-briefing.svg. Runs on Qt's offscreen platform.
"""

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
NAME = "open-model-briefing"


def main(svg: str, out: str) -> None:
    app = QGuiApplication([])  # noqa: F841 - Qt needs it to paint
    renderer = QSvgRenderer(svg)
    if not renderer.isValid():
        raise SystemExit(f"error: cannot read {svg}")
    root = Path(out) / "hicolor"
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = root / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"error: cannot write {target}")
    scalable = root / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
