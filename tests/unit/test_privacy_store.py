"""Deleting a member's or a server's data: everything the bot keeps about them, nothing about anyone else;
the display name kept is only the one last seen; every table with a member's or server's id is covered."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import database
from bot.catalogue import load_catalogue
from bot.database import Database
from bot.privacy.store import (
    BATCH_ROWS,
    MEMBER_TABLES,
    ROUND_COST,
    SERVER_TABLES,
    MemberData,
    PrivacyStore,
    ServerData,
)
from bot.trivia.questions import QuestionTemplate, question_pool
from bot.trivia.rules import ALL_TIME
from bot.trivia.store import AnswerResult, Click, Period, Round, TriviaStore
from tests.big_server import BigServer, fill
from tests.conftest import column_names, table_names

FANS, CLUB = 111, 222
ANN, BEN, CHO = 1001, 1002, 1003
T0 = 1_800_000_000.0


@pytest.fixture
async def db(database_target: str | Path) -> AsyncIterator[Database]:
    """On SQLite, then on PostgreSQL (tests/conftest.py)."""
    connection = await database.open_database(database_target)
    yield connection
    await connection.close()


@pytest.fixture(scope="module")
def pool() -> list[QuestionTemplate]:
    return question_pool(load_catalogue())


async def play(
    trivia: TriviaStore, pool: list[QuestionTemplate], guild: int, answers: dict[int, str], now: float
) -> float:
    """One round in `guild`, answered by each member (id: display name), closed and scored. Returns its end."""
    opened = await posted(trivia, guild, pool, random.Random(0), now)
    assert opened.closes_at is not None and opened.message_id is not None
    for choice, (user, name) in enumerate(answers.items()):
        await trivia.record_answer(Click(opened.id, choice % 2, guild, opened.message_id, user, name), now + 1)
    await trivia.close_round(opened.id, opened.closes_at)
    return opened.closes_at + 1


async def posted(
    trivia: TriviaStore, guild: int, pool: list[QuestionTemplate], rng: random.Random, now: float
) -> Round:
    """A round opened and posted at `now`."""
    opened = await trivia.open_round(guild, pool, rng, now)
    out = await trivia.mark_posted(opened.id, opened.id + 7000, now)
    assert out is not None
    return out


@pytest.fixture
async def played(db: Database, pool: list[QuestionTemplate]) -> TriviaStore:
    """Ann plays in both servers, Ben in the fans' server, Cho in the club."""
    trivia = TriviaStore(db)
    for guild in (FANS, CLUB):
        await trivia.set_channel(guild, 900 + guild)
        await trivia.set_schedule(guild, 60, T0)
    now = await play(trivia, pool, FANS, {ANN: "Ann", BEN: "Ben"}, T0)
    now = await play(trivia, pool, FANS, {ANN: "Ann", BEN: "Ben"}, now)
    await play(trivia, pool, CLUB, {ANN: "Ann", CHO: "Cho"}, now)
    return trivia


async def rows_with(db: Database, column: str, value: int) -> dict[str, int]:
    """How many rows of each table have `column` = value (answers of a server's rounds count for the server)."""
    found: dict[str, int] = {}
    for table in await tables(db):
        columns = await columns_of(db, table)
        if column in columns:
            found[table] = await db.fetch_value(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", value)
    if column == "guild_id":
        query = "SELECT COUNT(*) FROM answers WHERE round_id IN (SELECT id FROM rounds WHERE guild_id = ?)"
        found["answers"] = max(found.get("answers", 0), await db.fetch_value(query, value))
    return {table: count for table, count in found.items() if count}


async def tables(db: Database) -> list[str]:
    return await table_names(db)


async def columns_of(db: Database, table: str) -> set[str]:
    return set(await column_names(db, table))


async def everything_kept(db: Database) -> str:
    """Every value of every row of every table, as text."""
    values = []
    for table in await tables(db):
        for row in await db.fetch(f"SELECT * FROM {table}"):
            values.extend(str(value) for value in tuple(row))
    return " ".join(values)


async def test_forgetting_a_member_deletes_their_answers_and_scores_in_every_server_only(
    db: Database, played: TriviaStore
) -> None:
    privacy = PrivacyStore(db)
    assert await privacy.member_data(ANN) == MemberData(answers=3, servers=2)
    assert await privacy.forget_member(ANN) == MemberData(answers=3, servers=2)
    assert await rows_with(db, "user_id", ANN) == {}
    assert await privacy.member_data(ANN) == MemberData(0, 0) and (await privacy.member_data(ANN)).empty
    assert await privacy.member_data(BEN) == MemberData(answers=2, servers=1)
    board = await played.board(FANS, ANN, Period(ALL_TIME, ""))
    assert [p.score.user_id for p in board.top] == [BEN] and board.caller is None
    assert await privacy.forget_member(ANN) == MemberData(0, 0)  # a second time: nothing left


async def test_forgetting_a_server_deletes_everything_kept_for_it_and_nothing_else(
    db: Database, played: TriviaStore
) -> None:
    privacy = PrivacyStore(db)
    expected = ServerData(settings=True, rounds=2, answers=4, scores=2, questions=2)
    assert await privacy.server_data(FANS) == expected
    assert await privacy.forget_server(FANS) == expected
    assert await rows_with(db, "guild_id", FANS) == {}
    assert (await privacy.server_data(FANS)).empty
    assert await privacy.server_data(CLUB) == ServerData(settings=True, rounds=1, answers=2, scores=2, questions=1)
    assert (await played.settings(FANS)).channel_id is None  # the defaults again: trivia set up from scratch
    assert await privacy.member_data(ANN) == MemberData(answers=1, servers=1)  # her club data stays


async def test_every_table_with_a_member_or_server_id_is_covered_by_the_deletions(db: Database) -> None:
    """A feature that adds a table with user_id or guild_id must add it to the deletions (bot/privacy/store.py)."""
    for table in await tables(db):
        columns = await columns_of(db, table)
        if "user_id" in columns:
            assert table in MEMBER_TABLES, f"{table} has user_id: add it to the member deletion"
        if "guild_id" in columns:
            assert table in SERVER_TABLES, f"{table} has guild_id: add it to the server deletion"
    assert set(MEMBER_TABLES) | set(SERVER_TABLES) <= set(await tables(db))


async def test_only_the_display_name_last_seen_is_kept(db: Database, pool: list[QuestionTemplate]) -> None:
    trivia = TriviaStore(db)
    await trivia.set_channel(FANS, 900)
    now = await play(trivia, pool, FANS, {ANN: "Ann Old", BEN: "Ben"}, T0)
    now = await play(trivia, pool, FANS, {ANN: "Ann New"}, now)
    score = await trivia.score(FANS, ANN)
    assert score is not None and score.score.display_name == "Ann New"  # replaced when she answered again
    await play(trivia, pool, FANS, {CHO: "Cho"}, now)  # a later round closes: the last one's names go
    assert "Ann Old" not in await everything_kept(db)
    names = await db.fetch("SELECT user_id, display_name FROM answers WHERE display_name <> ''")
    assert [tuple(r) for r in names] == [(CHO, "Cho")]  # the latest round keeps its names for its reveal
    await PrivacyStore(db).forget_member(ANN)
    assert "Ann New" not in await everything_kept(db)


async def test_deletions_and_trivia_writes_never_interleave(
    db: Database, played: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    """Two stores on one database: a deletion never interleaves with a round's close or an answer."""
    privacy = PrivacyStore(db)
    rng = random.Random(3)
    for step in range(20):
        opened = await posted(played, CLUB, pool, rng, T0 + 10_000 + step * 100)
        assert opened.closes_at is not None and opened.message_id is not None
        await asyncio.gather(
            played.close_round(opened.id, opened.closes_at),
            privacy.forget_member(ANN),
            played.record_answer(Click(opened.id, 0, CLUB, opened.message_id, BEN, "Ben"), opened.opened_at + 1),
            privacy.forget_server(FANS),
        )
    assert await privacy.member_data(ANN) == MemberData(0, 0)


# --- deleting in batches --------------------------------------------------------------------------------------


class Batches:
    """What each batch of a deletion did: (table, rows deleted, seconds its transaction held the writer)."""

    def __init__(self) -> None:
        self.done: list[tuple[str, int, float]] = []

    def __call__(self, table: str, rows: int, seconds: float) -> None:
        self.done.append((table, rows, seconds))

    def of(self, table: str) -> list[int]:
        return [rows for name, rows, _ in self.done if name == table]

    @property
    def longest_ms(self) -> float:
        return max(seconds for _, _, seconds in self.done) * 1000


async def test_the_biggest_servers_deletion_removes_everything_in_batches_of_bounded_size(
    db: Database, played: TriviaStore
) -> None:
    """The benchmark's biggest server (200,000 answers, 20,000 members): deleted whole, in batches of bounded size.
    How long a batch holds the writer is a figure for the benchmark (bench/database.py), printed here, never a
    timed assertion that would flicker on a busy machine."""
    big = BigServer(guild_id=333, channel_id=9333)
    await fill(db, big, T0)
    if db.backend == "postgresql":
        await db.execute("ANALYZE")  # as autovacuum would, soon after such a load
    batches = Batches()
    privacy = PrivacyStore(db, observe=batches)
    kept = await privacy.server_data(big.guild_id)
    assert (kept.answers, kept.rounds, kept.scores, kept.season_scores) == (200_000, 2_000, 20_000, 20_000)

    assert await privacy.forget_server(big.guild_id) == kept
    assert await rows_with(db, "guild_id", big.guild_id) == {}
    assert await privacy.server_data(FANS) == ServerData(settings=True, rounds=2, answers=4, scores=2, questions=2)
    assert max(batches.of("rounds")) <= BATCH_ROWS // ROUND_COST
    assert max(rows for _, rows, _ in batches.done) <= BATCH_ROWS
    assert sum(batches.of("answers")) == 200_000 and len(batches.of("answers")) > 200_000 // BATCH_ROWS
    print(f"{db.backend}: {len(batches.done)} batches, the longest {batches.longest_ms:.1f} ms")


async def test_a_deletion_counts_every_kind_of_data_and_obeys_its_batch_size(db: Database, played: TriviaStore) -> None:
    big = BigServer(guild_id=333, channel_id=9333, rounds=30, answers_per_round=20, members=200, reports=15)
    await fill(db, big, T0)
    batches = Batches()
    deleted = await PrivacyStore(db, batch_rows=40, observe=batches).forget_server(big.guild_id)
    assert deleted == ServerData(
        settings=True, rounds=30, answers=600, scores=200, questions=2, season_scores=200, seasons=1, reports=15
    )
    assert await rows_with(db, "guild_id", big.guild_id) == {}
    assert batches.of("answers") == [40] * 15 + [0] and batches.of("rounds") == [4] * 7 + [2, 0]
    assert max(rows for _, rows, _ in batches.done) <= 40


async def test_an_interrupted_deletion_leaves_the_server_stopped_and_the_retention_sweep_finishes_it(
    db: Database, played: TriviaStore, pool: list[QuestionTemplate]
) -> None:
    open_round = await posted(played, FANS, pool, random.Random(5), T0 + 10_000)
    assert open_round.message_id is not None and open_round.closes_at is not None
    await played.record_answer(Click(open_round.id, 0, FANS, open_round.message_id, BEN, "Ben"), T0 + 10_001)

    class Shutdown(Exception):
        pass

    def stop_after_the_scores(table: str, rows: int, seconds: float) -> None:
        if table == "season_scores":
            raise Shutdown()

    with pytest.raises(Shutdown):
        await PrivacyStore(db, batch_rows=1, observe=stop_after_the_scores).forget_server(FANS)
    settings = await played.settings(FANS)
    assert settings.channel_id is None and settings.next_round_at is None
    assert (
        await played.board(FANS, ANN, Period(ALL_TIME, ""))
    ).top == ()  # the boards went first: none shows half a server
    late = Click(open_round.id, 1, FANS, open_round.message_id, CHO, "Cho")
    assert await played.record_answer(late, T0 + 10_002) is AnswerResult.CLOSED  # its open round takes no more
    assert await played.close_round(open_round.id, open_round.closes_at) is None  # and never scores
    assert await played.score(FANS, BEN) is None

    privacy = PrivacyStore(db)
    await played.guild_returned(FANS, T0 + 10_003)  # the bot is (still) in the server: a new session says so
    assert FANS in await privacy.servers_removed_before(T0 - 31 * 86_400)  # and the next sweep picks it up
    left = await privacy.forget_server(FANS)
    assert left.settings and left.rounds == 3 and left.answers == 5 and left.scores == 0
    assert await rows_with(db, "guild_id", FANS) == {}
    assert await privacy.server_data(CLUB) == ServerData(settings=True, rounds=1, answers=2, scores=2, questions=1)


async def test_a_member_who_only_reported_a_question_or_kept_a_season_board_has_data_to_delete(
    db: Database, played: TriviaStore
) -> None:
    privacy = PrivacyStore(db)
    assert await privacy.forget_member(CHO) == MemberData(answers=1, servers=1)  # what she played in the club
    await played.report_question(1, FANS, CHO, "unclear", T0 + 6_000)  # then she reports a question
    reported = await privacy.member_data(CHO)
    assert reported == MemberData(answers=0, servers=0, reports=1) and not reported.empty
    assert await privacy.forget_member(CHO) == MemberData(answers=0, servers=0, reports=1)
    assert await rows_with(db, "user_id", CHO) == {}

    assert await played.end_season(FANS, 1, T0 + 7_000) is not None
    assert await privacy.member_data(BEN) == MemberData(answers=2, servers=1, season_scores=1)
    assert await privacy.forget_member(BEN) == MemberData(answers=2, servers=1, season_scores=1)
    assert await rows_with(db, "user_id", BEN) == {}


async def test_deleting_a_server_deletes_its_moment_of_the_day_and_its_posts(db: Database) -> None:
    from bot.daily.store import DailyStore

    daily = DailyStore(db)
    for guild in (FANS, CLUB):
        started = await daily.start(guild, 900, 9 * 60, 1_800_000_000.0)
        assert started.next_post_at is not None
        claimed = await daily.claim(guild, [2, 3, 4], random.Random(1), started.next_post_at)
        assert claimed is not None
    privacy = PrivacyStore(db)
    assert (await privacy.server_data(FANS)).daily == 1
    deleted = await privacy.forget_server(FANS)
    assert deleted.daily == 1 and deleted.settings
    for table in ("daily_moments", "daily_posts"):
        rows = await db.fetch(f"SELECT guild_id FROM {table}")
        assert [int(r[0]) for r in rows] == [CLUB], table
