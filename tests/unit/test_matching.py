"""Name matching ignores case, spaces, hyphens and word order, and survives any text."""

import itertools

import pytest

from bot.matching import Match, NameIndex, compact, quote_input

ACTORS = NameIndex(
    [(n, ()) for n in ["Suzy Bae", "Gong Yoo", "Son Ye-jin", "Lee Min-ho", "Lee Jong-suk"]], any_word_order=True
)
DRAMAS = NameIndex([("Goblin", ["Guardian: The Lonely And Great God"]), ("Healer", [])])


@pytest.mark.parametrize("typed", ["Suzy Bae", "bae suzy", "SUZY-BAE", "  suzy   bae ", "Suzy\u200bBae", "suzy"])
def test_one_actor_many_spellings(typed: str) -> None:
    assert ACTORS.find(typed).found == "Suzy Bae"


def test_hyphenated_given_names() -> None:
    assert ACTORS.find("ye-jin son").found == "Son Ye-jin"
    assert ACTORS.find("Son Ye Jin").found == "Son Ye-jin"
    assert ACTORS.find("gong-yoo").found == "Gong Yoo"


def test_near_miss_suggests() -> None:
    match = ACTORS.find("Gong Yo")
    assert match.found is None and match.suggestions == ("Gong Yoo",)


def test_ambiguous_word_suggests_all() -> None:
    match = ACTORS.find("lee")
    assert match.found is None and set(match.suggestions) == {"Lee Min-ho", "Lee Jong-suk"}


def test_alternative_title() -> None:
    assert DRAMAS.find("Guardian").found == "Goblin"
    assert DRAMAS.find("guardian the lonely and great god").found == "Goblin"


@pytest.mark.parametrize(
    "hostile",
    ["x" * 2000, "@everyone", "'; DROP TABLE moments; --", "공유", "\u202egnoG\u202c", "🎬🍿", "", "   "],
)
def test_hostile_text_finds_nothing_and_does_not_raise(hostile: str) -> None:
    assert ACTORS.find(hostile).found is None
    assert isinstance(ACTORS.complete(hostile), list)


def test_compact_drops_invisible_and_punctuation() -> None:
    assert compact("Gong\u200b-Yoo!") == "gongyoo"


def test_quote_input_cannot_ping_or_format() -> None:
    shown = quote_input("@everyone **bold** <@123> \u202e" + "x" * 100)
    assert "@everyone" not in shown and "**" not in shown and "\u202e" not in shown
    assert len(shown) <= 80


def test_answers_are_remembered_and_stay_right() -> None:
    index = NameIndex([("Gong Yoo", ()), ("Suzy Bae", ())], any_word_order=True)
    first = index.find("bae suzy")
    assert index.find("bae suzy") is first
    assert first.found == "Suzy Bae"
    assert index.find("gong yo").suggestions == ("Gong Yoo",)
    assert index.complete("su") == ["Suzy Bae"]
    index.complete("su").clear()  # a caller changing its list does not change the next answer
    assert index.complete("su") == ["Suzy Bae"]


def test_very_long_input_is_cut_before_it_is_remembered() -> None:
    index = NameIndex([("Gong Yoo", ())], any_word_order=True)
    assert index.find("Gong Yoo" + " x" * 5000).found is None
    assert index.find("x" * 100_000).found is None


# --- Hangul: initial consonants, one syllable off, at the catalogue's size and at 10,000 names ----------------


def test_hangul_initials_and_near_misses_find_names() -> None:
    index = NameIndex(
        [("Gong Yoo", ["공유"]), ("Son Ye-jin", ["손예진"]), ("Kim Go-eun", ["김고은"])], any_word_order=True
    )
    assert index.find("ㄱㅇ").found == "Gong Yoo"
    assert index.find("송예진") == Match(None, ("Son Ye-jin",))
    assert index.complete("ㄱㅇ") == ["Gong Yoo", "Kim Go-eun"]  # exact initials first, then those holding them
    assert index.complete("공ㅇ") == ["Gong Yoo"]  # a consonant typed after a syllable stands for its syllables
    assert index.complete("gong 유") == ["Gong Yoo"]  # mixed scripts: the romanised spelling still counts


def test_hangul_search_holds_at_ten_thousand_names() -> None:
    syllables = itertools.product(
        "김이박최정강조윤",
        "민서지현수영준우하은도윤예원주희아연재성호정유혜경",
        "하은도윤예원주희민서지현수영준우아연재성호정유혜경선태동상승나다라마바사자차카타파소보고조로모노도토",
    )
    names = [(f"Name {i:05d}", ("".join(s),)) for i, s in enumerate(syllables)][:10_000]
    assert len(names) == 10_000
    index = NameIndex([*names, ("Son Ye-jin", ["손예진"])], any_word_order=True)
    assert index.find("손예진").found == "Son Ye-jin"
    assert "Son Ye-jin" in index.find("송예진").suggestions
    assert "Son Ye-jin" in index.complete("ㅅㅇㅈ", 25) or len(index.complete("ㅅㅇㅈ", 25)) == 25
    canonical, (hangul,) = names[1234]
    assert index.find(hangul).found == canonical and index.complete(hangul[:2], 25)
