"""Faults on demand: gateway drops the client survives (RESUME, or IDENTIFY again), rate limits discord.py
retries, and REST errors that reach the bot's code as discord.py's exceptions."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from fake_discord import DiscordUser, FakeDiscord, Perm
from fake_discord.bots import InProcessBot
from fake_discord.demo_bot import DemoBot
from fake_discord.rawbot import RawBot, raw_channel_message

MESSAGES = "/channels/{channel_id}/messages"


@pytest.fixture
async def demo(start_bot: Any) -> InProcessBot:
    bot: InProcessBot = await start_bot(DemoBot)
    return bot


# --- the gateway -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("abrupt", [False, True], ids=["close-4000", "abrupt"])
async def test_a_dropped_socket_is_resumed_and_the_bot_still_answers(
    abrupt: bool, fake_discord: FakeDiscord, discord_user: DiscordUser, demo: InProcessBot
) -> None:
    await fake_discord.drop_gateway(code=4000, abrupt=abrupt)
    await fake_discord.wait_for_gateway(resumes=1)
    assert (await discord_user.invoke("/ping")).content == "pong"
    assert fake_discord.gateway.stats.identifies == 1
    assert fake_discord.gateway.stats.connections == 2


async def test_events_missed_while_disconnected_are_replayed_on_resume(
    fake_discord: FakeDiscord, discord_user: DiscordUser, demo: InProcessBot
) -> None:
    trivia = fake_discord.channel("trivia")
    await fake_discord.drop_gateway(abrupt=True)  # returns at once: the client cannot have reconnected yet
    await fake_discord.set_bot_permissions(trivia, deny=Perm.SEND_MESSAGES)  # CHANNEL_UPDATE, kept for replay
    await fake_discord.wait_for_gateway(resumes=1)
    await discord_user.invoke("/ping")  # sent after the replay, so the bot has handled the update by now
    assert demo.client is not None and demo.client.user is not None
    cached = demo.client.get_channel(trivia.id)
    assert isinstance(cached, discord.TextChannel)
    assert cached.overwrites_for(discord.Object(demo.client.user.id)).send_messages is False


async def test_a_reconnect_request_is_resumed(
    fake_discord: FakeDiscord, discord_user: DiscordUser, demo: InProcessBot
) -> None:
    await fake_discord.request_reconnect()
    await fake_discord.wait_for_gateway(resumes=1)
    assert (await discord_user.invoke("/ping")).content == "pong"


async def test_a_resumable_invalid_session_is_resumed(
    fake_discord: FakeDiscord, discord_user: DiscordUser, demo: InProcessBot
) -> None:
    await fake_discord.invalidate_session(resumable=True)
    await fake_discord.wait_for_gateway(resumes=1)
    assert (await discord_user.invoke("/ping")).content == "pong"


async def test_an_invalid_session_makes_the_bot_identify_again(
    fake_discord: FakeDiscord, discord_user: DiscordUser, demo: InProcessBot
) -> None:
    await fake_discord.invalidate_session(resumable=False)
    await fake_discord.wait_for_gateway(identifies=2)  # discord.py waits 5 s before a second IDENTIFY
    assert (await discord_user.invoke("/ping")).content == "pong"
    assert fake_discord.gateway.stats.resumes == 0


async def test_close_4009_ends_the_session_so_the_resume_is_refused_and_the_bot_identifies_again(
    fake_discord: FakeDiscord, discord_user: DiscordUser, demo: InProcessBot
) -> None:
    await fake_discord.drop_gateway(code=4009)
    await fake_discord.wait_for_gateway(identifies=2)
    assert fake_discord.gateway.stats.rejected_resumes == 1
    assert (await discord_user.invoke("/ping")).content == "pong"


@pytest.mark.fake_discord(heartbeat_interval_ms=30)
async def test_heartbeats_are_acknowledged(fake_discord: FakeDiscord, demo: InProcessBot) -> None:
    await fake_discord.wait_until(lambda: fake_discord.gateway.stats.heartbeats >= 4, what="4 heartbeats")
    assert demo.client is not None
    await fake_discord.wait_until(
        lambda: demo.client is not None and demo.client.latency < 1.0, what="an acknowledged heartbeat"
    )
    assert fake_discord.gateway.stats.identifies == 1  # never considered a zombie connection


# --- REST faults ---------------------------------------------------------------------------------------------------


async def post(user: DiscordUser, channel: str = "trivia") -> str:
    return (await user.invoke("/post", channel=channel, text="hello")).content


async def test_a_429_is_retried_after_retry_after(
    fake_discord: FakeDiscord, discord_admin: DiscordUser, demo: InProcessBot
) -> None:
    rule = fake_discord.fail_next("POST", "/channels/{id}/messages", status=429, retry_after=0.3)
    assert (await post(discord_admin)).startswith("posted ")
    attempts = fake_discord.requests("POST", MESSAGES)
    assert [a.status for a in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.3
    assert rule.hits == 1


async def test_a_429_on_an_interaction_answer_is_retried(
    fake_discord: FakeDiscord, discord_user: DiscordUser, demo: InProcessBot
) -> None:
    fake_discord.fail_next("POST", "/interactions/{id}/{token}/callback", status=429, retry_after=0.2)
    assert (await discord_user.invoke("/ping")).content == "pong"


@pytest.mark.parametrize(
    "status, code, seen",
    [
        (403, None, "error: Forbidden 403 50013"),
        (404, None, "error: NotFound 404 10003"),
        (503, None, "error: DiscordServerError 503 0"),
        (400, 50035, "error: HTTPException 400 50035"),
    ],
)
async def test_rest_errors_reach_the_bot_as_discord_exceptions(
    status: int, code: int | None, seen: str, fake_discord: FakeDiscord, discord_admin: DiscordUser, demo: InProcessBot
) -> None:
    fake_discord.fail_next("POST", "/channels/{id}/messages", status=status, code=code)
    assert await post(discord_admin) == seen


async def test_a_500_is_retried_by_discord_py(
    fake_discord: FakeDiscord, discord_admin: DiscordUser, demo: InProcessBot
) -> None:
    """discord.py retries 500/502/504 (after 1 s, then 3 s, ...), so one 500 is invisible to the bot.
    A 503 reaches it at once (see above)."""
    fake_discord.fail_next("POST", "/channels/{id}/messages", status=500)
    assert (await post(discord_admin)).startswith("posted ")
    assert [a.status for a in fake_discord.requests("POST", MESSAGES)] == [500, 200]


async def test_a_persistent_fault_on_one_channel(
    fake_discord: FakeDiscord, discord_admin: DiscordUser, demo: InProcessBot
) -> None:
    trivia = fake_discord.channel("trivia")
    rule = fake_discord.fail_always("POST", f"/channels/{trivia.id}/messages", status=403)
    assert await post(discord_admin, "trivia") == "error: Forbidden 403 50013"
    assert await post(discord_admin, "trivia") == "error: Forbidden 403 50013"
    assert (await post(discord_admin, "general")).startswith("posted ")
    rule.remove()
    assert (await post(discord_admin, "trivia")).startswith("posted ")
    assert rule.hits == 2


async def test_channel_permissions_are_enforced(
    fake_discord: FakeDiscord, discord_admin: DiscordUser, demo: InProcessBot
) -> None:
    assert await post(discord_admin, "announcements") == "error: Forbidden 403 50013"  # denied in the world
    await fake_discord.set_bot_permissions(fake_discord.channel("trivia"), deny=Perm.VIEW_CHANNEL)
    assert await post(discord_admin, "trivia") == "error: Forbidden 403 50001"


async def test_a_deleted_channel_is_unknown(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    trivia = fake_discord.channel("trivia")
    bot = RawBot()

    @bot.command("announce")
    async def announce(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("announcing", ephemeral=True)
        await raw_channel_message(bot, trivia.id, {"content": "Round 1"})

    running = await start_bot(lambda: bot)
    await fake_discord.delete_channel(trivia)
    await discord_user.invoke("/announce")
    error = await bot.next_refusal()
    assert isinstance(error, discord.NotFound) and error.code == 10003
    assert running.client.get_channel(trivia.id) is None  # the bot got CHANNEL_DELETE
