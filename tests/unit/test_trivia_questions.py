"""Trivia questions from the seed data: every distinct question, each right answer checked against the facts."""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

import pytest

from bot.catalogue import Catalogue, load_catalogue, parse_catalogue
from bot.trivia import questions
from bot.trivia.questions import KINDS, Question, build, next_question, question_pool


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def truths(c: Catalogue, q: Question) -> set[str]:
    """Every option text that would be a right answer to the question, worked out from the catalogue alone
    (reading the prompt, not the generator's keys)."""
    p = q.prompt
    if m := re.fullmatch(r"Which drama has the scene “(.+)”\?", p):
        return {x.drama for x in c.moments if x.scene == m[1]}
    if m := re.fullmatch(r"Who plays (.+) in (.+)\?", p):
        character, drama = m[1], m[2]
        return {
            cast.actor
            for x in c.moments
            if x.drama == drama
            for cast in x.cast
            if character in (cast.character, *cast.character_aliases)
        }
    if m := re.fullmatch(r"Which character does (.+) play in (.+)\?", p):
        actor, drama = m[1], m[2]
        return {
            name
            for x in c.moments
            if x.drama == drama
            for cast in x.cast
            if cast.actor == actor
            for name in (cast.character, *cast.character_aliases)
        }
    if m := re.fullmatch(r"In which year did (.+) first air\?", p):
        return {str(x.year) for x in c.moments if x.drama == m[1]}
    if m := re.fullmatch(r"In which episode of (.+) is the scene “(.+)”\?", p):
        return {f"Episode {x.episode}" for x in c.moments if x.drama == m[1] and x.scene == m[2]}
    if m := re.fullmatch(r"Which drama has a perfect moment set to the song \"(.+?)\"(?: by (.+))?\?", p):
        return {x.drama for x in c.moments if any(s.title == m[1] and s.artist == m[2] for s in x.songs)}
    if m := re.fullmatch(r"Which rank does “(.+)” \((.+)\) hold in the list of perfect moments\?", p):
        return {f"#{x.rank}" for x in c.moments if x.scene == m[1] and x.drama == m[2]}
    if p == "Which of these dramas aired first?":
        years = {o: {x.year for x in c.moments if x.drama == o} for o in q.options}
        assert all(len(y) == 1 for y in years.values()), f"an option with no single known year: {years}"
        known = [y.pop() for y in years.values()]
        assert len(set(known)) == len(known), f"two options aired the same year: {q.options}"
        return {o for o, y in zip(q.options, known, strict=True) if y == min(known)}
    if m := re.fullmatch(r"Which of these characters is from (.+)\?", p):
        return {
            name
            for x in c.moments
            if x.drama == m[1]
            for cast in x.cast
            for name in (cast.character, *cast.character_aliases)
        }
    raise AssertionError(f"a prompt of an unknown shape: {p}")


def test_every_distinct_question_from_the_seed_data(catalogue: Catalogue) -> None:
    rng = random.Random(2024)
    pool = question_pool(catalogue)
    listing = []
    for template in pool:
        q = build(template, rng)
        right = truths(catalogue, q)
        listing.append(f"{q.key}: {q.prompt} {list(q.options)} -> {q.right}")
        assert q.right in right, f"wrong answer for {q.key}: {q.right} not in {right}"
        wrongly_true = [o for i, o in enumerate(q.options) if i != q.answer and o in right]
        assert not wrongly_true, f"{q.key}: a wrong option is also true: {wrongly_true}"
        assert len({o.casefold() for o in q.options}) == len(q.options), f"duplicate options in {q.key}"
        assert 3 <= len(q.options) <= 4 and 0 <= q.answer < len(q.options)
        assert all(0 < len(o) <= 80 for o in q.options)
        assert q.kind == template.kind and q.key.startswith(q.kind + ":")
    print("\n".join(listing))
    assert len(pool) >= 60, f"only {len(pool)} distinct questions"
    assert len({t.key for t in pool}) == len(pool)
    assert len({(t.prompt, t.answer if t.kind == questions.AIRED_FIRST else "") for t in pool}) == len(pool)


def test_the_pool_holds_every_kind_in_the_expected_numbers(catalogue: Catalogue) -> None:
    counts = Counter(t.kind for t in question_pool(catalogue))
    assert set(counts) == set(KINDS) and len(KINDS) >= 6
    assert counts == {
        questions.DRAMA_OF_SCENE: 9,
        questions.ACTOR_OF_CHARACTER: 21,
        questions.CHARACTER_OF_ACTOR: 21,
        questions.YEAR_OF_DRAMA: 9,
        questions.EPISODE_OF_SCENE: 6,
        questions.DRAMA_OF_SONG: 3,
        questions.RANK_OF_SCENE: 9,
        questions.AIRED_FIRST: 6,
        questions.CHARACTER_OF_DRAMA: 9,
    }


def test_wrong_options_are_of_the_same_kind(catalogue: Catalogue) -> None:
    dramas = set(catalogue.dramas())
    actors = set(catalogue.actors())
    characters = {cast.character for m in catalogue.moments for cast in m.cast}
    for template in question_pool(catalogue):
        options = {template.answer, *template.wrong}
        if template.kind in (questions.DRAMA_OF_SCENE, questions.DRAMA_OF_SONG):
            assert options <= dramas
        elif template.kind == questions.ACTOR_OF_CHARACTER:
            assert options <= actors
        elif template.kind in (questions.CHARACTER_OF_ACTOR, questions.CHARACTER_OF_DRAMA):
            assert options <= characters
        elif template.kind == questions.AIRED_FIRST:
            assert options <= dramas
        elif template.kind == questions.YEAR_OF_DRAMA:
            assert all(re.fullmatch(r"\d{4}", o) for o in options)
        elif template.kind == questions.EPISODE_OF_SCENE:
            assert all(re.fullmatch(r"Episode \d+", o) for o in options)
        else:
            assert all(re.fullmatch(r"#\d+", o) for o in options)


def test_suzy_bae_is_asked_about_each_drama_by_name(catalogue: Catalogue) -> None:
    prompts = [t.prompt for t in question_pool(catalogue) if t.kind == questions.CHARACTER_OF_ACTOR]
    suzy = sorted(p for p in prompts if "Suzy Bae" in p)
    assert suzy == [
        "Which character does Suzy Bae play in Gu Family Book?",
        "Which character does Suzy Bae play in While You Were Sleeping?",
    ]


def test_a_fixed_seed_makes_the_same_questions(catalogue: Catalogue) -> None:
    pool = question_pool(catalogue)
    first = [build(t, random.Random(7)) for t in pool]
    again = [build(t, random.Random(7)) for t in pool]
    other = [build(t, random.Random(8)) for t in pool]
    assert first == again
    assert first != other
    assert question_pool(catalogue) == pool


def test_the_right_option_lands_in_every_position(catalogue: Catalogue) -> None:
    template = question_pool(catalogue)[0]
    rng = random.Random(1)
    positions = Counter(build(template, rng).answer for _ in range(400))
    assert set(positions) == {0, 1, 2, 3}
    assert min(positions.values()) > 50


def test_a_server_sees_every_question_before_any_repeats(catalogue: Catalogue) -> None:
    pool = question_pool(catalogue)
    rng = random.Random(3)
    asked: set[str] = set()
    order = []
    for _ in range(len(pool)):
        template, new_cycle = next_question(pool, asked, rng)
        assert not new_cycle
        assert template.key not in asked
        asked.add(template.key)
        order.append(template.key)
    assert asked == {t.key for t in pool}
    template, new_cycle = next_question(pool, asked, rng, avoid=order[-1])
    assert new_cycle and template.key != order[-1]


def test_keys_no_longer_in_the_pool_are_ignored(catalogue: Catalogue) -> None:
    pool = question_pool(catalogue)
    template, new_cycle = next_question(pool, {"gone:1", "gone:2"}, random.Random(0))
    assert not new_cycle and template in pool
    with pytest.raises(ValueError):
        next_question([], set(), random.Random(0))


def _tiny(moments: list[dict[str, Any]]) -> Catalogue:
    source = {"title": "t", "publisher": "p", "url": "https://example.org"}
    base = {"synopsis": "s", "why": "w"}
    return parse_catalogue({"source": source, "moment": [{**base, **m} for m in moments]})


def test_small_data_never_makes_fewer_than_three_options_or_an_ambiguous_one() -> None:
    catalogue = _tiny(
        [
            {
                "rank": 1,
                "scene": "A",
                "drama": "Alpha",
                "year": 2000,
                "episode": 3,
                "cast": [
                    {"actor": "Kim", "character": "Twin One"},
                    {"actor": "Kim", "character": "Twin Two"},
                    {"actor": "Lee", "character": "Friend"},
                ],
                "songs": [{"title": "Same Song"}],
            },
            {
                "rank": 2,
                "scene": "B",
                "drama": "Beta",
                "year": 2001,
                "cast": [{"actor": "Park", "character": "Hero"}],
                "songs": [{"title": "Same Song"}],
            },
        ]
    )
    pool = question_pool(catalogue)
    rng = random.Random(5)
    for template in pool:
        q = build(template, rng)
        assert len(q.options) >= 3
        right = truths(catalogue, q)
        assert q.right in right
        assert not [o for i, o in enumerate(q.options) if i != q.answer and o in right]
    kinds = Counter(t.kind for t in pool)
    # Two dramas only: not enough wrong dramas for a fair "which drama" question.
    assert kinds[questions.DRAMA_OF_SCENE] == 0 and kinds[questions.DRAMA_OF_SONG] == 0
    # Numbers are topped up with nearby values.
    assert kinds[questions.YEAR_OF_DRAMA] == 2 and kinds[questions.EPISODE_OF_SCENE] == 1
    # Kim plays two characters in Alpha: asked once, and the other one is never offered as wrong.
    kim = [t for t in pool if t.prompt == "Which character does Kim play in Alpha?"]
    assert len(kim) == 1 and not {"Twin One", "Twin Two"} & set(kim[0].wrong)


def test_the_trivia_rules_do_not_import_discord() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, bot.trivia.questions, bot.trivia.store, bot.trivia.cards; print('discord' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2]
    )
    assert result.stdout.strip() == "False"


def test_check_data_prints_the_pool_by_kind(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.__main__ import main

    assert main(["check-data"]) == 0
    printed = capsys.readouterr().out
    assert "trivia: 93 questions: drama_of_scene 9, " in printed
    assert "aired_first 6, character_of_drama 9" in printed
