"""What /trivia answers in the offline console, where there is no server, in the console's language (`--locale`).
No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

import random

from bot.catalogue import Catalogue
from bot.i18n import ENGLISH
from bot.matching import quote_input
from bot.replies import GOLD, Card, Field, Reply, notice
from bot.trivia import questions
from bot.trivia.cards.common import words
from bot.trivia.cards.rounds import asked_in, question_card
from bot.trivia.rules import (
    DEFAULT_ANSWER_SECONDS,
    PERIODS,
)


def preview_round(catalogue: Catalogue, rng: random.Random, language: str = ENGLISH) -> Reply:
    """A question card built the way a server gets one (for `python -m bot ask "/trivia start"`), in a language."""
    w = words(language)
    pool = questions.question_pool(catalogue)
    if not pool:
        return notice(w("trivia.offline.too_few"))
    question = questions.build(rng.choice(pool), rng)
    shown = asked_in(question, catalogue, language)
    right = w("trivia.offline.right", number=question.answer + 1, right=shown.right)
    return Reply(
        text=f"{w('trivia.offline.note')}\n{right}",
        card=question_card(0, question, None, DEFAULT_ANSWER_SECONDS, language, catalogue),
    )


def offline_answer(subcommand: str, catalogue: Catalogue, rng: random.Random, language: str = ENGLISH) -> Reply:
    """What `/trivia <subcommand>` answers in the offline console."""
    if subcommand == "start":
        return preview_round(catalogue, rng, language)
    pool = questions.question_pool(catalogue)
    return notice(words(language)("trivia.offline.server_only", command=quote_input(subcommand, 20), count=len(pool)))


# --- text helpers ---------------------------------------------------------------------------------


def offline_board(catalogue: Catalogue, language: str = ENGLISH) -> Reply:
    """`/trivia leaderboard` offline: the empty board, and the periods a server can ask for."""
    w = words(language)
    periods = ", ".join(f"`period:{name}`" for name in PERIODS.values())
    return Reply(
        text=w("trivia.offline.board_note"),
        card=Card(
            title=w("trivia.offline.board_title"),
            description=w("trivia.offline.board_empty"),
            colour=GOLD,
            fields=(Field(w("trivia.offline.periods_title"), w("trivia.offline.periods", periods=periods)),),
            footer=w("trivia.board.order"),
        ),
    )


def offline_season(language: str = ENGLISH) -> Reply:
    return notice(words(language)("trivia.offline.season"))
