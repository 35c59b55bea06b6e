"""Faults that come after the work is done: an error answered after the message was created or the edit
applied, and an answer that arrives late. What the bot sees, and what Discord has."""

from __future__ import annotations

import asyncio

import discord
import pytest

from fake_discord import Channel, FakeDiscord
from fake_discord.bots import InProcessBot
from fake_discord.demo_bot import DemoBot
from fake_discord.pytest_plugin import StartBot
from fake_discord.rawbot import raw_channel_message

MESSAGES = "/channels/{channel_id}/messages"


@pytest.fixture
async def demo(start_bot: StartBot) -> InProcessBot:
    return await start_bot(DemoBot)


def text_channel(bot: InProcessBot, channel: Channel) -> discord.TextChannel:
    cached = bot.client.get_channel(channel.id)
    assert isinstance(cached, discord.TextChannel)
    return cached


async def test_a_500_after_success_retried_without_a_nonce_creates_the_message_twice(
    fake_discord: FakeDiscord, demo: InProcessBot
) -> None:
    """discord.py retries a 500 with the same body; without a nonce Discord cannot tell it is a retry."""
    trivia = fake_discord.channel("trivia")
    rule = fake_discord.fail_next("POST", "/channels/{id}/messages", status=500, after_success=True)
    await raw_channel_message(demo.client, trivia.id, {"content": "Round 1"})
    assert [m.content for m in fake_discord.messages_in(trivia)] == ["Round 1", "Round 1"]
    assert [r.status for r in fake_discord.requests("POST", MESSAGES)] == [500, 200]
    assert rule.hits == 1


async def test_an_edit_answered_503_after_success_is_applied_though_the_bot_sees_an_error(
    fake_discord: FakeDiscord, demo: InProcessBot
) -> None:
    trivia = fake_discord.channel("trivia")
    message = await text_channel(demo, trivia).send("Round 1")
    fake_discord.fail_next("PATCH", "/channels/{id}/messages/{id}", status=503, after_success=True)
    with pytest.raises(discord.DiscordServerError):
        await message.edit(content="Round 1 (closed)")
    assert [m.content for m in fake_discord.messages_in(trivia)] == ["Round 1 (closed)"]


async def test_a_fault_after_success_waits_for_a_request_that_succeeds(
    fake_discord: FakeDiscord, demo: InProcessBot
) -> None:
    """A request refused on its own merits (403 here) is not the one the rule fails after handling."""
    rule = fake_discord.fail_always("POST", "/channels/{id}/messages", status=503, after_success=True)
    with pytest.raises(discord.Forbidden):
        await text_channel(demo, fake_discord.channel("announcements")).send("not allowed here")
    assert rule.hits == 0
    with pytest.raises(discord.DiscordServerError):
        await text_channel(demo, fake_discord.channel("trivia")).send("created anyway")
    assert rule.hits == 1 and len(fake_discord.messages_in(fake_discord.channel("trivia"))) == 1


async def test_a_slow_answer_comes_after_the_message_exists(fake_discord: FakeDiscord, demo: InProcessBot) -> None:
    trivia = fake_discord.channel("trivia")
    rule = fake_discord.delay_next("POST", "/channels/{id}/messages", 0.4)
    sending = asyncio.create_task(text_channel(demo, trivia).send("slow"))
    posted = await fake_discord.wait_for_message(trivia)
    assert posted.content == "slow" and not sending.done()  # Discord has it; the bot is still waiting
    assert posted.message is not None and (await sending).id == posted.message.id
    (logged,) = fake_discord.requests("POST", MESSAGES)
    assert logged.status == 200 and logged.at - logged.received_at >= 0.4
    assert rule.hits == 1
    rule.remove()
    await text_channel(demo, trivia).send("fast")
    assert rule.hits == 1
