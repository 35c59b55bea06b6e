"""Health and metrics end to end: the real bot with METRICS_PORT set, read over real HTTP on 127.0.0.1.

The gateway outage is a session Discord ended (close code 4009): the bot's RESUME is refused, and discord.py
waits 5 s before it IDENTIFIES again, so the bot stays disconnected long enough to be seen (an abrupt drop is
resumed within milliseconds).
"""

from __future__ import annotations

import asyncio
import random
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from prometheus_client.parser import text_string_to_metric_families

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from tests.conftest import TICK, FakeClock, StartBot, bot_settings
from tests.e2e.test_trivia import labels, revealed, set_up_channel, start_round

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def watched_bot_factory(database: str | Path, port: int, clock: FakeClock) -> Callable[[], discord.Client]:
    from bot.client import PerfectMomentsBot
    from bot.trivia.rules import TriviaOptions

    settings = bot_settings(database, metrics_port=port)

    def make() -> discord.Client:
        options = TriviaOptions(clock=clock, tick_seconds=TICK, rng=random.Random(1))
        return PerfectMomentsBot(settings, trivia_options=options)

    return make


class Scraper:
    """Reads /healthz and /metrics of a bot over HTTP."""

    def __init__(self, session: aiohttp.ClientSession, port: int) -> None:
        self.session = session
        self.base = f"http://127.0.0.1:{port}"

    async def health(self) -> tuple[int, dict[str, Any]]:
        async with self.session.get(self.base + "/healthz") as response:
            assert response.content_type == "application/json"
            return response.status, await response.json()

    async def metrics(self) -> Samples:
        async with self.session.get(self.base + "/metrics") as response:
            assert response.status == 200 and response.content_type == "text/plain"
            text = await response.text()
        found: Samples = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                found[(sample.name, frozenset(sample.labels.items()))] = float(sample.value)
        return found

    async def value(self, name: str, **labels: str) -> float:
        return (await self.metrics()).get((name, frozenset(labels.items())), 0.0)

    async def until(self, check: Callable[[], Awaitable[bool]], what: str, timeout: float = 3.0) -> None:
        deadline = time.monotonic() + timeout
        while not await check():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:g} s for {what}")
            await asyncio.sleep(0.02)


@pytest.fixture
async def scraper() -> AsyncIterator[Scraper]:
    async with aiohttp.ClientSession() as session:
        yield Scraper(session, free_port())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def watched_bot(
    trivia_database: str | Path, start_bot: StartBot, scraper: Scraper, clock: FakeClock
) -> InProcessBot:
    """On SQLite, then on PostgreSQL: the database's health and query timing on each."""
    port = int(scraper.base.rsplit(":", 1)[1])
    return await start_bot(watched_bot_factory(trivia_database, port, clock))


INTERACTIONS = "perfect_moments_interactions_total"


async def test_rank_3_raises_the_rank_counter_and_the_response_histogram(
    watched_bot: InProcessBot, scraper: Scraper, discord_user: DiscordUser
) -> None:
    rank_ok = {"kind": "command", "command": "rank", "outcome": "ok"}
    before = await scraper.value(INTERACTIONS, **rank_ok)
    timed = await scraper.value("perfect_moments_interaction_response_seconds_count", kind="command")
    assert (await discord_user.invoke("/rank", number=3)).embeds

    async def counted() -> bool:
        return await scraper.value(INTERACTIONS, **rank_ok) == before + 1

    await scraper.until(counted, "the rank counter to rise by one")
    samples = await scraper.metrics()
    key = ("perfect_moments_interaction_response_seconds_count", frozenset({("kind", "command")}))
    assert samples[key] == timed + 1
    assert 0 < samples[("perfect_moments_interaction_response_seconds_sum", frozenset({("kind", "command")}))] < 3
    assert samples[("perfect_moments_database_query_seconds_count", frozenset())] > 0  # migrations, seeding, sync
    assert samples[("perfect_moments_guilds", frozenset({("shard", "0")}))] == 2
    assert samples[("perfect_moments_gateway_connected", frozenset({("shard", "0")}))] == 1


async def test_buttons_autocomplete_and_refusals_are_counted_by_outcome(
    watched_bot: InProcessBot, scraper: Scraper, discord_user: DiscordUser
) -> None:
    reply = await discord_user.invoke("/moment random")
    await discord_user.click(reply, "Another moment")
    await discord_user.autocomplete("/actor", name="su")
    refused = await discord_user.invoke("/trivia start")
    assert "Manage Server" in refused.content

    async def all_counted() -> bool:
        samples = await scraper.metrics()
        return all(
            samples.get((INTERACTIONS, frozenset(wanted.items()))) == 1
            for wanted in (
                {"kind": "command", "command": "moment random", "outcome": "ok"},
                {"kind": "button", "command": "random", "outcome": "ok"},
                {"kind": "autocomplete", "command": "actor", "outcome": "received"},
                {"kind": "command", "command": "trivia start", "outcome": "refused"},
            )
        )

    await scraper.until(all_counted, "a command, a button, an autocomplete and a refusal counted")
    assert await scraper.value("perfect_moments_interaction_response_seconds_count", kind="button") == 1


async def test_trivia_rounds_and_answers_are_counted(
    fake_discord: FakeDiscord,
    watched_bot: InProcessBot,
    scraper: Scraper,
    clock: FakeClock,
    discord_admin: DiscordUser,
) -> None:
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    for member in (fake_discord.user("bob"), fake_discord.user("carol")):
        await member.click(posted, labels(posted)[0])
    clock.advance(30)
    await revealed(fake_discord, posted)
    fake_discord.fail_always("POST", f"/channels/{fake_discord.channel('trivia').id}/messages", status=403)
    failed = await discord_admin.invoke("/trivia start")
    assert "could not be posted" in failed.content

    async def rounds(opened: float, posted: float, closed: float, failed: float) -> bool:
        counts = [
            await scraper.value("perfect_moments_trivia_rounds_total", event=event)
            for event in ("opened", "posted", "closed", "failed")
        ]
        return counts == [opened, posted, closed, failed]

    await scraper.until(lambda: rounds(2, 1, 1, 1), "two rounds opened, one posted and closed, one failed")
    assert await scraper.value("perfect_moments_trivia_answers_total") == 2


async def test_healthz_is_503_while_the_gateway_is_down_and_200_after_it_is_back(
    fake_discord: FakeDiscord, watched_bot: InProcessBot, scraper: Scraper
) -> None:
    status, body = await scraper.health()
    assert (status, body) == (
        200,
        {"status": "ok", "discord": "connected", "database": "ok", "shards": {"0": "connected"}},
    )

    await fake_discord.drop_gateway(code=4009)
    seen: list[dict[str, Any]] = []

    async def down() -> bool:
        status, body = await scraper.health()
        seen.append(body)
        return status == 503

    await scraper.until(down, "/healthz to answer 503")
    assert seen[-1] == {"status": "down", "discord": "disconnected", "database": "ok", "shards": {"0": "disconnected"}}

    async def gauge_down() -> bool:
        return await scraper.value("perfect_moments_gateway_connected", shard="0") == 0

    await scraper.until(gauge_down, "the connected gauge to read 0")  # within the 5 s before IDENTIFY

    await fake_discord.wait_for_gateway(identifies=2, timeout=15)

    async def up() -> bool:
        return (await scraper.health())[0] == 200

    await scraper.until(up, "/healthz to answer 200 again")


async def test_healthz_names_the_database_when_it_does_not_answer(watched_bot: InProcessBot, scraper: Scraper) -> None:
    await watched_bot.client.db.close()  # type: ignore[attr-defined]
    status, body = await scraper.health()
    assert status == 503 and body["discord"] == "connected"
    assert body["database"].startswith("error: ")


async def test_two_watched_bots_in_one_process_count_apart(
    fake_discord: FakeDiscord, start_bot: StartBot, tmp_path: Path, clock: FakeClock
) -> None:
    ports = free_port(), free_port()
    bots = [await start_bot(watched_bot_factory(tmp_path / f"{i}.db", port, clock)) for i, port in enumerate(ports)]
    assert bots[0].client.metrics is not bots[1].client.metrics  # type: ignore[attr-defined]
    async with aiohttp.ClientSession() as session:
        first, second = (Scraper(session, port) for port in ports)
        assert (await first.health())[0] == (await second.health())[0] == 200
        await fake_discord.user("bob").invoke("/about")  # answered by the bot on the current session

        async def one_about_in_all() -> bool:
            about = {"kind": "command", "command": "about", "outcome": "ok"}
            return await first.value(INTERACTIONS, **about) + await second.value(INTERACTIONS, **about) == 1

        await first.until(one_about_in_all, "one /about counted by exactly one of the bots")


async def test_without_metrics_port_nothing_is_served(bot_app: InProcessBot) -> None:
    assert bot_app.client.metrics is None and bot_app.client.operations_server is None  # type: ignore[attr-defined]
