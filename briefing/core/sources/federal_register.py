"""Federal Register adapter: new AI, advanced-computing, model-weight and export-control documents.

Queries `documents.json` per search term, limited to the agencies that matter, in publication-date
windows from the last sync on, `order=oldest`; follows `next_page_url` exactly as given (same host
only), at most 50 pages; a window whose matches exceed the 50-page cap is split in halves. A zero-hit
answer has no `results` key. Each new document becomes a `policy_action` (origin
"federal_register", stance "unassessed", `identifiers.fr_doc`, a summary that says it was imported
automatically and awaits review) with its own source record. A document whose number any existing
record already carries is skipped: never duplicated, never overwriting a curated record.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from briefing.core.errors import RecordError
from briefing.core.feed import FeedError, FetchConfig, make_session
from briefing.core.home import Home
from briefing.core.progress import span
from briefing.core.records import validate
from briefing.core.sources import get_json, same_origin
from briefing.core.staging import Changes, SyncResult, apply_staged, put_diffed
from briefing.core.store import Store

DEFAULT_ENDPOINT = "https://www.federalregister.gov/api/v1"
TERMS = ('"artificial intelligence"', '"advanced computing"', '"model weights"', '"export controls" semiconductor')
AGENCIES = (
    "industry-and-security-bureau",
    "commerce-department",
    "national-institute-of-standards-and-technology",
    "executive-office-of-the-president",
    "national-telecommunications-and-information-administration",
    "science-and-technology-policy-office",
    "defense-department",
    "state-department",
)
TYPES = ("RULE", "PRORULE", "NOTICE", "PRESDOCU")
FIELDS = (
    "document_number",
    "title",
    "type",
    "abstract",
    "html_url",
    "publication_date",
    "effective_on",
    "agencies",
    "citation",
    "action",
)
PER_PAGE = 100
MAX_PAGES = 50  # the API never serves more than 50 pages of one query
#: Requests one sync makes at most, whatever the answers say (window splits, pages, terms): a
#: server that lists 10**9 documents or loops its `next_page_url` cannot keep a sync going.
MAX_REQUESTS = 400
WINDOW_DAYS = 31
LOOKBACK_DAYS = 90
ORIGIN = "federal_register"
REVIEW_MARK = "Imported automatically from the Federal Register; awaiting review."


def _params(term: str, start: dt.date, end: dt.date, per_page: int) -> list[tuple[str, Any]]:
    params: list[tuple[str, Any]] = [
        ("conditions[term]", term),
        ("conditions[publication_date][gte]", start.isoformat()),
        ("conditions[publication_date][lte]", end.isoformat()),
        ("order", "oldest"),
        ("per_page", per_page),
    ]
    params += [("conditions[agencies][]", a) for a in AGENCIES]
    params += [("conditions[type][]", t) for t in TYPES]
    params += [("fields[]", f) for f in FIELDS]
    return params


class _BudgetSpentError(Exception):
    """The sync's request budget is spent."""


def fetch_documents(
    *,
    endpoint: str,
    since: dt.date,
    until: dt.date,
    config: FetchConfig,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
    terms: tuple[str, ...] = TERMS,
    per_page: int = PER_PAGE,
    window_days: int = WINDOW_DAYS,
    max_requests: int = MAX_REQUESTS,
) -> tuple[dict[str, dict[str, Any]], list[str], dt.date | None]:
    """Documents by number over [since, until], notes on anything left out, and the last day up to
    which every window was fetched whole (None: not even the first), which is how far the
    "synced through" date may move.

    An answer of the wrong shape (not an object, `results` not a list of documents) is an error.
    A `next_page_url` already fetched ends that query (noted); one on another host is an error;
    at most MAX_PAGES pages per query and `max_requests` requests in all."""
    base = endpoint.rstrip("/")
    # 429 is handled by get_json (a bounded total wait that says when to retry), not by urllib3.
    session = make_session(config, status_forcelist=(500, 502, 503, 504))
    docs: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    requests_made = [0]

    def query(term: str, start: dt.date, end: dt.date) -> None:
        url: str | None = f"{base}/documents.json"
        params: list[tuple[str, Any]] | None = _params(term, start, end, per_page)
        seen: set[str] = set()
        for page in range(1, MAX_PAGES + 1):
            if requests_made[0] >= max_requests:
                raise _BudgetSpentError
            requests_made[0] += 1
            data, resp = get_json(
                session,
                url,
                params=params,
                config=config,
                what="the Federal Register",
                sleep=sleep,
                cancelled=cancelled,
            )
            if resp is not None:
                seen.add(resp.url)
            count = data.get("count", 0) if isinstance(data, dict) else None
            results = data.get("results", []) if isinstance(data, dict) else None  # zero hits: no `results` key
            if (
                not isinstance(count, int)
                or isinstance(count, bool)
                or count < 0
                or not isinstance(results, list)
                or not all(isinstance(d, dict) and isinstance(d.get("document_number"), str) for d in results)
            ):
                raise FeedError("the Federal Register returned an answer of an unexpected shape")
            if page == 1 and count > per_page * MAX_PAGES and start < end:
                mid = start + (end - start) // 2  # too many for 50 pages: split the window
                query(term, start, mid)
                query(term, mid + dt.timedelta(days=1), end)
                return
            for doc in results:
                docs.setdefault(doc["document_number"], doc)
            url = data.get("next_page_url")
            if not url:
                return
            if not isinstance(url, str) or not same_origin(url, base):
                raise FeedError("the Federal Register's next page points to another host")
            if url in seen:
                notes.append(f"{term} {start}..{end}: the next page pointed back to a page already read; stopped there")
                return
            params = None  # followed exactly as given
        notes.append(f"{term} {start}..{end}: more than {MAX_PAGES} pages, the rest was not fetched")

    through: dt.date | None = None
    try:
        windows = []
        start = since
        while start <= until:
            end = min(until, start + dt.timedelta(days=window_days - 1))
            windows.append((start, end))
            start = end + dt.timedelta(days=1)
        total = max(1, len(windows) * len(terms))
        done = 0
        for start, end in windows:
            for term in terms:
                progress(done / total, f"Federal Register: {start} to {end}")
                query(term, start, end)
                done += 1
            through = end
    except _BudgetSpentError:
        left = f"up to {through}" if through else "none of the days asked for"
        notes.append(f"stopped after {max_requests} requests: fetched whole {left}; the next sync goes on from there")
    finally:
        session.close()
    return docs, notes, through


def _stage_and_instrument(doc: dict[str, Any], today: dt.date) -> tuple[str, str]:
    kind = doc.get("type")
    slugs = {a.get("slug") for a in doc.get("agencies") or [] if isinstance(a, dict)}
    if kind == "Presidential Document":
        instrument = "executive_action"
    elif "industry-and-security-bureau" in slugs:
        instrument = "export_control"
    elif kind in ("Rule", "Proposed Rule"):
        instrument = "regulation"
    else:
        instrument = "guidance"
    if kind == "Proposed Rule":
        stage = "proposed"
    elif kind == "Rule":
        eff = doc.get("effective_on")
        stage = "in_force" if isinstance(eff, str) and eff <= today.isoformat() else "enacted"
    else:
        stage = "enacted"
    return stage, instrument


def to_records(doc: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """(policy_action, source) for one FR document; raises RecordError if it cannot be recorded."""
    number = doc["document_number"]
    agencies = [a for a in doc.get("agencies") or [] if isinstance(a, dict)]
    body = next(
        (a.get("name") or a.get("raw_name") for a in agencies if a.get("name") or a.get("raw_name")), "Federal Register"
    )
    url = (
        doc.get("html_url")
        if isinstance(doc.get("html_url"), str) and doc["html_url"].startswith("https://")
        else f"https://www.federalregister.gov/d/{number}"
    )
    title = str(doc.get("title") or "").strip()[:500] or f"Federal Register document {number}"
    stage, instrument = _stage_and_instrument(doc, today)
    abstract = str(doc.get("abstract") or doc.get("action") or "").strip()
    sid = f"fr-doc-{number}"
    source = validate(
        "source",
        {
            "id": sid,
            "url": url,
            "title": title,
            "publisher": "Federal Register",
            "published_on": doc.get("publication_date"),
            "retrieved_on": today.isoformat(),
            "reliability": "primary",
        },
    )
    identifiers = {"fr_doc": number, "review": "awaiting review (imported automatically)"}
    if isinstance(doc.get("type"), str):
        identifiers["fr_type"] = doc["type"]
    if isinstance(doc.get("citation"), str):
        identifiers["citation"] = doc["citation"]
    action = validate(
        "policy_action",
        {
            "id": f"fr-{number}",
            "jurisdiction": "US",
            "body": str(body)[:500],
            "title": title,
            "instrument": instrument,
            "stage": stage,
            "date": doc.get("publication_date"),
            "effective_on": doc.get("effective_on"),
            "stance_on_open_models": "unassessed",
            # relevance stays unassessed (null) until someone codes it: no figure counts it before then
            "published_on": doc.get("publication_date"),
            "identifiers": identifiers,
            "summary": f"{REVIEW_MARK} {abstract}".strip(),
            "related": [],
            "sources": [sid],
        },
    )
    return action, source


def sync_source(
    home: Home,
    *,
    endpoint: str | None,
    config: FetchConfig,
    today: dt.date,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
    since: dt.date | None = None,
    **query_options: Any,
) -> SyncResult:
    """Import new FR documents since the last FR sync, all or nothing. Returns a staging.SyncResult."""
    with Store(home.data_path, readonly=True) as store:
        last = store.meta().get("federal_register_through")
    if since is None:
        since = dt.date.fromisoformat(last) if last else today - dt.timedelta(days=LOOKBACK_DAYS)
    docs, notes, through = fetch_documents(
        endpoint=endpoint or DEFAULT_ENDPOINT,
        since=since,
        until=today,
        config=config,
        progress=span(progress, 0, 0.6),
        cancelled=cancelled,
        sleep=sleep,
        **query_options,
    )
    converted = []
    skipped = 0
    for number in sorted(docs):
        try:
            converted.append(to_records(docs[number], today))
        except (RecordError, KeyError, TypeError):
            skipped += 1

    def mutate(store: Store) -> Changes:
        changes = Changes()
        known_docs = store.fr_doc_numbers()
        known_actions = store.ids("policy_action")
        known_sources = store.ids("source")
        new_actions, new_sources = [], []
        for action, source in converted:
            if action["identifiers"]["fr_doc"] in known_docs or action["id"] in known_actions:
                continue  # already present (curated or imported before): never duplicate or overwrite
            if source["id"] not in known_sources:
                new_sources.append(source)
                known_sources.add(source["id"])
            new_actions.append(action)
        put_diffed(store, "source", new_sources, origin=ORIGIN, changes=changes)
        put_diffed(store, "policy_action", new_actions, origin=ORIGIN, changes=changes)
        return changes

    moved = {"federal_register_through": through.isoformat()} if through is not None else {}
    changes = apply_staged(
        home,
        mutate,
        meta=moved,
        label="federal-register",
        progress=span(progress, 0.6, 1.0),
        cancelled=cancelled,
    )
    result = changes.applied("federal_register")
    extra = [f"{skipped} document(s) could not be recorded"] if skipped else []
    result.message = "; ".join(notes + extra)
    return result
