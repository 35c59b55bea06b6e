"""The server's own clock end to end, through the fake Discord: a daily schedule at a local time posted once per
slot across a restart and across two processes, the role ping as the only mention a round's message allows,
and the one clear private answer to a zone, a time or days that can't be used. Time is the test's FakeClock."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bot import database
from bot.trivia.clock import zone
from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from fake_discord.model import Role
from fake_discord.pytest_plugin import StartBot
from tests.conftest import FakeClock, trivia_bot_factory
from tests.e2e.test_trivia import QUIET, set_up_channel

SEOUL = "Asia/Seoul"


def a_minute_ahead(now: float, zone_name: str = SEOUL) -> tuple[str, float]:
    """A local HH:MM a minute or two ahead of `now`, and the instant it is due."""
    local = datetime.fromtimestamp(now + 60, zone(zone_name)).replace(second=0, microsecond=0)
    return local.strftime("%H:%M"), local.timestamp()


async def slots_of(target: str | Path, guild_id: int) -> list[float]:
    db = await database.open_database(target)
    try:
        return [float(r[0]) for r in await db.fetch("SELECT slot_at FROM rounds WHERE guild_id = ?", guild_id)]
    finally:
        await db.close()


async def daily_in_seoul(admin: DiscordUser, now: float) -> float:
    await set_up_channel(admin)
    config = await admin.invoke("/trivia config", timezone=SEOUL)
    assert config.ephemeral and "Time zone set to Asia/Seoul" in config.content, config.content
    at, due = a_minute_ahead(now)
    reply = await admin.invoke("/trivia schedule", time=at, days="every day")
    assert reply.ephemeral and f"every day at {at} (Asia/Seoul time)" in reply.content, reply.content
    assert f"<t:{int(due)}:F>" in reply.content
    return due


async def test_a_daily_schedule_due_a_minute_ahead_posts_once_across_a_restart(
    fake_discord: FakeDiscord,
    trivia_database: str | Path,
    trivia_bot: InProcessBot,
    clock: FakeClock,
    discord_admin: DiscordUser,
) -> None:
    due = await daily_in_seoul(discord_admin, clock.now)
    shown = await discord_admin.invoke("/trivia config")
    assert f"<t:{int(due)}:F>" in shown.text() and f"<t:{int(due + 86400)}:F>" in shown.text()  # the next three
    assert "KST" in shown.text()
    await trivia_bot.restart()
    clock.now = due + 1
    trivia = fake_discord.channel("trivia")
    await fake_discord.wait_for_message(trivia, timeout=5)
    await trivia_bot.restart()
    clock.advance(30)
    await asyncio.sleep(QUIET)
    assert len(fake_discord.messages_in(trivia, include_replies=False)) == 1
    assert await slots_of(trivia_database, fake_discord.guild.id) == [due]


async def test_two_processes_post_a_daily_slot_once(
    fake_discord: FakeDiscord,
    trivia_database: str | Path,
    start_bot: StartBot,
    clock: FakeClock,
    discord_admin: DiscordUser,
) -> None:
    first = await start_bot(trivia_bot_factory(trivia_database, clock))
    due = await daily_in_seoul(discord_admin, clock.now)
    second = await start_bot(trivia_bot_factory(trivia_database, clock, seed=2))
    clock.now = due
    trivia = fake_discord.channel("trivia")
    await fake_discord.wait_for_message(trivia, timeout=5)
    await asyncio.sleep(QUIET)
    assert len(fake_discord.messages_in(trivia, include_replies=False)) == 1
    assert await slots_of(trivia_database, fake_discord.guild.id) == [due]
    assert first.crashed is None and second.crashed is None


async def test_the_ping_role_is_the_only_mention_a_round_allows(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    guild = fake_discord.guild
    alerts = Role(fake_discord.world.ids.world(), "Round Alerts", 0, position=1)
    guild.roles.append(alerts)
    await set_up_channel(discord_admin)
    reply = await discord_admin.invoke("/trivia config", ping_role=alerts.id)
    assert reply.ephemeral and f"<@&{alerts.id}>" in reply.content and "no one else" in reply.content
    everyone = await discord_admin.invoke("/trivia config", ping_role=guild.id)
    assert everyone.ephemeral and "never ping @everyone" in everyone.content
    await discord_admin.invoke("/trivia start")
    posted = await fake_discord.wait_for_message(fake_discord.channel("trivia"), timeout=5)
    assert posted.content == f"<@&{alerts.id}>"
    assert posted.allowed_mentions is not None
    assert posted.allowed_mentions.get("parse") == []
    assert [int(role) for role in posted.allowed_mentions.get("roles", [])] == [alerts.id]
    assert not posted.allowed_mentions.get("users") and not posted.allowed_mentions.get("replied_user")


async def test_a_bad_zone_time_or_days_get_one_clear_private_answer(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    zone_reply = await discord_admin.invoke("/trivia config", timezone="Mars/Olympus")
    assert zone_reply.ephemeral and "`Mars/Olympus` is not a time zone" in zone_reply.content, zone_reply.content
    for bad in ("25:00", "9pm"):
        reply = await discord_admin.invoke("/trivia schedule", time=bad)
        assert reply.ephemeral and f"`{bad}` is not a time of day" in reply.content and "HH:MM" in reply.content
    no_day = await discord_admin.invoke("/trivia schedule", time="21:00", days="none")
    assert no_day.ephemeral and "names no day of the week" in no_day.content
    neither = await discord_admin.invoke("/trivia schedule")
    assert neither.ephemeral and "Give either `minutes`" in neither.content
    settings = await discord_admin.invoke("/trivia config")
    assert "Time zone\nUTC" in settings.text() and "off: `/trivia schedule`" in settings.text()
    [choice] = await discord_admin.autocomplete("/trivia config", timezone="seoul")
    assert (choice.name, choice.value) == (SEOUL, SEOUL)
