"""What changed since my last brief: the figures a brief quoted, kept in the home (the notes file,
`NoteStore.log_brief`; never the synced data), and how each stands now.

`quoted(ctx, figs, topic)` takes a snapshot of the figures a brief on `topic` quotes (its key
figures and those its bottom line draws on): each one's values, window, and the records and
sources behind it (a digest of each record's content, its source ids). `compare(before, now)`
says which changed, by how much and why:

* **a new reading**: the figure now rests on records it did not (a newer observation, more records
  counted) or its window moved;
* **a corrected record**: a record it rested on before says something else now;
* **a new source**: a record it rests on cites a source it did not;
* records no longer counted, a figure no longer in the data, a figure new since.

No Qt; the NoteStore belongs to the calling thread.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from briefing.core import figures, numbers
from briefing.core.notes import NoteStore
from briefing.core.report import Change

#: Bumped when the snapshot's shape changes (an older snapshot is then compared by value only).
VERSION = 1


@dataclass(frozen=True)
class Quoted:
    """One figure as a brief quoted it."""

    id: str
    title: str
    text: str  # the value as printed ('China 17.1% · US 15.8%')
    parts: tuple[tuple[str, float, str], ...]  # (label, value, unit)
    window: tuple[str | None, str | None]
    records: dict[str, str] = field(default_factory=dict)  # record id -> digest of its content (sources aside)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)  # record id -> its source ids

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Quoted:
        return cls(
            id=str(d["id"]),
            title=str(d.get("title", "")),
            text=str(d.get("text", "")),
            parts=tuple((str(p[0]), float(p[1]), str(p[2])) for p in d.get("parts", [])),
            window=tuple((list(d.get("window") or []) + [None, None])[:2]),  # type: ignore[arg-type]
            records={str(k): str(v) for k, v in (d.get("records") or {}).items()},
            sources={str(k): tuple(v) for k, v in (d.get("sources") or {}).items()},
        )


def _digest(rec: dict[str, Any]) -> str:
    content = {k: v for k, v in rec.items() if k not in ("sources", "origin", "updated_at", "synced_at")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _index(ctx: figures.Context) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for recs in (ctx.adoption, ctx.investments, ctx.policies, ctx.models):
        for r in recs:
            out.setdefault(r["id"], r)
    return out


def quoted_ids(topic: str) -> tuple[str, ...]:
    """The figures a brief on `topic` quotes: its key figures, then those of its bottom line."""
    return tuple(dict.fromkeys(figures.TOPIC_KEY_FIGURES[topic] + figures.TOPIC_SENTENCES[topic]))


def quoted(ctx: figures.Context, figs: Iterable[figures.Figure], topic: str) -> list[Quoted]:
    """The snapshot of what a brief on `topic` quotes, from figures computed on `ctx`."""
    by_id = {f.id: f for f in figs}
    index = _index(ctx)
    out = []
    for fid in quoted_ids(topic):
        f = by_id.get(fid)
        if f is None:
            continue
        recs = {rid: index[rid] for rid in f.record_ids if rid in index}
        out.append(
            Quoted(
                id=f.id,
                title=f.title,
                text=f.value_text(),
                parts=tuple((p.label, p.value, p.unit) for p in f.parts),
                window=(f.window_start, f.window_end or f.as_of),
                records={rid: _digest(r) for rid, r in recs.items()},
                sources={rid: tuple(r.get("sources") or ()) for rid, r in recs.items()},
            )
        )
    return out


def dumps(snapshot: Sequence[Quoted]) -> str:
    return json.dumps({"version": VERSION, "figures": [q.to_json() for q in snapshot]}, ensure_ascii=False)


def loads(text: str) -> list[Quoted]:
    """A stored snapshot; an unreadable one reads as empty (nothing to compare with)."""
    try:
        doc = json.loads(text)
        return [Quoted.from_json(d) for d in doc.get("figures", [])]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return []


def _delta(before: Quoted, now: Quoted) -> str:
    """'+0.9 percentage points', '−$12 billion', 'China +0.9 points, US −0.2 points', '+3'."""
    b = {lab: (v, unit) for lab, v, unit in before.parts}
    bits = []
    for lab, v, unit in now.parts:
        if lab not in b or b[lab][1] != unit:
            continue
        d = v - b[lab][0]
        if abs(d) < 1e-9:
            continue
        sign = "+" if d > 0 else "\u2212"
        if unit == "percent":
            text = f"{sign}{numbers.plural_points(abs(round(d, 1)))}"
        elif unit == "usd":
            text = f"{sign}{numbers.usd(abs(d))}"
        else:
            text = f"{sign}{numbers.number(abs(d), style='full')}"
        bits.append(f"{lab} {text}" if lab and len(now.parts) > 1 else text)
    return ", ".join(bits)


def _why(before: Quoted, now: Quoted) -> list[str]:
    reasons = []
    added = set(now.records) - set(before.records)
    removed = set(before.records) - set(now.records)
    if added or now.window != before.window:
        # a count of many records gains records; a reported figure gains a newer observation
        many = len(added) > 1 and len(now.records) > 3
        reasons.append(f"{numbers.plural(len(added), 'record')} newly counted" if many else "a new reading")
    common = set(now.records) & set(before.records)
    if any(now.records[r] != before.records[r] for r in common):
        reasons.append("a corrected record")
    if any(set(now.sources.get(r, ())) - set(before.sources.get(r, ())) for r in common):
        reasons.append("a new source")
    if removed:
        reasons.append(f"{numbers.plural(len(removed), 'record')} no longer counted")
    return reasons


def compare(before: Sequence[Quoted], now: Sequence[Quoted]) -> list[Change]:
    """The figures that changed between two snapshots (a figure new since, or gone, included)."""
    old = {q.id: q for q in before}
    new = {q.id: q for q in now}
    out = []
    for q in now:
        p = old.get(q.id)
        if p is None:
            out.append(Change(q.id, q.title, "", q.text, "", "new since the last brief"))
            continue
        reasons = _why(p, q)
        if (
            p.text == q.text
            and p.parts == q.parts
            and "a new source" not in reasons
            and "a corrected record" not in reasons
        ):
            continue
        if p.text == q.text and p.parts == q.parts:
            out.append(Change(q.id, q.title, p.text, q.text, "", "unchanged, but " + " and ".join(reasons)))
            continue
        out.append(Change(q.id, q.title, p.text, q.text, _delta(p, q), " and ".join(reasons) or "recomputed"))
    for p in before:
        if p.id not in new:
            out.append(Change(p.id, p.title, p.text, "", "", "no longer in the data"))
    return out


def last(notes: NoteStore, topic: str) -> tuple[str, list[Quoted]] | None:
    """(exported at, snapshot) of the latest brief on `topic`, or None if there was none."""
    row = notes.last_brief(topic)
    return None if row is None else (row[0], loads(row[1]))


def record(notes: NoteStore, topic: str, fmt: str, snapshot: Sequence[Quoted]) -> None:
    """Log an exported brief and what it quoted (after its file is written)."""
    notes.log_brief(topic, fmt, dumps(snapshot))
