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
import sqlite3
from collections.abc import Callable
from typing import Any

from briefing import paths
from briefing.core import dates, limits, minisign
from briefing.core import feed as feedmod
from briefing.core.errors import BriefingError, Cancelled
from briefing.core.home import Home
from briefing.core.progress import CancelCheck, Progress, check, never, noop, span
from briefing.core.records import LOCAL_ORIGINS
from briefing.core.settings import Settings
from briefing.core.snapshot import LOAD_ORDER
from briefing.core.staging import Changes, SyncError, SyncLock, SyncResult, apply_staged, put_diffed
from briefing.core.store import Store
from briefing.core.sync_log import SyncLog, last_attempt

log = logging.getLogger(__name__)

SOURCES = ("feed", "huggingface", "federal_register")
FEED_ORIGINS = ("snapshot", "feed")


class StaleError(SyncError):
    """The feed has expired: nothing imported, the data on hand is shown as stale."""


class ClockError(SyncError):
    """This computer's clock disagrees with the feed or with the last sync: nothing imported."""

    def __init__(self, message: str, source_time: str | None = None) -> None:
        super().__init__(message)
        self.source_time = source_time


TOLERANCE = dt.timedelta(seconds=limits.CLOCK_TOLERANCE_SECONDS)


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def pinned_keys(extra: list[str] | tuple[str, ...] = ()) -> list[minisign.PublicKey]:
    """The public keys shipped in resources/keys plus any extra key files."""
    keys = [minisign.load_public_key(p) for p in sorted((paths.RESOURCES_DIR / "keys").glob("*.pub"))]
    keys += [minisign.load_public_key(p) for p in extra]
    return keys


def _apply_feed(records: dict[str, list[dict[str, Any]]], kept: list[int]) -> Callable[[Store], Changes]:
    """The staged write of a feed version's records. It empties `records` as it goes: the parsed
    feed (100 MB for 100,000 records) is let go before the checks, whose page cache takes its place."""

    def mutate(store: Store) -> Changes:
        changes = Changes()
        held: dict[str, set[str]] = {}
        for kind in LOAD_ORDER:
            # A record this reader pulled itself (Hub, Federal Register, local) keeps its origin and
            # content whatever ids the feed carries: the feed never takes it over, so never removes it.
            own = store.ids(kind, origins=LOCAL_ORIGINS)
            # Read before the write: afterwards the table also holds the whole new version, and
            # what it adds is never withdrawn (every record written is one the feed keeps).
            held[kind] = store.ids(kind, origins=FEED_ORIGINS)
            taken = [r for r in records[kind] if r["id"] not in own] if own else records[kind]
            kept[0] += len(records[kind]) - len(taken)
            put_diffed(store, kind, taken, origin="feed", changes=changes, bulk=True)
            del taken
        # Withdrawn: held from the snapshot/feed, absent now. Dependents first, then what they cite;
        # anything the reader's own records still reference stays.
        for kind in reversed(LOAD_ORDER):
            gone = held[kind] - {r["id"] for r in records.pop(kind)}
            if gone:
                gone -= store.referenced_ids(kind)
            if gone:
                for rec in store.records_with_ids(kind, gone):
                    changes.remove(kind, rec)
                store.remove_records(kind, gone)
        return changes

    return mutate


# -- the sync ------------------------------------------------------------------------------------


def _log(home: Home, started: dt.datetime, source: str, result: SyncResult, error: str | None) -> None:
    """Write the attempt to the sync log. Never raises: whatever goes wrong with the log (damaged,
    foreign, read-only, full) becomes a warning on the result, never a failed sync."""
    try:
        with SyncLog(home.sync_log_path) as attempts:
            result.warnings += attempts.warnings
            attempts.add(
                {
                    "started_at": iso(started),
                    "finished_at": iso(dt.datetime.now(dt.timezone.utc)),
                    "source": source,
                    "version": result.version,
                    "outcome": result.outcome,
                    "error": error,
                    "added": result.added,
                    "changed": result.changed,
                    "removed": result.removed,
                    "changes": result.changes,
                    "source_time": result.source_time,
                }
            )
            result.warnings += [w for w in attempts.warnings if w not in result.warnings]
    except Exception as exc:  # noqa: BLE001 - the log must never turn a good sync into a failure
        why = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        result.warnings.append(f"this attempt was not written to the sync log ({why})")


def _check_clock(home: Home, now: dt.datetime, meta: dict[str, str]) -> None:
    """Refuse when the local clock is earlier than the last accepted sync or feed (set back?)."""
    marks = [
        (meta.get("last_sync"), "the last feed sync"),
        (meta.get("feed_generated_at"), "the feed on hand was made"),
        (meta.get("snapshot_built_at"), "the data this app came with was built"),
    ]
    last = last_attempt(home.sync_log_path, outcomes=("applied", "unchanged"))
    if last is not None:
        marks.append((last.get("started_at"), f"the last accepted sync ({last.get('source')})"))
    for value, what in marks:
        if not value:
            continue
        try:
            when = feedmod.parse_time(value, what)
        except feedmod.FeedError:
            continue
        if now < when - TOLERANCE:
            raise ClockError(
                f"refused: this computer's clock says {iso(now)}, earlier than when {what} ({value}); "
                "check the date and time settings, then sync again"
            )


def sync(
    home: Home,
    *,
    source: str = "feed",
    feed_url: str | None = None,
    endpoint: str | None = None,
    trust_keys: list[str] | tuple[str, ...] = (),
    config: feedmod.FetchConfig | None = None,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
    now: dt.datetime | None = None,
    pinned: bool = True,
    **source_options: Any,
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
            with Store(home.data_path, readonly=True) as store:
                _check_clock(home, started, store.meta())
            if source == "feed":
                settings = Settings.load(home.settings_path)
                extra = list(trust_keys) + list(settings.trusted_key_files)
                keys = pinned_keys(extra) if pinned else [minisign.load_public_key(p) for p in extra]
                with feedmod.collector_paused():
                    result = _sync_feed(home, feed_url or settings.feed_url, keys, config, started, progress, cancelled)
            else:
                # imported here: a feed sync (the CLI's default, the app's schedule) never needs them
                from briefing.core.sources import federal_register, huggingface

                module = huggingface if source == "huggingface" else federal_register
                result = module.sync_source(
                    home,
                    endpoint=endpoint,
                    config=config,
                    today=started.date(),
                    progress=progress,
                    cancelled=cancelled,
                    **source_options,
                )
    except BriefingError as exc:
        result.outcome = "stale" if isinstance(exc, StaleError) else "failed"
        log.warning("sync %s %s: %s", source, "cancelled" if isinstance(exc, Cancelled) else result.outcome, exc)
        result.source_time = getattr(exc, "source_time", None)
        _log(home, started, source, result, str(exc))
        raise
    except sqlite3.DatabaseError as exc:  # the data file itself is damaged: say so, and the way back
        _log(home, started, source, result, f"{type(exc).__name__}: {exc}")
        raise SyncError(
            f"cannot read the data file {home.data_path} ({str(exc)[:120]}); `briefing restore` brings back a backup"
        ) from None
    except Exception as exc:  # an unexpected bug still gets one line and a log entry
        log.exception("sync %s failed unexpectedly", source)
        _log(home, started, source, result, f"{type(exc).__name__}: {exc}")
        raise SyncError(f"sync failed unexpectedly: {type(exc).__name__}: {str(exc)[:200]}") from exc
    log.info("sync: %s", result.summary())
    _log(home, started, source, result, None)
    return result


def sync_all(
    home: Home,
    *,
    feed_url: str | None = None,
    trust_keys: list[str] | tuple[str, ...] = (),
    endpoints: dict[str, str] | None = None,
    config: feedmod.FetchConfig | None = None,
    progress: Progress = noop,
    cancelled: CancelCheck = never,
    now: dt.datetime | None = None,
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
            results.append(
                sync(
                    home,
                    source=name,
                    feed_url=feed_url,
                    endpoint=(endpoints or {}).get(name),
                    trust_keys=trust_keys,
                    config=config,
                    progress=part,
                    cancelled=cancelled,
                    now=now,
                )
            )
        except Cancelled:
            raise  # stopped on request: the sources after this one are not started
        except BriefingError as exc:
            errors.append(f"{name}: {exc}")
    return results, errors


#: How long `probe` waits for one host: an app's "Sync now" says "offline" within a few seconds.
PROBE_TIMEOUT_S = 2.5


def endpoints_of(home: Home, *, feed_url: str | None = None, endpoints: dict[str, str] | None = None) -> list[str]:
    """The base address of every source `sync_all` reads (the feed first), for `probe`."""
    from briefing.core.sources import federal_register, huggingface

    endpoints = endpoints or {}
    return [
        feed_url or Settings.load(home.settings_path).feed_url,
        endpoints.get("huggingface") or huggingface.DEFAULT_ENDPOINT,
        endpoints.get("federal_register") or federal_register.DEFAULT_ENDPOINT,
    ]


def probe(urls: list[str], *, timeout: float = PROBE_TIMEOUT_S, cancelled: CancelCheck = never) -> str | None:
    """None when at least one of the addresses' hosts accepts a connection (each tried once, at most
    `timeout` seconds); else an 'offline: ...' line naming them. Sends nothing: a TCP connect only."""
    import socket
    from urllib.parse import urlsplit

    tried = []
    for url in urls:
        check(cancelled)
        parts = urlsplit(url)
        if not parts.hostname:
            continue
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname, port), timeout=timeout):
                return None
        except OSError:
            tried.append(parts.hostname)
    return f"offline: cannot reach {', '.join(dict.fromkeys(tried))}" if tried else None


def _sync_feed(
    home: Home,
    url: str,
    keys: list[minisign.PublicKey],
    config: feedmod.FetchConfig,
    now: dt.datetime,
    progress: Progress,
    cancelled: CancelCheck,
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
            url,
            config=config,
            session=session,
            cancelled=cancelled,
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
            feedmod.signature_url(url),
            config=feedmod.FetchConfig(**{**config.__dict__, "max_bytes": minisign.MAX_SIG_FILE}),
            session=session,
            what="feed signature",
            cancelled=cancelled,
        )
    finally:
        session.close()
    assert sig.body is not None
    body, etag, last_modified = got.body, got.etag, got.last_modified
    del got
    # The content digest is the signature's own prehash (one pass over the bytes, not two). A home
    # last synced by an older release holds a SHA-256 instead: that one is computed for it, once.
    content = minisign.digest(body)
    trusted = minisign.verify(body, sig.body, keys, prehashed=content)
    digest = content.hex()
    stored_digest = meta.get("feed_blake2b")
    legacy = hashlib.sha256(body).hexdigest() if stored_digest is None and meta.get("feed_sha256") else None
    progress(0.35, "Reading the feed")
    text = feedmod.feed_text(body)
    del body  # the bytes (tens of MB) go before parsing, and the text once read: never held twice
    doc = feedmod.parse_feed(text, trusted)
    del text
    generated = feedmod.parse_time(doc.generated_at, "generated_at")
    if generated > now + TOLERANCE:
        raise ClockError(
            f"refused: the feed says it was made at {doc.generated_at}, later than this computer's clock "
            f"({iso(now)}) by more than {limits.CLOCK_TOLERANCE_SECONDS // 60} minutes; check the date and time "
            "settings (or the publisher's clock)",
            source_time=doc.generated_at,
        )
    if stored_version is not None and doc.version < stored_version:
        raise SyncError(
            f"refused: feed version {doc.version} is older than the version {stored_version} on hand (rollback)"
        )
    if stored_version is not None and doc.version == stored_version:
        same = (
            digest == stored_digest
            if stored_digest is not None
            else legacy is not None and legacy == meta["feed_sha256"]
        )
        if not same:
            raise SyncError(f"refused: feed version {doc.version} has different content than before")
        return _unchanged(home, meta, stored_version, now)
    if doc.expires <= now:
        raise StaleError(
            f"refused: the feed expired at {doc.expires_at}; data as of {meta.get('data_as_of') or '?'} shown as stale"
        )
    check(cancelled, "sync")
    meta_after = {
        "feed_version": doc.version,
        "feed_blake2b": digest,
        "feed_sha256": None,  # an older release's digest, replaced
        "feed_expires_at": doc.expires_at,
        "feed_generated_at": doc.generated_at,
        "feed_etag": etag,
        "feed_last_modified": last_modified,
        # the latest measurement the feed holds, not the day it was generated
        "last_sync": iso(now),
        "data_as_of": dates.data_date(doc.records) or doc.generated_at[:10],
    }
    kept = [0]
    records, doc.records = doc.records, {}
    changes = apply_staged(
        home,
        _apply_feed(records, kept),
        meta=meta_after,
        label=f"feed-v{doc.version}",
        progress=span(progress, 0.4, 1.0),
        cancelled=cancelled,
    )
    result = changes.applied("feed", doc.version)
    result.source_time = doc.generated_at
    if kept[0]:
        result.message = (
            f"{kept[0]} feed record(s) share an id with a record this reader pulled itself; kept the reader's own"
        )
    return result


def _unchanged(home: Home, meta: dict[str, str], version: int | None, now: dt.datetime) -> SyncResult:
    expires = meta.get("feed_expires_at")
    if expires and feedmod.parse_time(expires, "stored expiry") <= now:
        raise StaleError(
            f"the feed has not been re-signed since it expired at {expires}; data as of {meta.get('data_as_of') or '?'} shown as stale"
        )
    return SyncResult("feed", "unchanged", version, message="no new feed version")
