"""Hostile-text hygiene shared by ingestion, tables, CSV and PDF output."""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings/overrides/isolates (Trojan Source, CVE-2021-42574), marks, zero-width
# characters, BOM, and C0/C1 controls other than tab and newline.
_INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff"
    "\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def clean_text(value: str) -> str:
    """Return `value` in NFC with bidi-control, zero-width and control characters removed."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", value))


def elide(value: str, limit: int) -> str:
    """Cut `value` to at most `limit` characters, ending with an ellipsis when cut."""
    if len(value) <= limit:
        return value
    return value[: max(0, limit - 1)].rstrip() + "\u2026"
