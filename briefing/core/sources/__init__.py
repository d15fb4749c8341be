"""Adapters for public sources (Hugging Face Hub, Federal Register) and their shared HTTP helper.

Each adapter's `sync_source(home, ...)` pulls what is new, turns it into validated records with
their own origin (records.LOCAL_ORIGINS: a feed version never removes them) and applies them
through `staging.apply_staged`, all or nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests

from briefing.core.feed import FeedError, FetchConfig, network_error, parse_json, rate_limit_wait, read_body, retry_hint

__all__ = ["get_json", "rate_limit_wait", "retry_hint", "same_origin"]
from briefing.core.progress import CancelCheck, check, never


def same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def get_json(
    session: requests.Session,
    url: str,
    *,
    config: FetchConfig,
    what: str,
    params: list[tuple[str, Any]] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    cancelled: CancelCheck = never,
    not_found: Callable[[requests.Response], bool] | None = None,
) -> tuple[Any, requests.Response | None]:
    """GET JSON within the limits. 429 waits (RateLimit `t` or Retry-After) then retries, all its
    waits together at most `config.retry_after_max` seconds; a longer wait gives up at once and says
    when to try again.

    Returns (None, None) when `not_found(response)` says the thing does not exist.
    Raises FeedError with one line on anything else that is not a 200 with strict JSON.
    """
    waited = 0.0
    for attempt in range(config.retries + 1):
        check(cancelled, "sync")
        start = time.monotonic()
        try:
            resp = session.get(url, params=params, timeout=(config.connect_timeout, config.read_timeout), stream=True)
        except requests.exceptions.RequestException as exc:
            raise network_error(exc, url, what, config) from None
        with resp:
            if resp.status_code == 429:
                _, wait = rate_limit_wait(resp.headers)
                if attempt == config.retries or wait is None or waited + wait > config.retry_after_max:
                    raise FeedError(f"{what} is rate-limiting us (HTTP 429); {retry_hint(wait)}")
                sleep(wait)
                waited += wait
                continue
            if not_found is not None and not_found(resp):
                return None, None
            if resp.status_code != 200:
                raise FeedError(f"{what} unavailable (HTTP {resp.status_code})")
            try:
                body = read_body(resp, config=config, what=what, start=start, cancelled=cancelled)
            except requests.exceptions.RequestException as exc:
                raise network_error(exc, url, what, config) from None
        try:
            return parse_json(body), resp
        except FeedError as exc:
            raise FeedError(f"{what}: {exc}") from None
    raise FeedError(f"{what} is rate-limiting us (HTTP 429); try again later")
