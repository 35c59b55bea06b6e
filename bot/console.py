"""The offline console: type `/rank 3` and read the card, with no token and no network.

Commands and their options are read from the bot's own command tree, so the console accepts exactly what
Discord would show and checks options the way Discord does. A command is answered by its own callback, with
an `OfflineInteraction` that keeps the reply instead of sending it, so every command a feature adds works
offline the day it works in Discord. Commands that need a server (trivia) are answered by their cog's
`offline_reply` (given the console's language), or said to need one. With `--locale ko` the answers are in
Korean, as for a member whose Discord speaks Korean, and the commands' Korean names (`/순위 번호:3`) are
understood as well as the English.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from discord import AppCommandOptionType, app_commands

from bot.client import PerfectMomentsBot
from bot.config import Settings
from bot.i18n import ENGLISH, language_of, load_command_text, messages
from bot.matching import quote_input
from bot.render import OfflineInteraction, to_text
from bot.replies import Reply, notice

Options = dict[str, Any]
Command = app_commands.Command[Any, Any, Any]

PROMPT = "perfect-moments> "
ENGLISH_NAMES = {
    korean: english for language in ("ko",) for english, korean in load_command_text().names(language).items()
}  # the commands' and options' names in Korean, to their English
READ_SIZE = 65536
GREETING = (
    "Perfect Moments, offline. Type a command such as /rank 3 or /actor Gong Yoo; /about lists them; quit to leave."
)


class InputError(ValueError):
    """What the user typed can't be run; the message says why, as Discord would."""


@dataclass(frozen=True)
class Invocation:
    command: Command
    options: Options

    @property
    def name(self) -> str:
        return self.command.qualified_name  # e.g. "moment show"


def parse(tree: app_commands.CommandTree[Any], line: str) -> Invocation:
    """Turn `/moment show Goblin` or `/rank number:3` into a command of the tree and checked options."""
    text = line.strip()
    if not text.startswith("/"):
        raise InputError("Commands start with a slash, for example /rank 3.")
    words = text[1:].split(maxsplit=1)
    if not words:
        raise InputError("Type a command after the slash, for example /rank 3.")
    command = tree.get_command(_english(words[0]))
    rest = words[1] if len(words) > 1 else ""
    while isinstance(command, app_commands.Group):  # a group, or a group's group (/trivia season new)
        parts = rest.split(maxsplit=1)
        sub = command.get_command(_english(parts[0])) if parts else None
        if sub is None:
            names = ", ".join(f"/{command.qualified_name} {c.name}" for c in command.commands)
            raise InputError(f"/{command.qualified_name} needs a subcommand: {names}.")
        command, rest = sub, parts[1] if len(parts) > 1 else ""
    if not isinstance(command, app_commands.Command):
        raise InputError(f"Unknown command /{_safe(words[0])}. /about lists the commands.")
    if needs_server(command):
        return Invocation(command, {})  # answered by the feature's offline_reply, which takes no options
    return Invocation(command, _options(command, rest))


def _english(name: str) -> str:
    """A command's, group's or option's name as the code declares it (`순위` → `rank`)."""
    name = name.lower()
    return ENGLISH_NAMES.get(name, name)


def needs_server(command: Command) -> bool:
    return bool((command.root_parent or command).guild_only)


def _options(command: Command, rest: str) -> Options:
    params = command.parameters
    korean = {k: e for k, e in ENGLISH_NAMES.items() if e in {p.name for p in params}}
    given = {_english(k): v for k, v in _split_options(rest, [*(p.name for p in params), *korean]).items()}
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
    """`name:value` pairs as Discord shows them, each value running to the next `name:` (`/actor name:Gong Yoo`),
    or, for a command with options, plain text for the first."""
    rest = rest.strip()
    if not rest:
        return {}
    if not names:
        return {"(text)": rest}
    marks = list(re.finditer(rf"(?:^|(?<=\s))({'|'.join(map(re.escape, names))}):", rest))
    if not marks or marks[0].start() != 0:
        return {names[0]: rest}
    ends = [mark.start() for mark in marks[1:]] + [len(rest)]
    return {mark.group(1): _unquote(rest[mark.end() : end].strip()) for mark, end in zip(marks, ends, strict=True)}


def _unquote(value: str) -> str:
    """`title:"Snow Kiss"` is `Snow Kiss`, as it would be typed into Discord's option box."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _convert(command: Command, param: app_commands.Parameter, raw: str) -> Any:
    where = f"/{command.qualified_name} {param.name}"
    if param.type is AppCommandOptionType.integer:
        try:
            value = int(raw.strip())
        except ValueError:
            raise InputError(f"{where} must be a whole number.") from None
        low, high = param.min_value, param.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise InputError(f"{where} must be a whole number {_bounds(low, high)}.")
        return value
    if param.type is AppCommandOptionType.string:
        low, high = param.min_value or 0, param.max_value or 6000
        if not low <= len(raw) <= high:
            raise InputError(f"{where} must be {low} to {high} characters long.")
        return raw
    raise InputError(f"{where} can't be given offline; try it in Discord.")


def _bounds(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}"
    return f"of at least {low:g}" if low is not None else f"of at most {high:g}"


async def answer(bot: PerfectMomentsBot, line: str, locale: str = "en-US") -> Reply:
    """The reply to one line, for a member whose Discord speaks `locale`; raises InputError when the line is not
    a command that can run offline."""
    invocation = parse(bot.tree, line)
    command = invocation.command
    cog = command.binding
    if needs_server(command):
        offline_reply = getattr(cog, "offline_reply", None)
        if offline_reply is None:
            raise InputError(f"/{invocation.name} needs a Discord server; it can't run offline.")
        subcommand = command.qualified_name.partition(" ")[2] or command.name  # "season new"
        reply: Reply = offline_reply(subcommand, language_of(locale))
        return reply
    interaction = OfflineInteraction(locale)
    arguments = (cog, interaction) if cog is not None else (interaction,)
    await command.callback(*arguments, **invocation.options)
    if not interaction.replies:
        raise InputError(f"/{invocation.name} gave no answer offline; try it in Discord.")
    return interaction.replies[-1]


async def _answer_text(bot: PerfectMomentsBot, line: str, locale: str) -> tuple[str, bool]:
    try:
        return to_text(await answer(bot, line, locale), language_of(locale)), True
    except InputError as exc:
        return to_text(notice(str(exc)), language_of(locale)), False


async def run_console(settings: Settings, seed: Path, line: str | None, locale: str = "en-US") -> int:
    """With a line, answer it and return; without, read lines until end of input, `quit` or Ctrl-C. Answers are
    in the language of `locale` (`ko`: Korean)."""
    bot = PerfectMomentsBot(settings, seed_path=seed)
    try:
        await bot.prepare()  # inside the try: a bad seed file must still close the database it opened
        if line is not None:
            text, ok = await _answer_text(bot, line, locale)
            print(text)
            return 0 if ok else 1
        language = language_of(locale)
        print(GREETING if language == ENGLISH else messages().text("console.greeting", language))
        lines = _Lines(sys.stdin.fileno())
        while (typed := await lines.next()) is not None:
            if typed.strip().lower() in {"quit", "exit"}:
                break
            if typed.strip():
                print((await _answer_text(bot, typed, locale))[0], end="\n\n")
        else:
            print()  # end of input (Ctrl-D) leaves the prompt's line: the shell's starts on its own
        return 0
    finally:
        await bot.close()


class _Lines:
    """Lines typed on stdin, read without a thread: a thread blocked reading the terminal kept the process alive
    after Ctrl-C (and a daemon one aborts the interpreter at exit), so the event loop waits for input instead."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    async def next(self) -> str | None:
        """The next line (None: end of input), after the prompt."""
        print(PROMPT, end="", flush=True)
        while b"\n" not in self.buffer:
            chunk = await self._read_some()
            if not chunk:
                line, self.buffer = self.buffer, b""
                return line.decode(errors="replace") if line else None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode(errors="replace").rstrip("\r")

    async def _read_some(self) -> bytes:
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()
        try:
            loop.add_reader(self.fd, _settle, readable)
        except (PermissionError, NotImplementedError, ValueError):  # a file or /dev/null: reading never blocks
            return os.read(self.fd, READ_SIZE)
        try:
            await readable
        finally:
            loop.remove_reader(self.fd)
        return os.read(self.fd, READ_SIZE)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _safe(text: str) -> str:
    return quote_input(text, 40)
