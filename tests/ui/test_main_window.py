"""The main window against the fixture store: views, shortcuts, status bar, notes, search, menus."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from briefing.ui import plain, tasks
from briefing.ui.main_window import VIEW_NAMES, MainWindow

from .conftest import HOSTILE


@pytest.fixture
def window(qtbot, home):
    w = MainWindow(home)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    tasks.shutdown(5000)


def _wait_idle(qtbot):
    qtbot.waitUntil(lambda: not tasks.active_tasks(), timeout=10_000)


def test_opens_on_overview_with_status(window, qtbot):
    assert window.current_view_name() == "overview"
    assert window.status.as_of_label.text().startswith("Data as of 2025-08-31 (")  # and its age in days
    assert window.status.old_label.isVisible()  # the fixture's data date is long past the 90-day setting
    assert window.status.version_label.text() == "Snapshot v1"
    assert window.status.sync_label.text() == "Last sync: never"
    assert not window.status.stale_label.isVisible()
    assert window.windowIcon().isNull() is False
    _wait_idle(qtbot)


def test_shortcuts_switch_views(window, qtbot):
    window.activateWindow()
    for i, name in enumerate(VIEW_NAMES, start=1):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{i}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_view_name() == name
        assert window.stack.currentWidget().isVisible()
    assert window.view_actions["policy"].shortcut().toString() == "Ctrl+4"
    _wait_idle(qtbot)


def test_age_warning_follows_the_data_date_and_the_setting(window, home, qtbot):
    today = dt.datetime.now(dt.timezone.utc)
    with home.store(readonly=False) as store:
        store.set_meta({"data_as_of": (today - dt.timedelta(days=10)).date().isoformat()})
    window.refresh_status()
    assert not window.status.old_label.isVisible()
    assert window.status.as_of_label.text().endswith("(10 days old)")
    window.status.set_meta({"data_as_of": (today - dt.timedelta(days=10)).date().isoformat()}, stale_after_days=5)
    assert window.status.old_label.isVisible()
    _wait_idle(qtbot)


def test_methods_and_definitions_show_the_documented_text(window, qtbot):
    from pathlib import Path

    dialog = window.show_methods()
    text = dialog.browser.toPlainText()
    assert "Stance on open-weight models" in text and "announced" in text
    assert Path("docs/methods.md").read_text(encoding="utf-8").startswith("# Methods and definitions")
    assert window.methods_action.text() == "&Methods and definitions"
    dialog.close()
    _wait_idle(qtbot)


def test_stale_mark_when_feed_expired(window, home, qtbot):
    with home.store(readonly=False) as store:
        store.set_meta(
            {"feed_version": 7, "feed_expires_at": "2020-01-01T00:00:00Z", "last_sync": "2025-09-01T10:00:00Z"}
        )
    window.refresh_status()
    assert window.status.stale_label.isVisible()
    assert window.status.stale_label.text() == "STALE"
    assert window.status.version_label.text() == "Snapshot v1 · feed v7"
    assert window.status.sync_label.text() == "Last sync: 2025-09-01 10:00:00 UTC"
    future = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).isoformat()
    with home.store(readonly=False) as store:
        store.set_meta({"feed_expires_at": future})
    window.refresh_status()
    assert not window.status.stale_label.isVisible()
    _wait_idle(qtbot)


def test_note_survives_closing_and_reopening(qtbot, home):
    w = MainWindow(home)
    qtbot.addWidget(w)
    w.show()
    w.show_record("source", "epoch-notable")
    view = w.views["sources"]
    assert view.detail.current().id == "epoch-notable"
    view.detail.note_edit.setPlainText("Epoch's licence is CC BY: cite it in the brief")
    w.close()  # a pending edit is saved on close
    _wait_idle(qtbot)
    w2 = MainWindow(home)
    qtbot.addWidget(w2)
    w2.show()
    assert w2.current_view_name() == "sources"  # the last view is remembered
    w2.show_record("source", "epoch-notable")
    assert w2.views["sources"].detail.note_edit.toPlainText() == "Epoch's licence is CC BY: cite it in the brief"
    model = w2.views["sources"].model
    assert model.has_note(model.row_of("source", "epoch-notable"))
    _wait_idle(qtbot)


def test_geometry_remembered(qtbot, home):
    w = MainWindow(home)
    qtbot.addWidget(w)
    w.resize(700, 500)
    w.show()
    size = (w.width(), w.height())
    w.move(20, 30)
    w.close()
    w2 = MainWindow(home)
    qtbot.addWidget(w2)
    assert (w2.width(), w2.height()) == size
    _wait_idle(qtbot)


def test_search_finds_record_by_name_and_shows_it(window, qtbot):
    window.open_search()
    dialog = window._search
    dialog.box.setText("Notable AI")
    hits = dialog.run_search()
    assert (hits[0]["kind"], hits[0]["id"]) == ("source", "epoch-notable")
    dialog.choose_current()
    assert window.current_view_name() == "sources"
    view = window.views["sources"]
    assert view.detail.current().id == "epoch-notable"
    assert view.table.currentIndex().isValid()
    # A model found by name opens in the Adoption view.
    shown = []
    window.open_search()
    window._search.box.setText("DeepSeek-R1")
    assert window._search.run_search()[0]["id"] == "deepseek-r1"
    window.view("adoption").show_record = lambda kind, rid: shown.append((kind, rid))
    window._search.choose_current()
    assert window.current_view_name() == "adoption"
    assert shown == [("model", "deepseek-r1")]
    _wait_idle(qtbot)


def test_search_includes_notes(window, home, qtbot):
    with home.notes() as notes:
        notes.set("investment", "fr-2025-ai-109bn", "ask the embassy about disbursement")
        notes.set("model", "withdrawn-model", "embassy contact said no")
    window.open_search()
    dialog = window._search
    dialog.box.setText("embassy")
    hits = dialog.run_search()
    labels = [h["label"] for h in hits]
    assert any("Note on investment" in label and "€109 billion" in label for label in labels)
    assert any("withdrawn-model (withdrawn)" in label for label in labels)
    dialog.choose_current()
    assert window.current_view_name() == "investment"
    _wait_idle(qtbot)


def test_verify_runs_as_task_and_reports(window, qtbot):
    task = window.verify()
    assert window.status.busy()
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    problems, box = window.last_verify
    assert problems == []
    assert "No problems" in box.text()
    assert not window.status.busy()


def test_about_lists_licensed_sources(window, qtbot):
    dialog = window.show_about()
    text = dialog.licences.toPlainText()
    assert "Epoch AI: Notable AI Models. Licence: CC BY 4.0." in text
    assert "MIT" in text and "Brussels Signal" not in text  # no licence -> not listed
    dialog.close()
    _wait_idle(qtbot)


def test_the_window_builds_every_menu(window, qtbot):
    def entries(menu):
        return [a.text() if not a.isSeparator() else "-" for a in menu.actions()]

    assert entries(window.file_menu) == ["Export &one-pager…", "-", "&Quit"]
    assert entries(window.data_menu) == [
        "Sync now (every source)",
        "What changed…",
        "Country &groups…",
        "&Verify database",
        "&Open data folder",
    ]
    assert window.sync_action.shortcut().toString() == "Ctrl+Shift+S"
    assert window.onepager_action.shortcut().toString() == "Ctrl+Shift+E"
    window.switch_to("policy")
    dialog = window.open_onepager()  # window-modal through open(): no nested event loop
    assert dialog.isVisible() and dialog.topic == "policy"
    with qtbot.waitSignal(dialog.preview_job.finished, timeout=20_000):
        pass
    dialog.reject()
    changes = window.show_changes()
    assert "No sync" in changes.summary.text()
    changes.reject()
    _wait_idle(qtbot)


def test_every_control_has_an_accessible_name(window, qtbot):
    for name in VIEW_NAMES:
        window.switch_to(name)
    _wait_idle(qtbot)
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QPlainTextEdit

    missing = [
        f"{type(w).__name__} {w.text() if hasattr(w, 'text') else ''} in {w.parent().accessibleName()}"
        for w in window.findChildren(QWidget)
        if isinstance(w, (QAbstractButton, QAbstractItemView, QLineEdit, QPlainTextEdit))
        and w.isVisibleTo(window)
        and not w.accessibleName()
        and not type(w).__module__.startswith("pyqtgraph")
    ]
    assert missing == []


def test_hostile_strings_stay_literal_everywhere(qtbot, hostile_home):
    w = MainWindow(hostile_home)
    qtbot.addWidget(w)
    w.show()
    w.show_record("source", "hostile-src")
    view = w.views["sources"]
    model = view.model
    row = model.row_of("source", "hostile-src")
    assert model.data(model.index(row, 1)) == HOSTILE
    assert view.detail.heading.text() == HOSTILE
    for lbl in w.findChildren(QLabel):
        assert lbl.textFormat() == Qt.TextFormat.PlainText, lbl.accessibleName()
    # the "cited by" list names the model whose name is hostile, literally
    from PySide6.QtWidgets import QPushButton

    texts = [b.text() for b in view.detail.findChildren(QPushButton)]
    assert f"Model: {HOSTILE}" in texts
    w.open_search()
    w._search.box.setText("img src")
    hits = w._search.run_search()
    assert any(h["title"] == HOSTILE for h in hits)
    assert all("<img" not in (w._search.results.item(i).toolTip()) for i in range(w._search.results.count()))
    _wait_idle(qtbot)


def test_sources_view_lists_citing_records_and_refuses_non_https(window, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(plain.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    window.show_record("source", "epoch-notable")
    view = window.views["sources"]
    from PySide6.QtWidgets import QPushButton

    cited = [b.text() for b in view.detail.related_box.findChildren(QPushButton)]
    assert "Model: DeepSeek-R1" in cited and view.detail.related_box.title() == "Cited by"
    row = view.model.row_of("source", "epoch-notable")
    assert view.model.row(row)["cited_by"] >= 3
    assert view.open_selected()
    assert opened == ["https://epoch.ai/data/notable-ai-models"]
    # A source whose address is not https (as a corrupt/old database might hold) is never opened.
    view.model.row(row)["url"] = "file:///etc/passwd"
    assert not view.open_selected()
    assert "not an https address" in view.message.text()
    assert opened == ["https://epoch.ai/data/notable-ai-models"]
    _wait_idle(qtbot)


def test_a_home_one_migration_behind_opens_and_every_view_loads(qtbot, older_home_dir):
    """The release before m003 left this home; the views read it read-only after `Home.open`."""
    from briefing.core.home import Home

    window = MainWindow(Home.open(older_home_dir))
    qtbot.addWidget(window)
    window.show()
    for name in VIEW_NAMES:
        view = window.switch_to(name)
        _wait_idle(qtbot)
        texts = [label.text() for label in view.findChildren(QLabel) if label.isVisible()]
        assert not [t for t in texts if "Could not" in t or "no such column" in t], (name, texts)
    investments = window.views["investment"]
    assert investments.table.model().rowCount() > 0
    tasks.shutdown(5000)


def test_children_ask_the_window_through_signals(window, qtbot, tmp_path, monkeypatch):
    """A headline card names a view, a "cited by" button names a record, an export hands over its
    task: the window follows the first two and shows the third in its status bar."""
    from PySide6.QtWidgets import QFileDialog, QPushButton

    overview = window.view("overview")
    card = next(c for c in overview.cards if c.figure.view != "overview")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.current_view_name() == card.figure.view
    window.show_record("source", "epoch-notable")
    cited = next(
        b
        for b in window.views["sources"].detail.related_box.findChildren(QPushButton)
        if b.text() == "Model: DeepSeek-R1"
    )
    qtbot.mouseClick(cited, Qt.MouseButton.LeftButton)
    assert window.current_view_name() == "adoption"
    _wait_idle(qtbot)
    assert window.views["adoption"].detail.current().id == "deepseek-r1"
    out = tmp_path / "sources.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(out), "CSV, UTF-8 (*.csv)")))
    window.views["sources"].exports.table_button.click()
    assert window.status.busy() and window.status.task_label.text() == "Exporting sources"
    _wait_idle(qtbot)
    assert out.exists() and not window.status.busy()


def test_a_view_switch_paints_the_view_once(window, qtbot):
    """Switching views repaints the view shown once: not in an opaque pass and again with the rest,
    and not once more for the deferred updates its widgets and its chart's scene queued when shown."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    for name in VIEW_NAMES:  # every view built and loaded
        window.switch_to(name)
        _wait_idle(qtbot)
    qtbot.wait(50)

    class Paints(QObject):
        def __init__(self, watched):
            super().__init__()
            self.watched = watched
            self.count = 0

        def eventFilter(self, obj, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and obj in self.watched and event.rect() == obj.rect():
                self.count += 1  # a whole repaint (a label re-elided after the layout repaints only itself)
            return False

    app = QApplication.instance()
    for before, name in (("overview", "sources"), ("sources", "policy"), ("policy", "adoption")):
        window.switch_to(before)
        qtbot.wait(20)
        view = window.views[name]
        watched = {view, view.detail}
        if name != "sources":
            watched.add(view.chart.viewport())
        spy = Paints(watched)
        app.installEventFilter(spy)
        try:
            window.switch_to(name)
            for _ in range(3):  # the paint and any turn it leaves behind
                app.processEvents()
        finally:
            app.removeEventFilter(spy)
        assert spy.count == len(watched), (name, spy.count)  # view, detail pane, chart: each painted whole once


def test_the_note_column_is_fixed_and_fits_its_mark(window, home, qtbot):
    """The note column is sized from its header once (not measured over every row at each show)
    and still shows the whole mark."""
    from PySide6.QtWidgets import QHeaderView

    with home.notes() as notes:
        notes.set("source", "epoch-notable", "cite Epoch")
    view = window.switch_to("sources")
    view.refresh()
    table = view.table
    assert table.horizontalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    row = view.proxy.mapFromSource(view.model.index(view.model.row_of("source", "epoch-notable"), 0)).row()
    assert table.model().index(row, 0).data() == "\u270e"
    assert table.sizeHintForColumn(0) <= table.columnWidth(0)  # the mark is never clipped
    _wait_idle(qtbot)


def test_a_first_visit_lays_the_view_out_for_its_page(qtbot, home):
    """A view built on its first visit is put into its page once the page is shown (sized): laid
    out for a hidden page's stub viewport it showed a scroll bar, then was laid out and painted
    again a turn later."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QScrollArea

    w = MainWindow(home, auto_sync=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)

    class Shows(QObject):
        shown = 0

        def eventFilter(self, obj, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Show:
                self.shown += 1
            return False

    for name in ("adoption", "sources"):
        holder = w.stack.widget(VIEW_NAMES.index(name))
        assert isinstance(holder, QScrollArea) and holder.widget() is None  # not built yet
        spy = Shows()
        holder.verticalScrollBar().installEventFilter(spy)
        w.switch_to(name)
        for _ in range(3):
            QApplication.instance().processEvents()
        assert spy.shown == 0, name
        assert not holder.verticalScrollBar().isVisible()
        assert holder.widget().width() == holder.viewport().width()
    _wait_idle(qtbot)


def test_views_are_built_in_idle_turns_and_load_when_first_shown(qtbot, home):
    """After the first paint the window builds the views not shown yet, one per idle turn; they load
    nothing until shown, a first visit uses the built view, and country groups reach them."""
    from briefing.core.settings import Settings

    w = MainWindow(home, auto_sync=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.warmed_up, timeout=30_000)
    assert list(w.views) == ["overview"]
    assert set(w._built) == set(VIEW_NAMES) - {"overview"}
    adoption, _frame = w._built["adoption"]
    assert adoption.data is None and not adoption.isVisible()  # built, not loaded
    settings = Settings.load(home.settings_path)
    settings.country_groups = {"Allies": ["US", "GB"]}
    settings.save(home.settings_path)
    w.apply_country_groups()
    assert "Allies" in [g.name for g in w._built["policy"][0].jurisdiction_filter.groups]
    with qtbot.waitSignal(adoption.loaded, timeout=10_000):
        shown = w.switch_to("adoption")
    assert shown is adoption and w.views["adoption"] is adoption and "adoption" not in w._built
    assert adoption.isVisible() and adoption.data is not None and adoption.table_model.rowCount() > 0
    assert "Allies" in [g.name for g in adoption.country_filter.groups]
    _wait_idle(qtbot)
