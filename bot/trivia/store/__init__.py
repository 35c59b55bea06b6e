"""Trivia in the database: settings and schedules, rounds, answers, scores, seasons, reports. No discord import.

One `TriviaStore`, put together from a part per concern: `settings.py` (a server's settings and schedule),
`rounds.py` (rounds and answers), `boards.py` (scores, boards, seasons), `reports.py` (reports of a question);
what they read and return is in `models.py`.

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

from bot.trivia.server_questions.store import Credit
from bot.trivia.store.models import (
    AnswerResult,
    Board,
    Click,
    GuildSettings,
    NoChannel,
    Period,
    Placed,
    QuestionReports,
    Report,
    Reveal,
    Round,
    RoundAlreadyOpen,
    ScheduleChanged,
    Score,
    SeasonEnded,
    Standing,
    TriviaError,
)
from bot.trivia.store.reports import ReportStore
from bot.trivia.store.rounds import RoundStore, chosen_pool


class TriviaStore(RoundStore, ReportStore):
    """Everything trivia keeps: settings and schedules, rounds and answers, boards and seasons, reports."""


__all__ = [
    "AnswerResult",
    "Board",
    "Click",
    "Credit",
    "GuildSettings",
    "NoChannel",
    "Period",
    "Placed",
    "QuestionReports",
    "Report",
    "Reveal",
    "Round",
    "RoundAlreadyOpen",
    "ScheduleChanged",
    "Score",
    "SeasonEnded",
    "Standing",
    "TriviaError",
    "TriviaStore",
    "chosen_pool",
]
