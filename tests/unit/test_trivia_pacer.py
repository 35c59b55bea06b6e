"""The pacer's share of the bot's pace: each process by its shards' part of SHARD_COUNT, so that the processes
together stay within it with nothing shared between them."""

from __future__ import annotations

import asyncio
import math
import time

import pytest

from bot.shards import Shards
from bot.trivia.pacer import PACE_PER_SECOND, SPLIT_HEADROOM, Pacer, share_of_pace
from fake_discord.ratelimit import peak_count

FOUR_BY_ONE = [Shards(4, (i,)) for i in range(4)]
ONE_AND_THREE = [Shards(4, (0,)), Shards(4, (1, 2, 3))]


def most_turns_in_a_second(pacer: Pacer) -> int:
    """Turns spaced `pacer.spacing` apart: the most that fall within any one second."""
    return math.ceil(1 / pacer.spacing)


def test_a_process_takes_its_shards_part_of_the_pace_less_the_headroom() -> None:
    assert share_of_pace(25, Shards(4, (2,))) == pytest.approx(25 * SPLIT_HEADROOM / 4)
    assert share_of_pace(25, Shards(4, (1, 2, 3))) == pytest.approx(25 * SPLIT_HEADROOM * 3 / 4)
    assert share_of_pace(25, Shards(64, (0, 1))) == pytest.approx(25 * SPLIT_HEADROOM * 2 / 64)


@pytest.mark.parametrize("shards", [None, Shards(1, (0,)), Shards(4, (0, 1, 2, 3)), Shards(2, (1, 0))])
def test_a_process_running_every_shard_takes_the_whole_pace(shards: Shards | None) -> None:
    assert share_of_pace(25, shards) == 25


@pytest.mark.parametrize("split", [FOUR_BY_ONE, ONE_AND_THREE, [Shards(3, (0,)), Shards(3, (1, 2))]])
def test_the_shares_of_processes_splitting_the_shards_add_up_to_the_pace_less_the_headroom(
    split: list[Shards],
) -> None:
    total = sum(share_of_pace(PACE_PER_SECOND, shards) for shards in split)
    assert total == pytest.approx(PACE_PER_SECOND * SPLIT_HEADROOM)


@pytest.mark.parametrize("split", [FOUR_BY_ONE, ONE_AND_THREE, [Shards(1, (0,))]])
def test_processes_splitting_the_shards_send_at_most_the_pace_in_any_second_together(split: list[Shards]) -> None:
    pacers = [Pacer(PACE_PER_SECOND, shards=shards) for shards in split]
    assert sum(most_turns_in_a_second(pacer) for pacer in pacers) <= PACE_PER_SECOND


async def test_a_quarter_share_gives_at_most_five_turns_in_any_second() -> None:
    pacer = Pacer(PACE_PER_SECOND, shards=Shards(4, (3,)))
    turns: list[float] = []

    async def take(due: float) -> None:
        await pacer.turn(due)
        turns.append(time.monotonic())

    await asyncio.gather(*(take(float(n)) for n in range(8)))
    assert len(turns) == 8
    assert peak_count(turns) <= 5
