"""`briefing publish`: the publisher's whole run, from public sources to a static site folder.

1. The last publication (SITE/feed.json, if the folder holds one) is verified and, when it is newer
   than what the publisher's home holds, applied to it: a fresh CI runner starts from what readers
   have, records pulled from public sources keeping their origin.
2. The public sources (Hugging Face Hub, Federal Register) are synced into the home, each all or
   nothing; a failing source is reported and the rest goes on (`offline` skips them).
3. The curated records (`data/records`, validated by `snapshot.load_records`) are applied: added,
   changed, and curated records no longer listed withdrawn.
4. The feed is built from the home with a version one above the last published, checked by the
   reader's own parser, signed, and written with `changelog.json` (each version's added, changed
   and removed records: the `staging.Changes` diff the app's "What changed" shows), `index.html`
   (that changelog for people) and `briefing.pub`.

The site files are written only after everything else succeeded; the feed itself last.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing import paths
from briefing.core import feed as feedmod
from briefing.core import minisign, snapshot
from briefing.core.atomic import atomic_output
from briefing.core.errors import BriefingError, Cancelled, RecordError
from briefing.core.feed_publish import FEED_FILE, PULLED_ORIGINS, SIG_FILE, build_document, sign_feed
from briefing.core.home import Home
from briefing.core.progress import CancelCheck, Progress, check, never, noop
from briefing.core.records import validate
from briefing.core.settings import DEFAULT_FEED_URL
from briefing.core.snapshot import LOAD_ORDER
from briefing.core.staging import Changes, SyncLock, SyncResult, apply_staged, put_diffed
from briefing.core.store import Store

log = logging.getLogger(__name__)

CHANGELOG_FILE = "changelog.json"
INDEX_FILE = "index.html"
PUBLIC_KEY_FILE = "briefing.pub"
#: Versions kept in the changelog, and changes listed per version (all are counted).
KEEP_VERSIONS = 30
MAX_LISTED_CHANGES = 500
PUBLIC_SOURCES = ("huggingface", "federal_register")
#: meta key: the last version this home published.
PUBLISHED_KEY = "published_version"
#: Origins of the records a publication replaces (curated ones; pulled ones have their own).
CURATED_ORIGINS = ("snapshot", "feed")


class PublishError(BriefingError):
    """The publication stopped; the site folder is as it was."""


@dataclass
class Publication:
    version: int
    site: Path
    items: int
    baseline: str
    result: SyncResult
    errors: list[str] = field(default_factory=list)


@dataclass
class _Previous:
    doc: feedmod.FeedDocument
    origins: dict[tuple[str, str], str]


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def read_previous(site: Path, keys: list[minisign.PublicKey]) -> _Previous | None:
    """The publication in `site` (verified against `keys`, parsed strictly), or None if there is none."""
    feed_path, sig_path = site / FEED_FILE, site / SIG_FILE
    if not feed_path.exists():
        return None
    try:
        body, sig = feed_path.read_bytes(), sig_path.read_bytes()
    except OSError as exc:
        raise PublishError(f"cannot read the last publication in {site}: {exc.strerror or exc}") from None
    try:
        trusted = minisign.verify(body, sig, keys)
        doc = feedmod.parse_feed(body, trusted)
    except BriefingError as exc:
        raise PublishError(f"the last publication in {site} does not check out: {exc}") from None
    origins = {}
    for item in json.loads(body)["items"]:
        origin = item["_briefing"].get("origin")
        if origin in PULLED_ORIGINS:
            origins[(item["_briefing"]["kind"], item["_briefing"]["record"]["id"])] = origin
    return _Previous(doc, origins)


def _apply_set(records: dict[str, list[dict[str, Any]]], origin_of: dict[tuple[str, str], str], default: str):
    """A staging mutation: write this record set (each with its origin) and withdraw the curated
    records it no longer holds (unless something still points at them)."""

    def mutate(store: Store) -> Changes:
        changes = Changes()
        for kind in LOAD_ORDER:
            by_origin: dict[str, list[dict[str, Any]]] = {}
            for rec in records[kind]:
                by_origin.setdefault(origin_of.get((kind, rec["id"]), default), []).append(rec)
            for origin, recs in by_origin.items():
                put_diffed(store, kind, recs, origin=origin, changes=changes)
        for kind in reversed(LOAD_ORDER):
            keep = {r["id"] for r in records[kind]}
            gone = store.ids(kind, origins=CURATED_ORIGINS) - keep - store.referenced_ids(kind)
            for rid in sorted(gone):
                rec = store.record(kind, rid)
                if rec is not None:
                    changes.remove(kind, rec)
            store.remove_records(kind, gone)
        return changes

    return mutate


def diff(old: dict[str, list[dict[str, Any]]], new: dict[str, list[dict[str, Any]]]) -> Changes:
    """What a reader holding `old` sees change when it applies `new` (records as parsed from a feed)."""
    changes = Changes()
    for kind in LOAD_ORDER:
        before = {r["id"]: r for r in old.get(kind, [])}
        for rec in new.get(kind, []):
            prior = before.pop(rec["id"], None)
            if prior is None:
                changes.add(kind, rec)
            else:
                changes.change(kind, prior, rec)
        for rec in before.values():
            changes.remove(kind, rec)
    return changes


def _snapshot_records(path: Path) -> tuple[dict[str, list[dict[str, Any]]], str | None]:
    """The bundled snapshot's records, normalised as a feed's are, and its version."""
    out: dict[str, list[dict[str, Any]]] = {}
    with Store(path, readonly=True) as store:
        for kind in LOAD_ORDER:
            rows = []
            for rec in store.records(kind):
                try:
                    rows.append(validate(kind, rec))
                except RecordError:
                    continue
            out[kind] = rows
        version = store.meta().get("snapshot_version")
    return out, version


def publish(
    home: Home,
    site: str | os.PathLike[str],
    *,
    secret_key: str | os.PathLike[str],
    records_dir: str | os.PathLike[str] | None = None,
    offline: bool = False,
    endpoints: dict[str, str] | None = None,
    base_url: str | None = None,
    expires_days: float = 30,
    now: dt.datetime | None = None,
    config: feedmod.FetchConfig | None = None,
    bundled: Path | None = None,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
) -> Publication:
    """Run the publisher's pipeline (module docstring) and write the site folder; returns what it did.

    The first publication's changelog is the diff from `bundled` (default: the app's bundled
    snapshot), which is what a reader that never synced holds."""
    from briefing.core import sync as syncmod  # the sync machinery, for the public sources and the keys

    now = now or dt.datetime.now(dt.timezone.utc)
    site = Path(site)
    records_dir = Path(records_dir) if records_dir else paths.records_dir()
    if not records_dir.is_dir():
        raise PublishError(f"no curated records folder at {records_dir} (give --records DIR)")
    secret = minisign.load_secret_key(secret_key)
    keys = [secret.public(), *syncmod.pinned_keys()]
    log.info("publish: home %s, site %s, records %s, offline=%s", home.dir, site, records_dir, offline)

    progress(0.0, "Reading the last publication")
    previous = read_previous(site, keys)
    with home.store() as store:
        meta = store.meta()
    held = max(int(meta.get(PUBLISHED_KEY) or 0), int(meta.get("feed_version") or 0))
    if previous is not None and previous.doc.version > held:
        log.info("publish: restoring the last publication, v%s", previous.doc.version)
        with SyncLock(home):
            apply_staged(
                home,
                _apply_set(previous.doc.records, previous.origins, "feed"),
                meta={"feed_version": previous.doc.version, PUBLISHED_KEY: previous.doc.version},
                label=f"publication-v{previous.doc.version}",
                cancelled=cancelled,
            )
    check(cancelled, "publish")

    errors: list[str] = []
    if not offline:
        for i, name in enumerate(PUBLIC_SOURCES):
            progress(0.1 + 0.4 * i / len(PUBLIC_SOURCES), f"Syncing {name.replace('_', ' ')}")
            try:
                syncmod.sync(
                    home, source=name, endpoint=(endpoints or {}).get(name), config=config, now=now, cancelled=cancelled
                )
            except Cancelled:
                raise
            except BriefingError as exc:
                errors.append(f"{name}: {exc}")
                log.warning("publish: %s not synced: %s", name, exc)

    progress(0.5, "Applying the curated records")
    curated, _ = snapshot.load_records(records_dir)
    with SyncLock(home):
        apply_staged(home, _apply_set(curated, {}, "snapshot"), meta={}, label="curated", cancelled=cancelled)
    check(cancelled, "publish")

    progress(0.7, "Building and signing the feed")
    with home.store() as store:
        last = max(int(store.meta().get(PUBLISHED_KEY) or 0), previous.doc.version if previous else 0)
        version = last + 1
        body = build_document(
            store,
            version=version,
            generated_at=now,
            expires_at=now + dt.timedelta(days=expires_days),
            base_url=base_url or DEFAULT_FEED_URL[: -len(FEED_FILE)],
        )
    new = feedmod.parse_feed(body)  # what readers will run on it, before anything is written
    if previous is not None:
        baseline, old = f"feed v{previous.doc.version}", previous.doc.records
    else:
        old, snap_version = _snapshot_records(bundled or paths.bundled_snapshot())
        baseline = f"the bundled snapshot v{snap_version or '?'}"
    result = diff(old, new.records).applied("feed", version)
    signature = sign_feed(body, secret)
    check(cancelled, "publish")

    progress(0.85, "Writing the site")
    entry = {
        "version": version,
        "generated_at": new.generated_at,
        "expires_at": new.expires_at,
        "items": sum(len(v) for v in new.records.values()),
        "baseline": baseline,
        "added": result.added,
        "changed": result.changed,
        "removed": result.removed,
        "changes": _capped(result.changes),
    }
    changelog = [entry] + [e for e in read_changelog(site) if e.get("version") != version][: KEEP_VERSIONS - 1]
    changelog_bytes = (json.dumps(changelog, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    files = [
        (PUBLIC_KEY_FILE, secret.public().to_text().encode()),
        (CHANGELOG_FILE, changelog_bytes),
        (INDEX_FILE, render_index(changelog, public_key=secret.public().to_text()).encode("utf-8")),
        (SIG_FILE, signature.encode()),
        (FEED_FILE, body),
    ]
    try:
        for name, data in files:
            with atomic_output(site / name) as tmp:
                tmp.write_bytes(data)
    except OSError as exc:
        raise PublishError(f"cannot write the site in {site}: {exc.strerror or exc}") from None
    with home.store(readonly=False) as store:
        store.set_meta({PUBLISHED_KEY: version})
    progress(1.0, "Done")
    log.info("publish: v%s written to %s (%s items); %s", version, site, entry["items"], result.summary())
    return Publication(version, site, entry["items"], baseline, result, errors)


def _capped(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    listed = [c for c in changes if c.get("action") != "truncated"]
    more = sum(c.get("count", 0) for c in changes if c.get("action") == "truncated")
    if len(listed) > MAX_LISTED_CHANGES:
        more += len(listed) - MAX_LISTED_CHANGES
        listed = listed[:MAX_LISTED_CHANGES]
    return listed + ([{"action": "truncated", "count": more}] if more else [])


def read_changelog(site: Path) -> list[dict[str, Any]]:
    """The site's changelog.json (newest first); an unreadable one is started afresh."""
    try:
        data = json.loads((site / CHANGELOG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return (
        [e for e in data if isinstance(e, dict) and isinstance(e.get("version"), int)] if isinstance(data, list) else []
    )


# -- index.html ----------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 "DejaVu Sans",system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin:2rem 0 .3rem;border-top:1px solid #ccc;padding-top:1rem}
.meta{color:#555}code,pre{font:13px "DejaVu Sans Mono",monospace;background:#f3f3f3;padding:.1rem .3rem}
pre{padding:.6rem;overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.25rem .4rem;border-bottom:1px solid #e3e3e3;font-size:13px}
th{background:#f6f6f6}td.v{min-width:6.5rem;max-width:20rem;overflow-wrap:break-word}.added{color:#0a6b2b}.removed{color:#a11}.changed{color:#7a4b00}
"""


def _e(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return html.escape(text if len(text) <= 300 else text[:299] + "…", quote=True)


def _when(value: Any) -> str:
    """An RFC 3339 UTC time as people read it: 2026-11-29 12:00 UTC."""
    text = str(value or "")
    return _e(text[:16].replace("T", " ") + " UTC" if text.endswith("Z") and "T" in text else text)


def _counts(entry: dict[str, Any]) -> str:
    parts = []
    for name in ("added", "changed", "removed"):
        body = ", ".join(f"{kind.replace('_', ' ')} {n:,}" for kind, n in entry.get(name, {}).items() if n)
        parts.append(f"{name}: {body or 'none'}")
    return "; ".join(parts)


def render_index(changelog: list[dict[str, Any]], *, public_key: str) -> str:
    """The changelog as one static page (every value escaped: data text stays text)."""
    latest = changelog[0]
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Open Model Briefing data feed</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Open Model Briefing data feed</h1>",
        f'<p class="meta">Latest: version {latest["version"]}, generated {_when(latest["generated_at"])}, '
        f"valid until {_when(latest['expires_at'])}; {latest['items']:,} records.</p>",
        '<p>The <a href="https://github.com/open-model-briefing/open-model-briefing">Open Model Briefing</a> '
        "app updates itself from this feed. Every record cites its sources. "
        f'Files: <a href="{FEED_FILE}">{FEED_FILE}</a> (JSON Feed 1.1), <a href="{SIG_FILE}">{SIG_FILE}</a> '
        f'(minisign signature), <a href="{PUBLIC_KEY_FILE}">{PUBLIC_KEY_FILE}</a> (the public key), '
        f'<a href="{CHANGELOG_FILE}">{CHANGELOG_FILE}</a> (this page as data).</p>',
        f"<p>Check the signature: <code>minisign -Vm {FEED_FILE} -p {PUBLIC_KEY_FILE}</code></p>",
        f"<pre>{html.escape(public_key.strip())}</pre>",
    ]
    for entry in changelog:
        out.append(f'<h2 id="v{entry["version"]}">Version {entry["version"]}</h2>')
        out.append(
            f'<p class="meta">Generated {_when(entry.get("generated_at"))}; {entry.get("items", 0):,} records. '
            f"Changes since {_e(entry.get('baseline'))}: {html.escape(_counts(entry))}.</p>"
        )
        rows = []
        for change in entry.get("changes", []):
            action = change.get("action")
            if action == "truncated":
                rows.append(
                    f'<tr><td colspan="5">… and {int(change.get("count", 0)):,} more changes, not listed</td></tr>'
                )
                continue
            record = (
                f"{str(change.get('kind', '')).replace('_', ' ')} {change.get('id', '')}: {change.get('title', '')}"
            )
            fields = change.get("fields") or [None]
            for i, f in enumerate(fields):
                head = (
                    f'<td class="{html.escape(str(action))}">{_e(action)}</td><td>{_e(record)}</td>'
                    if i == 0
                    else "<td></td><td></td>"
                )
                cells = (
                    f'<td>{_e(f["field"])}</td><td class="v">{_e(f["old"])}</td><td class="v">{_e(f["new"])}</td>'
                    if f
                    else "<td></td><td></td><td></td>"
                )
                rows.append(f"<tr>{head}{cells}</tr>")
        if rows:
            out.append(
                "<table><thead><tr><th>Change</th><th>Record</th><th>Field</th><th>Before</th><th>After</th></tr></thead><tbody>"
            )
            out.extend(rows)
            out.append("</tbody></table>")
        else:
            out.append("<p>No record changed.</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
