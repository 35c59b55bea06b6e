"""A rolling restart through the fake Discord: the new process starts while the old one still has rounds
waiting for their turn to be posted, then the old one stops. Every server's slot is posted once, by one of
the two; no round is failed under the process posting it (a question whose buttons all say "closed" and that is
never revealed); the rounds the old process still held go to the new one at once, so no server waits.
Both bots run in this process, on one database and the test's clock."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot import database
from bot.trivia.store import TriviaStore
from fake_discord import FakeDiscord, Guild
from fake_discord.pytest_plugin import StartBot
from tests.conftest import FakeClock, trivia_bot_factory
from tests.e2e.test_shards import rounds_of, trivia_channel
from tests.e2e.test_trivia import revealed

SERVERS = 12
SLOW_PACE = 2.0  # the old process posts two rounds a second: most of its rounds wait their turn


async def _schedules_due(target: str | Path, guilds: list[Guild], now: float) -> None:
    db = await database.open_database(target)
    store = TriviaStore(db)
    try:
        for guild in guilds:
            await store.set_channel(guild.id, trivia_channel(guild).id)
            await store.set_schedule(guild.id, 1, now - 60)  # the first slot is now
    finally:
        await db.close()


def _posted(fake: FakeDiscord, guilds: list[Guild]) -> int:
    return sum(len(fake.messages_in(trivia_channel(g), include_replies=False)) for g in guilds)


async def _until(condition: object, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_an_old_process_with_rounds_queued_and_a_new_one_post_every_slot_once(
    fake_discord: FakeDiscord, trivia_database: str | Path, start_bot: StartBot, clock: FakeClock
) -> None:
    guilds = fake_discord.world.add_guilds(SERVERS, prefix="Rolling")
    await _schedules_due(trivia_database, guilds, clock.now)
    old = await start_bot(trivia_bot_factory(trivia_database, clock, posts_per_second=SLOW_PACE))
    await _until(lambda: _posted(fake_discord, guilds) >= 2)
    new = await start_bot(trivia_bot_factory(trivia_database, clock, seed=2))
    await asyncio.sleep(0.5)  # the new process's start and first ticks, while the old one still posts
    await old.stop()  # it hands back what still waits; the new process posts those slots
    await _until(lambda: _posted(fake_discord, guilds) >= SERVERS)
    await asyncio.sleep(0.5)

    questions = []
    for guild in guilds:
        assert len(fake_discord.messages_in(trivia_channel(guild), include_replies=False)) == 1
        assert await rounds_of(trivia_database, guild) == [(clock.now, False)]  # one round, open, its slot's
        questions.append(await fake_discord.wait_for_message(trivia_channel(guild)))
    clock.advance(30)
    for guild, question in zip(guilds, questions, strict=True):  # every question is revealed
        reveal = await revealed(fake_discord, question, timeout=10)
        assert "Got it right" in reveal.text()
        assert await rounds_of(trivia_database, guild) == [(clock.now - 30, True)]
    assert new.crashed is None
