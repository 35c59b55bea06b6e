"""The fake Discord's pytest fixtures (see README.md in this folder). Loaded by the repository's conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import discord
import discord.gateway
import discord.http
import pytest
import pytest_asyncio
import yarl

from .bots import BotProcess, InProcessBot
from .schema import load_checker, skip_reason
from .server import FakeDiscord
from .users import DiscordUser

FAKES = pytest.StashKey[list[FakeDiscord]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_discord(**options): options for the fake_discord fixture's "
        "FakeDiscord(...), e.g. schema=False, heartbeat_interval_ms=50, global_rate_limit=50, "
        "shards=2 or require_sharding=True",
    )


def pytest_report_header(config: pytest.Config) -> str:
    checker = load_checker()
    if checker is None:
        return f"fake discord: OpenAPI schema checks SKIPPED: {skip_reason()}"
    return f"fake discord: request bodies validated against {checker.source}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> object:
    """Fail the test (not just its teardown) when the fake recorded violations the test did not expect;
    when the test already failed, add them to its error as a note."""
    fakes = item.stash.get(FAKES, [])
    try:
        result = yield
    except BaseException as error:
        for fake in fakes:
            note = fake.violation_report(final=False)
            if note and isinstance(error, Exception):
                error.add_note(note)
        raise
    report = "\n".join(filter(None, (fake.violation_report(final=False) for fake in fakes)))
    if report:
        pytest.fail(report, pytrace=False)
    return result


@pytest_asyncio.fixture
async def fake_discord(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A running fake Discord; discord.py's REST base and gateway point at it for the test. At the end, any
    violation the test did not declare with `expect_violation` (or an expected one that never happened)
    fails the test. Options with `@pytest.mark.fake_discord(schema=False, ...)`."""
    marker = request.node.get_closest_marker("fake_discord")
    fake = await FakeDiscord(**(marker.kwargs if marker else {})).start()
    request.node.stash.setdefault(FAKES, []).append(fake)
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    try:
        yield fake
    finally:
        await fake.close()
    report = fake.violation_report(final=True)
    if report:
        pytest.fail(report, pytrace=False)


@pytest.fixture
def discord_user(fake_discord: FakeDiscord) -> DiscordUser:
    """bob: a fan in "K-Drama Fans" #general, without Manage Server."""
    return fake_discord.user("bob")


@pytest.fixture
def discord_admin(fake_discord: FakeDiscord) -> DiscordUser:
    """alice: has Manage Server in "K-Drama Fans" (and is a plain member of "Drama Club")."""
    return fake_discord.user("alice")


StartBot = Callable[[Callable[[], discord.Client]], Awaitable[InProcessBot]]


@pytest_asyncio.fixture
async def start_bot(fake_discord: FakeDiscord) -> AsyncIterator[StartBot]:
    """`bot = await start_bot(lambda: MyClient())`: runs a discord.py client in this event loop against the fake
    and waits for on_ready. `await bot.restart()` builds a new client with the same factory. Stopped at the end."""
    bots: list[InProcessBot] = []

    async def start(factory: Callable[[], discord.Client]) -> InProcessBot:
        bot = InProcessBot(fake_discord, factory)
        bots.append(bot)
        await bot.start()
        return bot

    yield start
    for bot in reversed(bots):
        await bot.stop()


@pytest.fixture
def bot_database(tmp_path: Path) -> Path:
    """Where the real bot keeps its SQLite database for this test (kept across restarts within the test)."""
    return tmp_path / "moments.db"


StartProcess = Callable[..., Awaitable[BotProcess]]


@pytest_asyncio.fixture
async def bot_process(fake_discord: FakeDiscord, bot_database: Path, tmp_path: Path) -> AsyncIterator[StartProcess]:
    """`proc = await bot_process()` starts the bot as a process (fake_discord/launch_bot.py) on
    `bot_database` and waits for on_ready. Options: main="module:function", env={...}, database_path=...
    `proc.terminate()` / `proc.kill()` / `await proc.wait()` / `await proc.restart(kill=...)`; `proc.log()`.
    Processes still running at the end get SIGTERM, then SIGKILL."""
    processes: list[BotProcess] = []

    async def start(
        *, main: str = "bot.__main__:main", env: dict[str, str] | None = None, database_path: Path | None = None
    ) -> BotProcess:
        log_path = tmp_path / f"bot-process-{len(processes) + 1}.log"
        process = BotProcess(
            fake_discord, database_path=database_path or bot_database, log_path=log_path, main=main, env=env
        )
        processes.append(process)
        await process.start()
        return process

    yield start
    for process in processes:
        await process.stop(timeout=10)
