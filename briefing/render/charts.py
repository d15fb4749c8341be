"""The named-chart registry: `CHARTS` maps a chart name to how to load and build it.

The chart classes live one per module (`adoption_chart.AdoptionChart`, `investment_chart.
InvestmentChart`, `policy_chart.PolicyTimelineChart`, on `chart_base.ChartWidget` with the shared
axes, colours, caption and `source_line`); each is built once, then updated with `set_frame(...)`
from frames made by `briefing.core.frames`. The registry serves `briefing export chart --chart
NAME`, the one-pager and the screenshots in two steps: `load_chart_data(store, name)` (the slow,
data part: any thread, the caller's own Store, no widget) then `build_chart_from(name, data)` (GUI
thread, like every QWidget); `build_chart(store, name)` does both in a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from briefing.core import frames
from briefing.core.errors import BriefingError
from briefing.core.store import Store
from briefing.render.adoption_chart import METRIC_LABELS, AdoptionChart
from briefing.render.chart_base import ChartWidget, caption_text, source_line
from briefing.render.investment_chart import InvestmentChart
from briefing.render.policy_chart import PolicyTimelineChart

#: Most series an exported adoption chart draws (the smaller groups are summed into one line).
EXPORT_SERIES = 8


@dataclass(frozen=True)
class ChartData:
    """What a named chart shows, loaded from the store: frames plus its caption (plain text).

    Made by `NamedChart.load` on any thread (no widget, its own Store); turned into a widget by
    `NamedChart.build` on the GUI thread."""

    name: str
    frame: Any
    extra: dict = field(default_factory=dict)
    title: str = ""
    source_line: str = ""
    as_of: str = ""
    note: str = ""

    def caption_text(self) -> str:
        """The line the chart prints under itself (same as `ChartWidget.caption_text`)."""
        return caption_text(self.source_line, self.as_of, self.note)


class NamedChart:
    """A registry entry: `load(store)` (any thread) then `build(data)` (GUI thread)."""

    def __init__(self, load: Callable[[Store], ChartData], build: Callable[[ChartData], ChartWidget]) -> None:
        self.load, self._build = load, build

    def build(self, data: ChartData) -> ChartWidget:
        chart = self._build(data)
        chart.set_meta(title=data.title, source_line=data.source_line, as_of=data.as_of, note=data.note)
        return chart


def _adoption_chart(by: frames.Grouping, metric: str = "downloads_total") -> NamedChart:
    """Exported adoption charts leave the `frames.OTHER` group out (a static image has no legend to
    click) and say so in the caption: '141 repositories not attributed ... are not shown'."""
    def load(store: Store) -> ChartData:
        frame = frames.adoption_frame(store, metric=metric)
        wide = frames.top_groups(frames.group_adoption(frame, by), EXPORT_SERIES)
        left_out = frames.OTHER in wide.columns
        as_of = frame["date"].max().strftime("%Y-%m-%d") if len(frame) else ""
        count = frames.unattributed_subjects(frame, by)
        note = ""
        if left_out:
            note = f"{frames.other_note(count, by)} {'is' if count == 1 else 'are'} not shown"
        return ChartData(
            name=f"adoption-{by}", frame=wide.drop(columns=[frames.OTHER]) if left_out else wide,
            extra={"milestones": frames.milestones(store, metric=metric)},
            title=f"{METRIC_LABELS[metric]} of open models on Hugging Face, by {by}",
            source_line=source_line(store, store.adoption_source_ids(metric=metric)), as_of=as_of, note=note,
        )

    def build(data: ChartData) -> ChartWidget:
        chart = AdoptionChart()
        chart.set_metric(metric)
        chart.set_frame(data.frame, milestones=data.extra["milestones"])
        return chart
    return NamedChart(load, build)


def _investment_chart(colour_by: str) -> NamedChart:
    def load(store: Store) -> ChartData:
        frame = frames.investment_frame(store)
        ids = {s for srcs in frame.loc[frame["amount_usd"].notna(), "sources"] for s in srcs}
        as_of = frame["announced_on"].max().strftime("%Y-%m-%d") if len(frame) else ""
        missing = frames.unconverted(frame)  # named on the chart, not only in a table
        notes = ["Not in the bars (no official exchange rate): " + "; ".join(missing)] if missing else []
        reported = sorted(set(frame.loc[frame["confirmation"] == "press_reported", "country"]))
        if reported:
            notes.append("Includes commitments reported only by the press (" + ", ".join(reported) + ")")
        note = ". ".join(notes)
        return ChartData(name=f"investment-{colour_by}", frame=frame,
                         title=f"AI investment commitments by country (USD), by {colour_by}",
                         source_line=source_line(store, ids), as_of=as_of, note=note)

    def build(data: ChartData) -> ChartWidget:
        chart = InvestmentChart()
        chart.set_frame(data.frame, colour_by=colour_by)
        return chart
    return NamedChart(load, build)


def _policy_load(store: Store) -> ChartData:
    frame = frames.policy_frame(store)
    ids = {s for srcs in frame["sources"] for s in srcs}
    as_of = frames.policy_data_date(frame)
    return ChartData(name="policy-timeline", frame=frame,
                     title="AI policy actions by jurisdiction (colour: stance on open models)",
                     source_line=source_line(store, ids), as_of=as_of)


def _policy_build(data: ChartData) -> ChartWidget:
    chart = PolicyTimelineChart()
    chart.set_frame(data.frame)
    return chart


CHARTS: dict[str, NamedChart] = {
    "adoption-by-country": _adoption_chart("country"),
    "adoption-by-organization": _adoption_chart("organization"),
    "adoption-by-family": _adoption_chart("family"),
    "derivatives-by-family": _adoption_chart("family", "derivatives"),
    "investment-by-country": _investment_chart("scope"),
    "investment-by-status": _investment_chart("status"),
    "investment-by-confirmation": _investment_chart("confirmation"),
    "policy-timeline": NamedChart(_policy_load, _policy_build),
}


def load_chart_data(store: Store, name: str) -> ChartData:
    """A registry chart's data and caption: the slow part, any thread, no widget."""
    if name not in CHARTS:
        raise BriefingError(f"unknown chart {name!r} (choose from {', '.join(CHARTS)})")
    return CHARTS[name].load(store)


def build_chart_from(name: str, data: ChartData) -> ChartWidget:
    """The widget for loaded chart data, in the light theme (exports are printed on white). GUI thread."""
    chart = CHARTS[name].build(data)
    chart.apply_theme(dark=False)
    chart.export_fit = True  # a fresh chart shows all its data (no user zoom to keep)
    return chart


def build_chart(store: Store, name: str) -> ChartWidget:
    """A chart from the registry by name, in the light theme (GUI thread: loads and builds)."""
    return build_chart_from(name, load_chart_data(store, name))
