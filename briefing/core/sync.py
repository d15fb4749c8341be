"""`sync(...)`: bring the data file up to date from the signed feed or a public source, all or nothing.

Feed: conditional GET → signature against pinned keys → strict parse → rollback / equivocation /
expiry checks against the clock read once at the start → the whole version applied on a staged
copy (see `staging`) → promoted. Records withdrawn by a newer version are removed unless they are
the reader's own (records.LOCAL_ORIGINS) or still referenced. Every attempt goes to the sync log,
with field-level changes for the app's "What changed" review. Runs in a worker thread or the CLI;
`progress(fraction, message)` and `cancelled()` are called from that same thread.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from briefing import paths
from briefing.core import feed as feedmod
from briefing.core import dates, minisign
from briefing.core.errors import BriefingError, Cancelled
from briefing.core.home import Home
from briefing.core.progress import CancelCheck, Progress, check, never, noop, span
from briefing.core.snapshot import LOAD_ORDER
from briefing.core.sources import federal_register, huggingface
from briefing.core.staging import Changes, SyncError, SyncLock, SyncResult, apply_staged, put_diffed
from briefing.core.store import Store
from briefing.core.sync_log import SyncLog
from briefing.settings import Settings

log = logging.getLogger(__name__)

SOURCES = ("feed", "huggingface", "federal_register")
FEED_ORIGINS = ("snapshot", "feed")


class StaleError(SyncError):
    """The feed has expired: nothing imported, the data on hand is shown as stale."""


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def pinned_keys(extra: list[str] | tuple[str, ...] = ()) -> list[minisign.PublicKey]:
    """The public keys shipped in resources/keys plus any extra key files."""
    keys = [minisign.load_public_key(p) for p in sorted((paths.RESOURCES_DIR / "keys").glob("*.pub"))]
    keys += [minisign.load_public_key(p) for p in extra]
    return keys


def _apply_feed(doc: feedmod.FeedDocument) -> Callable[[Store], Changes]:
    def mutate(store: Store) -> Changes:
        changes = Changes()
        for kind in LOAD_ORDER:
            put_diffed(store, kind, doc.records[kind], origin="feed", changes=changes)
        # Withdrawn: held from the snapshot/feed, absent now. Dependents first, then what they cite;
        # anything the reader's own records still reference stays.
        for kind in reversed(LOAD_ORDER):
            keep = {r["id"] for r in doc.records[kind]}
            gone = store.ids(kind, origins=FEED_ORIGINS) - keep - store.referenced_ids(kind)
            if gone:
                for rid in sorted(gone):
                    rec = store.record(kind, rid)
                    if rec is not None:
                        changes.remove(kind, rec)
                store.remove_records(kind, gone)
        return changes

    return mutate


# -- the sync ------------------------------------------------------------------------------------


def _log(home: Home, started: dt.datetime, source: str, result: SyncResult, error: str | None) -> None:
    try:
        with SyncLog(home.sync_log_path) as log:
            log.add({
                "started_at": iso(started), "finished_at": iso(dt.datetime.now(dt.timezone.utc)),
                "source": source, "version": result.version, "outcome": result.outcome, "error": error,
                "added": result.added, "changed": result.changed, "removed": result.removed,
                "changes": result.changes,
            })
    except BriefingError:
        pass  # the log must never turn a good sync into a failure


def sync(
    home: Home, *, source: str = "feed", feed_url: str | None = None, endpoint: str | None = None,
    trust_keys: list[str] | tuple[str, ...] = (), config: feedmod.FetchConfig | None = None,
    progress: Progress = noop, cancelled: CancelCheck = never,
    now: dt.datetime | None = None, pinned: bool = True, **source_options: Any,
) -> SyncResult:
    """Run one sync of `source`; returns the result or raises SyncError/FeedError/Cancelled (data unchanged).

    Every attempt, failed or not, is written to the sync log. `now` is the clock, read once.
    """
    if source not in SOURCES:
        raise SyncError(f"unknown sync source {source!r}")
    started = now or dt.datetime.now(dt.timezone.utc)
    config = config or feedmod.FetchConfig()
    result = SyncResult(source, "failed")
    try:
        with SyncLock(home):
            if source == "feed":
                settings = Settings.load(home.settings_path)
                extra = list(trust_keys) + list(settings.trusted_key_files)
                keys = pinned_keys(extra) if pinned else [minisign.load_public_key(p) for p in extra]
                result = _sync_feed(home, feed_url or settings.feed_url, keys, config, started, progress, cancelled)
            else:
                module = huggingface if source == "huggingface" else federal_register
                result = module.sync_source(
                    home, endpoint=endpoint, config=config, today=started.date(), progress=progress,
                    cancelled=cancelled, **source_options,
                )
    except BriefingError as exc:
        result.outcome = "stale" if isinstance(exc, StaleError) else "failed"
        log.warning("sync %s %s: %s", source, "cancelled" if isinstance(exc, Cancelled) else result.outcome, exc)
        _log(home, started, source, result, str(exc))
        raise
    except Exception as exc:  # an unexpected bug still gets one line and a log entry
        log.exception("sync %s failed unexpectedly", source)
        _log(home, started, source, result, f"{type(exc).__name__}: {exc}")
        raise SyncError(f"sync failed unexpectedly: {type(exc).__name__}: {str(exc)[:200]}") from exc
    log.info("sync: %s", result.summary())
    _log(home, started, source, result, None)
    return result


def sync_all(
    home: Home, *, feed_url: str | None = None, trust_keys: list[str] | tuple[str, ...] = (),
    endpoints: dict[str, str] | None = None, config: feedmod.FetchConfig | None = None,
    progress: Progress = noop, cancelled: CancelCheck = never, now: dt.datetime | None = None,
) -> tuple[list[SyncResult], list[str]]:
    """Sync the feed, then each public source, each all or nothing; one failing does not stop the rest.

    Returns the results of the syncs that ran and one "source: why" line per failure. Each sync
    reports on its own share of `progress`, its messages prefixed with the source's name.
    `endpoints` maps a public source's name to another base address (tests, mirrors).
    """
    results: list[SyncResult] = []
    errors: list[str] = []
    for i, name in enumerate(SOURCES):
        part = span(progress, i / len(SOURCES), (i + 1) / len(SOURCES), prefix=f"{name}: ")
        try:
            results.append(sync(
                home, source=name, feed_url=feed_url, endpoint=(endpoints or {}).get(name), trust_keys=trust_keys,
                config=config, progress=part, cancelled=cancelled, now=now,
            ))
        except Cancelled:
            raise  # stopped on request: the sources after this one are not started
        except BriefingError as exc:
            errors.append(f"{name}: {exc}")
    return results, errors


def _sync_feed(
    home: Home, url: str, keys: list[minisign.PublicKey], config: feedmod.FetchConfig, now: dt.datetime,
    progress: Progress, cancelled: CancelCheck,
) -> SyncResult:
    with Store(home.data_path, readonly=True) as store:
        meta = store.meta()
    stored_version = int(meta["feed_version"]) if meta.get("feed_version") else None
    if not keys:
        raise SyncError("no trusted feed keys: add one with --trust-key FILE")
    progress(0.02, f"Fetching {url}")
    session = feedmod.make_session(config)
    try:
        got = feedmod.fetch(
            url, config=config, session=session, cancelled=cancelled,
            etag=meta.get("feed_etag") if stored_version else None,
            last_modified=meta.get("feed_last_modified") if stored_version else None,
        )
        if got.status == 304:
            return _unchanged(home, meta, stored_version, now)
        assert got.body is not None
        if got.body.lstrip()[:1] == b"<":
            raise feedmod.FeedError("the network returned a web page, not the feed (captive portal?)")
        progress(0.3, "Checking the signature")
        sig = feedmod.fetch(
            feedmod.signature_url(url), config=feedmod.FetchConfig(**{**config.__dict__, "max_bytes": minisign.MAX_SIG_FILE}),
            session=session, what="feed signature", cancelled=cancelled,
        )
    finally:
        session.close()
    assert sig.body is not None
    trusted = minisign.verify(got.body, sig.body, keys)
    progress(0.35, "Reading the feed")
    doc = feedmod.parse_feed(got.body, trusted)
    digest = hashlib.sha256(got.body).hexdigest()
    if stored_version is not None and doc.version < stored_version:
        raise SyncError(f"refused: feed version {doc.version} is older than the version {stored_version} on hand (rollback)")
    if stored_version is not None and doc.version == stored_version:
        if digest != meta.get("feed_sha256"):
            raise SyncError(f"refused: feed version {doc.version} has different content than before")
        return _unchanged(home, meta, stored_version, now)
    if doc.expires <= now:
        raise StaleError(f"refused: the feed expired at {doc.expires_at}; data as of {meta.get('data_as_of') or '?'} shown as stale")
    check(cancelled, "sync")
    meta_after = {
        "feed_version": doc.version, "feed_sha256": digest, "feed_expires_at": doc.expires_at,
        "feed_generated_at": doc.generated_at, "feed_etag": got.etag, "feed_last_modified": got.last_modified,
        # the latest measurement the feed holds, not the day it was generated
        "last_sync": iso(now), "data_as_of": dates.data_date(doc.records) or doc.generated_at[:10],
    }
    changes = apply_staged(
        home, _apply_feed(doc), meta=meta_after, label=f"feed-v{doc.version}",
        progress=span(progress, 0.4, 1.0), cancelled=cancelled,
    )
    return changes.applied("feed", doc.version)


def _unchanged(home: Home, meta: dict[str, str], version: int | None, now: dt.datetime) -> SyncResult:
    expires = meta.get("feed_expires_at")
    if expires and feedmod.parse_time(expires, "stored expiry") <= now:
        raise StaleError(f"the feed has not been re-signed since it expired at {expires}; data as of {meta.get('data_as_of') or '?'} shown as stale")
    return SyncResult("feed", "unchanged", version, message="no new feed version")

