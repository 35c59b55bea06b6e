"""No cancellation point can leave a transaction open, and a failed COMMIT is rolled back and logged.

Each write of the trivia store is cancelled at every one of its calls into the database, in two ways: the
task is cancelled while the statement is already handed to aiosqlite's thread (so it still runs, as a real
cancellation does), or before the statement is handed over. After each, the connection has no transaction
open, the data is consistent, and the same write then works. SQLite's (aiosqlite's thread is what makes a
cancelled statement still run); PostgreSQL's transactions are asyncpg's, which resets a cancelled connection.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot import database
from bot.catalogue import load_catalogue
from bot.database import Database
from bot.database.sqlite import SQLiteDatabase
from bot.trivia.questions import question_pool
from bot.trivia.store import Click, TriviaStore

GUILD = 111
T0 = 1_800_000_000.0
POOL = question_pool(load_catalogue())

Write = Callable[[TriviaStore], Awaitable[object]]


class CancelAt:
    """Patches a connection so that its `at`-th call into the database cancels the calling task."""

    def __init__(self, db: aiosqlite.Connection, at: int, *, handed_over: bool) -> None:
        self.calls = 0
        self.at = at
        self.handed_over = handed_over
        self.fired = False
        for name in ("execute", "execute_fetchall", "executemany"):
            setattr(db, name, self._wrap(getattr(db, name)))

    def _wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == self.at:
                self.fired = True
                if not self.handed_over:
                    raise asyncio.CancelledError()
                task = asyncio.current_task()
                assert task is not None
                task.cancel()
            return real(*args, **kwargs)

        return call


async def _store(path: Path) -> TriviaStore:
    db = await database.open_database(path)
    assert isinstance(db, SQLiteDatabase)
    await database.seed_catalogue(db, load_catalogue())
    store = TriviaStore(db)
    await store.set_channel(GUILD, 900)
    return store


async def _open_and_post(store: TriviaStore) -> int:
    opened = await store.open_round(GUILD, POOL, random.Random(0), T0)
    await store.mark_posted(opened.id, 4242, T0)
    for user in range(3):
        await store.record_answer(Click(opened.id, user % 2, GUILD, 4242, user, f"m{user}"), T0 + 1)
    return opened.id


async def _rows(db: Database, query: str) -> int:
    return int(await db.fetch_value(query))


def _connection(store: TriviaStore) -> aiosqlite.Connection:
    assert isinstance(store.db, SQLiteDatabase)
    return store.db.connection


async def _consistent(store: TriviaStore) -> None:
    db = store.db
    # A round is opened together with its question's place in the cycle; a failed one gives it back.
    live_keys = await _rows(db, "SELECT COUNT(*) FROM rounds WHERE failed = 0")
    assert await _rows(db, "SELECT COUNT(*) FROM asked_questions") == live_keys
    # A round is closed together with its scores: both or neither.
    closed = await _rows(db, "SELECT COUNT(*) FROM rounds WHERE closed_at IS NOT NULL AND failed = 0")
    scored = await _rows(db, "SELECT COUNT(*) FROM scores WHERE rounds_answered > 0")
    assert (closed > 0) == (scored > 0)
    assert await _rows(db, "SELECT COUNT(*) FROM rounds WHERE closed_at IS NULL") <= 1


async def _open(store: TriviaStore) -> object:
    return await store.open_round(GUILD, POOL, random.Random(0), T0)


async def _close(store: TriviaStore) -> object:
    [round_id] = await store.rounds_due_to_close(T0 + 60)
    return await store.close_round(round_id, T0 + 60)


async def _fail(store: TriviaStore) -> object:
    [round_id] = await store.abandoned_rounds(T0 + 3600, opened_before=T0 + 1)
    return await store.fail_round(round_id, T0 + 1)


async def _answer(store: TriviaStore) -> object:
    [round_id] = await store.rounds_due_to_close(T0 + 60)
    return await store.record_answer(Click(round_id, 0, GUILD, 4242, 99, "late"), T0 + 2)


async def _refused(store: TriviaStore) -> object:
    return await store.record_refused_post(GUILD, "403", T0, pause_after=1)


async def _seed(store: TriviaStore) -> object:
    await database.set_meta(store.db, "catalogue_fingerprint", "changed")
    return await database.seed_catalogue(store.db, load_catalogue())


SETUPS: dict[str, Callable[[TriviaStore], Awaitable[object]]] = {
    "open": lambda store: asyncio.sleep(0),
    "close": _open_and_post,
    "fail": _open,
    "answer": _open_and_post,
    "refused": lambda store: store.set_schedule(GUILD, 5, T0),
    "seed": lambda store: asyncio.sleep(0),
}
WRITES: dict[str, Write] = {
    "open": _open,
    "close": _close,
    "fail": _fail,
    "answer": _answer,
    "refused": _refused,
    "seed": _seed,
}


async def _calls_made_by(name: str, tmp_path: Path) -> int:
    store = await _store(tmp_path / f"{name}-count.db")
    try:
        await SETUPS[name](store)
        counter = CancelAt(_connection(store), at=0, handed_over=True)
        await WRITES[name](store)
        return counter.calls
    finally:
        await store.db.close()


@pytest.mark.parametrize("name", list(WRITES))
@pytest.mark.parametrize("handed_over", [True, False], ids=["statement-handed-over", "before-the-statement"])
async def test_a_write_cancelled_at_any_point_leaves_no_transaction_open(
    name: str, handed_over: bool, tmp_path: Path
) -> None:
    calls = await _calls_made_by(name, tmp_path)
    assert calls >= 1
    for at in range(1, calls + 1):
        store = await _store(tmp_path / f"{name}-{handed_over}-{at}.db")
        try:
            await SETUPS[name](store)
            connection = _connection(store)
            real = {n: getattr(connection, n) for n in ("execute", "execute_fetchall", "executemany")}
            cancel = CancelAt(connection, at, handed_over=handed_over)
            with pytest.raises(asyncio.CancelledError):
                await asyncio.create_task(WRITES[name](store))
            assert cancel.fired
            for attribute, method in real.items():
                setattr(connection, attribute, method)
            await connection.execute("SELECT 1")  # whatever was handed over has run by now
            assert not connection.in_transaction, f"{name}: a transaction was left open after call {at}"
            await _consistent(store)
            if await _still_to_do(store, name):
                await WRITES[name](store)
            assert not connection.in_transaction
            await _consistent(store)
        finally:
            await store.db.close()


async def _still_to_do(store: TriviaStore, name: str) -> bool:
    """A write cancelled at its COMMIT has committed, although its caller saw the cancellation."""
    if name == "open":
        return await store.open_round_of(GUILD) is None
    if name == "close":
        return bool(await store.rounds_due_to_close(T0 + 60))
    if name == "fail":
        return bool(await store.abandoned_rounds(T0 + 3600, opened_before=T0 + 1))
    return True


async def test_a_failed_commit_is_rolled_back_and_logged_with_the_real_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = await _store(tmp_path / "commit.db")
    try:
        with caplog.at_level(logging.ERROR, logger="bot.database"), pytest.raises(sqlite3.IntegrityError):
            async with store.db.transaction() as db:
                await db.execute("PRAGMA defer_foreign_keys = ON")  # the check moves to COMMIT
                await db.execute(
                    "INSERT INTO answers (round_id, user_id, choice, answered_at) VALUES (424242, 1, 0, 0)"
                )
        assert "FOREIGN KEY constraint failed" in caplog.text and "rolled back" in caplog.text
        assert not _connection(store).in_transaction
        assert await _rows(store.db, "SELECT COUNT(*) FROM answers") == 0
        await store.set_schedule(GUILD, 5, T0)  # the next write works
        assert (await store.settings(GUILD)).interval_minutes == 5
    finally:
        await store.db.close()
