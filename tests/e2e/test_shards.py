"""Shards end to end: the real bot against a fake Discord that shards. One process running every shard Discord
asks for; two processes (SHARD_COUNT=2, SHARD_IDS=0 and 1) sharing one database (an SQLite file, then a
PostgreSQL database), each running the schedules of its own servers, a slot posted once, one killed while the
other carries on; bad shard settings and Discord's 4011 ending in one clear line. Real time: answer time 10 s,
the scheduler's own 1 s tick."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot import database
from bot.trivia.store import TriviaStore
from fake_discord import FakeDiscord, Reply
from fake_discord.bots import InProcessBot
from fake_discord.model import Channel, Guild
from fake_discord.pytest_plugin import StartProcess
from tests.conftest import database_env
from tests.e2e.test_lifecycle import _start_and_fail, answers_counted, assert_one_clear_line
from tests.e2e.test_trivia import labels, revealed

ANSWER_SECONDS = 10
FANS, CLUB = "K-Drama Fans", "Drama Club"  # on shards 0 and 1 of 2
ADMINS = {FANS: "alice", CLUB: "erin"}


def trivia_channel(guild: Guild) -> Channel:
    [trivia] = [c for c in guild.channels if c.name == "trivia"]
    return trivia


async def rank_three(fake: FakeDiscord, guild: str) -> Reply:
    member = "bob" if guild == FANS else "dave"
    reply = await fake.user(member, guild=guild).invoke("/rank", number=3)
    assert reply.embed["title"].startswith("#3"), reply.embed
    return reply


async def set_up_schedules(path: str | Path, guilds: list[Guild]) -> None:
    """Each server as an admin would leave it: a trivia channel, 10 s answers, an hourly schedule."""
    db = await database.open_database(path)
    store = TriviaStore(db)
    try:
        for guild in guilds:
            await store.set_channel(guild.id, trivia_channel(guild).id)
            await store.set_answer_seconds(guild.id, ANSWER_SECONDS)
            await store.set_schedule(guild.id, 60, time.time())
    finally:
        await db.close()


async def make_due(path: str | Path, guilds: list[Guild]) -> float:
    """Bring each server's next slot to now (the hourly schedule's next slot, without waiting an hour)."""
    slot = float(int(time.time()))
    db = await database.open_database(path)
    try:
        for guild in guilds:
            await db.execute("UPDATE guild_settings SET next_round_at = ? WHERE guild_id = ?", slot, guild.id)
    finally:
        await db.close()
    return slot


async def rounds_of(path: str | Path, guild: Guild) -> list[tuple[float | None, bool]]:
    """(slot, scored) of each of the server's rounds."""
    db = await database.open_database(path)
    try:
        rows = await db.fetch(
            "SELECT slot_at, CASE WHEN closed_at IS NOT NULL AND failed = 0 THEN 1 ELSE 0 END FROM rounds"
            " WHERE guild_id = ? ORDER BY id",
            guild.id,
        )
        return [(row[0], bool(row[1])) for row in rows]
    finally:
        await db.close()


async def answered(path: str | Path, guild: Guild, user_id: int) -> int:
    db = await database.open_database(path)
    try:
        rows = await db.fetch(
            "SELECT rounds_answered FROM scores WHERE guild_id = ? AND user_id = ?", guild.id, user_id
        )
        return int(rows[0][0]) if rows else 0
    finally:
        await db.close()


async def play_a_slot(fake: FakeDiscord, guild: Guild) -> None:
    """The slot's round is posted in the server; its admin clicks; the round closes, scored, and is revealed."""
    posted = await fake.wait_for_message(trivia_channel(guild), timeout=10)
    admin = fake.user(ADMINS[guild.name], guild=guild)
    for _ in range(50):  # the message can show a moment before the bot knows it is out: click again, as asked
        click = await admin.click(posted, labels(posted)[0])
        if "being posted" not in click.content:
            break
        await asyncio.sleep(0.05)
    assert "is in" in click.content, click.content
    reveal = await revealed(fake, posted, timeout=ANSWER_SECONDS + 10)
    assert answers_counted(reveal.text()) == 1


def bot_posts(fake: FakeDiscord, guild: Guild) -> int:
    return len(fake.messages_in(trivia_channel(guild), include_replies=False))


@pytest.mark.fake_discord(shards=2, require_sharding=True)
async def test_one_process_runs_every_shard_discord_asks_for_and_answers_in_each(
    fake_discord: FakeDiscord, bot_app: InProcessBot
) -> None:
    assert fake_discord.shard_of(FANS) == 0 and fake_discord.shard_of(CLUB) == 1
    client = bot_app.client
    assert client.shard_count == 2 and sorted(s for s in fake_discord.gateway.stats.shards if s) == [(0, 2), (1, 2)]
    assert {g.name: g.shard_id for g in client.guilds} == {FANS: 0, CLUB: 1}
    await rank_three(fake_discord, FANS)
    await rank_three(fake_discord, CLUB)
    dm = await fake_discord.user("bob").in_dm().invoke("/rank", number=3)  # a DM: shard 0
    assert dm.embed["title"].startswith("#3")


@pytest.mark.fake_discord(shards=2, require_sharding=True)
async def test_one_bot_process_connects_both_shards_and_answers_in_each(
    fake_discord: FakeDiscord, bot_process: StartProcess
) -> None:
    process = await bot_process()
    await fake_discord.wait_for_shards([0, 1])
    assert sorted(s for s in fake_discord.gateway.stats.shards if s) == [(0, 2), (1, 2)]
    await rank_three(fake_discord, FANS)
    await rank_three(fake_discord, CLUB)
    assert "Traceback" not in process.log()


async def test_an_old_and_a_new_process_on_the_same_shards_post_each_slot_once(
    trivia_database: str | Path, fake_discord: FakeDiscord, bot_process: StartProcess
) -> None:
    """A rolling restart: the new process is up before the old one stops, both running every shard."""
    bot_database = trivia_database
    fans, club = fake_discord.world.guild(FANS), fake_discord.world.guild(CLUB)
    await set_up_schedules(bot_database, [fans, club])
    env = {"SHARD_COUNT": "2", "SHARD_IDS": "0-1", **database_env(bot_database)}
    old = await bot_process(env=env)
    new = await bot_process(env=env)
    slot = await make_due(bot_database, [fans, club])
    await asyncio.gather(play_a_slot(fake_discord, fans), play_a_slot(fake_discord, club))
    await asyncio.sleep(1.5)
    for guild in (fans, club):
        assert bot_posts(fake_discord, guild) == 1
        assert await rounds_of(bot_database, guild) == [(slot, True)]
    old.terminate()
    assert await old.wait() == 0
    assert "Traceback" not in old.log() + new.log()


async def test_two_processes_on_one_database_each_run_their_shards_servers_once_per_slot(
    trivia_database: str | Path, fake_discord: FakeDiscord, bot_process: StartProcess
) -> None:
    """On one SQLite file (processes on one machine), then one PostgreSQL database (processes anywhere)."""
    bot_database = trivia_database
    fans, club = fake_discord.world.guild(FANS), fake_discord.world.guild(CLUB)
    await set_up_schedules(bot_database, [fans, club])
    env = {"SHARD_COUNT": "2", **database_env(bot_database)}
    first = await bot_process(env={**env, "SHARD_IDS": "0"})
    second = await bot_process(env={**env, "SHARD_IDS": "1"})
    assert sorted(s for s in fake_discord.gateway.stats.shards if s) == [(0, 2), (1, 2)]
    await rank_three(fake_discord, FANS)
    await rank_three(fake_discord, CLUB)

    slots = []
    for _ in range(2):  # two slots, each server's played by the process of its shard
        slots.append(await make_due(bot_database, [fans, club]))
        await asyncio.gather(play_a_slot(fake_discord, fans), play_a_slot(fake_discord, club))
    await asyncio.sleep(1.5)  # a tick or so more: nothing else is posted
    for guild in (fans, club):
        assert bot_posts(fake_discord, guild) == 2
        assert await rounds_of(bot_database, guild) == [(slot, True) for slot in slots]
        assert await answered(bot_database, guild, fake_discord.world.user(ADMINS[guild.name]).id) == 2

    second.kill()  # shard 1's process dies; shard 0's servers carry on
    assert await second.wait() < 0
    third = await make_due(bot_database, [fans, club])
    await play_a_slot(fake_discord, fans)
    await rank_three(fake_discord, FANS)
    assert bot_posts(fake_discord, club) == 2  # due for 10 s and more, but nobody runs shard 1 now

    await second.start()  # back: its server's due slot is posted, once
    await play_a_slot(fake_discord, club)
    await rank_three(fake_discord, CLUB)
    await asyncio.sleep(1.5)
    for guild in (fans, club):
        assert bot_posts(fake_discord, guild) == 3
        assert await rounds_of(bot_database, guild) == [(slot, True) for slot in [*slots, third]]
    assert "Traceback" not in first.log() + second.log()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a number"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS=0 needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0-2"}, "SHARD_IDS has shard 2"),
    ],
)
async def test_a_bad_shard_setting_ends_in_one_line(
    fake_discord: FakeDiscord, tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    code, stderr = await _start_and_fail(fake_discord, tmp_path, tmp_path / "fresh.db", env=env)
    assert code != 0
    assert_one_clear_line(stderr, expected)
    assert fake_discord.gateway.stats.connections == 0


@pytest.mark.fake_discord(shards=2, require_sharding=True)
async def test_too_few_shards_for_discord_end_in_one_line_saying_to_set_shard_count(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    code, stderr = await _start_and_fail(fake_discord, tmp_path, tmp_path / "fresh.db", env={"SHARD_COUNT": "1"})
    assert code != 0
    assert_one_clear_line(stderr, "requires sharding")
    assert_one_clear_line(stderr, "SHARD_COUNT")
