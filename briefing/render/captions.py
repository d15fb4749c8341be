"""A chart's printed captions in plain text: the source credit and the caption line (no Qt: the
app's charts and the brief's SVG chart print the same words)."""

from __future__ import annotations

from briefing.core.figures import GRADES, source_grade
from briefing.core.store import Store
from briefing.core.text import elide


def caption_text(source_line: str, as_of: str, note: str = "") -> str:
    """'Source: ...  ·  Data as of ...  ·  note' (plain text), skipping empty parts."""
    parts = [p for p in (source_line, f"Data as of {as_of}" if as_of else "", note) if p]
    return "  ·  ".join(parts)


def source_line(store: Store, source_ids: list[str] | set[str], *, limit: int = 3) -> str:
    """A one-line credit for the given source ids (unknown ids skipped).

    Up to `limit` sources: 'Source: Publisher, Title; ...' (titles elided), primary first. More: the
    publishers, those with a primary source first, then by number of sources, e.g. 'Sources: Federal
    Register (45), Reuters (3) and 12 other publishers (71 sources; each record lists its own)'.
    Plain text: callers escape it where markup is rendered.
    """
    recs = [r for r in (store.record("source", sid) for sid in sorted(source_ids)) if r]
    recs.sort(key=lambda r: GRADES.index(source_grade(r)))  # stable: by id within a grade
    if not recs:
        return ""
    if len(recs) <= limit:
        label = "Source: " if len(recs) == 1 else "Sources: "
        return label + "; ".join(f"{elide(r['publisher'], 60)}, {elide(r['title'], 90)}" for r in recs)
    counts: dict[str, int] = {}
    best: dict[str, int] = {}  # each publisher's best grade (index in GRADES)
    for r in recs:
        counts[r["publisher"]] = counts.get(r["publisher"], 0) + 1
        best[r["publisher"]] = min(best.get(r["publisher"], len(GRADES)), GRADES.index(source_grade(r)))
    ranked = sorted(counts, key=lambda name: (best[name], -counts[name], name.casefold()))
    shown = ", ".join(f"{elide(name, 60)} ({counts[name]})" for name in ranked[:limit])
    rest = len(ranked) - limit
    more = f" and {rest} other publisher{'s' if rest != 1 else ''}" if rest > 0 else ""
    return f"Sources: {shown}{more} ({len(recs)} sources; each record lists its own)"
