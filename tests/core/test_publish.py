"""`briefing publish` end to end: publish twice from the fixture records, serve the site folder from
127.0.0.1 with a plain static file server, and a reader syncs version 1, then version 2."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Response

from briefing.cli import cli
from briefing.core import minisign
from briefing.core import sync as syncmod
from briefing.core.feed_publish import keygen
from briefing.core.home import Home
from briefing.core.publish import PublishError, publish, read_changelog
from briefing.core.store import Store
from tests.conftest import FIXTURE_RECORDS
from tests.feedkit import FAST, NOW

HOSTILE = "<script>alert('x')</script> & \"quoted\""


@pytest.fixture
def static_site(tmp_path):
    """A static file server on 127.0.0.1 for a site folder (what GitHub Pages or nginx would be)."""
    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def publisher(tmp_path, fixture_snapshot):
    keys = tmp_path / "keys"
    keygen(keys)
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    home = Home.open(tmp_path / "publisher", bundled=fixture_snapshot)
    return home, records, keys / "briefing.key", keys / "briefing.pub"


def _later(site: Path) -> None:
    """Publications are hours apart; the static server's Last-Modified has one-second steps."""
    for path in site.iterdir():
        stat = path.stat()
        os.utime(path, (stat.st_atime + 60, stat.st_mtime + 60))


def _edit(records: Path, kind: str, edit) -> None:
    path = records / f"{kind}.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    rows = edit(rows)
    path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows))


def _hub(httpserver):
    model = {
        "id": "Qwen/Qwen2.5-7B",
        "modelId": "Qwen/Qwen2.5-7B",
        "downloads": 1234,
        "downloadsAllTime": 56789,
        "likes": 42,
        "tags": [],
        "createdAt": "2024-09-16T00:00:00.000Z",
    }

    def models(request):
        body = [model] if request.args.get("author") == "Qwen" else []
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/hub/api/models").respond_with_handler(models)
    httpserver.expect_request("/hub/api/models/Qwen/Qwen2.5-7B").respond_with_json(
        {"id": "Qwen/Qwen2.5-7B", "childrenModelCount": 3}
    )
    httpserver.expect_request("/fr/documents.json").respond_with_json({"count": 0, "results": []})
    return {"huggingface": httpserver.url_for("/hub"), "federal_register": httpserver.url_for("/fr")}


def test_publish_serve_sync_twice(publisher, static_site, tmp_path, fixture_snapshot, httpserver):
    home, records, key, pub = publisher
    site, base = static_site

    # Version 1: offline, the curated records as they are.
    first = publish(
        home,
        site,
        secret_key=key,
        records_dir=records,
        offline=True,
        base_url=base + "/",
        now=NOW - dt.timedelta(hours=2),
        bundled=fixture_snapshot,
    )
    assert first.version == 1 and first.errors == []
    assert {p.name for p in site.iterdir()} == {
        "feed.json",
        "feed.json.minisig",
        "changelog.json",
        "index.html",
        "briefing.pub",
    }
    assert first.baseline.startswith("the bundled snapshot")
    assert first.result.added == first.result.changed == first.result.removed == {}  # same records as the snapshot

    reader = Home.open(tmp_path / "reader", bundled=fixture_snapshot)
    got = syncmod.sync(reader, feed_url=f"{base}/feed.json", trust_keys=[str(pub)], pinned=False, config=FAST, now=NOW)
    assert (got.outcome, got.version) == ("applied", 1)

    # The curators change one record, withdraw one and add one with hostile text; the public sources answer.
    _edit(records, "investment", lambda rows: [{**rows[0], "status": "disbursing"}] + rows[1:])
    _edit(records, "consideration", lambda rows: [])
    _edit(records, "policy_action", lambda rows: rows + [{**rows[0], "id": "us-test-hostile", "title": HOSTILE}])
    second = publish(
        home,
        site,
        secret_key=key,
        records_dir=records,
        endpoints=_hub(httpserver),
        base_url=base + "/",
        now=NOW - dt.timedelta(hours=1),
        config=FAST,
        bundled=fixture_snapshot,
    )
    assert second.version == 2 and second.errors == [] and second.baseline == "feed v1"
    assert second.result.changed == {"investment": 1}
    assert second.result.removed.get("consideration", 0) >= 1
    assert second.result.added["policy_action"] == 1 and second.result.added["adoption"] >= 1  # pulled from the Hub

    _later(site)
    got = syncmod.sync(reader, feed_url=f"{base}/feed.json", trust_keys=[str(pub)], pinned=False, config=FAST, now=NOW)
    assert (got.outcome, got.version) == ("applied", 2)
    # The changelog is the very diff the reader's "What changed" shows.
    entry = read_changelog(site)[0]
    assert entry["version"] == 2
    assert (entry["added"], entry["changed"], entry["removed"]) == (got.added, got.changed, got.removed)
    assert sorted(json.dumps(c, sort_keys=True) for c in entry["changes"]) == sorted(
        json.dumps(c, sort_keys=True) for c in got.changes
    )
    with Store(reader.data_path, readonly=True) as s:
        assert s.record("policy_action", "us-test-hostile")["title"] == HOSTILE
        assert s.meta()["feed_version"] == "2"

    page = (site / "index.html").read_text()
    assert page.index("Version 2") < page.index("Version 1")
    assert "<script>" not in page and "&lt;script&gt;alert(" in page
    assert "disbursing" in page and "Changes since feed v1" in page
    assert [e["version"] for e in read_changelog(site)] == [2, 1]

    # Nothing new: a third run re-signs (a new version, a later expiry) with no change.
    third = publish(home, site, secret_key=key, records_dir=records, offline=True, now=NOW, bundled=fixture_snapshot)
    assert third.version == 3 and (third.result.added, third.result.changed, third.result.removed) == ({}, {}, {})


def test_a_fresh_publisher_home_starts_from_the_last_publication(
    publisher, static_site, tmp_path, fixture_snapshot, httpserver
):
    """A CI runner has no home: it restores the live feed, so pulled records stay and the version goes on."""
    home, records, key, pub = publisher
    site, base = static_site
    publish(
        home,
        site,
        secret_key=key,
        records_dir=records,
        endpoints=_hub(httpserver),
        config=FAST,
        now=NOW - dt.timedelta(hours=1),
        bundled=fixture_snapshot,
    )
    with Store(home.data_path, readonly=True) as s:
        pulled = s.ids("adoption", origins=("huggingface",))
    assert pulled
    fresh = Home.open(tmp_path / "fresh-runner", bundled=fixture_snapshot)
    again = publish(fresh, site, secret_key=key, records_dir=records, offline=True, now=NOW, bundled=fixture_snapshot)
    assert again.version == 2
    assert again.result.removed == {}, "records pulled by an earlier run are not withdrawn"
    with Store(fresh.data_path, readonly=True) as s:
        assert s.ids("adoption", origins=("huggingface",)) == pulled


def test_a_tampered_last_publication_stops_the_run(publisher, static_site, fixture_snapshot):
    home, records, key, pub = publisher
    site, _ = static_site
    publish(home, site, secret_key=key, records_dir=records, offline=True, now=NOW, bundled=fixture_snapshot)
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    (site / "feed.json").write_bytes(before["feed.json"].replace(b'"feed_version":1', b'"feed_version":9'))
    with pytest.raises(PublishError, match="does not check out"):
        publish(home, site, secret_key=key, records_dir=records, offline=True, now=NOW, bundled=fixture_snapshot)
    assert (site / "feed.json.minisig").read_bytes() == before["feed.json.minisig"]


def test_a_failing_public_source_is_reported_and_the_rest_published(
    publisher, static_site, fixture_snapshot, httpserver
):
    home, records, key, pub = publisher
    site, _ = static_site
    httpserver.expect_request("/down/api/models").respond_with_data("no", status=503)
    httpserver.expect_request("/fr/documents.json").respond_with_json({"count": 0, "results": []})
    done = publish(
        home,
        site,
        secret_key=key,
        records_dir=records,
        now=NOW,
        config=FAST,
        bundled=fixture_snapshot,
        endpoints={"huggingface": httpserver.url_for("/down"), "federal_register": httpserver.url_for("/fr")},
    )
    assert done.version == 1 and [e.split(":")[0] for e in done.errors] == ["huggingface"]
    assert minisign.verify(
        (site / "feed.json").read_bytes(), (site / "feed.json.minisig").read_bytes(), [minisign.load_public_key(pub)]
    )


def test_publish_cli(publisher, tmp_path):
    home, records, key, pub = publisher
    site = tmp_path / "cli-site"
    r = CliRunner().invoke(
        cli,
        [
            "publish",
            "--home",
            str(home.dir),
            "--out",
            str(site),
            "--secret-key",
            str(key),
            "--records",
            str(records),
            "--offline",
            "--base-url",
            "https://example.net/feed/",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "published feed v1" in r.output
    assert json.loads((site / "feed.json").read_text())["feed_url"] == "https://example.net/feed/feed.json"
    r = CliRunner().invoke(
        cli,
        [
            "publish",
            "--home",
            str(home.dir),
            "--out",
            str(site),
            "--secret-key",
            str(key),
            "--records",
            str(records),
            "--endpoint",
            "nowhere=http://127.0.0.1:9",
        ],
    )
    assert r.exit_code == 1 and "error: --endpoint wants SOURCE=URL" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(cli, ["publish", "--help"])
    assert r.exit_code == 0 and "Example:" in r.output
