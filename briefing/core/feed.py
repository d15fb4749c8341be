"""Reading the signed briefing feed: bounded fetching, signature check, strict parsing.

Contract (docs/feed-spec.md): fetch with connect/read timeouts, an overall deadline
and a size cap; retry GETs on 429/5xx only with backoff and a capped Retry-After; verify the minisign
signature against pinned keys before parsing anything; parse strictly (duplicate keys, NaN/Infinity,
deep nesting, invalid UTF-8 are errors); validate every item. Every failure is a `FeedError` with a
one-line reason. Plain functions, no threads: call them from a worker.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from briefing import __version__
from briefing.core import limits
from briefing.core.errors import BriefingError, RecordError
from briefing.core.progress import CancelCheck, check, never
from briefing.core.records import ALL_KINDS, SCHEMA_MAJOR, SCHEMA_MINOR, validate

JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
SCHEMA = SCHEMA_MAJOR
#: Record-schema major versions this reader understands; 1 is a subset of 2 (its records validate
#: as schema 2 with the new fields empty), so a feed from an older publisher still applies.
READABLE_SCHEMAS = (1, 2)
NEWER_APP_NEEDED = "this feed needs a newer version of the app"
USER_AGENT = f"open-model-briefing/{__version__} (+feed reader)"


class FeedError(BriefingError):
    """The feed could not be fetched, verified or parsed; nothing was imported."""


@dataclass(frozen=True)
class FetchConfig:
    """Network limits. Tests shrink them; the defaults suit a real feed on a static host."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 300.0  # the whole download, however slowly the bytes drip
    max_bytes: int = 256 * 1024 * 1024
    retries: int = 3
    backoff_factor: float = 0.5
    backoff_max: float = 10.0
    retry_after_max: float = 30.0  # urllib3 would otherwise sleep up to 6 h on a hostile Retry-After


@dataclass
class Fetched:
    status: int  # 200 or 304
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None


_RATELIMIT = re.compile(r'"?(?P<name>\w+)"?\s*;\s*r\s*=\s*(?P<r>\d+)\s*;\s*t\s*=\s*(?P<t>\d+)')


def rate_limit_wait(headers: Any) -> tuple[int | None, float | None]:
    """(remaining, seconds to reset) from an IETF `RateLimit` header, else (None, Retry-After or None)."""
    m = _RATELIMIT.search(headers.get("RateLimit", "") or "")
    if m:
        return int(m.group("r")), float(m.group("t"))
    retry_after = (headers.get("Retry-After") or "").strip()
    return None, float(retry_after) if retry_after.isdigit() else None


def retry_hint(wait: float | None) -> str:
    """'try again after <UTC time>' for a server's wait in seconds (else 'try again later')."""
    if wait is None or not 0 <= wait < 10**9:
        return "try again later"
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=wait)
    return f"try again after {when:%Y-%m-%d %H:%M} UTC"


def make_session(config: FetchConfig, *, status_forcelist: tuple[int, ...] = (500, 502, 503, 504)) -> requests.Session:
    """A session that retries GETs only, on the given statuses, with backoff.

    urllib3 never sleeps on a Retry-After here (it would, for 429/503, even for statuses outside
    the forcelist, up to `retry_after_max` per retry): a 429 comes back to the caller, which gives
    up at once with when to retry (the feed) or waits within one bounded total (`sources.get_json`)."""
    retry = Retry(
        total=config.retries,
        connect=config.retries,
        read=0,
        redirect=5,
        status=config.retries,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=status_forcelist,
        backoff_factor=config.backoff_factor,
        backoff_max=config.backoff_max,
        backoff_jitter=0.1,
        respect_retry_after_header=False,
        retry_after_max=config.retry_after_max,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def fetch(
    url: str,
    *,
    config: FetchConfig,
    session: requests.Session | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    what: str = "feed",
    cancelled: CancelCheck = never,
) -> Fetched:
    """GET `url` within the limits; 304 (with validators sent) means unchanged. Raises FeedError."""
    own = session is None
    session = session or make_session(config)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    start = time.monotonic()
    try:
        with session.get(
            url, headers=headers, stream=True, timeout=(config.connect_timeout, config.read_timeout)
        ) as resp:
            if resp.status_code == 304 and (etag or last_modified):
                return Fetched(
                    304, None, resp.headers.get("ETag") or etag, resp.headers.get("Last-Modified") or last_modified
                )
            if resp.status_code == 429:
                raise FeedError(
                    f"{what} server is rate-limiting us (HTTP 429); {retry_hint(rate_limit_wait(resp.headers)[1])}"
                )
            if resp.status_code != 200:
                raise FeedError(f"{what} unavailable (HTTP {resp.status_code}) at {url}")
            body = read_body(resp, config=config, what=what, start=start, cancelled=cancelled)
            return Fetched(200, body, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
    except FeedError:
        raise
    except requests.exceptions.RequestException as exc:
        raise network_error(exc, url, what, config) from None
    finally:
        if own:
            session.close()


def network_error(exc: requests.exceptions.RequestException, url: str, what: str, config: FetchConfig) -> FeedError:
    """One line for a requests failure."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in text:
        return FeedError(f"{what} download incomplete (connection closed early)")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FeedError(f"offline: timed out connecting to {url}")
    if isinstance(exc, requests.exceptions.ReadTimeout) or "Read timed out" in text:
        return FeedError(f"{what} server stopped sending (read timeout)")
    if isinstance(exc, requests.exceptions.RetryError):
        return FeedError(f"{what} unavailable: the server kept failing after {config.retries} retries")
    if isinstance(exc, requests.exceptions.ConnectionError):
        if "ProtocolError" in text or "RemoteDisconnected" in text:
            return FeedError(f"{what} download incomplete (connection closed early)")
        return FeedError(f"offline: cannot reach {url}")
    return FeedError(f"{what} request failed: {type(exc).__name__}")


def read_body(
    resp: requests.Response,
    *,
    config: FetchConfig,
    what: str,
    start: float,
    cancelled: CancelCheck = never,
) -> bytes:
    """Stream a 200 body, enforcing the size cap and the overall deadline (counted from `start`)."""
    declared = resp.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > config.max_bytes:
        raise FeedError(f"{what} is larger than the {config.max_bytes:,}-byte cap")
    # One growing buffer, not a list of chunks joined at the end: a few hundred 64 KB chunks
    # scattered over the heap were freed only after the join, and the parse's records then grew
    # around the holes they left (the sync's peak memory varied by 40 MB from run to run).
    body = bytearray()
    size = 0
    raw = resp.raw
    while True:
        # read1 returns whatever one socket read brings, so the deadline is checked even when
        # bytes drip in (iter_content would block until a whole chunk had arrived).
        try:
            chunk = raw.read1(65536, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError:
            raise FeedError(f"{what} server stopped sending (read timeout)") from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.IncompleteRead):
            raise FeedError(f"{what} download incomplete (connection closed early)") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FeedError(f"{what} download failed: {type(exc).__name__}") from None
        if not chunk:
            break
        size += len(chunk)
        if size > config.max_bytes:
            raise FeedError(f"{what} is larger than the {config.max_bytes:,}-byte cap")
        if time.monotonic() - start > config.deadline:
            raise FeedError(f"{what} download took longer than the {config.deadline:g} s deadline")
        check(cancelled, "sync")
        body += chunk
    return bytes(body)


# -- strict parsing ---------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # in C; a repeated key makes it shorter than the pairs
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise FeedError(f"invalid feed: duplicate key {key[:60]!r}")
            seen.add(key)
    return out


def _no_constant(name: str) -> Any:
    raise FeedError(f"invalid feed: {name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # json turns 1e309 into inf without asking parse_constant
        raise FeedError(f"invalid feed: the number {limits.quote(text)} is out of range")
    return value


def feed_text(body: bytes) -> str:
    """The body as text: UTF-8 only, no byte-order mark."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise FeedError("invalid feed: not valid UTF-8") from None
    if text.startswith("\ufeff"):
        raise FeedError("invalid feed: starts with a byte-order mark")
    return text


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant, parse_float=_finite)


@contextlib.contextmanager
def _strict_errors() -> Iterator[None]:
    """The JSON reader's failures as one-line FeedErrors."""
    try:
        yield
    except RecursionError:
        raise FeedError("invalid feed: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise FeedError(f"invalid feed: not JSON ({exc.msg} at line {exc.lineno})") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise FeedError(f"invalid feed: {str(exc)[:120]}") from None


def parse_json(body: bytes | str) -> Any:
    """Strict JSON: UTF-8 only, no duplicate keys, no NaN/Infinity, bounded nesting."""
    text = feed_text(body) if isinstance(body, bytes) else body
    with _strict_errors():
        return _decoder().decode(text)


_SPACE = re.compile(r"[ \t\n\r]*")


def _parse_streaming_checked(text: str, on_item: Callable[[int, Any], None]) -> Any:
    """`_parse_streaming` with the strict reader's one-line errors (what `parse_feed` runs)."""
    with _strict_errors():
        return _parse_streaming(text, on_item)


class _Streamed(list):
    """Stands for the top-level `items` array once its elements have been handed out one by one."""


def _parse_streaming(text: str, on_item: Callable[[int, Any], None]) -> Any:
    """`text` parsed exactly as `parse_json` would, except that when it is an object, each element
    of its top-level `items` array goes to `on_item(index, element)` as soon as it is read, and
    that array is kept as an empty `_Streamed` list: a 100,000-item feed is never held whole as
    Python objects (only the item being read). Same hooks, same errors (json's own messages)."""
    decoder, space = _decoder(), _SPACE.match
    i = space(text, 0).end()
    if text[i : i + 1] != "{":
        return decoder.decode(text)
    pairs: list[tuple[str, Any]] = []
    i = space(text, i + 1).end()
    if text[i : i + 1] == "}":
        i += 1
    else:
        while True:
            if text[i : i + 1] != '"':
                raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, i)
            key, i = json.decoder.scanstring(text, i + 1, True)
            i = space(text, i).end()
            if text[i : i + 1] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
            i = space(text, i + 1).end()
            if key == "items" and text[i : i + 1] == "[":
                value, i = _Streamed(), space(text, i + 1).end()
                more, n = text[i : i + 1] != "]", 0
                if not more:
                    i += 1
                while more:
                    element, i = decoder.raw_decode(text, i)
                    on_item(n, element)
                    n += 1
                    i = space(text, i).end()
                    if text[i : i + 1] == ",":
                        i = space(text, i + 1).end()
                    elif text[i : i + 1] == "]":
                        i, more = i + 1, False
                    else:
                        raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
            else:
                value, i = decoder.raw_decode(text, i)
            pairs.append((key, value))
            i = space(text, i).end()
            if text[i : i + 1] == ",":
                i = space(text, i + 1).end()
                continue
            if text[i : i + 1] == "}":
                i += 1
                break
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
    doc = _no_duplicates(pairs)  # as json does: the object's hook runs when it closes, before the end is checked
    end = space(text, i).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return doc


_TS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})")


def parse_time(value: Any, what: str) -> dt.datetime:
    """An RFC 3339 timestamp with an offset, as an aware datetime."""
    if not isinstance(value, str) or not _TS.fullmatch(value):
        raise FeedError(f"invalid feed: {what} is not an RFC 3339 time")
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise FeedError(f"invalid feed: {what} is not a real time") from None


@dataclass
class FeedDocument:
    version: int
    generated_at: str
    expires_at: str
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def expires(self) -> dt.datetime:
        return parse_time(self.expires_at, "expires_at")


#: The signed comment, exactly: `file=feed.json version=N expires=T` (N without leading zeros).
_COMMENT = re.compile(r"file=([^\s]+) version=([1-9][0-9]{0,18}) expires=([^\s]+)", re.ASCII)


def parse_feed(body: bytes | str, trusted_comment: str | None = None) -> FeedDocument:
    """Parse and validate a verified feed.json; the signed comment must repeat version and expiry.

    `body` may be the text already (`feed_text`), so the caller can let the bytes go. Items are
    validated as they are read (`_parse_streaming`); a bad item's error is raised after the
    document has proved to be JSON and its header checked, as if it had been read whole first."""
    text = feed_text(body) if isinstance(body, bytes) else body
    del body
    records: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ALL_KINDS}
    seen: set[str] = set()
    first_error: list[FeedError] = []

    def on_item(n: int, item: Any) -> None:
        if first_error:
            return  # the first bad item is the one reported; the rest is only read as JSON
        try:
            _take_item(n, item, records, seen)
        except FeedError as exc:
            first_error.append(exc)

    doc = _parse_streaming_checked(text, on_item)
    del text
    if not isinstance(doc, dict) or doc.get("version") != JSONFEED_VERSION:
        raise FeedError("invalid feed: not a JSON Feed 1.1 document")
    head = doc.get("_briefing")
    schema = head.get("schema") if isinstance(head, dict) else None
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise FeedError("invalid feed: missing or unsupported _briefing schema")
    if schema not in READABLE_SCHEMAS:
        # a major version may change what a field means: refuse rather than misread
        raise FeedError(
            f"{NEWER_APP_NEEDED} (record schema {schema}; this version reads {SCHEMA_MAJOR}.{SCHEMA_MINOR} and older)"
        )
    version = head.get("feed_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FeedError("invalid feed: feed_version is not a positive integer")
    if version > limits.MAX_FEED_VERSION:
        raise FeedError(
            f"invalid feed: feed_version {limits.quote(version)} is beyond the largest allowed ({limits.MAX_FEED_VERSION:,})"
        )
    expires_at = head.get("expires_at")
    parse_time(expires_at, "expires_at")
    generated_at = head.get("generated_at")
    parse_time(generated_at, "generated_at")
    if trusted_comment is not None:
        m = _COMMENT.fullmatch(trusted_comment)
        if not m:
            raise FeedError("the signature's trusted comment is not exactly `file=feed.json version=N expires=TIME`")
        if m.group(1) != "feed.json":
            raise FeedError("the signature's trusted comment is not for feed.json")
        if int(m.group(2)) != version or m.group(3) != expires_at:
            raise FeedError("the signature's trusted comment does not match the feed's version and expiry")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("invalid feed: items is not a list")
    if first_error:
        raise first_error[0]
    _check_references(records)
    return FeedDocument(version, generated_at, expires_at, records)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused (then as it was), for reading and applying a feed.
    A 100,000-record feed makes a million containers and keeps the records until they are
    written: the collector, run every 700 of them, walked the growing set of records again and
    again (a seventh of the parse). Reading one makes no reference cycles (records._compiled
    avoids the one fastjsonschema's code made), so reference counting frees what is let go, as
    before: the peak memory is the same."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _take_item(n: int, item: Any, records: dict[str, list[dict[str, Any]]], seen: set[str]) -> None:
    """Check one feed item and add its validated record to `records` (FeedError if it is bad)."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise FeedError(f"invalid feed: item {n} has no id")
    ext = item.get("_briefing")
    if not isinstance(ext, dict) or ext.get("kind") not in ALL_KINDS:
        raise FeedError(f"invalid feed: item {limits.quote(item['id'], 80)} has no known _briefing kind")
    kind = ext["kind"]
    try:
        rec = validate(kind, ext.get("record"))
    except RecordError as exc:
        raise FeedError(f"invalid feed: {exc}") from None
    if item["id"] != f"{kind}/{rec['id']}":
        raise FeedError(f"invalid feed: item id {limits.quote(item['id'], 80)} does not match its record")
    if item["id"] in seen:
        raise FeedError(f"invalid feed: duplicate item id {limits.quote(item['id'], 80)}")
    seen.add(item["id"])
    records[kind].append(rec)


def _check_references(records: dict[str, list[dict[str, Any]]]) -> None:
    """Every cited source and every model's organization must be in the same version."""
    sources = {r["id"] for r in records["source"]}
    for kind, recs in records.items():
        for rec in recs:
            for sid in rec.get("sources") or []:
                if sid not in sources:
                    raise FeedError(f"invalid feed: {kind} {rec['id']!r} cites missing source {sid!r}")
    orgs = {r["id"] for r in records["organization"]}
    for rec in records["model"]:
        if rec["organization"] not in orgs:
            raise FeedError(f"invalid feed: model {rec['id']!r} names missing organization {rec['organization']!r}")


def signature_url(feed_url: str) -> str:
    return feed_url + ".minisig"
