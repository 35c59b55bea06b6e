"""A server's trivia settings and schedule: its channel, answer time, kinds of question, the problems its posts
met, and whether the bot is still in it. No discord import."""

from __future__ import annotations

import json
from collections.abc import Collection

from bot.database import Executor
from bot.shards import Shards
from bot.trivia.clock import ClockError, Daily, zone
from bot.trivia.rules import (
    MAX_ANSWER_SECONDS,
    MAX_INTERVAL_MINUTES,
    MIN_ANSWER_SECONDS,
    MIN_INTERVAL_MINUTES,
)
from bot.trivia.store.base import StoreBase
from bot.trivia.store.models import GuildSettings, NoChannel, TriviaError, following_slot, settings_of


class SettingsStore(StoreBase):
    # --- settings and schedules -------------------------------------------------------------------

    async def settings(self, guild_id: int, tx: Executor | None = None, *, lock: bool = False) -> GuildSettings:
        """The server's settings (defaults if it has none); inside a transaction `tx` with `lock`, its row stays
        locked until the transaction ends (PostgreSQL), so two processes never open its rounds at once."""
        query = "SELECT * FROM guild_settings WHERE guild_id = ?" + (self.db.row_lock if lock else "")
        row = await (tx or self.db).fetch_one(query, guild_id)
        return settings_of(row) if row else GuildSettings(guild_id)

    async def set_channel(self, guild_id: int, channel_id: int) -> None:
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, channel_id) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE"
            " SET channel_id = excluded.channel_id, last_error = NULL, last_error_at = NULL, post_failures = 0",
            guild_id,
            channel_id,
        )

    async def set_schedule(self, guild_id: int, minutes: int, now: float) -> float:
        """A round every `minutes` from now on (resuming a paused one); returns when the first is due."""
        if not MIN_INTERVAL_MINUTES <= minutes <= MAX_INTERVAL_MINUTES:
            raise TriviaError("trivia.error.schedule_range", low=MIN_INTERVAL_MINUTES, high=MAX_INTERVAL_MINUTES)
        first = now + minutes * 60.0
        changed = await self.db.execute(
            "UPDATE guild_settings SET interval_minutes = ?, next_round_at = ?, paused_reason = NULL,"
            " post_failures = 0, daily_time = NULL, daily_weekdays = NULL"
            " WHERE guild_id = ? AND channel_id IS NOT NULL",
            minutes,
            first,
            guild_id,
        )
        if not changed:
            raise NoChannel()
        return first

    async def set_daily_schedule(self, guild_id: int, minutes: int, days: int, now: float) -> float:
        """A round every day of `days` (a bit per weekday) at `minutes` after the server's local midnight, from
        now on (resuming a paused schedule); returns when the first is due. `interval_minutes` stays 1440 for the
        previous release, which reads it (migration 10)."""
        async with self.db.transaction() as tx:
            settings = await self.settings(guild_id, tx, lock=True)
            if settings.channel_id is None:
                raise NoChannel()
            first = Daily(minutes, days, settings.timezone).next_after(now)
            await tx.execute(
                "UPDATE guild_settings SET interval_minutes = 1440, daily_time = ?, daily_weekdays = ?,"
                " next_round_at = ?, paused_reason = NULL, post_failures = 0 WHERE guild_id = ?",
                minutes,
                days,
                first,
                guild_id,
            )
        return first

    async def set_timezone(self, guild_id: int, name: str, now: float) -> GuildSettings:
        """The server's zone: a daily schedule's next slot is in it at once, the boards from the next week and
        month (points already earned stay where they are)."""
        try:
            zone(name)
        except ClockError as exc:
            raise TriviaError(exc.key, **exc.values) from exc
        async with self.db.transaction() as tx:
            settings = await self.settings(guild_id, tx, lock=True)
            previous = settings.board_clock.week_zone_name(now)
            daily = settings.daily
            due = settings.next_round_at
            if daily is not None and due is not None and settings.paused_reason is None:
                due = Daily(daily.minutes, daily.days, name).next_after(now)
            await tx.execute(
                "INSERT INTO guild_settings (guild_id) VALUES (?) ON CONFLICT(guild_id) DO NOTHING", guild_id
            )
            await tx.execute(
                "UPDATE guild_settings SET timezone = ?, previous_timezone = ?, timezone_changed_at = ?,"
                " next_round_at = ? WHERE guild_id = ?",
                name,
                previous,
                now,
                due,
                guild_id,
            )
            return settings_of(
                await tx.fetch_one("SELECT * FROM guild_settings WHERE guild_id = ?", guild_id)  # type: ignore[arg-type]
            )

    async def set_ping_role(self, guild_id: int, role_id: int | None) -> None:
        """The one role mentioned when a round opens (None: no one)."""
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, ping_role_id) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE"
            " SET ping_role_id = excluded.ping_role_id",
            guild_id,
            role_id,
        )

    async def set_language(self, guild_id: int, language: str) -> None:
        """The language the server's trivia is posted in ('ko' or 'en')."""
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, language) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE"
            " SET language = excluded.language",
            guild_id,
            language,
        )

    async def stop_schedule(self, guild_id: int) -> bool:
        """Turn the schedule off; False when there was none. An open round still closes normally."""
        return bool(
            await self.db.execute(
                "UPDATE guild_settings SET interval_minutes = NULL, next_round_at = NULL, daily_time = NULL,"
                " daily_weekdays = NULL WHERE guild_id = ? AND interval_minutes IS NOT NULL",
                guild_id,
            )
        )

    async def set_answer_seconds(self, guild_id: int, seconds: int) -> None:
        if not MIN_ANSWER_SECONDS <= seconds <= MAX_ANSWER_SECONDS:
            raise TriviaError("trivia.error.answer_range", low=MIN_ANSWER_SECONDS, high=MAX_ANSWER_SECONDS // 60)
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, answer_seconds) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE"
            " SET answer_seconds = excluded.answer_seconds",
            guild_id,
            seconds,
        )

    async def record_error(self, guild_id: int, message: str, now: float) -> None:
        await self.db.execute(
            "UPDATE guild_settings SET last_error = ?, last_error_at = ? WHERE guild_id = ?",
            message[:500],
            now,
            guild_id,
        )

    async def clear_error(self, guild_id: int) -> None:
        """A post went out: the last problem is over, and so is any run of refused posts."""
        await self.db.execute(
            "UPDATE guild_settings SET last_error = NULL, last_error_at = NULL, post_failures = 0"
            " WHERE guild_id = ? AND (last_error IS NOT NULL OR post_failures > 0)",
            guild_id,
        )

    async def record_refused_post(self, guild_id: int, problem: str, now: float, *, pause_after: int) -> bool:
        """Discord refused a post (403 or 404). After `pause_after` in a row the schedule pauses: True then."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE guild_settings SET post_failures = post_failures + 1, last_error = ?, last_error_at = ?"
                " WHERE guild_id = ?",
                problem[:500],
                now,
                guild_id,
            )
            paused = await tx.execute(
                "UPDATE guild_settings SET next_round_at = NULL, paused_reason = ?"
                " WHERE guild_id = ? AND post_failures >= ? AND interval_minutes IS NOT NULL AND paused_reason IS NULL",
                problem[:500],
                guild_id,
                pause_after,
            )
            return paused > 0

    async def guild_removed(self, guild_id: int, now: float) -> None:
        """The bot was removed from the server: its schedule stops (settings and scores stay)."""
        await self.db.execute(
            "UPDATE guild_settings SET removed_at = ? WHERE guild_id = ? AND removed_at IS NULL", now, guild_id
        )

    async def guild_returned(self, guild_id: int, now: float) -> bool:
        """The bot is back in a server that had removed it (False: it never had): a schedule it had carries on
        from its next slot after now."""
        async with self.db.transaction() as tx:
            settings = await self.settings(guild_id, tx, lock=True)
            if settings.removed_at is None:
                return False
            due = settings.next_round_at
            if due is not None and settings.interval_minutes:
                due = following_slot(settings, due, now)
            await tx.execute(
                "UPDATE guild_settings SET removed_at = NULL, next_round_at = ? WHERE guild_id = ?", due, guild_id
            )
        return True

    async def reconcile(
        self, shard_id: int, shard_count: int, present: Collection[int], now: float
    ) -> tuple[set[int], set[int]]:
        """A shard's new session lists the servers the bot is in (`present`, unavailable ones too). Servers of that
        shard with settings that were marked removed and are listed are back; those not listed and not marked
        removed the bot while it was away (their 30 days start now). Returns (back, removed)."""
        clause, args = Shards(shard_count, (shard_id,)).sql("guild_id")
        rows = await self.db.fetch("SELECT guild_id, removed_at FROM guild_settings WHERE TRUE" + clause, *args)
        listed = set(present)
        back = {int(r[0]) for r in rows if r[1] is not None and int(r[0]) in listed}
        gone = {int(r[0]) for r in rows if r[1] is None and int(r[0]) not in listed}
        for guild_id in back:
            await self.guild_returned(guild_id, now)
        for guild_id in gone:
            await self.guild_removed(guild_id, now)
        return back, gone

    async def removed_guilds(self) -> set[int]:
        return {
            int(r[0]) for r in await self.db.fetch("SELECT guild_id FROM guild_settings WHERE removed_at IS NOT NULL")
        }

    async def guilds_due(self, now: float, limit: int = 50) -> list[GuildSettings]:
        """Scheduled guilds whose next round is due and that have no open round (they wait for it to close)."""
        mine, shards = self._mine("g.guild_id")
        rows = await self.db.fetch(
            "SELECT g.* FROM guild_settings AS g"
            " WHERE g.next_round_at IS NOT NULL AND g.next_round_at <= ? AND g.removed_at IS NULL"
            + mine
            + " AND NOT EXISTS (SELECT 1 FROM rounds AS r WHERE r.guild_id = g.guild_id AND r.closed_at IS NULL)"
            " ORDER BY g.next_round_at LIMIT ?",
            now,
            *shards,
            limit,
        )
        return [settings_of(row) for row in rows]

    # --- the kinds of question a server gets ----------------------------------------------------------

    async def set_question_kinds(
        self, guild_id: int, kinds: Collection[str], known: Collection[str]
    ) -> tuple[str, ...]:
        """The kinds of question the server gets from its next round on (at least one, each of `known`)."""
        chosen = tuple(kind for kind in known if kind in set(kinds))
        if not chosen:
            raise TriviaError("trivia.error.one_kind")
        value = None if set(chosen) == set(known) else json.dumps(chosen)
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, question_kinds) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE"
            " SET question_kinds = excluded.question_kinds",
            guild_id,
            value,
        )
        return chosen
