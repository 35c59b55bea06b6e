"""The lookup commands' logic: /moment, /rank, /actor, /drama, /about and their autocomplete. No discord import.

Catalogue in, Reply out. The catalogue never changes while the bot runs, so every answer is built once here.
"""

from __future__ import annotations

import random

from bot.catalogue import Catalogue, Moment
from bot.lookups import cards
from bot.matching import NameIndex, quote_input
from bot.replies import Reply, notice
from bot.text import clip

MISSING_RANK_1 = (
    "The source article's text stops after entry #2, so moment #1 is not included and I won't make one up. "
    "Try `/rank 2` for the highest-ranked moment we have."
)
CHOICE_LIMIT = 25  # autocomplete choices Discord shows
CHOICE_NAME_LIMIT = 100

Choice = tuple[str, str]  # (what the user sees, the value sent back)


class Lookups:
    """Answers for one catalogue, built once at start-up."""

    catalogue: Catalogue
    rng: random.Random
    actors: NameIndex
    dramas: NameIndex
    scenes: NameIndex

    def __init__(self, catalogue: Catalogue, rng: random.Random | None = None) -> None:
        self.catalogue = catalogue
        self.rng = rng or random.Random()
        moments = catalogue.moments
        self.actors = NameIndex(((a, ()) for a in catalogue.actors()), any_word_order=True)
        aliases: dict[str, list[str]] = {}
        for m in moments:
            aliases.setdefault(m.drama, []).extend(m.drama_aliases)
        self.dramas = NameIndex(aliases.items())
        self.scenes = NameIndex((m.scene, ()) for m in moments)
        self._by_scene = {m.scene: m for m in moments}
        self._random_replies = [Reply(card=cards.moment_card(catalogue, m, (cards.ANOTHER_MOMENT,))) for m in moments]
        self._rank_replies = {
            m.rank: Reply(card=cards.moment_card(catalogue, m, cards.step_buttons(catalogue, m.rank))) for m in moments
        }
        self._actor_replies = {a: Reply(card=cards.actor_card(catalogue, a)) for a in self.actors.names}
        self._drama_replies = {d: Reply(card=cards.drama_card(catalogue, d)) for d in self.dramas.names}
        self._list_reply = Reply(card=cards.list_card(catalogue))
        self._about_reply = Reply(card=cards.about_card(catalogue))

    # --- commands -------------------------------------------------------------------------------

    def random_moment(self) -> Reply:
        if not self._random_replies:
            return notice("The catalogue is empty.")
        return self.rng.choice(self._random_replies)

    def rank(self, number: int) -> Reply:
        reply = self._rank_replies.get(number)
        if reply is not None:
            return reply
        if number == 1:
            return notice(MISSING_RANK_1)
        ranks = self.catalogue.ranks
        span = f"#{min(ranks)} to #{max(ranks)}" if ranks else "nothing"
        return notice(f"There is no moment #{number} in the list; it holds {span}.")

    def show(self, query: str) -> Reply:
        moment = self._find_moment(query)
        if moment is not None:
            return self._rank_replies[moment.rank]
        hint = self.scenes.find(query).suggestions or self.dramas.find(query).suggestions
        return notice(f"No moment matches “{quote_input(query)}”.{_did_you_mean(hint)} `/moment list` shows them all.")

    def list_moments(self) -> Reply:
        return self._list_reply

    def actor(self, name: str) -> Reply:
        match = self.actors.find(name)
        if match.found is None:
            return notice(
                f"I don't know an actor called “{quote_input(name)}” in these moments."
                f"{_did_you_mean(match.suggestions)}"
            )
        return self._actor_replies[match.found]

    def drama(self, title: str) -> Reply:
        match = self.dramas.find(title)
        if match.found is None:
            return notice(f"No drama in the list matches “{quote_input(title)}”.{_did_you_mean(match.suggestions)}")
        return self._drama_replies[match.found]

    def about(self) -> Reply:
        return self._about_reply

    # --- autocomplete ------------------------------------------------------------------------------

    def moment_choices(self, typed: str) -> list[Choice]:
        scenes = self.scenes.complete(typed, CHOICE_LIMIT)
        from_dramas = [
            m.scene for d in self.dramas.complete(typed, CHOICE_LIMIT) for m in self.catalogue.moments_of_drama(d)
        ]
        chosen = list(dict.fromkeys([*scenes, *from_dramas]))[:CHOICE_LIMIT]
        return [(clip(_label(self._by_scene[s]), CHOICE_NAME_LIMIT), s) for s in chosen]

    def actor_choices(self, typed: str) -> list[Choice]:
        return [(clip(a, CHOICE_NAME_LIMIT), a[:CHOICE_NAME_LIMIT]) for a in self.actors.complete(typed, CHOICE_LIMIT)]

    def drama_choices(self, typed: str) -> list[Choice]:
        return [(clip(d, CHOICE_NAME_LIMIT), d[:CHOICE_NAME_LIMIT]) for d in self.dramas.complete(typed, CHOICE_LIMIT)]

    def _find_moment(self, query: str) -> Moment | None:
        scene = self.scenes.find(query).found
        if scene is not None:
            return self._by_scene[scene]
        drama = self.dramas.find(query).found
        if drama is not None:
            return self.catalogue.moments_of_drama(drama)[0]
        return None


def _label(moment: Moment) -> str:
    return f"#{moment.rank} {moment.scene} ({moment.drama})"


def _did_you_mean(suggestions: tuple[str, ...]) -> str:
    return f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
