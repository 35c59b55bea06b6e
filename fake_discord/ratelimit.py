"""Discord's global rate limit and request rates.

`GlobalLimit` admits at most N requests per bot in any sliding 1-second window; a request over it is answered
429 with `"global": true` and `X-RateLimit-Global: true` (discord.py then holds every request for
`retry_after`). Which routes count is the caller's business (on Discord, interaction callbacks and webhook
followups do not). `peak_count` is the most of some times that fall within one window.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable

from .model import Json

WINDOW_SECONDS = 1.0


class GlobalLimit:
    def __init__(self, per_second: int) -> None:
        self.per_second = per_second
        self._admitted: deque[float] = deque()  # when the requests in the current window arrived

    def admit(self, now: float) -> float | None:
        """None when a request arriving at `now` may go (it is counted), else the seconds until the window has
        room again. Refused requests are not counted, so a client that waits `retry_after` gets through."""
        while self._admitted and self._admitted[0] <= now - WINDOW_SECONDS:
            self._admitted.popleft()
        if len(self._admitted) >= self.per_second:
            return math.ceil((self._admitted[0] + WINDOW_SECONDS - now) * 1000) / 1000
        self._admitted.append(now)
        return None


def global_limit_body(retry_after: float) -> Json:
    return {"message": "You are being rate limited.", "retry_after": retry_after, "global": True, "code": 0}


def global_limit_headers(retry_after: float) -> dict[str, str]:
    """Discord's global 429 has no bucket headers; discord.py needs `Via` (else it takes the 429 for a
    Cloudflare ban and raises)."""
    return {
        "Retry-After": str(math.ceil(retry_after)),
        "X-RateLimit-Global": "true",
        "X-RateLimit-Scope": "global",
        "Via": "1.1 google",
    }


def peak_count(times: Iterable[float], window: float = WINDOW_SECONDS) -> int:
    """The most of `times` within any half-open interval [t, t + window)."""
    ordered = sorted(times)
    best = start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best
