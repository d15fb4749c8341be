"""The app as a staffer uses it (issue 10), with real mouse and key events on real widgets:
overlapping markers, a point's sources, multi-select, the filtering key, saved views and links,
search ranking, Tab order, the theme, small screens, names instead of codes, the combined timeline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTableView

from briefing.core import names, view_links
from briefing.core.errors import BriefingError
from briefing.core.records import RecordRef, validate
from briefing.core.settings import Settings
from briefing.ui import plain, tasks
from briefing.ui.main_window import MainWindow

SRC = ["fr-2025-00636"]


def _action(id_, jurisdiction, date, *, instrument="legislation", stance="supportive", title="An act"):
    return validate(
        "policy_action",
        {
            "id": id_,
            "jurisdiction": jurisdiction,
            "body": "A body",
            "title": title,
            "instrument": instrument,
            "stage": "enacted",
            "date": date,
            "stance_on_open_models": stance,
            "summary": "s",
            "sources": SRC,
        },
    )


def _money(id_, country, usd, date):
    return validate(
        "investment",
        {
            "id": id_,
            "country": country,
            "actor": "Gov",
            "title": f"Fund {id_}",
            "amount": usd,
            "currency": "USD",
            "amount_usd": usd,
            "announced_on": date,
            "category": "compute",
            "status": "committed",
            "sources": ["brussels-signal-macron"],
            "scope": "ai",
            "confirmation": "official",
            "kind": "public_budget",
        },
    )


@pytest.fixture
def rich_home(home):
    with home.store(readonly=False) as store:
        store.put_records(
            "policy_action",
            [
                # the same day in the same lane as the AI Diffusion rule: the review's wrong-record click
                _action(
                    "us-entity-list",
                    "US",
                    "2025-01-15",
                    instrument="export_control",
                    stance="neutral",
                    title="Addition of Entities to the Entity List",
                ),
                _action(
                    "cn-genai",
                    "CN",
                    "2023-07-10",
                    instrument="regulation",
                    stance="mixed",
                    title="Generative AI measures",
                ),
                _action("eu-ai-act", "EU", "2024-03-13", stance="mixed", title="AI Act"),
                _action("de-plan", "DE", "2024-05-01", instrument="guidance", title="German AI plan"),
                _action("us-enforce", "US", "2024-05-08", stance="restrictive", title="ENFORCE Act"),
            ],
            origin="local",
        )
        store.put_records(
            "investment",
            [
                _money("us-stargate", "US", 500e9, "2025-01-21"),
                _money("sa-project", "SA", 100e9, "2024-11-07"),
            ],
            origin="local",
        )
    return home


@pytest.fixture
def window(qtbot, rich_home):
    w = MainWindow(rich_home, auto_sync=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    qtbot.waitUntil(lambda: not tasks.active_tasks(), timeout=20_000)


def _open(qtbot, window, name):
    view = window.switch_to(name)
    if hasattr(view, "loaded") and not view._has_data():
        qtbot.waitSignal(view.loaded, timeout=20_000).wait()
    qtbot.waitUntil(lambda: not tasks.active_tasks(), timeout=20_000)
    qtbot.wait(30)
    return view


def _viewport_pos(chart, x, y, box=None):
    scene = (box or chart.plotItem.vb).mapViewToScene(QPointF(x, y))
    p = chart.mapFromScene(scene)
    return QPoint(p.x(), p.y())


def _click_data(qtbot, chart, x, y, box=None):
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=_viewport_pos(chart, x, y, box))


def _click_action(qtbot, menu, action):
    qtbot.waitUntil(menu.isVisible, timeout=3_000)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def _click_key(qtbot, chart, key):
    entry = chart.legend.entry_for_key(key)
    scene = entry.mapToScene(entry.boundingRect().center())
    p = chart.mapFromScene(scene)
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(p.x(), p.y()))


def _table_ids(view):
    proxy = view.table.model()
    return sorted(view.table_model.ref_at(proxy.mapToSource(proxy.index(r, 1))).id for r in range(proxy.rowCount()))


# -- 1. charts ---------------------------------------------------------------------------------------
def test_overlapping_markers_offer_a_pick_list_and_open_the_one_chosen(qtbot, window):
    view = _open(qtbot, window, "policy")
    chart = view.chart
    chart.setFixedHeight(260)  # lanes close together: the two same-day US markers overlap
    qtbot.wait(50)
    a, b = chart.position_of("us-bis-2025-ai-diffusion"), chart.position_of("us-entity-list")
    assert a[0] == b[0] and a[1] != b[1]  # stacked apart within the lane, never drawn on top
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    assert set(chart.ids_at(*mid)) == {"us-bis-2025-ai-diffusion", "us-entity-list"}
    _click_data(qtbot, chart, *mid)
    menu = view.timeline.pick_menu
    qtbot.waitUntil(lambda: menu is not None and menu.isVisible(), timeout=3_000)
    choices = {a.data(): a for a in menu.actions() if a.data()}
    assert set(choices) == {"us-bis-2025-ai-diffusion", "us-entity-list"}
    assert "Framework for Artificial Intelligence Diffusion" in choices["us-bis-2025-ai-diffusion"].text()
    _click_action(qtbot, menu, choices["us-bis-2025-ai-diffusion"])
    assert view.detail.current().id == "us-bis-2025-ai-diffusion"  # the one chosen, never its neighbour
    assert chart.highlighted == "us-bis-2025-ai-diffusion"  # ringed on the timeline
    assert chart.ring.getData()[0][0] == a[0]


def test_a_single_marker_click_opens_it_with_its_sources_in_view(qtbot, window):
    view = _open(qtbot, window, "policy")
    _click_data(qtbot, view.chart, *view.chart.position_of("cn-genai"))
    assert view.detail.current().id == "cn-genai"
    # sources and the note are on screen without scrolling (1280x800)
    for w in (view.detail.sources_list, view.detail.note_edit):
        top_left = w.mapTo(window, QPoint(0, 0))
        assert w.isVisible() and window.rect().contains(QRect(top_left, w.size()))


def test_a_point_click_opens_its_value_method_and_sources(qtbot, window):
    view = _open(qtbot, window, "adoption")
    chart = view.chart
    x, y = chart.dots("China")
    _click_data(qtbot, chart, float(x[0]), float(y[0]))
    assert view.detail.heading.text().startswith("China: 30-day downloads, 2024-10-01")
    fields = {
        view.detail.form.itemAt(i, view.detail.form.ItemRole.LabelRole).widget().text(): view.detail.form.itemAt(
            i, view.detail.form.ItemRole.FieldRole
        )
        .widget()
        .text()
        for i in range(view.detail.form.rowCount())
    }
    assert fields["Value"].startswith("300")
    assert "Forecast study" in fields["Reading"] and fields["Method"] != "—"
    assert view.detail.sources_list.count() >= 1
    assert {r["subject"] for r in view.obs_model.rows()}  # the records the point sums, listed
    # the address can be copied: button and context menu
    qtbot.mouseClick(view.detail.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == view.detail.source_urls()[0]


def test_hover_tooltip_lists_every_shown_series_at_the_date(qtbot, window):
    view = _open(qtbot, window, "adoption")
    chart = view.chart
    x = chart.series("China")[0][2]
    width_before = view.width(), view.readout.sizeHint().width()
    QTest.mouseMove(chart.viewport(), _viewport_pos(chart, float(x), 10.0))
    qtbot.waitUntil(lambda: bool(chart.hover_text), timeout=3_000)
    lines = chart.hover_text.splitlines()
    assert lines[0].startswith(f"{chart.frame.index[2].date().isoformat()}")
    shown = [n for n, c in chart.curves.items() if c.isVisible() and chart.frame[n].iloc[2] == chart.frame[n].iloc[2]]
    assert {line.split(":")[0] for line in lines[1 : len(shown) + 1]} == set(shown)
    assert view.width() == width_before[0]  # nothing moved


def test_the_legend_filters_in_every_chart(qtbot, window):
    policy = _open(qtbot, window, "policy")
    _click_key(qtbot, policy.chart, "stance:restrictive")
    assert policy.stance_filter.selected() == {"restrictive"}
    assert _table_ids(policy) == ["us-enforce"]
    assert policy.chart.legend.entry_for_key("stance:mixed").dimmed
    _click_key(qtbot, policy.chart, "stance:restrictive")  # again: dropped
    assert policy.stance_filter.selected() is None
    investment = _open(qtbot, window, "investment")
    _click_key(qtbot, investment.chart, "scope:ai")
    assert investment.scope_filter.selected() == {"ai"}
    adoption = _open(qtbot, window, "adoption")
    entry = adoption.chart.legend.entry("United States")
    scene = entry.mapToScene(entry.boundingRect().center())
    p = adoption.chart.mapFromScene(scene)
    qtbot.mouseClick(adoption.chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(p.x(), p.y()))
    assert not adoption.chart.curves["United States"].isVisible()


# -- 2. filters ---------------------------------------------------------------------------------------
def test_multi_select_filters_groups_and_clear(qtbot, window):
    view = _open(qtbot, window, "policy")
    f = view.jurisdiction_filter
    qtbot.mouseClick(f, Qt.MouseButton.LeftButton)
    _click_action(qtbot, f.menu_, f.action_for("CN"))
    _click_action(qtbot, f.menu_, f.action_for("US"))  # the menu stays open: several can be ticked
    assert f.selected() == {"CN", "US"} and f.summary() == "China, United States"
    assert _table_ids(view) == ["cn-genai", "us-bis-2025-ai-diffusion", "us-enforce", "us-entity-list"]
    assert sorted(view.chart.lanes) == ["CN", "US"]
    f.menu_.hide()
    # a group ticks its members present in the data
    f.choose(None)
    f.open_menu()
    _click_action(qtbot, f.menu_, f.action_for("EU-27"))
    assert f.selected() == {"EU", "DE"} and f.summary() == "EU-27"
    f.menu_.hide()
    # the open record is marked when the filters hide it, and Clear filters brings it back
    view.show_record("policy_action", "eu-ai-act")
    view.stance_filter.choose("supportive")
    assert view.detail.is_marked_hidden()
    assert view.clear_button.isEnabled()
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert f.selected() is None and view.stance_filter.selected() is None
    assert not view.detail.is_marked_hidden() and not view.clear_button.isEnabled()
    assert len(_table_ids(view)) == 6


def test_a_filter_button_is_wide_enough_to_read_its_value(qtbot, window):
    view = _open(qtbot, window, "policy")
    view.instrument_filter.choose("export_control")
    button = view.instrument_filter
    assert button.fontMetrics().horizontalAdvance("export control") < button.width()
    assert "export control" in button.text()


# -- 3. names ------------------------------------------------------------------------------------------
def test_names_not_codes_in_every_view(qtbot, window):
    policy = _open(qtbot, window, "policy")
    ticks = [t for _v, t in policy.chart.plotItem.getAxis("left")._tickLevels[0]]
    assert "United States" in ticks and "China" in ticks and "US" not in ticks
    row = policy.table_model.row_of("policy_action", "cn-genai")
    assert policy.table_model.data(policy.table_model.index(row, 2)) == "China"
    assert policy.jurisdiction_filter.action_for("EU").text() == "European Union"
    policy.show_record("policy_action", "cn-genai")
    assert "China (CN)" in [w.text() for w in policy.detail.fields_box.findChildren(type(policy.detail.heading))]
    investment = _open(qtbot, window, "investment")
    bars = [t for _v, t in investment.chart.plotItem.getAxis("left")._tickLevels[0]]
    assert "Saudi Arabia" in bars and "France" in bars
    adoption = _open(qtbot, window, "adoption")
    assert "China" in adoption.chart.curves and "CN" not in adoption.chart.curves
    adoption.show_record("model", "qwen2.5-72b")
    texts = [w.text() for w in adoption.detail.fields_box.findChildren(type(adoption.detail.heading))]
    assert any(t.endswith("(alibaba-qwen)") and not t.startswith("alibaba") for t in texts)  # organization by name
    model = adoption.table_model
    access = [c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Access"][0]
    shown = {model.data(model.index(r, access)) for r in range(model.rowCount())}
    assert "open weights restricted" in shown and not any("_" in str(v) for v in shown)  # coded values in words


def test_user_country_groups_are_saved_and_offered_everywhere(qtbot, window, rich_home):
    dialog = window.edit_country_groups()
    qtbot.addWidget(dialog)
    dialog.new_group()
    QTest.keyClicks(dialog.name_edit, "Chips club")
    for i in range(dialog.countries.count()):
        item = dialog.countries.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in ("US", "SA"):
            rect = dialog.countries.visualItemRect(item)
            dialog.countries.scrollToItem(item)
            rect = dialog.countries.visualItemRect(item)
            item.setCheckState(Qt.CheckState.Checked) if not rect.isValid() else qtbot.mouseClick(
                dialog.countries.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y())
            )
    assert sorted(dialog.ticked()) == ["SA", "US"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert Settings.load(rich_home.settings_path).country_groups == {"Chips club": ["SA", "US"]}
    investment = _open(qtbot, window, "investment")
    assert investment.country_filter.choose_group("Chips club")
    assert sorted(investment.chart.wide.index) == ["SA", "US"]
    assert investment.country_filter.summary() == "Chips club"
    assert names.group_named("Gulf states", investment.country_filter.groups).members >= {"SA", "AE", "QA"}
    # and in the adoption chart: one line per group, the sum of its members per reading
    adoption = _open(qtbot, window, "adoption")
    qtbot.mouseClick(
        next(b for b in adoption.group_buttons.buttons() if b.property("grouping") == "group"),
        Qt.MouseButton.LeftButton,
        pos=QPoint(6, 6),
    )
    assert adoption.grouping() == "group"
    curves = adoption.chart.curves
    assert {"G7", "Chips club"} <= set(curves) and "EU-27" not in curves  # no EU country in the fixture
    import numpy as np

    us = adoption.grouped["G7"].to_numpy()
    np.testing.assert_array_equal(adoption.grouped["Chips club"].to_numpy(), us)  # only US has repos of the two
    assert "a country in two groups counts in both" in adoption.chart.caption_text()


# -- 4. saved views and links --------------------------------------------------------------------------------
def test_saved_view_round_trip_and_link(qtbot, window, rich_home):
    view = _open(qtbot, window, "policy")
    view.jurisdiction_filter.choose({"US", "CN"})
    view.stance_filter.choose("restrictive")
    view.timeline.set_layer("investment", True)
    view.show_record("policy_action", "us-enforce")
    dialog = window.ask_save_view()
    edit = dialog.findChild(QLineEdit)
    QTest.keyClicks(edit, "Restrictive US and China")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    saved = Settings.load(rich_home.settings_path).saved_views
    link = saved["Restrictive US and China"]
    assert link == (
        "policy?jurisdiction=CN,US&stance=restrictive&layers=policy,investment&record=policy_action:us-enforce"
    )
    view.clear_filters()
    view.timeline.set_layer("investment", False)
    window.switch_to("overview")
    window._fill_saved_menu()
    action = next(a for a in window.saved_menu.actions() if a.data() == "Restrictive US and China")
    action.trigger()
    assert window.current_view_name() == "policy"
    assert view.jurisdiction_filter.selected() == {"US", "CN"} and view.stance_filter.selected() == {"restrictive"}
    assert view.timeline.layers() == ("policy", "investment") and view.detail.current().id == "us-enforce"
    # the link on the clipboard is what `briefing gui --view` opens
    copied = window.copy_view_link()
    assert QGuiApplication.clipboard().text() == copied == link
    assert view_links.resolve(copied, ("overview", "policy"), {}).state["stance"] == ["restrictive"]
    # a saved view's name works as well, a bad link is one line
    window.switch_to("sources")
    window.open_link("Restrictive US and China")
    assert window.current_view_name() == "policy"
    with pytest.raises(BriefingError, match="unknown view 'nowhere'"):
        window.open_link("nowhere?x=1")


def test_gui_view_option_refuses_a_bad_link_in_one_line(tmp_path):
    from click.testing import CliRunner

    from briefing.cli import cli

    result = CliRunner().invoke(cli, ["gui", "--home", str(tmp_path / "h"), "--view", "policy?not a link"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: --view: a view link has no spaces or control characters (copy it again)"
    ]


def test_adoption_view_state_keeps_measure_grouping_range_and_scale(qtbot, window):
    view = _open(qtbot, window, "adoption")
    view.set_grouping("family")
    view.log_box.setChecked(True)
    view.set_date_range("2024-11-01", "2025-03-01")
    link = window.current_link()
    assert "group=family" in link and "scale=log" in link and "from=2024-11-01" in link
    view.set_grouping("country")
    view.log_box.setChecked(False)
    view.reset_view()
    window.open_link(link)
    assert view.grouping() == "family" and view.log_box.isChecked()
    assert view.date_range()[0] == view.date_range()[0].floor("D") and str(view.date_range()[0].date()) == "2024-11-01"


# -- 5. detail pane: no browser --------------------------------------------------------------------------------
def test_no_browser_says_so_and_copies_the_address(qtbot, window, monkeypatch):
    monkeypatch.setattr(plain.QDesktopServices, "openUrl", lambda url: False)  # nothing could be started
    view = _open(qtbot, window, "policy")
    view.show_record("policy_action", "us-bis-2025-ai-diffusion")
    qtbot.mouseClick(view.detail.open_source_button, Qt.MouseButton.LeftButton)
    assert view.detail.link_status.text().startswith("No web browser could be started: the address is copied")
    assert QGuiApplication.clipboard().text() == view.detail.source_urls()[0]
    # the context menu copies too
    QGuiApplication.clipboard().setText("")
    item = view.detail.sources_list.item(0)
    pos = view.detail.sources_list.visualItemRect(item).center()
    view.detail._source_menu(pos)
    menu = view.detail.source_menu
    _click_action(qtbot, menu, next(a for a in menu.actions() if a.text() == "Copy address"))
    assert QGuiApplication.clipboard().text() == view.detail.source_urls()[0]


# -- 6. search --------------------------------------------------------------------------------------------
def test_search_ranks_records_above_sources_and_whole_words_first(qtbot, window):
    window.open_search()
    dialog = window._search
    QTest.keyClicks(dialog.box, "diffusion rule")
    results = dialog.run_search()
    assert any(h["id"] == "us-bis-2025-ai-diffusion" for h in results)  # the rule itself
    kinds = [h["kind"] for h in results]
    assert kinds.index("source") > kinds.index("policy_action") if "source" in kinds else True
    top = dialog.results.item(0).text()
    assert top.startswith("Policy action · 2025-01-15 · United States: ")  # kind, date, jurisdiction
    dialog.box.clear()
    QTest.keyClicks(dialog.box, "ENFORCE")
    results = dialog.run_search()
    assert results[0]["id"] == "us-enforce"
    QTest.keyClick(dialog.box, Qt.Key.Key_Return)
    assert window.current_view_name() == "policy"
    qtbot.waitUntil(lambda: window.views["policy"].detail.current() is not None, timeout=10_000)
    assert window.views["policy"].detail.current().id == "us-enforce"


# -- 8. every screen -------------------------------------------------------------------------------------------
def test_tab_moves_between_panes_and_never_types_a_tab(qtbot, window):
    view = _open(qtbot, window, "policy")
    view.show_record("policy_action", "cn-genai")
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Tab)
    assert not isinstance(QApplication.focusWidget(), QTableView)  # Tab leaves the table at once
    view.detail.note_edit.setFocus()
    QTest.keyClicks(view.detail.note_edit, "keyboard note")
    QTest.keyClick(view.detail.note_edit, Qt.Key.Key_Tab)
    assert view.detail.note_edit.toPlainText() == "keyboard note"
    assert not isinstance(QApplication.focusWidget(), QPlainTextEdit)
    # the Overview's Tab order follows what is seen: the changes, the timeline's layers, then the cards
    overview = _open(qtbot, window, "overview")
    overview.changes.setFocus() if overview.changes.isVisible() else overview.timeline.layer_boxes["policy"].setFocus()
    seen = []
    for _ in range(12):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    cards = [seen.index(c) for c in overview.cards if c in seen]
    adoption_box, chart = overview.timeline.layer_boxes["adoption"], overview.timeline.chart
    assert seen.index(adoption_box) < seen.index(chart) < min(cards)  # left to right: layers, chart, cards
    assert cards == sorted(cards)  # the cards in reading order


def test_charts_zoom_pan_and_read_values_from_the_keyboard(qtbot, window):
    view = _open(qtbot, window, "policy")
    chart = view.chart
    chart.setFocus()
    lo, hi = chart.plotItem.vb.viewRange()[0]
    QTest.keyClick(chart, Qt.Key.Key_Plus)
    lo2, hi2 = chart.plotItem.vb.viewRange()[0]
    assert hi2 - lo2 < hi - lo
    QTest.keyClick(chart, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert chart.plotItem.vb.viewRange()[0][0] > lo2
    with qtbot.waitSignal(chart.sigReadout) as readout:
        QTest.keyClick(chart, Qt.Key.Key_Right)
    assert readout.args[0].startswith("Generative AI measures")  # the first marker by date
    QTest.keyClick(chart, Qt.Key.Key_Return)
    assert view.detail.current().id == "cn-genai"
    QTest.keyClick(chart, Qt.Key.Key_Home)
    adoption = _open(qtbot, window, "adoption")
    adoption.chart.setFocus()
    with qtbot.waitSignal(adoption.chart.sigReadout) as readout:
        QTest.keyClick(adoption.chart, Qt.Key.Key_Right)
    assert readout.args[0].splitlines()[1].startswith(("China", "United States", "Unattributed"))


def test_theme_switch_recolours_a_live_chart(qtbot, window):
    view = _open(qtbot, window, "policy")
    chart = view.chart
    assert not chart.dark
    pen_before = chart.points.opts["pen"].color().name()
    window.theme_actions["dark"].trigger()  # View > Theme > Dark
    assert chart.dark and chart.backgroundBrush().color().lightness() < 100
    assert chart.points.opts["pen"].color().name() != pen_before  # markers outlined for the dark background
    assert chart.legend.text_colour == "#DDDDDD"
    qtbot.wait(20)  # Qt hands the new palette to the widgets from the event loop
    assert view.table.palette().base().color().lightness() < 100  # the widgets around it too
    assert window.nav.palette().base().color().lightness() < 100
    window.theme_actions["light"].trigger()
    assert not chart.dark and chart.backgroundBrush().color().name() == "#ffffff"
    window.set_theme("system")


def test_the_first_window_fits_a_small_screen(qtbot, rich_home):
    w = MainWindow(rich_home, auto_sync=False)
    qtbot.addWidget(w)
    screen = w.screen().availableGeometry()
    assert w.width() <= screen.width() and w.height() <= screen.height()
    w.resize(1280, 820)
    w.fit_to_screen(QRect(0, 0, 800, 500))  # QT_SCALE_FACTOR=2 on 1600x1000: 800x500 logical pixels
    assert w.frameGeometry().width() <= 800 and w.frameGeometry().height() <= 500


def test_nothing_clips_at_1024x700(qtbot, window):
    window.resize(1024, 700)
    for name in ("overview", "adoption", "investment", "policy", "sources"):
        view = _open(qtbot, window, name)
        holder = window.stack.currentWidget()
        qtbot.wait(30)
        assert holder.horizontalScrollBar().maximum() == 0, name  # toolbars wrap, nothing runs off the right
        for button in [view.exports] if hasattr(view, "exports") else []:
            right = button.mapTo(window, QPoint(button.width(), 0)).x()
            assert right <= window.width(), name
    overview = window.views["overview"]
    assert overview.cards_box.columns <= 2  # cards reflow on a small screen


# -- 10. one timeline --------------------------------------------------------------------------------------------
def test_the_combined_timeline_has_three_layers_each_clickable(qtbot, window):
    view = _open(qtbot, window, "policy")
    box = view.timeline
    with qtbot.waitSignal(box.layer_loaded, timeout=10_000):
        qtbot.mouseClick(box.layer_boxes["investment"], Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    chart = view.chart
    assert chart.layer_on("investment") and "Investment commitments" in [
        t for _v, t in chart.plotItem.getAxis("left")._tickLevels[0]
    ]
    sizes = dict(zip(chart.money.data["data"], chart.money.data["size"]))
    assert sizes["us-stargate"] > sizes["sa-project"] > 0  # sized by USD
    _click_data(qtbot, chart, *chart.position_of("sa-project"))
    assert view.detail.current() == RecordRef("investment", "sa-project")
    with qtbot.waitSignal(box.layer_loaded, timeout=10_000):
        qtbot.mouseClick(box.layer_boxes["adoption"], Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert chart.layer_on("adoption") and len(chart.overlay_curves) == 2
    x, y = chart.reading_position(0)
    _click_data(qtbot, chart, x, y, box=chart.overlay_box)
    assert view.detail.heading.text().startswith("Download share by developer country, ")
    assert view.detail.sources_list.count() >= 1
    # and the policy layer still opens its actions; each layer switches off
    _click_data(qtbot, chart, *chart.position_of("eu-ai-act"))
    assert view.detail.current().id == "eu-ai-act"
    qtbot.mouseClick(box.layer_boxes["investment"], Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert not chart.layer_on("investment") and len(chart.money.data) == 0


def test_the_overview_uses_the_combined_timeline(qtbot, window):
    overview = _open(qtbot, window, "overview")
    qtbot.waitUntil(
        lambda: len(overview.timeline.chart.overlay_curves) == 2 and overview.timeline.money is not None, timeout=20_000
    )
    chart = overview.timeline.chart
    assert overview.tabs.currentWidget() is overview.timeline_page and overview.timeline.isVisible()
    assert all(chart.layer_on(n) for n in ("policy", "investment", "adoption"))
    _click_data(qtbot, chart, *chart.position_of("us-stargate"))
    menu = overview.timeline.pick_menu  # Stargate's large circle covers France's 19 days later: a pick list
    if menu is not None and menu.isVisible():
        _click_action(qtbot, menu, next(a for a in menu.actions() if a.data() == "us-stargate"))
    assert overview.detail.current() == RecordRef("investment", "us-stargate")
    assert overview.side.currentWidget() is overview.detail_box
    with qtbot.waitSignal(overview.record_requested) as asked:
        qtbot.mouseClick(overview.open_in_view, Qt.MouseButton.LeftButton)
    assert asked.args == ["investment", "us-stargate"]
    assert window.current_view_name() == "investment"


# -- 9. Help > Methods and definitions ---------------------------------------------------------------------
def test_methods_come_from_the_documentation_and_can_be_searched(qtbot, window):
    from briefing import paths
    from briefing.ui.methods import methods_text

    assert methods_text() == paths.METHODS_FILE.read_text(encoding="utf-8")
    dialog = window.show_methods()
    qtbot.addWidget(dialog)
    QTest.keyClicks(dialog.find_box, "EU-27")
    QTest.keyClick(dialog.find_box, Qt.Key.Key_Return)
    assert dialog.browser.textCursor().selectedText() == "EU-27"
    text = dialog.browser.toPlainText()
    assert "Names and country groups" in text and "The timeline across policy, money and adoption" in text
