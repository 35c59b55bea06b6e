"""A big server's trivia data, written straight into the database (both backends) in a few statements: the
shape of the benchmark's biggest server (bench/database.py: 20,000 members, 2,000 rounds of 100 answers)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.database import Database

# The rows counted 1, 2, ..., ?1: a generated series both SQLite and PostgreSQL run.
_SERIES = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < CAST(?1 AS INTEGER))"
QUESTION = json.dumps(
    {"key": "drama_of_scene:3", "kind": "drama_of_scene", "prompt": "Which drama?", "options": ["A", "B"], "answer": 0}
)


@dataclass(frozen=True)
class BigServer:
    guild_id: int
    channel_id: int
    rounds: int = 2_000
    answers_per_round: int = 100
    members: int = 20_000
    first_user: int = 500_000_000_000_000_000
    reports: int = 300
    ended_seasons: int = 1

    @property
    def answers(self) -> int:
        return self.rounds * self.answers_per_round


async def fill(db: Database, server: BigServer, now: float) -> None:
    """Settings, closed rounds, answers, scores, an ended season's board, reports and a question cycle."""
    g, members = server.guild_id, server.members
    await db.execute(
        "INSERT INTO guild_settings (guild_id, channel_id, season) VALUES (?, ?, ?)",
        g,
        server.channel_id,
        server.ended_seasons + 1,
    )
    await db.execute(
        _SERIES + " INSERT INTO rounds (guild_id, channel_id, message_id, question_key, question, answer_seconds,"
        " opened_at, posted_at, closes_at, closed_at, revealed_at)"
        " SELECT ?2, ?3, i, 'drama_of_scene:3', ?4, 30, t - i * 60, t - i * 60, t - i * 60 + 30,"
        " t - i * 60 + 30, t - i * 60 + 31 FROM n, (SELECT CAST(?5 AS DOUBLE PRECISION) AS t) AS now",
        server.rounds,
        g,
        server.channel_id,
        QUESTION,
        now,
    )
    await db.execute(
        _SERIES + " INSERT INTO answers (guild_id, round_id, user_id, choice, display_name, answered_at)"
        " SELECT r.guild_id, r.id, CAST(?3 AS BIGINT) + (r.message_id * ?1 + n.i) % ?4, n.i % 2, '', r.opened_at + 1"
        " FROM rounds AS r CROSS JOIN n WHERE r.guild_id = ?2",
        server.answers_per_round,
        g,
        server.first_user,
        members,
    )
    for table, columns, third in (
        ("scores", "guild_id, user_id, display_name, points, rounds_answered", "'member'"),
        ("season_scores", "guild_id, user_id, season, points, rounds_answered", "1"),
    ):
        await db.execute(
            _SERIES + f" INSERT INTO {table} ({columns}) SELECT ?2, CAST(?3 AS BIGINT) + i, {third}, i % 7, 10 FROM n",
            members,
            g,
            server.first_user,
        )
    await db.execute(
        _SERIES + " INSERT INTO question_reports (round_id, user_id, guild_id, question_key, reason, reported_at)"
        " SELECT r.id, CAST(?3 AS BIGINT) + n.i, r.guild_id, r.question_key, 'unclear', ?4"
        " FROM rounds AS r CROSS JOIN n WHERE r.guild_id = ?2 AND r.message_id = 1",
        server.reports,
        g,
        server.first_user,
        now,
    )
    await db.execute("INSERT INTO seasons (guild_id, number, ended_at) VALUES (?, 1, ?)", g, now - 86_400)
    await db.execute(
        "INSERT INTO asked_questions (guild_id, question_key) VALUES (?1, 'drama_of_scene:3'), (?1, 'year:1')", g
    )
