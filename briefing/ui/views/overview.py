"""Overview: headline figure cards (as many columns as fit), what changed at the last sync, and the
one timeline across adoption, money and policy (`timeline.TimelineBox`, every layer on; a click
opens the record or reading beside it), with the share of 30-day downloads by developer country per
reading in a second tab.

The cards are `core.figures` figures (read on the GUI thread: a few short queries); the charts' data
(`readings.readings_frame` over every reading, read once for both charts; the policy and investment
records) is loaded by tasks, so the window never waits on it. The change list reads the sync log's
latest applied attempt. GUI thread only.

The charts (pyqtgraph, numpy, pandas) are imported and built only after the view's first paint,
so the window shows its figures before those libraries load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefing.core import cite, figures, numbers
from briefing.core.figures import Figure
from briefing.core.home import Home
from briefing.core.progress import CancelCheck, never
from briefing.core.settings import Settings
from briefing.core.store import Store
from briefing.core.sync_log import last_attempt
from briefing.ui import plain, tasks
from briefing.ui.detail import KIND_LABELS, DetailPane
from briefing.ui.export import copy_citation
from briefing.ui.sync_panel import last_run
from briefing.ui.views import View

if TYPE_CHECKING:
    from briefing.render.share_chart import ShareChart
    from briefing.ui.views.timeline import TimelineBox

MAX_CHANGES = 300
CHART_TITLE = "Share of 30-day Hugging Face downloads by developer country, per reading"
TIMELINE_TITLE = "Policy actions, investment commitments and the adoption share on one timeline"


def latest_attempt_line(latest: dict | None, applied: dict | None) -> str:
    """A first line naming the latest sync attempt when it did not apply (failed, stale...), else ''."""
    if (
        latest is None
        or (applied is not None and latest.get("id") == applied.get("id"))
        or latest.get("outcome") == "applied"
    ):
        return ""
    reason = f": {latest['error']}" if latest.get("error") else ""
    return f"Latest attempt: {latest.get('source')} at {latest.get('finished_at')} {latest.get('outcome')}{reason}.\n"


class HeadlineCard(QFrame):
    """One figure: title, value, what it measures, its date or window, and a 'Weakly sourced' mark
    when it rests only on weak sources; the tooltip gives the measure, sources (graded) and caveats."""

    activated = Signal(str)  # the view that shows the figure's records

    def __init__(self, fig: Figure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = fig
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        when = fig.when_text()
        self.setAccessibleName(f"{fig.title}: {fig.value_text()}")
        self.setAccessibleDescription(f"{when}. {fig.measure}" + (" Weakly sourced." if fig.weakly_sourced else ""))
        layout = QVBoxLayout(self)
        title = plain.label(fig.title, name="Figure title", wrap=True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.value_label = plain.label(fig.value_text(), name="Figure value", wrap=True)
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.value_label.setFont(font)
        detail = plain.label(
            fig.detail or (fig.caveats[0] if fig.caveats else fig.measure), name="Figure explanation", wrap=True
        )
        self.as_of_label = plain.label(when if "\u2013" in when else f"As of {when}", name="Figure date")
        for w in (title, self.value_label, detail, self.as_of_label):
            layout.addWidget(w)
        unread = any(s.grade != "weak" for s in fig.sources)  # a better source is cited, not read
        self.weak_label = plain.label(
            "Weakly sourced: read only in a secondary report"
            if unread
            else "Weakly sourced: no primary or reputable source",
            name="Weakly sourced mark",
            wrap=True,
        )
        self.weak_label.setStyleSheet("color: #b42318; font-weight: bold;")
        self.weak_label.setVisible(fig.weakly_sourced)
        layout.addWidget(self.weak_label)
        layout.addStretch(1)
        self.setToolTip(plain.tooltip(card_tooltip(fig)))
        self.data_as_of: str | None = None
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        cite_action = QAction("Copy citation", self)
        cite_action.triggered.connect(lambda _=False: self.copy_citation())
        self.addAction(cite_action)

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.hasFocus():  # keyboard focus is visible on a card
            painter = QPainter(self)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
            painter.end()

    def focusInEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.figure.view)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.figure.view)
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_citation()
            return
        super().keyPressEvent(event)

    def copy_citation(self) -> str:
        """The figure as a citation (plain text, CRS-like) on the clipboard (also Ctrl+C on the card)."""
        return copy_citation(cite.figure_citation(self.figure, data_as_of=self.data_as_of))


def card_tooltip(fig: Figure, limit: int = 8) -> str:
    """Plain text: the measure, the sources (grade, publisher: title), then the caveats."""
    lines = [fig.measure, "", "Sources (primary first):"]
    lines += [f"[{s.grade}] {s.publisher}: {s.title}" for s in fig.sources[:limit]]
    if len(fig.sources) > limit:
        lines.append(f"… and {len(fig.sources) - limit} more sources")
    if fig.caveats:
        lines += ["", *fig.caveats]
    return "\n".join(lines)


def load_adoption_chart(data_path: str, *, cancelled: CancelCheck = never) -> dict[str, Any] | None:
    """Worker: each reading's developer-country shares (its own read-only Store), or None."""
    from briefing.core import readings
    from briefing.render.chart_base import source_line

    with Store(data_path, readonly=True) as store:
        frame = readings.readings_frame(store, metric="downloads_30d")
        if cancelled() or frame.empty:
            return None
        sel = readings.select(frame, readings.SHARE_SERIES)
        table = readings.shares(sel)
        src = source_line(store, store.reading_source_ids(metric="downloads_30d", series=sel.series_keys))
    if len(sel.rows):
        readings.coverage(sel, 0)  # caches the per-repo attribution off the GUI thread
    return {
        "selection": sel,
        "table": table,
        "crossovers": readings.crossover(table),
        "between": readings.lead_between_series(table),
        "source_line": src,
    }


def load_timeline(data_path: str, *, cancelled: CancelCheck = never) -> dict[str, Any]:
    """Worker: every policy action and the credit line of the timeline's policy and money records."""
    from briefing.core import frames
    from briefing.render.chart_base import source_line

    with Store(data_path, readonly=True) as store:
        frame = frames.policy_frame(store)
        money = frames.investment_frame(store)
        ids = {s for srcs in frame["sources"] for s in srcs} | {s for srcs in money["sources"] for s in srcs}
        return {"frame": frame, "source_line": source_line(store, ids)}


def change_lines(attempt: dict[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
    """(display text, change entry) per logged change of a sync attempt, newest attempt only."""
    if not attempt:
        return []
    out = []
    for entry in attempt.get("changes") or []:
        action = entry.get("action", "")
        if action == "truncated":
            out.append((f"… and {entry.get('count', 0)} more changes", entry))
            continue
        kind = KIND_LABELS.get(entry.get("kind", ""), entry.get("kind", "record"))
        text = f"{action.capitalize()} {kind.lower()}: {entry.get('title') or entry.get('id')}"
        fields = [f.get("field") for f in entry.get("fields") or [] if f.get("field")]
        if fields:
            text += f" ({', '.join(fields)})"
        out.append((text, entry))
    return out


class CardGrid(QWidget):
    """The headline cards in as many columns as fit (4 on a wide window, 2 or 1 on a small one),
    each row as tall as its tallest card needs at this width, so no card's text is ever cut."""

    MIN_CARD_WIDTH = 210

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.cards: list[QWidget] = []
        self.columns = 0

    def set_cards(self, cards: list[QWidget]) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = list(cards)
        self.columns = 0
        self._relayout()

    def columns_for(self, width: int) -> int:
        return max(1, min(4, width // self.MIN_CARD_WIDTH))

    def _relayout(self) -> None:
        columns = self.columns_for(max(self.width(), 1))
        if columns != self.columns:
            self.columns = columns
            for card in self.cards:
                self.grid.removeWidget(card)
            for i, card in enumerate(self.cards):
                self.grid.addWidget(card, i // columns, i % columns)
            for c in range(4):
                self.grid.setColumnStretch(c, 1 if c < columns else 0)
        self._fit_height()

    def _fit_height(self) -> None:
        if not self.cards or self.width() < 10:
            return
        spacing = self.grid.spacing()
        card_w = (self.width() - spacing * (self.columns - 1)) // self.columns
        rows = [self.cards[i : i + self.columns] for i in range(0, len(self.cards), self.columns)]
        height = sum(
            max(c.heightForWidth(card_w) if c.hasHeightForWidth() else c.sizeHint().height() for c in row)
            for row in rows
        ) + spacing * (len(rows) - 1)
        if height != self.minimumHeight():
            self.setMinimumHeight(height)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._relayout()


class OverviewView(View):
    """The first view: see the module docstring."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setAccessibleName("Overview view")
        self.cards: list[HeadlineCard] = []
        self._chart_task: tasks.Task | None = None
        self._policy_task: tasks.Task | None = None
        layout = QVBoxLayout(self)

        # in visual order, so Tab goes: changes, timeline (layers, chart), share chart tab, cards
        self.age_label = plain.label("", name="Data age", wrap=True)
        layout.addWidget(self.age_label)
        changes_box = QGroupBox("What changed since the last sync")
        changes_box.setAccessibleName("What changed since the last sync")
        changes_layout = QVBoxLayout(changes_box)
        changes_layout.setContentsMargins(6, 2, 6, 2)
        self.changes_heading = plain.label("", name="Last sync summary", wrap=True)
        self.changes = QListWidget()
        self.changes.setAccessibleName("Changes at the last sync")
        self.changes.itemActivated.connect(self._open_change)
        self.changes.setMaximumHeight(110)
        changes_layout.addWidget(self.changes_heading)
        changes_layout.addWidget(self.changes)
        layout.addWidget(changes_box)

        # the combined timeline first (policy, money and adoption on one date axis), the share chart
        # in a second tab; the headline cards beside them, in as many columns as fit
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Overview charts")
        # both tabs are built after the first paint (`_build_charts`): placeholders hold their places
        self.timeline: TimelineBox | None = None
        self.chart: ShareChart | None = None
        self._painted = False
        self._charts_wanted = False
        self.timeline_page = QWidget()
        self.timeline_page.setAccessibleName("Timeline of policy, investment and adoption")
        QVBoxLayout(self.timeline_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.timeline_page, "Timeline: policy, money, adoption")
        chart_box = QWidget()
        chart_box.setAccessibleName("Adoption chart")
        self.chart_layout = QVBoxLayout(chart_box)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_layout.addStretch(1)
        self.chart_status = plain.label("Loading adoption data…", name="Chart status", wrap=True)
        self.chart_layout.addWidget(self.chart_status)
        self.tabs.addTab(chart_box, "Download share by country")

        self.detail = DetailPane(home, self)
        self.detail.record_requested.connect(self.record_requested)
        self.open_in_view = QPushButton("Open in its view")
        self.open_in_view.setAccessibleName("Open this record in its view")
        self.open_in_view.clicked.connect(self._open_in_view)
        self.close_detail = QPushButton("Back to the figures")
        self.close_detail.setAccessibleName("Close the record and show the headline figures")
        self.close_detail.clicked.connect(self._close_detail)
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_in_view)
        row.addWidget(self.close_detail)
        detail_layout.addLayout(row)

        self.cards_box = CardGrid()
        self.cards_box.setAccessibleName("Headline figures")
        self.cards_grid = self.cards_box.grid
        cards_scroll = QScrollArea()
        cards_scroll.setWidgetResizable(True)
        cards_scroll.setFrameShape(QFrame.Shape.NoFrame)
        cards_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        cards_scroll.setAccessibleName("Headline figures area")
        cards_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cards_scroll.setWidget(self.cards_box)
        cards_scroll.setMinimumWidth(CardGrid.MIN_CARD_WIDTH + 20)
        # beside the charts: the cards, or the record / reading clicked on the timeline
        self.side = QStackedWidget()
        self.side.setAccessibleName("Headline figures or the record clicked")
        self.side.addWidget(cards_scroll)
        self.side.addWidget(detail_box)
        self.cards_scroll, self.detail_box = cards_scroll, detail_box
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.setChildrenCollapsible(False)
        lower.addWidget(self.tabs)
        lower.addWidget(self.side)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 1)
        lower.setSizes([660, 330])
        layout.addWidget(lower, 1)

    # -- building blocks ----------------------------------------------------------------------------
    def _build_charts(self) -> None:
        """The timeline and the share chart in their tabs (once; after the first paint or on demand)."""
        if self.timeline is not None:
            return
        from briefing.render.policy_chart import LAYERS
        from briefing.render.share_chart import ShareChart
        from briefing.ui.views.timeline import TimelineBox

        self.timeline = TimelineBox(self.home, layers=LAYERS, own_shares=False)
        self.timeline.chart.setAccessibleName("Timeline of policy, investment and adoption")
        self.timeline.chart.set_meta(title=TIMELINE_TITLE)
        self.timeline.chart.setMinimumHeight(260)
        self.timeline.chart.instrument_key = False  # the Policy view's key lists the shapes
        self.timeline.record_chosen.connect(self.show_record)
        self.timeline.reading_chosen.connect(self._show_reading)
        self.timeline_page.layout().addWidget(self.timeline)
        chart = ShareChart()
        chart.setAccessibleName("Share of downloads by developer country chart")
        chart.setMinimumHeight(180)
        chart.set_meta(title=CHART_TITLE)
        chart.sigReadout.connect(lambda text: self.chart_status.setText(text))
        self.chart = chart
        self.chart_layout.takeAt(0)  # the stretch that held its place
        self.chart_layout.insertWidget(0, chart, 1)

    def refresh(self) -> None:
        """Reload the cards and the change list now; the chart through a task."""
        with self.home.store() as store:
            # the cards need no Hub readings (the chart loads those on the task runner)
            ctx = figures.Context.load(
                store, stale_after_days=Settings.load(self.home.settings_path).stale_after_days, hub=False
            )
        items = figures.compute_from(ctx, [i for i in figures.OVERVIEW_CARDS])
        age = figures.data_age(ctx)
        self.age_label.setText(age.warning or age.current_to.replace(" before this brief", " ago"))
        self.age_label.setStyleSheet("color: #b42318; font-weight: bold;" if age.old else "")
        self._data_as_of = ctx.data_as_of
        self._fill_cards(items)
        self._fill_changes()
        if self._painted:
            self._load_charts()
        else:
            self._charts_wanted = True

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self._charts_wanted:
            self._charts_wanted = False
            self._load_charts()

    def _load_charts(self) -> None:
        self._build_charts()
        self._load_chart()
        self._load_timeline()

    def _fill_cards(self, items: list[Figure]) -> None:
        self.cards = []
        for fig in items:
            card = HeadlineCard(fig, self.cards_box)
            card.data_as_of = getattr(self, "_data_as_of", None)
            card.activated.connect(self._go_to_view)
            self.cards.append(card)
        widgets: list[QWidget] = list(self.cards)
        if not items:
            widgets = [plain.label("No headline figures: the database holds no records yet.", name="No figures")]
        self.cards_box.set_cards(widgets)

    def _fill_changes(self) -> None:
        self.changes.clear()
        run = last_run(self.home)  # every source of the latest Sync now
        attempt = run[0] if run else None
        latest = last_attempt(self.home.sync_log_path)
        lines = [line for a in run for line in change_lines(a)]
        if attempt is None:
            heading = "Nothing synced yet: the data is the bundled snapshot. Changes appear here after a sync."
        elif not lines:
            heading = f"The last sync ({attempt.get('finished_at')}) changed nothing."
        else:
            which = ", ".join(
                f"{a.get('source')}" + (f" v{a['version']}" if a.get("version") is not None else "") for a in run
            )
            heading = f"Last sync: {which} at {attempt.get('finished_at')}, {len(lines)} change(s)."
        latest_run = [a for a in run if a.get("id") == (latest or {}).get("id")]
        self.changes_heading.setText(latest_attempt_line(latest, latest_run[0] if latest_run else attempt) + heading)
        self.changes.setVisible(bool(lines))  # no empty box taking the room of the charts
        for text, entry in lines[:MAX_CHANGES]:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (entry.get("kind"), entry.get("id")))
            item.setToolTip(plain.tooltip(text))
            self.changes.addItem(item)

    def _load_timeline(self) -> None:
        if self._policy_task is not None and not self._policy_task.is_finished():
            self._policy_task.cancel()
        task = tasks.run_task(load_timeline, str(self.home.data_path), task_name="overview timeline")
        task.done.connect(self._draw_timeline)
        self._policy_task = task
        self.timeline.refresh()

    def _draw_timeline(self, data: dict[str, Any]) -> None:
        from briefing.core import frames

        self.timeline.set_actions(data["frame"])
        self.timeline.chart.set_meta(as_of=frames.policy_data_date(data["frame"]), source_line=data["source_line"])

    def _show_reading(self, title: str, kind_text: str, fields: list, source_ids: list) -> None:
        self.side.setCurrentWidget(self.detail_box)
        self.detail.show_summary(title, kind_text, fields, source_ids)
        self.open_in_view.hide()

    def _close_detail(self) -> None:
        self.detail.clear()
        if self.timeline is not None:
            self.timeline.chart.highlight(None)
        self.side.setCurrentWidget(self.cards_scroll)

    def _open_in_view(self) -> None:
        ref = self.detail.current()
        if ref is not None:
            self.record_requested.emit(ref.kind, ref.id)

    def _load_chart(self) -> None:
        if self._chart_task is not None and not self._chart_task.is_finished():
            self._chart_task.cancel()
        self.chart_status.setText("Loading adoption data…")
        self.chart_status.show()
        task = tasks.run_task(load_adoption_chart, str(self.home.data_path), task_name="overview chart")
        task.done.connect(self._draw_chart)
        task.failed.connect(lambda exc: self.chart_status.setText(f"Could not load the chart: {exc}"))
        self._chart_task = task

    def _draw_chart(self, data: dict[str, Any] | None) -> None:
        import pandas as pd

        from briefing.core import readings
        from briefing.render.adoption_chart import series_key_text

        if not data or data["table"].empty:
            self.chart.set_shares(pd.DataFrame())
            self.chart_status.setText("No 30-day download readings in the data.")
            return
        sel, table = data["selection"], data["table"]
        self._selection = sel

        def coverage(position: int) -> str:
            return readings.coverage(sel, position).text(value_text=lambda v: numbers.number(v, axis=True))

        self.chart.set_shares(table, data["crossovers"], coverage=coverage, panel=sel.panel_text())
        self.timeline.set_share_table(table)
        notes = [sel.describe(), series_key_text(sel.series)] + ([] if data["crossovers"] else data["between"])
        self.chart.set_meta(
            source_line=data["source_line"],
            as_of=table.index.max().date().isoformat(),
            note=".  ".join(n for n in notes if n) + ".",
        )
        self.chart_status.setText(
            "Hover a reading for its shares and the repos it covers; the Adoption view lists every repo of a reading."
        )

    # -- navigation ---------------------------------------------------------------------------------
    def _go_to_view(self, name: str) -> None:
        if name != "overview":
            self.view_requested.emit(name)

    def _open_change(self, item: QListWidgetItem) -> None:
        kind, rid = item.data(Qt.ItemDataRole.UserRole) or (None, None)
        if kind and rid:
            self.record_requested.emit(kind, rid)

    def show_record(self, kind: str, record_id: str) -> None:
        """Open a record beside the timeline (a consideration, or a marker clicked there)."""
        self.side.setCurrentWidget(self.detail_box)
        self.detail.show_record(kind, record_id)
        self.open_in_view.setVisible(kind != "consideration")
        if self.timeline is not None:
            self.timeline.chart.highlight(record_id)
