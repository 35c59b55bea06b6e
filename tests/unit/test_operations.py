"""Metrics and health without Discord: a registry per bot, the trivia counters, the gateway gauges, query
timing on either database backend, the database check, and the server's refusal of a port in use."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import prometheus_client
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot import database
from bot.config import ConfigError
from bot.database import Database
from bot.database.sqlite import SQLiteDatabase
from bot.operations.health import Health, database_status
from bot.operations.instrument import command_name
from bot.operations.metrics import Distribution, Metrics, ShardState
from bot.operations.server import OperationsServer


def values(metrics: Metrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): float(s.value)
        for family in text_string_to_metric_families(metrics.exposition().decode())
        for s in family.samples
    }


@pytest.fixture
async def db(database_target: str | Path) -> AsyncIterator[Database]:
    """On SQLite, then on PostgreSQL (tests/conftest.py)."""
    connection = await database.open_database(database_target)
    yield connection
    await connection.close()


def test_each_bot_has_its_own_registry_not_the_global_one() -> None:
    first, second = Metrics(), Metrics()
    first.count_interaction("command", "rank", "ok")
    first.count_interaction("command", "rank", "ok")
    second.count_interaction("command", "rank", "error")
    rank = "perfect_moments_interactions_total"
    assert values(first)[(rank, frozenset({("kind", "command"), ("command", "rank"), ("outcome", "ok")}))] == 2
    assert (rank, frozenset({("kind", "command"), ("command", "rank"), ("outcome", "ok")})) not in values(second)
    assert b"perfect_moments" not in prometheus_client.generate_latest(prometheus_client.REGISTRY)


def test_trivia_events_and_response_times_are_counted() -> None:
    metrics = Metrics()
    for event in (metrics.trivia.round_opened, metrics.trivia.round_opened, metrics.trivia.round_failed):
        event()
    metrics.trivia.round_posted()
    metrics.trivia.round_closed()
    metrics.trivia.answer_recorded()
    metrics.observe_response("button", 0.004)
    metrics.observe_query(0.0003)
    found = values(metrics)
    rounds = "perfect_moments_trivia_rounds_total"
    assert [found[(rounds, frozenset({("event", e)}))] for e in ("opened", "posted", "closed", "failed")] == [
        2,
        1,
        1,
        1,
    ]
    assert found[("perfect_moments_trivia_answers_total", frozenset())] == 1
    bucket = "perfect_moments_interaction_response_seconds_bucket"
    assert found[(bucket, frozenset({("kind", "button"), ("le", "0.005")}))] == 1
    assert found[(bucket, frozenset({("kind", "button"), ("le", "0.0025")}))] == 0
    assert found[("perfect_moments_database_query_seconds_count", frozenset())] == 1


def test_gateway_gauges_are_read_at_scrape_time_per_shard() -> None:
    shards = [ShardState(0, True, 0.042, 3)]
    metrics = Metrics(lambda: shards)
    assert values(metrics)[("perfect_moments_guilds", frozenset({("shard", "0")}))] == 3
    shards = [ShardState(0, True, 0.05, 4), ShardState(1, False, float("inf"), 2)]
    found = values(metrics)
    assert found[("perfect_moments_gateway_latency_seconds", frozenset({("shard", "0")}))] == 0.05
    assert ("perfect_moments_gateway_latency_seconds", frozenset({("shard", "1")})) not in found  # not measured
    assert found[("perfect_moments_guilds", frozenset({("shard", "1")}))] == 2
    assert found[("perfect_moments_gateway_connected", frozenset({("shard", "1")}))] == 0


def test_health_is_ok_only_when_every_shard_and_the_database_are() -> None:
    assert Health({0: True, 1: True}, "ok").ok
    down = Health({0: True, 1: False}, "ok")
    assert not down.ok and down.body()["shards"] == {"0": "connected", "1": "disconnected"}
    assert down.body()["discord"] == "disconnected"
    assert not Health({}, "ok").ok  # no shard yet: not connected
    assert Health({0: True}, "error: disk I/O error").body() == {
        "status": "down",
        "discord": "connected",
        "database": "error: disk I/O error",
        "shards": {"0": "connected"},
    }


async def test_every_query_is_observed_while_observed(db: Database) -> None:
    seen: list[float] = []
    db.observe_queries(seen.append)
    await db.fetch("SELECT 1")
    await db.execute("UPDATE meta SET value = value WHERE key = ?", "nothing")
    async with db.transaction() as tx:
        await tx.fetch("SELECT 2")
        await tx.execute_many("DELETE FROM meta WHERE key = ?", [("a",), ("b",)])
    assert len(seen) >= 4 and all(0 <= s < 1 for s in seen)
    db.observe_queries(None)
    count = len(seen)
    await db.fetch("SELECT 3")
    assert len(seen) == count  # nothing more once no longer observed


async def test_the_database_check_says_ok_or_broken_on_either_backend(db: Database) -> None:
    assert await database_status(db) == "ok"
    await db.close()
    assert (await database_status(db)).startswith("error: ")


async def test_the_database_check_says_slow(sqlite_db: Database) -> None:
    """A database that holds the query longer than the timeout (an SQLite function that sleeps)."""
    db = sqlite_db
    assert isinstance(db, SQLiteDatabase)
    assert await database_status(db) == "ok"
    await db.connection.create_function("pause", 0, lambda: time.sleep(0.6))
    busy = asyncio.ensure_future(db.fetch("SELECT pause()"))
    await asyncio.sleep(0.05)
    assert await database_status(db, timeout=0.2) == "error: no answer within 0.2 s"
    await busy
    assert await database_status(None) == "error: not open"
    await db.close()
    assert (await database_status(db)).startswith("error: ")


async def test_a_port_in_use_is_one_line_naming_metrics_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])

        async def healthy() -> Health:
            return Health({0: True}, "ok")

        server = OperationsServer(Metrics(), healthy, "127.0.0.1", port)
        with pytest.raises(ConfigError, match=rf"^METRICS_PORT={port}: cannot serve") as caught:
            await server.start()
        assert "\n" not in str(caught.value)
        await server.stop()


def test_command_names_come_from_the_interaction_data() -> None:
    assert command_name({"name": "actor", "options": [{"type": 3, "name": "name", "focused": True}]}) == "actor"
    nested = {"name": "moment", "options": [{"type": 1, "name": "show", "options": [{"type": 3, "name": "title"}]}]}
    assert command_name(nested) == "moment show"
    assert command_name({}) == "unknown"


async def test_every_shard_of_a_sharded_bot_is_reported_and_none_is_up_before_it_connects() -> None:
    import discord

    from bot.operations.health import check_health, shard_states

    sharded = discord.AutoShardedClient(intents=discord.Intents(guilds=True), shard_ids=[2, 3], shard_count=4)
    plain = discord.Client(intents=discord.Intents(guilds=True))
    try:
        assert [(s.shard_id, s.connected) for s in shard_states(sharded)] == [(2, False), (3, False)]
        assert [(s.shard_id, s.connected, s.guilds) for s in shard_states(plain)] == [(0, False, 0)]
        health = await check_health(sharded, None)
        assert health.body() == {
            "status": "down",
            "discord": "disconnected",
            "database": "error: not open",
            "shards": {"2": "disconnected", "3": "disconnected"},
        }
    finally:
        await plain.close()  # (an AutoShardedClient that never started can't be closed; it holds nothing yet)


def test_a_distribution_counts_a_value_on_a_bound_in_that_bound_and_beyond_all_in_inf() -> None:
    distribution = Distribution((0.001, 0.01))
    for value in (0.001, 0.0005, 0.02):
        distribution.observe(value)
    assert distribution.cumulative() == [("0.001", 2.0), ("0.01", 2.0), ("+Inf", 3.0)]
    assert distribution.total == pytest.approx(0.0215)
