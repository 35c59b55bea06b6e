"""What the lookup answers look like: moment, actor, drama, list and about cards. No discord import.

Every card is written in one language, from the answers' catalogue (`data/locales/answers.<language>.po`), and
shows a name in both scripts where its Hangul form is known: `Crash Landing on You (사랑의 불시착)` in English,
`사랑의 불시착 (Crash Landing on You)` in Korean. The article's facts stay as the article gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.catalogue import Catalogue, Moment, Song
from bot.hangul import HangulNames, Story, shipped_hangul, shipped_stories
from bot.i18n import ENGLISH, KOREAN, Messages, messages
from bot.replies import GOLD, TEAL, Button, Card, Field

# The lookup buttons' actions (their handlers are registered by the lookup cog).
RANDOM_ACTION = "random"
RANK_ACTION = "rank"

# The commands the /about card lists, by their key in the catalogue (`help.<key>` and `help.<key>.command`).
COMMAND_HELP = (
    "moment_random",
    "moment_show",
    "moment_list",
    "rank",
    "actor",
    "drama",
    "trivia",
    "daily",
    "privacy",
    "about",
)


@dataclass(frozen=True)
class Words:
    """One language's words for the cards, and the Hangul names to show beside the article's."""

    language: str = ENGLISH
    hangul: HangulNames = field(default_factory=shipped_hangul, compare=False, repr=False)
    catalogue_messages: Messages = field(default_factory=messages, compare=False, repr=False)
    stories: dict[int, Story] = field(default_factory=shipped_stories, compare=False, repr=False)

    def __call__(self, key: str, /, **values: Any) -> str:
        return self.catalogue_messages.text(key, self.language, **values)

    def count(self, key: str, number: int) -> str:
        return self.catalogue_messages.count(key, number, self.language)

    def both(self, english: str, hangul: str | None) -> str:
        """The name in both scripts, the member's first; as it is when no Hangul form is known."""
        if not hangul:
            return english
        return f"{hangul} ({english})" if self.language == KOREAN else f"{english} ({hangul})"

    def drama(self, english: str) -> str:
        return self.both(english, self.hangul.drama(english))

    def synopsis(self, moment: Moment) -> str:
        """The drama in a sentence or two, in the member's language where it is written in it."""
        story = self.stories.get(moment.rank) if self.language == KOREAN else None
        return story.synopsis if story else moment.synopsis

    def why(self, moment: Moment) -> str:
        story = self.stories.get(moment.rank) if self.language == KOREAN else None
        return story.why if story else moment.why

    def episode_note(self, moment: Moment) -> str | None:
        story = self.stories.get(moment.rank) if self.language == KOREAN else None
        return story.episode_note if story and story.episode_note else moment.episode_note

    def drama_year(self, english: str, year: int) -> str:
        """`Goblin (도깨비, 2016)`, or `Goblin (2016)` where no Hangul form is known."""
        hangul = self.hangul.drama(english)
        if hangul:
            return self("card.drama_year_both", english=english, hangul=hangul, year=year)
        return self("card.drama_year", drama=english, year=year)

    def actor(self, english: str) -> str:
        return self.both(english, self.hangul.actor(english))

    def character(self, drama: str, english: str) -> str:
        return self.both(english, self.hangul.character(drama, english))

    def role(self, moment: Moment, actor: str, character: str) -> str:
        return self("card.role", actor=self.actor(actor), character=self.character(moment.drama, character))


ENGLISH_WORDS = Words()


def another_moment(words: Words = ENGLISH_WORDS) -> Button:
    return Button(words("button.another"), RANDOM_ACTION, style="primary")


def credit(catalogue: Catalogue, words: Words = ENGLISH_WORDS) -> str:
    source = catalogue.source
    return words("card.credit", title=source.title, publisher=source.publisher)


def moment_card(
    catalogue: Catalogue, moment: Moment, buttons: tuple[Button, ...] = (), words: Words = ENGLISH_WORDS
) -> Card:
    drama = words.drama_year(moment.drama, moment.year)
    if moment.drama_aliases:
        drama += "\n" + words("card.also_known_as", titles=", ".join(moment.drama_aliases))
    fields = [Field(words("card.drama"), drama, inline=True)]
    if moment.episode is not None:
        episode = _episode(moment, words)
        fields.append(Field(words("card.episode"), episode, inline=True))
    if moment.cast:
        fields.append(
            Field(words("card.cast"), "\n".join(words.role(moment, c.actor, c.character) for c in moment.cast))
        )
    if moment.songs:
        fields.append(Field(words("card.music"), "\n".join(_song(s, words) for s in moment.songs)))
    fields.append(Field(words("card.story"), words.synopsis(moment)))
    return Card(
        title=words("card.moment_title", rank=moment.rank, scene=moment.scene),
        description=words.why(moment),
        fields=tuple(fields),
        footer=credit(catalogue, words),
        url=catalogue.source.url,
        buttons=buttons,
    )


def _episode(moment: Moment, words: Words) -> str:
    note = words.episode_note(moment)
    if note:
        return words("card.episode_note", number=moment.episode, note=note)
    return words("card.episode_number", number=moment.episode)


def _song(song: Song, words: Words) -> str:
    return (
        words("card.song_by", title=song.title, artist=song.artist)
        if song.artist
        else words("card.song", title=song.title)
    )


def step_buttons(catalogue: Catalogue, rank: int, words: Words = ENGLISH_WORDS) -> tuple[Button, ...]:
    """◀ to the next rank down the list, ▶ to the next one up."""
    better, worse = catalogue.neighbours(rank)
    buttons = []
    if worse is not None:
        buttons.append(Button(words("button.down", rank=worse), RANK_ACTION, str(worse)))
    if better is not None:
        buttons.append(Button(words("button.up", rank=better), RANK_ACTION, str(better)))
    return tuple(buttons)


def list_card(catalogue: Catalogue, words: Words = ENGLISH_WORDS) -> Card:
    lines = [
        words("list.line", rank=m.rank, scene=m.scene, drama=words.drama_year(m.drama, m.year))
        for m in catalogue.moments
    ]
    if catalogue.by_rank(1) is None:
        lines.insert(0, words("list.missing_1"))
    return Card(
        title=words("list.title"),
        description="\n".join(lines),
        footer=credit(catalogue, words),
        colour=TEAL,
    )


def actor_card(catalogue: Catalogue, actor: str, words: Words = ENGLISH_WORDS) -> Card:
    roles = catalogue.roles_of(actor)
    dramas = {r.moment.drama for r in roles}
    fields = tuple(
        Field(
            name=words.drama_year(r.moment.drama, r.moment.year),
            value=words(
                "actor.role",
                character=words.character(r.moment.drama, r.character),
                rank=r.moment.rank,
                scene=r.moment.scene,
            ),
        )
        for r in roles
    )
    summary = words(
        "actor.summary", roles=words.count("count.role", len(roles)), dramas=words.count("count.drama", len(dramas))
    )
    return Card(
        title=words.actor(actor),
        description=summary,
        fields=fields,
        footer=credit(catalogue, words),
        colour=GOLD,
    )


def drama_card(catalogue: Catalogue, drama: str, words: Words = ENGLISH_WORDS) -> Card:
    moments = catalogue.moments_of_drama(drama)
    first = moments[0]
    aliases = sorted({a for m in moments for a in m.drama_aliases})
    cast = list(dict.fromkeys(words.role(m, c.actor, c.character) for m in moments for c in m.cast))
    fields = [Field(words("drama.cast"), "\n".join(cast) or words("drama.cast_unknown"))]
    if aliases:
        fields.insert(0, Field(words("drama.also_known_as"), "\n".join(aliases)))
    lines = [words("drama.moment_line", rank=m.rank, scene=m.scene) for m in moments]
    fields.append(Field(words("drama.moments"), "\n".join(lines)))
    return Card(
        title=words.drama_year(first.drama, first.year),
        description=words.synopsis(first),
        fields=tuple(fields),
        footer=credit(catalogue, words),
        colour=GOLD,
    )


def about_card(catalogue: Catalogue, words: Words = ENGLISH_WORDS) -> Card:
    source = catalogue.source
    help_lines = [
        words("about.help_line", command=words(f"help.{key}.command"), what=words(f"help.{key}"))
        for key in COMMAND_HELP
    ]
    return Card(
        title=words("about.title"),
        description=words(
            "about.description", count=len(catalogue.moments), title=source.title, publisher=source.publisher
        ),
        fields=(Field(words("about.commands"), "\n".join(help_lines)),),
        url=source.url,
        footer=words("about.source", credit=source.credit()),
        colour=TEAL,
    )
