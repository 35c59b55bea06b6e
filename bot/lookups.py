"""The lookup commands' logic: /moment, /rank, /actor, /drama, /about. Catalogue in, Reply out.

No discord import: the cogs and the offline console both call these and render what they return.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.cards import GOLD, TEAL, Button, Card, Field, Reply, notice
from bot.catalogue import Catalogue, Moment
from bot.matching import NameIndex, quote_input

MISSING_RANK_1 = (
    "The source article's text stops after entry #2, so moment #1 is not included and I won't make one up. "
    "Try `/rank 2` for the highest-ranked moment we have."
)
CHOICE_LIMIT = 25
CHOICE_NAME_LIMIT = 100

COMMAND_HELP = (
    ("/moment random", "a random perfect moment, with a button for another"),
    ("/moment show", "one moment by scene or drama"),
    ("/moment list", "the whole ranked list"),
    ("/rank", "a moment by its rank, with buttons to step through the list"),
    ("/actor", "an actor's dramas, characters and moments"),
    ("/drama", "a drama's year, cast and moments"),
    ("/trivia ...", "trivia rounds in a server's trivia channel, with scores"),
    ("/about", "this card"),
)


@dataclass
class Lookups:
    """Answers for one catalogue. Built once at start-up; the catalogue never changes at run time."""

    catalogue: Catalogue
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        moments = self.catalogue.moments
        self.actors = NameIndex(((a, ()) for a in self.catalogue.actors()), any_word_order=True)
        dramas: dict[str, list[str]] = {}
        for m in moments:
            dramas.setdefault(m.drama, []).extend(m.drama_aliases)
        self.dramas = NameIndex(dramas.items())
        self.scenes = NameIndex((m.scene, ()) for m in moments)
        self._by_scene = {m.scene: m for m in moments}
        # Every card is built once: the answers to a lookup never change while the bot runs.
        another = (Button("Another moment", "random", style="primary"),)
        self._random_replies = [Reply(card=self.moment_card(m, another)) for m in moments]
        self._rank_replies = {m.rank: Reply(card=self.moment_card(m, self._step_buttons(m.rank))) for m in moments}
        self._actor_replies = {a: Reply(card=self._actor_card(a)) for a in self.actors.names}
        self._drama_replies = {d: Reply(card=self._drama_card(d)) for d in self.dramas.names}
        self._list_reply = Reply(card=self._list_card())
        self._about_reply = Reply(card=self._about_card())

    # --- commands -------------------------------------------------------------------------------

    def random_moment(self) -> Reply:
        if not self._random_replies:
            return notice("The catalogue is empty.")
        return self.rng.choice(self._random_replies)

    def rank(self, number: int) -> Reply:
        reply = self._rank_replies.get(number)
        if reply is None:
            if number == 1:
                return notice(MISSING_RANK_1)
            ranks = self.catalogue.ranks
            span = f"#{min(ranks)} to #{max(ranks)}" if ranks else "nothing"
            return notice(f"There is no moment #{number} in the list; it holds {span}.")
        return reply

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

    def _list_card(self) -> Card:
        lines = [f"**#{m.rank}** {m.scene} · *{m.drama}* ({m.year})" for m in self.catalogue.moments]
        if self.catalogue.by_rank(1) is None:
            lines.insert(0, "**#1** (not in the source text)")
        return Card(
            title="The perfect K-drama moments",
            description="\n".join(lines),
            footer=self._credit(),
            colour=TEAL,
        )

    def _actor_card(self, actor: str) -> Card:
        roles = self.catalogue.roles_of(actor)
        dramas = {r.moment.drama for r in roles}
        fields = tuple(
            Field(
                name=f"{r.moment.drama} ({r.moment.year})",
                value=f"as **{r.character}** · moment #{r.moment.rank}, {r.moment.scene}",
            )
            for r in roles
        )
        return Card(
            title=actor,
            description=f"{_count(len(roles), 'role')} in {_count(len(dramas), 'drama')} of the list.",
            fields=fields,
            footer=self._credit(),
            colour=GOLD,
        )

    def _drama_card(self, drama: str) -> Card:
        moments = self.catalogue.moments_of_drama(drama)
        first = moments[0]
        aliases = sorted({a for m in moments for a in m.drama_aliases})
        cast = list(dict.fromkeys(f"{c.actor} as {c.character}" for m in moments for c in m.cast))
        fields = [Field("Cast", "\n".join(cast) or "not named in the source")]
        if aliases:
            fields.insert(0, Field("Also known as", "\n".join(aliases)))
        fields.append(Field("Moments", "\n".join(f"#{m.rank} {m.scene}" for m in moments)))
        return Card(
            title=f"{first.drama} ({first.year})",
            description=first.synopsis,
            fields=tuple(fields),
            footer=self._credit(),
            colour=GOLD,
        )

    def _about_card(self) -> Card:
        source = self.catalogue.source
        count = len(self.catalogue.moments)
        return Card(
            title="Perfect Moments",
            description=(
                f"A bot for K-drama fans, built on the {count} moments of “{source.title}” ({source.publisher}). "
                "Facts come from the article; every summary is written in our own words. "
                "The article's text we have ends at entry #2, so #1 is not included."
            ),
            fields=(Field("Commands", "\n".join(f"`{name}`: {what}" for name, what in COMMAND_HELP)),),
            url=source.url,
            footer=f"Source: {source.credit()}",
            colour=TEAL,
        )

    # --- autocomplete ------------------------------------------------------------------------------

    def moment_choices(self, typed: str) -> list[tuple[str, str]]:
        scenes = self.scenes.complete(typed, CHOICE_LIMIT)
        from_dramas = [
            m.scene for d in self.dramas.complete(typed, CHOICE_LIMIT) for m in self.catalogue.moments_of_drama(d)
        ]
        chosen = list(dict.fromkeys([*scenes, *from_dramas]))[:CHOICE_LIMIT]
        return [(_choice_name(self._label(self._by_scene[s])), s) for s in chosen]

    def actor_choices(self, typed: str) -> list[tuple[str, str]]:
        return [(_choice_name(a), a[:CHOICE_NAME_LIMIT]) for a in self.actors.complete(typed, CHOICE_LIMIT)]

    def drama_choices(self, typed: str) -> list[tuple[str, str]]:
        return [(_choice_name(d), d[:CHOICE_NAME_LIMIT]) for d in self.dramas.complete(typed, CHOICE_LIMIT)]

    # --- cards -------------------------------------------------------------------------------------

    def moment_card(self, moment: Moment, buttons: tuple[Button, ...] = ()) -> Card:
        drama = f"{moment.drama} ({moment.year})"
        if moment.drama_aliases:
            drama += "\nalso known as " + ", ".join(moment.drama_aliases)
        fields = [Field("Drama", drama, inline=True)]
        if moment.episode_text():
            fields.append(Field("Episode", moment.episode_text() or "", inline=True))
        if moment.cast:
            fields.append(Field("Cast", "\n".join(f"{c.actor} as {c.character}" for c in moment.cast)))
        if moment.songs:
            fields.append(Field("Music", "\n".join(s.display() for s in moment.songs)))
        fields.append(Field("The story", moment.synopsis))
        return Card(
            title=f"#{moment.rank} · {moment.scene}",
            description=moment.why,
            fields=tuple(fields),
            footer=self._credit(),
            url=self.catalogue.source.url,
            buttons=buttons,
        )

    def _step_buttons(self, rank: int) -> tuple[Button, ...]:
        better, worse = self.catalogue.neighbours(rank)
        buttons = []
        if worse is not None:
            buttons.append(Button(f"◀ #{worse}", "rank", str(worse)))
        if better is not None:
            buttons.append(Button(f"#{better} ▶", "rank", str(better)))
        return tuple(buttons)

    def _find_moment(self, query: str) -> Moment | None:
        scene = self.scenes.find(query).found
        if scene is not None:
            return self._by_scene[scene]
        drama = self.dramas.find(query).found
        if drama is not None:
            return self.catalogue.moments_of_drama(drama)[0]
        return None

    def _label(self, moment: Moment) -> str:
        return f"#{moment.rank} {moment.scene} ({moment.drama})"

    def _credit(self) -> str:
        source = self.catalogue.source
        return f"From “{source.title}”, {source.publisher}. Summaries in our own words."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _did_you_mean(suggestions: tuple[str, ...]) -> str:
    return f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""


def _choice_name(text: str) -> str:
    return text if len(text) <= CHOICE_NAME_LIMIT else text[: CHOICE_NAME_LIMIT - 1] + "…"
