"""What /trivia answers in the offline console, where there is no server. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

import random

from bot.catalogue import Catalogue
from bot.matching import quote_input
from bot.replies import GOLD, Card, Field, Reply, notice
from bot.trivia import questions
from bot.trivia.cards.boards import BOARD_ORDER
from bot.trivia.cards.rounds import question_card
from bot.trivia.rules import (
    DEFAULT_ANSWER_SECONDS,
    PERIODS,
)

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


def offline_board(catalogue: Catalogue) -> Reply:
    """`/trivia leaderboard` offline: the empty board, and the periods a server can ask for."""
    periods = ", ".join(f"`period:{name}`" for name in PERIODS.values())
    return Reply(
        text="Offline preview: in a server this board lists its members' points. Nothing is kept offline.",
        card=Card(
            title="Trivia leaderboard: offline, season 1",
            description="No scores yet: answer a round to get on the board.",
            colour=GOLD,
            fields=(
                Field(
                    "Periods",
                    f"{periods}. The default is the current season; weeks start on Monday 00:00 in the server's "
                    "time zone.",
                ),
            ),
            footer=BOARD_ORDER,
        ),
    )


def offline_season() -> Reply:
    return notice(
        "Seasons work in a server. `/trivia season new` (Manage Server) ends the current season after a "
        "confirmation: its final top 10 is posted in the trivia channel and the next season starts from zero, "
        "while all-time points keep counting. `/trivia season show number:1` shows an ended season's final board."
    )
