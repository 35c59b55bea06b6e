"""What trivia looks like: rounds, reveals, leaderboards, scores, settings, as plain cards. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

import random

from bot.catalogue import Catalogue
from bot.matching import quote_input
from bot.replies import GOLD, GREY, TEAL, Button, Card, Field, Reply, notice
from bot.text import plural
from bot.trivia import questions
from bot.trivia.questions import Question
from bot.trivia.rules import DEFAULT_ANSWER_SECONDS, MAX_ANSWER_SECONDS, MIN_ANSWER_SECONDS
from bot.trivia.store import GuildSettings, Leaderboard, Placed, Reveal, Round

FIELD_VALUE_LIMIT = 1024  # Discord's limit on an embed field's value
ANSWER_ACTION = "answer"  # the answer buttons' action (its handler is registered by the trivia cog)
ANSWER_TIME_RANGE = f"{MIN_ANSWER_SECONDS} to {MAX_ANSWER_SECONDS}"
NAME_SHOWN = 40

_TITLES = {
    questions.DRAMA_OF_SCENE: "Which drama?",
    questions.ACTOR_OF_CHARACTER: "Who plays them?",
    questions.CHARACTER_OF_ACTOR: "Which character?",
    questions.YEAR_OF_DRAMA: "Which year?",
    questions.EPISODE_OF_SCENE: "Which episode?",
    questions.DRAMA_OF_SONG: "Name the drama",
    questions.RANK_OF_SCENE: "Which rank?",
}
RULES = "One answer each: your first click is final. A right answer scores a point."


def answer_argument(round_id: int, choice: int) -> str:
    return f"{round_id}:{choice}"


def parse_answer_argument(argument: str) -> tuple[int, int] | None:
    round_text, _, choice_text = argument.partition(":")
    if not (round_text.isdigit() and choice_text.isdigit()):
        return None
    return int(round_text), int(choice_text)


def question_card(round_id: int, question: Question, closes_at: float | None, answer_seconds: int) -> Card:
    """The round as posted: the question and one button per option."""
    closing = (
        f"Answers close {timestamp(closes_at)}." if closes_at else f"Answers stay open {duration(answer_seconds)}."
    )
    return Card(
        title=f"Trivia: {_TITLES.get(question.kind, 'Question')}",
        description=f"**{question.prompt}**\n\n{closing}",
        colour=TEAL,
        footer=RULES,
        buttons=tuple(
            Button(label=option, action=ANSWER_ACTION, argument=answer_argument(round_id, i), style="primary")
            for i, option in enumerate(question.options)
        ),
    )


def reveal_card(reveal: Reveal) -> Card:
    """The round once closed: buttons disabled, the right one green, who got it right named (never pinged)."""
    rnd = reveal.round
    q = rnd.question
    names = name_list([display(name) for name in reveal.winners], reveal.winner_count, FIELD_VALUE_LIMIT)
    picks = "\n".join(
        f"{'✅' if i == q.answer else '▫️'} {option}: {count}"
        for i, (option, count) in enumerate(zip(q.options, reveal.counts, strict=True))
    )
    return Card(
        title=f"Trivia: {_TITLES.get(q.kind, 'Question')} (closed)",
        description=f"**{q.prompt}**\n\nThe answer: **{q.right}**",
        colour=GOLD,
        fields=(
            Field(f"Got it right ({reveal.winner_count} of {reveal.answers})", names),
            Field("How the server answered", picks),
        ),
        footer="This round is closed. Scores: /trivia leaderboard",
        buttons=tuple(
            Button(
                label=option,
                action=ANSWER_ACTION,
                argument=answer_argument(rnd.id, i),
                style="success" if i == q.answer else "secondary",
                disabled=True,
            )
            for i, option in enumerate(q.options)
        ),
    )


def answer_recorded(question: Question, choice: int, closes_at: float) -> Reply:
    return notice(
        f"Your answer **{question.options[choice]}** is in, and final. "
        f"The right answer is revealed {timestamp(closes_at)}."
    )


def already_answered(question: Question, choice: int | None) -> Reply:
    picked = f" (**{question.options[choice]}**)" if choice is not None and 0 <= choice < len(question.options) else ""
    return notice(f"You already answered this round{picked}; your first click is final.")


def round_closed() -> Reply:
    return notice("This round is closed: answers are no longer taken.")


def round_opening() -> Reply:
    return notice("This round is just being posted; click again in a moment.")


def already_open(current: Round) -> str:
    if current.closes_at is None:
        return f"A round is being posted in <#{current.channel_id}> right now. Start another after it closes."
    return (
        f"A round is already open in <#{current.channel_id}>; it closes {timestamp(current.closes_at)}. "
        "Start another after that."
    )


def name_list(names: list[str], total: int, limit: int) -> str:
    """Names joined within `limit` characters, never cut in the middle, saying how many are not shown."""
    if total == 0:
        return "Nobody this time."
    shown: list[str] = []
    for name in names:
        rest = total - len(shown) - 1
        candidate = ", ".join([*shown, name]) + (f" and {rest} more" if rest else "")
        if len(candidate) > limit:
            break
        shown.append(name)
    rest = total - len(shown)
    if not shown:
        return f"{total} members"
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


def leaderboard_card(board: Leaderboard, server: str) -> Reply:
    lines = [f"**{p.place}.** {display(p.score.display_name)}: {_summary(p)}" for p in board.top]
    you = (
        f"You are **#{board.caller.place}**: {_summary(board.caller)}."
        if board.caller
        else "You haven't answered a round here yet: your first answer puts you on the board."
    )
    return Reply(
        card=Card(
            title=f"Trivia leaderboard: {quote_input(server, 80)}",
            description="\n".join(lines) if lines else "No scores yet: answer a round to get on the board.",
            colour=GOLD,
            fields=(Field("Your place", you),),
            footer="Most points first; on equal points, fewer rounds answered first.",
        )
    )


def score_card(placed: Placed | None, name: str, *, own: bool) -> Reply:
    who = display(name)
    if placed is None:
        text = "You haven't answered a round here yet." if own else f"{who} hasn't answered a round here yet."
        return notice(text)
    s = placed.score
    accuracy = f"{round(100 * s.points / s.rounds_answered)}%" if s.rounds_answered else "n/a"
    return Reply(
        card=Card(
            title=f"Trivia score: {who}",
            colour=GOLD,
            fields=(
                Field("Points", str(s.points), inline=True),
                Field("Rounds answered", str(s.rounds_answered), inline=True),
                Field("Right", accuracy, inline=True),
                Field("Streak", f"{s.streak} in a row (best {s.best_streak})", inline=True),
                Field("Place", f"#{placed.place}", inline=True),
            ),
        )
    )


def config_card(settings: GuildSettings, open_round: Round | None, *, changed: str | None = None) -> Reply:
    channel = f"<#{settings.channel_id}>" if settings.channel_id else "not set: `/trivia channel`"
    if settings.interval_minutes and settings.paused_reason:
        schedule = (
            f"**paused** after {plural(settings.post_failures, 'refused post')}: {settings.paused_reason} "
            f"Fix that, then `/trivia schedule minutes:{settings.interval_minutes}` resumes it."
        )
    elif settings.interval_minutes and settings.next_round_at:
        schedule = f"every {_minutes(settings.interval_minutes)}, next {timestamp(settings.next_round_at)}"
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
                Field("Last problem", problem),
            ),
            footer=f"Change the answer time with /trivia config answer_seconds ({ANSWER_TIME_RANGE}).",
        ),
        ephemeral=True,
    )


# --- the offline console --------------------------------------------------------------------------

OFFLINE_NOTE = (
    "Offline preview: a round as your server's trivia channel would get it. Offline nothing is stored "
    "and the buttons do nothing; in a server each member's first click counts."
)


def preview_round(catalogue: Catalogue, rng: random.Random) -> Reply:
    """A question card built the way a server gets one (for `python -m bot ask "/trivia start"`)."""
    pool = questions.question_pool(catalogue)
    if not pool:
        return notice("The catalogue has too few facts to make a trivia question.")
    question = questions.build(rng.choice(pool), rng)
    return Reply(
        text=f"{OFFLINE_NOTE}\nThe right answer is option {question.answer + 1}: {question.right}.",
        card=question_card(0, question, None, DEFAULT_ANSWER_SECONDS),
    )


def offline_answer(subcommand: str, catalogue: Catalogue, rng: random.Random) -> Reply:
    """What `/trivia <subcommand>` answers in the offline console."""
    if subcommand == "start":
        return preview_round(catalogue, rng)
    pool = questions.question_pool(catalogue)
    return notice(
        f"/trivia {quote_input(subcommand, 20)} works in a server, where channels, schedules and scores are "
        f"kept. Offline, `/trivia start` previews a round; this data makes {len(pool)} distinct questions."
    )


# --- text helpers ---------------------------------------------------------------------------------


def display(name: str) -> str:
    """A member's name as plain text: no markdown, no mention, never empty."""
    return quote_input(name, NAME_SHOWN) if name.strip() else "someone"


def timestamp(when: float) -> str:
    """A time each reader sees in their own timezone, relative ("in 25 seconds")."""
    return f"<t:{int(when)}:R>"


def duration(seconds: int) -> str:
    if seconds < 60 or seconds % 60:
        return f"{seconds} s"
    return _minutes(seconds // 60)


def _minutes(n: int) -> str:
    return plural(n, "minute")


def _summary(p: Placed) -> str:
    s = p.score
    streak = f", streak {s.streak}" if s.streak > 1 else ""
    return f"{plural(s.points, 'point')} in {plural(s.rounds_answered, 'round')}{streak}"
