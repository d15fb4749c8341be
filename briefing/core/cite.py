"""Citations a reader can follow from paper, in a style close to the Congressional Research
Service's: Publisher, "Title," Month D, YYYY, address.

* `stable_address(url)`: the shortest address that lasts, where the source has one: a Federal
  Register document number (federalregister.gov/d/2025-00636), a DOI (doi.org/10...), an arXiv id
  (arxiv.org/abs/2512.03073); otherwise the address as recorded. `printed_address` drops the scheme
  and "www." for paper (the link keeps the full https address).
* `source_note(source)`: one source, complete (publisher, title, date, address). An undated page is
  cited by the day it was read, or says that day is not recorded.
* `figure_citation`, `record_citation`, `chart_citation`: what "Copy citation" puts on the
  clipboard (and `briefing figures --cite ID` prints): plain text, one paragraph.

No Qt; pure functions over records and figures.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from briefing.core.text import clean_text

APP = "Open Model Briefing"
_FR = re.compile(r"^/(?:documents/\d{4}/\d{2}/\d{2}/|d/)(\d{4}-\d{4,6})(?:/|$)")
_DOI = re.compile(r"(10\.\d{4,9}/[^\s?#]+)")
_ARXIV = re.compile(r"^/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$")


def long_date(value: str | None) -> str:
    """'2025-11-27' -> 'November 27, 2025' (CRS spells months out); '' for None or a non-date."""
    try:
        d = dt.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return ""
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def stable_address(url: str) -> str:
    """The lasting short form of an https address where the source has one, else the address."""
    parts = urlsplit(url or "")
    host = parts.netloc.lower().removeprefix("www.")
    if host == "federalregister.gov" and (m := _FR.match(parts.path)):
        return f"https://www.federalregister.gov/d/{m.group(1)}"
    if host in ("arxiv.org", "export.arxiv.org") and (m := _ARXIV.match(parts.path)):
        return f"https://arxiv.org/abs/{m.group(1)}"
    if host.endswith("doi.org") or "/doi/" in parts.path:
        m = _DOI.search(parts.path)
        if m:
            return f"https://doi.org/{m.group(1).rstrip('/.')}"
    return url


def printed_address(url: str) -> str:
    """The stable address as printed: no scheme, no 'www.' ('federalregister.gov/d/2025-00636')."""
    address = stable_address(url)
    return re.sub(r"^https?://(www\.)?", "", address)


def link_target(url: str) -> str:
    """The address a printed link opens: the stable https address; '' for anything not https."""
    address = stable_address(url)
    return address if address.startswith("https://") else ""


def source_date(source: Mapping[str, Any]) -> str:
    """'November 27, 2025'; an undated page: 'undated, read March 3, 2026' or 'undated, date read
    not recorded'."""
    if source.get("published_on"):
        return long_date(source["published_on"])
    if source.get("retrieved_on"):
        return f"undated, read {long_date(source['retrieved_on'])}"
    return "undated, date read not recorded"


def source_note(source: Mapping[str, Any]) -> str:
    """One source, complete: 'Publisher, “Title,” date, address.'"""
    publisher = clean_text(source.get("publisher") or "")
    title = clean_text(source.get("title") or "").rstrip(".")
    date = source_date(source)
    if title:
        text = f"{publisher + ', ' if publisher else ''}“{title},” {date}"
    else:
        text = f"{publisher}, {date}" if publisher else date
    address = printed_address(source.get("url") or "")
    return text + (f", {address}." if address else ".")


def _sources_text(sources: Iterable[Mapping[str, Any]], limit: int = 3) -> str:
    notes = [source_note(s) for s in sources]
    if not notes:
        return ""
    shown = notes[:limit]
    more = f" (and {len(notes) - limit} more sources, listed in the app)" if len(notes) > limit else ""
    return ("Source: " if len(shown) == 1 else "Sources: ") + " ".join(shown) + more


def _compiled(data_as_of: str | None, today: dt.date | None) -> str:
    when = f", data current to {long_date(data_as_of)}" if data_as_of else ""
    accessed = f"; accessed {long_date((today or dt.date.today()).isoformat())}"
    return f"Compiled in {APP}{when}{accessed}."


def figure_citation(fig: Any, *, data_as_of: str | None = None, today: dt.date | None = None) -> str:
    """A headline figure as a citation: what it says, what it measures, its sources (primary first)."""
    weak = " (weakly sourced: look for the primary before quoting it)" if fig.weakly_sourced else ""
    sources = [
        {
            "publisher": s.publisher,
            "title": s.title,
            "url": s.url,
            "published_on": s.published_on,
            "retrieved_on": s.retrieved_on,
        }
        for s in fig.sources
    ]
    basis = f" Computed from {len(fig.record_ids):,} records." if fig.basis == "computed" and fig.record_ids else ""
    return " ".join(
        p
        for p in (
            f"{clean_text(fig.title)}: {fig.value_text(style='words')} ({fig.when_text()}){weak}.",
            clean_text(fig.measure) + basis,
            _sources_text(sources),
            _compiled(data_as_of, today),
        )
        if p
    )


#: The date field each record kind is cited by.
_DATE_FIELD = {
    "policy_action": "date",
    "investment": "announced_on",
    "model": "released_on",
    "adoption": "as_of",
    "source": "published_on",
}


def record_citation(
    kind: str,
    rec: Mapping[str, Any],
    sources: Iterable[Mapping[str, Any]],
    *,
    data_as_of: str | None = None,
    today: dt.date | None = None,
) -> str:
    """A record as a citation: its title (or name), date, what it is, and its sources."""
    if kind == "source":
        return source_note(rec) + " " + _compiled(data_as_of, today)
    title = clean_text(str(rec.get("title") or rec.get("name") or rec.get("subject") or rec.get("id")))
    when = long_date(rec.get(_DATE_FIELD.get(kind, ""), ""))
    what = {
        "policy_action": lambda r: ", ".join(
            p for p in (r.get("jurisdiction"), str(r.get("stage") or "").replace("_", " ")) if p
        ),
        "investment": lambda r: f"{r.get('country')}, {r.get('status')}",
        "model": lambda r: str(r.get("organization") or ""),
        "adoption": lambda r: f"{r.get('metric', '').replace('_', ' ')} {r.get('value')}",
    }.get(kind, lambda r: "")(rec)
    head = f"\u201c{title.rstrip('.')},\u201d" + (f" {what}" if what else "") + (f", {when}" if when else "") + "."
    return " ".join(p for p in (head, _sources_text(sources), _compiled(data_as_of, today)) if p)


def chart_citation(title: str, caption: str, *, data_as_of: str | None = None, today: dt.date | None = None) -> str:
    """A chart as a citation: '"Title," chart, Open Model Briefing. Source: ... Compiled in ...'."""
    head = f"\u201c{clean_text(title).rstrip('.') or 'Chart'},\u201d chart."
    return " ".join(
        p for p in (head, clean_text(caption).rstrip(".") + "." if caption else "", _compiled(data_as_of, today)) if p
    )
