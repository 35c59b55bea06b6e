"""Trivia's store across a bot's lifetime, on both backends: posting leases (a round being posted by a live
process is never failed as abandoned), rounds handed back by a stopping process, and the servers of a shard
reconciled with Discord's list at every new session."""

from __future__ import annotations

import random

import pytest

from bot.database import Database
from bot.trivia.questions import QuestionTemplate
from bot.trivia.rules import POSTING_LEASE_SECONDS, UNPOSTED_GIVE_UP_SECONDS
from bot.trivia.store import ScheduleChanged, TriviaStore

GUILD = 111
OTHER = 222
T0 = 1_800_000_000.0


async def _scheduled(store: TriviaStore, pool: list[QuestionTemplate], guild: int = GUILD) -> int:
    """A server on a one-minute schedule whose first round opened (a slot claimed) at T0 + 60, unposted."""
    await store.set_channel(guild, 900)
    await store.set_schedule(guild, 1, T0)
    opened = await store.open_round(guild, pool, random.Random(0), T0 + 60, scheduled=True)
    return opened.id


async def _abandoned(store: TriviaStore, now: float) -> list[int]:
    return await store.abandoned_rounds(now, opened_before=now - UNPOSTED_GIVE_UP_SECONDS)


async def test_a_round_whose_poster_renews_its_lease_is_never_abandoned(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    round_id = await _scheduled(store, pool)
    opened_at = T0 + 60
    assert await _abandoned(store, opened_at + 1) == []  # a new process starting now leaves it alone
    for later in range(10, 300, 10):  # the poster waits its turn for minutes, renewing every 10 s
        await store.renew_posting_leases({round_id}, opened_at + later + POSTING_LEASE_SECONDS)
        assert await _abandoned(store, opened_at + later + 1) == []
    last = opened_at + 290 + POSTING_LEASE_SECONDS
    assert await _abandoned(store, last + 1) == [round_id]  # its process stopped renewing: gone


async def test_a_round_of_an_older_release_with_no_lease_is_abandoned_only_after_the_give_up_time(
    store: TriviaStore, db: Database, pool: list[QuestionTemplate]
) -> None:
    round_id = await _scheduled(store, pool)
    await db.execute("UPDATE rounds SET posting_until = NULL WHERE id = ?", round_id)
    assert await _abandoned(store, T0 + 60 + UNPOSTED_GIVE_UP_SECONDS - 1) == []
    assert await _abandoned(store, T0 + 60 + UNPOSTED_GIVE_UP_SECONDS + 1) == [round_id]


async def test_a_handed_back_scheduled_round_gives_its_slot_to_the_next_process(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    round_id = await _scheduled(store, pool)
    assert (await store.settings(GUILD)).next_round_at == T0 + 120  # the schedule moved on when it was claimed
    assert await store.hand_back([round_id, round_id], T0 + 61) == 1  # twice: handed back once
    assert await store.round(round_id) is None
    assert await store.open_round_of(GUILD) is None  # nothing left open: the server is not frozen
    assert (await store.settings(GUILD)).next_round_at == T0 + 60  # the slot is due again
    again = await store.open_round(GUILD, pool, random.Random(0), T0 + 62, scheduled=True)
    assert again.id != round_id  # ids are never reused
    with pytest.raises(ScheduleChanged):  # and the slot is claimed once
        await store.open_round(GUILD, pool, random.Random(0), T0 + 62, scheduled=True)


async def test_a_handed_back_round_started_by_hand_is_failed_and_a_posted_one_is_left_alone(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await store.set_channel(GUILD, 900)
    by_hand = await store.open_round(GUILD, pool, random.Random(0), T0)
    assert await store.hand_back([by_hand.id], T0 + 1) == 1
    failed = await store.round(by_hand.id)
    assert failed is not None and failed.failed and failed.closed_at == T0 + 1
    posted = await store.open_round(GUILD, pool, random.Random(1), T0 + 2)
    await store.mark_posted(posted.id, 5000, T0 + 2)
    assert await store.hand_back([posted.id], T0 + 3) == 0
    still = await store.round(posted.id)
    assert still is not None and still.is_open


async def test_a_shards_list_of_servers_clears_returns_and_marks_removals(store: TriviaStore) -> None:
    back, gone, stays, elsewhere = 1 << 22, 3 << 22, 5 << 22, 2 << 22  # shards 1, 1, 1 and 0 of 2
    for guild in (back, gone, stays, elsewhere):
        await store.set_channel(guild, 900)
    await store.guild_removed(back, T0)
    returned, removed = await store.reconcile(1, 2, {back, stays, 7 << 22}, T0 + 10)
    assert (returned, removed) == ({back}, {gone})
    assert (await store.settings(back)).removed_at is None
    assert (await store.settings(gone)).removed_at == T0 + 10  # its 30 days start now
    assert (await store.settings(stays)).removed_at is None
    assert (await store.settings(elsewhere)).removed_at is None  # another shard's: not this list's business
    assert await store.reconcile(1, 2, {back, stays}, T0 + 20) == (set(), set())  # nothing new: nothing done
    assert (await store.settings(gone)).removed_at == T0 + 10
