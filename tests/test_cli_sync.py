"""`briefing sync`, `briefing feed keygen|build`, `briefing restore` through click's runner."""

from __future__ import annotations

from click.testing import CliRunner

from briefing.cli import cli
from tests.feedkit import fingerprint


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_keygen_build_sync_restore(home, tmp_path, httpserver):
    keys, site = tmp_path / "keys", tmp_path / "site"
    r = invoke("feed", "keygen", "--out", str(keys))
    assert r.exit_code == 0 and "briefing.pub" in r.output
    r = invoke(
        "feed",
        "build",
        "--out",
        str(site),
        "--secret-key",
        str(keys / "briefing.key"),
        "--version",
        "2",
        "--home",
        str(home.dir),
    )
    assert r.exit_code == 0, r.output
    httpserver.expect_request("/feed.json").respond_with_data((site / "feed.json").read_bytes())
    httpserver.expect_request("/feed.json.minisig").respond_with_data((site / "feed.json.minisig").read_bytes())
    r = invoke(
        "sync",
        "--home",
        str(home.dir),
        "--feed",
        httpserver.url_for("/feed.json"),
        "--trust-key",
        str(keys / "briefing.pub"),
    )
    assert r.exit_code == 0, r.output
    assert "feed v2 applied" in r.output
    r = invoke("restore", "--list", "--home", str(home.dir))
    assert r.exit_code == 0 and r.output.startswith("1  briefing-")
    r = invoke("restore", "--generation", "1", "--home", str(home.dir))
    assert r.exit_code == 0 and "restored generation 1" in r.output


def test_sync_failure_is_one_line_and_exit_1(home, httpserver, tmp_path):
    httpserver.expect_request("/feed.json").respond_with_data("nope", status=404)
    pub = tmp_path / "k.pub"
    from briefing.core import minisign

    pub.write_text(minisign.keygen().public().to_text())
    before = fingerprint(home.data_path)
    r = CliRunner().invoke(
        cli, ["sync", "--home", str(home.dir), "--feed", httpserver.url_for("/feed.json"), "--trust-key", str(pub)]
    )
    assert r.exit_code == 1
    errors = [ln for ln in r.output.splitlines() if ln.startswith("error:")]
    assert errors == [f"error: feed: feed unavailable (HTTP 404) at {httpserver.url_for('/feed.json')}"]
    assert "Traceback" not in r.output
    assert fingerprint(home.data_path) == before


def test_help_has_examples():
    for args in (["sync"], ["feed"], ["feed", "keygen"], ["feed", "build"], ["restore"]):
        r = invoke(*args, "--help")
        assert r.exit_code == 0 and "Example:" in r.output
