"""What the lookup answers look like: moment, actor, drama, list and about cards. No discord import."""

from __future__ import annotations

from bot.catalogue import Catalogue, Moment
from bot.replies import GOLD, TEAL, Button, Card, Field
from bot.text import plural

# The lookup buttons' actions (their handlers are registered by the lookup cog).
RANDOM_ACTION = "random"
RANK_ACTION = "rank"

COMMAND_HELP = (
    ("/moment random", "a random perfect moment, with a button for another"),
    ("/moment show", "one moment by scene or drama"),
    ("/moment list", "the whole ranked list"),
    ("/rank", "a moment by its rank, with buttons to step through the list"),
    ("/actor", "an actor's dramas, characters and moments"),
    ("/drama", "a drama's year, cast and moments"),
    ("/trivia ...", "trivia rounds in a server's trivia channel, with scores"),
    ("/daily ...", "a moment of the day in a server's channel, at its local time"),
    ("/privacy", "what the bot keeps about you; /forget-me deletes it"),
    ("/about", "this card"),
)

ANOTHER_MOMENT = Button("Another moment", RANDOM_ACTION, style="primary")


def credit(catalogue: Catalogue) -> str:
    source = catalogue.source
    return f"From “{source.title}”, {source.publisher}. Summaries in our own words."


def moment_card(catalogue: Catalogue, moment: Moment, buttons: tuple[Button, ...] = ()) -> Card:
    drama = f"{moment.drama} ({moment.year})"
    if moment.drama_aliases:
        drama += "\nalso known as " + ", ".join(moment.drama_aliases)
    fields = [Field("Drama", drama, inline=True)]
    episode = moment.episode_text()
    if episode:
        fields.append(Field("Episode", episode, inline=True))
    if moment.cast:
        fields.append(Field("Cast", "\n".join(f"{c.actor} as {c.character}" for c in moment.cast)))
    if moment.songs:
        fields.append(Field("Music", "\n".join(s.display() for s in moment.songs)))
    fields.append(Field("The story", moment.synopsis))
    return Card(
        title=f"#{moment.rank} · {moment.scene}",
        description=moment.why,
        fields=tuple(fields),
        footer=credit(catalogue),
        url=catalogue.source.url,
        buttons=buttons,
    )


def step_buttons(catalogue: Catalogue, rank: int) -> tuple[Button, ...]:
    """◀ to the next rank down the list, ▶ to the next one up."""
    better, worse = catalogue.neighbours(rank)
    buttons = []
    if worse is not None:
        buttons.append(Button(f"◀ #{worse}", RANK_ACTION, str(worse)))
    if better is not None:
        buttons.append(Button(f"#{better} ▶", RANK_ACTION, str(better)))
    return tuple(buttons)


def list_card(catalogue: Catalogue) -> Card:
    lines = [f"**#{m.rank}** {m.scene} · *{m.drama}* ({m.year})" for m in catalogue.moments]
    if catalogue.by_rank(1) is None:
        lines.insert(0, "**#1** (not in the source text)")
    return Card(
        title="The perfect K-drama moments",
        description="\n".join(lines),
        footer=credit(catalogue),
        colour=TEAL,
    )


def actor_card(catalogue: Catalogue, actor: str) -> Card:
    roles = catalogue.roles_of(actor)
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
        description=f"{plural(len(roles), 'role')} in {plural(len(dramas), 'drama')} of the list.",
        fields=fields,
        footer=credit(catalogue),
        colour=GOLD,
    )


def drama_card(catalogue: Catalogue, drama: str) -> Card:
    moments = catalogue.moments_of_drama(drama)
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
        footer=credit(catalogue),
        colour=GOLD,
    )


def about_card(catalogue: Catalogue) -> Card:
    source = catalogue.source
    return Card(
        title="Perfect Moments",
        description=(
            f"A bot for K-drama fans, built on the {len(catalogue.moments)} moments of “{source.title}” "
            f"({source.publisher}). Facts come from the article; every summary is written in our own words. "
            "The article's text we have ends at entry #2, so #1 is not included."
        ),
        fields=(Field("Commands", "\n".join(f"`{name}`: {what}" for name, what in COMMAND_HELP)),),
        url=source.url,
        footer=f"Source: {source.credit()}",
        colour=TEAL,
    )
