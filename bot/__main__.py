"""`python -m bot`: run the bot, or try it offline.

python -m bot                 connect to Discord (needs DISCORD_TOKEN)
python -m bot --sync          ... and sync the slash commands even if they look unchanged
python -m bot console         an offline prompt: type /rank 3 (--locale ko: answers in Korean)
python -m bot ask "/rank 3"   one offline answer, then exit (ask --locale ko "/순위 3": in Korean)
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
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot import database
from bot.catalogue import DEFAULT_SEED_PATH, SeedError, load_catalogue
from bot.config import ConfigError, RedactingFilter, Settings, load_settings
from bot.hangul import DEFAULT_HANGUL_PATH, DEFAULT_STORIES_PATH, load_hangul, load_stories
from bot.i18n import catalogue_problems
from bot.operations import cli as operations
from bot.operations.logs import json_line, use_json_logging

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

log = logging.getLogger("bot")

SIGNAL_GRACE_SECONDS = 7.0  # the bot's own shutdown (at most 5 s for work in flight), within the 10 s allowed

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
    settings: Settings | None = None
    try:
        settings = load_settings()
        if args.command == "check-data":
            return _check_data(args.seed, args.hangul)
        if args.command in operations.COMMANDS:
            return operations.run(args, settings)
        if args.command in ("console", "ask"):
            from bot.console import run_console

            _setup_logging(settings.log_level if args.verbose else "WARNING", None, settings.log_format)
            line = " ".join(args.text) if args.command == "ask" else None
            return _run(run_console(settings, args.seed, line, args.locale), settings)
        token = settings.require_token()
    except (ConfigError, SeedError, database.DatabaseError, operations.CommandError) as exc:
        return _fail(str(exc), settings)
    _setup_logging(settings.log_level, token, settings.log_format, settings.database_passwords)
    return _run(_run_bot(settings, token, args.seed, force_sync=args.sync), settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Perfect Moments, a K-drama Discord bot.")
    parser.add_argument("--sync", action="store_true", help="sync slash commands even if they look unchanged")
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED_PATH, help="the seed file (data/moments.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="console: show log lines")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="connect to Discord (the default)")
    console = commands.add_parser("console", help="an offline prompt that answers commands like /rank 3")
    ask = commands.add_parser("ask", help='answer one command offline, e.g. ask "/rank 3"')
    for offline in (console, ask):
        offline.add_argument("--locale", default="en-US", help="the member's Discord language: ko answers in Korean")
    ask.add_argument("text", nargs="+")
    check = commands.add_parser("check-data", help="validate the seed file, the Hangul names and the catalogues")
    check.add_argument("--hangul", type=Path, default=DEFAULT_HANGUL_PATH, help="the Hangul names (data/hangul.toml)")
    operations.add_commands(commands)
    return parser


async def _run_bot(settings: Settings, token: str, seed: Path, *, force_sync: bool) -> int:
    from bot.client import PerfectMomentsBot

    db = await database.open_database(settings.database)  # fail fast, before connecting
    try:
        bot = PerfectMomentsBot(settings, db=db, seed_path=seed, force_sync=force_sync, owns_process=True)
        return await _until_stopped(bot, token, settings)
    finally:
        # The bot closes the database it prepared; one refused at login never took it over, and aiosqlite's
        # thread would keep the process alive. Closing twice is harmless.
        await db.close()


async def _until_stopped(bot: PerfectMomentsBot, token: str, settings: Settings) -> int:
    """Run the bot until it ends on its own or a signal (SIGTERM, SIGINT) ends it."""
    signalled = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, signalled.set)
    running = asyncio.create_task(_connect(bot, token, settings), name="perfect-moments-run")
    waiting = asyncio.create_task(signalled.wait())
    await asyncio.wait({running, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if not running.done():
        await _stop(bot, running)
    if running.cancelled():
        log.info("stopped")
        return 0
    return running.result()


async def _stop(bot: PerfectMomentsBot, running: asyncio.Task[int]) -> None:
    """A signal's shutdown: the bot's own (it finishes what it started), then whatever discord.py still waits
    on is cancelled. A reconnect's backoff or a shard's endless retry of its first connect would otherwise
    outlive the closed client by minutes."""
    try:
        await asyncio.wait_for(bot.close(), SIGNAL_GRACE_SECONDS)
    except TimeoutError:
        log.warning("shutting down took more than %g s; stopping anyway", SIGNAL_GRACE_SECONDS)
    running.cancel()
    await asyncio.wait({running}, timeout=1.0)


async def _connect(bot: PerfectMomentsBot, token: str, settings: Settings) -> int:
    """Log in, start up and stay connected; 0 once closed, or the exit code of a start-up failure's line."""
    from bot.client import StartupError

    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        return _fail(BAD_TOKEN, settings)
    except discord.PrivilegedIntentsRequired:
        return _fail("Discord refused a privileged intent; this bot should not ask for any", settings)
    except discord.ConnectionClosed as exc:
        closed = GATEWAY_CLOSES.get(exc.code, f"Discord closed the gateway with code {exc.code}; not retrying")
        return _fail(closed, settings)
    except discord.HTTPException as exc:
        return _fail(
            f"Discord answered {exc.status} ({exc.text or 'no details'}) while starting; try again later", settings
        )
    except (aiohttp.ClientError, OSError, TimeoutError, discord.GatewayNotFound) as exc:
        return _fail(
            f"cannot reach Discord: {_reason(exc)}; check the network (DNS, proxy, firewall), then start again",
            settings,
        )
    except StartupError as exc:
        return _fail(str(exc), settings)
    log.info("stopped")
    return 0


def _reason(exc: BaseException) -> str:
    """One line for a connection that failed: aiohttp's own says where and why ("Cannot connect to host
    discord.com:443 ssl:default [Name or service not known]")."""
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    return " ".join(str(exc).split()) or type(exc).__name__


def _run(coroutine: Coroutine[Any, Any, int], settings: Settings) -> int:
    try:
        return asyncio.run(coroutine)
    except (ConfigError, SeedError, database.DatabaseError) as exc:
        return _fail(str(exc), settings)
    except KeyboardInterrupt:
        return 130


def _check_data(seed: Path, hangul_path: Path = DEFAULT_HANGUL_PATH) -> int:
    """The seed file, then the Hangul names (each needs a source) and the message catalogues: 0 when all is well,
    1 with one line per problem otherwise."""
    from collections import Counter

    from bot.trivia.questions import KINDS, OPERATOR_QUESTION, question_pool
    from bot.trivia.server_questions.packs import load_operator_packs, packs_folder

    catalogue = load_catalogue(seed)
    print(f"{seed}: {len(catalogue.moments)} moments, ranks {', '.join(map(str, catalogue.ranks))}: valid")
    packs = load_operator_packs(packs_folder(seed))
    pool = question_pool(catalogue) + packs
    counts = Counter(t.kind for t in pool)
    kinds = [*KINDS, OPERATOR_QUESTION] if packs else KINDS
    print(f"trivia: {len(pool)} questions: " + ", ".join(f"{kind} {counts[kind]}" for kind in kinds))
    if packs:
        print(f"{packs_folder(seed)}: {len(packs)} questions of the operator's packs: valid")
    hangul = load_hangul(hangul_path)
    problems = [f"{hangul_path}: {line}, so it is left out" for line in hangul.unsourced]
    problems += [f"{hangul_path}: names {line}, which {seed} does not hold" for line in hangul.unknown_to(catalogue)]
    stories = load_stories()
    problems += [
        f"{DEFAULT_STORIES_PATH}: rank {r} is not in {seed}" for r in sorted(set(stories) - set(catalogue.ranks))
    ]
    problems += catalogue_problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    named = len(hangul.dramas) + len(hangul.actors) + len(hangul.characters)
    print(f"{hangul_path}: {named} names in Hangul, each with its source" + (": problems above" if problems else ""))
    return 1 if problems else 0


def _setup_logging(level: str, secret: str | None, log_format: str = "text", passwords: tuple[str, ...] = ()) -> None:
    if log_format == "json":
        use_json_logging(level)
    else:
        discord.utils.setup_logging(level=getattr(logging, level), root=True)
    redact = RedactingFilter(secret, *passwords)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def _fail(message: str, settings: Settings | None = None) -> int:
    """Start-up's last word: one line on stderr (a JSON object with LOG_FORMAT=json), without the token or the
    database's password, and the exit code."""
    if settings is not None:
        message = RedactingFilter(settings.token, *settings.database_passwords).redact(message)
    if settings is not None and settings.log_format == "json":
        print(json_line("CRITICAL", "bot", message), file=sys.stderr)
    else:
        print(f"perfect-moments: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
