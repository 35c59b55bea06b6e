"""The database: migrations keep data, seeding is idempotent and never touches scores."""

import asyncio
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from bot import database
from bot.catalogue import load_catalogue


async def test_fresh_database_is_migrated_seeded_and_read_back(tmp_path: Path) -> None:
    db = await database.open_database(tmp_path / "m.db")
    try:
        catalogue = load_catalogue()
        assert await database.seed_catalogue(db, catalogue) is True
        assert await database.schema_version(db) == len(database.MIGRATIONS)
        assert await database.read_catalogue(db) == catalogue
        async with db.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with db.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1
    finally:
        await db.close()


async def test_seeding_twice_changes_nothing(tmp_path: Path) -> None:
    db = await database.open_database(tmp_path / "m.db")
    try:
        catalogue = load_catalogue()
        await database.seed_catalogue(db, catalogue)
        before = await db.execute_fetchall("SELECT * FROM cast_members ORDER BY rank, position")
        assert await database.seed_catalogue(db, catalogue) is False
        after = await db.execute_fetchall("SELECT * FROM cast_members ORDER BY rank, position")
        assert [tuple(r) for r in before] == [tuple(r) for r in after]
    finally:
        await db.close()


async def test_reseeding_a_changed_catalogue_keeps_scores(tmp_path: Path) -> None:
    db = await database.open_database(tmp_path / "m.db")
    try:
        catalogue = load_catalogue()
        await database.seed_catalogue(db, catalogue)
        await db.execute("INSERT INTO scores (guild_id, user_id, points) VALUES (1, 2, 5)")
        changed = replace(catalogue, moments=catalogue.moments[1:])
        assert await database.seed_catalogue(db, changed) is True
        assert (await database.read_catalogue(db)).ranks == catalogue.ranks[1:]
        rows = await db.execute_fetchall("SELECT points FROM scores WHERE guild_id = 1 AND user_id = 2")
        assert [r[0] for r in rows] == [5]
    finally:
        await db.close()


async def test_upgrade_from_schema_1_keeps_existing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript(database.MIGRATIONS[0])
        old.execute("PRAGMA user_version = 1")
        old.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
    db = await database.open_database(path)
    try:
        assert await database.schema_version(db) == len(database.MIGRATIONS)
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
        for script in database.MIGRATIONS[:2]:
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
        assert await database.schema_version(db) == len(database.MIGRATIONS)
        names = [tuple(r) for r in await db.execute_fetchall("SELECT round_id, display_name FROM answers")]
        assert sorted(names) == [(1, ""), (2, "Ann 2024"), (3, "Ann now"), (4, "Ann at the club")]
        assert [tuple(r) for r in await db.execute_fetchall("SELECT points, display_name FROM scores")] == [
            (2, "Ann 2024")
        ]
        indexes = {r[0] for r in await db.execute_fetchall("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"answers_by_user", "scores_by_user"} <= indexes
        await db.execute("UPDATE rounds SET closed_at = 30 WHERE id = 3")  # the open round closes...
        names = [tuple(r) for r in await db.execute_fetchall("SELECT round_id, display_name FROM answers")]
        assert sorted(names) == [(1, ""), (2, ""), (3, "Ann now"), (4, "Ann at the club")]  # ...round 2's go
    finally:
        await db.close()


def test_a_trigger_in_a_migration_stays_one_statement() -> None:
    script = """
    CREATE TABLE t (a INTEGER);
    CREATE TRIGGER t_twice AFTER INSERT ON t BEGIN UPDATE t SET a = a + 1; DELETE FROM t WHERE a > 9; END;
    CREATE INDEX t_a ON t(a);
    """
    statements = database.split_statements(script)
    assert len(statements) == 3 and statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


async def test_upgrade_to_schema_6_keeps_rounds_and_claims_one_round_per_slot(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    with sqlite3.connect(path) as old:
        for script in database.MIGRATIONS[:4]:
            old.executescript(script)
        old.execute("PRAGMA user_version = 4")
        old.execute(
            "INSERT INTO rounds (id, guild_id, channel_id, question_key, question, answer_seconds, opened_at)"
            " VALUES (1, 1, 5, 'k', '{}', 30, 0)"
        )
    db = await database.open_database(path)
    try:
        assert await database.schema_version(db) == len(database.MIGRATIONS) == 6
        assert [tuple(r) for r in await db.execute_fetchall("SELECT id, slot_at FROM rounds")] == [(1, None)]
        insert = (
            "INSERT INTO rounds (guild_id, channel_id, question_key, question, answer_seconds, opened_at, slot_at,"
            " closed_at) VALUES (1, 5, 'k', '{}', 30, 0, ?, 1)"
        )
        await db.execute(insert, (60.0,))
        await db.execute(insert, (120.0,))
        with pytest.raises(sqlite3.IntegrityError, match="slot_at"):
            await db.execute(insert, (60.0,))  # one round per server and slot
    finally:
        await db.close()


async def test_processes_starting_at_once_on_a_fresh_file_migrate_it_once(tmp_path: Path) -> None:
    """Several processes share one database (shards): whichever gets the lock first migrates, the rest wait."""
    path = tmp_path / "shared.db"
    opened = await asyncio.gather(*(database.open_database(path) for _ in range(4)))
    try:
        for db in opened:
            assert await database.schema_version(db) == len(database.MIGRATIONS)
    finally:
        for db in opened:
            await db.close()
