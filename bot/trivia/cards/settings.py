"""/trivia config's card and its menu of the kinds of question. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.i18n import ENGLISH
from bot.replies import GREY, Card, Field, Option, Reply, Select
from bot.trivia import questions
from bot.trivia.cards.common import ANSWER_TIME_RANGE, duration, timestamp, words
from bot.trivia.clock import (
    ALL_DAYS,
    DEFAULT_ZONE,
    WEEKDAYS,
    WEEKEND,
    days_option,
    format_days,
    format_time,
    zone_or_utc,
)
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
    language: str | None = None,
    reader: str = ENGLISH,
) -> Reply:
    """The settings, in the admin's own language (`reader`), and (given `kinds`: each kind of the pool with how
    many questions it holds) the menu of the kinds of question the server gets; with the server's own accepted
    questions, "Server questions (N)"; `language`: the line saying which language the server's trivia is in."""
    w = words(reader)
    if server_questions:
        kinds = (*kinds, (questions.SERVER_QUESTION, server_questions))
    channel = f"<#{settings.channel_id}>" if settings.channel_id else w("trivia.config.channel_unset")
    if open_round is None:
        current = w("trivia.config.round_none")
    elif open_round.closes_at is None:
        current = w("trivia.config.round_posting")
    else:
        current = w("trivia.config.round_open", when=timestamp(open_round.closes_at))
    problem = (
        f"{settings.last_error} ({timestamp(settings.last_error_at)})"
        if settings.last_error and settings.last_error_at
        else w("trivia.config.none")
    )
    ping = (
        w("trivia.config.ping_role", role=f"<@&{settings.ping_role_id}>")
        if settings.ping_role_id
        else w("trivia.config.ping_off")
    )
    return Reply(
        text=changed,
        card=Card(
            title=w("trivia.config.title"),
            colour=GREY,
            fields=(
                Field(w("trivia.config.channel"), channel, inline=True),
                Field(w("trivia.config.schedule"), schedule_text(settings, reader), inline=True),
                Field(w("trivia.config.answer_time"), duration(settings.answer_seconds, reader), inline=True),
                Field(w("trivia.config.round"), current, inline=True),
                Field(w("trivia.config.timezone"), settings.timezone or DEFAULT_ZONE, inline=True),
                Field(w("trivia.config.ping"), ping),
                *((Field(w("trivia.config.language"), language, inline=True),) if language else ()),
                *(
                    (Field(w("trivia.config.next_rounds"), next_rounds(settings, reader)),)
                    if settings.next_round_at
                    else ()
                ),
                Field(w("trivia.config.members_questions"), _proposals(settings, server_questions, reader)),
                *((Field(w("trivia.config.questions"), kinds_summary(settings, kinds, reader)),) if kinds else ()),
                Field(w("trivia.config.last_problem"), problem),
            ),
            footer=w("trivia.config.footer", range=ANSWER_TIME_RANGE),
            selects=(kinds_menu(settings, kinds, reader),) if kinds else (),
        ),
        ephemeral=True,
    )


def schedule_text(settings: GuildSettings, language: str = ENGLISH) -> str:
    """The schedule in words: every N minutes or daily at a local time, paused, or off."""
    w = words(language)
    daily = settings.daily
    if daily is not None:
        at = format_time(daily.minutes)
        zone = settings.timezone or DEFAULT_ZONE
        every = w("trivia.schedule.daily", time=at, days=days_text(daily.days, language), zone=zone)
        resume = f"`/trivia schedule time:{at} days:{days_option(daily.days)}`"
    elif settings.interval_minutes:
        every = w("trivia.schedule.every", minutes=w.count("trivia.duration.minutes", settings.interval_minutes))
        resume = f"`/trivia schedule minutes:{settings.interval_minutes}`"
    else:
        return w("trivia.schedule.off")
    if settings.paused_reason:
        refused = w.count("trivia.refused_posts", settings.post_failures)
        return w("trivia.schedule.paused", refused=refused, reason=settings.paused_reason, resume=resume)
    if settings.next_round_at is None:
        return w("trivia.schedule.off")
    return w("trivia.schedule.next", every=every, when=timestamp(settings.next_round_at))


def days_text(mask: int, language: str = ENGLISH) -> str:
    """Days of the week in words: `every day`, `Mon–Fri`, `Mon, Wed, Fri` (in Korean `매일`, `월–금`)."""
    if language == ENGLISH:
        return format_days(mask)
    w = words(language)
    named = {ALL_DAYS: "trivia.days.every", WEEKDAYS: "trivia.days.weekdays", WEEKEND: "trivia.days.weekend"}
    if mask in named:
        return w(named[mask])
    return ", ".join(w(f"trivia.day.{day}") for day in range(7) if mask & (1 << day))


def upcoming(settings: GuildSettings, count: int = 3) -> list[float]:
    """The schedule's next `count` slots."""
    if settings.next_round_at is None or settings.paused_reason:
        return []
    daily = settings.daily
    if daily is not None:
        return [settings.next_round_at, *daily.next_slots(settings.next_round_at, count - 1)]
    step = (settings.interval_minutes or 0) * 60.0
    return [settings.next_round_at + step * k for k in range(count)]


def next_rounds(settings: GuildSettings, language: str = ENGLISH) -> str:
    """The next three slots in the server's time, and as Discord timestamps each reader sees in their own."""
    where = zone_or_utc(settings.timezone)
    lines = [
        f"{datetime.fromtimestamp(slot, where).strftime('%a %d %b %H:%M %Z')} · <t:{int(slot)}:F>"
        for slot in upcoming(settings)
    ]
    return "\n".join(lines) or words(language)("trivia.config.none")


def timezone_changed(name: str, language: str = ENGLISH) -> str:
    return words(language)("trivia.timezone_changed", zone=name)


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


def _proposals(settings: GuildSettings, accepted: int, language: str = ENGLISH) -> str:
    w = words(language)
    who = w("trivia.proposals.everyone" if settings.submissions_open else "trivia.proposals.admins")
    return w("trivia.proposals", accepted=w.count("trivia.accepted", accepted), who=who)


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


def language_changed(language: str, reader: str = ENGLISH) -> str:
    """The server's trivia language was set; said in the admin's own language."""
    w = words(reader)
    return w("trivia.language_changed", language=w(f"trivia.language.{language}"))


def language_setting(chosen: str | None, effective: str, reader: str = ENGLISH) -> str:
    """The config card's language line: the language chosen, or the server's own that applies while none is."""
    w = words(reader)
    name = w(f"trivia.language.{effective}")
    return name if chosen else w("trivia.config.language_default", language=name)


def submissions_changed(open_to_all: bool, language: str = ENGLISH) -> str:
    return words(language)("trivia.submissions.open" if open_to_all else "trivia.submissions.closed")


def kinds_summary(settings: GuildSettings, kinds: Sequence[tuple[str, int]], language: str = ENGLISH) -> str:
    w = words(language)
    chosen = _chosen(settings, kinds)
    if len(chosen) == len(kinds):
        return w("trivia.kinds.every", count=w.count("trivia.questions", sum(n for _, n in kinds)))
    names = ", ".join(kind_name(k, language).lower() for k, _ in chosen)
    count = w.count("trivia.questions", sum(n for _, n in chosen))
    return w("trivia.kinds.some", names=names, count=count, total=sum(n for _, n in kinds))


def kinds_menu(settings: GuildSettings, kinds: Sequence[tuple[str, int]], language: str = ENGLISH) -> Select:
    w = words(language)
    chosen = {k for k, _ in _chosen(settings, kinds)}
    return Select(
        action=KINDS_ACTION,
        placeholder=w("trivia.kinds.menu"),
        options=tuple(
            Option(
                _kind_label(kind, count, language),
                kind,
                w.count("trivia.questions", count),
                default=kind in chosen,
            )
            for kind, count in kinds
        ),
        min_values=1,
        max_values=len(kinds),
    )


def kind_name(kind: str, language: str = ENGLISH) -> str:
    """A kind's name in /trivia config's menu (`trivia.kind.<kind>`)."""
    return words(language)(f"trivia.kind.{kind}") if kind in KIND_NAMES else kind


def _kind_label(kind: str, count: int, language: str = ENGLISH) -> str:
    name = kind_name(kind, language)
    return f"{name} ({count})" if kind == questions.SERVER_QUESTION else name


def kinds_changed(
    chosen: Sequence[str], kinds: Sequence[tuple[str, int]], mix: str = "catalogue", language: str = ENGLISH
) -> str:
    """What changing the kinds of question did, in the admin's language."""
    w = words(language)
    if mix == "server":
        return w("trivia.kinds_changed.server")
    if len(chosen) == len(kinds):
        return w("trivia.kinds_changed.every_and_own" if mix == "both" else "trivia.kinds_changed.every")
    count = sum(n for k, n in kinds if k in chosen)
    names = w("trivia.kinds_changed.comma").join(kind_name(k, language).lower() for k in chosen)
    return w("trivia.kinds_changed.some", names=names, questions=w.count("trivia.questions", count))


# --- the offline console --------------------------------------------------------------------------
