"""Servers' own questions in the database: proposals, the review queue, the pool, packs. No discord import.

A question is one row of `server_questions` (migration 11) with its status: `pending` (waiting for review),
`accepted` (in the server's pool), `declined` or `retired` (kept for its proposer's `/trivia question mine`,
never asked). Every query names the server (`guild_id`): a server's questions are never asked, shown, exported
or counted in another. A decision is one `UPDATE ... WHERE status = 'pending'`, so two admins clicking Accept at
the same moment accept it once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.database import Database, Executor, Row
from bot.i18n import SaidError
from bot.trivia.server_questions.pack import Proposed

PENDING, ACCEPTED, DECLINED, RETIRED = "pending", "accepted", "declined", "retired"
MEMBER_PENDING_MAX = 10
SERVER_PENDING_MAX = 500
SERVER_ACCEPTED_MAX = 5000
MIXES = ("catalogue", "both", "server")  # which questions a server's rounds ask; NULL in the database is both
KEY_PREFIX = "server:"
IMPORT_OVER = "questions.error.import_over"  # a pack that would pass SERVER_ACCEPTED_MAX


def question_key(question_id: int) -> str:
    return f"{KEY_PREFIX}{question_id}"


def question_id_of(key: str) -> int | None:
    """The id of a server question's key (`server:42`), None for a catalogue key."""
    rest = key.removeprefix(KEY_PREFIX)
    return int(rest) if rest != key and rest.isdigit() else None


class QuestionsError(SaidError):
    """A rule of server questions was broken (a limit); the message (a catalogue key) is meant for the member, in
    their language (`text("ko")`)."""


@dataclass(frozen=True, slots=True)
class Credit:
    """What the reveal of a server's own question adds: its why line, and who wrote it (None: imported with no
    author; "": a member who deleted their data)."""

    why: str | None
    author: str | None


@dataclass(frozen=True, slots=True)
class ServerQuestion:
    id: int
    guild_id: int
    status: str
    question: Proposed
    author_id: int | None  # None: imported, or its author deleted their data
    author_name: str | None  # None: imported (no author); "": a former member
    proposed_at: float
    decided_at: float | None = None

    @property
    def key(self) -> str:
        return question_key(self.id)


@dataclass(frozen=True, slots=True)
class Imported:
    added: int
    skipped: int  # exact duplicates of questions the server has


def server_question_of(row: Row) -> ServerQuestion:
    return ServerQuestion(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        status=str(row["status"]),
        question=Proposed(row["prompt"], tuple(json.loads(row["options"])), int(row["answer"]), row["why"]),
        author_id=None if row["author_id"] is None else int(row["author_id"]),
        author_name=row["author_name"],
        proposed_at=float(row["proposed_at"]),
        decided_at=None if row["decided_at"] is None else float(row["decided_at"]),
    )


class ServerQuestionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- settings ----------------------------------------------------------------------------------

    async def submissions_open(self, guild_id: int) -> bool:
        value = await self.db.fetch_value("SELECT submissions_open FROM guild_settings WHERE guild_id = ?", guild_id)
        return bool(value)

    async def set_submissions(self, guild_id: int, open_to_all: bool) -> None:
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, submissions_open) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE"
            " SET submissions_open = excluded.submissions_open",
            guild_id,
            int(open_to_all),
        )

    async def mix(self, guild_id: int) -> str:
        value = await self.db.fetch_value("SELECT question_mix FROM guild_settings WHERE guild_id = ?", guild_id)
        return str(value) if value in MIXES else "both"

    async def set_mix(self, guild_id: int, mix: str) -> None:
        if mix not in MIXES:
            raise QuestionsError("questions.error.mix", mix=repr(mix))
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, question_mix) VALUES (?, ?) ON CONFLICT(guild_id) DO UPDATE"
            " SET question_mix = excluded.question_mix",
            guild_id,
            None if mix == "both" else mix,
        )

    # --- proposals and the queue ---------------------------------------------------------------------

    async def propose(self, guild_id: int, user_id: int, name: str, question: Proposed, now: float) -> int:
        """A member's proposal, waiting for review. Raises QuestionsError past a limit (10 waiting per member, 500
        per server)."""
        async with self.db.transaction() as tx:
            await _lock_server(tx, guild_id, self.db.row_lock)
            mine = await _count(tx, "author_id = ? AND status = 'pending' AND guild_id = ?", user_id, guild_id)
            if mine >= MEMBER_PENDING_MAX:
                raise QuestionsError("questions.error.member_full", max=MEMBER_PENDING_MAX)
            if await self._counted(tx, guild_id, PENDING) >= SERVER_PENDING_MAX:
                raise QuestionsError("questions.error.server_full", max=SERVER_PENDING_MAX)
            return await _insert(tx, guild_id, PENDING, question, user_id, name, now)

    async def _counted(self, tx: Executor, guild_id: int, status: str) -> int:
        return await _count(tx, "guild_id = ? AND status = ?", guild_id, status)

    async def count(self, guild_id: int, status: str = ACCEPTED) -> int:
        return await self._counted(self.db, guild_id, status)

    async def oldest_pending(self, guild_id: int) -> ServerQuestion | None:
        row = await self.db.fetch_one(
            "SELECT * FROM server_questions WHERE guild_id = ? AND status = 'pending' ORDER BY id LIMIT 1", guild_id
        )
        return server_question_of(row) if row else None

    async def get(self, guild_id: int, question_id: int) -> ServerQuestion | None:
        row = await self.db.fetch_one(
            "SELECT * FROM server_questions WHERE id = ? AND guild_id = ?", question_id, guild_id
        )
        return server_question_of(row) if row else None

    async def decide(self, guild_id: int, question_id: int, accept: bool, now: float) -> bool:
        """Accept or decline a waiting proposal: True for the one decision that counts, False when it was
        decided already (two admins at once: one wins). Raises QuestionsError when the pool is full."""
        async with self.db.transaction() as tx:
            await _lock_server(tx, guild_id, self.db.row_lock)
            if accept and await self._counted(tx, guild_id, ACCEPTED) >= SERVER_ACCEPTED_MAX:
                raise QuestionsError("questions.error.pool_full", max=f"{SERVER_ACCEPTED_MAX:,}")
            changed = await tx.execute(
                "UPDATE server_questions SET status = ?, decided_at = ?, reviewed_at = ?"
                " WHERE id = ? AND guild_id = ? AND status = 'pending'",
                ACCEPTED if accept else DECLINED,
                now,
                now,
                question_id,
                guild_id,
            )
        return changed == 1

    async def edit(self, guild_id: int, question_id: int, question: Proposed, now: float) -> bool:
        """An admin's edit of a waiting or accepted question (a round already asked keeps its own copy)."""
        return bool(
            await self.db.execute(
                "UPDATE server_questions SET prompt = ?, options = ?, answer = ?, why = ?, reviewed_at = ?"
                " WHERE id = ? AND guild_id = ? AND status IN ('pending', 'accepted')",
                question.prompt,
                json.dumps(question.options),
                question.answer,
                question.why,
                now,
                question_id,
                guild_id,
            )
        )

    async def retire(self, guild_id: int, question_id: int, now: float) -> bool:
        """An accepted question leaves the pool (kept for its proposer's list)."""
        return bool(
            await self.db.execute(
                "UPDATE server_questions SET status = 'retired', decided_at = ?, reviewed_at = ?"
                " WHERE id = ? AND guild_id = ? AND status = 'accepted'",
                now,
                now,
                question_id,
                guild_id,
            )
        )

    async def mark_reviewed(self, guild_id: int, question_id: int, now: float) -> None:
        """An admin looked at a reported question and kept it: its reports so far leave the queue."""
        await self.db.execute(
            "UPDATE server_questions SET reviewed_at = ? WHERE id = ? AND guild_id = ?", now, question_id, guild_id
        )

    async def mine(self, guild_id: int, user_id: int, limit: int = 20) -> list[ServerQuestion]:
        rows = await self.db.fetch(
            "SELECT * FROM server_questions WHERE author_id = ? AND guild_id = ? ORDER BY id DESC LIMIT ?",
            user_id,
            guild_id,
            limit,
        )
        return [server_question_of(r) for r in rows]

    async def reported(self, guild_id: int) -> tuple[ServerQuestion, int] | None:
        """The accepted question of this server with reports an admin has not looked at yet (the most reported),
        and how many."""
        row = await self.db.fetch_one(
            "SELECT s.id, COUNT(*) AS reports FROM question_reports AS q"
            " JOIN server_questions AS s ON s.guild_id = q.guild_id AND q.question_key = 'server:' || s.id"
            " WHERE q.guild_id = ? AND q.question_key LIKE 'server:%' AND s.status = 'accepted'"
            " AND (s.reviewed_at IS NULL OR q.reported_at > s.reviewed_at)"
            " GROUP BY s.id ORDER BY COUNT(*) DESC, s.id LIMIT 1",
            guild_id,
        )
        if row is None:
            return None
        found = await self.get(guild_id, int(row["id"]))
        return (found, int(row["reports"])) if found else None

    # --- packs ---------------------------------------------------------------------------------------

    async def accepted(self, guild_id: int) -> list[ServerQuestion]:
        rows = await self.db.fetch(
            "SELECT * FROM server_questions WHERE guild_id = ? AND status = 'accepted' ORDER BY id", guild_id
        )
        return [server_question_of(r) for r in rows]

    async def import_pack(self, guild_id: int, found: list[Proposed], now: float) -> Imported:
        """A checked pack joins the server's pool in one transaction, exact duplicates of questions it has (or
        earlier in the pack) skipped; all or nothing. Raises QuestionsError when it would pass 5,000 accepted."""
        async with self.db.transaction() as tx:
            await _lock_server(tx, guild_id, self.db.row_lock)
            rows = await tx.fetch(
                "SELECT * FROM server_questions WHERE guild_id = ? AND status IN ('pending', 'accepted')", guild_id
            )
            have = {server_question_of(r).question.same_as() for r in rows}
            fresh: list[Proposed] = []
            for question in found:
                if question.same_as() not in have:
                    have.add(question.same_as())
                    fresh.append(question)
            accepted = await self._counted(tx, guild_id, ACCEPTED)
            if accepted + len(fresh) > SERVER_ACCEPTED_MAX:
                raise QuestionsError(
                    IMPORT_OVER, accepted=f"{accepted:,}", adding=f"{len(fresh):,}", max=f"{SERVER_ACCEPTED_MAX:,}"
                )
            await tx.execute_many(
                "INSERT INTO server_questions (guild_id, status, prompt, options, answer, why, proposed_at,"
                " decided_at) VALUES (?, 'accepted', ?, ?, ?, ?, ?, ?)",
                [(guild_id, q.prompt, json.dumps(q.options), q.answer, q.why, now, now) for q in fresh],
            )
        return Imported(len(fresh), len(found) - len(fresh))


async def _count(tx: Executor, condition: str, *params: object) -> int:
    return int(await tx.fetch_value(f"SELECT COUNT(*) FROM server_questions WHERE {condition}", *params) or 0)


async def _lock_server(tx: Executor, guild_id: int, row_lock: str) -> None:
    """PostgreSQL: a server's limits are checked and written under its settings row's lock (made if missing), so
    two proposals or imports at once can't both pass a limit. SQLite's writes take turns anyway."""
    if row_lock:
        await tx.execute("INSERT INTO guild_settings (guild_id) VALUES (?) ON CONFLICT(guild_id) DO NOTHING", guild_id)
        await tx.fetch("SELECT guild_id FROM guild_settings WHERE guild_id = ?" + row_lock, guild_id)


async def _insert(
    tx: Executor, guild_id: int, status: str, question: Proposed, user_id: int | None, name: str | None, now: float
) -> int:
    return int(
        await tx.fetch_value(
            "INSERT INTO server_questions (guild_id, status, prompt, options, answer, why, author_id, author_name,"
            " proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            guild_id,
            status,
            question.prompt,
            json.dumps(question.options),
            question.answer,
            question.why,
            user_id,
            name,
            now,
        )
    )
