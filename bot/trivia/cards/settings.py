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
    server_questions: int = 0,
) -> Reply:
    """The settings, and (given `kinds`: each kind of the pool with how many questions it holds) the menu of
    the kinds of question the server gets; with the server's own accepted questions, "Server questions (N)"."""
    if server_questions:
        kinds = (*kinds, (questions.SERVER_QUESTION, server_questions))
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
                Field("Members' questions", _proposals(settings, server_questions)),
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
    questions.SERVER_QUESTION: "Server questions",
    questions.OPERATOR_QUESTION: "The operator's bonus questions",
}


def _proposals(settings: GuildSettings, accepted: int) -> str:
    who = "every member" if settings.submissions_open else "members with Manage Server"
    return (
        f"{plural(accepted, 'accepted question')} of this server's own; {who} may propose more "
        "(`/trivia question add`; `/trivia config submissions` changes who)"
    )


def _chosen(settings: GuildSettings, kinds: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    mix = settings.question_mix
    own = questions.SERVER_QUESTION
    return [
        (k, n)
        for k, n in kinds
        if (k == own and mix != "catalogue")
        or (k != own and mix != "server" and (settings.question_kinds is None or k in settings.question_kinds))
    ] or list(kinds)


def mix_of(server: bool, catalogue: bool) -> str:
    """Which questions rounds ask, from the kinds menu's choice."""
    if server and not catalogue:
        return "server"
    return "both" if server else "catalogue"


def submissions_changed(open_to_all: bool) -> str:
    if open_to_all:
        return "Every member may now propose questions with `/trivia question add`; admins review them."
    return "Only members with Manage Server may propose questions now."


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
            Option(_kind_label(kind, count), kind, plural(count, "question"), default=kind in chosen)
            for kind, count in kinds
        ),
        min_values=1,
        max_values=len(kinds),
    )


def _kind_label(kind: str, count: int) -> str:
    name = KIND_NAMES.get(kind, kind)
    return f"{name} ({count})" if kind == questions.SERVER_QUESTION else name


def kinds_changed(chosen: Sequence[str], kinds: Sequence[tuple[str, int]], mix: str = "catalogue") -> str:
    if mix == "server":
        return "From the next round on, rounds ask only this server's own questions."
    if len(chosen) == len(kinds):
        own = " and this server's own" if mix == "both" else ""
        return f"Rounds ask every kind of question{own} again, from the next round on."
    count = sum(n for k, n in kinds if k in chosen)
    names = ", ".join(KIND_NAMES.get(k, k).lower() for k in chosen)
    return f"From the next round on, rounds ask only: {names} ({plural(count, 'question')})."


# --- the offline console --------------------------------------------------------------------------
