"""The database on both backends: migrations keep data, seeding is idempotent and never touches scores, the two
backends' schemas match, processes starting at once migrate once; SQLite's upgrades from each older schema."""

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from bot import database
from bot.catalogue import load_catalogue
from bot.database import Database, postgresql
from bot.database import sqlite as sqlite_backend
from tests.conftest import column_names, table_names

MIGRATIONS = sqlite_backend.MIGRATIONS
A_TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.Gabcde.abcdefghijklmnopqrstuvwxyz0123"  # the shape of one; never used


async def test_fresh_database_is_migrated_seeded_and_read_back(db: Database) -> None:
    catalogue = load_catalogue()
    assert await database.seed_catalogue(db, catalogue) is True
    assert await db.schema_version() == len(MIGRATIONS) == len(postgresql.MIGRATIONS)
    assert await database.read_catalogue(db) == catalogue
    if db.backend == "sqlite":
        assert await db.fetch_value("PRAGMA journal_mode") == "wal"
        assert await db.fetch_value("PRAGMA foreign_keys") == 1


async def test_seeding_twice_changes_nothing(db: Database) -> None:
    catalogue = load_catalogue()
    await database.seed_catalogue(db, catalogue)
    before = await db.fetch("SELECT * FROM cast_members ORDER BY rank, position")
    assert await database.seed_catalogue(db, catalogue) is False
    after = await db.fetch("SELECT * FROM cast_members ORDER BY rank, position")
    assert [tuple(r) for r in before] == [tuple(r) for r in after]


async def test_reseeding_a_changed_catalogue_keeps_scores(db: Database) -> None:
    catalogue = load_catalogue()
    await database.seed_catalogue(db, catalogue)
    await db.execute("INSERT INTO scores (guild_id, user_id, points) VALUES (1, 2, 5)")
    changed = replace(catalogue, moments=catalogue.moments[1:])
    assert await database.seed_catalogue(db, changed) is True
    assert (await database.read_catalogue(db)).ranks == catalogue.ranks[1:]
    rows = await db.fetch("SELECT points FROM scores WHERE guild_id = 1 AND user_id = 2")
    assert [r[0] for r in rows] == [5]


async def test_both_backends_have_the_same_tables_columns_and_indexes(sqlite_db: Database, postgresql_url: str) -> None:
    """A migration added to one backend and not the other fails here (bot/database/postgresql.py's docstring)."""
    db = await database.open_database(postgresql_url)
    try:
        tables = await table_names(sqlite_db)
        assert await table_names(db) == tables
        for table in tables:
            assert set(await column_names(db, table)) == set(await column_names(sqlite_db, table)), table
        sqlite_indexes = await sqlite_db.fetch(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'"
        )
        postgresql_indexes = await db.fetch(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'"
        )
        assert {r[0] for r in postgresql_indexes} == {r[0] for r in sqlite_indexes}
    finally:
        await db.close()


async def test_a_newer_postgresql_database_is_refused_in_one_line(postgresql_url: str) -> None:
    db = await database.open_database(postgresql_url)
    try:
        await db.execute("UPDATE schema_version SET version = 99")
    finally:
        await db.close()
    with pytest.raises(database.DatabaseError, match=r"schema 99, newer than this bot"):
        await database.open_database(postgresql_url)


async def test_an_unreachable_postgresql_server_is_one_clear_error_without_the_password() -> None:
    url = "postgresql://pm:s3cret@127.0.0.1:9/nowhere"  # port 9: nothing listens
    with pytest.raises(database.DatabaseError, match=r"cannot connect to the database at postgresql://pm:\*\*\*@") as e:
        await database.open_database(url)
    assert "s3cret" not in str(e.value)


def test_statements_are_rewritten_once_for_postgresql() -> None:
    assert postgresql.dialect("SELECT ? , ? WHERE a = '?'") == "SELECT $1 , $2 WHERE a = '?'"
    assert postgresql.dialect("SELECT ?1 + ?2 WHERE b = ?1") == "SELECT $1 + $2 WHERE b = $1"
    assert postgresql.changed("INSERT 0 3") == 3 and postgresql.changed("UPDATE 1") == 1
    assert postgresql.changed("LOCK TABLE") == 0


async def test_upgrade_to_schema_7_gives_each_answer_its_servers_id(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    with sqlite3.connect(path) as old:
        for script in MIGRATIONS[:6]:
            for statement in sqlite_backend.split_statements(script):
                old.execute(statement)
        old.execute("PRAGMA user_version = 6")
        old.execute(
            "INSERT INTO rounds (id, guild_id, channel_id, question_key, question, answer_seconds, opened_at)"
            " VALUES (1, 4242, 5, 'k', '{}', 30, 0)"
        )
        old.execute("INSERT INTO answers (round_id, user_id, choice, answered_at) VALUES (1, 7, 0, 0)")
    db = await database.open_database(path)
    try:
        assert [tuple(r) for r in await db.fetch("SELECT guild_id, round_id, user_id FROM answers")] == [(4242, 1, 7)]
    finally:
        await db.close()


async def test_upgrade_from_schema_1_keeps_existing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript(MIGRATIONS[0])
        old.execute("PRAGMA user_version = 1")
        old.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
    db = await database.open_database(path)
    try:
        assert await db.schema_version() == len(MIGRATIONS)
        assert await database.get_meta(db, "kept") == "yes"
    finally:
        await db.close()


async def test_unusable_path_is_one_clear_error(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("this is not a database\n" * 100)
    with pytest.raises(database.DatabaseError, match=r"notes\.txt"):
        await database.open_database(not_a_db)
    with pytest.raises(database.DatabaseError, match="cannot open the database"):
        await database.open_database(Path("/proc/no/such/dir/m.db"))


async def test_upgrade_to_schema_3_keeps_only_each_servers_latest_names_and_scores(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    with sqlite3.connect(path) as old:
        for script in MIGRATIONS[:2]:
            old.executescript(script)
        old.execute("PRAGMA user_version = 2")
        rounds = [(1, 1, 10.0), (2, 1, 20.0), (3, 1, None), (4, 2, 40.0)]  # id, guild, closed_at (3 is open)
        old.executemany(
            "INSERT INTO rounds (id, guild_id, channel_id, question_key, question, opened_at, closes_at, closed_at)"
            " VALUES (?, ?, 5, 'k', '{}', 0, 1, ?)",
            rounds,
        )
        old.executemany(
            "INSERT INTO answers (round_id, user_id, choice, display_name, answered_at) VALUES (?, 7, 0, ?, 0)",
            [(1, "Ann 2019"), (2, "Ann 2024"), (3, "Ann now"), (4, "Ann at the club")],
        )
        old.execute("INSERT INTO scores (guild_id, user_id, display_name, points) VALUES (1, 7, 'Ann 2024', 2)")
    db = await database.open_database(path)
    try:
        assert await db.schema_version() == len(MIGRATIONS)
        names = [tuple(r) for r in await db.fetch("SELECT round_id, display_name FROM answers")]
        assert sorted(names) == [(1, ""), (2, "Ann 2024"), (3, "Ann now"), (4, "Ann at the club")]
        assert [tuple(r) for r in await db.fetch("SELECT points, display_name FROM scores")] == [(2, "Ann 2024")]
        indexes = {r[0] for r in await db.fetch("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"answers_by_user", "scores_by_user"} <= indexes
        await db.execute("UPDATE rounds SET closed_at = 30 WHERE id = 3")  # the open round closes...
        names = [tuple(r) for r in await db.fetch("SELECT round_id, display_name FROM answers")]
        assert sorted(names) == [(1, ""), (2, ""), (3, "Ann now"), (4, "Ann at the club")]  # ...round 2's go
    finally:
        await db.close()


def test_a_trigger_in_a_migration_stays_one_statement() -> None:
    script = """
    CREATE TABLE t (a INTEGER);
    CREATE TRIGGER t_twice AFTER INSERT ON t BEGIN UPDATE t SET a = a + 1; DELETE FROM t WHERE a > 9; END;
    CREATE INDEX t_a ON t(a);
    """
    statements = sqlite_backend.split_statements(script)
    assert len(statements) == 3 and statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


async def test_upgrade_to_schema_6_keeps_rounds_and_claims_one_round_per_slot(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    with sqlite3.connect(path) as old:
        for script in MIGRATIONS[:4]:
            old.executescript(script)
        old.execute("PRAGMA user_version = 4")
        old.execute(
            "INSERT INTO rounds (id, guild_id, channel_id, question_key, question, answer_seconds, opened_at)"
            " VALUES (1, 1, 5, 'k', '{}', 30, 0)"
        )
    db = await database.open_database(path)
    try:
        assert await db.schema_version() == len(MIGRATIONS)
        assert [tuple(r) for r in await db.fetch("SELECT id, slot_at FROM rounds")] == [(1, None)]
        insert = (
            "INSERT INTO rounds (guild_id, channel_id, question_key, question, answer_seconds, opened_at, slot_at,"
            " closed_at) VALUES (1, 5, 'k', '{}', 30, 0, ?, 1)"
        )
        await db.execute(insert, 60.0)
        await db.execute(insert, 120.0)
        with pytest.raises(sqlite3.IntegrityError, match="slot_at"):
            await db.execute(insert, 60.0)  # one round per server and slot
    finally:
        await db.close()


async def test_upgrade_to_schema_10_keeps_a_schedule_in_utc_and_claims_a_daily_moment_once(tmp_path: Path) -> None:
    path = tmp_path / "v9.db"
    with sqlite3.connect(path) as old:
        for script in MIGRATIONS[:9]:
            old.executescript(script)
        old.execute("PRAGMA user_version = 8")
        old.execute("CREATE TABLE schema_applied (version INTEGER NOT NULL)")
        old.execute("INSERT INTO schema_applied (version) VALUES (9)")
        old.execute(
            "INSERT INTO guild_settings (guild_id, channel_id, interval_minutes, next_round_at) VALUES (1, 5, 60, 9)"
        )
    db = await database.open_database(path)
    try:
        row = await db.fetch_one("SELECT interval_minutes, next_round_at, timezone, daily_time FROM guild_settings")
        assert row is not None and tuple(row) == (60, 9.0, None, None)  # every N minutes, in UTC, as before
        insert = "INSERT INTO daily_posts (guild_id, slot_at, rank, channel_id) VALUES (1, 60, 3, 5)"
        await db.execute(insert)
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute(insert)  # one moment per server and slot
    finally:
        await db.close()


async def test_processes_starting_at_once_on_a_fresh_database_migrate_it_once(database_target: str | Path) -> None:
    """Several processes share one database (shards): whichever gets the lock first migrates, the rest wait."""
    opened = await asyncio.gather(*(database.open_database(database_target) for _ in range(4)))
    try:
        for db in opened:
            assert await db.schema_version() == len(MIGRATIONS)
            await database.seed_catalogue(db, load_catalogue())
    finally:
        for db in opened:
            await db.close()


async def test_a_database_with_expansions_this_release_does_not_know_still_opens(database_target: str | Path) -> None:
    """A rollback by one release: the newer release's expand migrations are past this one's, and it starts."""
    db = await database.open_database(database_target)
    try:
        await db.execute("UPDATE schema_applied SET version = ?", len(MIGRATIONS) + 1)
    finally:
        await db.close()
    again = await database.open_database(database_target)
    try:
        assert await again.schema_version() == len(MIGRATIONS) + 1  # nothing undone, nothing run twice
    finally:
        await again.close()


def test_only_a_contract_migration_raises_what_older_releases_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.database import versions

    assert [versions.compatibility_version(n) for n in (1, 8, 9, 12)] == [1, 8, 8, 8]  # 9 on: expand only
    monkeypatch.setattr(versions, "CONTRACTS", frozenset({11}))
    assert [versions.compatibility_version(n) for n in (10, 11, 12)] == [8, 11, 11]
    versions.check_usable(8, 9)
    with pytest.raises(database.DatabaseError, match="schema 11, newer than this bot"):
        versions.check_usable(11, 10)


def test_a_folder_as_database_path_is_one_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        env={**os.environ, "DATABASE_PATH": str(tmp_path), "DATABASE_URL": "", "DISCORD_TOKEN": A_TOKEN},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and "is a folder" in result.stderr, result.stderr


def test_a_file_sqlite_cannot_open_leaves_no_thread_to_outlive_the_event_loop(tmp_path: Path) -> None:
    """aiosqlite's thread, told to stop by a failed connect, used to finish after the event loop had closed and
    print a traceback of its own after the one line."""
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "no" / "such" / "folder" / "m.db")  # SQLite can't create it
    loop = asyncio.new_event_loop()
    with pytest.raises(database.DatabaseError, match="cannot open the database"):
        loop.run_until_complete(database.open_database(dangling))
    loop.close()
    assert not [t for t in threading.enumerate() if "_connection_worker_thread" in t.name and t.is_alive()]


async def test_another_programs_sqlite_file_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO notes (body) VALUES ('mine')")
    other.close()
    before = path.read_bytes()
    with pytest.raises(database.DatabaseError, match=r"notes\.db belongs to another program"):
        await database.open_database(path)
    assert path.read_bytes() == before
    assert not path.with_name("notes.db-wal").exists()
    with contextlib.closing(sqlite3.connect(path)) as other:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert [r[0] for r in other.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["notes"]
