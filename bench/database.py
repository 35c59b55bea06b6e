"""Database benchmark at scale: 10,000 servers with schedules, 100,000 members, 1,000,000 recorded answers.

Times the trivia store's own queries on that database (the code the bot runs): one server's leaderboard (all
time, this week, this month, the season, and a page further down), one member's score, one scheduler tick's
reads, closing a round with 1,000 answers, and start-up (open, migrate, seed and read the catalogue) on the full
file. The rounds are spread over the last twelve weeks, so the weekly and monthly boards hold what they would.

    python -m bench.database [--keep PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot import database
from bot.catalogue import load_catalogue
from bot.trivia.questions import build, question_pool
from bot.trivia.rules import MONTH, SEASON, WEEK, month_key, week_key
from bot.trivia.store import Click, Period, TriviaStore

GUILDS = 10_000
MEMBERS = 100_000
ANSWERS = 1_000_000
BIG_GUILD = 1  # the server whose leaderboard is timed: 20,000 of the members
BIG_GUILD_MEMBERS = 20_000
ANSWERS_PER_ROUND = 100
STORM = 1_000
NOW = 1_800_000_000.0
SPREAD = 84 * 86_400.0  # the rounds' closing times cover the twelve weeks before NOW
RESULTS = Path(__file__).resolve().parent / "results"


def members_of(guild: int) -> range:
    """Member ids of a guild: the big one has 20,000, the other 9,999 share the remaining 80,000."""
    if guild == BIG_GUILD:
        return range(1, BIG_GUILD_MEMBERS + 1)
    others, shares = MEMBERS - BIG_GUILD_MEMBERS, GUILDS - 1
    first = BIG_GUILD_MEMBERS + 1
    return range(first + (guild - 2) * others // shares, first + (guild - 1) * others // shares)


def fill(path: Path) -> None:
    """Write the scale data with plain sqlite3 (fast bulk inserts), on the schema the bot migrated."""
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
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.executemany(
            "INSERT INTO guild_settings (guild_id, channel_id, interval_minutes, answer_seconds, next_round_at)"
            " VALUES (?, ?, ?, 30, ?)",
            [
                (g, 10_000_000 + g, rng.choice((1, 5, 60, 1440)), NOW + rng.uniform(-3, 3600))
                for g in range(1, GUILDS + 1)
            ],
        )
        rounds, answers, scores = [], [], {}
        periods: dict[tuple[int, str, str, int], tuple[int, int]] = {}
        round_id = 0
        while len(answers) < ANSWERS:
            round_id += 1
            guild = BIG_GUILD if round_id % 5 == 0 else rng.randint(2, GUILDS)
            opened = NOW - SPREAD + SPREAD * len(answers) / ANSWERS - 60  # spread evenly by answers
            rounds.append(
                (
                    round_id,
                    guild,
                    10_000_000 + guild,
                    round_id,
                    question.key,
                    question_json,
                    opened,
                    opened + 30,
                    opened + 30,
                )
            )
            people = members_of(guild)
            for user in rng.sample(people, min(ANSWERS_PER_ROUND, len(people))):
                choice = rng.randrange(len(question.options))
                answers.append((round_id, user, choice, f"member{user}", opened + 1))
                points, answered = scores.get((guild, user), (0, 0))
                scores[(guild, user)] = (points + (choice == question.answer), answered + 1)
                for kind, key in ((WEEK, week_key(opened + 30)), (MONTH, month_key(opened + 30)), (SEASON, "1")):
                    points, answered = periods.get((guild, kind, key, user), (0, 0))
                    periods[(guild, kind, key, user)] = (points + (choice == question.answer), answered + 1)
        db.executemany(
            "INSERT INTO rounds (id, guild_id, channel_id, message_id, question_key, question, opened_at, closes_at,"
            " closed_at, answer_seconds, posted_at, revealed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 30, ?7, ?9)",
            rounds,
        )
        db.executemany(
            "INSERT INTO answers (round_id, user_id, choice, display_name, answered_at) VALUES (?, ?, ?, ?, ?)", answers
        )
        for guild in range(1, GUILDS + 1):  # members who never answered still have a (zero) score row
            for user in members_of(guild):
                scores.setdefault((guild, user), (0, 0))
        db.executemany(
            "INSERT INTO scores (guild_id, user_id, display_name, points, rounds_answered) VALUES (?, ?, ?, ?, ?)",
            [(g, u, f"member{u}", p, n) for (g, u), (p, n) in scores.items()],
        )
        db.executemany(
            "INSERT INTO period_scores (guild_id, period_kind, period_key, user_id, points, rounds_answered)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(g, kind, key, u, p, n) for (g, kind, key, u), (p, n) in periods.items()],
        )
    print(
        f"filled: {GUILDS:,} servers, {len(scores):,} member scores, {len(periods):,} period scores,"
        f" {len(rounds):,} rounds, {len(answers):,} answers",
        flush=True,
    )


async def timed(repeat: int, action: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await action()
        times.append((time.perf_counter() - began) * 1000)
    return {"median_ms": statistics.median(times), "max_ms": max(times), "runs": repeat}


async def measure(path: Path) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    began = time.perf_counter()
    db = await database.open_database(path)
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
            await store.unposted_rounds(opened_before=NOW - 600)
            await store.rounds_due_to_close(NOW)
            await store.rounds_to_reveal(NOW, within=86_400)
            await store.guilds_due(NOW)

        results["scheduler tick (reads)"] = await timed(200, tick)
        pool = question_pool(catalogue)
        opened = await store.open_round(BIG_GUILD, pool, rng, NOW)
        storm_round = await store.mark_posted(opened.id, 99_999_999, NOW)
        assert storm_round is not None and storm_round.message_id is not None and storm_round.closes_at is not None
        for user in range(1, STORM + 1):
            click = Click(storm_round.id, user % 4, BIG_GUILD, storm_round.message_id, user, f"member{user}")
            await store.record_answer(click, NOW + 1)
        closes_at = storm_round.closes_at
        results[f"close a round with {STORM:,} answers"] = await timed(
            1, lambda: store.close_round(storm_round.id, closes_at + 1)
        )
    finally:
        await db.close()
    return results


def report(results: dict[str, dict[str, float]]) -> str:
    lines = [f"{'operation':<44}{'median ms':>12}{'max ms':>10}{'runs':>6}"]
    lines += [f"{name:<44}{r['median_ms']:>12.2f}{r['max_ms']:>10.2f}{r['runs']:>6.0f}" for name, r in results.items()]
    return "\n".join(lines)


async def main_async(path: Path) -> None:
    db = await database.open_database(path)  # the bot's own schema
    await db.close()
    began = time.perf_counter()
    fill(path)
    print(f"(filling took {time.perf_counter() - began:.1f} s; not part of the figures)")
    text = report(await measure(path))
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "database.txt").write_text(text + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="write the database here instead of a temporary folder")
    args = parser.parse_args()
    if args.keep:
        args.keep.unlink(missing_ok=True)
        asyncio.run(main_async(args.keep))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
        asyncio.run(main_async(Path(tmp) / "scale.db"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
