"""Data > Sync now, the What changed review and the auto-sync schedule, on real widgets."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from werkzeug import Response

from briefing.core.settings import Settings
from briefing.ui.main_window import MainWindow
from briefing.ui.sync_panel import WhatChangedDialog
from tests.feedkit import feed_bytes, fingerprint, make_key, sign


def public_sources(httpserver) -> dict[str, str]:
    """The Hub and the Federal Register on the local server, each answering with nothing new."""
    httpserver.expect_request("/api/models").respond_with_data("[]", content_type="application/json")
    httpserver.expect_request("/api/v1/documents.json").respond_with_data(
        '{"count": 0, "results": []}', content_type="application/json"
    )
    return {"huggingface": httpserver.url_for("/").rstrip("/"), "federal_register": httpserver.url_for("/api/v1")}


@pytest.fixture
def synced_window(qtbot, home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)

    def rename(doc):
        for i in doc["items"]:
            if i["id"] == "model/deepseek-r1":
                i["_briefing"]["record"]["name"] = "<b>DeepSeek</b> renamed"

    body = feed_bytes(
        home.data_path, 3, expires=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30), mutate=rename
    )
    httpserver.expect_request("/feed.json").respond_with_data(body)
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sign(body, secret))
    Settings(feed_url=httpserver.url_for("/feed.json"), trusted_key_files=[str(pub)]).save(home.settings_path)
    w = MainWindow(home, auto_sync=False)
    qtbot.addWidget(w)
    w.sync_controller.endpoints = public_sources(httpserver)
    return w, w.sync_controller


def test_sync_now_runs_every_source_then_what_changed(qtbot, synced_window, home):
    window, controller = synced_window
    assert controller.is_due()  # never synced: due
    assert window.sync_action in window.data_menu.actions()
    with qtbot.waitSignal(controller.synced, timeout=30_000) as blocker:
        window.sync_action.trigger()
    # the same sources as `briefing sync --source all`, each reported
    assert [r.source for r in blocker.args[0]] == ["feed", "huggingface", "federal_register"]
    assert blocker.args[0][0].version == 3
    text, failed = controller.last_report
    assert not failed and text.startswith("Every source synced.")
    assert "In use: snapshot v" in text and "feed v3" in text
    assert window.last_sync_box.text() == text
    assert "feed v3" in window.status.version_label.text()
    assert not controller.is_due()  # just succeeded
    dialog = window.show_changes()  # each source's latest applied sync, newest first
    assert any(line.startswith("feed (feed v3) at") for line in dialog.summary.text().splitlines())
    assert len(dialog.summary.text().splitlines()) == 3
    item = next(
        dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
        if "deepseek-r1" in dialog.tree.topLevelItem(i).text(1)
    )
    assert item.text(0) == "changed" and "deepseek-r1" in item.text(1)
    field = item.child(0)
    assert (field.text(1), field.text(2), field.text(3)) == ("name", "DeepSeek-R1", "<b>DeepSeek</b> renamed")
    assert dialog.summary.textFormat().name == "PlainText"


def test_failed_sync_reports_and_offline_backs_off(qtbot, home, tmp_path):
    Settings(feed_url="http://127.0.0.1:9/feed.json").save(home.settings_path)  # nothing listens on port 9
    w = MainWindow(home, auto_sync=False)
    qtbot.addWidget(w)
    controller = w.sync_controller
    with qtbot.waitSignal(controller.sync_failed, timeout=20_000) as blocker:
        controller.sync_now(auto=True)
    assert blocker.args[0]
    if blocker.args[0].startswith("offline"):
        assert controller.backoff_until is not None and not controller.is_due()


def test_what_changed_without_any_sync(qtbot, home):
    dialog = WhatChangedDialog(home)
    qtbot.addWidget(dialog)
    assert "No sync" in dialog.summary.text()


def test_cancel_on_a_running_sync_shows_no_error(qtbot, home, tmp_path, httpserver):
    """Cancel in the status bar while the feed downloads: the data is unchanged and no "Sync failed"
    box opens (the sync stops with errors.Cancelled, which every surface ignores)."""
    secret, pub = make_key(tmp_path)
    body = feed_bytes(home.data_path, 3, expires=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30))
    requested, go = threading.Event(), threading.Event()

    def slow_feed(request):  # server thread: hold the response until the test has pressed Cancel
        requested.set()
        go.wait(10)
        return Response(body, content_type="application/json")

    httpserver.expect_request("/feed.json").respond_with_handler(slow_feed)
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sign(body, secret))
    Settings(feed_url=httpserver.url_for("/feed.json"), trusted_key_files=[str(pub)]).save(home.settings_path)
    before = fingerprint(home.data_path)
    window = MainWindow(home, auto_sync=False)
    qtbot.addWidget(window)
    controller = window.sync_controller
    controller.endpoints = public_sources(httpserver)
    failures: list[object] = []
    probe = controller.sync_all_now()  # probe (network pool), then every source
    with qtbot.waitSignal(controller.task_started, timeout=10_000) as started:
        pass
    assert probe.is_finished()
    task = started.args[0]
    task.failed.connect(failures.append)
    qtbot.waitUntil(requested.is_set, timeout=10_000)
    assert window.status.cancel_button.isVisible() or not window.isVisible()
    qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    go.set()
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    assert [type(f).__name__ for f in failures] == ["Cancelled"]
    assert [b.windowTitle() for b in window.findChildren(QMessageBox)] == []
    assert fingerprint(home.data_path) == before
    assert not window.status.busy()


def test_offline_is_known_within_seconds_and_says_nothing_changed(qtbot, home):
    """Nothing listens: the probe fails at once, the box says nothing changed and which data is in
    use, and no source is even started (the data file is untouched)."""
    from tests.feedkit import fingerprint

    Settings(feed_url="https://127.0.0.1:9/feed.json").save(home.settings_path)
    window = MainWindow(home, auto_sync=False)
    qtbot.addWidget(window)
    controller = window.sync_controller
    controller.endpoints = {"huggingface": "https://127.0.0.1:9", "federal_register": "https://127.0.0.1:9/api/v1"}
    before = fingerprint(home.data_path)
    with qtbot.waitSignal(controller.reported, timeout=8_000) as blocker:  # well within the probe's bound
        window.sync_action.trigger()  # Data > Sync now
    text, failed = blocker.args
    assert failed and text.startswith("You are offline (cannot reach 127.0.0.1): nothing changed.")
    with home.store() as store:
        meta = store.meta()
    assert f"In use: snapshot v{meta['snapshot_version']}, data as of {meta['data_as_of']}." in text
    assert fingerprint(home.data_path) == before
    assert controller.backoff_until is not None and controller.task is None


def test_the_app_syncs_the_sources_the_cli_syncs():
    from briefing.core import sync
    from briefing.ui import sync_panel

    assert sync_panel.SYNC_SOURCES == sync.SOURCES
