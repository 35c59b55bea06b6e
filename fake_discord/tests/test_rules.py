"""Discord's other rules the fake enforces: answer within 3 s and once, tokens live 15 minutes, no followup
before the answer, no privileged intents, only routes Discord has. Each breach is refused and recorded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import discord
import pytest

from fake_discord import DiscordUser, FakeDiscord, InteractionFailed
from fake_discord.rawbot import RawBot, raw_callback, raw_request

REPO_ROOT = Path(__file__).resolve().parents[2]


async def test_an_answer_after_3_seconds_is_refused(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("late_response", match=r"/slow answered after 3\.\d+ s")
    bot = RawBot()

    @bot.command("slow")
    async def slow(interaction: discord.Interaction) -> None:
        await bot.release.wait()
        await interaction.response.send_message("finally")

    await start_bot(lambda: bot)
    record = await discord_user.send_command("/slow")
    fake_discord.advance_time(3.2)  # as if the bot had been busy for 3.2 s
    bot.release.set()
    error = await bot.next_refusal()
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert record.refused == ["late"] and not record.acknowledged


async def test_a_user_sees_the_interaction_fail_when_the_bot_never_answers(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    bot = RawBot()

    @bot.command("silent")
    async def silent(interaction: discord.Interaction) -> None:
        await bot.release.wait()

    await start_bot(lambda: bot)
    with pytest.raises(InteractionFailed, match="no answer was accepted in time"):
        await discord_user.invoke("/silent", timeout=0.2)
    bot.release.set()


async def test_a_second_answer_is_refused(fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser) -> None:
    fake_discord.expect_violation("double_response", match="/twice answered a second time")
    bot = RawBot()

    @bot.command("twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("one")
        await raw_callback(interaction, 4, {"content": "two"})  # discord.py itself would refuse a second answer

    await start_bot(lambda: bot)
    reply = await discord_user.invoke("/twice")
    error = await bot.next_refusal()
    assert (error.status, error.code) == (400, 40060)
    assert reply.content == "one"


async def test_a_followup_after_15_minutes_is_refused(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("expired_token", match=r"/later's token used 15\.\d min after")
    bot = RawBot()

    @bot.command("later")
    async def later(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await bot.release.wait()
        await interaction.followup.send("too late")

    await start_bot(lambda: bot)
    record = await discord_user.send_command("/later")
    await fake_discord.wait_until(lambda: record.acknowledged, what="the deferral")
    fake_discord.advance_time(15 * 60 + 1)
    bot.release.set()
    error = await bot.next_refusal()
    assert (error.status, error.code) == (401, 50027)


async def test_an_edit_after_15_minutes_is_refused(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("expired_token", match=r"PATCH /webhooks/.*@original")
    bot = RawBot()

    @bot.command("later")
    async def later(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("now")
        await bot.release.wait()
        await interaction.edit_original_response(content="edited much later")

    await start_bot(lambda: bot)
    reply = await discord_user.invoke("/later")
    fake_discord.advance_time(16 * 60)
    bot.release.set()
    assert (await bot.next_refusal()).code == 50027
    assert reply.message is not None and reply.message.content == "now"


async def test_a_followup_before_answering_is_refused(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("invalid_request", match="before answering the interaction")
    bot = RawBot()

    @bot.command("early")
    async def early(interaction: discord.Interaction) -> None:
        await bot.guard(interaction.followup.send("too early"))
        await interaction.response.send_message("answered")

    await start_bot(lambda: bot)
    reply = await discord_user.invoke("/early")
    assert isinstance(await bot.next_refusal(), discord.NotFound)
    assert reply.content == "answered"


async def test_a_callback_type_wrong_for_the_interaction_is_refused(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("invalid_request", match="callback type 7 is not valid for /edit")
    bot = RawBot()

    @bot.command("edit")
    async def edit(interaction: discord.Interaction) -> None:
        await raw_callback(interaction, 7, {"content": "a slash command has no message to update"})

    await start_bot(lambda: bot)
    await discord_user.send_command("/edit")
    assert (await bot.next_refusal()).status == 400


@pytest.mark.parametrize(
    "intents, name",
    [
        (discord.Intents(guilds=True, members=True), "GUILD_MEMBERS"),
        (discord.Intents(guilds=True, presences=True), "GUILD_PRESENCES"),
        (discord.Intents(guilds=True, message_content=True), "MESSAGE_CONTENT"),
    ],
)
async def test_asking_for_a_privileged_intent_is_flagged(
    intents: discord.Intents, name: str, fake_discord: FakeDiscord, start_bot: Any
) -> None:
    fake_discord.expect_violation("privileged_intent", match=name)
    bot = await start_bot(lambda: RawBot(intents=intents))
    assert fake_discord.gateway.stats.intents == [intents.value]
    assert bot.client.is_ready()


async def test_the_default_intents_are_not_privileged(fake_discord: FakeDiscord, start_bot: Any) -> None:
    await start_bot(RawBot)
    assert fake_discord.violations.of("privileged_intent") == []


async def test_an_unknown_route_answers_404_and_is_recorded(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("unknown_route", match=r"GET /guilds/\d+/bans")
    bot = RawBot()

    @bot.command("bans")
    async def bans(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("checking")
        await raw_request(bot, "GET", f"/guilds/{interaction.guild_id}/bans")

    await start_bot(lambda: bot)
    await discord_user.invoke("/bans")
    assert isinstance(await bot.next_refusal(), discord.NotFound)


INNER_TEST = """
from fake_discord.rawbot import RawBot

async def test_inner(fake_discord, start_bot, discord_user):
    bot = RawBot()

    @bot.command("big")
    async def big(interaction):
        await interaction.response.send_message("x" * 2001)

    await start_bot(lambda: bot)
    await discord_user.send_command("/big")
    await bot.next_refusal()
"""


def test_an_undeclared_violation_fails_the_test(tmp_path: Path) -> None:
    """The check itself: a test provoking a violation it did not declare FAILS, and the report lists it."""
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "fake_discord.pytest_plugin",
        "-p",
        "no:cacheprovider",
        "-q",
        "-o",
        "asyncio_mode=auto",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
        "test_inner.py",
    ]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout
    assert "violation(s)" in result.stdout
    assert "content: Must be 2000 or fewer in length (got 2001)" in result.stdout
