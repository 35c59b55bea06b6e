"""Discord's global rate limit (requests per second per bot, over every route but interaction answers) and
counting what the bot sent: how many 429s, and the busiest second."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord
import pytest

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from fake_discord.demo_bot import DemoBot
from fake_discord.pytest_plugin import StartBot

MESSAGES = "/channels/{id}/messages"
CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


@pytest.fixture
async def demo(start_bot: StartBot) -> InProcessBot:
    return await start_bot(DemoBot)


def text_channel(fake: FakeDiscord, bot: InProcessBot, name: str) -> discord.TextChannel:
    channel = bot.client.get_channel(fake.channel(name).id)
    assert isinstance(channel, discord.TextChannel)
    return channel


@pytest.mark.fake_discord(global_rate_limit=20)
async def test_over_the_global_limit_discord_py_waits_and_every_message_arrives(
    fake_discord: FakeDiscord, demo: InProcessBot, caplog: pytest.LogCaptureFixture
) -> None:
    channels = [text_channel(fake_discord, demo, name) for name in ("general", "trivia")]
    with caplog.at_level(logging.WARNING, logger="discord.http"):
        await asyncio.gather(*(c.send(f"message {i}") for i in range(15) for c in channels))
    assert sum(len(fake_discord.messages_in(c.id)) for c in channels) == 30
    assert fake_discord.rate_limited >= 1
    assert "Global rate limit has been hit" in caplog.text
    assert fake_discord.peak_per_second("POST", MESSAGES, status=200) <= 20
    assert fake_discord.peak_per_second("POST", MESSAGES) > 20  # the refused attempts count as arrivals


@pytest.mark.fake_discord(global_rate_limit=2)
async def test_a_global_429_carries_the_headers_discord_py_needs(fake_discord: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake_discord.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        statuses = []
        for _ in range(3):
            async with http.get(fake_discord.api_base + "/users/@me") as response:
                statuses.append(response.status)
                body, answer_headers = await response.json(), response.headers
    assert statuses == [200, 200, 429]
    assert body["global"] is True and 0 < body["retry_after"] <= 1
    assert answer_headers["X-RateLimit-Global"] == "true" and answer_headers["Via"]
    assert fake_discord.rate_limited == 1


@pytest.mark.fake_discord(global_rate_limit=5)
async def test_interaction_answers_and_followups_are_exempt(
    fake_discord: FakeDiscord, demo: InProcessBot, discord_user: DiscordUser
) -> None:
    pings = [await discord_user.send_command("/ping") for _ in range(12)]
    await asyncio.gather(*(discord_user.invoke("/slow") for _ in range(4)))  # deferral, then a webhook followup
    await fake_discord.wait_until(lambda: all(p.acknowledged for p in pings), what="every ping answered")
    assert fake_discord.peak_per_second("POST", CALLBACK) > 5
    assert fake_discord.rate_limited == 0


async def test_peak_per_second_counts_the_busiest_second(fake_discord: FakeDiscord, demo: InProcessBot) -> None:
    trivia = text_channel(fake_discord, demo, "trivia")
    for i in range(6):
        await trivia.send(f"message {i}")
    assert fake_discord.peak_per_second("POST", MESSAGES) == 6
    assert fake_discord.peak_per_second("POST", "/channels/{channel_id}/messages") == 6
    assert fake_discord.peak_per_second("PATCH") == 0
    assert fake_discord.rate_limited == 0
