"""Publishing the briefing feed: `feed.json` (JSON Feed 1.1) from a data file, signed with minisign.

The output is the two static files of the feed spec; any static host serves them. Deterministic
for a given database, version and times (items sorted by kind load order, then id).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from briefing.core import atomic, minisign
from briefing.core.errors import BriefingError
from briefing.core.feed import JSONFEED_VERSION, SCHEMA
from briefing.core.records import SCHEMA_MINOR, title_of
from briefing.core.snapshot import LOAD_ORDER
from briefing.core.store import Store

FEED_FILE = "feed.json"
SIG_FILE = FEED_FILE + ".minisig"
#: Origins of records the publisher pulls from public sources itself (marked in the feed's items).
PULLED_ORIGINS = ("huggingface", "federal_register")


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _item(kind: str, rec: dict[str, Any], origin: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"{kind}/{rec['id']}",
        "title": title_of(kind, rec)[:500],
        "content_text": rec.get("summary") or rec.get("method") or rec.get("text") or title_of(kind, rec),
    }
    url = rec.get("url")
    if isinstance(url, str):
        item["url"] = url
    date = (
        rec.get("date")
        or rec.get("announced_on")
        or rec.get("released_on")
        or rec.get("as_of")
        or rec.get("published_on")
    )
    if date:
        item["date_published"] = f"{date}T00:00:00Z"
    item["_briefing"] = {"kind": kind, "record": rec}
    if origin in PULLED_ORIGINS:
        # Which public source the publisher pulled it from: readers ignore it; the next publication
        # run restores it (publish.restore_previous) so pulled records are never taken for withdrawn
        # curated ones.
        item["_briefing"]["origin"] = origin
    return item


def build_document(
    store: Store,
    *,
    version: int,
    generated_at: dt.datetime,
    expires_at: dt.datetime,
    base_url: str = "https://example.org/briefing/",
    origins: tuple[str, ...] | None = None,
) -> bytes:
    """The feed.json bytes for every record in the store (or only those of `origins`)."""
    items = []
    for kind in LOAD_ORDER:
        for rec in store.records(kind, with_origin=True):
            origin = rec.pop("origin")
            if origins is None or origin in origins:
                items.append(_item(kind, rec, origin))
    doc = {
        "version": JSONFEED_VERSION,
        "title": "Open Model Briefing data",
        "home_page_url": base_url,
        "feed_url": base_url.rstrip("/") + "/" + FEED_FILE,
        "_briefing": {
            "schema": SCHEMA,
            "schema_minor": SCHEMA_MINOR,
            "feed_version": version,
            "generated_at": _iso(generated_at),
            "expires_at": _iso(expires_at),
        },
        "items": items,
    }
    return (json.dumps(doc, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n").encode("utf-8")


def trusted_comment(version: int, expires_at: str) -> str:
    return f"file={FEED_FILE} version={version} expires={expires_at}"


def sign_feed(body: bytes, secret: minisign.SecretKey) -> str:
    """The .minisig for a feed.json body; the trusted comment repeats its version and expiry."""
    head = json.loads(body)["_briefing"]
    return minisign.sign(body, secret, trusted_comment(head["feed_version"], head["expires_at"]))


def build(
    data_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    secret_key: str | os.PathLike[str],
    version: int,
    expires_days: float = 30,
    now: dt.datetime | None = None,
    base_url: str | None = None,
) -> tuple[Path, Path, int]:
    """Write out_dir/feed.json and feed.json.minisig; returns their paths and the item count."""
    if version < 1:
        raise BriefingError("--version must be a positive integer")
    secret = minisign.load_secret_key(secret_key)
    now = now or dt.datetime.now(dt.timezone.utc)
    with Store(data_path, readonly=True) as store:
        body = build_document(
            store,
            version=version,
            generated_at=now,
            expires_at=now + dt.timedelta(days=expires_days),
            **({"base_url": base_url} if base_url else {}),
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    feed_path, sig_path = out / FEED_FILE, out / SIG_FILE
    for path, data in ((feed_path, body), (sig_path, sign_feed(body, secret).encode())):
        atomic.write_bytes(path, data)
    return feed_path, sig_path, len(json.loads(body)["items"])


def keygen(out_dir: str | os.PathLike[str], *, force: bool = False) -> tuple[Path, Path, str]:
    """Write out_dir/briefing.key (secret, mode 600) and briefing.pub; returns paths and key id."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    key_path, pub_path = out / "briefing.key", out / "briefing.pub"
    if not force and (key_path.exists() or pub_path.exists()):
        raise BriefingError(f"a key already exists in {out}; refusing to overwrite it")
    secret = minisign.keygen()
    atomic.write_bytes(key_path, secret.to_text().encode("utf-8"), mode=0o600)
    atomic.write_bytes(pub_path, secret.public().to_text().encode("utf-8"))
    return key_path, pub_path, secret.public().id_hex
