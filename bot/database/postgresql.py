"""The PostgreSQL backend: `DATABASE_URL=postgresql://...`, on an asyncpg connection pool. No discord import.

MIGRATIONS (bot/database/postgresql_schema.py) are SQLite's, number for number, in PostgreSQL's words (BIGINT
ids, DOUBLE PRECISION times, an identity column where SQLite has AUTOINCREMENT, a PL/pgSQL trigger); only the
schema, since a PostgreSQL database starts empty (`python -m bot migrate` brings an SQLite one's data across).
The versions are kept in `schema_version` and `schema_applied` (bot/database/versions.py); processes starting
at once migrate one after the other (an advisory lock).

Statements arrive in the shared dialect (see bot/database/__init__.py) and are rewritten once each for asyncpg:
`?` and `?N` become `$N`. Statements run on the pool, each on its own; a transaction holds one connection.
Writes run side by side here, so the stores lock what must not change under them (`row_lock`, `lock_tables`).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from time import perf_counter
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.database import Database, Executor, Row, versions
from bot.database.errors import DatabaseError
from bot.database.postgresql_schema import MIGRATIONS as MIGRATIONS  # the schema, re-exported

log = logging.getLogger("bot.database")

POOL_SIZE = 10  # connections per process at most; a transaction holds one, a single statement borrows one
CONNECT_TIMEOUT = 10.0  # seconds
MIGRATION_LOCK = 0x504D_6D69_6772  # the advisory lock processes take to migrate one at a time ("PMmigr")


class PostgreSQLDatabase(Database):
    backend = "postgresql"
    driver_errors = (asyncpg.PostgresError, asyncpg.InterfaceError)
    row_lock = " FOR UPDATE"

    def __init__(self, pool: asyncpg.Pool, location: str) -> None:
        self.pool = pool
        self.location = location

    async def fetch(self, query: str, *params: object) -> list[Row]:
        return await self._fetch(self.pool, query, params)

    async def execute(self, query: str, *params: object) -> int:
        return await self._execute(self.pool, query, params)

    async def execute_many(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        await self._execute_many(self.pool, query, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Executor]:
        async with self.pool.acquire() as connection, connection.transaction():
            yield _Transaction(self, connection)

    async def schema_version(self) -> int:
        async with self.pool.acquire() as connection:
            return await applied_migrations(connection)

    async def close(self) -> None:
        await self.pool.close()

    # Each runs on `runner`: the pool (a statement on its own) or a transaction's connection.

    async def _fetch(self, runner: Any, query: str, params: Sequence[object]) -> list[Row]:
        started = perf_counter()
        try:
            return cast(list[Row], await runner.fetch(dialect(query), *params))
        finally:
            self._observed(started)

    async def _execute(self, runner: Any, query: str, params: Sequence[object]) -> int:
        started = perf_counter()
        try:
            return changed(await runner.execute(dialect(query), *params))
        finally:
            self._observed(started)

    async def _execute_many(self, runner: Any, query: str, rows: Iterable[Sequence[object]]) -> None:
        started = perf_counter()
        try:
            await runner.executemany(dialect(query), list(rows))
        finally:
            self._observed(started)


class _Transaction(Executor):
    """Statements inside PostgreSQLDatabase.transaction, on its one connection."""

    def __init__(self, database: PostgreSQLDatabase, connection: PoolConnectionProxy) -> None:
        self.database = database
        self.connection = connection

    async def fetch(self, query: str, *params: object) -> list[Row]:
        return await self.database._fetch(self.connection, query, params)

    async def execute(self, query: str, *params: object) -> int:
        return await self.database._execute(self.connection, query, params)

    async def execute_many(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        await self.database._execute_many(self.connection, query, rows)

    async def lock_tables(self, *tables: str) -> None:
        if not all(_NAME.fullmatch(table) for table in tables):
            raise ValueError(f"not table names: {tables}")
        await self.connection.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")


_NAME = re.compile(r"[a-z_]+")
_PLACEHOLDER = re.compile(r"'[^']*'|\?(\d*)")


@functools.lru_cache(maxsize=1024)
def dialect(query: str) -> str:
    """The shared dialect's `?` (the next parameter) and `?N` (parameter N) as PostgreSQL's `$N`; quoted text
    is left as it is."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(0).startswith("'"):
            return match.group(0)
        if match.group(1):
            return "$" + match.group(1)
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, query)


def changed(status: str) -> int:
    """How many rows a command changed, from its status ("UPDATE 3", "INSERT 0 1", "DELETE 0")."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


async def open_postgresql(url: str) -> PostgreSQLDatabase:
    """Connect a pool and migrate the database. Raises DatabaseError, never a traceback."""
    location = without_password(url)
    try:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=POOL_SIZE, timeout=CONNECT_TIMEOUT)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError, ValueError) as exc:
        raise DatabaseError(f"cannot connect to the database at {location}: {exc}") from exc
    try:
        await migrate(pool)
    except DatabaseError:
        await pool.close()
        raise
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        await pool.close()
        raise DatabaseError(f"cannot use the database at {location}: {exc}") from exc
    return PostgreSQLDatabase(pool, location)


async def migrate(pool: asyncpg.Pool) -> None:
    """Run the migrations this database has not had, all in one transaction (PostgreSQL's DDL is
    transactional), holding the migration lock so a second process starting at once waits and then finds
    nothing left to do. `schema_version` keeps the compatibility version, `schema_applied` how many ran
    (bot/database/versions.py)."""
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        await connection.execute(versions.CREATE_APPLIED)
        compatibility = await connection.fetchval("SELECT version FROM schema_version")
        if compatibility is None:
            await connection.execute("INSERT INTO schema_version (version) VALUES (0)")
            compatibility = 0
        versions.check_usable(compatibility, len(MIGRATIONS))
        applied = await applied_migrations(connection)
        for version, script in enumerate(MIGRATIONS[applied:], start=applied + 1):
            await connection.execute(script)
            await connection.execute("DELETE FROM schema_applied")
            await connection.execute("INSERT INTO schema_applied (version) VALUES ($1)", version)
            await connection.execute("UPDATE schema_version SET version = $1", versions.compatibility_version(version))
            log.info("database migrated to schema %d", version)


async def applied_migrations(connection: PoolConnectionProxy) -> int:
    """How many migrations the database has had (expansions past its compatibility version included)."""
    compatibility = await connection.fetchval("SELECT version FROM schema_version")
    applied = await connection.fetchval("SELECT MAX(version) FROM schema_applied")
    return max(int(compatibility or 0), int(applied or 0))
