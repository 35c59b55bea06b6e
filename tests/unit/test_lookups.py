"""The lookup commands' answers, straight from the catalogue, without Discord."""

import random

import pytest

from bot.catalogue import load_catalogue
from bot.i18n import messages
from bot.lookups.answers import Lookups
from bot.render import card_text


@pytest.fixture(scope="module")
def lookups() -> Lookups:
    return Lookups(load_catalogue(), random.Random(7))


def test_rank_3_is_traffic_kiss(lookups: Lookups) -> None:
    card = lookups.rank(3).card
    assert card is not None
    text = card_text(card)
    assert card.title == "#3 · Traffic Kiss"
    for fact in (
        "Boys Over Flowers (꽃보다 남자, 2009)",
        "Lee Min-ho (이민호) as Jun-pyo (구준표)",
        "Ku Hye-sun (구혜선) as Jan-di (금잔디)",
    ):
        assert fact in text
    assert [b.label for b in card.buttons] == ["◀ #4", "#2 ▶"]


def test_rank_1_is_not_invented(lookups: Lookups) -> None:
    reply = lookups.rank(1)
    assert reply.card is None and reply.text == messages().text("rank.missing") and reply.ephemeral


@pytest.mark.parametrize("name", ["Suzy Bae", "bae suzy", "SUZY-BAE"])
def test_suzy_bae_filmography(lookups: Lookups, name: str) -> None:
    card = lookups.actor(name).card
    assert card is not None
    fields = [(f.name, f.value) for f in card.fields]
    assert fields[0][0] == "Gu Family Book (구가의 서, 2013)" and "Yeol-wool" in fields[0][1]
    assert fields[1][0] == "While You Were Sleeping (당신이 잠든 사이에, 2017)" and "Hong-joo" in fields[1][1]


def test_gong_yo_suggests_gong_yoo(lookups: Lookups) -> None:
    reply = lookups.actor("Gong Yo")
    assert reply.card is None and reply.text is not None and "Did you mean Gong Yoo (공유)?" in reply.text


def test_guardian_finds_goblin(lookups: Lookups) -> None:
    card = lookups.drama("Guardian").card
    assert card is not None and card.title == "Goblin (도깨비, 2016)"


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
    assert [name for name, _ in lookups.actor_choices("su")] == ["Suzy Bae (배수지)"]
    assert len(lookups.drama_choices("")) <= 25
    assert all(len(n) <= 100 and len(v) <= 100 for n, v in lookups.moment_choices("a"))


# --- Korean: answers in the member's language, names found in either script ------------------------------------


def test_korean_answers_come_from_the_catalogue(lookups: Lookups) -> None:
    card = lookups.rank(3, "ko").card
    assert card is not None and card.title == "3위 · Traffic Kiss"
    assert [b.label for b in card.buttons] == ["◀ 4위", "2위 ▶"]
    assert "꽃보다 남자 (Boys Over Flowers, 2009년)" in card_text(card)
    assert lookups.rank(1, "ko").text == messages().text("rank.missing", "ko")
    assert lookups.about("ko").card is not None and "명령어" in card_text(lookups.about("ko").card)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_hangul_names_give_the_same_cards_as_the_romanised_ones(lookups: Lookups, language: str) -> None:
    assert lookups.drama("사랑의 불시착", language) is lookups.drama("Crash Landing on You", language)
    assert lookups.actor("공유", language) is lookups.actor("Gong Yoo", language)
    assert lookups.actor("수지", language) is lookups.actor("Suzy Bae", language)
    assert lookups.show("사랑의 불시착", language) is lookups.show("Final Goodbye", language)
    assert lookups.drama("달의 연인", language) is lookups.drama("Scarlet Heart", language)


def test_initial_consonants_and_a_syllable_off_suggest_the_right_names(lookups: Lookups) -> None:
    assert lookups.actor_choices("ㄱㅇ")[0][1] == "Gong Yoo"
    assert [value for _, value in lookups.actor_choices("송예진")] == ["Son Ye-jin"]
    assert lookups.actor_choices("송예진", "ko") == [("손예진 (Son Ye-jin)", "Son Ye-jin")]
    near = lookups.actor("송예진", "ko").text or ""
    assert "혹시 손예진 (Son Ye-jin) 말씀이세요?" in near
    assert [value for _, value in lookups.drama_choices("ㅅㄹㅇ ㅂㅅㅊ")] == ["Crash Landing on You"]
    assert [value for _, value in lookups.moment_choices("사랑의")] == ["Final Goodbye"]
    assert [value for _, value in lookups.drama_choices("도깨")] == ["Goblin"]


@pytest.mark.parametrize(
    "typed",
    [
        "\u200b공\u200d유\u200b",
        "공유\u3000",
        "\u3000공\u3000유",
        "Gong 유",
        "공유 Gong Yoo",
        "ㄱ",
        "ㅋㅋㅋ",
        "힣" * 120,
        "\u202e유공",
    ],
)
def test_hangul_with_invisible_characters_wide_spaces_or_mixed_scripts_is_answered(
    lookups: Lookups, typed: str
) -> None:
    for language in ("en", "ko"):
        for reply in (lookups.actor(typed, language), lookups.drama(typed, language), lookups.show(typed, language)):
            assert reply.card is not None or reply.text
        for choices in (lookups.actor_choices(typed, language), lookups.moment_choices(typed, language)):
            assert len(choices) <= 25
    assert lookups.actor("\u200b공\u200d유\u200b") is lookups.actor("Gong Yoo")
    assert lookups.actor("공유\u3000") is lookups.actor("Gong Yoo")
