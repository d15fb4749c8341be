"""The errors the CLI and the UI show as a single line, and the one "stopped on request"."""

from __future__ import annotations


class BriefingError(Exception):
    """An expected failure with a message fit to show a user in one line."""

    def __str__(self) -> str:  # keep multi-line causes out of the one-line message
        return " ".join(super().__str__().split())


class RecordError(BriefingError):
    """A record does not match the feed spec's fields."""


class Cancelled(BriefingError):  # noqa: N818 - stopped on request: the one BriefingError that is not a failure
    """Work stopped because it was asked to (Cancel, closing a dialog, quitting); nothing changed.

    Raised through `progress.check`; every surface ignores it in one way (no error box, no
    "failed" line), whatever task it comes from."""
