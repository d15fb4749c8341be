"""The one error type the CLI and the UI show as a single line."""

from __future__ import annotations


class BriefingError(Exception):
    """An expected failure with a message fit to show a user in one line."""

    def __str__(self) -> str:  # keep multi-line causes out of the one-line message
        return " ".join(super().__str__().split())


class RecordError(BriefingError):
    """A record does not match the feed spec's fields."""
