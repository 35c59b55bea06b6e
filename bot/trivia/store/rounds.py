"""Rounds and answers: opening a round (claiming its slot), posting, failing, closing and scoring it, and the
clicks on its buttons. No discord import."""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable

from bot.database import Executor
from bot.trivia.questions import QuestionTemplate
from bot.trivia.rules import NAME_LIMIT, POSTING_LEASE_SECONDS, WINNERS_SHOWN
from bot.trivia.server_questions.picking import credit_of, pick
from bot.trivia.store.boards import BoardStore
from bot.trivia.store.models import (
    AnswerResult,
    Click,
    GuildSettings,
    NoChannel,
    Reveal,
    Round,
    RoundAlreadyOpen,
    ScheduleChanged,
    following_slot,
    is_due,
    question_json,
    round_of,
)
from bot.trivia.store.settings import SettingsStore

BATCH = 500  # ids in one statement's IN (...)
DAY_SECONDS = 86400.0


class RoundStore(SettingsStore, BoardStore):
    # --- rounds -----------------------------------------------------------------------------------

    async def open_round(
        self,
        guild_id: int,
        pool: list[QuestionTemplate],
        rng: random.Random,
        now: float,
        *,
        scheduled: bool = False,
    ) -> Round:
        """Open a round in the guild's channel with the next question of its cycle; it is posted next.

        Raises NoChannel, or RoundAlreadyOpen (the unique index is the final word on that). A scheduled
        round claims its slot (the schedule's `next_round_at`) and moves the schedule on to its next slot after
        `now`, in the same transaction; it raises ScheduleChanged if the schedule was stopped (or is not due) by
        the time it got the lock, or if its slot already has a round (another process opened it: the schedule
        is moved on all the same). The slot's unique index is the final word on that.
        """
        async with self.db.transaction() as tx:
            settings = await self.settings(guild_id, tx, lock=True)
            if settings.channel_id is None:
                raise NoChannel()
            if scheduled and not is_due(settings, now):
                raise ScheduleChanged()
            slot = settings.next_round_at if scheduled else None
            daily = settings.daily
            if slot is not None and daily is not None and not daily.is_slot(slot):
                opened = None  # moved a day on by the previous release (which reads only interval_minutes): realign
                await tx.execute(
                    "UPDATE guild_settings SET next_round_at = ? WHERE guild_id = ?",
                    daily.next_after(slot - DAY_SECONDS),
                    guild_id,
                )
            elif slot is not None and await tx.fetch_one(
                "SELECT 1 FROM rounds WHERE guild_id = ? AND slot_at = ?", guild_id, slot
            ):
                opened = None  # the slot has its round already: only move the schedule on
                await self._move_on(tx, settings, now)
            else:
                opened = await self._insert_round(tx, settings, pool, rng, now, slot)
        if opened is None:
            raise ScheduleChanged()
        return opened

    async def _insert_round(
        self,
        tx: Executor,
        settings: GuildSettings,
        pool: list[QuestionTemplate],
        rng: random.Random,
        now: float,
        slot: float | None,
    ) -> Round:
        """Inside open_round's write: the round row (claiming `slot` when scheduled) and its question."""
        guild_id, channel_id = settings.guild_id, settings.channel_id
        assert channel_id is not None
        current = await self.open_round_of(guild_id, tx)
        if current is not None:
            raise RoundAlreadyOpen(current)
        last = await tx.fetch_value(
            "SELECT question_key FROM rounds WHERE guild_id = ? ORDER BY id DESC LIMIT 1", guild_id
        )
        mix = settings.question_mix or "both"
        picked = await pick(tx, guild_id, chosen_pool(pool, settings.question_kinds), mix, rng, last)
        if picked.new_cycle:
            await tx.execute("DELETE FROM asked_questions WHERE guild_id = ?", guild_id)
        await tx.execute("INSERT INTO asked_questions (guild_id, question_key) VALUES (?, ?)", guild_id, picked.key)
        question = picked.question(rng)
        round_id = await tx.fetch_value(
            "INSERT INTO rounds (guild_id, channel_id, question_key, question, answer_seconds, opened_at, slot_at,"
            " posting_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            guild_id,
            channel_id,
            question.key,
            question_json(question),
            settings.answer_seconds,
            now,
            slot,
            now + POSTING_LEASE_SECONDS,  # this process posts it; it renews the lease while the round waits
        )
        if slot is not None:
            await self._move_on(tx, settings, now)
        return Round(int(round_id), guild_id, channel_id, None, question, settings.answer_seconds, now, None, None)

    @staticmethod
    async def _move_on(tx: Executor, settings: GuildSettings, now: float) -> None:
        """Inside a write: the schedule's next slot after `now`."""
        if settings.next_round_at is not None and settings.interval_minutes:
            await tx.execute(
                "UPDATE guild_settings SET next_round_at = ? WHERE guild_id = ?",
                following_slot(settings, settings.next_round_at, now),
                settings.guild_id,
            )

    async def skip_slot(self, guild_id: int, now: float) -> None:
        """Move a schedule on without a round (when one could not be opened)."""
        settings = await self.settings(guild_id)
        if settings.next_round_at is not None and settings.interval_minutes:
            await self.db.execute(
                "UPDATE guild_settings SET next_round_at = ? WHERE guild_id = ? AND next_round_at IS NOT NULL",
                following_slot(settings, settings.next_round_at, now),
                guild_id,
            )

    async def mark_posted(self, round_id: int, message_id: int, now: float) -> Round | None:
        """The round's message is out: its answer time starts now. None if the round was closed meanwhile."""
        await self.db.execute(
            "UPDATE rounds SET message_id = ?, posted_at = ?, closes_at = CAST(? AS DOUBLE PRECISION) + answer_seconds"
            " WHERE id = ? AND closed_at IS NULL AND message_id IS NULL",
            message_id,
            now,
            now,
            round_id,
        )
        posted = await self.round(round_id)
        return posted if posted is not None and posted.message_id == message_id and posted.is_open else None

    async def fail_round(self, round_id: int, now: float) -> bool:
        """Its message could not be posted: close the round as failed (it never scores, its id is never
        reused) and let its question be asked again. False if it was already closed."""
        async with self.db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT guild_id, question_key FROM rounds WHERE id = ? AND closed_at IS NULL" + self.db.row_lock,
                round_id,
            )
            if row is None:
                return False
            await tx.execute("UPDATE rounds SET closed_at = ?, failed = 1 WHERE id = ?", now, round_id)
            await tx.execute(
                "DELETE FROM asked_questions WHERE guild_id = ? AND question_key = ?",
                row["guild_id"],
                row["question_key"],
            )
            return True

    async def renew_posting_leases(self, round_ids: Collection[int], until: float) -> None:
        """This process is still posting these rounds (they wait for their turn): nobody may fail them yet."""
        ids = sorted(round_ids)
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            await self.db.execute(
                f"UPDATE rounds SET posting_until = ? WHERE id IN ({', '.join('?' * len(batch))})"
                " AND closed_at IS NULL AND message_id IS NULL",
                until,
                *batch,
            )

    async def abandoned_rounds(self, now: float, opened_before: float) -> list[int]:
        """Open rounds whose message never went out and whose poster is gone: its posting lease ran out, or (a
        round of an older release, with no lease) it was opened before `opened_before`."""
        mine, shards = self._mine()
        rows = await self.db.fetch(
            "SELECT id FROM rounds WHERE closed_at IS NULL AND message_id IS NULL"
            " AND (posting_until < ? OR (posting_until IS NULL AND opened_at < ?))" + mine,
            now,
            opened_before,
            *shards,
        )
        return [int(r[0]) for r in rows]

    async def hand_back(self, round_ids: Iterable[int], now: float) -> int:
        """A stopping process gives up rounds it had not posted yet, so that no server waits for them: a
        scheduled round is taken back and its slot made due again (the next process posts it), a round started
        by hand is failed. How many were handed back."""
        handed = 0
        for round_id in round_ids:
            async with self.db.transaction() as tx:
                row = await tx.fetch_one(
                    "SELECT guild_id, question_key, slot_at FROM rounds"
                    " WHERE id = ? AND closed_at IS NULL AND message_id IS NULL" + self.db.row_lock,
                    round_id,
                )
                if row is None:
                    continue
                if row["slot_at"] is None:
                    await tx.execute("UPDATE rounds SET closed_at = ?, failed = 1 WHERE id = ?", now, round_id)
                else:
                    await tx.execute("DELETE FROM rounds WHERE id = ?", round_id)
                    await tx.execute(
                        "UPDATE guild_settings SET next_round_at = ? WHERE guild_id = ? AND next_round_at > ?",
                        row["slot_at"],
                        row["guild_id"],
                        row["slot_at"],
                    )
                await tx.execute(
                    "DELETE FROM asked_questions WHERE guild_id = ? AND question_key = ?",
                    row["guild_id"],
                    row["question_key"],
                )
                handed += 1
        return handed

    async def round(self, round_id: int) -> Round | None:
        row = await self.db.fetch_one("SELECT * FROM rounds WHERE id = ?", round_id)
        return round_of(row) if row else None

    async def open_round_of(self, guild_id: int, tx: Executor | None = None) -> Round | None:
        row = await (tx or self.db).fetch_one("SELECT * FROM rounds WHERE guild_id = ? AND closed_at IS NULL", guild_id)
        return round_of(row) if row else None

    async def rounds_due_to_close(self, now: float, limit: int = 50) -> list[int]:
        mine, shards = self._mine()
        rows = await self.db.fetch(
            "SELECT id FROM rounds WHERE closed_at IS NULL AND closes_at <= ?" + mine + " ORDER BY closes_at LIMIT ?",
            now,
            *shards,
            limit,
        )
        return [int(r[0]) for r in rows]

    async def close_round(self, round_id: int, now: float) -> Reveal | None:
        """Close the round and score its answers, all in one transaction. None if it was already closed."""
        async with self.db.transaction() as tx:
            guild_id = await tx.fetch_value("SELECT guild_id FROM rounds WHERE id = ?", round_id)
            season = await self._season(tx, guild_id)  # locked first, as open_round does, so neither waits on both
            clock = (await self.settings(guild_id, tx)).board_clock  # the boards' zone at close time
            row = await tx.fetch_one(
                "UPDATE rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL AND message_id IS NOT NULL"
                " RETURNING *",
                now,
                round_id,
            )
            if row is None:
                return None
            closed = round_of(row)
            await self._add_points(tx, closed, season, now, clock)
        return await self._reveal(closed)

    async def reveal_of(self, round_id: int) -> Reveal | None:
        """What a closed round's message should show (to reveal it again after a restart)."""
        closed = await self.round(round_id)
        if closed is None or closed.closed_at is None or closed.failed:
            return None
        return await self._reveal(closed)

    async def _reveal(self, closed: Round) -> Reveal:
        right = closed.question.answer
        counts = [0] * len(closed.question.options)
        for choice, count in await self.db.fetch(
            "SELECT choice, COUNT(*) FROM answers WHERE guild_id = ? AND round_id = ? GROUP BY choice",
            closed.guild_id,
            closed.id,
        ):
            if 0 <= choice < len(counts):
                counts[choice] = count
        winners = await self.db.fetch(
            "SELECT display_name FROM answers WHERE guild_id = ? AND round_id = ? AND choice = ?"
            " ORDER BY answered_at, user_id LIMIT ?",
            closed.guild_id,
            closed.id,
            right,
            WINNERS_SHOWN,
        )
        credit = await credit_of(self.db, closed.guild_id, closed.question.key)
        return Reveal(closed, sum(counts), tuple(counts), tuple(str(w[0]) for w in winners), credit)

    async def rounds_to_reveal(self, now: float, within: float, limit: int = 50) -> list[int]:
        """Closed rounds whose message does not show the answer yet (closed in the last `within` seconds)."""
        mine, shards = self._mine()
        rows = await self.db.fetch(
            "SELECT id FROM rounds WHERE revealed_at IS NULL AND failed = 0 AND closed_at > ?"
            + mine
            + " ORDER BY closed_at LIMIT ?",
            now - within,
            *shards,
            limit,
        )
        return [int(r[0]) for r in rows]

    async def mark_revealed(self, round_id: int, now: float) -> None:
        await self.db.execute("UPDATE rounds SET revealed_at = ? WHERE id = ?", now, round_id)

    # --- answers ----------------------------------------------------------------------------------

    async def record_answer(self, click: Click, now: float) -> AnswerResult:
        """A member's click. Only the first counts, and only on the round's own message in its own server,
        while it is open; the database decides, in one statement."""
        recorded = await self.db.execute(
            "INSERT INTO answers (guild_id, round_id, user_id, choice, display_name, answered_at)"
            " SELECT guild_id, id, ?, ?, ?, ? FROM rounds"
            " WHERE id = ? AND guild_id = ? AND message_id = ? AND closed_at IS NULL AND closes_at > ?"
            + self._share
            + " ON CONFLICT(round_id, user_id) DO NOTHING",
            click.user_id,
            click.choice,
            click.display_name[:NAME_LIMIT],
            now,
            click.round_id,
            click.guild_id,
            click.message_id,
            now,
        )
        if recorded:
            return AnswerResult.RECORDED
        already = await self.choice_of(click.guild_id, click.round_id, click.user_id)
        return AnswerResult.ALREADY if already is not None else AnswerResult.CLOSED

    async def choice_of(self, guild_id: int, round_id: int, user_id: int) -> int | None:
        choice = await self.db.fetch_value(
            "SELECT choice FROM answers WHERE guild_id = ? AND round_id = ? AND user_id = ?",
            guild_id,
            round_id,
            user_id,
        )
        return None if choice is None else int(choice)


def chosen_pool(pool: list[QuestionTemplate], kinds: Collection[str] | None) -> list[QuestionTemplate]:
    """The questions of the kinds a server chose; every question when it chose none still in the pool."""
    if not kinds:
        return pool
    return [t for t in pool if t.kind in kinds] or pool
