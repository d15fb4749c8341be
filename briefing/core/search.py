"""Search ranking: which records a query finds and in which order (Ctrl+K in the app).

A query is split into words (`tokens`: letters and digits, case-folded; small words such as 'vs'
or 'the' are dropped unless nothing else is left). `Store.search` asks for the records holding every
word in one of their searched fields, and, when none does, those holding any word. `rank` orders them:

1. records before sources (a source is how a record is known, not what was asked for);
2. every word whole in the title, then every word whole somewhere, then more words matched;
3. the words in the title's order as a phrase, then the title's length (a shorter title is closer).

Pure functions, no Qt, no SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STOP_WORDS = frozenset(
    {"a", "an", "and", "or", "the", "of", "in", "on", "for", "to", "vs", "versus", "v", "with", "by"}
)
MAX_TOKENS = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """The query's words, case-folded, stop words dropped (kept when they are all there is)."""
    words = [w.casefold() for w in _WORD.findall(text or "")]
    kept = [w for w in words if w not in STOP_WORDS]
    return list(dict.fromkeys(kept or words))[:MAX_TOKENS]


@dataclass(frozen=True)
class Candidate:
    """A record a query found: its title and the rest of its searched text."""

    kind: str
    id: str
    title: str
    text: str  # the other searched fields, joined
    date: str = ""
    where: str = ""  # a country or jurisdiction code, or a publisher


def _whole(word: str, text: str) -> bool:
    return re.search(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", text, re.IGNORECASE) is not None


def score(c: Candidate, words: list[str]) -> tuple:
    """The sort key of a candidate (smaller first)."""
    title = c.title.casefold()
    everything = f"{title}\n{c.text.casefold()}"
    whole_title = sum(_whole(w, title) for w in words)
    whole_any = sum(_whole(w, everything) for w in words)
    matched = sum(w in everything for w in words)
    phrase = " ".join(words) in title
    return (
        c.kind == "source",
        -(whole_title == len(words)),
        -(whole_any == len(words)),
        -matched,
        -whole_title,
        -whole_any,
        not phrase,
        len(c.title),
        c.title.casefold(),
    )


def rank(candidates: list[Candidate], words: list[str], *, limit: int = 50) -> list[Candidate]:
    """The candidates best first (the module docstring's order), at most `limit`."""
    return sorted(candidates, key=lambda c: score(c, words))[:limit]
