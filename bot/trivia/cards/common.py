"""What every trivia card shares: names shown as plain text, times, durations, card titles. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

import functools
from datetime import date

from bot.i18n import ENGLISH
from bot.lookups.cards import Words
from bot.matching import quote_input
from bot.text import plural
from bot.trivia import questions
from bot.trivia.rules import (
    MAX_ANSWER_SECONDS,
    MIN_ANSWER_SECONDS,
)

FIELD_VALUE_LIMIT = 1024  # Discord's limit on an embed field's value
ANSWER_ACTION = "answer"  # the answer buttons' action (its handler is registered by the trivia cog)
ANSWER_TIME_RANGE = f"{MIN_ANSWER_SECONDS} to {MAX_ANSWER_SECONDS}"
NAME_SHOWN = 40

TITLES = {
    questions.DRAMA_OF_SCENE: "Which drama?",
    questions.ACTOR_OF_CHARACTER: "Who plays them?",
    questions.CHARACTER_OF_ACTOR: "Which character?",
    questions.YEAR_OF_DRAMA: "Which year?",
    questions.EPISODE_OF_SCENE: "Which episode?",
    questions.DRAMA_OF_SONG: "Name the drama",
    questions.RANK_OF_SCENE: "Which rank?",
    questions.AIRED_FIRST: "Which aired first?",
    questions.CHARACTER_OF_DRAMA: "Whose drama?",
    questions.SERVER_QUESTION: "A question from this server",
    questions.OPERATOR_QUESTION: "Bonus question",
}
RULES = "One answer each: your first click is final. A right answer scores a point."


@functools.cache
def words(language: str = ENGLISH) -> Words:
    """One language's words (`data/locales/answers.<language>.po`) and Hangul names, for trivia's cards."""
    return Words(language)


def title(kind: str, language: str = ENGLISH) -> str:
    """A kind's card title in a language (`trivia.title.<kind>`; `Question` for a kind it does not know)."""
    known = kind in TITLES
    return words(language)(f"trivia.title.{kind}" if known else "trivia.title.question")


def display(name: str) -> str:
    """A member's name as plain text: no markdown, no mention, never empty."""
    return quote_input(name, NAME_SHOWN) if name.strip() else "someone"


def timestamp(when: float) -> str:
    """A time each reader sees in their own timezone, relative ("in 25 seconds")."""
    return f"<t:{int(when)}:R>"


def duration(seconds: int, language: str = ENGLISH) -> str:
    if seconds < 60 or seconds % 60:
        return words(language)("trivia.duration.seconds", n=seconds)
    return words(language).count("trivia.duration.minutes", seconds // 60)


def minutes(n: int) -> str:
    return plural(n, "minute")


def is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def day_name(day: date, language: str = ENGLISH) -> str:
    """`11 January 2027`; in Korean `2027년 1월 11일`."""
    month = day.strftime("%B") if language == ENGLISH else day.month
    return words(language)("trivia.date", day=day.day, month=month, year=day.year)
