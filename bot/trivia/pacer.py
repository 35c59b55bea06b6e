"""One pacer for trivia's posts and edits: at most so many a second, oldest due first. No discord import.

Discord allows a bot 50 requests a second across all routes; trivia takes at most half (`PACE_PER_SECOND`),
leaving the rest for answering members. After downtime every schedule is due at once: the pacer turns that
burst into an even stream, in the order the work fell due, instead of a spike of posts and 429s.

The pace is the bot's, not a process's: a process running some of the shards (SHARD_IDS) takes their part of
it (`share_of_pace`: 1 shard of 4, a quarter), so the processes together stay within it with nothing shared
between them. Processes that share nothing can't space their sends against each other: their requests may
bunch on the way (a busy host, a network's jitter), so a process with part of the shards leaves a fifth of its
part as headroom (`SPLIT_HEADROOM`). In whole requests: four quarter shares of 25 send at most 5 each in any one
second, 20 in all, which takes several bunched arrivals to reach 25.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import time
from collections.abc import Callable

from bot.shards import Shards

PACE_PER_SECOND = 25
# A little under the pace, so that requests leaving 40 ms apart never land 26 in one second at Discord.
SPACING_MARGIN = 1.04


SPLIT_HEADROOM = 0.8  # what a process with part of the shards takes of its part (see above)


def share_of_pace(per_second: float, shards: Shards | None) -> float:
    """This process's part of the bot's `per_second`: its shards' part of all of them, less the headroom
    (`shards` None, or every shard: the whole pace). The shares of processes that split the shards between them
    add up to `SPLIT_HEADROOM` of `per_second`."""
    if shards is None or shards.everything:
        return per_second
    return per_second * SPLIT_HEADROOM * len(set(shards.ids)) / shards.count


def spacing_for(per_second: float) -> float:
    """The time between two turns: at most `per_second` in any one second, rounded down to whole turns (from
    1 a second up; below that, one turn every so many seconds), with a margin for the way to Discord."""
    whole = math.floor(per_second) if per_second >= 1 else per_second
    return SPACING_MARGIN / whole


class Pacer:
    """`await pacer.turn(due)` waits until this caller may send; turns go out evenly, lowest `due` first.

    `per_second` is the bot's pace; with `shards` (the ones this process runs), the process takes their share."""

    def __init__(
        self,
        per_second: float = PACE_PER_SECOND,
        *,
        shards: Shards | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.per_second = share_of_pace(per_second, shards)
        self.spacing = spacing_for(self.per_second)
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
