"""Names in Hangul (data/hangul.toml): each with the public page that gives it, shown beside the article's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.catalogue import load_catalogue
from bot.hangul import load_hangul, load_stories, parse_hangul
from bot.lookups.answers import Lookups
from bot.render import card_text

ROOT = Path(__file__).resolve().parents[2]
UNSOURCED = """
[[actor]]
name = "Gong Yoo"
hangul = "공유"
source = "https://example.org/gong-yoo"

[[actor]]
name = "Lee Jung-jae"
hangul = "이정재"
"""


def test_every_hangul_name_has_a_source_and_names_something_in_the_catalogue() -> None:
    names = load_hangul()
    assert names.unsourced == ()
    assert names.unknown_to(load_catalogue()) == []
    everything = [*names.dramas.values(), *names.actors.values(), *names.characters.values()]
    assert len(everything) >= 40
    assert all(n.source.startswith(("https://", "http://")) for n in everything)
    assert names.drama("Crash Landing on You") == "사랑의 불시착" and names.actor("Son Ye-jin") == "손예진"


def test_a_name_without_a_source_is_left_out_and_reported() -> None:
    import tomllib

    names = parse_hangul(tomllib.loads(UNSOURCED))
    assert names.actor("Gong Yoo") == "공유"
    assert names.actor("Lee Jung-jae") is None
    assert names.unsourced == ("actor 'Lee Jung-jae' (이정재) has no source address",)


def test_check_data_reports_a_name_without_a_source(tmp_path: Path) -> None:
    hangul = tmp_path / "hangul.toml"
    hangul.write_text(UNSOURCED, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-data", "--hangul", str(hangul)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "actor 'Lee Jung-jae' (이정재) has no source address, so it is left out" in result.stderr


def test_cards_show_both_forms_the_members_first_and_keep_the_articles_facts() -> None:
    lookups = Lookups(load_catalogue())
    english = lookups.drama("Crash Landing on You").card
    korean = lookups.drama("Crash Landing on You", "ko").card
    assert english is not None and korean is not None
    assert english.title == "Crash Landing on You (사랑의 불시착, 2019)"
    assert korean.title == "사랑의 불시착 (Crash Landing on You, 2019년)"
    assert "Son Ye-jin (손예진) as Se-ri (윤세리)" in card_text(english)
    assert "손예진 (Son Ye-jin): 윤세리 (Se-ri) 역" in card_text(korean)
    gu_family_book = lookups.rank(5).card
    assert gu_family_book is not None
    assert "Yoon Yeon-hee as Seo-hwa (윤서화)" in card_text(
        gu_family_book
    )  # no source for the actor's Hangul: the article's name alone


def test_korean_cards_tell_the_story_in_korean_and_english_ones_in_english() -> None:
    lookups = Lookups(load_catalogue())
    stories = load_stories()
    assert set(stories) == set(load_catalogue().ranks)  # every moment has its Korean synopsis and why-line
    korean, english = lookups.rank(10, "ko").card, lookups.rank(10).card
    assert korean is not None and english is not None
    fields = {f.name: f.value for f in korean.fields}
    assert korean.description == stories[10].why and fields["줄거리"] == stories[10].synopsis
    assert fields["회차"] == "16화 (16부작의 마지막 회)"
    assert english.description.startswith("Parting at the border")
    drama = lookups.drama("Goblin", "ko").card
    assert drama is not None and drama.description == stories[7].synopsis
