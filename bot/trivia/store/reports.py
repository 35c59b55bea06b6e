"""Members' reports of a problem with a round's question, and the operator's list of them. No discord import."""

from __future__ import annotations

import json

from bot.database import Row
from bot.trivia.store.base import StoreBase
from bot.trivia.store.models import QuestionReports, Report


class ReportStore(StoreBase):
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
        """For the operator: reported questions of the catalogue and the operator's packs (a server's own go to
        its review queue), the most recently reported first, each with its reports (newest first) and the
        question as its latest reported round asked it."""
        rows = await self.db.fetch(
            "SELECT q.question_key, q.reason, q.reported_at, q.guild_id, q.round_id, r.question"
            " FROM question_reports AS q JOIN rounds AS r ON r.id = q.round_id"
            " WHERE q.question_key NOT LIKE 'server:%'"  # a server's own questions: its review queue
            " ORDER BY q.reported_at DESC, q.round_id DESC, q.user_id DESC LIMIT ?",
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
