"""The bot's fixtures; the fake Discord's own (fake_discord, discord_user, start_bot, bot_process...) come from
fake_discord/pytest_plugin.py, loaded by the repository's conftest.py."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from fake_discord import FakeDiscord
from fake_discord.bots import InProcessBot
from fake_discord.pytest_plugin import StartBot

__all__ = ["FakeClock", "StartBot", "bot_app", "clock", "real_bot_factory", "seed_with_eleven", "trivia_bot"]


def real_bot_factory(
    database_path: Path, *, dev_guild_id: int | None = None, seed_path: Path | None = None
) -> Callable[[], discord.Client]:
    from bot.catalogue import DEFAULT_SEED_PATH
    from bot.client import PerfectMomentsBot
    from bot.config import Settings

    settings = Settings(database_path=database_path, token=FakeDiscord.token, dev_guild_id=dev_guild_id)
    return lambda: PerfectMomentsBot(settings, seed_path=seed_path or DEFAULT_SEED_PATH)


ELEVENTH_ENTRY = """
[[moment]]
rank = 11
scene = "The Operator's Own Scene"
drama = "A Drama Added Later"
year = 2024
synopsis = "A test entry an operator appended to the data file."
why = "It shows that every rank the file holds can be asked for."

[[moment.cast]]
actor = "Test Actor"
character = "Test Character"
"""


@pytest.fixture
def seed_with_eleven(tmp_path: Path) -> Path:
    """A copy of data/moments.toml with an 11th entry appended."""
    from bot.catalogue import DEFAULT_SEED_PATH

    path = tmp_path / "moments-eleven.toml"
    path.write_text(DEFAULT_SEED_PATH.read_text(encoding="utf-8") + ELEVENTH_ENTRY, encoding="utf-8")
    return path


@pytest_asyncio.fixture
async def bot_app(start_bot: StartBot, bot_database: Path) -> InProcessBot:
    """The real bot (bot.client.PerfectMomentsBot) running in-process on `bot_database`, ready.
    `bot_app.client` is the bot; `await bot_app.restart()` restarts it on the same database."""
    return await start_bot(real_bot_factory(bot_database))


# --- trivia, with a clock the test moves -------------------------------------------------------------

TICK = 0.05  # the trivia scheduler's tick in tests: real seconds


class FakeClock:
    """The bot's trivia clock: Unix time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def trivia_bot_factory(
    database_path: Path, clock: Callable[[], float], seed: int = 1, **options: Any
) -> Callable[[], discord.Client]:
    """The real bot with trivia on `clock`, ticking every TICK s; `options` are more TriviaOptions."""
    from bot.client import PerfectMomentsBot
    from bot.config import Settings
    from bot.trivia.rules import TriviaOptions

    settings = Settings(database_path=database_path, token=FakeDiscord.token)

    def make() -> discord.Client:
        trivia = TriviaOptions(clock=clock, tick_seconds=TICK, rng=random.Random(seed), **options)
        return PerfectMomentsBot(settings, trivia_options=trivia)

    return make


@pytest.fixture
async def trivia_bot(start_bot: StartBot, bot_database: Path, clock: FakeClock) -> InProcessBot:
    return await start_bot(trivia_bot_factory(bot_database, clock))
