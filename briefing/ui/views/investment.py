"""Investment: horizontal bars of commitments in USD by country, coloured by scope, confirmation,
kind, status or category (tooltip: original amount, conversion basis and the package's components),
a filterable table with "Scope", "Confirmation" and "Part of" columns and a detail pane. Components of
a package are never stacked on top of it, and money that overlaps another shown record is counted
once; the chart names any commitment it cannot show for want of an official exchange rate.

Records are few (hundreds), but loading still goes through the task runner like every view.
GUI thread only.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from briefing.core import frames, names
from briefing.core.home import Home
from briefing.core.settings import Settings
from briefing.core.store import Store
from briefing.render.chart_base import source_line
from briefing.render.investment_chart import InvestmentChart
from briefing.ui import plain
from briefing.ui.flow import FlowLayout
from briefing.ui.views.filters import ChoiceFilter, labelled
from briefing.ui.views.record_view import RecordView

COLUMNS = [
    ("country", "Country"),
    ("actor", "Actor"),
    ("title", "Title"),
    ("amount", "Amount"),
    ("currency", "Currency"),
    ("amount_usd", "USD"),
    ("announced_on", "Announced"),
    ("scope", "Scope"),
    ("confirmation", "Confirmation"),
    ("kind", "Kind"),
    ("status", "Status"),
    ("part_of", "Part of"),
    ("overlaps", "Overlaps with"),
]
#: Caption note whenever the shown records include components of a package.
COMPONENTS_NOTE = "Components of larger packages are not added on top of them"


def load_investments(data_path: Path) -> dict[str, Any]:
    """Worker: the investment frame and the source line of the records it holds."""
    with Store(data_path, readonly=True) as store:
        frame = frames.investment_frame(store)
        ids = {s for srcs in frame["sources"] for s in srcs}
        return {"frame": frame, "source_line": source_line(store, ids)}


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for rec in frame.to_dict("records"):
        rec["announced_on"] = rec["announced_on"].strftime("%Y-%m-%d") if not pd.isna(rec["announced_on"]) else None
        for key, value in rec.items():
            if isinstance(value, float) and math.isnan(value):
                rec[key] = None
        rows.append(rec)
    return rows


class InvestmentView(RecordView):
    """The Investment view: `(home, parent=None)`, `refresh()`, `show_record(kind, id)`; `loaded` after data lands."""

    record_kind = "investment"
    load_error = "Could not load investments"

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(home, parent, title="Investment")
        self.frame: pd.DataFrame | None = None
        self.shown = pd.DataFrame(columns=frames.INVESTMENT_COLUMNS)

        self.colour_combo = QComboBox()
        self.colour_combo.setAccessibleName("Colour bars by")
        for text, key in (
            ("Scope", "scope"),
            ("Confirmation", "confirmation"),
            ("Kind of money", "kind"),
            ("Status", "status"),
            ("Category", "category"),
        ):
            self.colour_combo.addItem(text, key)
        self.colour_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.colour_combo.setMinimumContentsLength(12)
        self.country_filter = ChoiceFilter("Country", label_of=names.country)
        self.country_filter.set_groups(names.country_groups(Settings.load(home.settings_path).country_groups))
        self.category_filter = ChoiceFilter("Category")
        self.status_filter = ChoiceFilter("Status")
        self.scope_filter = ChoiceFilter("Scope")
        self.confirmation_filter = ChoiceFilter("Confirmation")
        self.kind_filter = ChoiceFilter("Kind of money", key="kind")
        self._add_filters(
            (
                self.country_filter,
                self.scope_filter,
                self.confirmation_filter,
                self.kind_filter,
                self.category_filter,
                self.status_filter,
            ),
            placeholder="Filter by title or actor",
            name="Investment text filter",
        )
        self.reset_button = QPushButton("Reset zoom")
        self.reset_button.setAccessibleName("Reset zoom")

        controls = FlowLayout()
        controls.addWidget(labelled("Colour by", self.colour_combo))
        self._add_filter_captions(controls)
        controls.addWidget(self.text_filter)
        controls.addWidget(self.clear_button)
        controls.addWidget(self.reset_button)

        self.chart = InvestmentChart()
        self.reset_button.clicked.connect(self.chart.reset_view)
        self.chart.sigRecordsClicked.connect(lambda ids: self.show_record("investment", ids[0]))
        self.chart.sigKeyClicked.connect(self._on_key_clicked)
        self._add_table(
            columns=COLUMNS,
            name="Investments table",
            widths=((1, 110), (2, 180), (3, 260), (4, 130), (5, 70), (6, 130)),
            rows_name="Investments shown",
            chart=self.chart,
            table_kind="investments",
            what="investment",
        )
        self.table_model.formatters["country"] = names.country
        self.unconverted_label = plain.label("", name="Records without a USD figure", wrap=True)
        controls.addWidget(self.exports)
        self._lay_out(controls=[controls], chart=self.chart, below_table=(self.unconverted_label,))

    def refresh(self) -> None:
        """Reload the records on the task runner; `loaded` follows."""
        self._show_status("Loading investments…")
        self.loader.start(load_investments, self.home.data_path, name="load investments")

    def _has_data(self) -> bool:
        return self.frame is not None

    def apply_filters(self) -> None:
        """Filter the records; the bars and the table both show exactly the filtered records."""
        if self.frame is None:
            return
        self.shown = frames.filter_investments(
            self.frame,
            countries=self.country_filter.selected(),
            categories=self.category_filter.selected(),
            statuses=self.status_filter.selected(),
            scopes=self.scope_filter.selected(),
            confirmations=self.confirmation_filter.selected(),
            text=self.text_filter.text(),
        )
        kinds = self.kind_filter.selected()
        if kinds is not None:
            self.shown = self.shown.loc[self.shown["kind"].isin(list(kinds))]
        colour = str(self.colour_combo.currentData())
        key_filter = self._colour_filter(colour)
        self.chart.set_frame(
            self.shown,
            colour_by=colour,
            key_values=sorted({str(v) for v in self.frame[colour].dropna()}),
            kept=key_filter.selected() if key_filter is not None else None,
        )
        components = int(self.shown["part_of"].notna().sum())
        notes = [COMPONENTS_NOTE] if components else []
        notes += frames.investment_chart_notes(self.shown)  # on the chart itself, not only under the table
        self.chart.set_meta(
            title=f"AI investment commitments by country (USD), by {self.colour_combo.currentText().lower()}",
            note=". ".join(notes),
        )
        self.table_model.set_rows(_rows(self.shown))
        self.rows_label.setText(f"{len(self.shown):,} of {len(self.frame):,} commitments")
        missing = int(self.shown["amount_usd"].isna().sum())
        notes = []
        if missing:
            notes.append(
                f"{missing} shown without a USD figure (no official exchange rate): listed here and named under the chart, not in the bars."
            )
        if components:
            notes.append(
                f"{components} are components of a larger package (see Part of): listed here and in"
                " the package's tooltip, not added on top of it."
            )
        self.unconverted_label.setText(" ".join(notes))
        self._filtered(self.shown["id"])
        current = self.detail.current()
        self.chart.highlight(current.id if current is not None and current.kind == "investment" else None)

    def _colour_filter(self, field: str) -> ChoiceFilter | None:
        return {
            "scope": self.scope_filter,
            "confirmation": self.confirmation_filter,
            "kind": self.kind_filter,
            "status": self.status_filter,
            "category": self.category_filter,
        }.get(field)

    def _on_key_clicked(self, field: str, value: str) -> None:
        """A click on the key toggles that value in the filter of the field the bars are coloured by."""
        target = self._colour_filter(field)
        if target is None or value not in target.choices():
            return
        target.choose(set(target.selected() or ()) ^ {value})

    def _highlight(self, record_id: str | None) -> None:
        self.chart.highlight(record_id)

    # -- view state --------------------------------------------------------------------------------
    def _extra_keys(self) -> tuple[str, ...]:
        return ("colour",)

    def _extra_state(self) -> dict[str, Any]:
        colour = str(self.colour_combo.currentData())
        return {"colour": colour if colour != "scope" else None}

    def _apply_extra_state(self, state: dict[str, list[str]]) -> list[str]:
        colour = (state.get("colour") or ["scope"])[0]
        index = self.colour_combo.findData(colour)
        self.colour_combo.blockSignals(True)
        self.colour_combo.setCurrentIndex(max(index, 0))
        self.colour_combo.blockSignals(False)
        return [] if index >= 0 else ["colour"]

    def _on_loaded(self, data: dict[str, Any]) -> None:
        self.frame = data["frame"]
        as_of = self.frame["announced_on"].max()
        self.chart.set_meta(
            source_line=data["source_line"], as_of=as_of.strftime("%Y-%m-%d") if len(self.frame) else ""
        )
        self.country_filter.set_choices(self.frame["country"])
        self.category_filter.set_choices(self.frame["category"])
        self.status_filter.set_choices(self.frame["status"])
        self.scope_filter.set_choices(self.frame["scope"])
        self.confirmation_filter.set_choices(self.frame["confirmation"])
        self.kind_filter.set_choices(self.frame["kind"])
        self._refresh_notes()
        self.apply_filters()
        self._show_status("" if len(self.frame) else "No investment records in the data.")
        self._load_finished()
