"""The named-chart registry: `CHARTS` maps a chart name to how to load and build it.

The chart classes live one per module (`adoption_chart.AdoptionChart`, `share_chart.ShareChart`, `investment_chart.
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

from briefing.core import frames, names, numbers, readings
from briefing.core.errors import BriefingError
from briefing.core.figures import place_name as place
from briefing.core.store import Store
from briefing.render import brief_chart
from briefing.render.adoption_chart import METRIC_LABELS, AdoptionChart
from briefing.render.chart_base import ChartWidget, caption_text
from briefing.render.investment_chart import InvestmentChart
from briefing.render.policy_chart import PolicyTimelineChart
from briefing.render.share_chart import ShareChart

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
    #: what the chart shows, in words, for a reader who cannot see it (a brief's figure alt text)
    description: str = ""

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


def load_readings(
    store: Store, *, metric: str, by: frames.Grouping | None, series: tuple[str, ...], limit: int | None = EXPORT_SERIES
) -> ChartData:
    """A readings chart's data: grouped (or, with `by=None`, the developer-country shares), with a
    caption naming the measure, the series, the panel and the coverage."""
    frame = readings.readings_frame(store, metric=metric)
    sel = readings.select(frame, series)
    as_of = sel.dates.max().strftime("%Y-%m-%d") if len(sel.rows) else ""
    used = [s for s in readings.SERIES if s in set(map(str, sel.series))]
    src = brief_chart.readings_source(store, metric, used)
    if by is None:
        table = readings.shares(sel)
        found = readings.crossover(table)
        title = brief_chart.SHARE_TITLE
        note = brief_chart.share_note(sel.describe(short=True), found, readings.lead_between_series(table, short=True))
        return ChartData(
            name="adoption-share",
            frame=table,
            extra={"crossovers": found, "series": sel.series},
            title=title,
            source_line=src,
            as_of=as_of,
            note=note,
            description=brief_chart.describe_shares(readings.share_rows(table), title, note),
        )
    wide = readings.group(sel, by)
    if limit:
        wide = readings.top_groups(wide, limit)
    title = f"{METRIC_LABELS[metric]}, summed per reading, by {by}"
    note = sel.describe(short=True) + "."
    if by == "country":  # names, not codes, on a chart a reader prints
        wide = wide.rename(columns=names.country)
    return ChartData(
        name=f"{'adoption' if metric == 'downloads_30d' else metric}-by-{by}",
        frame=wide,
        extra={"series": sel.series, "metric": metric},
        title=title,
        source_line=src,
        as_of=as_of,
        note=note,
        description=_describe_lines(wide, title, note),
    )


def _adoption_chart(
    by: frames.Grouping, metric: str = "downloads_30d", series: tuple[str, ...] = readings.DOWNLOAD_SERIES
) -> NamedChart:
    """A readings chart by group; the unattributed group stays in (it is part of the figure)."""

    def load(store: Store) -> ChartData:
        return load_readings(store, metric=metric, by=by, series=series)

    def build(data: ChartData) -> ChartWidget:
        chart = AdoptionChart()
        chart.set_metric(metric)
        chart.set_readings(data.frame, data.extra["series"])
        return chart

    return NamedChart(load, build)


def _share_load(store: Store) -> ChartData:
    return load_readings(store, metric="downloads_30d", by=None, series=readings.SHARE_SERIES)


def _share_build(data: ChartData) -> ChartWidget:
    chart = ShareChart()
    chart.set_shares(data.frame, data.extra["crossovers"])
    return chart


def _investment_chart(colour_by: str) -> NamedChart:
    def load(store: Store) -> ChartData:
        frame, title, src, as_of, note, description = brief_chart.investment_data(store, colour_by)
        return ChartData(
            name=f"investment-{colour_by}",
            frame=frame,
            title=title,
            source_line=src,
            as_of=as_of,
            note=note,
            description=description,
        )

    def build(data: ChartData) -> ChartWidget:
        chart = InvestmentChart()
        chart.set_frame(data.frame, colour_by=colour_by)
        return chart

    return NamedChart(load, build)


def _policy_load(store: Store) -> ChartData:
    # the captions and alternative text are the brief's (one wording; from the records themselves)
    brief = brief_chart.load_brief_chart(store, "policy-timeline")
    return ChartData(
        name="policy-timeline",
        frame=frames.policy_frame(store),
        title=brief.title,
        source_line=brief.source_line,
        as_of=brief.as_of,
        description=brief.description,
    )


def _policy_build(data: ChartData) -> ChartWidget:
    chart = PolicyTimelineChart()
    chart.set_frame(data.frame)
    return chart


# -- what each chart shows, in words (alternative text) ---------------------------------------------
def _name(group: object) -> str:
    text = str(group)
    return place(text) if len(text) <= 3 and text.isupper() else text


def _describe_lines(wide: Any, title: str, note: str = "") -> str:
    """'Line chart: <title>, Jul 4, 2024 – Feb 18, 2025, one line per group. On the last date: ...'"""
    if wide is None or not len(wide) or not len(wide.columns):
        return f"Line chart: {title}. No data to show."
    first, last = wide.index.min(), wide.index.max()
    values = wide.iloc[-1].sort_values(ascending=False)
    at_end = ", ".join(
        f"{_name(name)} {numbers.number(float(v), style='words')}" for name, v in values.items() if v == v
    )
    text = (
        f"Line chart: {title}, {numbers.window(first.strftime('%Y-%m-%d'), last.strftime('%Y-%m-%d'))}, one line per"
        f" group ({len(wide.columns)}). On the last date, {numbers.date(last.strftime('%Y-%m-%d'))}: {at_end}."
    )
    return text + (f" {note.rstrip('.')}." if note else "")


CHARTS: dict[str, NamedChart] = {
    "adoption-by-country": _adoption_chart("country"),
    "adoption-by-organization": _adoption_chart("organization"),
    "adoption-by-family": _adoption_chart("family"),
    "adoption-share": NamedChart(_share_load, _share_build),
    "derivatives-by-family": _adoption_chart("family", "derivatives", ("forecast", "hub_orgs")),
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
