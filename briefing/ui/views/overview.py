"""Overview: headline figure cards, the share of 30-day downloads by developer country per reading,
and what changed at the last sync.

The cards are `core.figures` figures (read on the GUI thread: a few short queries); the chart's data
(`readings.readings_frame` over every reading) is loaded by a task, so the window never waits on
it; hovering a reading shows its coverage. The change list reads the sync log's latest applied attempt. GUI thread only.

The chart (pyqtgraph, numpy, pandas) is imported and built only after the view's first paint, so
the window shows its figures before those libraries load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from briefing.core import cite, figures, numbers
from briefing.core.figures import Figure
from briefing.core.home import Home
from briefing.core.progress import CancelCheck, never
from briefing.core.store import Store
from briefing.core.settings import Settings
from briefing.core.sync_log import last_attempt
from briefing.ui import plain, tasks
from briefing.ui.detail import KIND_LABELS, DetailPane
from briefing.ui.export import copy_citation
from briefing.ui.views import View

if TYPE_CHECKING:
    from briefing.render.share_chart import ShareChart

MAX_CHANGES = 300
CHART_TITLE = "Share of 30-day Hugging Face downloads by developer country, per reading"


def latest_attempt_line(latest: dict | None, applied: dict | None) -> str:
    """A first line naming the latest sync attempt when it did not apply (failed, stale...), else ''."""
    if latest is None or (applied is not None and latest.get("id") == applied.get("id")) or latest.get("outcome") == "applied":
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
        detail = plain.label(fig.detail or (fig.caveats[0] if fig.caveats else fig.measure), name="Figure explanation", wrap=True)
        self.as_of_label = plain.label(when if "\u2013" in when else f"As of {when}", name="Figure date")
        for w in (title, self.value_label, detail, self.as_of_label):
            layout.addWidget(w)
        self.weak_label = plain.label("Weakly sourced: no primary or reputable source", name="Weakly sourced mark", wrap=True)
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
    return {"selection": sel, "table": table, "crossovers": readings.crossover(table),
            "between": readings.lead_between_series(table), "source_line": src}


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


class OverviewView(View):
    """The first view: see the module docstring."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setAccessibleName("Overview view")
        self.cards: list[HeadlineCard] = []
        self._chart_task: tasks.Task | None = None
        layout = QVBoxLayout(self)

        self.age_label = plain.label("", name="Data age", wrap=True)
        layout.addWidget(self.age_label)
        self.cards_box = QWidget()
        self.cards_box.setAccessibleName("Headline figures")
        self.cards_grid = QGridLayout(self.cards_box)
        layout.addWidget(self.cards_box)

        lower = QHBoxLayout()
        chart_box = QGroupBox(CHART_TITLE)
        chart_box.setAccessibleName("Adoption chart")
        self.chart_layout = QVBoxLayout(chart_box)
        self.chart: ShareChart | None = None  # built with its first data, after the first paint
        self._painted = False
        self._chart_wanted = False
        self.chart_status = plain.label("Loading adoption data…", name="Chart status", wrap=True)
        self.chart_layout.addStretch(1)
        self.chart_layout.addWidget(self.chart_status)
        lower.addWidget(chart_box, 3)

        changes_box = QGroupBox("What changed since the last sync")
        changes_box.setAccessibleName("What changed since the last sync")
        changes_layout = QVBoxLayout(changes_box)
        self.changes_heading = plain.label("", name="Last sync summary", wrap=True)
        self.changes = QListWidget()
        self.changes.setAccessibleName("Changes at the last sync")
        self.changes.itemActivated.connect(self._open_change)
        changes_layout.addWidget(self.changes_heading)
        changes_layout.addWidget(self.changes, 1)
        lower.addWidget(changes_box, 2)
        layout.addLayout(lower, 1)

        self.detail = DetailPane(home, self)
        self.detail.hide()  # only shown for records that have no other view (considerations)
        self.detail.record_requested.connect(self.record_requested)
        layout.addWidget(self.detail)

    # -- building blocks ----------------------------------------------------------------------------
    def _make_chart(self) -> ShareChart:
        from briefing.render.share_chart import ShareChart

        chart = ShareChart()
        chart.setAccessibleName("Share of downloads by developer country chart")
        chart.setMinimumHeight(180)
        chart.set_meta(title=CHART_TITLE)
        chart.sigReadout.connect(lambda text: self.chart_status.setText(text))
        return chart

    def refresh(self) -> None:
        """Reload the cards and the change list now; the chart through a task."""
        with self.home.store() as store:
            # the cards need no Hub readings (the chart loads those on the task runner)
            ctx = figures.Context.load(store, stale_after_days=Settings.load(self.home.settings_path).stale_after_days,
                                       hub=False)
        items = figures.compute_from(ctx, [i for i in figures.OVERVIEW_CARDS])
        age = figures.data_age(ctx)
        self.age_label.setText(age.warning or age.current_to.replace(" before this brief", " ago"))
        self.age_label.setStyleSheet("color: #b42318; font-weight: bold;" if age.old else "")
        self._data_as_of = ctx.data_as_of
        self._fill_cards(items)
        self._fill_changes()
        if self._painted:
            self._load_chart()
        else:
            self._chart_wanted = True

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self._chart_wanted:
            self._chart_wanted = False
            self._load_chart()

    def _fill_cards(self, items: list[Figure]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for i, fig in enumerate(items):
            card = HeadlineCard(fig, self.cards_box)
            card.data_as_of = getattr(self, "_data_as_of", None)
            card.activated.connect(self._go_to_view)
            self.cards_grid.addWidget(card, i // 4, i % 4)
            self.cards.append(card)
        if not items:
            self.cards_grid.addWidget(plain.label("No headline figures: the database holds no records yet.", name="No figures"), 0, 0)

    def _fill_changes(self) -> None:
        self.changes.clear()
        attempt = last_attempt(self.home.sync_log_path, outcomes=("applied",))
        latest = last_attempt(self.home.sync_log_path)
        lines = change_lines(attempt)
        if attempt is None:
            heading = "Nothing synced yet: the data is the bundled snapshot. Changes appear here after a sync."
        elif not lines:
            heading = f"The last sync ({attempt.get('finished_at')}) changed nothing."
        else:
            version = f" v{attempt['version']}" if attempt.get("version") is not None else ""
            heading = f"Last sync: {attempt.get('source')}{version} at {attempt.get('finished_at')}, {len(lines)} change(s)."
        self.changes_heading.setText(latest_attempt_line(latest, attempt) + heading)
        for text, entry in lines[:MAX_CHANGES]:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (entry.get("kind"), entry.get("id")))
            item.setToolTip(plain.tooltip(text))
            self.changes.addItem(item)

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

        if self.chart is None:
            self.chart = self._make_chart()
            self.chart_layout.takeAt(0)  # the stretch that held its place
            self.chart_layout.insertWidget(0, self.chart, 1)
        if not data or data["table"].empty:
            self.chart.set_shares(pd.DataFrame())
            self.chart_status.setText("No 30-day download readings in the data.")
            return
        sel, table = data["selection"], data["table"]
        self._selection = sel

        def coverage(position: int) -> str:
            return readings.coverage(sel, position).text(value_text=lambda v: numbers.number(v, axis=True))

        self.chart.set_shares(table, data["crossovers"], coverage=coverage, panel=sel.panel_text())
        notes = [sel.describe(), series_key_text(sel.series)] + (
            [] if data["crossovers"] else data["between"])
        self.chart.set_meta(source_line=data["source_line"], as_of=table.index.max().date().isoformat(),
                            note=".  ".join(n for n in notes if n) + ".")
        self.chart_status.setText(
            "Hover a reading for its shares and the repos it covers; the Adoption view lists every repo of a reading.")

    # -- navigation ---------------------------------------------------------------------------------
    def _go_to_view(self, name: str) -> None:
        if name != "overview":
            self.view_requested.emit(name)

    def _open_change(self, item: QListWidgetItem) -> None:
        kind, rid = item.data(Qt.ItemDataRole.UserRole) or (None, None)
        if kind and rid:
            self.record_requested.emit(kind, rid)

    def show_record(self, kind: str, record_id: str) -> None:
        self.detail.show()
        self.detail.show_record(kind, record_id)
