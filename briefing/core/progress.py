"""The one contract of long work: `progress(fraction, message)` and `cancelled()` callbacks.

A long task (a sync, staging, an export, a page draft) is a plain function that takes both as
keyword arguments, defaulting to `noop` and `never`, and calls them on the thread it runs on:
`progress` with the fraction of the whole task done (0..1) and a short message, `cancelled()` to
ask whether to stop. It stops by raising `errors.Cancelled` (`check(cancelled, what)`), which
every surface treats as "stopped on request", never as a failure. A step of a task reports on its
own 0..1 scale through `span(progress, start, end)`, which maps it onto [start, end] of the
caller's (Orange's `wrap_callback`). The CLI passes a click progress bar, the app's task runner
passes thread-safe callbacks that emit signals, tests pass plain functions.
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.core.errors import Cancelled

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]


def noop(fraction: float, message: str = "") -> None:
    """The default `progress`: report nothing."""


def never() -> bool:
    """The default `cancelled`: never asked to stop."""
    return False


def span(progress: Progress, start: float, end: float, *, prefix: str = "") -> Progress:
    """A `progress` for one step: its 0..1 lands on [start, end] of `progress`, messages prefixed."""

    def step(fraction: float, message: str = "") -> None:
        progress(start + (end - start) * fraction, f"{prefix}{message}")

    return step


def check(cancelled: CancelCheck, what: str = "task") -> None:
    """Raise `Cancelled("<what> cancelled")` when `cancelled()` says to stop."""
    if cancelled():
        raise Cancelled(f"{what} cancelled")
