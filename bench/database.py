"""Database benchmark at scale: 10,000 servers with schedules, 100,000 members, 1,000,000 recorded answers.

Times the trivia store's own queries on that database (the code the bot runs): one server's leaderboard (all
time, this week, this month, the season, and a page further down), one member's score, one scheduler tick's
reads, closing a round with 1,000 answers, and start-up (open, migrate, seed and read the catalogue) on the full
database. The rounds are spread over the last twelve weeks, so the weekly and monthly boards hold what they would.

On SQLite (the default: a file) or PostgreSQL (`--backend postgresql`: a fresh schema on `--database-url`,
default TEST_DATABASE_URL or the local server, dropped after). On SQLite it then times `python -m bot migrate`'s
copy of that file into PostgreSQL, where a server answers.

    python -m bench.database [--backend sqlite|postgresql] [--database-url URL] [--keep PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from bot import database
from bot.catalogue import load_catalogue
from bot.database.postgresql import PostgreSQLDatabase
from bot.operations.migrate import migrate_to_postgresql
from bot.trivia.questions import QuestionTemplate, build, question_pool
from bot.trivia.rules import MONTH, SEASON, WEEK, month_key, week_key
from bot.trivia.server_questions.pack import Proposed
from bot.trivia.server_questions.picking import pick
from bot.trivia.server_questions.store import ServerQuestionStore
from bot.trivia.store import Click, Period, TriviaStore

GUILDS = 10_000
MEMBERS = 100_000
ANSWERS = 1_000_000
BIG_GUILD = 1  # the server whose leaderboard is timed: 20,000 of the members
BIG_GUILD_MEMBERS = 20_000
ANSWERS_PER_ROUND = 100
STORM = 1_000
CLOSES = 11  # rounds of STORM answers closed, one after another (the median of 11 steadies the figure)
NOW = 1_800_000_000.0
SPREAD = 84 * 86_400.0  # the rounds' closing times cover the twelve weeks before NOW
RESULTS = Path(__file__).resolve().parent / "results"
QUESTION_SERVERS = 1_000  # servers (1 to 1,000) holding SERVER_QUESTIONS accepted questions each
SERVER_QUESTIONS = 5_000
PACK = 1_000  # questions in the pack whose import is timed
DEFAULT_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
COLUMNS = {  # the filled tables' columns, in the order of World's rows
    "guild_settings": ("guild_id", "channel_id", "interval_minutes", "answer_seconds", "next_round_at"),
    "rounds": (
        "id",
        "guild_id",
        "channel_id",
        "message_id",
        "question_key",
        "question",
        "opened_at",
        "closes_at",
        "closed_at",
        "answer_seconds",
        "posted_at",
        "revealed_at",
    ),
    "answers": ("guild_id", "round_id", "user_id", "choice", "display_name", "answered_at"),
    "scores": (
        "guild_id",
        "user_id",
        "display_name",
        "points",
        "rounds_answered",
        "week",
        "week_points",
        "week_rounds",
        "month",
        "month_points",
        "month_rounds",
        "season",
        "season_points",
        "season_rounds",
    ),
}


@dataclass
class World:
    """The rows of each filled table (see COLUMNS)."""

    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def summary(self) -> str:
        t = self.tables
        return (
            f"{GUILDS:,} servers, {len(t['scores']):,} member scores (all time, week, month, season),"
            f" {len(t['rounds']):,} rounds, {len(t['answers']):,} answers"
        )


@dataclass
class Tally:
    """One member's scores row as the bot keeps it: all time, their latest week and month, season 1."""

    points: int = 0
    rounds: int = 0
    week: str | None = None
    week_points: int = 0
    week_rounds: int = 0
    month: str | None = None
    month_points: int = 0
    month_rounds: int = 0

    def add(self, right: int, week: str, month: str) -> None:
        if week != self.week:
            self.week, self.week_points, self.week_rounds = week, 0, 0
        if month != self.month:
            self.month, self.month_points, self.month_rounds = month, 0, 0
        self.points, self.rounds = self.points + right, self.rounds + 1
        self.week_points, self.week_rounds = self.week_points + right, self.week_rounds + 1
        self.month_points, self.month_rounds = self.month_points + right, self.month_rounds + 1

    def row(self) -> tuple[Any, ...]:
        """The columns after display_name (see COLUMNS)."""
        season = (1, self.points, self.rounds) if self.rounds else (None, 0, 0)
        return (
            self.points,
            self.rounds,
            self.week,
            self.week_points,
            self.week_rounds,
            self.month,
            self.month_points,
            self.month_rounds,
            *season,
        )


def members_of(guild: int) -> range:
    """Member ids of a guild: the big one has 20,000, the other 9,999 share the remaining 80,000."""
    if guild == BIG_GUILD:
        return range(1, BIG_GUILD_MEMBERS + 1)
    others, shares = MEMBERS - BIG_GUILD_MEMBERS, GUILDS - 1
    first = BIG_GUILD_MEMBERS + 1
    return range(first + (guild - 2) * others // shares, first + (guild - 1) * others // shares)


def generate() -> World:
    """The scale data, the same on both backends (seeded random)."""
    rng = random.Random(42)
    catalogue = load_catalogue()
    pool = question_pool(catalogue)
    question = build(pool[0], rng)
    question_json = json.dumps(
        {
            "key": question.key,
            "kind": question.kind,
            "prompt": question.prompt,
            "options": list(question.options),
            "answer": question.answer,
        }
    )
    settings = [
        (g, 10_000_000 + g, rng.choice((1, 5, 60, 1440)), 30, NOW + rng.uniform(-3, 3600)) for g in range(1, GUILDS + 1)
    ]
    rounds, answers = [], []
    scores: dict[tuple[int, int], Tally] = {}
    round_id = 0
    while len(answers) < ANSWERS:
        round_id += 1
        guild = BIG_GUILD if round_id % 5 == 0 else rng.randint(2, GUILDS)
        opened = NOW - SPREAD + SPREAD * len(answers) / ANSWERS - 60  # spread evenly by answers
        closed = opened + 30
        channel = 10_000_000 + guild
        rounds.append(
            (
                round_id,
                guild,
                channel,
                round_id,
                question.key,
                question_json,
                opened,
                closed,
                closed,
                30,
                opened,
                closed,
            )
        )
        people = members_of(guild)
        week, month = week_key(closed), month_key(closed)
        for user in rng.sample(people, min(ANSWERS_PER_ROUND, len(people))):
            choice = rng.randrange(len(question.options))
            answers.append((guild, round_id, user, choice, f"member{user}", opened + 1))
            scores.setdefault((guild, user), Tally()).add(int(choice == question.answer), week, month)
    for guild in range(1, GUILDS + 1):  # members who never answered still have a (zero) score row
        for user in members_of(guild):
            scores.setdefault((guild, user), Tally())
    return World(
        {
            "guild_settings": settings,
            "rounds": rounds,
            "answers": answers,
            "scores": [(g, u, f"member{u}", *tally.row()) for (g, u), tally in scores.items()],
        }
    )


def fill_sqlite(path: Path, world: World) -> None:
    """Bulk inserts with plain sqlite3, on the schema the bot migrated."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        for table, rows in world.tables.items():
            columns = COLUMNS[table]
            marks = ", ".join("?" * len(columns))
            db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


async def fill_postgresql(db: PostgreSQLDatabase, world: World) -> None:
    """COPY, on the schema the bot migrated; then VACUUM ANALYZE, as autovacuum would soon after such a load (the
    planner's statistics, and the visibility map that lets a count read the index alone)."""
    async with db.pool.acquire() as connection:
        for table, rows in world.tables.items():
            await connection.copy_records_to_table(table, records=rows, columns=COLUMNS[table])
        await connection.execute(
            "SELECT setval(pg_get_serial_sequence('rounds', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM rounds"
        )
        await connection.execute("VACUUM ANALYZE")


async def timed(repeat: int, action: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await action()
        times.append((time.perf_counter() - began) * 1000)
    return {"median_ms": statistics.median(times), "max_ms": max(times), "runs": repeat}


async def measure(target: str | Path) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    began = time.perf_counter()
    db = await database.open_database(target)
    await database.seed_catalogue(db, load_catalogue())
    catalogue = await database.read_catalogue(db)
    results["start-up (open, migrate, seed, read)"] = {
        "median_ms": (time.perf_counter() - began) * 1000,
        "max_ms": (time.perf_counter() - began) * 1000,
        "runs": 1,
    }
    store = TriviaStore(db)
    rng = random.Random(7)
    try:
        some_member = BIG_GUILD_MEMBERS // 2
        results["leaderboard (20,000-member server)"] = await timed(
            200, lambda: store.leaderboard(BIG_GUILD, some_member)
        )
        for name, period in (
            ("this week", Period(WEEK, week_key(NOW))),
            ("this month", Period(MONTH, month_key(NOW))),
            ("season", Period(SEASON, "1")),
        ):
            members = (await store.board(BIG_GUILD, some_member, period)).members
            results[f"{name} board ({members:,} members)"] = await timed(
                200, functools.partial(store.board, BIG_GUILD, some_member, period)
            )
        results["season board, page 50"] = await timed(
            200, lambda: store.board(BIG_GUILD, some_member, Period(SEASON, "1"), 49)
        )
        results["score of one member"] = await timed(200, lambda: store.score(BIG_GUILD, some_member))
        results["/trivia score (season and all time)"] = await timed(
            200, lambda: store.standing(BIG_GUILD, some_member)
        )

        async def tick() -> None:
            await store.abandoned_rounds(NOW, opened_before=NOW - 600)
            await store.rounds_due_to_close(NOW)
            await store.rounds_to_reveal(NOW, within=86_400)
            await store.guilds_due(NOW)

        results["scheduler tick (reads)"] = await timed(200, tick)
        results[f"close a round with {STORM:,} answers"] = await time_closes(store, question_pool(catalogue), rng)
    finally:
        await db.close()
    return results


async def time_closes(store: TriviaStore, pool: list[QuestionTemplate], rng: random.Random) -> dict[str, float]:
    """Close CLOSES rounds of the big server, one after another, each with STORM answers; time each close."""
    times = []
    for n in range(CLOSES):
        now = NOW + n * 100
        opened = await store.open_round(BIG_GUILD, pool, rng, now)
        posted = await store.mark_posted(opened.id, 99_000_000 + n, now)
        assert posted is not None and posted.message_id is not None and posted.closes_at is not None
        for user in range(1, STORM + 1):
            click = Click(posted.id, user % 4, BIG_GUILD, posted.message_id, user, f"member{user}")
            await store.record_answer(click, now + 1)
        began = time.perf_counter()
        await store.close_round(posted.id, posted.closes_at + 1)
        times.append((time.perf_counter() - began) * 1000)
    return {"median_ms": statistics.median(times), "max_ms": max(times), "runs": CLOSES}


def server_question_rows() -> Iterator[tuple[Any, ...]]:
    """QUESTION_SERVERS servers' accepted questions (a generator: 5,000,000 rows are never all in memory)."""
    options = json.dumps(["First option", "Second option", "Third option"])
    for guild in range(1, QUESTION_SERVERS + 1):
        for n in range(SERVER_QUESTIONS):
            yield (guild, "accepted", f"Server {guild}'s question number {n}?", options, n % 3, None, 7, "m", NOW, NOW)


SQ_COLUMNS = ("guild_id", "status", "prompt", "options", "answer", "why", "author_id", "author_name")
SQ_COLUMNS += ("proposed_at", "decided_at")
ASKED_COLUMNS = ("guild_id", "question_key")


async def fill_server_questions(target: str | Path) -> None:
    """The server questions, and a cycle half asked in the timed server (2,500 of its 5,000)."""
    asked = [(BIG_GUILD, f"server:{i}") for i in range(1, SERVER_QUESTIONS + 1, 2)]
    if isinstance(target, Path):
        with sqlite3.connect(target) as db:
            marks = ", ".join("?" * len(SQ_COLUMNS))
            db.executemany(
                f"INSERT INTO server_questions ({', '.join(SQ_COLUMNS)}) VALUES ({marks})", server_question_rows()
            )
            db.executemany("INSERT INTO asked_questions (guild_id, question_key) VALUES (?, ?)", asked)
        return
    db = await database.open_database(target)
    assert isinstance(db, PostgreSQLDatabase)
    try:
        async with db.pool.acquire() as connection:
            await connection.copy_records_to_table(
                "server_questions", records=server_question_rows(), columns=SQ_COLUMNS
            )
            await connection.copy_records_to_table(
                "asked_questions", records=asked, columns=("guild_id", "question_key")
            )
            await connection.execute("VACUUM ANALYZE server_questions")
            await connection.execute("VACUUM ANALYZE asked_questions")
    finally:
        await db.close()


async def measure_server_questions(target: str | Path) -> dict[str, dict[str, float]]:
    """Picking the next question in a server of 5,000 accepted questions (half of them asked), the scheduler's
    tick, and importing a pack of 1,000 questions into a server (each its own server, so none is skipped)."""
    results: dict[str, dict[str, float]] = {}
    db = await database.open_database(target)
    store, questions = TriviaStore(db), ServerQuestionStore(db)
    pool, rng = question_pool(load_catalogue()), random.Random(11)
    try:

        async def next_question() -> None:
            async with db.transaction() as tx:
                await pick(tx, BIG_GUILD, pool, "both", rng, None)

        async def server_only() -> None:
            async with db.transaction() as tx:
                await pick(tx, BIG_GUILD, pool, "server", rng, None)

        async def tick() -> None:
            await store.abandoned_rounds(NOW, opened_before=NOW - 600)
            await store.rounds_due_to_close(NOW)
            await store.rounds_to_reveal(NOW, within=86_400)
            await store.guilds_due(NOW)

        results["pick the next question (5,000 own, half asked)"] = await timed(200, next_question)
        results["pick, server questions only"] = await timed(200, server_only)
        results["scheduler tick (reads)"] = await timed(200, tick)
        pack = [Proposed(f"Pack question number {n}?", ("yes", "no", "maybe"), n % 3) for n in range(PACK)]
        guilds = iter(range(GUILDS + 1, GUILDS + 100))
        results[f"import a pack of {PACK:,} questions"] = await timed(
            5, lambda: questions.import_pack(next(guilds), pack, NOW)
        )
    finally:
        await db.close()
    return results


def report(results: dict[str, dict[str, float]]) -> str:
    lines = [f"{'operation':<44}{'median ms':>12}{'max ms':>10}{'runs':>6}"]
    lines += [f"{name:<44}{r['median_ms']:>12.2f}{r['max_ms']:>10.2f}{r['runs']:>6.0f}" for name, r in results.items()]
    return "\n".join(lines)


async def main_async(target: str | Path, url: str, part: str = "all") -> None:
    db = await database.open_database(target)  # the bot's own schema
    began = time.perf_counter()
    if part == "server-questions":
        await db.close()
        await server_questions_only(target, began)
        return
    world = generate()
    if isinstance(db, PostgreSQLDatabase):
        await fill_postgresql(db, world)
    else:
        fill_sqlite(Path(target), world)
    await db.close()
    print(f"filled ({db.backend}): {world.summary()}", flush=True)
    print(f"(filling took {time.perf_counter() - began:.1f} s; not part of the figures)")
    await fill_server_questions(target)
    text = f"backend: {db.backend}\n" + report(await measure(target) | await measure_server_questions(target))
    if isinstance(target, Path):
        text += "\n" + await time_migration(target, url)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"database-{db.backend}.txt").write_text(text + "\n")


async def server_questions_only(target: str | Path, began: float) -> None:
    """`--part server-questions`: 10,000 scheduled servers and the server questions only, then their figures."""
    rng = random.Random(42)
    settings = [(g, 10_000_000 + g, 60, 30, NOW + rng.uniform(-3, 3600)) for g in range(1, GUILDS + 1)]
    if isinstance(target, Path):
        fill_sqlite(target, World({"guild_settings": settings}))
    else:
        db = await database.open_database(target)
        assert isinstance(db, PostgreSQLDatabase)
        await fill_postgresql(db, World({"guild_settings": settings}))
        await db.close()
    await fill_server_questions(target)
    backend = "sqlite" if isinstance(target, Path) else "postgresql"
    print(
        f"filled ({backend}): {GUILDS:,} servers, {QUESTION_SERVERS * SERVER_QUESTIONS:,} server questions", flush=True
    )
    print(f"(filling took {time.perf_counter() - began:.1f} s; not part of the figures)")
    text = f"backend: {backend}\n" + report(await measure_server_questions(target))
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"database-server-questions-{backend}.txt").write_text(text + "\n")


async def time_migration(source: Path, url: str) -> str:
    """`python -m bot migrate --to` of the filled file, into a fresh schema (skipped where no server answers)."""
    try:
        async with fresh_schema(url) as target:
            moved = await migrate_to_postgresql(source, target)
    except (OSError, asyncpg.PostgresError) as exc:
        return f"migrate --to PostgreSQL: not measured, no server at {url} ({exc})"
    counts = ", ".join(f"{t.table} {t.rows:,}" for t in moved.tables if t.rows >= 10_000)
    return f"migrate --to PostgreSQL: {moved.rows:,} rows in {moved.seconds:.1f} s, every count matching ({counts})"


@contextlib.asynccontextmanager
async def fresh_schema(url: str) -> AsyncIterator[str]:
    """A URL of a new, empty schema on the server at `url`, dropped afterwards."""
    schema = f"pm_bench_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(url, timeout=5)
    try:
        await connection.execute(f"CREATE SCHEMA {schema}")
        yield f"{url}{'&' if '?' in url else '?'}search_path={schema}"
    finally:
        await connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await connection.close()


async def run_postgresql(url: str, part: str) -> None:
    async with fresh_schema(url) as target:
        await main_async(target, url, part)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="the PostgreSQL server (a schema is made there)")
    parser.add_argument("--keep", type=Path, help="SQLite: write the database here instead of a temporary folder")
    parser.add_argument(
        "--part",
        choices=("all", "server-questions"),
        default="all",
        help="server-questions: only their fill and figures",
    )
    args = parser.parse_args()
    if args.backend == "postgresql":
        asyncio.run(run_postgresql(args.database_url, args.part))
    elif args.keep:
        args.keep.unlink(missing_ok=True)
        asyncio.run(main_async(args.keep, args.database_url, args.part))
    else:
        with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
            asyncio.run(main_async(Path(tmp) / "scale.db", args.database_url, args.part))
    return 0


if __name__ == "__main__":
    sys.exit(main())
