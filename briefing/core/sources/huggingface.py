"""Hugging Face Hub adapter: today's readings per HF repo and organization, and a whole-Hub reading.

Two readings a sync, each dated the sync day, so repeated syncs build the download history the Hub
itself does not keep:

* series `hub_orgs`: for each organization's `hf_namespaces`, its models (`/api/models?author=…&
  sort=downloads&expand=…`, Link-header pagination, a page cap) and, for its leading base models,
  `childrenModelCount` from the detail route;
* series `hub_top`: the top N text-generation models by downloads (`pipeline_tag=text-generation`,
  N the `hub_top_n` setting, default 1,000; the same pagination and a page cap), attributed like
  every reading (`readings.Attribution`) and stored with a dated share-of-downloads reading by
  developer country (`download_share` records of China and the US, the rest in their method).

Every listed model whose tags name a base model (`base_model:[relation:]org/name`) gets an
`hf_repo` record, so a re-upload counts for its base's developer. 401 with `X-Error-Code:
RepoNotFound` = not found; 429 waits for the `RateLimit` reset (capped) and retries. Records get
origin "huggingface".
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urljoin

import requests

from briefing.core import limits
from briefing.core.errors import RecordError
from briefing.core.feed import FeedError, FetchConfig, make_session
from briefing.core.home import Home
from briefing.core.progress import span
from briefing.core.readings import UNATTRIBUTED, Attribution, reading_shares
from briefing.core.records import ID_PATTERN, validate
from briefing.core.settings import Settings
from briefing.core.sources import get_json, rate_limit_wait, retry_hint, same_origin
from briefing.core.staging import Changes, SyncResult, apply_staged, put_diffed
from briefing.core.store import Store
from briefing.core.text import clean_text

DEFAULT_ENDPOINT = "https://huggingface.co"
PUBLIC = "https://huggingface.co"
EXPAND = ("downloads", "downloadsAllTime", "likes", "createdAt", "lastModified", "library_name", "pipeline_tag", "tags")
PAGE_SIZE = 100
MAX_PAGES = 5
TOP_BASE_MODELS = 3
ORIGIN = "huggingface"
TOP_PIPELINE = "text-generation"
#: Pages of the whole-Hub listing read at most (a cap on top of `hub_top_n`).
MAX_TOP_PAGES = 50
RELATIONS = ("finetune", "quantized", "adapter", "merge")


def _not_found(resp: requests.Response) -> bool:
    # The Hub answers 401 for missing (and private/gated) repos; the header says which.
    return resp.status_code == 404 or (resp.status_code == 401 and resp.headers.get("X-Error-Code") == "RepoNotFound")


class _Client:
    def __init__(
        self, endpoint: str, config: FetchConfig, sleep: Callable[[float], None], cancelled: Callable[[], bool]
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.config = config
        self.sleep = sleep
        self.cancelled = cancelled
        # 429 is handled here (RateLimit header), so urllib3 retries only 5xx.
        self.session = make_session(config, status_forcelist=(500, 502, 503, 504))
        self.calls = 0

    def get(
        self, url: str, params: list[tuple[str, Any]] | None = None, *, not_found: bool = False
    ) -> tuple[Any, requests.Response | None]:
        data, resp = get_json(
            self.session,
            url,
            params=params,
            config=self.config,
            what="the Hugging Face Hub",
            sleep=self.sleep,
            cancelled=self.cancelled,
            not_found=_not_found if not_found else None,
        )
        self.calls += 1
        if resp is not None:
            remaining, wait = rate_limit_wait(resp.headers)
            if remaining == 0 and wait:  # out of budget for this window: wait for the reset, capped
                if wait > self.config.retry_after_max:
                    raise FeedError(f"the Hugging Face Hub's rate limit is exhausted; {retry_hint(wait)}")
                self.sleep(wait)
        return data, resp

    def list_models(self, namespace: str, max_pages: int) -> tuple[list[dict[str, Any]], bool, int]:
        """The namespace's models by downloads, at most max_pages pages: (models, truncated, skipped)."""
        return self._pages([("author", namespace)], max_pages)

    def top_models(self, n: int, max_pages: int) -> tuple[list[dict[str, Any]], bool, int]:
        """The `n` most-downloaded text-generation models, at most max_pages pages: (models,
        truncated, skipped); truncated: the page cap stopped the listing before `n` were read."""
        models, more, skipped = self._pages([("pipeline_tag", TOP_PIPELINE)], max_pages, stop_at=n)
        return models[:n], len(models) < n and more, skipped

    def _pages(
        self,
        filters: list[tuple[str, Any]],
        max_pages: int,
        *,
        stop_at: int | None = None,
    ) -> tuple[list[dict[str, Any]], bool, int]:
        """GET /api/models with `filters`, by downloads: (models, truncated, skipped).

        Each model once (by id, across pages); a `Link: rel=next` may be relative (RFC 8288,
        resolved against the page's address); a page already fetched ends the list, one on another
        host is an error. A model entry of the wrong shape is skipped and counted."""
        url: str | None = f"{self.endpoint}/api/models"
        params: list[tuple[str, Any]] | None = [*filters, ("sort", "downloads"), ("limit", PAGE_SIZE)]
        params += [("expand", e) for e in EXPAND]
        models: dict[str, dict[str, Any]] = {}
        seen_pages: set[str] = set()
        skipped = 0
        for _ in range(max_pages):
            data, resp = self.get(url, params)
            if not isinstance(data, list):
                raise FeedError("the Hugging Face Hub returned an unexpected model list")
            for m in data:
                model = _model(m)
                if model is None:
                    skipped += 1
                else:
                    models.setdefault(model["id"], model)
            if resp is None:
                return list(models.values()), False, skipped
            seen_pages.add(resp.url)
            link = resp.links.get("next", {}).get("url")
            if not link:
                return list(models.values()), False, skipped
            if stop_at is not None and len(models) >= stop_at:
                return list(models.values()), True, skipped
            url = urljoin(resp.url, link)
            if not same_origin(url, self.endpoint):
                raise FeedError("the Hugging Face Hub's next page points to another host")
            if url in seen_pages:  # a page that points back: the list has ended (or loops)
                return list(models.values()), False, skipped
            params = None  # the Link URL already carries every parameter and the cursor
        return list(models.values()), True, skipped

    def children(self, repo: str) -> int | None:
        data, _ = self.get(
            f"{self.endpoint}/api/models/{quote(repo, safe='/')}", [("expand", "childrenModelCount")], not_found=True
        )
        if data is None:
            return None
        counts = data.get("childrenModelCount") if isinstance(data, dict) else None
        if isinstance(counts, dict):
            values = [limits.count(v) for v in counts.values()]
            if None in values:
                return None  # an absurd or odd part: not reported, rather than a wrong sum
            return limits.count(sum(values))  # type: ignore[arg-type]
        return limits.count(counts)


_count = limits.count
_REPO = re.compile(ID_PATTERN)
#: The longest repo id or namespace recorded: the observation ids built from it must stay ids.
MAX_REPO = 160


def _model(entry: Any) -> dict[str, Any] | None:
    """A model entry from the Hub with a usable repo id (cleaned), else None. Odd fields are
    dropped one by one (a count beyond limits.MAX_NUMBER, tags that are not a list), never the sync."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        return None
    repo = clean_text(entry["id"])
    if not _REPO.match(repo) or len(repo) > MAX_REPO:
        return None
    model = dict(entry, id=repo)
    if not isinstance(model.get("tags"), list):
        model["tags"] = []
    return model


def base_models(tags: Any) -> tuple[list[str], str | None]:
    """(base repo ids, relation) a model's Hub tags declare: `base_model:<id>` and
    `base_model:<relation>:<id>`; the relation is None when no tag names one."""
    bases: list[str] = []
    relation = None
    for tag in tags if isinstance(tags, list) else []:
        if not isinstance(tag, str) or not tag.startswith("base_model:"):
            continue
        parts = tag.split(":")
        if len(parts) == 3 and parts[1] in RELATIONS:
            relation = relation or parts[1]
        repo = parts[-1]
        if "/" in repo and repo not in bases:
            bases.append(repo)
    return bases, relation


def collect(
    organizations: list[dict[str, Any]],
    *,
    endpoint: str,
    config: FetchConfig,
    today: dt.date,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
    sleep: Callable[[float], None],
    max_pages: int = MAX_PAGES,
    top_base: int = TOP_BASE_MODELS,
    top_n: int = 0,
    max_top_pages: int = MAX_TOP_PAGES,
) -> dict[str, Any]:
    """Fetch and build today's source, adoption and hf_repo records (not yet stored), and the
    whole-Hub listing's facts for its share reading (`top`: repos, n, truncated, source id)."""
    client = _Client(endpoint, config, sleep, cancelled)
    day = today.isoformat()
    skipped = [0, 0]  # model entries of the wrong shape, values out of range
    sources: list[dict[str, Any]] = []
    adoption: list[dict[str, Any]] = []
    lineage: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {}
    mirror = "" if endpoint.rstrip("/") == PUBLIC else f" via {endpoint}"

    def note_lineage(m: dict[str, Any], sid: str) -> None:
        bases, relation = base_models(m.get("tags"))
        bases = [b for b in bases if b.lower() != m["id"].lower() and _REPO.match(b) and len(b) <= MAX_REPO]
        if bases:
            rec = lineage.setdefault(
                m["id"], {"id": m["id"], "base_models": bases[:20], "relation": relation, "as_of": day, "sources": []}
            )
            if sid not in rec["sources"]:
                rec["sources"].append(sid)

    share_of_progress = 0.8 if top_n else 1.0
    try:
        for n, org in enumerate(organizations):
            progress(share_of_progress * n / max(1, len(organizations)), f"Hugging Face: {org['name']}")
            totals = {"downloads_30d": 0, "downloads_total": 0, "likes": 0, "derivatives": 0}
            complete_total = True
            org_sources: list[str] = []
            listed = 0
            any_cap = ""
            for ns in org.get("hf_namespaces") or []:
                if not _REPO.match(ns) or len(ns) > MAX_REPO:
                    skipped[0] += 1  # a namespace no Hub id can have: asked for nothing
                    continue
                models, truncated, odd = client.list_models(ns, max_pages)
                skipped[0] += odd
                sid = f"hf-api/{ns}/models/{day}"
                sources.append(
                    _api_source(
                        sid,
                        f"{PUBLIC}/api/models?author={quote(ns)}&sort=downloads",
                        f"models by {ns}, sorted by downloads{mirror}",
                        day,
                    )
                )
                org_sources.append(sid)
                cap = f" (first {max_pages * PAGE_SIZE} models by downloads only)" if truncated else ""
                listed += len(models)
                for m in models:
                    repo = m["id"]
                    for metric, key, what in (
                        ("downloads_30d", "downloads", "downloads over the last 30 days"),
                        ("downloads_total", "downloadsAllTime", "downloads since the repo was created"),
                        ("likes", "likes", "likes"),
                    ):
                        value = _count(m.get(key))
                        if value is None:
                            if metric == "downloads_total":
                                complete_total = False
                            if m.get(key) is not None:
                                skipped[1] += 1  # present but absurd (beyond 64 bits, negative, text)
                            continue
                        totals[metric] += value
                        adoption.append(
                            _obs(
                                f"hf/{repo}/{metric}/{day}",
                                "hf_repo",
                                repo,
                                metric,
                                value,
                                day,
                                f"Hugging Face Hub API `{key}` for {repo} ({what}), read on {day}.",
                                [sid],
                                series="hub_orgs",
                            )
                        )
                    note_lineage(m, sid)
                leading = sorted(
                    (m for m in models if not any(str(t).startswith("base_model:") for t in m.get("tags") or [])),
                    key=lambda m: _count(m.get("downloads")) or 0,
                    reverse=True,
                )[:top_base]
                for m in leading:
                    kids = client.children(m["id"])
                    if kids is None:
                        continue  # not found (401 RepoNotFound) or not reported
                    csid = f"hf-api/{m['id']}/children/{day}"
                    sources.append(
                        _api_source(
                            csid,
                            f"{PUBLIC}/api/models/{m['id']}?expand=childrenModelCount",
                            f"derivative models of {m['id']}{mirror}",
                            day,
                        )
                    )
                    org_sources.append(csid)
                    totals["derivatives"] += kids
                    adoption.append(
                        _obs(
                            f"hf/{m['id']}/derivatives/{day}",
                            "hf_repo",
                            m["id"],
                            "derivatives",
                            kids,
                            day,
                            f"Hub `childrenModelCount` for {m['id']} (direct fine-tunes, adapters, quantizations and merges), read on {day}.",
                            [csid],
                            series="hub_orgs",
                        )
                    )
                any_cap = any_cap or cap
            if not org_sources:
                continue
            namespaces = ", ".join(org.get("hf_namespaces") or [])
            for metric, value in totals.items():
                if metric == "downloads_total" and not complete_total:
                    continue
                if limits.count(value) is None:
                    skipped[1] += 1
                    continue
                if metric == "derivatives" and not any(s.endswith(f"/children/{day}") for s in org_sources):
                    continue
                what = {
                    "downloads_30d": "sum of 30-day downloads",
                    "downloads_total": "sum of all-time downloads",
                    "likes": "sum of likes",
                    "derivatives": f"sum of direct derivatives of its top {top_base} base models",
                }[metric]
                adoption.append(
                    _obs(
                        f"hf-org/{org['id']}/{metric}/{day}",
                        "organization",
                        org["id"],
                        metric,
                        value,
                        day,
                        f"Hugging Face Hub API, {what} over the {listed} models listed under {namespaces} on {day}{any_cap}.",
                        sorted(set(org_sources)),
                    )
                )
        if top_n:
            progress(share_of_progress, f"Hugging Face: the top {top_n:,} text-generation models")
            models, truncated, odd = client.top_models(top_n, max_top_pages)
            skipped[0] += odd
            sid = f"hf-api/top/{TOP_PIPELINE}/models/{day}"
            sources.append(
                _api_source(
                    sid,
                    f"{PUBLIC}/api/models?pipeline_tag={TOP_PIPELINE}&sort=downloads",
                    f"the most-downloaded {TOP_PIPELINE} models{mirror}",
                    day,
                )
            )
            repos = []
            for rank, m in enumerate(models, 1):
                value = _count(m.get("downloads"))
                note_lineage(m, sid)
                if value is None:
                    if m.get("downloads") is not None:
                        skipped[1] += 1
                    continue
                repos.append((m["id"], value))
                adoption.append(
                    _obs(
                        f"hf-top/{m['id']}/downloads_30d/{day}",
                        "hf_repo",
                        m["id"],
                        "downloads_30d",
                        value,
                        day,
                        f"Hugging Face Hub API `downloads` (last 30 days) for {m['id']}, number {rank} of the "
                        f"{len(models):,} most-downloaded {TOP_PIPELINE} models listed on {day}.",
                        [sid],
                        series="hub_top",
                    )
                )
            top = {"repos": repos, "n": top_n, "listed": len(models), "truncated": truncated, "source": sid}
    finally:
        client.session.close()
    out: dict[str, Any] = {"source": [], "adoption": [], "hf_repo": [], "top": top, "skipped": skipped}
    try:
        out["source"] = [validate("source", s) for s in sources]
    except RecordError as exc:
        raise FeedError(f"the Hugging Face Hub returned data we cannot record: {exc}") from None
    for a in adoption:
        try:
            out["adoption"].append(validate("adoption", a))
        except RecordError:
            skipped[1] += 1  # one odd observation is left out, never the whole sync
    for r in lineage.values():
        try:
            out["hf_repo"].append(validate("hf_repo", r))
        except RecordError:
            skipped[1] += 1  # a lineage we cannot record: the repo stays unattributed
    return out


def share_records(store: Store, top: dict[str, Any], day: str) -> list[dict[str, Any]]:
    """The whole-Hub listing's dated share-of-downloads reading: China's and the US's share of the
    listed repos' summed 30-day downloads (`readings.reading_shares`, the attribution every chart
    uses, on today's lineage), the other buckets and the coverage in the method."""
    if not top or not top["repos"]:
        return []
    split = reading_shares(Attribution(store), top["repos"])
    if split.total <= 0:
        return []
    cap = " (the page cap stopped the listing early)" if top["truncated"] else ""
    rest = (
        f"Same reading: other countries {split.shares['Other']:.1f}%, unattributed {split.shares[UNATTRIBUTED]:.1f}%"
        f" ({split.unattributed:,} of {split.n:,} repos); China {split.shares['CN']:.1f}%, the US {split.shares['US']:.1f}%."
    )
    out = []
    for country, who in (("CN", "China"), ("US", "the United States")):
        out.append(
            validate(
                "adoption",
                {
                    "id": f"hf-top/share/{country}/{day}",
                    "subject_kind": "country",
                    "subject": country,
                    "metric": "download_share",
                    "value": round(split.shares[country], 2),
                    "unit": "percent",
                    "as_of": day,
                    "period_start": (dt.date.fromisoformat(day) - dt.timedelta(days=30)).isoformat(),
                    "method": (
                        f"Share of the summed Hub 30-day downloads of the {split.n:,} most-downloaded {TOP_PIPELINE} "
                        f"models (of {top['n']:,} asked{cap}) listed on {day} whose developer is based in {who}: repo -> "
                        "developer account, catalogued model or base model of a re-upload -> country (docs/methods.md). "
                        + rest
                    ),
                    "series": "hub_top",
                    "sources": [top["source"]],
                },
            )
        )
    return out


def _api_source(sid: str, url: str, what: str, day: str) -> dict[str, Any]:
    """The source record for one Hub API call made on `day`."""
    return {
        "id": sid,
        "url": url,
        "title": f"Hugging Face Hub API: {what}",
        "publisher": "Hugging Face",
        "published_on": None,
        "retrieved_on": day,
        "reliability": "primary",
    }


def _obs(
    rid: str,
    subject_kind: str,
    subject: str,
    metric: str,
    value: int,
    day: str,
    method: str,
    sources: list[str],
    *,
    series: str | None = None,
) -> dict[str, Any]:
    window = (dt.date.fromisoformat(day) - dt.timedelta(days=30)).isoformat() if metric == "downloads_30d" else None
    return {
        "id": rid,
        "subject_kind": subject_kind,
        "subject": subject,
        "metric": metric,
        "value": value,
        "unit": "count",
        "as_of": day,
        "period_start": window,
        "method": method,
        "sources": sources,
        "series": series,
    }


def sync_source(
    home: Home,
    *,
    endpoint: str | None,
    config: FetchConfig,
    today: dt.date,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
    max_pages: int = MAX_PAGES,
    top_base: int = TOP_BASE_MODELS,
    top_n: int | None = None,
    max_top_pages: int = MAX_TOP_PAGES,
) -> SyncResult:
    """Pull today's Hub figures and apply them all or nothing. Returns a staging.SyncResult.

    `top_n` (default: the `hub_top_n` setting) sizes the whole-Hub reading; 0 skips it."""
    if top_n is None:
        top_n = Settings.load(home.settings_path).hub_top_n
    with Store(home.data_path, readonly=True) as store:
        orgs = [o for o in store.records("organization") if o.get("hf_namespaces")]
    records = collect(
        orgs,
        endpoint=endpoint or DEFAULT_ENDPOINT,
        config=config,
        today=today,
        progress=span(progress, 0, 0.6),
        cancelled=cancelled,
        sleep=sleep,
        max_pages=max_pages,
        top_base=top_base,
        top_n=max(0, int(top_n)),
        max_top_pages=max_top_pages,
    )

    def mutate(store: Store) -> Changes:
        changes = Changes()
        existing_sources = store.ids("source")
        fresh = [s for s in records["source"] if s["id"] not in existing_sources]
        put_diffed(store, "source", fresh, origin=ORIGIN, changes=changes)
        put_diffed(store, "hf_repo", records["hf_repo"], origin=ORIGIN, changes=changes)
        put_diffed(store, "adoption", records["adoption"], origin=ORIGIN, changes=changes)
        # attributed after today's lineage is in, as every chart will attribute it
        put_diffed(
            store, "adoption", share_records(store, records["top"], today.isoformat()), origin=ORIGIN, changes=changes
        )
        return changes

    changes = apply_staged(
        home,
        mutate,
        meta={"huggingface_last_sync": today.isoformat()},
        label="huggingface",
        progress=span(progress, 0.6, 1.0),
        cancelled=cancelled,
    )
    result = changes.applied("huggingface")
    odd_models, odd_values = records["skipped"]
    notes = []
    if odd_models:
        notes.append(f"{odd_models} model entr{'y' if odd_models == 1 else 'ies'} of the wrong shape left out")
    if odd_values:
        notes.append(f"{odd_values} value(s) out of range left out")
    result.message = "; ".join(notes)
    return result
