"""The one progress contract: no-op defaults, sub-ranges, and Cancelled as the one way to stop."""

from __future__ import annotations

import pytest

from briefing.core import progress
from briefing.core.errors import BriefingError, Cancelled
from briefing.core.table_export import export_table


def test_defaults_do_nothing():
    assert progress.noop(0.5, "half") is None
    assert progress.never() is False


def test_span_maps_a_step_onto_its_range_and_nests():
    seen: list[tuple[float, str]] = []
    outer = progress.span(lambda f, m: seen.append((round(f, 3), m)), 0.4, 1.0, prefix="feed: ")
    outer(0.0, "start")
    outer(0.5, "half")
    progress.span(outer, 0.5, 1.0)(1.0, "done")
    assert seen == [(0.4, "feed: start"), (0.7, "feed: half"), (1.0, "feed: done")]


def test_check_raises_cancelled_only_when_asked():
    progress.check(progress.never, "sync")
    with pytest.raises(Cancelled, match="^sync cancelled$") as info:
        progress.check(lambda: True, "sync")
    assert isinstance(info.value, BriefingError)  # still a one-line error where it is not ignored


def test_a_cancelled_table_export_leaves_no_file(store, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    with pytest.raises(Cancelled):
        export_table(store, "models", "csv", out / "m.csv", cancelled=lambda: True)
    assert list(out.iterdir()) == []
