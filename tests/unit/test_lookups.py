"""The lookup commands' answers, straight from the catalogue, without Discord."""

import random

import pytest

from bot.catalogue import load_catalogue
from bot.lookups.answers import MISSING_RANK_1, Lookups
from bot.render import card_text


@pytest.fixture(scope="module")
def lookups() -> Lookups:
    return Lookups(load_catalogue(), random.Random(7))


def test_rank_3_is_traffic_kiss(lookups: Lookups) -> None:
    card = lookups.rank(3).card
    assert card is not None
    text = card_text(card)
    assert card.title == "#3 · Traffic Kiss"
    for fact in ("Boys Over Flowers (2009)", "Lee Min-ho as Jun-pyo", "Ku Hye-sun as Jan-di"):
        assert fact in text
    assert [b.label for b in card.buttons] == ["◀ #4", "#2 ▶"]


def test_rank_1_is_not_invented(lookups: Lookups) -> None:
    reply = lookups.rank(1)
    assert reply.card is None and reply.text == MISSING_RANK_1 and reply.ephemeral


@pytest.mark.parametrize("name", ["Suzy Bae", "bae suzy", "SUZY-BAE"])
def test_suzy_bae_filmography(lookups: Lookups, name: str) -> None:
    card = lookups.actor(name).card
    assert card is not None
    fields = [(f.name, f.value) for f in card.fields]
    assert fields[0][0] == "Gu Family Book (2013)" and "Yeol-wool" in fields[0][1]
    assert fields[1][0] == "While You Were Sleeping (2017)" and "Hong-joo" in fields[1][1]


def test_gong_yo_suggests_gong_yoo(lookups: Lookups) -> None:
    reply = lookups.actor("Gong Yo")
    assert reply.card is None and reply.text is not None and "Did you mean Gong Yoo?" in reply.text


def test_guardian_finds_goblin(lookups: Lookups) -> None:
    card = lookups.drama("Guardian").card
    assert card is not None and card.title == "Goblin (2016)"


def test_show_by_scene_or_drama(lookups: Lookups) -> None:
    by_scene = lookups.show("snow kiss").card
    by_drama = lookups.show("Healer").card
    assert by_scene is not None and by_drama is not None and by_scene.title == by_drama.title == "#8 · Snow Kiss"


def test_list_has_every_entry_and_says_1_is_missing(lookups: Lookups) -> None:
    card = lookups.list_moments().card
    assert card is not None
    assert card.description.count("\n") == 9  # nine entries and the note on #1
    assert "(not in the source text)" in card.description


def test_random_moment_offers_another(lookups: Lookups) -> None:
    card = lookups.random_moment().card
    assert card is not None and card.buttons[0].action == "random"


def test_autocomplete_is_bounded(lookups: Lookups) -> None:
    assert [name for name, _ in lookups.actor_choices("su")] == ["Suzy Bae"]
    assert len(lookups.drama_choices("")) <= 25
    assert all(len(n) <= 100 and len(v) <= 100 for n, v in lookups.moment_choices("a"))
