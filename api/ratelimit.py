"""A fixed-window request counter per token in Django's cache (`API_RATE_LIMIT`, e.g. "120/min").

The default cache is per process: with several web processes, configure a shared cache
(CACHES) for the limit to hold across them."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WINDOWS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


@dataclass(frozen=True)
class Limit:
    requests: int
    window: int  # seconds


def configured_limit() -> Limit:
    text = str(getattr(settings, "API_RATE_LIMIT", "120/min"))
    count, _, unit = text.partition("/")
    return Limit(requests=int(count), window=WINDOWS[unit.strip() or "min"])


def hit(token_id: int, *, now: float | None = None) -> int:
    """Counts one request of the token; returns 0 if allowed, else the seconds to wait."""
    limit = configured_limit()
    now = time.time() if now is None else now
    window_start = int(now // limit.window) * limit.window
    key = f"api-rate:{token_id}:{window_start}"
    cache.add(key, 0, timeout=limit.window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window + 1)
        count = 1
    if count <= limit.requests:
        return 0
    return max(1, int(window_start + limit.window - now + 0.999))
