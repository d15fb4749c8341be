"""A pyqtgraph legend that can be relabelled in place, without asking Qt for empty grid cells.

`SafeLegend.set_entries` reuses its rows, so regrouping a chart does not rebuild the legend (the
largest cost of a regroup with 40 series). It also never calls `QGraphicsGridLayout.itemAt(row,
col)`, which pyqtgraph's LegendItem does for every cell: with PySide6 6.12.0 on Python 3.11 an empty
cell returned None without a reference and the app aborted ("deallocating None"; pyproject now
excludes that release, tests/render/test_qt_refcount.py guards it). Headless-safe, GUI thread only.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt


class SafeLegend(pg.LegendItem):
    """LegendItem with one column whose layout and size never call itemAt(row, col)."""

    def _addItemToLayout(self, sample, label) -> None:  # noqa: N802 (pyqtgraph's name)
        row = len(self.items) - 1  # addItem appends to self.items first
        self.layout.addItem(sample, row, 0, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.layout.addItem(label, row, 1)
        self.rowCount = max(self.rowCount, row + 1)

    def setColumnCount(self, columnCount: int) -> None:  # noqa: N802,N803
        """Only one column is supported (the multi-column path needs itemAt(row, col))."""

    def updateSize(self) -> None:  # noqa: N802
        if self.size is not None:
            return
        width = height = 0.0
        for sample, label in self.items:
            width = max(width, sample.width() + label.width() + 6)
            height += max(sample.height(), label.height())
        self.setGeometry(0, 0, width, height)

    def set_entries(self, entries: list[tuple[object, str]]) -> None:
        """Show exactly these (item, label text) rows, reusing existing rows (cheap when regrouping).

        Label text is rendered as HTML by pyqtgraph: callers pass escaped text.
        """
        for i, (item, text) in enumerate(entries):
            if i < len(self.items):
                sample, label = self.items[i]
                if sample.item is not item:
                    sample.item = item
                    sample.update()
                if label.text != text:
                    label.setText(text)
            else:
                self.addItem(item, text)
        while len(self.items) > len(entries):
            sample, label = self.items.pop()
            self._removeItemFromLayout(sample, label)
        self.updateSize()


def add_legend(plot_item: pg.PlotItem, **kwargs) -> SafeLegend:
    """Like PlotItem.addLegend, with a SafeLegend anchored in the plot's view box."""
    if not isinstance(plot_item.legend, SafeLegend):
        plot_item.legend = SafeLegend(**kwargs)
        plot_item.legend.setParentItem(plot_item.vb)
    return plot_item.legend
