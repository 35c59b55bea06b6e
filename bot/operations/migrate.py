"""`python -m bot migrate --to postgresql://...`: an SQLite database, copied whole into PostgreSQL. No discord import.

For an operator who outgrows one machine and keeps every score. The SQLite file is opened as the bot opens it
(so one at an older schema is first brought up to date, as starting the bot would), then only read. The target
must be empty: it is migrated to the same schema, and every table is copied in one transaction, parents before
the tables that refer to them, with PostgreSQL's COPY in batches. Then each table's rows are counted on both
sides; if any count differs, or anything fails, the transaction is rolled back and the target is left empty.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bot.database import DatabaseError
from bot.database.postgresql import PostgreSQLDatabase, open_postgresql
from bot.database.sqlite import SQLiteDatabase, open_sqlite

# Every table, parents first (answers and reports refer to rounds; aliases, cast and songs to moments).
TABLES = (
    "meta",
    "moments",
    "drama_aliases",
    "cast_members",
    "songs",
    "guild_settings",
    "rounds",
    "answers",
    "scores",
    "asked_questions",
    "season_scores",
    "seasons",
    "question_reports",
    "daily_moments",
    "daily_posts",
    "server_questions",
)
BATCH = 20_000  # rows read from SQLite and sent with one COPY


class MigrationError(RuntimeError):
    """The copy was refused or failed, and nothing was kept; the message is one line saying why."""


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    rows: int  # counted in both databases after the copy: equal


@dataclass(frozen=True, slots=True)
class Migration:
    tables: tuple[Copied, ...]
    seconds: float
    target: str  # the URL, without its password

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


async def migrate_to_postgresql(
    source: Path, url: str, *, progress: Callable[[str], None] = lambda line: None
) -> Migration:
    """Copy the SQLite database at `source` into the empty PostgreSQL database at `url`."""
    if not source.is_file():
        raise MigrationError(f"there is no database at {source} (check DATABASE_PATH)")
    began = time.perf_counter()
    try:
        sqlite = await open_sqlite(source)
    except DatabaseError as exc:
        raise MigrationError(str(exc)) from exc
    try:
        postgresql = await open_postgresql(url)
    except DatabaseError as exc:
        await sqlite.close()
        raise MigrationError(str(exc)) from exc
    try:
        await _check(sqlite, postgresql)
        copied = await _copy(sqlite, postgresql, progress)
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
        raise MigrationError(f"the copy into {postgresql.location} failed, and nothing was kept: {exc}") from exc
    finally:
        await sqlite.close()
        await postgresql.close()
    return Migration(copied, time.perf_counter() - began, postgresql.location)


async def _check(sqlite: SQLiteDatabase, postgresql: PostgreSQLDatabase) -> None:
    source, target = await sqlite.schema_version(), await postgresql.schema_version()
    if source != target:
        raise MigrationError(f"the SQLite database is at schema {source} and PostgreSQL at {target}: they must match")
    for table in TABLES:
        if await postgresql.fetch_value(f"SELECT EXISTS (SELECT 1 FROM {table})"):
            raise MigrationError(
                f"the PostgreSQL database at {postgresql.location} is not empty ({table} has rows):"
                " migrate copies into an empty database only"
            )


async def _copy(
    sqlite: SQLiteDatabase, postgresql: PostgreSQLDatabase, progress: Callable[[str], None]
) -> tuple[Copied, ...]:
    copied: list[Copied] = []
    async with postgresql.pool.acquire() as target, target.transaction():
        for table in TABLES:
            columns = [str(row[1]) for row in await sqlite.fetch(f"PRAGMA table_info({table})")]
            sent = 0
            async with sqlite.connection.execute(f"SELECT {', '.join(columns)} FROM {table}") as cursor:
                while rows := list(await cursor.fetchmany(BATCH)):
                    await target.copy_records_to_table(table, records=[tuple(r) for r in rows], columns=columns)
                    sent += len(rows)
            counted = int(await target.fetchval(f"SELECT COUNT(*) FROM {table}"))
            expected = int(await sqlite.fetch_value(f"SELECT COUNT(*) FROM {table}"))
            if not sent == counted == expected:
                raise MigrationError(
                    f"{table}: {expected:,} rows in SQLite but {counted:,} in PostgreSQL; nothing was kept"
                )
            progress(f"{table}: {counted:,} rows")
            copied.append(Copied(table, counted))
        # New rounds and server questions carry on after the copied ones: ids are never reused (a button names
        # its round, a review button its question).
        for table in ("rounds", "server_questions"):
            await target.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            )
    return tuple(copied)
