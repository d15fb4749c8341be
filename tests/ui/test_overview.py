"""The overview's change list names the outcome of the latest sync attempt."""

from __future__ import annotations

from briefing.core.sync_log import SyncLog
from briefing.ui.views.overview import OverviewView


def _attempt(outcome: str, error: str | None = None) -> dict:
    return {
        "started_at": "2026-11-29T10:00:00Z",
        "finished_at": "2026-11-29T10:00:05Z",
        "source": "feed",
        "version": 7 if outcome == "applied" else None,
        "outcome": outcome,
        "error": error,
        "added": {},
        "changed": {},
        "removed": {},
        "changes": [],
    }


def test_empty_state_before_any_sync(qtbot, home):
    view = OverviewView(home)
    qtbot.addWidget(view)
    view._fill_changes()
    assert view.changes_heading.text().startswith("Nothing synced yet")


def test_failed_latest_attempt_is_shown_above_the_last_applied_one(qtbot, home):
    with SyncLog(home.sync_log_path) as log:
        log.add(_attempt("applied"))
        log.add(_attempt("failed", "feed: bad signature: the file does not match the signature"))
    view = OverviewView(home)
    qtbot.addWidget(view)
    view._fill_changes()
    first, second = view.changes_heading.text().split("\n", 1)
    assert (
        first
        == "Latest attempt: feed at 2026-11-29T10:00:05Z failed: feed: bad signature: the file does not match the signature."
    )
    assert second.startswith("The last sync (2026-11-29T10:00:05Z) changed nothing")
