"""`python -m bot`: run the bot, or try it offline.

python -m bot                 connect to Discord (needs DISCORD_TOKEN)
python -m bot --sync          ... and sync the slash commands even if they look unchanged
python -m bot console         an offline prompt: type /rank 3
python -m bot ask "/rank 3"   one offline answer, then exit
python -m bot check-data      validate data/moments.toml
python -m bot backup FILE     copy the live database to FILE (see bot/operations/cli.py)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import discord

from bot import database
from bot.catalogue import DEFAULT_SEED_PATH, SeedError, load_catalogue
from bot.config import ConfigError, RedactingFilter, Settings, load_settings
from bot.operations import cli as operations
from bot.operations.logs import use_json_logging

log = logging.getLogger("bot")

BAD_TOKEN = "Discord refused DISCORD_TOKEN: reset the token on your application's Bot page and copy it again"
# Gateway closes discord.py does not retry (discord.com/developers/docs/topics/opcodes-and-status-codes).
GATEWAY_CLOSES = {
    4004: BAD_TOKEN,
    4010: "Discord refused the shard this process asked for (gateway close 4010): check SHARD_COUNT and SHARD_IDS",
    4011: (
        "Discord requires sharding for this many servers (gateway close 4011): set SHARD_COUNT higher, "
        "or leave it unset for Discord's recommendation"
    ),
    4012: "Discord refused the gateway version this bot speaks (gateway close 4012): update discord.py",
    4013: "Discord refused the intents this bot asks for as invalid (gateway close 4013)",
    4014: "Discord refused a privileged intent; this bot should not ask for any (gateway close 4014)",
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        if args.command == "check-data":
            return _check_data(args.seed)
        if args.command in operations.COMMANDS:
            return operations.run(args, settings)
        if args.command in ("console", "ask"):
            from bot.console import run_console

            _setup_logging(settings.log_level if args.verbose else "WARNING", None, settings.log_format)
            return _run(run_console(settings, args.seed, " ".join(args.text) if args.command == "ask" else None))
        token = settings.require_token()
    except (ConfigError, SeedError, database.DatabaseError, operations.CommandError) as exc:
        return _fail(str(exc))
    _setup_logging(settings.log_level, token, settings.log_format, settings.database_passwords)
    return _run(_run_bot(settings, token, args.seed, force_sync=args.sync))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Perfect Moments, a K-drama Discord bot.")
    parser.add_argument("--sync", action="store_true", help="sync slash commands even if they look unchanged")
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED_PATH, help="the seed file (data/moments.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="console: show log lines")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="connect to Discord (the default)")
    commands.add_parser("console", help="an offline prompt that answers commands like /rank 3")
    ask = commands.add_parser("ask", help='answer one command offline, e.g. ask "/rank 3"')
    ask.add_argument("text", nargs="+")
    commands.add_parser("check-data", help="validate the seed file and exit")
    operations.add_commands(commands)
    return parser


async def _run_bot(settings: Settings, token: str, seed: Path, *, force_sync: bool) -> int:
    from bot.client import PerfectMomentsBot, StartupError

    db = await database.open_database(settings.database)  # fail fast, before connecting
    bot = PerfectMomentsBot(settings, db=db, seed_path=seed, force_sync=force_sync, owns_process=True)
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Future[None]] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, lambda: closing.append(asyncio.ensure_future(bot.close())))
    try:
        async with bot:
            await bot.start(token)
        # bot.start returns once the client is closed, before a signal's close() has closed the database:
        # let it finish, or the database thread outlives the event loop and the process never exits.
        await asyncio.gather(*closing)
    except discord.LoginFailure:
        return _fail(BAD_TOKEN)
    except discord.PrivilegedIntentsRequired:
        return _fail("Discord refused a privileged intent; this bot should not ask for any")
    except discord.ConnectionClosed as exc:
        return _fail(GATEWAY_CLOSES.get(exc.code, f"Discord closed the gateway with code {exc.code}; not retrying"))
    except StartupError as exc:
        return _fail(str(exc))
    log.info("stopped")
    return 0


def _run(coroutine: Coroutine[Any, Any, int]) -> int:
    try:
        return asyncio.run(coroutine)
    except (ConfigError, SeedError, database.DatabaseError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


def _check_data(seed: Path) -> int:
    catalogue = load_catalogue(seed)
    print(f"{seed}: {len(catalogue.moments)} moments, ranks {', '.join(map(str, catalogue.ranks))}: valid")
    return 0


def _setup_logging(level: str, secret: str | None, log_format: str = "text", passwords: tuple[str, ...] = ()) -> None:
    if log_format == "json":
        use_json_logging(level)
    else:
        discord.utils.setup_logging(level=getattr(logging, level), root=True)
    redact = RedactingFilter(secret, *passwords)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def _fail(message: str) -> int:
    print(f"perfect-moments: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
