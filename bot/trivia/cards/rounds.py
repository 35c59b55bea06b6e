"""A round's cards: the question, the reveal, what a click is told, and reports of a question. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.catalogue import CastMember, Catalogue, Moment
from bot.matching import inert_text
from bot.replies import GOLD, TEAL, Button, Card, Field, Reply, notice
from bot.text import plural
from bot.trivia import questions
from bot.trivia.cards.common import ANSWER_ACTION, FIELD_VALUE_LIMIT, RULES, TITLES, display, duration, timestamp
from bot.trivia.questions import Question
from bot.trivia.store import (
    Credit,
    QuestionReports,
    Reveal,
    Round,
)


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
        title=f"Trivia: {TITLES.get(question.kind, 'Question')}",
        description=f"**{question.prompt}**\n\n{closing}",
        colour=TEAL,
        footer=RULES,
        buttons=tuple(
            Button(label=option, action=ANSWER_ACTION, argument=answer_argument(round_id, i), style="primary")
            for i, option in enumerate(question.options)
        ),
    )


def reveal_card(reveal: Reveal, catalogue: Catalogue | None = None) -> Card:
    """The round once closed: buttons disabled, the right one green, how many chose each option (as bars), who
    got it right (fastest first, named, never pinged); with the catalogue, a line about the moment behind the
    question and a button that shows its drama's card."""
    rnd = reveal.round
    q = rnd.question
    names = name_list([display(name) for name in reveal.winners], reveal.winner_count, FIELD_VALUE_LIMIT)
    picks = "\n".join(
        f"{'✅' if i == q.answer else '▫️'} {option}: {count} {_bar(count, reveal.answers)}"
        for i, (option, count) in enumerate(zip(q.options, reveal.counts, strict=True))
    )
    behind = question_moment(catalogue, q) if catalogue else None
    context = f"\n\n{reveal_context(*behind)}" if behind else _credit_lines(reveal.credit)
    extra: tuple[Button, ...] = (
        (Button(f"About {behind[0].drama}", DRAMA_ACTION, str(behind[0].rank), emoji="📺"),) if behind else ()
    )
    if catalogue is not None:
        extra += (Button("Report a problem", REPORT_ACTION, str(rnd.id), emoji="🚩"),)
    return Card(
        title=f"Trivia: {TITLES.get(q.kind, 'Question')} (closed)",
        description=f"**{q.prompt}**\n\nThe answer: **{q.right}**{context}",
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
        )
        + extra,
    )


DRAMA_ACTION = "reveal_drama"  # a reveal's button that shows the drama's card privately (argument: the rank)
REPORT_ACTION = "report"  # a reveal's "Report a problem" button (argument: the round id)
REPORT_FORM_ACTION = "report_form"  # its form, sent (argument: the round id)
REPORT_REASONS = {
    "wrong_answer": "The answer is wrong",
    "unclear": "The question is unclear",
    "other": "Something else",
}
REPORT_TITLE = "Report a problem with this question"
REPORT_LABEL = "What is wrong with it?"


def report_thanks(recorded: bool) -> Reply:
    if recorded:
        return notice("Thank you: your report is in, and whoever runs the bot will look at this question.")
    return notice("You already reported this round's question; thank you, one report each is all it takes.")


def report_not_possible() -> Reply:
    return notice("That round can't be reported any more. Thank you all the same.")


def reports_text(found: Sequence[QuestionReports]) -> str:
    """`python -m bot reports`: reported questions, the most recently reported first, their reports newest first."""
    if not found:
        return "No question has been reported."
    lines: list[str] = []
    for question in found:
        reasons = Counter(r.reason for r in question.reports)
        summary = ", ".join(f"{REPORT_REASONS.get(k, k).lower()}: {n}" for k, n in reasons.most_common())
        lines.append(f"{question.question_key}  {plural(len(question.reports), 'report')} ({summary})")
        lines.append(f"  {question.prompt}")
        for r in question.reports:
            when = datetime.fromtimestamp(r.reported_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
            lines.append(f"  {when}  server {r.guild_id}  round {r.round_id}  {REPORT_REASONS.get(r.reason, r.reason)}")
    return "\n".join(lines)


BAR_WIDTH = 10


def _bar(count: int, total: int) -> str:
    filled = round(BAR_WIDTH * count / total) if total else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


CAST_KINDS = (questions.ACTOR_OF_CHARACTER, questions.CHARACTER_OF_ACTOR, questions.CHARACTER_OF_DRAMA)


def question_moment(catalogue: Catalogue, question: Question) -> tuple[Moment, CastMember | None] | None:
    """The moment a question is about (its key is `kind:rank`, or `kind:rank:position` for a cast member)."""
    parts = question.key.split(":")
    if question.kind == questions.SERVER_QUESTION or len(parts) < 2 or not parts[1].isdigit():
        return None
    moment = catalogue.by_rank(int(parts[1]))
    if moment is None:
        return None
    cast = None
    if question.kind in CAST_KINDS and len(parts) > 2:
        position = int(parts[2]) if parts[2].isdigit() else -1
        cast = moment.cast[position] if 0 <= position < len(moment.cast) else None
    return moment, cast


def _credit_lines(credit: Credit | None) -> str:
    """A server question's why line (inert: a member wrote it) and who wrote it, by display name, never a ping."""
    if credit is None:
        return ""
    lines = [f"📖 {inert_text(credit.why)}"] if credit.why else []
    if credit.author is not None:
        lines.append(f"✍️ Question by {display(credit.author) if credit.author else 'a former member'}")
    return "\n\n" + "\n".join(lines) if lines else ""


def reveal_context(moment: Moment, cast: CastMember | None) -> str:
    """One line about the moment behind a question, from the catalogue's own words."""
    where = f"#{moment.rank} on the list, {moment.scene}, is from {moment.drama} ({moment.year})"
    if cast is not None:
        where = f"{cast.actor} plays {cast.character} in {moment.drama} ({moment.year}), #{moment.rank} on the list"
    return f"📖 {where}. {_first_sentence(moment.why)}"


def _first_sentence(text: str) -> str:
    end = next((i for i, ch in enumerate(text) if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " ")), -1)
    sentence = text[: end + 1] if end >= 0 else text
    return sentence if len(sentence) <= 300 else sentence[:297].rsplit(" ", 1)[0] + "…"


def answer_recorded(question: Question, choice: int, closes_at: float) -> Reply:
    return notice(
        f"Your answer **{question.options[choice]}** is in, and final. "
        f"The right answer is revealed {timestamp(closes_at)}."
    )


def already_answered(question: Question, choice: int | None) -> Reply:
    picked = f" (**{question.options[choice]}**)" if choice is not None and 0 <= choice < len(question.options) else ""
    return notice(f"You already answered this round{picked}; your first click is final.")


def called_off_card(question: Question) -> Card:
    """A round whose message went out after the round was given up (another process failed it): no buttons."""
    return Card(
        title=f"Trivia: {TITLES.get(question.kind, 'Question')}",
        description=f"**{question.prompt}**\n\nThis round was called off: it does not count. The next one will.",
        colour=TEAL,
    )


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
