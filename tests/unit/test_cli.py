"""The operator's commands, run as a process: forget-user and forget-server say what they deleted, in one line
(on SQLite, then on PostgreSQL); migrate copies an SQLite database into PostgreSQL, every row and count."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from bot import database
from bot.catalogue import load_catalogue
from bot.operations.migrate import TABLES
from bot.trivia.questions import question_pool
from bot.trivia.rules import ALL_TIME
from bot.trivia.store import Click, Period, TriviaStore
from tests.conftest import column_names

ROOT = Path(__file__).resolve().parents[2]
FANS, CLUB = 612345678901234567, 712345678901234567
ANN, BEN = 112345678901234567, 212345678901234567
T0 = 1_800_000_000.0


def run(tmp_path: Path, *args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env={**env, "DATABASE_PATH": str(tmp_path / "moments.db")},
        capture_output=True,
        text=True,
        timeout=60,
    )


async def a_played_database(path: str | Path) -> None:
    """Ann and Ben answered a round in the fans' server; Ann one in the club."""
    db = await database.open_database(path)
    try:
        trivia, pool = TriviaStore(db), question_pool(load_catalogue())
        for guild, members in ((FANS, (ANN, BEN)), (CLUB, (ANN,))):
            await trivia.set_channel(guild, 42)
            opened = await trivia.open_round(guild, pool, random.Random(1), T0)
            await trivia.mark_posted(opened.id, 4242 + guild, T0)
            for member in members:
                await trivia.record_answer(Click(opened.id, 0, guild, 4242 + guild, member, "someone"), T0 + 1)
            await trivia.close_round(opened.id, T0 + opened.answer_seconds)
    finally:
        await db.close()


def on(database_target: str | Path, tmp_path: Path) -> tuple[str | Path, str | None]:
    """The test's database (SQLite at DATABASE_PATH, or a PostgreSQL URL) and the DATABASE_URL to run with."""
    if isinstance(database_target, str):
        return database_target, database_target
    return tmp_path / "moments.db", None


async def test_forget_user_deletes_a_member_everywhere_and_says_so(database_target: str | Path, tmp_path: Path) -> None:
    target, url = on(database_target, tmp_path)
    await a_played_database(target)
    result = run(tmp_path, "forget-user", str(ANN), database_url=url)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"Deleted what was kept about user {ANN}: 2 answers and scores in 2 servers.\n"
    again = run(tmp_path, "forget-user", str(ANN), database_url=url)
    assert again.stdout == f"Nothing was kept about user {ANN}: there was nothing to delete.\n"
    other = run(tmp_path, "forget-user", str(BEN), database_url=url)
    assert other.stdout.endswith("1 answer and scores in 1 server.\n")


async def test_forget_server_deletes_everything_kept_for_it_and_says_so(
    database_target: str | Path, tmp_path: Path
) -> None:
    target, url = on(database_target, tmp_path)
    await a_played_database(target)
    result = run(tmp_path, "forget-server", str(FANS), database_url=url)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == (
        f"Deleted what was kept for server {FANS}: the trivia settings and schedule, 1 round, 2 answers, "
        "2 members' scores and the question cycle (1 question asked).\n"
    )
    assert run(tmp_path, "forget-server", str(FANS), database_url=url).stdout.startswith(
        f"Nothing was kept for server {FANS}"
    )
    assert "1 member's score" in run(tmp_path, "forget-server", str(CLUB), database_url=url).stdout


CHO = 312345678901234567


async def reported_and_ended_a_season(path: str | Path, season: int) -> None:
    """Cho, who never answered, reported the fans' round; then the fans' season ended."""
    db = await database.open_database(path)
    try:
        trivia = TriviaStore(db)
        assert await trivia.report_question(1, FANS, CHO, "unclear", T0 + 100)
        assert await trivia.end_season(FANS, season, T0 + 100 * season) is not None
    finally:
        await db.close()


async def test_forget_user_and_forget_server_count_reports_season_boards_and_seasons(
    database_target: str | Path, tmp_path: Path
) -> None:
    target, url = on(database_target, tmp_path)
    await a_played_database(target)
    await reported_and_ended_a_season(target, 1)
    reporter = run(tmp_path, "forget-user", str(CHO), database_url=url)
    assert reporter.returncode == 0 and reporter.stderr == ""
    assert reporter.stdout == f"Deleted what was kept about user {CHO}: 1 question report.\n"
    player = run(tmp_path, "forget-user", str(BEN), database_url=url)
    assert player.stdout.endswith(": 1 answer, scores in 1 server and points on 1 past season board.\n")
    await reported_and_ended_a_season(target, 2)  # a new report, and season 2 ends (nobody scored in it)
    server = run(tmp_path, "forget-server", str(FANS), database_url=url)
    assert server.returncode == 0 and server.stderr == ""
    assert server.stdout == (
        f"Deleted what was kept for server {FANS}: the trivia settings and schedule, 1 round, 1 answer, "
        "1 member's score, the past season boards (1 place), 2 ended seasons, 1 question report and the question "
        "cycle (1 question asked).\n"
    )


def test_a_bad_id_or_a_missing_database_is_one_line_and_non_zero(tmp_path: Path) -> None:
    bad = run(tmp_path, "forget-user", "@ann")
    assert bad.returncode != 0 and bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "perfect-moments: USER_ID must be a Discord id (a number of 15 to 21 digits), not '@ann'"
    ]
    missing = run(tmp_path, "forget-server", str(FANS))
    assert missing.returncode != 0 and len(missing.stderr.splitlines()) == 1
    assert "there is no database at" in missing.stderr and not (tmp_path / "moments.db").exists()


async def test_migrate_copies_every_row_into_postgresql_and_new_rounds_carry_on(
    tmp_path: Path, postgresql_url: str
) -> None:
    source = tmp_path / "moments.db"
    await a_played_database(source)
    sqlite = await database.open_database(source)
    await database.seed_catalogue(sqlite, load_catalogue())  # as the bot does at start-up
    await TriviaStore(sqlite).end_season(FANS, 1, T0 + 100)
    await TriviaStore(sqlite).report_question(1, FANS, BEN, "unclear", T0 + 100)
    await sqlite.close()
    result = run(tmp_path, "migrate", "--to", postgresql_url)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "answers: 3 rows" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Copied ") and "every table's count matches" in result.stdout
    sqlite, postgresql = await database.open_database(source), await database.open_database(postgresql_url)
    try:
        for table in TABLES:
            columns = ", ".join(await column_names(sqlite, table))
            query = f"SELECT {columns} FROM {table} ORDER BY {columns}"
            assert [tuple(r) for r in await postgresql.fetch(query)] == [tuple(r) for r in await sqlite.fetch(query)]
        assert await database.read_catalogue(postgresql) == load_catalogue()
        trivia = TriviaStore(postgresql)
        board = await trivia.board(FANS, ANN, Period(ALL_TIME, ""))
        assert [p.score.user_id for p in board.top] and board.caller is not None
        newer = await trivia.open_round(CLUB, question_pool(load_catalogue()), random.Random(2), T0 + 500)
        assert newer.id > max(r[0] for r in await sqlite.fetch("SELECT id FROM rounds"))  # ids never reused
    finally:
        await sqlite.close()
        await postgresql.close()
    again = run(tmp_path, "migrate", "--to", postgresql_url)  # into a database that is no longer empty
    assert again.returncode != 0 and again.stdout == ""
    assert len(again.stderr.splitlines()) == 1 and "is not empty (meta has rows)" in again.stderr


def test_migrate_refuses_what_it_cannot_do_in_one_line(tmp_path: Path) -> None:
    not_postgresql = run(tmp_path, "migrate", "--to", "mysql://db/x")
    assert not_postgresql.returncode != 0 and "--to must be a PostgreSQL URL" in not_postgresql.stderr
    no_source = run(tmp_path, "migrate", "--to", "postgresql://postgres@127.0.0.1:9/x")
    assert no_source.returncode != 0 and len(no_source.stderr.splitlines()) == 1
    assert "there is no database at" in no_source.stderr


def test_backup_on_postgresql_points_to_pg_dump_in_one_line(tmp_path: Path, postgresql_url: str) -> None:
    result = run(tmp_path, "backup", "copy.db", database_url=postgresql_url)
    assert result.returncode != 0 and result.stdout == "" and not (tmp_path / "copy.db").exists()
    [line] = result.stderr.splitlines()
    assert "the database is PostgreSQL (DATABASE_URL): back it up with pg_dump" in line


async def test_questions_import_and_export_work_without_a_token_all_or_nothing(
    database_target: str | Path, tmp_path: Path
) -> None:
    target, url = on(database_target, tmp_path)
    await a_played_database(target)
    pack = tmp_path / "pack.toml"
    good = '[[question]]\nprompt = "Which snack won our 2024 vote?"\noptions = ["Kimbap", "Hotteok"]\nanswer = 2\n'
    pack.write_text(good + '\n[[question]]\nprompt = "A broken second question?"\noptions = ["a"]\nanswer = 1\n')
    refused = run(tmp_path, "questions", "import", str(FANS), str(pack), database_url=url)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip() == (
        f"perfect-moments: {pack}: question 2: it has 1 options: give 2 to 4; nothing was imported"
    )
    pack.write_text(good)
    done = run(tmp_path, "questions", "import", str(FANS), str(pack), database_url=url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Server {FANS}: imported 1 question from {pack}; 0 exact duplicates skipped."
    out = tmp_path / "out.toml"
    exported = run(tmp_path, "questions", "export", str(FANS), str(out), database_url=url)
    assert exported.returncode == 0 and f"exported 1 accepted question to {out}" in exported.stdout
    assert out.read_text().endswith(good)
    none = run(tmp_path, "questions", "export", str(CLUB), str(tmp_path / "club.toml"), database_url=url)
    assert "exported 0 accepted questions" in none.stdout
