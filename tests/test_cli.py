"""The foundation's commands through click's CliRunner: info, verify, gui without a display."""

from __future__ import annotations

import json

from click.testing import CliRunner

from briefing.cli import cli
from briefing.core.records import KINDS


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_info_json_has_stable_keys(home):
    result = invoke("info", "--json", "--home", str(home.dir))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"counts", "snapshot_version", "data_as_of", "last_sync", "notes"} <= data.keys()
    assert set(data["counts"]) == set(KINDS)
    assert data["counts"]["model"] == 3 and data["snapshot_version"] == 1
    assert data["notes"] == 0 and data["last_sync"] is None


def test_info_text(home):
    result = invoke("info", "--home", str(home.dir))
    assert result.exit_code == 0
    assert "policy_action" in result.output and "data as of 2025-08-31" in result.output


def test_info_on_a_fresh_home_seeds_the_bundled_snapshot(tmp_path):
    result = invoke("info", "--json", "--home", str(tmp_path / "fresh"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fresh" / "briefing.sqlite").exists()


def test_verify_ok_and_problems(home):
    assert invoke("verify", "--home", str(home.dir)).exit_code == 0
    with home.store(readonly=False) as store:
        store.db.execute("PRAGMA foreign_keys = OFF")
        store.db.execute("DELETE FROM model_source WHERE record_id = 'deepseek-r1'")
    result = CliRunner().invoke(cli, ["verify", "--home", str(home.dir)])
    assert result.exit_code == 1
    assert "unsourced: model 'deepseek-r1'" in result.output
    assert "error: 1 problem(s) found" in result.output
    assert "Traceback" not in result.output


def test_verify_a_related_list_that_is_not_json_is_one_line(home):
    """`related` is checked in SQL (json_each): a damaged list is the file's damage, said in one
    line (reading it into Python raised a JSONDecodeError traceback)."""
    with home.store(readonly=False) as store:
        store.db.execute("UPDATE policy_action SET related = '[not json'")
    result = CliRunner().invoke(cli, ["verify", "--home", str(home.dir)])
    assert result.exit_code == 1
    assert "damaged (malformed JSON)" in result.output and "Traceback" not in result.output


def test_bad_home_is_one_line_error(tmp_path):
    blocker = tmp_path / "f"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["info", "--home", str(blocker / "h")])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: cannot create home")
    assert len(result.output.strip().splitlines()) == 1


def test_corrupt_database_is_one_line_error(tmp_path):
    home = tmp_path / "h"
    home.mkdir()
    (home / "briefing.sqlite").write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(cli, ["info", "--home", str(home)])
    assert result.exit_code == 1 and result.output.startswith("error: ")
    assert "Traceback" not in result.output


def test_usage_error_exits_2():
    assert CliRunner().invoke(cli, ["info", "--no-such-flag"]).exit_code == 2


def test_gui_without_display_says_so(tmp_path):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    result = CliRunner().invoke(cli, ["gui", "--home", str(tmp_path / "h")], env=env)
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == "error: no display available (set DISPLAY, or QT_QPA_PLATFORM=offscreen for a headless run)"
    )
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "h")], env=env)
    assert result.exit_code == 1 and "no display" in result.output


def test_gui_names_a_missing_x11_library(tmp_path, monkeypatch):
    import ctypes.util

    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    env = {"DISPLAY": ":99", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    result = CliRunner().invoke(cli, ["gui", "--home", str(tmp_path / "h")], env=env)
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: Qt's X11 support needs the system library libxcb-cursor0")
