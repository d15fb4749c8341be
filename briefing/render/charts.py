"""The app's charts and the named-chart registry: the public face of `briefing.render`'s charts.

Each chart is one small class around `pg.PlotWidget` (no windows: headless-safe), in its own module
and re-exported here: `AdoptionChart` (`adoption_chart`), `InvestmentChart` (`investment_chart`),
`PolicyTimelineChart` (`policy_chart`), all built on `ChartWidget` (`chart_base`, with the shared
axes, colours, caption and `source_line`). Each is built once and then updated with
`set_frame(...)` from plain frames made by `briefing.core.frames`; it carries `title`,
`source_line` and `as_of` so the exporter can caption it, and `render_image()` paints it to a
QImage. `CHARTS` maps a chart name to a builder `(store) -> ChartWidget` for
`briefing export chart --chart NAME` and the screenshots.

Hostile text: every data string shown in the scene or a tooltip is escaped (`_escape`, `_tooltip`),
so markup in a record stays literal. GUI thread only (like every QWidget).
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.core import frames
from briefing.core.store import Store
from briefing.render.adoption_chart import COMBINED_COLOUR, METRIC_LABELS, AdoptionChart
from briefing.render.chart_base import (
    FIXED_COLOURS, PALETTE, TOOLTIP_LIMIT, CaptionLabel, ChartWidget, CountAxis, _escape, _tooltip, colour_for,
    date_axis, source_line, timestamps,
)
from briefing.render.investment_chart import STATUS_COLOURS, InvestmentChart
from briefing.render.policy_chart import INSTRUMENT_SYMBOLS, STANCE_COLOURS, PolicyTimelineChart

# everything this module offered before the chart classes moved out keeps its old import path
__all__ = [
    "CHARTS", "COMBINED_COLOUR", "EXPORT_SERIES", "FIXED_COLOURS", "INSTRUMENT_SYMBOLS", "METRIC_LABELS",
    "PALETTE", "STANCE_COLOURS", "STATUS_COLOURS", "TOOLTIP_LIMIT", "AdoptionChart", "CaptionLabel",
    "ChartWidget", "CountAxis", "InvestmentChart", "PolicyTimelineChart", "_escape", "_tooltip", "colour_for",
    "date_axis", "source_line", "timestamps",
]


# -- named charts (the exporter's and the screenshots' entry point) ------------------------------
#: Most series an exported adoption chart draws (the smaller groups are summed into one line).
EXPORT_SERIES = 8


def _adoption_chart(by: frames.Grouping, metric: str = "downloads_total") -> Callable[[Store], ChartWidget]:
    """Exported adoption charts leave the `frames.OTHER` group out (a static image has no legend to
    click) and say so in the caption: '141 repositories not attributed ... are not shown'."""
    def build(store: Store) -> ChartWidget:
        frame = frames.adoption_frame(store, metric=metric)
        chart = AdoptionChart()
        chart.set_metric(metric)
        wide = frames.top_groups(frames.group_adoption(frame, by), EXPORT_SERIES)
        left_out = frames.OTHER in wide.columns
        chart.set_frame(wide.drop(columns=[frames.OTHER]) if left_out else wide,
                        milestones=frames.milestones(store, metric=metric))
        as_of = frame["date"].max().strftime("%Y-%m-%d") if len(frame) else ""
        count = frames.unattributed_subjects(frame, by)
        note = ""
        if left_out:
            note = f"{frames.other_note(count, by)} {'is' if count == 1 else 'are'} not shown"
        chart.set_meta(
            title=f"{METRIC_LABELS[metric]} of open models on Hugging Face, by {by}",
            source_line=source_line(store, store.adoption_source_ids(metric=metric)), as_of=as_of, note=note,
        )
        return chart
    return build


def _investment_chart(colour_by: str) -> Callable[[Store], ChartWidget]:
    def build(store: Store) -> ChartWidget:
        frame = frames.investment_frame(store)
        chart = InvestmentChart()
        chart.set_frame(frame, colour_by=colour_by)
        ids = {s for srcs in frame.loc[frame["amount_usd"].notna(), "sources"] for s in srcs}
        as_of = frame["announced_on"].max().strftime("%Y-%m-%d") if len(frame) else ""
        chart.set_meta(title=f"AI investment commitments by country (USD), by {colour_by}",
                       source_line=source_line(store, ids), as_of=as_of)
        return chart
    return build


def _policy_chart(store: Store) -> ChartWidget:
    frame = frames.policy_frame(store)
    chart = PolicyTimelineChart()
    chart.set_frame(frame)
    ids = {s for srcs in frame["sources"] for s in srcs}
    as_of = frame["date"].max().strftime("%Y-%m-%d") if len(frame) else ""
    chart.set_meta(title="AI policy actions by jurisdiction (colour: stance on open models)",
                   source_line=source_line(store, ids), as_of=as_of)
    return chart


CHARTS: dict[str, Callable[[Store], ChartWidget]] = {
    "adoption-by-country": _adoption_chart("country"),
    "adoption-by-organization": _adoption_chart("organization"),
    "adoption-by-family": _adoption_chart("family"),
    "derivatives-by-family": _adoption_chart("family", "derivatives"),
    "investment-by-country": _investment_chart("category"),
    "investment-by-status": _investment_chart("status"),
    "policy-timeline": _policy_chart,
}
