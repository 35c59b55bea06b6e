"""The bot's fixtures; the fake Discord's own (fake_discord, discord_user, start_bot, bot_process...) come from
fake_discord/pytest_plugin.py, loaded by the repository's conftest.py."""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from bot.catalogue import load_catalogue
from bot.trivia.questions import QuestionTemplate, question_pool
from bot.trivia.store import TriviaStore
from fake_discord import FakeDiscord
from fake_discord.bots import InProcessBot
from fake_discord.pytest_plugin import StartBot

__all__ = [
    "BACKENDS",
    "FakeClock",
    "StartBot",
    "bot_app",
    "bot_settings",
    "clock",
    "database_env",
    "database_target",
    "db",
    "postgresql_url",
    "real_bot_factory",
    "seed_with_eleven",
    "trivia_bot",
    "trivia_database",
]


# --- databases: every storage test runs on SQLite and on PostgreSQL --------------------------------------------

# The PostgreSQL server the tests use (each test gets a schema of its own in it, dropped after). Where none
# answers, PostgreSQL tests skip and say why; with REQUIRE_POSTGRESQL=1 (CI: .ci/run) they fail instead.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


async def _postgresql(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(TEST_DATABASE_URL, timeout=5)
    try:
        await connection.execute("SET lock_timeout = '10s'")  # never hang a test run on a schema still in use
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgresql_server() -> str:
    """TEST_DATABASE_URL, once it has answered; skips (or, where required, fails) the test when it does not."""
    try:
        asyncio.run(_postgresql("SELECT 1"))
    except Exception as exc:
        why = f"no PostgreSQL server answers at TEST_DATABASE_URL={TEST_DATABASE_URL} ({type(exc).__name__}: {exc})"
        if os.environ.get("REQUIRE_POSTGRESQL") == "1":
            pytest.fail(f"{why}; REQUIRE_POSTGRESQL=1 says the PostgreSQL tests must run here")
        pytest.skip(f"{why}: set TEST_DATABASE_URL to run the PostgreSQL tests")
    return TEST_DATABASE_URL


@pytest.fixture
def postgresql_url(postgresql_server: str) -> Iterator[str]:
    """A URL of a fresh, empty schema on the test server (as DATABASE_URL would be), dropped after the test."""
    schema = f"pm_test_{uuid.uuid4().hex[:16]}"
    asyncio.run(_postgresql(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in postgresql_server else "?"
    yield f"{postgresql_server}{separator}search_path={schema}"
    # Fixtures that use the URL (a running bot) are torn down first: request this one before them.
    asyncio.run(_postgresql(f"DROP SCHEMA {schema} CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a test's database is: an SQLite file, then a PostgreSQL schema (the test runs once on each)."""
    if request.param == "sqlite":
        return tmp_path / "test.db"
    url: str = request.getfixturevalue("postgresql_url")
    return url


@pytest_asyncio.fixture
async def db(database_target: str | Path) -> AsyncIterator[Any]:
    """An open, migrated database on each backend in turn, closed after the test."""
    from bot import database

    opened = await database.open_database(database_target)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def store(db: Any) -> TriviaStore:
    """The trivia store on `db` (each backend in turn). Imported with this file, not here: a bot that unloads its
    extensions drops bot.trivia's modules, and a later import would make classes the tests' own imports are not."""
    return TriviaStore(db)


@pytest.fixture(scope="session")
def pool() -> list[QuestionTemplate]:
    """The catalogue's question pool."""
    return question_pool(load_catalogue())


def bot_settings(database: str | Path, **more: Any) -> Any:
    """The bot's settings for the fake Discord, on `database`: an SQLite file or a PostgreSQL URL."""
    from bot.config import Settings

    if isinstance(database, str):
        return Settings(database_url=database, token=FakeDiscord.token, **more)
    return Settings(database_path=database, token=FakeDiscord.token, **more)


def database_env(database: str | Path) -> dict[str, str]:
    """What a bot process's environment says for `database`: DATABASE_URL, or DATABASE_PATH for an SQLite file."""
    return {"DATABASE_URL": database} if isinstance(database, str) else {"DATABASE_PATH": str(database)}


def real_bot_factory(
    database: str | Path, *, dev_guild_id: int | None = None, seed_path: Path | None = None
) -> Callable[[], discord.Client]:
    from bot.catalogue import DEFAULT_SEED_PATH
    from bot.client import PerfectMomentsBot

    settings = bot_settings(database, dev_guild_id=dev_guild_id)
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
    database: str | Path, clock: Callable[[], float], seed: int = 1, **options: Any
) -> Callable[[], discord.Client]:
    """The real bot with trivia on `clock`, ticking every TICK s; `options` are more TriviaOptions."""
    from bot.client import PerfectMomentsBot
    from bot.trivia.rules import TriviaOptions

    settings = bot_settings(database)

    def make() -> discord.Client:
        trivia = TriviaOptions(clock=clock, tick_seconds=TICK, rng=random.Random(seed), **options)
        return PerfectMomentsBot(settings, trivia_options=trivia)

    return make


@pytest.fixture(params=BACKENDS)
def trivia_database(request: pytest.FixtureRequest, bot_database: Path) -> str | Path:
    """The database of a trivia end-to-end test: the bot's SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return bot_database
    url: str = request.getfixturevalue("postgresql_url")
    return url


@pytest.fixture
async def trivia_bot(trivia_database: str | Path, start_bot: StartBot, clock: FakeClock) -> InProcessBot:
    """The real bot with trivia on the test's clock, on each backend in turn."""
    return await start_bot(trivia_bot_factory(trivia_database, clock))


def integrity_errors() -> tuple[type[Exception], ...]:
    """What each backend raises when a statement breaks a unique key or a constraint."""
    import sqlite3

    import asyncpg

    return (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


@pytest_asyncio.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Any]:
    """An SQLite database only: for what only SQLite shows (its query plans, its statements as traced)."""
    from bot import database

    opened = await database.open_database(tmp_path / "sqlite-only.db")
    try:
        yield opened
    finally:
        await opened.close()


async def table_names(db: Any) -> list[str]:
    """The database's tables, on either backend (PostgreSQL: of the test's schema)."""
    if db.backend == "sqlite":
        rows = await db.fetch("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        rows = await db.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_name <> 'schema_version'"
        )
    return sorted(str(r[0]) for r in rows)


async def column_names(db: Any, table: str) -> list[str]:
    """A table's columns in order, on either backend."""
    if db.backend == "sqlite":
        return [str(r[1]) for r in await db.fetch(f"PRAGMA table_info({table})")]
    rows = await db.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = ? ORDER BY ordinal_position",
        table,
    )
    return [str(r[0]) for r in rows]
