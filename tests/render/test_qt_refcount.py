"""Guard against PySide6 6.12.0 on Python 3.11: it drops a reference to None on every Python-overridden
void virtual (paintEvent...) and on QGraphicsItem.setVisible, so any long-running chart aborts with
"deallocating None". pyproject excludes that version; this test fails loudly if it comes back."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QGraphicsRectItem, QWidget


class _Painted(QWidget):
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt/pyqtgraph override
        pass


def test_qt_calls_do_not_leak_none_references(qtbot):
    widget = _Painted()
    qtbot.addWidget(widget)
    widget.resize(40, 40)
    widget.show()
    qtbot.waitExposed(widget)
    item = QGraphicsRectItem()
    before = sys.getrefcount(None)
    for _ in range(200):
        widget.repaint()
        item.setVisible(False)
        item.setVisible(True)
    assert sys.getrefcount(None) - before > -50, "this PySide6 build loses references to None; see pyproject"
