"""A bot run as a separate process (fake_discord/launch_bot.py) against the fake: it connects, answers,
stops on SIGTERM, dies on SIGKILL, and starts again; the fake keeps its registered commands meanwhile."""

from __future__ import annotations

import os
from typing import Any

from fake_discord import DiscordUser, FakeDiscord

DEMO = "fake_discord.demo_bot:main"


async def test_a_bot_process_answers_and_stops_cleanly_on_sigterm(
    fake_discord: FakeDiscord, bot_process: Any, discord_user: DiscordUser
) -> None:
    process = await bot_process(main=DEMO)
    os.kill(process.pid, 0)  # it is running
    assert (await discord_user.invoke("/ping")).content == "pong"
    process.terminate()
    assert await process.wait() == 0, process.log()
    # discord.py closes with 4000 while its reader is waiting, so the session stays resumable, as on Discord.
    await fake_discord.wait_until(
        lambda: fake_discord.gateway.connected_session() is None, what="the bot's gateway socket to close"
    )


async def test_a_killed_bot_process_comes_back(
    fake_discord: FakeDiscord, bot_process: Any, discord_user: DiscordUser
) -> None:
    process = await bot_process(main=DEMO)
    first_pid = process.pid
    await process.restart(kill=True)
    assert process.pid != first_pid and process.returncodes == [-9]
    assert (await discord_user.invoke("/echo", text="back")).content == "back"
    assert fake_discord.gateway.stats.identifies == 2
    assert "ping" in fake_discord.command_names()
