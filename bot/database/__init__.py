"""Storage: one interface, two backends. No discord import.

The stores (bot/trivia/store/, bot/privacy/store.py) and the catalogue (seeding.py) speak to a `Database`
in one dialect of SQL that both backends run: `?` placeholders (`?1`, `?2` to use one twice), standard
`INSERT ... ON CONFLICT`, `RETURNING`, `CASE` rather than either database's own functions, and a `CAST` on a
placeholder wherever its type can't be read from a column. Where the two must differ, the database says how
(`row_lock`, `lock_tables`).

- SQLite (sqlite.py, the default): one file, `DATABASE_PATH`; one aiosqlite connection per process, writes
  one at a time under a lock, in BEGIN IMMEDIATE transactions; several processes on one machine share it
  (WAL mode).
- PostgreSQL (postgresql.py): `DATABASE_URL=postgresql://...`; an asyncpg connection pool, so processes on
  many machines share one database. Writes that must see each other take row locks.

Each backend has its own numbered migrations (the same numbers mean the same schema on both) and says in the
database itself how far it has come.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from time import perf_counter
from typing import Any, Protocol

from bot.database.errors import DatabaseError
from bot.database.seeding import get_meta, read_catalogue, seed_catalogue, set_meta

__all__ = [
    "Database",
    "DatabaseError",
    "Executor",
    "Row",
    "get_meta",
    "is_postgresql_url",
    "open_database",
    "read_catalogue",
    "seed_catalogue",
    "set_meta",
]

Observe = Callable[[float], None]  # told how long each query took, in seconds (metrics)


class Row(Protocol):
    """A result row: by column name or position (sqlite3.Row and asyncpg.Record both are)."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


class Executor(abc.ABC):
    """Runs statements: on the database itself (each on its own), or inside one transaction."""

    @abc.abstractmethod
    async def fetch(self, query: str, *params: object) -> list[Row]:
        """Every row at once (no cursor stays open)."""

    async def fetch_one(self, query: str, *params: object) -> Row | None:
        rows = await self.fetch(query, *params)
        return rows[0] if rows else None

    async def fetch_value(self, query: str, *params: object) -> Any:
        row = await self.fetch_one(query, *params)
        return row[0] if row is not None else None

    @abc.abstractmethod
    async def execute(self, query: str, *params: object) -> int:
        """One statement; how many rows it changed."""

    @abc.abstractmethod
    async def execute_many(self, query: str, rows: Iterable[Sequence[object]]) -> None:
        """One statement for each of `rows`."""

    async def lock_tables(self, *tables: str) -> None:  # noqa: B027 (a no-op where writes are serialized anyway)
        """Inside a transaction: no other write to these tables until it ends. SQLite's writes already take
        turns; PostgreSQL's run side by side, so a deletion across servers locks what a round's close writes."""


class Database(Executor):
    backend: str  # "sqlite" or "postgresql"
    driver_errors: tuple[type[Exception], ...]  # what its driver raises when a statement or the connection fails
    location: str  # where it is, for messages (a PostgreSQL URL without its password)
    row_lock: str = ""  # appended to a SELECT that must lock its rows until the transaction ends

    @abc.abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Executor]:
        """BEGIN ... COMMIT; an error or a cancellation rolls it back."""

    @abc.abstractmethod
    async def schema_version(self) -> int: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    _observe: Observe | None = None

    def observe_queries(self, observe: Observe | None) -> None:
        """Report each query's time to `observe` (None: stop)."""
        self._observe = observe

    def _observed(self, started: float) -> None:
        """A query that began at perf_counter() `started` is done."""
        if self._observe is not None:
            self._observe(perf_counter() - started)

    async def ping(self) -> None:
        await self.fetch("SELECT 1")


def is_postgresql_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


async def open_database(target: str | Path) -> Database:
    """Open and migrate the database: a PostgreSQL URL, or an SQLite file (created if needed).
    Raises DatabaseError with a one-line reason, never a traceback."""
    if is_postgresql_url(target):
        from bot.database.postgresql import open_postgresql

        return await open_postgresql(str(target))
    from bot.database.sqlite import open_sqlite

    return await open_sqlite(Path(target))
