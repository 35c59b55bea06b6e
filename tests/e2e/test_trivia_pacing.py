"""After downtime every schedule is due at once: the bot's posts and reveals go out paced, within Discord's
budget, oldest due first, each round open for its whole answer time. Real time (answer time 10 s), the real
bot in this process (or four bot processes of one shard each), a fake Discord that enforces the global limit
of 50 requests a second."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot import database
from bot.trivia.store import TriviaStore
from fake_discord import FakeDiscord
from fake_discord.model import Guild
from fake_discord.pytest_plugin import StartBot, StartProcess
from fake_discord.ratelimit import peak_count
from tests.conftest import database_env, trivia_bot_factory

ANSWER_SECONDS = 10
PACE = 25  # posts and edits a second, at most
POSTS = "/channels/{channel_id}/messages"
EDITS = "/channels/{channel_id}/messages/{message_id}"


def servers(fake: FakeDiscord) -> list[Guild]:
    return [g for g in fake.world.guilds if g.name.startswith("Server ")]


async def schedule_everywhere(path: Path, guilds: list[Guild], due: dict[int, float]) -> None:
    """Settings as the bot left them before going down: every schedule due, a little late."""
    db = await database.open_database(path)
    store = TriviaStore(db)
    try:
        for guild in guilds:
            [trivia] = [c for c in guild.channels if c.name == "trivia"]
            await store.set_channel(guild.id, trivia.id)
            await store.set_answer_seconds(guild.id, ANSWER_SECONDS)
            await store.set_schedule(guild.id, 60, due[guild.id] - 3600)  # next slot: due[guild]
    finally:
        await db.close()


async def every_slot_due(path: Path, slot: float) -> None:
    """Every schedule's next slot at `slot`, in one statement (the bot running meanwhile)."""
    db = await database.open_database(path)
    try:
        await db.execute("UPDATE guild_settings SET next_round_at = ? WHERE next_round_at IS NOT NULL", slot)
    finally:
        await db.close()


@pytest.mark.fake_discord(extra_guilds=120, global_rate_limit=50)
async def test_after_downtime_120_servers_due_at_once_are_posted_and_revealed_in_pace(
    fake_discord: FakeDiscord, start_bot: StartBot, bot_database: Path
) -> None:
    guilds = servers(fake_discord)
    now = time.time()
    await schedule_everywhere(bot_database, guilds, {g.id: now - 30 for g in guilds})
    await start_bot(trivia_bot_factory(bot_database, time.time))

    await fake_discord.wait_until(
        lambda: len([r for r in fake_discord.requests("PATCH", EDITS) if r.status == 200]) >= len(guilds),
        timeout=60,
        what="every round revealed",
    )
    posts = [r for r in fake_discord.requests("POST", POSTS) if r.status == 200]
    edits = [r for r in fake_discord.requests("PATCH", EDITS) if r.status == 200]
    assert len(posts) == len(edits) == len(guilds)  # one round each: nothing doubled
    assert fake_discord.rate_limited == 0
    assert peak_count(r.received_at for r in posts + edits) <= PACE
    created = {r.path.split("/")[2]: r.at for r in posts}
    windows = [edit.received_at - created[edit.path.split("/")[2]] for edit in edits]
    assert min(windows) >= ANSWER_SECONDS, f"a round was open only {min(windows):.2f} s"


@pytest.mark.fake_discord(extra_guilds=400, global_rate_limit=50)
async def test_four_processes_of_one_shard_each_post_and_reveal_400_due_servers_in_one_pace_together(
    fake_discord: FakeDiscord, bot_process: StartProcess, bot_database: Path
) -> None:
    """The pace is the bot's: each process takes its shards' part of it (a quarter), not 25 a second each. The
    four come up first (400 servers' start-up would otherwise share the machine with the burst it measures),
    then every slot is 30 s late at once, as after downtime."""
    guilds = servers(fake_discord)
    await schedule_everywhere(bot_database, guilds, {g.id: time.time() + 3600 for g in guilds})
    env = {"SHARD_COUNT": "4", "LOG_LEVEL": "WARNING", **database_env(bot_database)}
    processes = await asyncio.gather(*(bot_process(env={**env, "SHARD_IDS": str(shard)}) for shard in range(4)))
    await every_slot_due(bot_database, time.time() - 30)

    await fake_discord.wait_until(
        lambda: (
            fake_discord.rate_limited > 0
            or len([r for r in fake_discord.requests("PATCH", EDITS) if r.status == 200]) >= len(guilds)
        ),
        timeout=90,
        what="every round revealed (or a 429)",
    )
    assert fake_discord.rate_limited == 0
    posts = [r for r in fake_discord.requests("POST", POSTS) if r.status == 200]
    edits = [r for r in fake_discord.requests("PATCH", EDITS) if r.status == 200]
    peak = peak_count(r.received_at for r in posts + edits)
    assert peak <= PACE, f"{peak} posts and edits in one second"
    assert len(posts) == len(edits) == len(guilds)  # one round each: nothing doubled
    assert "Traceback" not in "".join(process.log() for process in processes)


@pytest.mark.fake_discord(extra_guilds=40)
async def test_a_stop_that_lands_while_rounds_are_being_opened_prevents_that_round(
    fake_discord: FakeDiscord, start_bot: StartBot, bot_database: Path
) -> None:
    guilds = servers(fake_discord)
    last = guilds[-1]
    now = time.time()
    due = {g.id: now - 30 for g in guilds}
    due[last.id] = now - 1  # due last, so its post waits for its turn behind the others
    await schedule_everywhere(bot_database, guilds, due)
    await start_bot(trivia_bot_factory(bot_database, time.time))
    await fake_discord.wait_until(
        lambda: any(r.status == 200 for r in fake_discord.requests("POST", POSTS)), what="the first round posted"
    )  # the scheduler is opening rounds now
    admin = fake_discord.user(f"server{len(guilds)}-admin", guild=last)
    stopped = await admin.invoke("/trivia stop")
    assert "schedule is off" in stopped.content or "no trivia schedule" in stopped.content

    await fake_discord.wait_until(
        lambda: len([r for r in fake_discord.requests("POST", POSTS) if r.status == 200]) >= len(guilds) - 1,
        timeout=20,
        what="the other servers' rounds",
    )
    await asyncio.sleep(0.5)
    [trivia] = [c for c in last.channels if c.name == "trivia"]
    assert fake_discord.messages_in(trivia, include_replies=False) == []
    assert "off" in (await admin.invoke("/trivia config")).text()
