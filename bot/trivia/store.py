"""Trivia in the database: settings and schedules, rounds, answers, scores. No discord import.

Everything that must survive a restart lives here; the bot keeps nothing in memory that matters.
Rules the database itself enforces:

- one open round per guild (a unique index over rounds whose `closed_at` is NULL);
- one scheduled round per guild and slot (a unique index over rounds' `guild_id, slot_at`);
- one answer per member per round (the answers table's primary key), so simultaneous clicks count once;
- an answer is accepted only while its round is open, and only from a click on that round's own message in
  that round's server, checked in the same statement that inserts it.

A round's life: opened (a row, no message yet) -> posted (its message id; answer time starts) -> closed (scored)
-> revealed (its message shows the answer). A round whose post fails is closed as failed and never scores; round
ids are never reused (AUTOINCREMENT), so a button on an old message can never reach another round.

Every query the scheduler, the buttons and the leaderboards run is driven by an index (see migrations 2, 3, 6, 8).
Times are Unix seconds, passed in by the caller (`now`), so tests control the clock.

Shards: a store given `shards` (the ones its process runs) finds due schedules and rounds to close, reveal or
give up only in its own servers, `(guild_id >> 22) % count IN (...)` in the query itself. Several processes may
share the database (SQLite in WAL mode on one machine): a slot is opened once (migration 6: a scheduled round
claims its server's slot in the transaction that opens it), a round is closed and scored once (`WHERE
closed_at IS NULL`), and an answer counts once (the primary key), whichever process gets there first.

Storage is a `bot.database.Database`, SQLite or PostgreSQL: multi-statement writes run in one transaction, and
every read inside one runs on it (`tx`). Where PostgreSQL's writers run side by side, a write that must not
interleave with another locks a row: opening a round locks the server's settings (`row_lock`), an answer locks
its round (so a close waits for it, or it sees the round closed). SQLite's writers take turns anyway.
Every trivia table carries the server id and every hot query filters on it (a distributed PostgreSQL shards
by it).
"""

from __future__ import annotations

import enum
import json
import random
from collections.abc import Collection
from dataclasses import dataclass

from bot.database import Database, Executor, Row
from bot.shards import Shards
from bot.trivia.questions import Question, QuestionTemplate, build, next_question
from bot.trivia.rules import (
    ALL_TIME,
    DEFAULT_ANSWER_SECONDS,
    LEADERBOARD_SIZE,
    MAX_ANSWER_SECONDS,
    MAX_INTERVAL_MINUTES,
    MIN_ANSWER_SECONDS,
    MIN_INTERVAL_MINUTES,
    MONTH,
    NAME_LIMIT,
    SEASON,
    WEEK,
    WINNERS_SHOWN,
    month_key,
    next_slot,
    week_key,
)


class TriviaError(Exception):
    """A trivia rule was broken; the message is meant for the user."""


class NoChannel(TriviaError):
    def __init__(self) -> None:
        super().__init__("No trivia channel is set for this server yet: an admin can set one with /trivia channel.")


class RoundAlreadyOpen(TriviaError):
    def __init__(self, open_round: Round) -> None:
        super().__init__("A trivia round is already open in this server; a new one can start when it closes.")
        self.round = open_round


class ScheduleChanged(TriviaError):
    """A scheduled round was about to open, but the schedule was stopped or moved meanwhile."""

    def __init__(self) -> None:
        super().__init__("The schedule changed before this round could start.")


class AnswerResult(enum.Enum):
    RECORDED = "recorded"  # the member's first click: final
    ALREADY = "already"  # the member had answered this round before
    CLOSED = "closed"  # the round is closed, its time is up, or it does not exist


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    channel_id: int | None = None
    interval_minutes: int | None = None
    answer_seconds: int = DEFAULT_ANSWER_SECONDS
    next_round_at: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    removed_at: float | None = None  # when the bot was removed from the server (None: it is there)
    post_failures: int = 0  # posts refused in a row with 403 or 404
    paused_reason: str | None = None  # why the schedule was paused (None: not paused)
    question_kinds: tuple[str, ...] | None = None  # the kinds of question the server chose (None: every kind)


@dataclass(frozen=True, slots=True)
class Round:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None  # None until its message is posted
    question: Question
    answer_seconds: int
    opened_at: float
    closes_at: float | None  # None until posted: the answer time starts with the message
    closed_at: float | None
    failed: bool = False

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class Click:
    """A member's click on an answer button: which round it claims, and where it was clicked."""

    round_id: int
    choice: int
    guild_id: int
    message_id: int
    user_id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class Reveal:
    """A round just closed: what its message should now show."""

    round: Round
    answers: int  # how many members answered
    counts: tuple[int, ...]  # answers per option, in option order
    winners: tuple[str, ...]  # display names of (the first WINNERS_SHOWN) members who chose right, fastest first

    @property
    def winner_count(self) -> int:
        return self.counts[self.round.question.answer]


@dataclass(frozen=True, slots=True)
class Score:
    user_id: int
    display_name: str
    points: int
    rounds_answered: int
    streak: int
    best_streak: int


@dataclass(frozen=True, slots=True)
class Placed:
    place: int  # 1 for the top; members equal on points and rounds answered share a place
    score: Score


@dataclass(frozen=True, slots=True)
class Leaderboard:
    top: tuple[Placed, ...]
    caller: Placed | None  # None when the caller has never answered a round here


@dataclass(frozen=True, slots=True)
class Period:
    """Which board: `kind` is week, month, season or all (rules.PERIODS); `key` the week's Monday ('2026-11-30'),
    the month ('2026-12'), the season's number ('3'), or '' for all time."""

    kind: str
    key: str


@dataclass(frozen=True, slots=True)
class Board:
    """One page of a period's board: its members in order, the caller's place, how many there are."""

    period: Period
    page: int  # 0 for the top 10
    top: tuple[Placed, ...]
    caller: Placed | None  # None when the caller has no points or rounds in this period
    members: int  # members on the whole board
    season: int  # the server's current season (the board's own when `period.kind` is season)

    @property
    def pages(self) -> int:
        return max(1, -(-self.members // LEADERBOARD_SIZE))


@dataclass(frozen=True, slots=True)
class Standing:
    """A member's trivia in one server: this season (points, rounds, place) and all time (with the streaks)."""

    season: int
    this_season: Placed | None
    all_time: Placed | None


@dataclass(frozen=True, slots=True)
class SeasonEnded:
    number: int  # the season that ended
    ended_at: float
    final: Board  # its final top 10


@dataclass(frozen=True, slots=True)
class Report:
    reason: str  # a key of cards.REPORT_REASONS
    reported_at: float
    guild_id: int
    round_id: int


@dataclass(frozen=True, slots=True)
class QuestionReports:
    question_key: str
    prompt: str
    reports: tuple[Report, ...]  # newest first


class TriviaStore:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        self.db = db
        self.shards = shards  # None: every server is this process's
        # PostgreSQL: an answer keeps its round's row from closing until the answer is in, and a close keeps the
        # server's season from moving on until its points are in. SQLite's writes take turns anyway.
        self._share = " FOR SHARE" if db.row_lock else ""

    def _mine(self, column: str = "guild_id") -> tuple[str, tuple[int, ...]]:
        """The condition that keeps a scheduler query to this process's servers (nothing with every shard)."""
        return self.shards.sql(column) if self.shards is not None else ("", ())

    # --- settings and schedules -------------------------------------------------------------------

    async def settings(self, guild_id: int, tx: Executor | None = None, *, lock: bool = False) -> GuildSettings:
        """The server's settings (defaults if it has none); inside a transaction `tx` with `lock`, its row stays
        locked until the transaction ends (PostgreSQL), so two processes never open its rounds at once."""
        query = "SELECT * FROM guild_settings WHERE guild_id = ?" + (self.db.row_lock if lock else "")
        row = await (tx or self.db).fetch_one(query, guild_id)
        return _settings(row) if row else GuildSettings(guild_id)

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
            raise TriviaError(
                f"The schedule must be between {MIN_INTERVAL_MINUTES} and {MAX_INTERVAL_MINUTES} minutes."
            )
        first = now + minutes * 60.0
        changed = await self.db.execute(
            "UPDATE guild_settings SET interval_minutes = ?, next_round_at = ?, paused_reason = NULL,"
            " post_failures = 0 WHERE guild_id = ? AND channel_id IS NOT NULL",
            minutes,
            first,
            guild_id,
        )
        if not changed:
            raise NoChannel()
        return first

    async def stop_schedule(self, guild_id: int) -> bool:
        """Turn the schedule off; False when there was none. An open round still closes normally."""
        return bool(
            await self.db.execute(
                "UPDATE guild_settings SET interval_minutes = NULL, next_round_at = NULL"
                " WHERE guild_id = ? AND interval_minutes IS NOT NULL",
                guild_id,
            )
        )

    async def set_answer_seconds(self, guild_id: int, seconds: int) -> None:
        if not MIN_ANSWER_SECONDS <= seconds <= MAX_ANSWER_SECONDS:
            raise TriviaError(
                f"The answer time must be between {MIN_ANSWER_SECONDS} s and {MAX_ANSWER_SECONDS // 60} min."
            )
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
                due = next_slot(due, settings.interval_minutes, now)
            await tx.execute(
                "UPDATE guild_settings SET removed_at = NULL, next_round_at = ? WHERE guild_id = ?", due, guild_id
            )
        return True

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
        return [_settings(row) for row in rows]

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
            if scheduled and not _due(settings, now):
                raise ScheduleChanged()
            slot = settings.next_round_at if scheduled else None
            if slot is not None and await tx.fetch_one(
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
        pool = chosen_pool(pool, settings.question_kinds)
        asked = {r[0] for r in await tx.fetch("SELECT question_key FROM asked_questions WHERE guild_id = ?", guild_id)}
        last = await tx.fetch_value(
            "SELECT question_key FROM rounds WHERE guild_id = ? ORDER BY id DESC LIMIT 1", guild_id
        )
        template, new_cycle = next_question(pool, asked, rng, avoid=last)
        if new_cycle:
            await tx.execute("DELETE FROM asked_questions WHERE guild_id = ?", guild_id)
        await tx.execute("INSERT INTO asked_questions (guild_id, question_key) VALUES (?, ?)", guild_id, template.key)
        question = build(template, rng)
        round_id = await tx.fetch_value(
            "INSERT INTO rounds (guild_id, channel_id, question_key, question, answer_seconds, opened_at, slot_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            guild_id,
            channel_id,
            question.key,
            _question_json(question),
            settings.answer_seconds,
            now,
            slot,
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
                next_slot(settings.next_round_at, settings.interval_minutes, now),
                settings.guild_id,
            )

    async def skip_slot(self, guild_id: int, now: float) -> None:
        """Move a schedule on without a round (when one could not be opened)."""
        settings = await self.settings(guild_id)
        if settings.next_round_at is not None and settings.interval_minutes:
            await self.db.execute(
                "UPDATE guild_settings SET next_round_at = ? WHERE guild_id = ? AND next_round_at IS NOT NULL",
                next_slot(settings.next_round_at, settings.interval_minutes, now),
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

    async def unposted_rounds(self, opened_before: float) -> list[int]:
        """Open rounds whose message never went out (a post that died with its process, or hung)."""
        mine, shards = self._mine()
        rows = await self.db.fetch(
            "SELECT id FROM rounds WHERE closed_at IS NULL AND message_id IS NULL AND opened_at < ?" + mine,
            opened_before,
            *shards,
        )
        return [int(r[0]) for r in rows]

    async def round(self, round_id: int) -> Round | None:
        row = await self.db.fetch_one("SELECT * FROM rounds WHERE id = ?", round_id)
        return _round(row) if row else None

    async def open_round_of(self, guild_id: int, tx: Executor | None = None) -> Round | None:
        row = await (tx or self.db).fetch_one("SELECT * FROM rounds WHERE guild_id = ? AND closed_at IS NULL", guild_id)
        return _round(row) if row else None

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
            row = await tx.fetch_one(
                "UPDATE rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL AND message_id IS NOT NULL"
                " RETURNING *",
                now,
                round_id,
            )
            if row is None:
                return None
            closed = _round(row)
            await self._add_points(tx, closed, season, now)
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
        return Reveal(closed, sum(counts), tuple(counts), tuple(str(w[0]) for w in winners))

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

    # --- scores -----------------------------------------------------------------------------------

    async def leaderboard(self, guild_id: int, user_id: int, size: int = LEADERBOARD_SIZE) -> Leaderboard:
        rows = await self.db.fetch(
            "SELECT * FROM scores WHERE guild_id = ? ORDER BY points DESC, rounds_answered, user_id LIMIT ?",
            guild_id,
            size,
        )
        top: list[Placed] = []
        for index, row in enumerate(rows):
            score = _score(row)
            tied = top and (top[-1].score.points, top[-1].score.rounds_answered) == (
                score.points,
                score.rounds_answered,
            )
            top.append(Placed(top[-1].place if tied else index + 1, score))
        caller = next((p for p in top if p.score.user_id == user_id), None)
        if caller is None:
            caller = await self.score(guild_id, user_id)
        return Leaderboard(tuple(top), caller)

    async def score(self, guild_id: int, user_id: int) -> Placed | None:
        """A member's all-time points, streaks and place; None if they never answered here."""
        return await self.placed_in(guild_id, user_id, Period(ALL_TIME, ""))

    # --- boards by period, and seasons ---------------------------------------------------------------

    @staticmethod
    async def _add_points(tx: Executor, closed: Round, season: int, now: float) -> None:
        """A closing round's answers, added to each member's row in one statement: all time (and the streaks),
        this week, this month and the current season (a member's week, month or season starts again from their
        first round in a new one). Inside close_round's transaction, so a season ending at the same moment gets
        the round once: before or after."""
        await tx.execute(
            "INSERT INTO scores (guild_id, user_id, display_name, points, rounds_answered, streak, best_streak,"
            "  week, week_points, week_rounds, month, month_points, month_rounds, season, season_points, season_rounds)"
            " SELECT guild_id, user_id, display_name, p, 1, p, p, ?4, p, 1, ?5, p, 1, CAST(?6 AS INTEGER), p, 1"
            " FROM (SELECT guild_id, user_id, display_name, CASE WHEN choice = ?1 THEN 1 ELSE 0 END AS p"
            "       FROM answers WHERE guild_id = ?2 AND round_id = ?3) AS scored WHERE TRUE"
            " ON CONFLICT(guild_id, user_id) DO UPDATE SET"
            "  display_name = CASE WHEN excluded.display_name <> '' THEN excluded.display_name"
            "                 ELSE scores.display_name END,"
            "  points = scores.points + excluded.points,"
            "  rounds_answered = scores.rounds_answered + 1,"
            "  streak = CASE WHEN excluded.points = 1 THEN scores.streak + 1 ELSE 0 END,"
            "  best_streak = CASE WHEN excluded.points = 1 AND scores.streak + 1 > scores.best_streak"
            "                THEN scores.streak + 1 ELSE scores.best_streak END,"
            "  week = excluded.week,"
            "  week_points = CASE WHEN scores.week = excluded.week THEN scores.week_points ELSE 0 END"
            "                + excluded.points,"
            "  week_rounds = CASE WHEN scores.week = excluded.week THEN scores.week_rounds ELSE 0 END + 1,"
            "  month = excluded.month,"
            "  month_points = CASE WHEN scores.month = excluded.month THEN scores.month_points ELSE 0 END"
            "                 + excluded.points,"
            "  month_rounds = CASE WHEN scores.month = excluded.month THEN scores.month_rounds ELSE 0 END + 1,"
            "  season = excluded.season,"
            "  season_points = CASE WHEN scores.season = excluded.season THEN scores.season_points ELSE 0 END"
            "                  + excluded.points,"
            "  season_rounds = CASE WHEN scores.season = excluded.season THEN scores.season_rounds ELSE 0 END + 1",
            closed.question.answer,
            closed.guild_id,
            closed.id,
            week_key(now),
            month_key(now),
            season,
        )

    async def current_season(self, guild_id: int) -> int:
        return await self._season(self.db, guild_id, lock=False)

    async def _season(self, q: Executor, guild_id: int, *, lock: bool = True) -> int:
        season = await q.fetch_value(
            "SELECT season FROM guild_settings WHERE guild_id = ?" + (self._share if lock else ""), guild_id
        )
        return int(season) if season is not None else 1

    async def period(self, guild_id: int, kind: str, now: float) -> Period:
        """The board of `kind` that `now` falls in (for a season: the server's current one)."""
        if kind == WEEK:
            return Period(WEEK, week_key(now))
        if kind == MONTH:
            return Period(MONTH, month_key(now))
        if kind == SEASON:
            return Period(SEASON, str(await self.current_season(guild_id)))
        if kind == ALL_TIME:
            return Period(ALL_TIME, "")
        raise TriviaError(f"There is no {kind!r} leaderboard.")

    async def _board_rows(self, guild_id: int, period: Period) -> _BoardRows:
        """Where a board's rows are: a member's own row for all time, this week, this month and the current
        season (migration 8), an ended season's final board in season_scores."""
        if period.kind == ALL_TIME:
            return _BoardRows.of_scores("guild_id = ?", (guild_id,), "points", "rounds_answered")
        if period.kind == WEEK:
            return _BoardRows.of_scores(
                "guild_id = ? AND week = ?", (guild_id, period.key), "week_points", "week_rounds"
            )
        if period.kind == MONTH:
            return _BoardRows.of_scores(
                "guild_id = ? AND month = ?", (guild_id, period.key), "month_points", "month_rounds"
            )
        season = int(period.key)
        if season == await self.current_season(guild_id):
            return _BoardRows.of_scores(
                "guild_id = ? AND season = ?", (guild_id, season), "season_points", "season_rounds"
            )
        return _BoardRows(
            "season_scores AS p",
            "SELECT p.user_id, p.points, p.rounds_answered, COALESCE(s.display_name, '') AS display_name,"
            " 0 AS streak, 0 AS best_streak"
            " FROM season_scores AS p LEFT JOIN scores AS s ON s.guild_id = p.guild_id AND s.user_id = p.user_id",
            "p.guild_id = ? AND p.season = ?",
            (guild_id, season),
            "p.points",
            "p.rounds_answered",
            "p.user_id",
        )

    async def board(self, guild_id: int, user_id: int, period: Period, page: int = 0) -> Board:
        """A page of the period's board (10 a page), the caller's place, and how many members it has. A week's
        or a month's board is only kept while it is the current one (see `period`)."""
        page = max(0, page)
        source = await self._board_rows(guild_id, period)
        rows = await self.db.fetch(
            f"{source.select} WHERE {source.where} ORDER BY {source.order} LIMIT ? OFFSET ?",
            *source.args,
            LEADERBOARD_SIZE,
            page * LEADERBOARD_SIZE,
        )
        count = await self.db.fetch_value(f"SELECT COUNT(*) FROM {source.table} WHERE {source.where}", *source.args)
        top: list[Placed] = []
        for index, row in enumerate(rows):
            score = _score(row)
            if top and (top[-1].score.points, top[-1].score.rounds_answered) == (score.points, score.rounds_answered):
                place = top[-1].place
            elif index == 0 and page > 0:
                place = await self._place(source, score)
            else:
                place = page * LEADERBOARD_SIZE + index + 1
            top.append(Placed(place, score))
        caller = next((p for p in top if p.score.user_id == user_id), None)
        if caller is None:
            caller = await self._placed(source, user_id)
        season = int(period.key) if period.kind == SEASON else await self.current_season(guild_id)
        return Board(period, page, tuple(top), caller, int(count or 0), season)

    async def placed_in(self, guild_id: int, user_id: int, period: Period) -> Placed | None:
        """A member's points and place on one period's board; None if they have no row there."""
        return await self._placed(await self._board_rows(guild_id, period), user_id)

    async def _placed(self, source: _BoardRows, user_id: int) -> Placed | None:
        row = await self.db.fetch_one(
            f"{source.select} WHERE {source.where} AND {source.user_id} = ?", *source.args, user_id
        )
        if row is None:
            return None
        score = _score(row)
        return Placed(await self._place(source, score), score)

    async def _place(self, source: _BoardRows, score: Score) -> int:
        """1 + how many are ahead of these points and rounds on the board (two counts on its index)."""
        ahead = await self.db.fetch_value(
            f"SELECT (SELECT COUNT(*) FROM {source.table} WHERE {source.where} AND {source.points} > ?)"
            f" + (SELECT COUNT(*) FROM {source.table} WHERE {source.where} AND {source.points} = ?"
            f"    AND {source.rounds} < ?)",
            *source.args,
            score.points,
            *source.args,
            score.points,
            score.rounds_answered,
        )
        return 1 + int(ahead or 0)

    async def standing(self, guild_id: int, user_id: int) -> Standing:
        """What /trivia score shows: the member's current season and all time."""
        season = await self.current_season(guild_id)
        return Standing(
            season,
            await self.placed_in(guild_id, user_id, Period(SEASON, str(season))),
            await self.score(guild_id, user_id),
        )

    async def end_season(self, guild_id: int, number: int, now: float) -> SeasonEnded | None:
        """End season `number` (if it is still the current one) and start the next from zero; all time carries
        on. None when that season had already ended (a second click of the same confirmation). The season moves
        on in one write (which waits for a close holding the server's season), so a round closing meanwhile
        counts in exactly one of the two seasons."""
        async with self.db.transaction() as tx:
            await tx.execute("INSERT INTO guild_settings (guild_id) VALUES (?) ON CONFLICT DO NOTHING", guild_id)
            if not await tx.execute(
                "UPDATE guild_settings SET season = season + 1 WHERE guild_id = ? AND season = ?", guild_id, number
            ):
                return None
            await tx.execute("INSERT INTO seasons (guild_id, number, ended_at) VALUES (?, ?, ?)", guild_id, number, now)
            await tx.execute(
                "INSERT INTO season_scores (guild_id, season, user_id, points, rounds_answered)"
                " SELECT guild_id, season, user_id, season_points, season_rounds FROM scores"
                " WHERE guild_id = ? AND season = ?",
                guild_id,
                number,
            )
        final = await self.board(guild_id, 0, Period(SEASON, str(number)))
        return SeasonEnded(number, now, final)

    async def past_season(self, guild_id: int, number: int, user_id: int) -> SeasonEnded | None:
        """An ended season's final board (and the caller's place on it); None if it has not ended."""
        row = await self.db.fetch_one(
            "SELECT ended_at FROM seasons WHERE guild_id = ? AND number = ?", guild_id, number
        )
        if row is None:
            return None
        return SeasonEnded(number, float(row[0]), await self.board(guild_id, user_id, Period(SEASON, str(number))))

    # --- the kinds of question a server gets ----------------------------------------------------------

    async def set_question_kinds(
        self, guild_id: int, kinds: Collection[str], known: Collection[str]
    ) -> tuple[str, ...]:
        """The kinds of question the server gets from its next round on (at least one, each of `known`)."""
        chosen = tuple(kind for kind in known if kind in set(kinds))
        if not chosen:
            raise TriviaError("Choose at least one kind of question.")
        value = None if set(chosen) == set(known) else json.dumps(chosen)
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, question_kinds) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE"
            " SET question_kinds = excluded.question_kinds",
            guild_id,
            value,
        )
        return chosen

    # --- reports of a problem with a question ----------------------------------------------------------

    async def report_question(self, round_id: int, guild_id: int, user_id: int, reason: str, now: float) -> bool:
        """A member reports a problem with a closed round's question: True the first time, False after (one
        report per member per round, by the table's primary key); False too for a round not of this server."""
        return bool(
            await self.db.execute(
                "INSERT INTO question_reports (round_id, user_id, guild_id, question_key, reason, reported_at)"
                " SELECT id, ?, guild_id, question_key, ?, ? FROM rounds"
                " WHERE id = ? AND guild_id = ? AND closed_at IS NOT NULL AND failed = 0"
                " ON CONFLICT(round_id, user_id) DO NOTHING",
                user_id,
                reason,
                now,
                round_id,
                guild_id,
            )
        )

    async def has_reported(self, round_id: int, user_id: int) -> bool:
        return (
            await self.db.fetch_one(
                "SELECT 1 FROM question_reports WHERE round_id = ? AND user_id = ?", round_id, user_id
            )
        ) is not None

    async def reports(self, limit: int = 1000) -> list[QuestionReports]:
        """For the operator: reported questions, the most recently reported first, each with its reports
        (newest first) and the question as its latest reported round asked it."""
        rows = await self.db.fetch(
            "SELECT q.question_key, q.reason, q.reported_at, q.guild_id, q.round_id, r.question"
            " FROM question_reports AS q JOIN rounds AS r ON r.id = q.round_id"
            " ORDER BY q.reported_at DESC, q.round_id DESC LIMIT ?",
            limit,
        )
        grouped: dict[str, list[Row]] = {}
        for row in rows:
            grouped.setdefault(str(row["question_key"]), []).append(row)
        return [
            QuestionReports(
                key,
                str(json.loads(found[0]["question"]).get("prompt", "")),
                tuple(
                    Report(str(r["reason"]), float(r["reported_at"]), int(r["guild_id"]), int(r["round_id"]))
                    for r in found
                ),
            )
            for key, found in grouped.items()
        ]


@dataclass(frozen=True, slots=True)
class _BoardRows:
    """Where one board's rows are read: `select` (rows shaped for _score) from `table`, those matching `where`
    on `args`, in the board's order of `points` (most first), `rounds` (fewest first) and `user_id`: the order
    of the board's own index, so a page, a count and a place each read one range of it."""

    table: str
    select: str
    where: str
    args: tuple[object, ...]
    points: str
    rounds: str
    user_id: str = "user_id"

    @classmethod
    def of_scores(cls, where: str, args: tuple[object, ...], points: str, rounds: str) -> _BoardRows:
        streaks = "streak, best_streak" if points == "points" else "0 AS streak, 0 AS best_streak"  # all time's
        select = f"SELECT user_id, {points} AS points, {rounds} AS rounds_answered, display_name, {streaks} FROM scores"
        return cls("scores", select, where, args, points, rounds)

    @property
    def order(self) -> str:
        return f"{self.points} DESC, {self.rounds}, {self.user_id}"


def chosen_pool(pool: list[QuestionTemplate], kinds: Collection[str] | None) -> list[QuestionTemplate]:
    """The questions of the kinds a server chose; every question when it chose none still in the pool."""
    if not kinds:
        return pool
    return [t for t in pool if t.kind in kinds] or pool


# --- rows to objects ------------------------------------------------------------------------------


def _due(settings: GuildSettings, now: float) -> bool:
    return settings.next_round_at is not None and settings.next_round_at <= now and settings.removed_at is None


def _settings(row: Row) -> GuildSettings:
    return GuildSettings(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        interval_minutes=row["interval_minutes"],
        answer_seconds=row["answer_seconds"],
        next_round_at=row["next_round_at"],
        last_error=row["last_error"],
        last_error_at=row["last_error_at"],
        removed_at=row["removed_at"],
        post_failures=row["post_failures"],
        paused_reason=row["paused_reason"],
        question_kinds=tuple(json.loads(row["question_kinds"])) if row["question_kinds"] else None,
    )


def _question_json(q: Question) -> str:
    return json.dumps({"key": q.key, "kind": q.kind, "prompt": q.prompt, "options": q.options, "answer": q.answer})


def _round(row: Row) -> Round:
    data = json.loads(row["question"])
    question = Question(data["key"], data["kind"], data["prompt"], tuple(data["options"]), int(data["answer"]))
    return Round(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        question=question,
        answer_seconds=row["answer_seconds"],
        opened_at=row["opened_at"],
        closes_at=row["closes_at"],
        closed_at=row["closed_at"],
        failed=bool(row["failed"]),
    )


def _score(row: Row) -> Score:
    return Score(
        user_id=row["user_id"],
        display_name=row["display_name"],
        points=row["points"],
        rounds_answered=row["rounds_answered"],
        streak=row["streak"],
        best_streak=row["best_streak"],
    )
