"""The offline console: type `/rank 3` and read the card, with no token and no network.

Commands and their options are read from the bot's own command tree, so the console accepts exactly what
Discord would show, checks options the way Discord does, and answers through the same logic and renderer.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from discord import AppCommandOptionType, app_commands

from bot.cards import Reply, notice
from bot.client import PerfectMomentsBot
from bot.config import Settings
from bot.matching import quote_input
from bot.render import to_text
from bot.trivia.cards import offline_answer

Options = dict[str, Any]
Handler = Callable[[PerfectMomentsBot, Options], Reply]

OFFLINE: dict[str, Handler] = {
    "moment random": lambda bot, o: bot.lookups.random_moment(),
    "moment show": lambda bot, o: bot.lookups.show(o["title"]),
    "moment list": lambda bot, o: bot.lookups.list_moments(),
    "rank": lambda bot, o: bot.lookups.rank(o["number"]),
    "actor": lambda bot, o: bot.lookups.actor(o["name"]),
    "drama": lambda bot, o: bot.lookups.drama(o["title"]),
    "about": lambda bot, o: bot.lookups.about(),
}


def _trivia_offline(subcommand: str) -> Handler:
    """Trivia needs a server; offline, /trivia start previews a round and the others say where they work."""
    return lambda bot, o: offline_answer(subcommand, bot.catalogue, bot.lookups.rng)


OFFLINE.update(
    {
        f"trivia {sub}": _trivia_offline(sub)
        for sub in ("start", "channel", "schedule", "stop", "config", "leaderboard", "score")
    }
)

PROMPT = "perfect-moments> "
GREETING = (
    "Perfect Moments, offline. Type a command such as /rank 3 or /actor Gong Yoo; /about lists them; quit to leave."
)


class InputError(ValueError):
    """What the user typed can't be run; the message says why, as Discord would."""


@dataclass(frozen=True)
class Invocation:
    name: str  # qualified name, e.g. "moment show"
    options: Options


def parse(tree: app_commands.CommandTree[Any], line: str) -> Invocation:
    """Turn `/moment show Goblin` or `/rank number:3` into a command of the tree and checked options."""
    text = line.strip()
    if not text.startswith("/"):
        raise InputError("Commands start with a slash, for example /rank 3.")
    words = text[1:].split(maxsplit=1)
    if not words:
        raise InputError("Type a command after the slash, for example /rank 3.")
    command = tree.get_command(words[0].lower())
    rest = words[1] if len(words) > 1 else ""
    if isinstance(command, app_commands.Group):
        parts = rest.split(maxsplit=1)
        sub = command.get_command(parts[0].lower()) if parts else None
        if sub is None:
            names = ", ".join(f"/{command.name} {c.name}" for c in command.commands)
            raise InputError(f"/{command.name} needs a subcommand: {names}.")
        command, rest = sub, parts[1] if len(parts) > 1 else ""
    if not isinstance(command, app_commands.Command):
        raise InputError(f"Unknown command /{_safe(words[0])}. /about lists the commands.")
    return Invocation(command.qualified_name, _options(command, rest))


def _options(command: app_commands.Command[Any, Any, Any], rest: str) -> Options:
    params = command.parameters
    given = _split_options(rest, [p.name for p in params])
    options: Options = {}
    for param in params:
        if param.name in given:
            options[param.name] = _convert(command, param, given.pop(param.name))
        elif param.required:
            raise InputError(f"/{command.qualified_name} needs a value for {param.name}: {param.description}.")
    if given:
        raise InputError(f"/{command.qualified_name} has no option {_safe(next(iter(given)))}.")
    return options


def _split_options(rest: str, names: list[str]) -> dict[str, str]:
    """`name:value` pairs as Discord shows them, or, for a command with options, plain text for the first."""
    rest = rest.strip()
    if not rest:
        return {}
    try:
        tokens = shlex.split(rest)
    except ValueError:
        tokens = rest.split()
    if all(":" in t for t in tokens) and all(t.split(":", 1)[0] in names for t in tokens):
        return dict(t.split(":", 1) for t in tokens)
    if not names:
        return {"(text)": rest}
    return {names[0]: rest}


def _convert(command: app_commands.Command[Any, Any, Any], param: app_commands.Parameter, raw: str) -> Any:
    where = f"/{command.qualified_name} {param.name}"
    if param.type is AppCommandOptionType.integer:
        try:
            value = int(raw.strip())
        except ValueError:
            raise InputError(f"{where} must be a whole number.") from None
        low, high = param.min_value, param.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise InputError(f"{where} must be a whole number from {low} to {high}.")
        return value
    if param.type is AppCommandOptionType.string:
        low, high = param.min_value or 0, param.max_value or 6000
        if not low <= len(raw) <= high:
            raise InputError(f"{where} must be {low} to {high} characters long.")
        return raw
    raise InputError(f"{where} can't be given offline; try it in Discord.")


def answer(bot: PerfectMomentsBot, line: str) -> Reply:
    """The reply to one line; raises InputError when the line is not a command that can run offline."""
    invocation = parse(bot.tree, line)
    handler = OFFLINE.get(invocation.name)
    if handler is None:
        raise InputError(f"/{invocation.name} needs a Discord server; it can't run offline.")
    return handler(bot, invocation.options)


def _answer_text(bot: PerfectMomentsBot, line: str) -> tuple[str, bool]:
    try:
        return to_text(answer(bot, line)), True
    except InputError as exc:
        return to_text(notice(str(exc))), False


async def run_console(settings: Settings, seed: Path, line: str | None) -> int:
    """With a line, answer it and return; without, read lines until end of input or `quit`."""
    bot = PerfectMomentsBot(settings, seed_path=seed)
    await bot.prepare()
    try:
        if line is not None:
            text, ok = _answer_text(bot, line)
            print(text)
            return 0 if ok else 1
        print(GREETING)
        while (typed := await asyncio.to_thread(_read_line)) is not None:
            if typed.strip().lower() in {"quit", "exit"}:
                break
            if typed.strip():
                print(_answer_text(bot, typed)[0], end="\n\n")
        return 0
    finally:
        await bot.close()


def _read_line() -> str | None:
    try:
        return input(PROMPT)
    except EOFError:
        return None
    finally:
        sys.stdout.flush()


def _safe(text: str) -> str:
    return quote_input(text, 40)
