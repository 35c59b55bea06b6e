"""A world of thousands of servers, cheap to build and quick to connect to."""

from __future__ import annotations

import asyncio

import pytest

from fake_discord import APPLICATION_ID, FakeDiscord, Perm, default_world
from fake_discord.demo_bot import DemoBot
from fake_discord.pytest_plugin import StartBot

READY_SECONDS = 8.0  # ~1 s on a 2-core machine; the margin is for a loaded CI


def test_add_guilds_makes_servers_with_two_channels_and_an_admin() -> None:
    world = default_world(APPLICATION_ID)
    first, second = world.add_guilds(2, prefix="Fan Club")
    (third,) = world.add_guilds(1, prefix="Fan Club")
    assert [g.name for g in (first, second, third)] == ["Fan Club 1", "Fan Club 2", "Fan Club 3"]
    assert [c.name for c in third.channels] == ["general", "trivia"]
    admin = world.user("fan-club3-admin")
    assert third.permissions_in(third.channel("general"), admin.id) & Perm.MANAGE_GUILD
    assert third.permissions_in(third.channel("trivia"), world.bot.id) & Perm.SEND_MESSAGES


@pytest.mark.fake_discord(extra_guilds=3000)
async def test_a_bot_with_3000_servers_is_ready_in_seconds_and_answers_in_the_last(
    fake_discord: FakeDiscord, start_bot: StartBot
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    bot = await start_bot(DemoBot)
    assert loop.time() - started < READY_SECONDS
    assert len(bot.client.guilds) == 3002
    admin = fake_discord.user("server3000-admin", guild="Server 3000")
    assert (await admin.invoke("/admin")).content == "admin ok"
    assert (await admin.at("trivia").invoke("/ping")).content == "pong"
