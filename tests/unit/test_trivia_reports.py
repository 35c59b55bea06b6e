"""Reports of a problem with a question: once per member per round, listed by question, deleted on request."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import database
from bot.catalogue import load_catalogue
from bot.database import Database
from bot.privacy.store import PrivacyStore
from bot.trivia.cards import reports_text
from bot.trivia.questions import question_pool
from bot.trivia.store import Round, TriviaStore

T0 = 1_800_000_000.0


@pytest.fixture
async def db(database_target: str | Path) -> AsyncIterator[Database]:
    """On SQLite, then on PostgreSQL (tests/conftest.py)."""
    connection = await database.open_database(database_target)
    yield connection
    await connection.close()


async def _closed(store: TriviaStore, guild: int, now: float) -> Round:
    await store.set_channel(guild, 5)
    opened = await store.open_round(guild, question_pool(load_catalogue()), random.Random(now), now)
    await store.mark_posted(opened.id, int(now), now)
    await store.close_round(opened.id, now + 30)
    return opened


async def test_one_report_per_member_per_round_even_at_once_and_only_for_a_closed_round_here(
    db: Database,
) -> None:
    store = TriviaStore(db)
    await store.set_channel(1, 5)
    opened = await store.open_round(1, question_pool(load_catalogue()), random.Random(1), T0)
    assert not await store.report_question(opened.id, 1, 7, "unclear", T0)  # still open
    await store.mark_posted(opened.id, 99, T0)
    await store.close_round(opened.id, T0 + 30)
    assert not await store.report_question(opened.id, 2, 7, "unclear", T0 + 40)  # another server's round
    results = await asyncio.gather(*(store.report_question(opened.id, 1, 7, "other", T0 + 40) for _ in range(5)))
    assert sorted(results) == [False] * 4 + [True]
    assert await store.has_reported(opened.id, 7) and not await store.has_reported(opened.id, 8)


async def test_reports_are_listed_newest_first_grouped_by_question_and_forgotten_on_request(
    db: Database,
) -> None:
    store = TriviaStore(db)
    first = await _closed(store, 1, T0)
    second = await _closed(store, 2, T0 + 100)
    await store.report_question(first.id, 1, 7, "wrong_answer", T0 + 50)
    await store.report_question(second.id, 2, 8, "unclear", T0 + 150)
    await store.report_question(first.id, 1, 8, "other", T0 + 200)
    found = await store.reports()
    assert found[0].question_key == first.question.key  # the most recently reported question first
    assert (found[0].reports[0].reason, found[0].reports[0].round_id) == ("other", first.id)
    assert len({q.question_key for q in found}) == len(found) and sum(len(q.reports) for q in found) == 3
    for question in found:
        times = [r.reported_at for r in question.reports]
        assert times == sorted(times, reverse=True)
    text = reports_text(found)
    assert first.question.prompt in text and "2027-01-15 08:03 UTC  server 1" in text
    assert reports_text([]) == "No question has been reported."
    await PrivacyStore(db).forget_member(8)
    assert [r.reason for q in await store.reports() for r in q.reports] == ["wrong_answer"]
    await PrivacyStore(db).forget_server(1)
    assert await store.reports() == []
