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


@pytest.fixture
def synced_window(qtbot, home, tmp_path, httpserver):
    secret, pub = make_key(tmp_path)

    def rename(doc):
        for i in doc["items"]:
            if i["id"] == "model/deepseek-r1":
                i["_briefing"]["record"]["name"] = "<b>DeepSeek</b> renamed"
    body = feed_bytes(home.data_path, 3, expires=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30), mutate=rename)
    httpserver.expect_request("/feed.json").respond_with_data(body)
    httpserver.expect_request("/feed.json.minisig").respond_with_data(sign(body, secret))
    Settings(feed_url=httpserver.url_for("/feed.json"), trusted_key_files=[str(pub)]).save(home.settings_path)
    w = MainWindow(home, auto_sync=False)
    qtbot.addWidget(w)
    return w, w.sync_controller


def test_sync_now_then_what_changed(qtbot, synced_window, home):
    window, controller = synced_window
    assert controller.is_due()  # never synced: due
    assert window.sync_action in window.data_menu.actions()
    with qtbot.waitSignal(controller.synced, timeout=20_000) as blocker:
        window.sync_action.trigger()
    assert blocker.args[0].version == 3
    assert "feed v3" in window.status.version_label.text()
    assert not controller.is_due()  # just succeeded
    dialog = window.show_changes()
    item = dialog.tree.topLevelItem(0)
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
    failures: list[object] = []
    task = controller.sync_now()
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
