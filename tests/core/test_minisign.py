"""minisign formats, and interop with the real `minisign` tool both ways."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from briefing.core import feed_publish, minisign
from briefing.core import sync as syncmod
from tests.feedkit import FAST, NOW, feed_bytes

MINISIGN = shutil.which("minisign")
needs_minisign = pytest.mark.skipif(
    MINISIGN is None, reason="the minisign tool is not installed (make test installs it)"
)


def test_sign_verify_both_algorithms_and_tampering():
    secret = minisign.keygen()
    pub = secret.public()
    for prehash in (True, False):
        sig = minisign.sign(b"data", secret, "file=x", prehash=prehash)
        assert minisign.verify(b"data", sig, [pub]) == "file=x"
        with pytest.raises(minisign.SignatureError, match="bad signature"):
            minisign.verify(b"datA", sig, [pub])
        forged = sig.replace("trusted comment: file=x", "trusted comment: file=y")
        with pytest.raises(minisign.SignatureError, match="bad signature"):
            minisign.verify(b"data", forged, [pub])
    with pytest.raises(minisign.SignatureError, match="unknown key"):
        minisign.verify(b"data", minisign.sign(b"data", secret, "c"), [minisign.keygen().public()])
    # a caller's own digest of the data (the sync's content digest) stands for hashing it again
    sig = minisign.sign(b"data", secret, "file=x")
    assert minisign.verify(b"data", sig, [pub], prehashed=minisign.digest(b"data")) == "file=x"
    with pytest.raises(minisign.SignatureError, match="bad signature"):
        minisign.verify(b"data", sig, [pub], prehashed=minisign.digest(b"datA"))
    with pytest.raises(minisign.SignatureError, match="minisign format"):
        minisign.verify(b"data", b"<html>", [pub])


def test_key_files_round_trip(tmp_path):
    key, pub, key_id = feed_publish.keygen(tmp_path)
    secret = minisign.load_secret_key(key)
    assert secret.public() == minisign.load_public_key(pub)
    assert secret.public().id_hex == key_id
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(Exception, match="refusing to overwrite"):
        feed_publish.keygen(tmp_path)


@needs_minisign
def test_app_signature_verifies_with_minisign_tool(tmp_path):
    key, pub, _ = feed_publish.keygen(tmp_path)
    data = tmp_path / "feed.json"
    data.write_bytes(b'{"hello": "world"}\n')
    (tmp_path / "feed.json.minisig").write_text(
        minisign.sign(data.read_bytes(), minisign.load_secret_key(key), "file=feed.json version=1 expires=x")
    )
    out = subprocess.run([MINISIGN, "-V", "-p", str(pub), "-m", str(data)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "file=feed.json version=1 expires=x" in out.stdout


@needs_minisign
def test_tool_key_and_signature_verify_in_the_app_and_sync(home, tmp_path, httpserver):
    subprocess.run(
        [MINISIGN, "-G", "-W", "-p", str(tmp_path / "tool.pub"), "-s", str(tmp_path / "tool.key")],
        check=True,
        capture_output=True,
    )
    # The app reads the tool's (unencrypted) secret key too.
    assert minisign.load_secret_key(tmp_path / "tool.key").public() == minisign.load_public_key(tmp_path / "tool.pub")
    body = feed_bytes(home.data_path, 2)
    site = tmp_path / "site"
    site.mkdir()
    (site / "feed.json").write_bytes(body)
    import json

    head = json.loads(body)["_briefing"]
    subprocess.run(
        [
            MINISIGN,
            "-S",
            "-s",
            str(tmp_path / "tool.key"),
            "-m",
            str(site / "feed.json"),
            "-t",
            feed_publish.trusted_comment(head["feed_version"], head["expires_at"]),
        ],
        check=True,
        capture_output=True,
    )
    httpserver.expect_request("/feed.json").respond_with_data(body)
    httpserver.expect_request("/feed.json.minisig").respond_with_data((site / "feed.json.minisig").read_bytes())
    result = syncmod.sync(
        home,
        feed_url=httpserver.url_for("/feed.json"),
        trust_keys=[tmp_path / "tool.pub"],
        pinned=False,
        config=FAST,
        now=NOW,
    )
    assert result.outcome == "applied" and result.version == 2


def test_pinned_project_key_is_public_only():
    keys = syncmod.pinned_keys()
    assert keys, "resources/keys must hold the project's public key"
    from briefing import paths

    for path in (paths.RESOURCES_DIR / "keys").iterdir():
        assert "secret" not in path.read_text()
