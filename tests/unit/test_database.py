"""The database: migrations keep data, seeding is idempotent and never touches scores."""

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
