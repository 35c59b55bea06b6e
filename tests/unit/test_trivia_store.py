"""Trivia in the database: rounds, answers (once per member, enforced by the database), scores, schedules."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import pytest

from bot import database
from bot.catalogue import load_catalogue
from bot.database import Database
from bot.database.sqlite import SQLiteDatabase
from bot.shards import Shards
from bot.trivia.questions import QuestionTemplate, question_pool
from bot.trivia.rules import ALL_TIME, MONTH, SEASON, WEEK, month_key, next_slot, week_key
from bot.trivia.store import (
    AnswerResult,
    Click,
    NoChannel,
    Period,
    Reveal,
    Round,
    RoundAlreadyOpen,
    ScheduleChanged,
    TriviaError,
    TriviaStore,
)
from tests.conftest import integrity_errors

GUILD = 111
OTHER_GUILD = 222
CHANNEL = 900
T0 = 1_800_000_000.0
ALL = Period(ALL_TIME, "")


@pytest.fixture
async def db(database_target: str | Path) -> AsyncIterator[Database]:
    """On SQLite, then on PostgreSQL (tests/conftest.py)."""
    connection = await database.open_database(database_target)
    await database.seed_catalogue(connection, load_catalogue())
    yield connection
    await connection.close()


@pytest.fixture
def store(db: Database) -> TriviaStore:
    return TriviaStore(db)


@pytest.fixture(scope="module")
def pool() -> list[QuestionTemplate]:
    return question_pool(load_catalogue())


async def _ready(store: TriviaStore, guild: int = GUILD) -> None:
    await store.set_channel(guild, CHANNEL)


_messages = itertools.count(5000)


async def _open(
    store: TriviaStore,
    pool: list[QuestionTemplate],
    rng: random.Random,
    now: float,
    guild: int = GUILD,
    *,
    scheduled: bool = False,
) -> Round:
    """Open a round and post it at `now` (its answer time starts then)."""
    opened = await store.open_round(guild, pool, rng, now, scheduled=scheduled)
    posted = await store.mark_posted(opened.id, next(_messages), now)
    assert posted is not None
    return posted


def _click(store: TriviaStore, rnd: Round, user: int, choice: int, name: str, now: float) -> Awaitable[AnswerResult]:
    assert rnd.message_id is not None
    return store.record_answer(Click(rnd.id, choice, rnd.guild_id, rnd.message_id, user, name), now)


# --- settings and schedules -----------------------------------------------------------------------


async def test_settings_have_the_product_defaults(store: TriviaStore) -> None:
    settings = await store.settings(GUILD)
    assert settings.channel_id is None and settings.interval_minutes is None
    assert settings.answer_seconds == 30


async def test_answer_time_is_bounded(store: TriviaStore) -> None:
    await store.set_answer_seconds(GUILD, 10)
    await store.set_answer_seconds(GUILD, 600)
    for bad in (9, 601):
        with pytest.raises(TriviaError) as raised:
            await store.set_answer_seconds(GUILD, bad)
    assert (await store.settings(GUILD)).answer_seconds == 600
    assert str(raised.value) == raised.value.text("en") == "The answer time must be between 10 s and 10 min."
    assert raised.value.text("ko") == "답할 시간은 10초에서 10분 사이로 정해 주세요."


async def test_a_schedule_needs_a_channel_and_at_least_a_minute(store: TriviaStore) -> None:
    with pytest.raises(NoChannel):
        await store.set_schedule(GUILD, 5, T0)
    await _ready(store)
    with pytest.raises(TriviaError) as raised:
        await store.set_schedule(GUILD, 0, T0)
    assert raised.value.text("en") == "The schedule must be between 1 and 10080 minutes."
    assert raised.value.text("ko") == "일정 간격은 1분에서 10080분 사이로 정해 주세요."
    with pytest.raises(TriviaError) as bad_zone:
        await store.set_timezone(GUILD, "Mars/Olympus", T0)
    assert bad_zone.value.text("ko").startswith("`Mars/Olympus`은(는) 제가 아는 시간대가 아니에요.")
    assert await store.set_schedule(GUILD, 1, T0) == T0 + 60
    assert await store.guilds_due(T0 + 59) == []
    assert [g.guild_id for g in await store.guilds_due(T0 + 60)] == [GUILD]
    assert await store.stop_schedule(GUILD) is True
    assert await store.stop_schedule(GUILD) is False
    assert await store.guilds_due(T0 + 3600) == []


def test_missed_slots_are_skipped_not_fired_in_a_burst() -> None:
    assert next_slot(T0, 1, T0 - 5) == T0  # not due yet: unchanged
    assert next_slot(T0, 1, T0) == T0 + 60
    assert next_slot(T0, 1, T0 + 30) == T0 + 60
    assert next_slot(T0, 1, T0 + 3600 + 1) == T0 + 3660  # an hour down: the next slot, not sixty rounds
    assert next_slot(T0, 10, T0 + 601) == T0 + 1200


async def test_a_scheduled_round_moves_the_schedule_on(store: TriviaStore, pool: list[QuestionTemplate]) -> None:
    await _ready(store)
    await store.set_schedule(GUILD, 1, T0)
    late = T0 + 60 + 300  # the bot was down for five minutes
    opened = await _open(store, pool, random.Random(0), late, scheduled=True)
    assert opened.closes_at == late + 30
    assert (await store.settings(GUILD)).next_round_at == T0 + 60 * 7
    assert await store.guilds_due(late + 1000) == []  # waits for the open round to close
    await store.close_round(opened.id, late + 30)
    assert [g.guild_id for g in await store.guilds_due(T0 + 60 * 7)] == [GUILD]


async def test_errors_are_recorded_and_cleared(store: TriviaStore) -> None:
    await _ready(store)
    await store.record_error(GUILD, "403 Missing Permissions", T0)
    settings = await store.settings(GUILD)
    assert (settings.last_error, settings.last_error_at) == ("403 Missing Permissions", T0)
    await store.clear_error(GUILD)
    assert (await store.settings(GUILD)).last_error is None


# --- rounds and answers ---------------------------------------------------------------------------


async def test_a_round_needs_a_channel_and_only_one_is_open(store: TriviaStore, pool: list[QuestionTemplate]) -> None:
    rng = random.Random(0)
    with pytest.raises(NoChannel):
        await _open(store, pool, rng, T0, GUILD)
    await _ready(store)
    await _ready(store, OTHER_GUILD)
    first = await _open(store, pool, rng, T0, GUILD)
    with pytest.raises(RoundAlreadyOpen) as refused:
        await _open(store, pool, rng, T0 + 1, GUILD)
    assert refused.value.round.id == first.id
    await _open(store, pool, rng, T0, OTHER_GUILD)  # another server is not affected
    await store.close_round(first.id, T0 + 30)
    await _open(store, pool, rng, T0 + 31, GUILD)


async def test_the_database_itself_refuses_a_second_open_round(
    store: TriviaStore, db: Database, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    await _open(store, pool, random.Random(0), T0, GUILD)
    with pytest.raises(integrity_errors()):
        await db.execute(
            "INSERT INTO rounds (guild_id, channel_id, question_key, question, answer_seconds, opened_at)"
            " VALUES (?, 1, 'k', '{}', 30, 0)",
            GUILD,
        )


async def test_first_click_is_final_and_a_second_is_refused(store: TriviaStore, pool: list[QuestionTemplate]) -> None:
    await _ready(store)
    opened = await _open(store, pool, random.Random(0), T0, GUILD)
    assert await _click(store, opened, 1, 2, "Ann", T0 + 1) is AnswerResult.RECORDED
    assert await _click(store, opened, 1, 0, "Ann", T0 + 2) is AnswerResult.ALREADY
    assert await store.choice_of(GUILD, opened.id, 1) == 2
    # After the answer time, or once closed, nothing is taken.
    assert await _click(store, opened, 2, 0, "Bo", T0 + 30) is AnswerResult.CLOSED
    await store.close_round(opened.id, T0 + 30)
    assert await _click(store, opened, 3, 0, "Cy", T0 + 10) is AnswerResult.CLOSED
    assert await store.record_answer(Click(999_999, 0, GUILD, 1, 1, "Ann"), T0) is AnswerResult.CLOSED


async def test_simultaneous_clicks_count_once(store: TriviaStore, pool: list[QuestionTemplate]) -> None:
    await _ready(store)
    opened = await _open(store, pool, random.Random(0), T0, GUILD)
    clicks = [_click(store, opened, user, user % 4, f"m{user}", T0 + 1) for user in range(1000)]
    clicks += [_click(store, opened, 7, 3, "m7", T0 + 1) for _ in range(50)]  # one member, many clicks
    results = await asyncio.gather(*clicks)
    assert results.count(AnswerResult.RECORDED) == 1000
    assert results.count(AnswerResult.ALREADY) == 50
    reveal = await store.close_round(opened.id, T0 + 30)
    assert reveal is not None and reveal.answers == 1000 and sum(reveal.counts) == 1000


async def test_two_connections_clicking_at_once_still_count_once(
    store: TriviaStore, pool: list[QuestionTemplate], database_target: str | Path
) -> None:
    """Not memory but the database's primary key decides: two processes' worth of connections, same member."""
    await _ready(store)
    opened = await _open(store, pool, random.Random(0), T0, GUILD)
    others = [await database.open_database(database_target) for _ in range(3)]
    try:
        stores = [store, *(TriviaStore(c) for c in others)]
        results = await asyncio.gather(*(_click(s, opened, user, 1, "x", T0 + 1) for user in range(50) for s in stores))
    finally:
        for c in others:
            await c.close()
    assert results.count(AnswerResult.RECORDED) == 50
    assert results.count(AnswerResult.ALREADY) == 150


async def test_closing_scores_right_answers_and_streaks(store: TriviaStore, pool: list[QuestionTemplate]) -> None:
    await _ready(store)
    rng = random.Random(0)
    now = T0
    # Ann is always right, Bo always wrong, Cy right then wrong then right.
    plan = {1: "rrr", 2: "www", 3: "rwr"}
    for n in range(3):
        opened = await _open(store, pool, rng, now, GUILD)
        right = opened.question.answer
        wrong = (right + 1) % len(opened.question.options)
        for user, pattern in plan.items():
            await _click(store, opened, user, right if pattern[n] == "r" else wrong, f"m{user}", now + 1)
        reveal = await store.close_round(opened.id, now + 30)
        assert reveal is not None
        assert reveal.answers == 3
        assert reveal.winner_count == sum(1 for p in plan.values() if p[n] == "r")
        assert set(reveal.winners) == {f"m{u}" for u, p in plan.items() if p[n] == "r"}
        assert await store.close_round(opened.id, now + 31) is None  # closing twice scores once
        now += 60
    ann, bo, cy = [await store.score(GUILD, user) for user in (1, 2, 3)]
    assert ann is not None and bo is not None and cy is not None
    assert (ann.score.points, ann.score.rounds_answered, ann.score.streak, ann.score.best_streak) == (3, 3, 3, 3)
    assert (bo.score.points, bo.score.rounds_answered, bo.score.streak, bo.score.best_streak) == (0, 3, 0, 0)
    assert (cy.score.points, cy.score.rounds_answered, cy.score.streak, cy.score.best_streak) == (2, 3, 1, 1)
    assert (ann.place, cy.place, bo.place) == (1, 2, 3)
    assert await store.score(OTHER_GUILD, 1) is None  # scores are per server


async def test_the_leaderboard_orders_ties_and_places_the_caller(store: TriviaStore, db: Database) -> None:
    rows = [(GUILD, user, f"m{user}", points, answered) for user, points, answered in _board()]
    await db.execute_many(
        "INSERT INTO scores (guild_id, user_id, display_name, points, rounds_answered) VALUES (?, ?, ?, ?, ?)", rows
    )
    await db.execute(
        "INSERT INTO scores (guild_id, user_id, display_name, points, rounds_answered) VALUES (?, 1, 'x', 99, 99)",
        OTHER_GUILD,
    )
    board = await store.board(GUILD, 50, ALL)
    assert [(p.place, p.score.user_id) for p in board.top[:5]] == [(1, 10), (2, 11), (2, 12), (4, 13), (5, 14)]
    assert len(board.top) == 10 and board.members == 17
    assert board.caller is not None and board.caller.score.user_id == 50 and board.caller.place == 14
    mine = await store.board(GUILD, 12, ALL)
    assert mine.caller is not None and mine.caller.place == 2
    nobody = await store.board(GUILD, 12345, ALL)
    assert nobody.caller is None and nobody.members == 17


@pytest.mark.parametrize(("kind", "statements"), [(WEEK, 2), (MONTH, 2), (ALL_TIME, 2), (SEASON, 3)])
async def test_a_board_page_with_the_callers_place_and_its_size_is_read_in_two_statements(
    store: TriviaStore, db: Database, kind: str, statements: int
) -> None:
    """The page, then one statement for the rest (its size, the caller's place, the place of the page's first
    row, the current season); a season's board reads the current season first, to know where its rows are.
    Each statement is a round trip to PostgreSQL."""
    period = Period(kind, {WEEK: week_key(T0), MONTH: month_key(T0), SEASON: "1", ALL_TIME: ""}[kind])
    rows = [(GUILD, user, f"m{user}", points, answered) for user, points, answered in _board()]
    for_all_boards = (week_key(T0), month_key(T0), 1)
    await db.execute_many(
        "INSERT INTO scores (guild_id, user_id, display_name, points, rounds_answered, week, week_points,"
        " week_rounds, month, month_points, month_rounds, season, season_points, season_rounds)"
        " VALUES (?, ?, ?, ?, ?, ?, ?4, ?5, ?7, ?4, ?5, ?8, ?4, ?5)",
        [(*row, *for_all_boards) for row in rows],
    )
    ran: list[float] = []
    db.observe_queries(ran.append)
    try:
        board = await store.board(GUILD, 52, period, page=1)
    finally:
        db.observe_queries(None)
    assert len(ran) == statements
    assert (board.members, [p.place for p in board.top]) == (17, [11, 12, 13, 14, 15, 16, 17])
    assert board.caller is not None and board.caller.place == 17 and board.season == 1
    if isinstance(db, SQLiteDatabase):  # each statement reads ranges of an index, as SQLite plans them
        for plan in await _plans(db, store.board(GUILD, 52, period, page=1)):
            assert "SCAN scores" not in plan and "TEMP B-TREE" not in plan, plan


async def _plans(db: SQLiteDatabase, work: Awaitable[object]) -> list[str]:
    """SQLite's plan of each statement `work` runs (traced)."""
    ran: list[str] = []
    await db.connection.set_trace_callback(ran.append)
    try:
        await work
    finally:
        await db.connection.set_trace_callback(None)
    return [
        " / ".join(str(row[3]) for row in await db.fetch(f"EXPLAIN QUERY PLAN {query}"))
        for query in ran
        if query.startswith("SELECT")
    ]


def _board() -> list[tuple[int, int, int]]:
    """(user, points, rounds answered): 10 leads, 11 and 12 tie, 13 has 12's points in more rounds."""
    board = [(10, 20, 20), (11, 15, 16), (12, 15, 16), (13, 15, 17)]
    board += [(14 + i, 10 - i, 10) for i in range(10)]
    board += [(50, 1, 5), (51, 1, 9), (52, 0, 3)]
    return board


# --- what a restart finds -------------------------------------------------------------------------


async def test_after_a_restart_overdue_rounds_are_found_and_answers_kept(
    database_target: str | Path, pool: list[QuestionTemplate]
) -> None:
    path = database_target
    first = await database.open_database(path)
    store = TriviaStore(first)
    await store.set_channel(GUILD, CHANNEL)
    await store.set_channel(OTHER_GUILD, CHANNEL)
    opened = await store.open_round(GUILD, pool, random.Random(0), T0)
    overdue = await store.mark_posted(opened.id, 4242, T0)
    running = await _open(store, pool, random.Random(1), T0 + 20, OTHER_GUILD)
    assert overdue is not None
    await _click(store, overdue, 1, overdue.question.answer, "Ann", T0 + 1)
    await first.close()

    again = TriviaStore(await database.open_database(path))
    try:
        assert await again.rounds_due_to_close(T0 + 35) == [overdue.id]  # the other closes at T0 + 50
        reloaded = await again.round(overdue.id)
        assert reloaded is not None and reloaded.message_id == 4242 and reloaded.question == overdue.question
        assert await _click(again, running, 2, 0, "Bo", T0 + 35) is AnswerResult.RECORDED
        reveal = await again.close_round(overdue.id, T0 + 35)
        assert reveal is not None and reveal.winners == ("Ann",)
        placed = await again.score(GUILD, 1)
        assert placed is not None and placed.score.points == 1
    finally:
        await again.db.close()


async def test_a_round_that_could_not_be_posted_is_kept_failed_and_its_id_never_reused(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    opened = await store.open_round(GUILD, pool, random.Random(0), T0)
    assert await store.fail_round(opened.id, T0 + 1) is True
    failed = await store.round(opened.id)
    assert failed is not None and failed.failed and not failed.is_open and failed.message_id is None
    assert await store.open_round_of(GUILD) is None
    assert await store.mark_posted(opened.id, 777, T0 + 2) is None  # a late post cannot revive it
    again = await store.open_round(GUILD, pool, random.Random(0), T0 + 1)  # the server can start another
    assert again.id > opened.id
    assert await store.fail_round(again.id, T0 + 2) is True
    third = await store.open_round(GUILD, pool, random.Random(0), T0 + 3)
    assert third.id > again.id  # the highest id failed and is still never handed out again
    assert await store.reveal_of(opened.id) is None  # a failed round has nothing to reveal


async def test_a_click_counts_only_on_its_rounds_own_message_in_its_own_server(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    await _ready(store, OTHER_GUILD)
    rnd = await _open(store, pool, random.Random(0), T0)
    assert rnd.message_id is not None
    elsewhere = Click(rnd.id, 0, OTHER_GUILD, rnd.message_id, 1, "Ann")
    other_message = Click(rnd.id, 0, GUILD, rnd.message_id + 1, 1, "Ann")
    assert await store.record_answer(elsewhere, T0 + 1) is AnswerResult.CLOSED
    assert await store.record_answer(other_message, T0 + 1) is AnswerResult.CLOSED
    assert await _click(store, rnd, 1, 0, "Ann", T0 + 1) is AnswerResult.RECORDED


async def test_an_unposted_round_takes_no_answer_and_does_not_close(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    opened = await store.open_round(GUILD, pool, random.Random(0), T0)
    assert opened.closes_at is None
    assert await store.rounds_due_to_close(T0 + 3600) == []
    assert await store.abandoned_rounds(T0 + 3600, opened_before=T0 + 1) == [opened.id]
    assert await store.record_answer(Click(opened.id, 0, GUILD, 1, 1, "Ann"), T0 + 1) is AnswerResult.CLOSED


async def test_three_refused_posts_in_a_row_pause_the_schedule(store: TriviaStore) -> None:
    await _ready(store)
    await store.set_schedule(GUILD, 5, T0)
    assert await store.record_refused_post(GUILD, "403", T0, pause_after=3) is False
    await store.clear_error(GUILD)  # a post went out in between: the run starts again
    assert await store.record_refused_post(GUILD, "403", T0, pause_after=3) is False
    assert await store.record_refused_post(GUILD, "404", T0, pause_after=3) is False
    assert await store.record_refused_post(GUILD, "403 again", T0, pause_after=3) is True
    paused = await store.settings(GUILD)
    assert paused.paused_reason == "403 again" and paused.next_round_at is None and paused.interval_minutes == 5
    assert await store.guilds_due(T0 + 10_000) == []
    await store.set_schedule(GUILD, 5, T0 + 100)  # /trivia schedule resumes it
    resumed = await store.settings(GUILD)
    assert resumed.paused_reason is None and resumed.post_failures == 0 and resumed.next_round_at == T0 + 400


async def test_a_removed_server_is_never_due_and_carries_on_when_the_bot_is_back(store: TriviaStore) -> None:
    await _ready(store)
    await store.set_schedule(GUILD, 1, T0)
    await store.guild_removed(GUILD, T0 + 1)
    assert await store.removed_guilds() == {GUILD}
    assert await store.guilds_due(T0 + 3600) == []
    await store.guild_returned(GUILD, T0 + 3600)
    back = await store.settings(GUILD)
    assert back.removed_at is None and back.next_round_at == T0 + 3660


async def test_a_stopped_schedule_opens_no_round_that_was_already_found_due(
    store: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    await _ready(store)
    await store.set_schedule(GUILD, 1, T0)
    [due] = await store.guilds_due(T0 + 60)
    await store.stop_schedule(GUILD)  # lands between the scheduler's read and its write
    with pytest.raises(ScheduleChanged):
        await store.open_round(due.guild_id, pool, random.Random(0), T0 + 60, scheduled=True)
    assert await store.open_round_of(GUILD) is None


async def test_a_server_meets_every_question_before_a_repeat(store: TriviaStore, pool: list[QuestionTemplate]) -> None:
    await _ready(store)
    rng = random.Random(11)
    keys = []
    now = T0
    for _ in range(len(pool) + 1):
        opened = await _open(store, pool, rng, now, GUILD)
        keys.append(opened.question.key)
        await store.close_round(opened.id, now + 30)
        now += 60
    assert len(set(keys[:-1])) == len(pool)
    assert keys[-1] != keys[-2]  # the new cycle does not start with the question just asked


# --- the indexes the benchmark relies on ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("SELECT id FROM rounds WHERE closed_at IS NULL AND closes_at <= ? ORDER BY closes_at LIMIT 50", (T0,)),
        (
            "SELECT g.* FROM guild_settings AS g WHERE g.next_round_at IS NOT NULL AND g.next_round_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM rounds AS r WHERE r.guild_id = g.guild_id AND r.closed_at IS NULL)"
            " ORDER BY g.next_round_at LIMIT 50",
            (T0,),
        ),
        ("SELECT * FROM scores WHERE guild_id = ? ORDER BY points DESC, rounds_answered, user_id LIMIT 10", (1,)),
        ("SELECT COUNT(*) FROM scores WHERE guild_id = ? AND points > ?", (1, 3)),
        ("SELECT COUNT(*) FROM scores WHERE guild_id = ? AND points = ? AND rounds_answered < ?", (1, 3, 4)),
        ("SELECT * FROM rounds WHERE guild_id = ? AND closed_at IS NULL", (1,)),
        ("SELECT question_key FROM rounds WHERE guild_id = ? ORDER BY id DESC LIMIT 1", (1,)),
        ("SELECT choice, COUNT(*) FROM answers WHERE round_id = ? GROUP BY choice", (1,)),
        (
            "SELECT id FROM rounds WHERE revealed_at IS NULL AND failed = 0 AND closed_at > ?"
            " ORDER BY closed_at LIMIT 50",
            (T0,),
        ),
        # this week's, this month's and this season's boards (a page, its size, a place): ranges of their indexes
        (
            "SELECT user_id, week_points AS points, week_rounds AS rounds_answered, display_name FROM scores"
            " WHERE guild_id = ? AND week = ? ORDER BY week_points DESC, week_rounds, user_id LIMIT 10 OFFSET 10",
            (1, "2027-01-11"),
        ),
        ("SELECT COUNT(*) FROM scores WHERE guild_id = ? AND month = ?", (1, "2027-01")),
        ("SELECT COUNT(*) FROM scores WHERE guild_id = ? AND season = ? AND season_points > ?", (1, 2, 3)),
        (
            "SELECT COUNT(*) FROM scores WHERE guild_id = ? AND season = ? AND season_points = ? AND season_rounds < ?",
            (1, 2, 3, 4),
        ),
        # an ended season's final board
        (
            "SELECT p.user_id, p.points, COALESCE(s.display_name, '') AS display_name"
            " FROM season_scores AS p LEFT JOIN scores AS s ON s.guild_id = p.guild_id AND s.user_id = p.user_id"
            " WHERE p.guild_id = ? AND p.season = ? ORDER BY p.points DESC, p.rounds_answered, p.user_id LIMIT 10",
            (1, 1),
        ),
        ("SELECT COUNT(*) FROM season_scores AS p WHERE p.guild_id = ? AND p.season = ? AND p.points > ?", (1, 1, 3)),
        ("SELECT * FROM season_scores WHERE user_id = ?", (7,)),
        ("SELECT * FROM scores WHERE user_id = ?", (7,)),
    ],
)
async def test_hot_queries_use_an_index(sqlite_db: Database, query: str, params: tuple[object, ...]) -> None:
    """SQLite's plans (bench/database.py shows PostgreSQL's, at scale, where its planner chooses)."""
    plan = " / ".join(str(row[3]) for row in await sqlite_db.fetch(f"EXPLAIN QUERY PLAN {query}", *params))
    assert "USING" in plan and "SCAN" not in plan.replace("SCAN CONSTANT ROW", ""), plan
    if "ORDER BY" in query:
        assert "TEMP B-TREE" not in plan, plan  # the index gives the order: no sort


# --- shards and several processes on one database --------------------------------------------------


def _on_shard(shard: int, n: int = 1) -> int:
    """A server id on `shard` of 2 ((id >> 22) % 2)."""
    return ((1000 + 2 * n + shard) << 22) | n


async def _sharded_world(store: TriviaStore, pool: list[QuestionTemplate]) -> dict[str, dict[int, int]]:
    """On each of shards 0 and 1: a server whose schedule is due, one with a round due to close, one with a
    round to reveal and one with a round that never got posted."""
    made: dict[str, dict[int, int]] = {"due": {}, "closing": {}, "revealing": {}, "unposted": {}}
    for shard in (0, 1):
        for n, kind in enumerate(made, start=1):
            guild = _on_shard(shard, n)
            await _ready(store, guild)
            made[kind][shard] = guild
        await store.set_schedule(made["due"][shard], 1, T0 - 60)
        await _open(store, pool, random.Random(shard), T0 - 30, made["closing"][shard])
        revealing = await _open(store, pool, random.Random(shard), T0 - 40, made["revealing"][shard])
        await store.close_round(revealing.id, T0 - 5)
        await store.open_round(made["unposted"][shard], pool, random.Random(shard), T0 - 100)
    return made


async def test_a_store_on_some_shards_finds_only_the_work_of_their_servers(
    db: Database, pool: list[QuestionTemplate]
) -> None:
    made = await _sharded_world(TriviaStore(db), pool)
    for shard in (0, 1):
        mine = TriviaStore(db, Shards(2, (shard,)))
        assert [g.guild_id for g in await mine.guilds_due(T0)] == [made["due"][shard]]
        assert [(await mine.round(r)).guild_id for r in await mine.rounds_due_to_close(T0)] == [  # type: ignore[union-attr]
            made["closing"][shard]
        ]
        assert [(await mine.round(r)).guild_id for r in await mine.rounds_to_reveal(T0, within=60)] == [  # type: ignore[union-attr]
            made["revealing"][shard]
        ]
        assert [(await mine.round(r)).guild_id for r in await mine.abandoned_rounds(T0, opened_before=T0 - 600)] == [  # type: ignore[union-attr]
            made["unposted"][shard]
        ]
    everything = [TriviaStore(db), TriviaStore(db, Shards(2, (0, 1)))]
    for store in everything:
        assert len(await store.guilds_due(T0)) == 2 and len(await store.rounds_due_to_close(T0)) == 2


async def test_two_processes_opening_the_same_slot_open_one_round(
    store: TriviaStore, pool: list[QuestionTemplate], database_target: str | Path
) -> None:
    """A rolling restart: the old and the new process run the same shard, and both find the slot due."""
    guilds = [_on_shard(0, n) for n in range(1, 21)]
    for guild in guilds:
        await _ready(store, guild)
        await store.set_schedule(guild, 1, T0)
    other = await database.open_database(database_target)
    try:
        stores = [store, TriviaStore(other)]
        due = T0 + 60

        async def race(s: TriviaStore, guild: int) -> str:
            try:
                await s.open_round(guild, pool, random.Random(guild), due + 0.5, scheduled=True)
            except ScheduleChanged:
                return "lost"
            return "opened"

        results = await asyncio.gather(*(race(s, g) for g in guilds for s in stores))
    finally:
        await other.close()
    assert results.count("opened") == len(guilds) and results.count("lost") == len(guilds)
    rows = await store.db.fetch("SELECT guild_id, slot_at FROM rounds ORDER BY guild_id")
    assert [tuple(r) for r in rows] == [(guild, due) for guild in sorted(guilds)]
    for guild in guilds:
        assert (await store.settings(guild)).next_round_at == due + 60


async def test_a_slot_that_has_its_round_is_never_opened_again(
    store: TriviaStore, db: Database, pool: list[QuestionTemplate]
) -> None:
    """A process with an old view of the schedule (here: the row written back to a slot already posted) finds
    the slot claimed: no second round, and the schedule moves on."""
    await _ready(store)
    await store.set_schedule(GUILD, 1, T0)
    first = await _open(store, pool, random.Random(0), T0 + 60, scheduled=True)
    await store.close_round(first.id, T0 + 90)
    await db.execute("UPDATE guild_settings SET next_round_at = ? WHERE guild_id = ?", T0 + 60, GUILD)
    with pytest.raises(ScheduleChanged):
        await store.open_round(GUILD, pool, random.Random(1), T0 + 100, scheduled=True)
    assert [tuple(r) for r in await db.fetch("SELECT id FROM rounds")] == [(first.id,)]
    assert (await store.settings(GUILD)).next_round_at == T0 + 120
    second = await _open(store, pool, random.Random(2), T0 + 120, scheduled=True)  # the next slot is fine
    assert second.id != first.id


async def test_answers_racing_the_close_in_other_processes_are_each_scored_or_refused_never_lost(
    store: TriviaStore, pool: list[QuestionTemplate], database_target: str | Path
) -> None:
    """Clicks still in time by the clock, from three processes, while one of them closes the round: each answer
    the database took is in the reveal and in a score; none is taken after the close has counted."""
    await _ready(store)
    for attempt in range(5):
        opened = await _open(store, pool, random.Random(attempt), T0 + attempt * 100, GUILD)
        assert opened.closes_at is not None
        others = [await database.open_database(database_target) for _ in range(2)]
        try:
            stores = [store, *(TriviaStore(c) for c in others)]
            clicks = [
                _click(stores[user % 3], opened, user, opened.question.answer, f"m{user}", opened.closes_at - 1)
                for user in range(attempt * 1000, attempt * 1000 + 200)
            ]
            results = await asyncio.gather(
                *clicks[:100], stores[1].close_round(opened.id, opened.closes_at), *clicks[100:]
            )
        finally:
            for c in others:
                await c.close()
        reveal = results[100]
        assert isinstance(reveal, Reveal)
        taken = sum(r is AnswerResult.RECORDED for r in results[:100] + results[101:])
        assert reveal.answers == reveal.winner_count == taken
        scored = await store.db.fetch_value(
            "SELECT COUNT(*) FROM scores WHERE guild_id = ? AND user_id >= ? AND user_id < ?",
            GUILD,
            attempt * 1000,
            attempt * 1000 + 200,
        )
        assert scored == taken
        assert await store.db.fetch_value("SELECT COUNT(*) FROM answers WHERE round_id = ?", opened.id) == taken


async def test_two_processes_closing_a_round_score_it_once(
    store: TriviaStore, pool: list[QuestionTemplate], database_target: str | Path
) -> None:
    await _ready(store)
    opened = await _open(store, pool, random.Random(0), T0)
    right = opened.question.answer
    for user in range(10):
        await _click(store, opened, user, right, f"u{user}", T0 + 1)
    others = [await database.open_database(database_target) for _ in range(3)]
    try:
        stores = [store, *(TriviaStore(c) for c in others)]
        reveals = await asyncio.gather(*(s.close_round(opened.id, T0 + 30) for s in stores for _ in range(5)))
    finally:
        for c in others:
            await c.close()
    assert sum(r is not None for r in reveals) == 1
    board = await store.board(GUILD, 0, ALL)
    assert [(p.score.points, p.score.rounds_answered) for p in board.top] == [(1, 1)] * 10


async def test_the_scheduler_queries_of_a_sharded_store_use_an_index(
    sqlite_db: Database, pool: list[QuestionTemplate]
) -> None:
    """The queries as the store runs them (traced), with the shard filter, each explained (SQLite's plans)."""
    db = sqlite_db
    assert isinstance(db, SQLiteDatabase)
    await _sharded_world(TriviaStore(db), pool)
    mine = TriviaStore(db, Shards(4, (1, 3)))
    ran: list[str] = []
    await db.connection.set_trace_callback(ran.append)
    try:
        await mine.guilds_due(T0)
        await mine.rounds_due_to_close(T0)
        await mine.rounds_to_reveal(T0, within=60)
        await mine.abandoned_rounds(T0, opened_before=T0 - 600)
        await _ready(mine, _on_shard(1, 9))
        await mine.set_schedule(_on_shard(1, 9), 1, T0)
        await mine.open_round(_on_shard(1, 9), pool, random.Random(0), T0 + 60, scheduled=True)
    finally:
        await db.connection.set_trace_callback(None)
    queries = [q for q in ran if q.startswith("SELECT") and ("% 4 IN (1, 3)" in q or "slot_at =" in q)]
    assert len(queries) == 5, ran
    for query in queries:
        plan = " / ".join(str(row[3]) for row in await db.fetch(f"EXPLAIN QUERY PLAN {query}"))
        if "message_id IS NULL" in query:  # unposted rounds: read at start-up and once a tick, from open rounds only
            assert plan == "SCAN rounds USING INDEX rounds_open_by_close_time", (query, plan)  # (one per server)
            continue
        assert "USING" in plan and "SCAN" not in plan.replace("SCAN CONSTANT ROW", ""), (query, plan)
        if "ORDER BY" in query:
            assert "TEMP B-TREE" not in plan, (query, plan)
