"""The charts' colours and marker shapes, and how the timeline spreads markers that would cover each
other: one place for the app's charts and the brief's SVG chart (plain data: no Qt). Okabe-Ito first: colour-blind safe, and every key names its colours in text."""

from __future__ import annotations

from collections.abc import Sequence

# Okabe-Ito first (colour-blind safe), then a few more distinct hues.
# (Okabe-Ito's yellow comes late: a thin yellow line all but vanishes on white paper.)
PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#8C564B",
    "#9467BD",
    "#BCBD22",
    "#17BECF",
    "#7F7F7F",
    "#F0E442",
    "#FF9896",
    "#AEC7E8",
    "#98DF8A",
]
#: Each reading's split of downloads by developer country (readings.BUCKETS), in stacking order.
BUCKET_COLOURS = {"CN": "#D55E00", "US": "#0072B2", "Other": "#009E73", "Unattributed": "#BDBDBD"}
STANCE_COLOURS = {
    "restrictive": "#D55E00",
    "supportive": "#009E73",
    "neutral": "#7F7F7F",
    "mixed": "#E69F00",
    "not_applicable": "#D9D9D9",
    "unassessed": "#BBBBBB",
}
INSTRUMENT_SYMBOLS = {
    "export_control": "t",
    "legislation": "s",
    "executive_action": "d",
    "regulation": "o",
    "guidance": "h",
    "licensing": "p",
    "procurement": "star",
    "funding": "t1",
    "international": "+",
    "standard": "x",
}
STATUS_COLOURS = {
    "reported": "#CC79A7",
    "announced": "#E69F00",
    "committed": "#56B4E9",
    "disbursing": "#0072B2",
    "completed": "#009E73",
    "withdrawn": "#9A9A9A",
}
#: Fixed colours for the coded values, so a value keeps its colour whatever else is shown.
VALUE_COLOURS = {
    "status": STATUS_COLOURS,
    "scope": {
        "ai": "#0072B2",
        "ai_and_other": "#56B4E9",
        "semiconductors": "#E69F00",
        "compute": "#009E73",
        "unassessed": "#9A9A9A",
    },
    "confirmation": {"official": "#0072B2", "press_reported": "#CC79A7", "unassessed": "#9A9A9A"},
    "kind": {
        "public_budget": "#0072B2",
        "sovereign_fund": "#009E73",
        "private_pledge": "#E69F00",
        "public_private": "#56B4E9",
        "unassessed": "#9A9A9A",
    },
}


#: Same-lane timeline markers closer than this many days are spread around the lane, at most this
#: far apart (in lanes).
STACK_DAYS, STACK_STEP = 3.0, 0.2


def stack_offsets(lanes: Sequence[float], days: Sequence[float]) -> list[float]:
    """A small vertical offset per marker (lane units) so same-lane markers a few days apart do not
    cover each other: each run of markers closer than STACK_DAYS is spread around the lane's line."""
    out = [0.0] * len(days)
    order = sorted(range(len(days)), key=lambda i: (lanes[i], days[i]))
    run: list[int] = []

    def spread(run: list[int]) -> None:
        m = len(run)
        if m > 1:
            step = min(STACK_STEP, 0.8 / (m - 1))
            for k, i in enumerate(run):
                out[i] = (k - (m - 1) / 2) * step

    for i in order:
        if run and (lanes[i] != lanes[run[-1]] or days[i] - days[run[-1]] > STACK_DAYS):
            spread(run)
            run = []
        run.append(i)
    spread(run)
    return out
