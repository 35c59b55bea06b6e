"""Database benchmark at scale: 10,000 servers with schedules, 100,000 members, 1,000,000 recorded answers.

Times the trivia store's own queries on that database (the code the bot runs): one server's boards as
`/trivia leaderboard` reads them (the period, then `board()`: this week, this month, the season and all time, the
top page and a page further down, each with the caller's place), one member's score, one scheduler tick's reads,
closing a round with 1,000 answers, and start-up (open, migrate, seed and read the catalogue) on the full
database. The rounds are spread over the last twelve weeks, so the weekly and monthly boards hold what they would.

On SQLite (the default: a file) or PostgreSQL (`--backend postgresql`: a fresh schema on `--database-url`,
default TEST_DATABASE_URL or the local server, dropped after). On SQLite it then times `python -m bot migrate`'s
copy of that file into PostgreSQL, where a server answers.

    python -m bench.database [--backend sqlite|postgresql] [--database-url URL] [--keep PATH] [--tiny] [--tick-only]

The servers' schedules are in 400 time zones, half of them daily at a local time (their next slot precomputed,
as the store keeps it), and half the servers have a moment of the day; `--tick-only` fills only those and times
only the scheduler tick. `--tiny` runs the same steps on a small world in a few seconds
(tests/e2e/test_bench_smoke.py does, on both backends): it checks the benchmark still runs, never how fast.
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
from bot.daily.store import DailyStore
from bot.database import Database
from bot.database.postgresql import PostgreSQLDatabase
from bot.operations.migrate import migrate_to_postgresql
from bot.trivia.clock import Daily, zone_names
from bot.trivia.questions import QuestionTemplate, build, question_pool
from bot.trivia.rules import ALL_TIME, MONTH, PERIODS, SEASON, WEEK, month_key, week_key
from bot.trivia.server_questions.pack import Proposed
from bot.trivia.server_questions.picking import pick
from bot.trivia.server_questions.store import ServerQuestionStore
from bot.trivia.store import Board, Click, TriviaStore
from bot.trivia.store.models import following_slot, missed

BIG_GUILD = 1  # the server whose boards are timed
ZONES = 400  # the servers' time zones, spread over the IANA list
ANSWERS_PER_ROUND = 100
LATER_PAGE = 49  # "a page further down": page 50, or the board's last when it has fewer
NOW = 1_800_000_000.0
SPREAD = 84 * 86_400.0  # the rounds' closing times cover the twelve weeks before NOW
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
COLUMNS = {  # the filled tables' columns, in the order of World's rows
    "guild_settings": (
        "guild_id",
        "channel_id",
        "interval_minutes",
        "answer_seconds",
        "next_round_at",
        "timezone",
        "daily_time",
        "daily_weekdays",
    ),
    "daily_moments": ("guild_id", "channel_id", "post_time", "next_post_at"),
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


@dataclass(frozen=True)
class Sizes:
    """How big the world is, and how often each operation is timed."""

    guilds: int = 10_000
    members: int = 100_000
    answers: int = 1_000_000
    big_guild_members: int = 20_000  # the members of BIG_GUILD, whose boards are timed
    storm: int = 1_000  # answers in each round whose close is timed
    closes: int = 11  # rounds of `storm` answers closed, one after another (the median of 11 steadies the figure)
    repeat: int = 200  # timings of each read
    question_servers: int = 1_000  # servers (1 to this) holding `server_questions` accepted questions each
    server_questions: int = 5_000
    pack: int = 1_000  # questions in the pack whose import is timed


FULL = Sizes()
TINY = Sizes(
    guilds=20,
    members=300,
    answers=3_000,
    big_guild_members=120,
    storm=30,
    closes=3,
    repeat=3,
    question_servers=3,
    server_questions=40,
    pack=20,
)


@dataclass
class World:
    """The rows of each filled table (see COLUMNS)."""

    sizes: Sizes
    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def summary(self) -> str:
        t = self.tables
        return (
            f"{self.sizes.guilds:,} servers, {len(t['scores']):,} member scores (all time, week, month, season),"
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


def members_of(guild: int, sizes: Sizes) -> range:
    """Member ids of a guild: the big one has 20,000, the other 9,999 share the remaining 80,000."""
    if guild == BIG_GUILD:
        return range(1, sizes.big_guild_members + 1)
    others, shares = sizes.members - sizes.big_guild_members, sizes.guilds - 1
    first = sizes.big_guild_members + 1
    return range(first + (guild - 2) * others // shares, first + (guild - 1) * others // shares)


def generate(sizes: Sizes) -> World:
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
    schedules = generate_schedules(rng, sizes)
    rounds: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    scores: dict[tuple[int, int], Tally] = {}
    round_id = 0
    while len(answers) < sizes.answers:
        round_id += 1
        guild = BIG_GUILD if round_id % 5 == 0 else rng.randint(2, sizes.guilds)
        opened = NOW - SPREAD + SPREAD * len(answers) / sizes.answers - 60  # spread evenly by answers
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
        people = members_of(guild, sizes)
        week, month = week_key(closed), month_key(closed)
        for user in rng.sample(people, min(ANSWERS_PER_ROUND, len(people))):
            choice = rng.randrange(len(question.options))
            answers.append((guild, round_id, user, choice, f"member{user}", opened + 1))
            scores.setdefault((guild, user), Tally()).add(int(choice == question.answer), week, month)
    for guild in range(1, sizes.guilds + 1):  # members who never answered still have a (zero) score row
        for user in members_of(guild, sizes):
            scores.setdefault((guild, user), Tally())
    return World(
        sizes,
        {
            **schedules.tables,
            "rounds": rounds,
            "answers": answers,
            "scores": [(g, u, f"member{u}", *tally.row()) for (g, u), tally in scores.items()],
        },
    )


def generate_schedules(rng: random.Random, sizes: Sizes) -> World:
    """Every server's schedule in one of ZONES time zones: half every N minutes, half daily at a local time on some
    weekdays (next_round_at its next slot, as the store precomputes it); half the servers with a moment of the
    day."""
    names = zone_names()
    zones = [names[i * len(names) // ZONES] for i in range(ZONES)]
    settings, daily = [], []
    for g in range(1, sizes.guilds + 1):
        zone_name = zones[g % ZONES]
        if g % 2:
            slot = Daily(rng.randrange(1440), rng.randrange(1, 128), zone_name)
            first = slot.next_after(NOW - 120)
            settings.append((g, 10_000_000 + g, 1440, 30, first, zone_name, slot.minutes, slot.days))
        else:
            every = rng.choice((1, 5, 60, 1440))
            settings.append((g, 10_000_000 + g, every, 30, NOW + rng.uniform(-3, 3600), zone_name, None, None))
        if g % 2 == 0:
            moment = Daily(rng.randrange(1440), zone_name=zone_name)
            daily.append((g, 10_000_000 + g, moment.minutes, moment.next_after(NOW - 120)))
    return World(sizes, {"guild_settings": settings, "daily_moments": daily})


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


async def measure(target: str | Path, sizes: Sizes) -> dict[str, dict[str, float]]:
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
        results |= await time_boards(store, sizes)
        some_member = sizes.big_guild_members // 2
        results["score of one member"] = await timed(sizes.repeat, lambda: store.score(BIG_GUILD, some_member))
        results["/trivia score (season and all time)"] = await timed(
            sizes.repeat, lambda: store.standing(BIG_GUILD, some_member)
        )

        results.update(await time_tick(db, store, sizes))
        closes = await time_closes(store, question_pool(catalogue), rng, sizes)
        results[f"close a round with {sizes.storm:,} answers"] = closes
    finally:
        await db.close()
    return results


async def leaderboard(store: TriviaStore, kind: str, user_id: int, page: int) -> Board:
    """What `/trivia leaderboard period:...` (page 0) and its ◀ ▶ (a later page) read: the period, then its board
    with the caller's place."""
    return await store.board(BIG_GUILD, user_id, await store.period(BIG_GUILD, kind, NOW), page)


async def time_boards(store: TriviaStore, sizes: Sizes) -> dict[str, dict[str, float]]:
    """Every period's board of the big server, its top page and a later one, for a caller half way down."""
    results: dict[str, dict[str, float]] = {}
    caller = sizes.big_guild_members // 2
    for kind in (WEEK, MONTH, SEASON, ALL_TIME):
        top = await leaderboard(store, kind, caller, 0)
        later = min(LATER_PAGE, top.pages - 1)
        name = f"{PERIODS[kind]} board ({top.members:,} members)"
        results[f"{name}, page 1"] = await timed(sizes.repeat, functools.partial(leaderboard, store, kind, caller, 0))
        results[f"{name}, page {later + 1}"] = await timed(
            sizes.repeat, functools.partial(leaderboard, store, kind, caller, later)
        )
    return results


def tick_name(sizes: Sizes) -> str:
    return f"scheduler tick ({sizes.guilds:,} servers in {ZONES} zones, half daily)"


async def time_tick(db: Database, store: TriviaStore, sizes: Sizes) -> dict[str, dict[str, float]]:
    """One tick of the schedulers: trivia's reads (unposted, due to close, to reveal, schedules due) with the next
    slot of each due schedule computed in its zone (what moving it on takes), and the moments of the day due."""
    daily = DailyStore(db)

    async def tick() -> None:
        await store.abandoned_rounds(NOW, opened_before=NOW - 600)
        await store.rounds_due_to_close(NOW)
        await store.rounds_to_reveal(NOW, within=86_400)
        for due in await store.guilds_due(NOW):
            assert due.next_round_at is not None
            if not missed(due, due.next_round_at, NOW):
                following_slot(due, due.next_round_at, NOW)
        await daily.due(NOW)

    return {tick_name(sizes): await timed(sizes.repeat, tick)}


async def time_closes(
    store: TriviaStore, pool: list[QuestionTemplate], rng: random.Random, sizes: Sizes
) -> dict[str, float]:
    """Close `sizes.closes` rounds of the big server, one after another, each with `sizes.storm` answers; time
    each close."""
    times = []
    for n in range(sizes.closes):
        now = NOW + n * 100
        opened = await store.open_round(BIG_GUILD, pool, rng, now)
        posted = await store.mark_posted(opened.id, 99_000_000 + n, now)
        assert posted is not None and posted.message_id is not None and posted.closes_at is not None
        for user in range(1, sizes.storm + 1):
            click = Click(posted.id, user % 4, BIG_GUILD, posted.message_id, user, f"member{user}")
            await store.record_answer(click, now + 1)
        began = time.perf_counter()
        await store.close_round(posted.id, posted.closes_at + 1)
        times.append((time.perf_counter() - began) * 1000)
    return {"median_ms": statistics.median(times), "max_ms": max(times), "runs": sizes.closes}


def server_question_rows(sizes: Sizes) -> Iterator[tuple[Any, ...]]:
    """The question servers' accepted questions (a generator: 5,000,000 rows are never all in memory)."""
    options = json.dumps(["First option", "Second option", "Third option"])
    for guild in range(1, sizes.question_servers + 1):
        for n in range(sizes.server_questions):
            yield (guild, "accepted", f"Server {guild}'s question number {n}?", options, n % 3, None, 7, "m", NOW, NOW)


SQ_COLUMNS = ("guild_id", "status", "prompt", "options", "answer", "why", "author_id", "author_name")
SQ_COLUMNS += ("proposed_at", "decided_at")
ASKED_COLUMNS = ("guild_id", "question_key")


async def fill_server_questions(target: str | Path, sizes: Sizes) -> None:
    """The server questions, and a cycle half asked in the timed server (2,500 of its 5,000)."""
    asked = [(BIG_GUILD, f"server:{i}") for i in range(1, sizes.server_questions + 1, 2)]
    if isinstance(target, Path):
        with sqlite3.connect(target) as db:
            marks = ", ".join("?" * len(SQ_COLUMNS))
            db.executemany(
                f"INSERT INTO server_questions ({', '.join(SQ_COLUMNS)}) VALUES ({marks})", server_question_rows(sizes)
            )
            db.executemany("INSERT INTO asked_questions (guild_id, question_key) VALUES (?, ?)", asked)
        return
    db = await database.open_database(target)
    assert isinstance(db, PostgreSQLDatabase)
    try:
        async with db.pool.acquire() as connection:
            await connection.copy_records_to_table(
                "server_questions", records=server_question_rows(sizes), columns=SQ_COLUMNS
            )
            await connection.copy_records_to_table(
                "asked_questions", records=asked, columns=("guild_id", "question_key")
            )
            await connection.execute("VACUUM ANALYZE server_questions")
            await connection.execute("VACUUM ANALYZE asked_questions")
    finally:
        await db.close()


async def measure_server_questions(target: str | Path, sizes: Sizes) -> dict[str, dict[str, float]]:
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

        own = f"{sizes.server_questions:,} own, half asked"
        results[f"pick the next question ({own})"] = await timed(sizes.repeat, next_question)
        results["pick, server questions only"] = await timed(sizes.repeat, server_only)
        results["scheduler tick (reads)"] = await timed(sizes.repeat, tick)
        pack = [Proposed(f"Pack question number {n}?", ("yes", "no", "maybe"), n % 3) for n in range(sizes.pack)]
        guilds = iter(range(sizes.guilds + 1, sizes.guilds + 100))
        results[f"import a pack of {sizes.pack:,} questions"] = await timed(
            5, lambda: questions.import_pack(next(guilds), pack, NOW)
        )
    finally:
        await db.close()
    return results


def report(results: dict[str, dict[str, float]]) -> str:
    lines = [f"{'operation':<60}{'median ms':>12}{'max ms':>10}{'runs':>6}"]
    lines += [f"{name:<60}{r['median_ms']:>12.2f}{r['max_ms']:>10.2f}{r['runs']:>6.0f}" for name, r in results.items()]
    return "\n".join(lines)


async def tick_only(target: str | Path, sizes: Sizes) -> None:
    """`--tick-only`: only the schedules (in 400 zones), and only the scheduler tick timed."""
    db = await database.open_database(target)
    world = generate_schedules(random.Random(42), sizes)
    if isinstance(db, PostgreSQLDatabase):
        await fill_postgresql(db, world)
    else:
        fill_sqlite(Path(target), world)
    try:
        print(f"backend: {db.backend}\n" + report(await time_tick(db, TriviaStore(db), sizes)))
    finally:
        await db.close()


async def run(target: str | Path, url: str, sizes: Sizes, part: str = "all") -> str:
    """Fill the database at `target` (the bot's own schema) with a world of `sizes`, time it, and say so."""
    if part == "server-questions":
        return await server_questions_only(target, sizes)
    db = await database.open_database(target)
    began = time.perf_counter()
    world = generate(sizes)
    if isinstance(db, PostgreSQLDatabase):
        await fill_postgresql(db, world)
    else:
        fill_sqlite(Path(target), world)
    await db.close()
    print(f"filled ({db.backend}): {world.summary()}", flush=True)
    print(f"(filling took {time.perf_counter() - began:.1f} s; not part of the figures)", flush=True)
    text = f"backend: {db.backend}\n" + report(await measure(target, sizes))
    if isinstance(target, Path):
        text += "\n" + await time_migration(target, url)
    return text


async def main_async(target: str | Path, url: str, sizes: Sizes, part: str = "all") -> None:
    text = await run(target, url, sizes, part)
    print(text)
    if sizes == FULL:
        RESULTS.mkdir(parents=True, exist_ok=True)
        backend = "postgresql" if isinstance(target, str) else "sqlite"
        name = f"database-{backend}.txt" if part == "all" else f"database-{part}-{backend}.txt"
        (RESULTS / name).write_text(text + "\n")


async def server_questions_only(target: str | Path, sizes: Sizes) -> str:
    """`--part server-questions`: the scheduled servers and the server questions only, then their figures."""
    began = time.perf_counter()
    world = generate_schedules(random.Random(42), sizes)
    db = await database.open_database(target)  # the bot's own schema
    if isinstance(db, PostgreSQLDatabase):
        await fill_postgresql(db, world)
    else:
        fill_sqlite(Path(target), world)
    await db.close()
    await fill_server_questions(target, sizes)
    backend = "sqlite" if isinstance(target, Path) else "postgresql"
    held = sizes.question_servers * sizes.server_questions
    print(f"filled ({backend}): {sizes.guilds:,} servers, {held:,} server questions", flush=True)
    print(f"(filling took {time.perf_counter() - began:.1f} s; not part of the figures)", flush=True)
    return f"backend: {backend}\n" + report(await measure_server_questions(target, sizes))


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


async def run_postgresql(url: str, sizes: Sizes, part: str) -> None:
    async with fresh_schema(url) as target:
        await main_async(target, url, sizes, part)


async def run_tick_only(backend: str, url: str, sizes: Sizes) -> None:
    if backend == "postgresql":
        async with fresh_schema(url) as target:
            await tick_only(target, sizes)
        return
    with tempfile.TemporaryDirectory(prefix="bench-tick-") as tmp:
        await tick_only(Path(tmp) / "tick.db", sizes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="the PostgreSQL server (a schema is made there)")
    parser.add_argument("--keep", type=Path, help="SQLite: write the database here instead of a temporary folder")
    parser.add_argument("--tiny", action="store_true", help="a small world, to check the benchmark runs")
    parser.add_argument("--tick-only", action="store_true", help="fill only the schedules; time only the tick")
    parser.add_argument(
        "--part",
        choices=("all", "server-questions"),
        default="all",
        help="server-questions: only their fill and figures",
    )
    args = parser.parse_args()
    sizes = TINY if args.tiny else FULL
    if args.tick_only:
        asyncio.run(run_tick_only(args.backend, args.database_url, sizes))
    elif args.backend == "postgresql":
        asyncio.run(run_postgresql(args.database_url, sizes, args.part))
    elif args.keep:
        args.keep.unlink(missing_ok=True)
        asyncio.run(main_async(args.keep, args.database_url, sizes, args.part))
    else:
        with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
            asyncio.run(main_async(Path(tmp) / "scale.db", args.database_url, sizes, args.part))
    return 0


if __name__ == "__main__":
    sys.exit(main())
