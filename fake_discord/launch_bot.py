"""Run the bot as a process against the fake Discord.

    FAKE_DISCORD_URL=http://127.0.0.1:PORT python fake_discord/launch_bot.py

Points discord.py's REST base and gateway at the fake, makes on_ready prompt (the fake sends every
GUILD_CREATE at once) and so each IDENTIFY after the first (no 5 s wait: the fake has no identify limit), tells
the fake when the client is ready (POST /_fake/ready with the pid), then calls $FAKE_DISCORD_BOT_MAIN
("module:function", default "bot.__main__:main") with the arguments in $FAKE_DISCORD_BOT_ARGS (shell words,
e.g. "--seed broken.toml"; none by default) and exits with its return code.
DISCORD_TOKEN, DATABASE_PATH, DEV_GUILD_ID and LOG_LEVEL are read by the bot from the environment.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shlex
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
FAST_GUILD_READY_TIMEOUT = 0.1
FAST_IDENTIFY_WAIT = 0.05  # instead of discord.py's 5 s before each IDENTIFY but the first


def point_discord_at(url: str) -> None:
    import discord.gateway
    import discord.http
    import yarl

    discord.http.Route.BASE = url + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("ws" + url.removeprefix("http") + "/")


def report_ready_to(url: str) -> None:
    """Wrap discord.Client so each client gets a short guild-ready wait and reports on_ready to the fake."""
    import aiohttp
    import discord

    original_init = discord.Client.__init__
    original_ready = discord.Client._handle_ready
    pending: set[asyncio.Task[None]] = set()

    def __init__(self: discord.Client, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._connection.guild_ready_timeout = FAST_GUILD_READY_TIMEOUT
        self.before_identify_hook = fast_identify  # type: ignore[method-assign]

    async def fast_identify(shard_id: int | None, *, initial: bool = False) -> None:
        if not initial:
            await asyncio.sleep(FAST_IDENTIFY_WAIT)

    async def tell_fake() -> None:
        async with aiohttp.ClientSession() as session:
            await session.post(url + "/_fake/ready", json={"pid": os.getpid()})

    def _handle_ready(self: discord.Client) -> None:
        original_ready(self)
        task = asyncio.get_running_loop().create_task(tell_fake())
        pending.add(task)
        task.add_done_callback(pending.discard)

    discord.Client.__init__ = __init__  # type: ignore[method-assign]
    discord.Client._handle_ready = _handle_ready  # type: ignore[method-assign]


def main() -> int:
    url = os.environ["FAKE_DISCORD_URL"].rstrip("/")
    # Run as a script, this folder is sys.path[0]; its modules (model, users...) must not shadow anything.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    sys.path.insert(0, str(REPO_ROOT))
    point_discord_at(url)
    report_ready_to(url)
    module_name, _, function = os.environ.get("FAKE_DISCORD_BOT_MAIN", "bot.__main__:main").partition(":")
    entry = getattr(importlib.import_module(module_name), function or "main")
    return int(entry(shlex.split(os.environ.get("FAKE_DISCORD_BOT_ARGS", ""))) or 0)


if __name__ == "__main__":
    sys.exit(main())
