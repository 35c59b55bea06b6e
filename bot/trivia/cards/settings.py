"""/trivia config's card and its menu of the kinds of question. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.replies import GREY, Card, Field, Option, Reply, Select
from bot.text import plural
from bot.trivia import questions
from bot.trivia.cards.common import ANSWER_TIME_RANGE, duration, minutes, timestamp
from bot.trivia.store import (
    GuildSettings,
    Round,
)


def config_card(
    settings: GuildSettings,
    open_round: Round | None,
    *,
    changed: str | None = None,
    kinds: Sequence[tuple[str, int]] = (),
) -> Reply:
    """The settings, and (given `kinds`: each kind of the pool with how many questions it holds) the menu of
    the kinds of question the server gets."""
    channel = f"<#{settings.channel_id}>" if settings.channel_id else "not set: `/trivia channel`"
    if settings.interval_minutes and settings.paused_reason:
        schedule = (
            f"**paused** after {plural(settings.post_failures, 'refused post')}: {settings.paused_reason} "
            f"Fix that, then `/trivia schedule minutes:{settings.interval_minutes}` resumes it."
        )
    elif settings.interval_minutes and settings.next_round_at:
        schedule = f"every {minutes(settings.interval_minutes)}, next {timestamp(settings.next_round_at)}"
    else:
        schedule = "off: `/trivia schedule`"
    if open_round is None:
        current = "none open"
    elif open_round.closes_at is None:
        current = "being posted"
    else:
        current = f"open, closes {timestamp(open_round.closes_at)}"
    problem = (
        f"{settings.last_error} ({timestamp(settings.last_error_at)})"
        if settings.last_error and settings.last_error_at
        else "none"
    )
    return Reply(
        text=changed,
        card=Card(
            title="Trivia settings",
            colour=GREY,
            fields=(
                Field("Channel", channel, inline=True),
                Field("Schedule", schedule, inline=True),
                Field("Answer time", duration(settings.answer_seconds), inline=True),
                Field("Round", current, inline=True),
                *((Field("Questions", kinds_summary(settings, kinds)),) if kinds else ()),
                Field("Last problem", problem),
            ),
            footer=f"Change the answer time with /trivia config answer_seconds ({ANSWER_TIME_RANGE}).",
            selects=(kinds_menu(settings, kinds),) if kinds else (),
        ),
        ephemeral=True,
    )


KINDS_ACTION = "kinds"  # the config card's menu of question kinds (its handler is registered by the trivia cog)
KIND_NAMES = {
    questions.DRAMA_OF_SCENE: "Which drama a scene is from",
    questions.ACTOR_OF_CHARACTER: "Who plays a character",
    questions.CHARACTER_OF_ACTOR: "Which character an actor plays",
    questions.YEAR_OF_DRAMA: "The year a drama aired",
    questions.EPISODE_OF_SCENE: "The episode of a scene",
    questions.DRAMA_OF_SONG: "The drama a song plays in",
    questions.RANK_OF_SCENE: "A scene's rank in the list",
    questions.AIRED_FIRST: "Which drama aired first",
    questions.CHARACTER_OF_DRAMA: "Which character is from a drama",
}


def _chosen(settings: GuildSettings, kinds: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(k, n) for k, n in kinds if settings.question_kinds is None or k in settings.question_kinds]


def kinds_summary(settings: GuildSettings, kinds: Sequence[tuple[str, int]]) -> str:
    chosen = _chosen(settings, kinds)
    if len(chosen) == len(kinds):
        return f"every kind ({plural(sum(n for _, n in kinds), 'question')}); choose kinds in the menu below"
    names = ", ".join(KIND_NAMES.get(k, k).lower() for k, _ in chosen)
    return f"{names}: {plural(sum(n for _, n in chosen), 'question')} of {sum(n for _, n in kinds)}"


def kinds_menu(settings: GuildSettings, kinds: Sequence[tuple[str, int]]) -> Select:
    chosen = {k for k, _ in _chosen(settings, kinds)}
    return Select(
        action=KINDS_ACTION,
        placeholder="The kinds of question this server gets (at least one)",
        options=tuple(
            Option(KIND_NAMES.get(kind, kind), kind, plural(count, "question"), default=kind in chosen)
            for kind, count in kinds
        ),
        min_values=1,
        max_values=len(kinds),
    )


def kinds_changed(chosen: Sequence[str], kinds: Sequence[tuple[str, int]]) -> str:
    if len(chosen) == len(kinds):
        return "Rounds ask every kind of question again, from the next round on."
    count = sum(n for k, n in kinds if k in chosen)
    names = ", ".join(KIND_NAMES.get(k, k).lower() for k in chosen)
    return f"From the next round on, rounds ask only: {names} ({plural(count, 'question')})."


# --- the offline console --------------------------------------------------------------------------
