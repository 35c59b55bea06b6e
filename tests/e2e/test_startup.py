"""Smoke tests of the real bot through the harness: in-process (`bot_app`) and as a process (`bot_process`).
The bot's own behaviour is tested elsewhere; these show the fixtures work with it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from tests.conftest import real_bot_factory

SYNC = "/applications/{application_id}/commands"


async def test_the_real_bot_answers_about_with_an_embed(
    fake_discord: FakeDiscord, bot_app: InProcessBot, discord_user: DiscordUser
) -> None:
    reply = await discord_user.invoke("/about")
    assert reply.embeds, reply.content
    assert reply.text()
    assert {"about", "moment", "rank", "trivia"} <= set(fake_discord.command_names())
    assert fake_discord.gateway.stats.intents == [1]  # GUILDS only: nothing privileged


async def test_the_real_bot_starts_fast_and_does_not_sync_again_after_a_restart(
    fake_discord: FakeDiscord, start_bot: Any, bot_database: Path, discord_user: DiscordUser
) -> None:
    began = time.perf_counter()
    bot: InProcessBot = await start_bot(real_bot_factory(bot_database))
    assert time.perf_counter() - began < 1.0
    await bot.restart()
    assert len(fake_discord.requests("PUT", SYNC)) == 1
    assert (await discord_user.invoke("/rank", number=3)).embeds


async def test_the_real_bot_as_a_process_survives_sigterm_and_sigkill(
    fake_discord: FakeDiscord, bot_process: Any, discord_user: DiscordUser
) -> None:
    process = await bot_process()
    assert (await discord_user.invoke("/about")).embeds
    process.terminate()
    assert await process.wait() == 0, process.log()
    await process.start()
    assert len(fake_discord.requests("PUT", SYNC)) == 1  # unchanged tree: no second sync
    await process.restart(kill=True)
    assert process.returncodes == [0, -9]
    assert (await discord_user.invoke("/rank", number=2)).embeds
