"""The kinds of question a server chose: the pool it gets, and what the store keeps. No Discord."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import database
from bot.catalogue import load_catalogue
from bot.trivia import cards
from bot.trivia.questions import KINDS, YEAR_OF_DRAMA, QuestionTemplate, question_pool
from bot.trivia.store import GuildSettings, TriviaError, TriviaStore, chosen_pool


@pytest.fixture
async def store(database_target: str | Path) -> AsyncIterator[TriviaStore]:
    """On SQLite, then on PostgreSQL (tests/conftest.py)."""
    db = await database.open_database(database_target)
    yield TriviaStore(db)
    await db.close()


@pytest.fixture(scope="module")
def pool() -> list[QuestionTemplate]:
    return question_pool(load_catalogue())


async def test_a_server_keeps_the_kinds_it_chose_in_the_pools_order_and_at_least_one(store: TriviaStore) -> None:
    assert (await store.settings(1)).question_kinds is None  # every kind
    assert await store.set_question_kinds(1, ["year_of_drama", "drama_of_scene", "nonsense"], KINDS) == (
        "drama_of_scene",
        "year_of_drama",
    )
    assert (await store.settings(1)).question_kinds == ("drama_of_scene", "year_of_drama")
    assert (await store.settings(2)).question_kinds is None  # per server
    with pytest.raises(TriviaError, match="at least one") as raised:
        await store.set_question_kinds(1, ["nonsense"], KINDS)
    assert raised.value.text("ko") == "문제 종류를 하나 이상 골라 주세요."
    assert await store.set_question_kinds(1, list(KINDS), KINDS) == KINDS
    assert (await store.settings(1)).question_kinds is None


async def test_rounds_ask_only_the_chosen_kinds(store: TriviaStore, pool: list[QuestionTemplate]) -> None:
    await store.set_channel(1, 5)
    await store.set_question_kinds(1, [YEAR_OF_DRAMA], KINDS)
    rng = random.Random(4)
    for n in range(8):
        opened = await store.open_round(1, pool, rng, 1000.0 + n * 100)
        assert opened.question.kind == YEAR_OF_DRAMA
        await store.fail_round(opened.id, 1001.0 + n * 100)


def test_a_choice_no_longer_in_the_pool_falls_back_to_every_question(pool: list[QuestionTemplate]) -> None:
    assert chosen_pool(pool, None) == pool
    assert chosen_pool(pool, ("gone",)) == pool
    assert {t.kind for t in chosen_pool(pool, (YEAR_OF_DRAMA,))} == {YEAR_OF_DRAMA}


def test_the_config_card_offers_each_kind_with_how_many_questions_it_holds() -> None:
    kinds = [("drama_of_scene", 9), ("year_of_drama", 7)]
    reply = cards.config_card(GuildSettings(1, question_kinds=("year_of_drama",)), None, kinds=kinds)
    assert reply.ephemeral and reply.card is not None
    [menu] = reply.card.selects
    assert [(o.value, o.description, o.default) for o in menu.options] == [
        ("drama_of_scene", "9 questions", False),
        ("year_of_drama", "7 questions", True),
    ]
    assert (menu.min_values, menu.max_values, menu.custom_id) == (1, 2, "pms:kinds:")
    assert "the year a drama aired: 7 questions of 16" in reply.card.fields[-2].value
    assert cards.config_card(GuildSettings(1), None).card.selects == ()  # type: ignore[union-attr]
