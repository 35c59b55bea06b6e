"""One pacer for trivia's posts and edits: at most so many a second, oldest due first. No discord import.

Discord allows a bot 50 requests a second across all routes; trivia takes at most half (`PACE_PER_SECOND`),
leaving the rest for answering members. After downtime every schedule is due at once: the pacer turns that
burst into an even stream, in the order the work fell due, instead of a spike of posts and 429s.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable

PACE_PER_SECOND = 25
# A little under the pace, so that requests leaving 40 ms apart never land 26 in one second at Discord.
SPACING_MARGIN = 1.04


class Pacer:
    """`await pacer.turn(due)` waits until this caller may send; turns go out evenly, lowest `due` first."""

    def __init__(self, per_second: float = PACE_PER_SECOND, *, monotonic: Callable[[], float] = time.monotonic):
        self.spacing = SPACING_MARGIN / per_second
        self._monotonic = monotonic
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._next_free = 0.0
        self._releaser: asyncio.Task[None] | None = None

    async def turn(self, due: float) -> None:
        """Wait for this caller's turn. Cancelling the wait gives the turn up."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (due, next(self._order), future))
        if self._releaser is None or self._releaser.done():
            self._releaser = asyncio.create_task(self._release(), name="trivia-pacer")
        await future

    def close(self) -> None:
        """Give up every waiting turn (at shutdown): the waiters see CancelledError."""
        for _, _, future in self._waiting:
            future.cancel()
        self._waiting.clear()
        if self._releaser is not None:
            self._releaser.cancel()

    async def _release(self) -> None:
        while self._waiting:
            delay = self._next_free - self._monotonic()
            if delay > 0:
                await asyncio.sleep(delay)  # the lowest due is chosen after the wait, among all waiting then
            future = self._pop_live()
            if future is None:
                return
            future.set_result(None)
            self._next_free = self._monotonic() + self.spacing

    def _pop_live(self) -> asyncio.Future[None] | None:
        while self._waiting:
            _, _, future = heapq.heappop(self._waiting)
            if not future.done():  # a caller that gave up waiting has a cancelled future
                return future
        return None
