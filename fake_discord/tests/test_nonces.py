"""Message nonces as Discord does them: with `enforce_nonce`, a second create with the same nonce in the same
channel within 5 minutes returns the first message instead of making another. discord.py 2.7's `send` always
sends a nonce (random when none is given) with `enforce_nonce: true`, so its own retries are safe."""

from __future__ import annotations

import discord
import pytest

from fake_discord import FakeDiscord
from fake_discord.bots import InProcessBot
from fake_discord.demo_bot import DemoBot
from fake_discord.pytest_plugin import StartBot
from fake_discord.rawbot import raw_channel_message

MESSAGES = "/channels/{channel_id}/messages"


@pytest.fixture
async def demo(start_bot: StartBot) -> InProcessBot:
    return await start_bot(DemoBot)


async def test_a_retry_after_a_500_with_an_enforced_nonce_creates_one_message(
    fake_discord: FakeDiscord, demo: InProcessBot
) -> None:
    trivia = fake_discord.channel("trivia")
    fake_discord.fail_next("POST", "/channels/{id}/messages", status=500, after_success=True)
    channel = demo.client.get_channel(trivia.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("Round 1", nonce="round-1")  # discord.py adds enforce_nonce: true
    (message,) = fake_discord.messages_in(trivia)
    assert sent.id == message.id and sent.nonce == "round-1"
    attempts = fake_discord.requests("POST", MESSAGES)
    assert [a.status for a in attempts] == [500, 200]
    assert all(a.body["nonce"] == "round-1" and a.body["enforce_nonce"] is True for a in attempts)


async def test_without_enforce_nonce_the_nonce_is_only_echoed(fake_discord: FakeDiscord, demo: InProcessBot) -> None:
    trivia = fake_discord.channel("trivia")
    first = await raw_channel_message(demo.client, trivia.id, {"content": "a", "nonce": "n1"})
    second = await raw_channel_message(demo.client, trivia.id, {"content": "b", "nonce": "n1"})
    assert first["nonce"] == second["nonce"] == "n1" and first["id"] != second["id"]
    assert len(fake_discord.messages_in(trivia)) == 2


async def test_an_enforced_nonce_is_per_channel_and_remembered_for_five_minutes(
    fake_discord: FakeDiscord, demo: InProcessBot
) -> None:
    trivia, general = fake_discord.channel("trivia"), fake_discord.channel("general")
    body = {"content": "Round 1", "nonce": 42, "enforce_nonce": True}
    first = await raw_channel_message(demo.client, trivia.id, body)
    assert (await raw_channel_message(demo.client, trivia.id, body))["id"] == first["id"]
    assert (await raw_channel_message(demo.client, general.id, body))["id"] != first["id"]
    fake_discord.advance_time(5 * 60 + 1)
    assert (await raw_channel_message(demo.client, trivia.id, body))["id"] != first["id"]
    assert len(fake_discord.messages_in(trivia)) == 2
