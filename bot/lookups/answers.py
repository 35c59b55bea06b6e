"""The lookup commands' logic: /moment, /rank, /actor, /drama, /about and their autocomplete. No discord import.

Catalogue in, Reply out, in the member's language (English or Korean: `bot.i18n.language_of`). The catalogue
never changes while the bot runs, so every answer is built once here, once per language. Names are found in
either script: the article's romanisations and their Hangul forms (`data/hangul.toml`).
"""

from __future__ import annotations

import random

from bot.catalogue import Catalogue, Moment
from bot.hangul import HangulNames, Story, shipped_hangul, shipped_stories
from bot.i18n import ENGLISH, LANGUAGES
from bot.lookups import cards
from bot.lookups.cards import Words
from bot.matching import NameIndex, quote_input
from bot.replies import Reply, notice
from bot.text import clip

CHOICE_LIMIT = 25  # autocomplete choices Discord shows
CHOICE_NAME_LIMIT = 100

Choice = tuple[str, str]  # (what the user sees, the value sent back)


class _Replies:
    """Every answer that never changes, in one language."""

    def __init__(self, catalogue: Catalogue, words: Words, actors: list[str], dramas: list[str]) -> None:
        moments = catalogue.moments
        another = (cards.another_moment(words),)
        self.random = [Reply(card=cards.moment_card(catalogue, m, another, words)) for m in moments]
        self.rank = {
            m.rank: Reply(card=cards.moment_card(catalogue, m, cards.step_buttons(catalogue, m.rank, words), words))
            for m in moments
        }
        self.actor = {a: Reply(card=cards.actor_card(catalogue, a, words)) for a in actors}
        self.drama = {d: Reply(card=cards.drama_card(catalogue, d, words)) for d in dramas}
        self.list = Reply(card=cards.list_card(catalogue, words))
        self.about = Reply(card=cards.about_card(catalogue, words))


class Lookups:
    """Answers for one catalogue, built once at start-up."""

    catalogue: Catalogue
    rng: random.Random
    actors: NameIndex
    dramas: NameIndex
    scenes: NameIndex

    def __init__(
        self,
        catalogue: Catalogue,
        rng: random.Random | None = None,
        hangul: HangulNames | None = None,
        stories: dict[int, Story] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.rng = rng or random.Random()
        hangul = shipped_hangul() if hangul is None else hangul
        stories = shipped_stories() if stories is None else stories
        moments = catalogue.moments
        self.actors = NameIndex(((a, hangul.spellings("actor", a)) for a in catalogue.actors()), any_word_order=True)
        aliases: dict[str, list[str]] = {}
        for m in moments:
            aliases.setdefault(m.drama, [*hangul.spellings("drama", m.drama)]).extend(m.drama_aliases)
        self.dramas = NameIndex(aliases.items())
        self.scenes = NameIndex((m.scene, ()) for m in moments)
        self._by_scene = {m.scene: m for m in moments}
        self.words = {language: Words(language, hangul, stories=stories) for language in LANGUAGES}
        self._replies = {
            language: _Replies(catalogue, words, self.actors.names, self.dramas.names)
            for language, words in self.words.items()
        }

    # --- commands -------------------------------------------------------------------------------

    def random_moment(self, language: str = ENGLISH) -> Reply:
        replies = self._replies[language].random
        if not replies:
            return notice(self.words[language]("catalogue.empty"))
        return self.rng.choice(replies)

    def rank(self, number: int, language: str = ENGLISH) -> Reply:
        reply = self._replies[language].rank.get(number)
        if reply is not None:
            return reply
        words = self.words[language]
        if number == 1:
            return notice(words("rank.missing"))
        ranks = self.catalogue.ranks
        span = words("rank.span", low=min(ranks), high=max(ranks)) if ranks else words("rank.span_none")
        return notice(words("rank.absent", number=number, span=span))

    def show(self, query: str, language: str = ENGLISH) -> Reply:
        moment = self._find_moment(query)
        if moment is not None:
            return self._replies[language].rank[moment.rank]
        scenes = self.scenes.find(query).suggestions
        hint = self._did_you_mean(scenes, language) if scenes else self._dramas_hint(query, language)
        return notice(self.words[language]("show.missing", query=quote_input(query), hint=hint))

    def list_moments(self, language: str = ENGLISH) -> Reply:
        return self._replies[language].list

    def actor(self, name: str, language: str = ENGLISH) -> Reply:
        match = self.actors.find(name)
        words = self.words[language]
        if match.found is None:
            shown = tuple(words.actor(a) for a in match.suggestions)
            return notice(words("actor.missing", name=quote_input(name), hint=self._did_you_mean(shown, language)))
        return self._replies[language].actor[match.found]

    def drama(self, title: str, language: str = ENGLISH) -> Reply:
        match = self.dramas.find(title)
        if match.found is None:
            words = self.words[language]
            return notice(words("drama.missing", title=quote_input(title), hint=self._dramas_hint(title, language)))
        return self._replies[language].drama[match.found]

    def about(self, language: str = ENGLISH) -> Reply:
        return self._replies[language].about

    # --- autocomplete ------------------------------------------------------------------------------

    def moment_choices(self, typed: str, language: str = ENGLISH) -> list[Choice]:
        scenes = self.scenes.complete(typed, CHOICE_LIMIT)
        from_dramas = [
            m.scene for d in self.dramas.complete(typed, CHOICE_LIMIT) for m in self.catalogue.moments_of_drama(d)
        ]
        chosen = list(dict.fromkeys([*scenes, *from_dramas]))[:CHOICE_LIMIT]
        words = self.words[language]
        labels = {
            s: words("choice.moment", rank=m.rank, scene=s, drama=words.drama(m.drama))
            for s in chosen
            for m in (self._by_scene[s],)
        }
        return [(clip(labels[s], CHOICE_NAME_LIMIT), s) for s in chosen]

    def actor_choices(self, typed: str, language: str = ENGLISH) -> list[Choice]:
        words = self.words[language]
        found = self.actors.complete(typed, CHOICE_LIMIT)
        return [(clip(words.actor(a), CHOICE_NAME_LIMIT), a[:CHOICE_NAME_LIMIT]) for a in found]

    def drama_choices(self, typed: str, language: str = ENGLISH) -> list[Choice]:
        words = self.words[language]
        found = self.dramas.complete(typed, CHOICE_LIMIT)
        return [(clip(words.drama(d), CHOICE_NAME_LIMIT), d[:CHOICE_NAME_LIMIT]) for d in found]

    def _find_moment(self, query: str) -> Moment | None:
        scene = self.scenes.find(query).found
        if scene is not None:
            return self._by_scene[scene]
        drama = self.dramas.find(query).found
        if drama is not None:
            return self.catalogue.moments_of_drama(drama)[0]
        return None

    def _dramas_hint(self, query: str, language: str) -> str:
        words = self.words[language]
        return self._did_you_mean(tuple(words.drama(d) for d in self.dramas.find(query).suggestions), language)

    def _did_you_mean(self, suggestions: tuple[str, ...], language: str) -> str:
        words = self.words[language]
        return words("hint.did_you_mean", names=words("hint.or").join(suggestions)) if suggestions else ""
