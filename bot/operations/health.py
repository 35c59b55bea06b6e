"""What /healthz reports: is every shard of this process connected, does the database answer.

A shard is connected when the client has been ready, is not closed, and the shard's gateway websocket is
open (for an AutoShardedClient, every shard this process runs). The database must answer `SELECT 1`, on the
bot's own connection, within a second: a database thread stuck behind a long write fails that too.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Mapping
from dataclasses import dataclass

import discord

from bot.database import Database
from bot.operations.metrics import ShardState

DATABASE_TIMEOUT = 1.0


@dataclass(frozen=True, slots=True)
class Health:
    shards: Mapping[int, bool]  # shard id: connected
    database: str  # "ok" or "error: ..."

    @property
    def discord(self) -> str:
        return "connected" if self.shards and all(self.shards.values()) else "disconnected"

    @property
    def ok(self) -> bool:
        return self.discord == "connected" and self.database == "ok"

    def body(self) -> dict[str, object]:
        """The JSON body of /healthz: which part is down, and each shard."""
        return {
            "status": "ok" if self.ok else "down",
            "discord": self.discord,
            "database": self.database,
            "shards": {str(shard): "connected" if up else "disconnected" for shard, up in sorted(self.shards.items())},
        }


def shard_states(client: discord.Client, *, count_guilds: bool = True) -> list[ShardState]:
    """Each shard this process runs: connected or not, its latency, its servers."""
    up = client.is_ready() and not client.is_closed()
    if isinstance(client, discord.AutoShardedClient):
        per_shard = collections.Counter(g.shard_id for g in client.guilds) if count_guilds else collections.Counter()
        expected = client.shard_ids or list(range(client.shard_count or 0)) or list(client.shards)
        states = []
        for shard_id in expected:
            info = client.get_shard(shard_id)
            connected = up and info is not None and not info.is_closed()
            latency = info.latency if info is not None else float("nan")
            states.append(ShardState(shard_id, connected, latency, per_shard[shard_id]))
        return states
    ws = client.ws
    connected = up and ws is not None and ws.open
    guilds = len(client.guilds) if count_guilds else 0
    return [ShardState(client.shard_id or 0, connected, client.latency, guilds)]


async def database_status(db: Database | None, timeout: float = DATABASE_TIMEOUT) -> str:
    """`ok` when the database answers a trivial query within `timeout` seconds, else `error: why`."""
    if db is None:
        return "error: not open"
    try:
        await asyncio.wait_for(db.ping(), timeout)
    except TimeoutError:
        return f"error: no answer within {timeout:g} s"
    except Exception as exc:
        return f"error: {exc or type(exc).__name__}"
    return "ok"


async def check_health(client: discord.Client, db: Database | None) -> Health:
    shards = {s.shard_id: s.connected for s in shard_states(client, count_guilds=False)}
    return Health(shards, await database_status(db))
