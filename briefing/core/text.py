"""Hostile-text hygiene shared by ingestion, tables, CSV and PDF output."""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings/overrides/isolates (Trojan Source, CVE-2021-42574), marks, zero-width
# characters, BOM, C0/C1 controls other than tab and newline (NUL included), and lone surrogates
# (JSON can spell "\ud800"; a Python str keeps only unpaired ones as surrogates, and they cannot be
# stored as UTF-8).
_INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]"
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(value: str) -> bool:
    """True when `value` holds an unpaired surrogate (a JSON "\\ud800" escape): not Unicode text.
    Records refuse such a value; `clean_text` removes them from what is shown or exported."""
    return _SURROGATE.search(value) is not None


def clean_text(value: str) -> str:
    """Return `value` in NFC with bidi-control, zero-width, control characters and lone surrogates
    removed. The one text rule: records (every free-text field, list and identifier), tables, CSV,
    PDF and the public-source adapters all use it. Idempotent."""
    if _INVISIBLE.search(value):
        value = _INVISIBLE.sub("", value)
    return unicodedata.normalize("NFC", value)


def elide(value: str, limit: int) -> str:
    """Cut `value` to at most `limit` characters, ending with an ellipsis when cut."""
    if len(value) <= limit:
        return value
    return value[: max(0, limit - 1)].rstrip() + "\u2026"
