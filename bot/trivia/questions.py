"""Trivia questions built from the catalogue's facts. No discord import.

`question_pool(catalogue)` lists every distinct question the data supports, each as a template with a stable
key, the right answer and the wrong answers it may offer (same kind of fact, never one that would also be
true). `build(template, rng)` turns a template into a concrete multiple-choice question; `next_question`
picks what a server sees next so that it meets every question of the pool before any repeats.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from bot.catalogue import CastMember, Catalogue
from bot.i18n import ENGLISH, messages
from bot.text import clip

OPTION_LIMIT = 80  # a Discord button label
MAX_OPTIONS = 4
MIN_OPTIONS = 3

# The kinds of question, in the order the pool lists them.
DRAMA_OF_SCENE = "drama_of_scene"
ACTOR_OF_CHARACTER = "actor_of_character"
CHARACTER_OF_ACTOR = "character_of_actor"
YEAR_OF_DRAMA = "year_of_drama"
EPISODE_OF_SCENE = "episode_of_scene"
DRAMA_OF_SONG = "drama_of_song"
RANK_OF_SCENE = "rank_of_scene"
AIRED_FIRST = "aired_first"
CHARACTER_OF_DRAMA = "character_of_drama"
KINDS = (
    DRAMA_OF_SCENE,
    ACTOR_OF_CHARACTER,
    CHARACTER_OF_ACTOR,
    YEAR_OF_DRAMA,
    EPISODE_OF_SCENE,
    DRAMA_OF_SONG,
    RANK_OF_SCENE,
    AIRED_FIRST,
    CHARACTER_OF_DRAMA,
)
SERVER_QUESTION = "server"  # a server's own question (bot/trivia/server_questions), not a kind of the catalogue
OPERATOR_QUESTION = "pack"  # a question of the operator's packs in data/packs/ (server_questions/packs.py)
_SHARED_PROMPT = frozenset({AIRED_FIRST})  # kinds whose prompt is the same for every question


@dataclass(frozen=True, slots=True)
class QuestionTemplate:
    """One question of the pool before its options are drawn."""

    key: str
    kind: str
    prompt: str
    answer: str
    wrong: tuple[str, ...]  # every wrong option it may offer, in a fixed order


@dataclass(frozen=True, slots=True)
class Question:
    """A question as a round asks it: the options in the order shown, `answer` the index of the right one."""

    key: str
    kind: str
    prompt: str
    options: tuple[str, ...]
    answer: int

    @property
    def right(self) -> str:
        return self.options[self.answer]


def question_pool(catalogue: Catalogue) -> list[QuestionTemplate]:
    """Every distinct question the catalogue supports, with at least two wrong options each, keys unique."""
    pool: list[QuestionTemplate] = []
    seen_keys: set[str] = set()
    seen_prompts: set[tuple[str, str]] = set()  # (prompt, answer of a _SHARED_PROMPT kind)
    for make in _MAKERS:
        for template in make(catalogue):
            if len(template.wrong) < MIN_OPTIONS - 1:
                continue  # too few plausible wrong answers in this data to make a fair question
            # The same fact twice (e.g. a drama with two moments, an actor with two characters): ask it once.
            # A kind whose prompt is always the same is told apart by its right answer.
            same = (template.prompt, template.answer if template.kind in _SHARED_PROMPT else "")
            if template.key in seen_keys or same in seen_prompts:
                continue
            seen_keys.add(template.key)
            seen_prompts.add(same)
            pool.append(template)
    return pool


def build(template: QuestionTemplate, rng: random.Random) -> Question:
    """Draw up to three wrong options of the same kind and put the right one at a random position."""
    count = min(MAX_OPTIONS - 1, len(template.wrong))
    options = rng.sample(template.wrong, count)
    answer = rng.randrange(count + 1)
    options.insert(answer, template.answer)
    return Question(template.key, template.kind, template.prompt, tuple(options), answer)


def next_question(
    pool: list[QuestionTemplate],
    asked: Collection[str],
    rng: random.Random,
    avoid: str | None = None,
) -> tuple[QuestionTemplate, bool]:
    """The next template for a server that has been asked `asked` (keys) in its current cycle.

    Returns the template and whether a new cycle starts (every question of the pool was asked: the server's
    record of asked keys should be cleared before this one is added). `avoid` (the last key asked) is not
    chosen first in a new cycle, so a question never comes twice in a row.
    """
    if not pool:
        raise ValueError("the question pool is empty")
    unseen = [t for t in pool if t.key not in asked]
    if unseen:
        return rng.choice(unseen), False
    fresh = [t for t in pool if t.key != avoid] or pool
    return rng.choice(fresh), True


def prompt(kind: str, language: str = ENGLISH, /, **facts: str) -> str:
    """A kind's prompt in a language, from the catalogue (`trivia.prompt.<kind>`), its facts filled in. The pool
    keeps the English one; a server posting in another language renders its own from the same facts."""
    return messages().text(f"trivia.prompt.{kind}", language, **facts)


# --- the kinds of question ------------------------------------------------------------------------


def _option(text: str) -> str:
    return clip(text, OPTION_LIMIT)


def _wrong(candidates: Iterable[str], right: Iterable[str]) -> tuple[str, ...]:
    """Distinct candidates, clipped to a label, without any that is (or reads the same as) a right answer."""
    taken = {_option(r).casefold() for r in right}
    result: list[str] = []
    for candidate in candidates:
        text = _option(candidate)
        if text.casefold() not in taken:
            taken.add(text.casefold())
            result.append(text)
    return tuple(result)


def _numbers_near(values: Iterable[int], right: int, low: int, want: int = MAX_OPTIONS - 1) -> list[int]:
    """The data's other values of this kind, topped up with nearby numbers when the data has too few."""
    result = sorted({v for v in values if v != right})
    step = 1
    while len(result) < want and step < 1000:
        for n in (right + step, right - step):
            if n >= low and n != right and n not in result and len(result) < want:
                result.append(n)
        step += 1
    return result


def _drama_of_scene(c: Catalogue) -> Iterable[QuestionTemplate]:
    dramas = c.dramas()
    for m in c.moments:
        yield QuestionTemplate(
            key=f"{DRAMA_OF_SCENE}:{m.rank}",
            kind=DRAMA_OF_SCENE,
            prompt=prompt(DRAMA_OF_SCENE, scene=m.scene),
            answer=_option(m.drama),
            wrong=_wrong(dramas, [m.drama]),
        )


def _actor_of_character(c: Catalogue) -> Iterable[QuestionTemplate]:
    actors = c.actors()
    for m in c.moments:
        for position, cast in enumerate(m.cast):
            # Anyone else credited with this character in this drama would also be right.
            right = [x.actor for x in _cast_of_drama(c, m.drama) if _same_character(x, cast)]
            yield QuestionTemplate(
                key=f"{ACTOR_OF_CHARACTER}:{m.rank}:{position}",
                kind=ACTOR_OF_CHARACTER,
                prompt=prompt(ACTOR_OF_CHARACTER, character=cast.character, drama=m.drama),
                answer=_option(cast.actor),
                wrong=_wrong(actors, right),
            )


def _character_of_actor(c: Catalogue) -> Iterable[QuestionTemplate]:
    characters = sorted({x.character for m in c.moments for x in m.cast})
    for m in c.moments:
        for position, cast in enumerate(m.cast):
            # Every character this actor plays in this drama is right, and so is any alias of them.
            mine = [x for x in _cast_of_drama(c, m.drama) if x.actor == cast.actor]
            right = [name for x in mine for name in (x.character, *x.character_aliases)]
            yield QuestionTemplate(
                key=f"{CHARACTER_OF_ACTOR}:{m.rank}:{position}",
                kind=CHARACTER_OF_ACTOR,
                prompt=prompt(CHARACTER_OF_ACTOR, actor=cast.actor, drama=m.drama),
                answer=_option(cast.character),
                wrong=_wrong(characters, right),
            )


def _year_of_drama(c: Catalogue) -> Iterable[QuestionTemplate]:
    years = [m.year for m in c.moments]
    for m in c.moments:
        yield QuestionTemplate(
            key=f"{YEAR_OF_DRAMA}:{m.rank}",
            kind=YEAR_OF_DRAMA,
            prompt=prompt(YEAR_OF_DRAMA, drama=m.drama),
            answer=str(m.year),
            wrong=tuple(str(y) for y in _numbers_near(years, m.year, low=1950)),
        )


def _episode_of_scene(c: Catalogue) -> Iterable[QuestionTemplate]:
    episodes = [m.episode for m in c.moments if m.episode is not None]
    for m in c.moments:
        if m.episode is None:
            continue
        yield QuestionTemplate(
            key=f"{EPISODE_OF_SCENE}:{m.rank}",
            kind=EPISODE_OF_SCENE,
            prompt=prompt(EPISODE_OF_SCENE, drama=m.drama, scene=m.scene),
            answer=_episode(m.episode),
            wrong=tuple(_episode(e) for e in _numbers_near(episodes, m.episode, low=1)),
        )


def _drama_of_song(c: Catalogue) -> Iterable[QuestionTemplate]:
    dramas = c.dramas()
    for m in c.moments:
        for position, song in enumerate(m.songs):
            # Another drama with a song of the same title would also be right.
            right = [x.drama for x in c.moments if any(_same(s.title, song.title) for s in x.songs)]
            yield QuestionTemplate(
                key=f"{DRAMA_OF_SONG}:{m.rank}:{position}",
                kind=DRAMA_OF_SONG,
                prompt=prompt(DRAMA_OF_SONG, song=song.display()),
                answer=_option(m.drama),
                wrong=_wrong(dramas, right),
            )


def _rank_of_scene(c: Catalogue) -> Iterable[QuestionTemplate]:
    ranks = c.ranks
    for m in c.moments:
        yield QuestionTemplate(
            key=f"{RANK_OF_SCENE}:{m.rank}",
            kind=RANK_OF_SCENE,
            prompt=prompt(RANK_OF_SCENE, scene=m.scene, drama=m.drama),
            answer=_rank(m.rank),
            wrong=tuple(_rank(r) for r in _numbers_near(ranks, m.rank, low=1)),
        )


def _aired_first(c: Catalogue) -> Iterable[QuestionTemplate]:
    """Which of these dramas aired first: the right one and, as wrong options, one drama for each later year
    (so any options drawn have distinct years, the right one the earliest). Only the years the catalogue holds."""
    first_of_year: dict[int, str] = {}
    for m in sorted(c.moments, key=lambda x: (x.year, -x.rank)):
        first_of_year.setdefault(m.year, m.drama)
    for m in sorted(c.moments, key=lambda x: -x.rank):
        later = [drama for year, drama in sorted(first_of_year.items()) if year > m.year]
        yield QuestionTemplate(
            key=f"{AIRED_FIRST}:{m.rank}",
            kind=AIRED_FIRST,
            prompt=prompt(AIRED_FIRST),
            answer=_option(m.drama),
            wrong=_wrong(later, [x.drama for x in c.moments if x.year <= m.year]),
        )


def _character_of_drama(c: Catalogue) -> Iterable[QuestionTemplate]:
    """Which of these characters is from a drama: one of its cast's characters, the others from other entries
    (never a name, or an alias, of any character of this drama)."""
    for m in c.moments:
        mine = _cast_of_drama(c, m.drama)
        right = [name for x in mine for name in (x.character, *x.character_aliases)]
        others = sorted({x.character for o in c.moments if o.drama != m.drama for x in o.cast})
        for position, cast in enumerate(m.cast):
            yield QuestionTemplate(
                key=f"{CHARACTER_OF_DRAMA}:{m.rank}:{position}",
                kind=CHARACTER_OF_DRAMA,
                prompt=prompt(CHARACTER_OF_DRAMA, drama=m.drama),
                answer=_option(cast.character),
                wrong=_wrong(others, right),
            )


_MAKERS: tuple[Callable[[Catalogue], Iterable[QuestionTemplate]], ...] = (
    _drama_of_scene,
    _actor_of_character,
    _character_of_actor,
    _year_of_drama,
    _episode_of_scene,
    _drama_of_song,
    _rank_of_scene,
    _aired_first,
    _character_of_drama,
)


def _cast_of_drama(c: Catalogue, drama: str) -> list[CastMember]:
    return [x for m in c.moments if m.drama == drama for x in m.cast]


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _same_character(a: CastMember, b: CastMember) -> bool:
    """Whether two cast lines name the same character (by name or any alias)."""
    names = {n.casefold() for n in (a.character, *a.character_aliases)}
    return any(n.casefold() in names for n in (b.character, *b.character_aliases))


def _episode(n: int) -> str:
    return f"Episode {n}"


def _rank(n: int) -> str:
    return f"#{n}"
