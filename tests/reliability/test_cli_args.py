"""Every CLI argument: empty --home, the group --home and $BRIEFING_HOME for every command, NaN,
infinities and huge numbers, /dev/zero as a key file (red-team C06, C33-C36, C39b, C75, L6, L7)."""

from __future__ import annotations

import os
import time

import pytest

from briefing.core import feed_publish
from tests.reliability.conftest import cli, cli_child, error_lines


def _commands(tmp_path):
    fifo = tmp_path / "fifo"
    if not fifo.exists():
        os.mkfifo(fifo)  # drawing commands stop at the refused output, after the home is opened, before Qt
    keys = tmp_path / "keys"
    if not keys.exists():
        feed_publish.keygen(keys)
    return {
        "info": ["info"],
        "verify": ["verify"],
        "restore": ["restore", "--list"],
        "sync": ["sync", "--feed", "http://127.0.0.1:9/feed.json"],
        "table": ["export", "table", "--kind", "sources", "--format", "csv", "--out", tmp_path / "t.csv"],
        "onepager": ["export", "onepager", "--topic", "overview", "--out", fifo],
        "chart": ["export", "chart", "--chart", "policy-timeline", "--format", "svg", "--out", fifo],
        "screenshot": ["screenshot", "--view", "overview", "--out", fifo],
        "feed-build": [
            "feed",
            "build",
            "--out",
            tmp_path / "site",
            "--secret-key",
            keys / "briefing.key",
            "--version",
            "2",
        ],
    }


COMMANDS = ["info", "verify", "restore", "sync", "table", "onepager", "chart", "screenshot", "feed-build"]


@pytest.mark.parametrize("how", ["group", "command", "env"])
@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_uses_the_home_it_is_given(tmp_path, monkeypatch, fixture_snapshot, name, how):
    from briefing import paths

    monkeypatch.setattr(paths, "bundled_snapshot", lambda: fixture_snapshot)  # a small seed, same code path
    monkeypatch.delenv("BRIEFING_HOME")
    target = tmp_path / f"home-{how}"
    args = _commands(tmp_path)[name]
    if how == "group":
        r = cli("--home", target, *args)
    elif how == "command":
        r = cli(*args, "--home", target)
    else:
        r = cli(*args, env={"BRIEFING_HOME": str(target)})
    assert "Traceback" not in r.output
    assert target.is_dir(), r.output
    if name != "restore":  # restore never opens (or seeds) the data file
        assert (target / "briefing.sqlite").exists(), r.output
    if name == "info":
        assert f"home           {target}" in r.stdout


def test_the_command_home_wins_over_the_group_and_the_environment(tmp_path, fixture_snapshot, monkeypatch):
    from briefing import paths

    monkeypatch.setattr(paths, "bundled_snapshot", lambda: fixture_snapshot)
    r = cli(
        "--home", tmp_path / "group", "info", "--home", tmp_path / "mine", env={"BRIEFING_HOME": str(tmp_path / "env")}
    )
    assert f"home           {tmp_path / 'mine'}" in r.stdout
    r = cli("--home", tmp_path / "group", "info", env={"BRIEFING_HOME": str(tmp_path / "env")})
    assert f"home           {tmp_path / 'group'}" in r.stdout


@pytest.mark.parametrize("args", [["--home", "", "info"], ["info", "--home", ""], ["info", "--home", "  "]])
def test_an_empty_home_is_a_usage_error(args, tmp_path):  # C06
    r = cli(*args)
    assert r.exit_code == 2 and "must not be empty" in r.stderr


@pytest.mark.parametrize(
    "option, value",
    [
        ("--expires-days", "nan"),
        ("--expires-days", "inf"),
        ("--expires-days", "-inf"),
        ("--expires-days", "1e308"),
        ("--expires-days", "0"),
        ("--expires-days", "36501"),
        ("--version", str(10**30)),
        ("--version", str(2**63)),
        ("--version", "0"),
        ("--version", "nan"),
    ],
)
def test_feed_build_numbers_out_of_range_are_usage_errors(home, tmp_path, option, value):  # C33-C36
    feed_publish.keygen(tmp_path / "keys")
    args = {"--version": "2", "--expires-days": "30", option: value}
    r = cli(
        "feed",
        "build",
        "--home",
        home.dir,
        "--out",
        tmp_path / "site",
        "--secret-key",
        tmp_path / "keys" / "briefing.key",
        *[x for kv in args.items() for x in kv],
    )
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert not (tmp_path / "site" / "feed.json").exists()


def test_feed_build_accepts_the_largest_version_a_reader_accepts(home, tmp_path):
    feed_publish.keygen(tmp_path / "keys")
    r = cli(
        "feed",
        "build",
        "--home",
        home.dir,
        "--out",
        tmp_path / "site",
        "--secret-key",
        tmp_path / "keys" / "briefing.key",
        "--version",
        str(2**63 - 1),
    )
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(
    "args",
    [
        ["feed", "build", "--out", "{tmp}/site", "--version", "2", "--secret-key", "/dev/zero"],
        ["sync", "--feed", "http://127.0.0.1:9/feed.json", "--trust-key", "/dev/zero"],
        ["sync", "--feed", "http://127.0.0.1:9/feed.json", "--trust-key", "{tmp}/big.pub"],
    ],
)
def test_a_key_file_that_never_ends_is_one_line_not_a_hang(home, tmp_path, args):  # C39b
    (tmp_path / "big.pub").write_bytes(b"untrusted comment: x\n" + b"A" * 10_000_000)
    start = time.monotonic()
    r = cli(*[a.replace("{tmp}", str(tmp_path)) for a in args], "--home", home.dir)
    assert time.monotonic() - start < 10
    lines = [ln for ln in error_lines(r.stderr) if not ln.startswith("sync ")]  # click's progress label
    assert r.exit_code == 1 and len(lines) == 1 and "not a minisign key file" in lines[0]


def test_a_failing_screenshot_prints_exactly_one_line(home):  # C75
    r = cli_child("screenshot", "--view", "overview", "--out", "/proc/x.png", "--home", home.dir)
    assert r.returncode == 1 and error_lines(r.stderr) == ["error: cannot write /proc/x.png: No such file or directory"]


def test_a_working_screenshot_prints_nothing_on_stderr(home, tmp_path):
    r = cli_child("screenshot", "--view", "overview", "--out", tmp_path / "o.png", "--home", home.dir)
    assert r.returncode == 0 and r.stderr == "" and (tmp_path / "o.png").stat().st_size > 1000


def test_a_hand_edited_settings_file_with_odd_values_keeps_the_defaults(home):  # F36, F37
    from briefing.core.settings import Settings

    home.settings_path.write_text(
        '{"feed_url": 5, "trusted_key_files": "/", "sync_interval_hours": NaN,'
        ' "auto_sync": "yes", "stale_after_days": 1e999, "extra": 1}'
    )
    assert Settings.load(home.settings_path) == Settings()
    home.settings_path.write_text('{"trusted_key_files": [123], "sync_interval_hours": 6}')
    assert Settings.load(home.settings_path) == Settings(sync_interval_hours=6)
    r = cli("sync", "--feed", "http://127.0.0.1:9/feed.json", "--home", home.dir)
    assert (
        r.exit_code == 1
        and "Traceback" not in r.output
        and error_lines(r.stderr)[-1].startswith("error: feed: offline")
    )
