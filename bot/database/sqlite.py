"""The SQLite backend (the default): one file, one aiosqlite connection per process. No discord import.

Schema changes are appended to MIGRATIONS (bot/database/sqlite_schema.py) and never edited once released: each
runs once, in order, inside a transaction, and `schema_applied` and PRAGMA user_version record how far a database
has come (bot/database/versions.py). That keeps every guild's settings and scores through an upgrade.
bot/database/postgresql_schema.py has the same migrations, by number, in PostgreSQL's words: a change is made to
both.

The bot shares one connection (autocommit). Statements from concurrent tasks would land inside each other's
transactions, so every write goes through one lock per connection, and a transaction is BEGIN IMMEDIATE ...
COMMIT under it. Reads fetch everything in one call, so no statement is left open on the shared connection (an
open read would pin an old snapshot, and a write next to it could fail at once with "database is locked").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from time import perf_counter
from typing import cast

import aiosqlite

from bot.database import Database, Executor, Row, versions
from bot.database.errors import DatabaseError
from bot.database.sqlite_schema import MIGRATIONS as MIGRATIONS  # the schema, re-exported

log = logging.getLogger("bot.database")


class SQLiteDatabase(Database):
    backend = "sqlite"
    driver_errors = (sqlite3.Error,)

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self.location = str(path)
        self._write_lock = asyncio.Lock()  # one write at a time on the shared connection
        self._in_transaction = _Transaction(self)

    async def fetch(self, query: str, *params: object) -> list[Row]:
        started = perf_counter()
        try:
            return cast(list[Row], list(await self.connection.execute_fetchall(query, params)))
        finally:
            self._observed(started)

    async def execute(self, query: str, *params: object) -> int:
        async with self._write_lock:
            return await self._execute(query, params)

    async def execute_many(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        async with self._write_lock:
            await self._execute_many(query, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Executor]:
        async with self._write_lock, transaction(self.connection):
            yield self._in_transaction

    async def schema_version(self) -> int:
        return await applied_migrations(self.connection)

    async def close(self) -> None:
        await self.connection.close()

    async def _execute(self, query: str, params: Sequence[object]) -> int:
        started = perf_counter()
        try:
            # One trip to aiosqlite's thread, not two (execute, then close the cursor): the write lock is held
            # for every trip, and a storm of answers queues behind it (bench/storm.py).
            on_its_thread = cast(Callable[..., Awaitable[int]], self.connection._execute)
            return await on_its_thread(_rowcount_of, self.connection._conn, query, params)
        finally:
            self._observed(started)

    async def _execute_many(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        started = perf_counter()
        try:
            await self.connection.executemany(query, rows)
        finally:
            self._observed(started)


def _rowcount_of(connection: sqlite3.Connection, query: str, params: Sequence[object]) -> int:
    """Run one statement on aiosqlite's thread and return how many rows it changed."""
    cursor = connection.execute(query, params)
    try:
        return cursor.rowcount
    finally:
        cursor.close()


class _Transaction(Executor):
    """Statements inside SQLiteDatabase.transaction: the same connection, the lock already held."""

    def __init__(self, database: SQLiteDatabase) -> None:
        self.database = database

    async def fetch(self, query: str, *params: object) -> list[Row]:
        return await self.database.fetch(query, *params)

    async def execute(self, query: str, *params: object) -> int:
        return await self.database._execute(query, params)

    async def execute_many(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        await self.database._execute_many(query, rows)


async def open_sqlite(path: Path) -> SQLiteDatabase:
    """Open (creating if needed) and migrate the database file. Raises DatabaseError, never a traceback."""
    if path.is_dir():
        raise DatabaseError(f"cannot open the database at {path}: it is a folder; name a file in it, e.g. moments.db")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot open the database at {path}: {exc}") from exc
    connection = aiosqlite.connect(path, isolation_level=None)
    try:
        await connection
    except (OSError, sqlite3.Error) as exc:
        await _wait_for_thread(connection)
        raise DatabaseError(f"cannot open the database at {path}: {exc}") from exc
    try:
        connection.row_factory = aiosqlite.Row
        await connection.execute("PRAGMA busy_timeout = 5000")
        await _refuse_foreign(connection, path)
        await _prepare(connection)
    except DatabaseError:
        await connection.close()  # else its thread keeps the process alive
        raise
    except sqlite3.Error as exc:
        await connection.close()
        raise DatabaseError(f"cannot use the database at {path}: {exc}") from exc
    return SQLiteDatabase(connection, path)


async def _wait_for_thread(connection: aiosqlite.Connection) -> None:
    """A failed connect has told aiosqlite's thread to stop; it must finish while the event loop runs, or it
    prints a traceback of its own after the loop has closed."""
    await asyncio.to_thread(connection._thread.join, 5.0)


async def _refuse_foreign(db: aiosqlite.Connection, path: Path) -> None:
    """Another program's SQLite file (tables, but not this bot's) is refused before anything in it changes:
    migrating it would add the bot's tables and switch it to WAL mode."""
    tables = {row[0] for row in await db.execute_fetchall(FOREIGN_TABLES)} - {"schema_applied"}  # the migrator's own
    if not tables or (await schema_version(db) > 0 and tables >= BOT_TABLES):
        return
    raise DatabaseError(
        f"the database at {path} belongs to another program ({len(tables)} tables, not this bot's): "
        "left as it is; point DATABASE_PATH at a new file"
    )


async def _prepare(db: aiosqlite.Connection, attempts: int = 5) -> None:
    """WAL mode, then the migrations. Processes starting at once on a fresh file (shards) can meet SQLite's
    "database is locked" where waiting would deadlock (turning the file into WAL, upgrading a read): try again."""
    for attempt in range(1, attempts + 1):
        try:
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await migrate(db)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts:
                raise
            log.info("database locked by another process starting up; trying again (%d)", attempt)
            await asyncio.sleep(0.2 * attempt)


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """BEGIN IMMEDIATE ... COMMIT on an autocommit connection; any error or cancellation rolls it back.

    aiosqlite runs statements in order on its own thread, and a cancelled `await` does not stop a statement
    already handed to it: BEGIN may still run after its caller was cancelled. So the ROLLBACK is always sent
    (it runs after whatever was queued before it), and "no transaction is active" is not an error here.
    """
    try:
        await db.execute("BEGIN IMMEDIATE")
        yield db
        await db.execute("COMMIT")
    except BaseException as exc:
        await _roll_back(db, exc)
        raise


async def _roll_back(db: aiosqlite.Connection, cause: BaseException) -> None:
    if isinstance(cause, sqlite3.Error):
        log.error("database write failed and was rolled back: %s", cause)
    with contextlib.suppress(sqlite3.OperationalError, ValueError):  # ValueError: the connection is closed
        await db.execute("ROLLBACK")


FOREIGN_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
BOT_TABLES = {"meta", "moments"}  # migration 1's, in every database this bot made


async def schema_version(db: aiosqlite.Connection) -> int:
    """The compatibility version (bot/database/versions.py): what every release checks."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def applied_migrations(db: aiosqlite.Connection) -> int:
    """How many migrations the database has had (expansions past its compatibility version included)."""
    compatibility = await schema_version(db)
    async with db.execute("SELECT MAX(version) FROM schema_applied") as cursor:
        row = await cursor.fetchone()
    return max(compatibility, int(row[0]) if row and row[0] is not None else 0)


async def migrate(db: aiosqlite.Connection) -> None:
    """Run the migrations this database has not had, each in its own transaction.

    Foreign keys are off meanwhile, so a migration can rebuild a table others refer to (SQLite's way to change a
    column); each migration is checked with PRAGMA foreign_key_check before it commits.
    """
    versions.check_usable(await schema_version(db), len(MIGRATIONS))
    await db.execute(versions.CREATE_APPLIED)
    applied = await applied_migrations(db)
    if applied >= len(MIGRATIONS):
        return
    await db.execute("PRAGMA foreign_keys = OFF")
    try:
        for version, script in enumerate(MIGRATIONS[applied:], start=applied + 1):
            statements = split_statements(script)
            async with transaction(db):
                if await applied_migrations(db) >= version:
                    continue  # had it before, or another process sharing the file ran it while this one waited
                for statement in statements:
                    await db.execute(statement)
                if await db.execute_fetchall("PRAGMA foreign_key_check"):
                    raise DatabaseError(f"migration {version} would break a foreign key")
                await db.execute("DELETE FROM schema_applied")
                await db.execute("INSERT INTO schema_applied (version) VALUES (?)", (version,))
                await db.execute(f"PRAGMA user_version = {versions.compatibility_version(version)}")
            log.info("database migrated to schema %d", version)
    finally:
        await db.execute("PRAGMA foreign_keys = ON")


def split_statements(script: str) -> list[str]:
    """The statements of a migration, one by one; a trigger's body (with its own semicolons) stays whole."""
    statements: list[str] = []
    pending = ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending.strip())
    return statements
