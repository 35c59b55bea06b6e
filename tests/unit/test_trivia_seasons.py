"""Leaderboards by period (week, month, season, all time) and seasons, in the store. No Discord."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import database
from bot.catalogue import load_catalogue
from bot.database import Database
from bot.database import sqlite as sqlite_backend
from bot.trivia.questions import QuestionTemplate, question_pool
from bot.trivia.rules import ALL_TIME, MONTH, SEASON, WEEK, month_key, week_key
from bot.trivia.store import Period, Placed, TriviaStore
from tests.unit.test_trivia_store import GUILD, OTHER_GUILD, _click, _open, _ready

# Friday 15 January 2027, 08:00 UTC (T0 of test_trivia_store); its week began on Monday the 11th.
T0 = 1_800_000_000.0
DAY = 86_400.0


@pytest.fixture
async def db(database_target: str | Path) -> AsyncIterator[Database]:
    """On SQLite, then on PostgreSQL (tests/conftest.py)."""
    connection = await database.open_database(database_target)
    yield connection
    await connection.close()


@pytest.fixture
def store(db: Database) -> TriviaStore:
    return TriviaStore(db)


@pytest.fixture(scope="module")
def pool() -> list[QuestionTemplate]:
    return question_pool(load_catalogue())


def _utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("when", "week", "month"),
    [
        ("2027-01-15T08:00:00", "2027-01-11", "2027-01"),
        ("2027-01-11T00:00:00", "2027-01-11", "2027-01"),  # Monday 00:00 starts a week
        ("2027-01-10T23:59:59", "2027-01-04", "2027-01"),  # Sunday night is still the week before
        ("2027-02-01T00:00:00", "2027-02-01", "2027-02"),
        ("2027-01-31T23:59:59", "2027-01-25", "2027-01"),
        ("2026-12-31T12:00:00", "2026-12-28", "2026-12"),  # a week across the new year is the Monday's
    ],
)
def test_weeks_start_on_monday_and_months_on_the_first_in_utc(when: str, week: str, month: str) -> None:
    assert (week_key(_utc(when)), month_key(_utc(when))) == (week, month)


async def _play(
    store: TriviaStore, pool: list[QuestionTemplate], now: float, right: list[int], wrong: list[int]
) -> None:
    """One round at `now`: members in `right` choose the right answer, those in `wrong` a wrong one."""
    opened = await _open(store, pool, random.Random(now), now)
    answer = opened.question.answer
    for user in right:
        await _click(store, opened, user, answer, f"m{user}", now + 1)
    for user in wrong:
        await _click(store, opened, user, (answer + 1) % len(opened.question.options), f"m{user}", now + 1)
    assert await store.close_round(opened.id, now + 30) is not None


def _points(top: Iterable[Placed]) -> list[tuple[int, int, int]]:
    return [(p.score.user_id, p.score.points, p.score.rounds_answered) for p in top]


async def test_rounds_in_two_weeks_land_on_their_own_weekly_boards_and_all_time(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    await _play(store, pool, T0, right=[1], wrong=[2, 4])  # Friday 15 January
    first = await store.board(GUILD, 1, Period(WEEK, "2027-01-11"))
    assert _points(first.top) == [(1, 1, 1), (2, 0, 1), (4, 0, 1)]
    await _play(store, pool, T0 + 4 * DAY, right=[2], wrong=[1])  # Tuesday 19 January: the next week
    await _play(store, pool, T0 + 4 * DAY + 60, right=[2, 3], wrong=[])
    second = await store.board(GUILD, 1, Period(WEEK, "2027-01-18"))
    assert _points(second.top) == [(2, 2, 2), (3, 1, 1), (1, 0, 1)]  # from zero; 4 has not played this week
    month = [(2, 2, 3), (3, 1, 1), (1, 1, 2), (4, 0, 1)]
    assert _points((await store.board(GUILD, 1, Period(MONTH, "2027-01"))).top) == month
    assert _points((await store.board(GUILD, 1, Period(ALL_TIME, ""))).top) == month
    assert (await store.period(GUILD, WEEK, T0 + 4 * DAY)) == Period(WEEK, "2027-01-18")
    assert (await store.period(GUILD, SEASON, T0)) == Period(SEASON, "1")
    assert (await store.board(OTHER_GUILD, 1, Period(WEEK, "2027-01-18"))).members == 0  # boards are per server


async def test_a_board_pages_by_ten_with_shared_places_across_pages(store: TriviaStore, db: Database) -> None:
    # 25 members: user u has 30 - u points in 30 rounds, but 10 ties 9 (so page 2 starts inside a tie).
    rows = [(GUILD, u, "2027-01-11", 21 if u in (9, 10) else 30 - u, 30) for u in range(25)]
    await db.execute_many(
        "INSERT INTO scores (guild_id, user_id, week, week_points, week_rounds) VALUES (?, ?, ?, ?, ?)", rows
    )
    period = Period(WEEK, "2027-01-11")
    first, second, third = [await store.board(GUILD, 24, period, page) for page in range(3)]
    assert (first.members, first.pages) == (25, 3)
    assert [p.score.user_id for p in first.top] == list(range(10))
    assert [p.place for p in first.top][-2:] == [9, 10]
    assert [p.place for p in second.top][:3] == [10, 12, 13]  # user 10 ties 9 on page 1; 11 has 19 points
    assert [p.score.user_id for p in third.top] == list(range(20, 25))
    assert third.caller is not None and third.caller.place == 25 and third.caller.score.user_id == 24
    assert first.caller is not None and first.caller.place == 25  # the caller's place on every page


async def test_a_new_season_starts_from_zero_and_all_time_keeps_counting(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    await _play(store, pool, T0, right=[1, 2], wrong=[3])
    ended = await store.end_season(GUILD, 1, T0 + 100)
    assert ended is not None and ended.number == 1
    assert _points(ended.final.top) == [(1, 1, 1), (2, 1, 1), (3, 0, 1)]
    assert await store.end_season(GUILD, 1, T0 + 101) is None  # the same confirmation twice ends it once
    assert await store.current_season(GUILD) == 2
    fresh = await store.board(GUILD, 1, await store.period(GUILD, SEASON, T0 + 200))
    assert fresh.period == Period(SEASON, "2") and fresh.top == () and fresh.caller is None
    await _play(store, pool, T0 + 200, right=[3], wrong=[])
    assert _points((await store.board(GUILD, 1, Period(SEASON, "2"))).top) == [(3, 1, 1)]
    assert _points((await store.board(GUILD, 1, Period(ALL_TIME, ""))).top) == [(1, 1, 1), (2, 1, 1), (3, 1, 2)]
    standing = await store.standing(GUILD, 3)
    assert standing.season == 2 and standing.this_season is not None and standing.all_time is not None
    assert (standing.this_season.score.points, standing.this_season.place) == (1, 1)
    assert (standing.all_time.score.points, standing.all_time.score.rounds_answered) == (1, 2)
    past = await store.past_season(GUILD, 1, 2)
    assert past is not None and past.ended_at == T0 + 100 and _points(past.final.top) == _points(ended.final.top)
    assert past.final.caller is not None and past.final.caller.place == 1
    assert await store.past_season(GUILD, 2, 2) is None  # season 2 is still running
    assert await store.current_season(OTHER_GUILD) == 1  # seasons are numbered per server


async def test_a_round_open_while_the_season_ends_counts_in_the_new_season_once(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    opened = await _open(store, pool, random.Random(3), T0)
    await _click(store, opened, 1, opened.question.answer, "m1", T0 + 1)
    assert await store.end_season(GUILD, 1, T0 + 5) is not None
    await store.close_round(opened.id, T0 + 30)
    await store.close_round(opened.id, T0 + 31)
    assert (await store.board(GUILD, 1, Period(SEASON, "1"))).top == ()
    assert _points((await store.board(GUILD, 1, Period(SEASON, "2"))).top) == [(1, 1, 1)]
    assert _points((await store.board(GUILD, 1, Period(ALL_TIME, ""))).top) == [(1, 1, 1)]


async def test_a_round_closing_as_the_season_ends_counts_in_exactly_one(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    for n in range(5):
        opened = await _open(store, pool, random.Random(n), T0 + n * 100)
        await _click(store, opened, 1, opened.question.answer, "m1", T0 + n * 100 + 1)
        await asyncio.gather(
            store.close_round(opened.id, T0 + n * 100 + 30), store.end_season(GUILD, n + 1, T0 + n * 100 + 30)
        )
    seasons = [(await store.board(GUILD, 1, Period(SEASON, str(s)))).top for s in range(1, 7)]
    assert sum(top[0].score.points for top in seasons if top) == 5
    all_time = await store.score(GUILD, 1)
    assert all_time is not None and all_time.score.points == 5


async def test_upgrade_from_schema_4_makes_season_one_and_keeps_each_members_latest_week_and_month(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v4.db"
    with sqlite3.connect(path) as old:
        for script in sqlite_backend.MIGRATIONS[:4]:
            for statement in sqlite_backend.split_statements(script):
                old.execute(statement)
        old.execute("PRAGMA user_version = 4")
        question = '{"key": "k", "kind": "k", "prompt": "?", "options": ["a", "b"], "answer": 1}'
        old.executemany(
            "INSERT INTO rounds (id, guild_id, channel_id, message_id, question_key, question, answer_seconds,"
            " opened_at, closes_at, closed_at, failed) VALUES (?, 1, 5, ?, 'k', ?, 30, 0, 1, ?, ?)",
            [(1, 91, question, T0, 0), (2, 92, question, T0 + 4 * DAY, 0), (3, None, question, T0, 1)],
        )
        old.executemany(
            "INSERT INTO answers (round_id, user_id, choice, answered_at) VALUES (?, 7, ?, 0)", [(1, 1), (2, 0)]
        )
        old.execute(
            "INSERT INTO scores (guild_id, user_id, display_name, points, rounds_answered) VALUES (1, 7, 'A', 1, 2)"
        )
    db = await database.open_database(path)
    try:
        assert await db.schema_version() == len(sqlite_backend.MIGRATIONS)
        row = await db.fetch_one(
            "SELECT points, rounds_answered, week, week_points, week_rounds, month, month_points, month_rounds,"
            " season, season_points, season_rounds FROM scores WHERE guild_id = 1 AND user_id = 7"
        )
        assert row is not None and tuple(row) == (1, 2, "2027-01-18", 0, 1, "2027-01", 1, 2, 1, 1, 2)
        assert await TriviaStore(db).current_season(1) == 1
    finally:
        await db.close()


async def _at_schema_7(target: str | Path) -> None:
    """A database made by the bot before migration 8: period_scores, with season 1 ended in server 1."""
    statements = [
        "INSERT INTO guild_settings (guild_id, season) VALUES (1, 2)",
        f"INSERT INTO seasons (guild_id, number, ended_at) VALUES (1, 1, {T0})",
        "INSERT INTO scores (guild_id, user_id, display_name, points, rounds_answered)"
        " VALUES (1, 7, 'A', 5, 9), (1, 8, 'B', 1, 1), (2, 7, 'A', 2, 2)",
        "INSERT INTO period_scores (guild_id, period_kind, period_key, user_id, points, rounds_answered) VALUES"
        " (1, 'season', '1', 7, 4, 6), (1, 'season', '1', 8, 1, 1), (1, 'season', '2', 7, 1, 3),"
        " (1, 'week', '2027-01-04', 7, 2, 2), (1, 'week', '2027-01-11', 7, 1, 3), (1, 'month', '2027-01', 7, 3, 5),"
        " (2, 'season', '1', 7, 2, 2), (2, 'week', '2027-01-04', 7, 2, 2)",
    ]
    if isinstance(target, Path):
        with sqlite3.connect(target) as old:
            for script in sqlite_backend.MIGRATIONS[:7]:
                for statement in sqlite_backend.split_statements(script):
                    old.execute(statement)
            for statement in statements:
                old.execute(statement)
            old.execute("PRAGMA user_version = 7")
        return
    import asyncpg

    from bot.database import postgresql as postgresql_backend

    connection = await asyncpg.connect(target)
    try:
        async with connection.transaction():
            for script in postgresql_backend.MIGRATIONS[:7]:
                await connection.execute(script)
            for statement in statements:
                await connection.execute(statement)
            await connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            await connection.execute("INSERT INTO schema_version (version) VALUES (7)")
    finally:
        await connection.close()


async def test_upgrade_to_schema_8_keeps_every_current_board_and_each_ended_seasons_final_board(
    database_target: str | Path,
) -> None:
    await _at_schema_7(database_target)
    db = await database.open_database(database_target)
    try:
        store = TriviaStore(db)
        assert await db.schema_version() == len(sqlite_backend.MIGRATIONS)
        assert _points((await store.board(1, 7, Period(WEEK, "2027-01-11"))).top) == [(7, 1, 3)]
        assert _points((await store.board(1, 7, Period(WEEK, "2027-01-04"))).top) == []  # 7's latest week is later
        assert _points((await store.board(2, 7, Period(WEEK, "2027-01-04"))).top) == [(7, 2, 2)]
        assert _points((await store.board(1, 7, Period(MONTH, "2027-01"))).top) == [(7, 3, 5)]
        assert _points((await store.board(1, 7, Period(SEASON, "2"))).top) == [(7, 1, 3)]
        past = await store.past_season(1, 1, 8)
        assert past is not None and _points(past.final.top) == [(7, 4, 6), (8, 1, 1)]
        assert [p.score.display_name for p in past.final.top] == ["A", "B"]
        assert _points((await store.board(2, 7, Period(SEASON, "1"))).top) == [(7, 2, 2)]  # server 2: still 1
        assert _points((await store.board(1, 7, Period(ALL_TIME, ""))).top) == [(7, 5, 9), (8, 1, 1)]
    finally:
        await db.close()


async def test_forgetting_a_member_or_a_server_deletes_their_season_scores_and_seasons(
    store: TriviaStore, db: Database, pool: list[QuestionTemplate]
) -> None:
    from bot.privacy.store import PrivacyStore

    await _ready(store)
    await _play(store, pool, T0, right=[1], wrong=[2])
    await store.end_season(GUILD, 1, T0 + 100)
    privacy = PrivacyStore(db)
    await privacy.forget_member(1)
    assert [p.score.user_id for p in (await store.board(GUILD, 2, Period(SEASON, "1"))).top] == [2]
    assert (await store.board(GUILD, 1, Period(WEEK, "2027-01-11"))).caller is None
    await privacy.forget_server(GUILD)
    assert list(await db.fetch("SELECT * FROM season_scores")) == []
    assert list(await db.fetch("SELECT * FROM seasons")) == []
    assert await store.current_season(GUILD) == 1
