"""A member's or a server's data in the database: what there is, and deleting it. No discord import.

The bot keeps, per member, only what trivia needs: answers (user id, the choice, when, the display name
until the next round closes), scores per server (user id, points and rounds answered all time, this week, this
month and this season, streaks, the display name last seen), points on each ended season's final board, and
the reports the member made of a problem with a question, and the questions they proposed (their name comes
off those a server accepted: the question stays, by "a former member"). Per server: its trivia settings and
schedule, its rounds and their answers, its scores, which questions its current cycle has asked, when its
seasons ended and their final boards, the reports made there, and its own questions and proposals.
`MEMBER_TABLES` and `SERVER_TABLES` name every table that holds them; tests/unit/test_privacy_store.py fails
when a table with a `user_id` or `guild_id` is added without being named here, so a new feature's data can't
be forgotten by the deletions.

Deletions run in batches of at most `BATCH_ROWS` rows, each one statement in its own short transaction, so a
big server's deletion never holds the writer for long (SQLite's writes take turns: every answer in every
server would wait behind one long transaction). Each table is emptied, batch after batch, before the next one.

A member's tables go in the order that keeps a round closing meanwhile from bringing anything back: answers
first (a close scores only the answers it finds), then scores, then season boards (an ending season copies
scores), then reports. Each batch is one statement on one table, so on PostgreSQL it can't deadlock with a
close: the only row the two may share is the member's score in the round's server.

A server's deletion first stops the server, in one short transaction that locks its settings row as a round's
open and close do: no channel, no schedule, its open round closed as failed (it takes no more answers and never
scores), and marked `deleting`. Then its boards go (scores, season boards, seasons), then its answers, reports,
rounds and question cycle, and its settings row last. A shutdown midway leaves a server with nothing to post and
the mark, and the next retention sweep (the privacy cog's, at the next start) finishes the deletion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from time import perf_counter

from bot.database import Database

BATCH_ROWS = 1000  # rows deleted per transaction: 15-40 ms of the writer on the benchmark's biggest server
ROUND_COST = 10  # a round's row costs as much as ten others: deleting it checks its answers and reports (keys)

# Told of each batch: the table, how many rows it deleted, and how long its transaction held the writer (s).
BatchObserver = Callable[[str, int, float], None]

MEMBER_TABLES = (
    "answers",
    "scores",
    "season_scores",
    "question_reports",
    "server_questions",
)  # by user_id or author_id
SERVER_TABLES = (  # rows by guild_id
    "guild_settings",
    "rounds",
    "answers",
    "scores",
    "season_scores",
    "asked_questions",
    "seasons",
    "question_reports",
    "daily_moments",
    "daily_posts",
    "server_questions",
)

# One batch of a member's rows (?1: the user id, ?2: the batch size), by field of MemberData, in deletion order.
# Each finds its rows on the table's index by user (answers_by_user, scores_by_user, ...).
_MEMBER_BATCHES = (
    (
        "answers",
        "DELETE FROM answers WHERE user_id = ?1"
        " AND round_id IN (SELECT round_id FROM answers WHERE user_id = ?1 LIMIT ?2)",
    ),
    (
        "servers",
        "DELETE FROM scores WHERE user_id = ?1"
        " AND guild_id IN (SELECT guild_id FROM scores WHERE user_id = ?1 LIMIT ?2)",
    ),
    (
        "season_scores",
        "DELETE FROM season_scores WHERE user_id = ?1"
        " AND (guild_id, season) IN (SELECT guild_id, season FROM season_scores WHERE user_id = ?1 LIMIT ?2)",
    ),
    (
        "reports",
        "DELETE FROM question_reports WHERE user_id = ?1"
        " AND round_id IN (SELECT round_id FROM question_reports WHERE user_id = ?1 LIMIT ?2)",
    ),
    (  # the questions they proposed that are not in a server's pool: waiting or declined
        "proposals",
        "DELETE FROM server_questions WHERE author_id = ?1 AND id IN (SELECT id FROM server_questions"
        " WHERE author_id = ?1 AND status IN ('pending', 'declined') LIMIT ?2)",
    ),
    (  # the questions of theirs a server accepted stay, by "a former member" (author_name '')
        "credits",
        "UPDATE server_questions SET author_id = NULL, author_name = '' WHERE author_id = ?1"
        " AND id IN (SELECT id FROM server_questions WHERE author_id = ?1 LIMIT ?2)",
    ),
)

# One batch of a server's rows (?1: the server id, ?2: the batch size), by field of ServerData, in deletion order
# (see the module's docstring). A server's answers are found through its rounds (rounds_by_guild, then each
# round's answers by their primary key), as every answer query of trivia does.
_SERVER_BATCHES = (
    (
        "scores",
        "DELETE FROM scores WHERE guild_id = ?1"
        " AND user_id IN (SELECT user_id FROM scores WHERE guild_id = ?1 LIMIT ?2)",
    ),
    (
        "season_scores",
        "DELETE FROM season_scores WHERE guild_id = ?1"
        " AND (season, user_id) IN (SELECT season, user_id FROM season_scores WHERE guild_id = ?1 LIMIT ?2)",
    ),
    (
        "seasons",
        "DELETE FROM seasons WHERE guild_id = ?1"
        " AND number IN (SELECT number FROM seasons WHERE guild_id = ?1 LIMIT ?2)",
    ),
    (
        "answers",
        "DELETE FROM answers WHERE (round_id, user_id) IN (SELECT a.round_id, a.user_id FROM rounds AS r"
        " JOIN answers AS a ON a.round_id = r.id WHERE r.guild_id = ?1 LIMIT ?2)",
    ),
    (
        "reports",
        "DELETE FROM question_reports WHERE guild_id = ?1"
        " AND (round_id, user_id) IN (SELECT round_id, user_id FROM question_reports WHERE guild_id = ?1 LIMIT ?2)",
    ),
    ("rounds", "DELETE FROM rounds WHERE id IN (SELECT id FROM rounds WHERE guild_id = ?1 LIMIT ?2)"),  # ROUND_COST
    (
        "server_questions",
        "DELETE FROM server_questions WHERE guild_id = ?1"
        " AND id IN (SELECT id FROM server_questions WHERE guild_id = ?1 LIMIT ?2)",
    ),
    (
        "questions",
        "DELETE FROM asked_questions WHERE guild_id = ?1"
        " AND question_key IN (SELECT question_key FROM asked_questions WHERE guild_id = ?1 LIMIT ?2)",
    ),
    (
        "daily",
        "DELETE FROM daily_posts WHERE guild_id = ?1"
        " AND slot_at IN (SELECT slot_at FROM daily_posts WHERE guild_id = ?1 LIMIT ?2)",
    ),
)


@dataclass(frozen=True, slots=True)
class MemberData:
    answers: int  # answers to rounds, in every server
    servers: int  # servers where the member has a score
    season_scores: int = 0  # places on ended seasons' final boards
    reports: int = 0  # reports of a problem with a question
    proposals: int = 0  # questions they proposed, waiting or declined (deleted)
    credits: int = 0  # their name on questions a server accepted (removed; the questions stay)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True, slots=True)
class ServerData:
    settings: bool  # trivia channel, schedule, answer time, last problem
    rounds: int
    answers: int  # members' answers to those rounds
    scores: int  # members with a score here
    questions: int  # questions the current cycle has asked
    season_scores: int = 0  # members' places on the final boards of ended seasons
    seasons: int = 0  # ended seasons
    reports: int = 0  # members' reports of a problem with a question
    daily: int = 0  # moments of the day posted (the moment of the day itself goes with the settings)
    server_questions: int = 0  # the server's own questions and proposals

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


class PrivacyStore:
    def __init__(self, db: Database, *, batch_rows: int = BATCH_ROWS, observe: BatchObserver | None = None) -> None:
        self.db = db
        self.batch_rows = batch_rows
        self.observe = observe

    async def _count(self, query: str, *params: object) -> int:
        return int(await self.db.fetch_value(query, *params) or 0)

    async def _delete_in_batches(self, table: str, statement: str, key: int) -> int:
        """Run the batch `statement` until it deletes nothing; how many rows it deleted in all. (Not until a
        batch comes back short: on PostgreSQL a row another transaction deleted first is skipped, not replaced.)"""
        total = 0
        while True:
            async with self.db.transaction() as tx:
                began = perf_counter()  # the writer is this transaction's from here to its commit
                deleted = await tx.execute(statement, key, self._batch(table))
            if self.observe is not None:
                self.observe(table, deleted, perf_counter() - began)
            if not deleted:
                return total
            total += deleted

    def _batch(self, table: str) -> int:
        """Rows per batch of `table`."""
        return max(1, self.batch_rows // ROUND_COST) if table == "rounds" else self.batch_rows

    # --- a member, in every server ------------------------------------------------------------------

    async def member_data(self, user_id: int) -> MemberData:
        return MemberData(
            answers=await self._count("SELECT COUNT(*) FROM answers WHERE user_id = ?", user_id),
            servers=await self._count("SELECT COUNT(*) FROM scores WHERE user_id = ?", user_id),
            season_scores=await self._count("SELECT COUNT(*) FROM season_scores WHERE user_id = ?", user_id),
            reports=await self._count("SELECT COUNT(*) FROM question_reports WHERE user_id = ?", user_id),
            proposals=await self._count(
                "SELECT COUNT(*) FROM server_questions WHERE author_id = ? AND status IN ('pending', 'declined')",
                user_id,
            ),
            credits=await self._count(
                "SELECT COUNT(*) FROM server_questions WHERE author_id = ? AND status IN ('accepted', 'retired')",
                user_id,
            ),
        )

    async def forget_member(self, user_id: int) -> MemberData:
        """Delete the member's answers, scores, season boards and reports in every server; returns what was deleted."""
        deleted = {name: await self._delete_in_batches(name, batch, user_id) for name, batch in _MEMBER_BATCHES}
        return MemberData(**deleted)

    # --- a server ----------------------------------------------------------------------------------

    async def server_data(self, guild_id: int) -> ServerData:
        return ServerData(
            settings=bool(await self._count("SELECT COUNT(*) FROM guild_settings WHERE guild_id = ?", guild_id)),
            rounds=await self._count("SELECT COUNT(*) FROM rounds WHERE guild_id = ?", guild_id),
            answers=await self._count(
                "SELECT COUNT(*) FROM answers WHERE round_id IN (SELECT id FROM rounds WHERE guild_id = ?)", guild_id
            ),
            scores=await self._count("SELECT COUNT(*) FROM scores WHERE guild_id = ?", guild_id),
            questions=await self._count("SELECT COUNT(*) FROM asked_questions WHERE guild_id = ?", guild_id),
            season_scores=await self._count("SELECT COUNT(*) FROM season_scores WHERE guild_id = ?", guild_id),
            seasons=await self._count("SELECT COUNT(*) FROM seasons WHERE guild_id = ?", guild_id),
            reports=await self._count("SELECT COUNT(*) FROM question_reports WHERE guild_id = ?", guild_id),
            daily=await self._count("SELECT COUNT(*) FROM daily_posts WHERE guild_id = ?", guild_id),
            server_questions=await self._count("SELECT COUNT(*) FROM server_questions WHERE guild_id = ?", guild_id),
        )

    async def forget_server(self, guild_id: int) -> ServerData:
        """Delete everything kept for the server (settings, schedule, rounds, answers, scores, season boards,
        seasons, reports, question cycle); returns what was deleted. Interrupted, it is finished by the next
        retention sweep (see the module's docstring)."""
        had_settings = await self._stop_server(guild_id)
        deleted = {name: await self._delete_in_batches(name, batch, guild_id) for name, batch in _SERVER_BATCHES}
        await self.db.execute("DELETE FROM daily_moments WHERE guild_id = ?", guild_id)
        await self.db.execute("DELETE FROM guild_settings WHERE guild_id = ?", guild_id)
        return ServerData(settings=had_settings, **deleted)

    async def _stop_server(self, guild_id: int) -> bool:
        """The deletion's first step: the server is marked `deleting`, with no channel, no schedule and no open
        round. Whether it had settings before."""
        async with self.db.transaction() as tx:
            had = await tx.fetch("SELECT guild_id FROM guild_settings WHERE guild_id = ?" + self.db.row_lock, guild_id)
            await tx.execute(
                "INSERT INTO guild_settings (guild_id, deleting) VALUES (?, 1) ON CONFLICT(guild_id) DO UPDATE"
                " SET channel_id = NULL, interval_minutes = NULL, next_round_at = NULL, deleting = 1",
                guild_id,
            )
            await tx.execute("UPDATE daily_moments SET next_post_at = NULL WHERE guild_id = ?", guild_id)
            await tx.execute(
                "UPDATE rounds SET closed_at = opened_at, revealed_at = opened_at, failed = 1"
                " WHERE guild_id = ? AND closed_at IS NULL",
                guild_id,
            )
        return bool(had)

    # --- servers that removed the bot ----------------------------------------------------------------

    async def servers_removed_before(self, when: float) -> list[int]:
        """Servers that removed the bot before `when` and never added it back (see TriviaStore.guild_removed),
        and servers whose deletion was interrupted (`deleting`)."""
        rows = await self.db.fetch(
            "SELECT guild_id FROM guild_settings WHERE (removed_at IS NOT NULL AND removed_at <= ?) OR deleting = 1",
            when,
        )
        return [int(row[0]) for row in rows]
