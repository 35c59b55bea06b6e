"""The moment of the day in the database: a server's channel and local time, when the next is due, the moments
still to come, and each day's slot claimed once. No discord import.

A server's row is `daily_moments`; its slot is precomputed into `next_post_at` (in the server's zone, the
`timezone` of its guild_settings row, which /daily channel makes sure exists so that the bot's removal from the
server stops this too). A slot is claimed in the transaction that moves the schedule on: one row of `daily_posts`
per server and slot (its primary key), whichever process gets there first, so a restart, a rolling restart or
several processes post each day's moment once. A slot more than one interval late (once the next one has come)
is skipped, never doubled: after downtime only the latest slot is posted (today's). `remaining` is the rest of
the current shuffled order (JSON ranks): every moment is shown once before any comes again.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

from bot.database import Database, Executor, Row
from bot.shards import Shards
from bot.trivia.clock import ALL_DAYS, Daily

KEEP_POSTS_SECONDS = 30 * 86400.0  # daily_posts older than this are deleted as new ones are claimed


@dataclass(frozen=True, slots=True)
class DailySettings:
    guild_id: int
    channel_id: int
    post_time: int  # minutes after local midnight
    next_post_at: float | None  # None: stopped (or paused)
    timezone: str | None
    post_failures: int = 0
    paused_reason: str | None = None
    last_error: str | None = None

    @property
    def daily(self) -> Daily:
        return Daily(self.post_time, ALL_DAYS, self.timezone)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A slot this process claimed: post `rank` in `channel_id`."""

    guild_id: int
    channel_id: int
    slot_at: float
    rank: int
    language: str | None = None  # the language the server's admins chose for what is posted there (None: not)


def _settings_of(row: Row, timezone: str | None) -> DailySettings:
    return DailySettings(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        post_time=row["post_time"],
        next_post_at=row["next_post_at"],
        timezone=timezone,
        post_failures=row["post_failures"],
        paused_reason=row["paused_reason"],
        last_error=row["last_error"],
    )


def next_order(ranks: Sequence[int], rng: random.Random, last: int | None) -> list[int]:
    """A new shuffled order of every rank; the one just shown never comes first."""
    order = list(ranks)
    rng.shuffle(order)
    if len(order) > 1 and order[0] == last:
        order[0], order[-1] = order[-1], order[0]
    return order


def latest_slot(daily: Daily, slot: float, now: float) -> float:
    """The last slot at or before `now` from `slot` on: after downtime, the one less than an interval late."""
    while (following := daily.next_after(slot)) <= now:
        slot = following
    return slot


class DailyStore:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        self.db = db
        self.shards = shards

    async def _server(self, q: Executor, guild_id: int) -> tuple[str | None, str | None]:
        """The server's time zone and chosen language (None: not set), from its trivia settings."""
        row = await q.fetch_one("SELECT timezone, language FROM guild_settings WHERE guild_id = ?", guild_id)
        if row is None:
            return None, None
        return (None if row[0] is None else str(row[0])), (None if row[1] is None else str(row[1]))

    async def _timezone(self, q: Executor, guild_id: int) -> str | None:
        return (await self._server(q, guild_id))[0]

    async def settings(self, guild_id: int) -> DailySettings | None:
        row = await self.db.fetch_one("SELECT * FROM daily_moments WHERE guild_id = ?", guild_id)
        return _settings_of(row, await self._timezone(self.db, guild_id)) if row else None

    async def start(self, guild_id: int, channel_id: int, post_time: int, now: float) -> DailySettings:
        """Post a moment in `channel_id` every day at `post_time` (local), from the next such time on."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO guild_settings (guild_id) VALUES (?) ON CONFLICT(guild_id) DO NOTHING", guild_id
            )
            timezone = await self._timezone(tx, guild_id)
            first = Daily(post_time, ALL_DAYS, timezone).next_after(now)
            await tx.execute(
                "INSERT INTO daily_moments (guild_id, channel_id, post_time, next_post_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
                " post_time = excluded.post_time, next_post_at = excluded.next_post_at, post_failures = 0,"
                " paused_reason = NULL, last_error = NULL, last_error_at = NULL",
                guild_id,
                channel_id,
                post_time,
                first,
            )
        found = await self.settings(guild_id)
        assert found is not None
        return found

    async def stop(self, guild_id: int) -> bool:
        """No more moments of the day; False when there were none to stop."""
        return bool(
            await self.db.execute(
                "UPDATE daily_moments SET next_post_at = NULL, paused_reason = NULL"
                " WHERE guild_id = ? AND (next_post_at IS NOT NULL OR paused_reason IS NOT NULL)",
                guild_id,
            )
        )

    async def due(self, now: float, limit: int = 50) -> list[int]:
        """Servers whose moment is due (on daily_moments_due), this process's only, not ones that removed the bot."""
        mine, shards = self.shards.sql("d.guild_id") if self.shards is not None else ("", ())
        rows = await self.db.fetch(
            "SELECT d.guild_id FROM daily_moments AS d WHERE d.next_post_at IS NOT NULL AND d.next_post_at <= ?"
            + mine
            + " AND NOT EXISTS (SELECT 1 FROM guild_settings AS g WHERE g.guild_id = d.guild_id"
            " AND (g.removed_at IS NOT NULL OR g.deleting = 1)) ORDER BY d.next_post_at LIMIT ?",
            now,
            *shards,
            limit,
        )
        return [int(r[0]) for r in rows]

    async def claim(self, guild_id: int, ranks: Sequence[int], rng: random.Random, now: float) -> Claimed | None:
        """Claim the server's due slot and move it on to its next; the moment to post, or None (not due, claimed
        by another process, or more than one interval late: skipped)."""
        async with self.db.transaction() as tx:
            row = await tx.fetch_one("SELECT * FROM daily_moments WHERE guild_id = ?" + self.db.row_lock, guild_id)
            if row is None or row["next_post_at"] is None or row["next_post_at"] > now or not ranks:
                return None
            timezone, language = await self._server(tx, guild_id)
            current = _settings_of(row, timezone)
            slot = float(row["next_post_at"])
            following = current.daily.next_after(max(slot, now))
            if now >= current.daily.next_after(slot):  # the next slot has come: this one is skipped
                await tx.execute(
                    "UPDATE daily_moments SET next_post_at = ? WHERE guild_id = ?",
                    latest_slot(current.daily, slot, now),
                    guild_id,
                )
                return None
            remaining = [rank for rank in json.loads(row["remaining"]) if rank in set(ranks)]
            if not remaining:
                last = await tx.fetch_value(
                    "SELECT rank FROM daily_posts WHERE guild_id = ? ORDER BY slot_at DESC LIMIT 1", guild_id
                )
                remaining = next_order(ranks, rng, last)
            claimed = await tx.execute(
                "INSERT INTO daily_posts (guild_id, slot_at, rank, channel_id) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(guild_id, slot_at) DO NOTHING",
                guild_id,
                slot,
                remaining[0],
                current.channel_id,
            )
            rest = remaining[1:] if claimed else remaining
            await tx.execute(
                "UPDATE daily_moments SET next_post_at = ?, remaining = ? WHERE guild_id = ?",
                following,
                json.dumps(rest),
                guild_id,
            )
            await tx.execute(
                "DELETE FROM daily_posts WHERE guild_id = ? AND slot_at < ?", guild_id, now - KEEP_POSTS_SECONDS
            )
        return Claimed(guild_id, current.channel_id, slot, remaining[0], language) if claimed else None

    async def mark_posted(self, claimed: Claimed, message_id: int, now: float) -> None:
        """The moment is out: its message, and the end of any run of refused posts."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE daily_posts SET message_id = ?, posted_at = ? WHERE guild_id = ? AND slot_at = ?",
                message_id,
                now,
                claimed.guild_id,
                claimed.slot_at,
            )
            await tx.execute(
                "UPDATE daily_moments SET post_failures = 0, last_error = NULL, last_error_at = NULL"
                " WHERE guild_id = ? AND (post_failures > 0 OR last_error IS NOT NULL)",
                claimed.guild_id,
            )

    async def record_error(self, guild_id: int, problem: str, now: float) -> None:
        await self.db.execute(
            "UPDATE daily_moments SET last_error = ?, last_error_at = ? WHERE guild_id = ?",
            problem[:500],
            now,
            guild_id,
        )

    async def record_refused_post(self, guild_id: int, problem: str, now: float, *, pause_after: int) -> bool:
        """Discord refused a post (403 or 404). After `pause_after` in a row it pauses: True then."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE daily_moments SET post_failures = post_failures + 1, last_error = ?, last_error_at = ?"
                " WHERE guild_id = ?",
                problem[:500],
                now,
                guild_id,
            )
            paused = await tx.execute(
                "UPDATE daily_moments SET next_post_at = NULL, paused_reason = ?"
                " WHERE guild_id = ? AND post_failures >= ? AND next_post_at IS NOT NULL",
                problem[:500],
                guild_id,
                pause_after,
            )
            return paused > 0
