"""A member's or a server's data in the database: what there is, and deleting it. No discord import.

The bot keeps, per member, only what trivia needs: answers (user id, the choice, when, the display name
until the next round closes), scores per server (user id, points and rounds answered all time, this week, this
month and this season, streaks, the display name last seen), points on each ended season's final board, and
the reports the member made of a problem with a question. Per server: its trivia settings and schedule, its
rounds and their answers, its scores, which questions its current cycle has asked, when its seasons ended and
their final boards, and the reports made there.
`MEMBER_TABLES` and `SERVER_TABLES` name every table that holds them; tests/unit/test_privacy_store.py fails
when a table with a `user_id` or `guild_id` is added without being named here, so a new feature's data can't
be forgotten by the deletions.

Deletions run in one transaction that a round's close can't interleave with, so a round closing at the same
moment sees the member or the server either whole or gone. SQLite's writes take turns anyway; on PostgreSQL a
member's deletion locks the tables a close writes, in the order it writes them (so neither waits on the other
while holding what the other needs), and a server's deletion locks its settings row, as its rounds' closes do.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.database import Database

# In the order a round's close writes them (see the module's docstring).
MEMBER_TABLES = ("answers", "scores", "season_scores", "question_reports")  # rows by user_id
SERVER_TABLES = (  # rows by guild_id
    "guild_settings",
    "rounds",
    "answers",
    "scores",
    "season_scores",
    "asked_questions",
    "seasons",
    "question_reports",
)


@dataclass(frozen=True, slots=True)
class MemberData:
    answers: int  # answers to rounds, in every server
    servers: int  # servers where the member has a score

    @property
    def empty(self) -> bool:
        return not (self.answers or self.servers)


@dataclass(frozen=True, slots=True)
class ServerData:
    settings: bool  # trivia channel, schedule, answer time, last problem
    rounds: int
    answers: int  # members' answers to those rounds
    scores: int  # members with a score here
    questions: int  # questions the current cycle has asked

    @property
    def empty(self) -> bool:
        return not (self.settings or self.rounds or self.answers or self.scores or self.questions)


class PrivacyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _count(self, query: str, *params: object) -> int:
        return int(await self.db.fetch_value(query, *params) or 0)

    # --- a member, in every server ------------------------------------------------------------------

    async def member_data(self, user_id: int) -> MemberData:
        return MemberData(
            answers=await self._count("SELECT COUNT(*) FROM answers WHERE user_id = ?", user_id),
            servers=await self._count("SELECT COUNT(*) FROM scores WHERE user_id = ?", user_id),
        )

    async def forget_member(self, user_id: int) -> MemberData:
        """Delete the member's answers and scores in every server; returns what was deleted."""
        async with self.db.transaction() as tx:
            await tx.lock_tables(*MEMBER_TABLES)
            answers = await tx.execute("DELETE FROM answers WHERE user_id = ?", user_id)
            servers = await tx.execute("DELETE FROM scores WHERE user_id = ?", user_id)
            await tx.execute("DELETE FROM season_scores WHERE user_id = ?", user_id)  # by season_scores_by_user
            await tx.execute("DELETE FROM question_reports WHERE user_id = ?", user_id)
        return MemberData(answers, servers)

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
        )

    async def forget_server(self, guild_id: int) -> ServerData:
        """Delete everything kept for the server (settings, schedule, rounds, answers, scores, question cycle)."""
        deleted: dict[str, int] = {}
        async with self.db.transaction() as tx:
            await tx.fetch("SELECT guild_id FROM guild_settings WHERE guild_id = ?" + self.db.row_lock, guild_id)
            for name, statement in (
                ("answers", "DELETE FROM answers WHERE round_id IN (SELECT id FROM rounds WHERE guild_id = ?)"),
                ("rounds", "DELETE FROM rounds WHERE guild_id = ?"),
                ("scores", "DELETE FROM scores WHERE guild_id = ?"),
                ("questions", "DELETE FROM asked_questions WHERE guild_id = ?"),
                ("past seasons", "DELETE FROM season_scores WHERE guild_id = ?"),
                ("seasons", "DELETE FROM seasons WHERE guild_id = ?"),
                ("reports", "DELETE FROM question_reports WHERE guild_id = ?"),
                ("settings", "DELETE FROM guild_settings WHERE guild_id = ?"),
            ):
                deleted[name] = await tx.execute(statement, guild_id)
        return ServerData(
            settings=bool(deleted["settings"]),
            rounds=deleted["rounds"],
            answers=deleted["answers"],
            scores=deleted["scores"],
            questions=deleted["questions"],
        )

    # --- servers that removed the bot ----------------------------------------------------------------

    async def servers_removed_before(self, when: float) -> list[int]:
        """Servers that removed the bot before `when` and never added it back (see TriviaStore.guild_removed)."""
        rows = await self.db.fetch(
            "SELECT guild_id FROM guild_settings WHERE removed_at IS NOT NULL AND removed_at <= ?", when
        )
        return [int(row[0]) for row in rows]
