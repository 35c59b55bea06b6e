"""A round's cards: the question, the reveal, what a click is told, and reports of a question. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.catalogue import CastMember, Catalogue, Moment
from bot.i18n import ENGLISH, placeholders
from bot.lookups.cards import Words
from bot.matching import inert_text
from bot.replies import GOLD, TEAL, Button, Card, Field, Reply, notice
from bot.text import plural
from bot.trivia import questions
from bot.trivia.cards.common import ANSWER_ACTION, FIELD_VALUE_LIMIT, display, duration, timestamp, title, words
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


def question_card(
    round_id: int,
    question: Question,
    closes_at: float | None,
    answer_seconds: int,
    language: str = ENGLISH,
    catalogue: Catalogue | None = None,
) -> Card:
    """The round as posted, in the server's language: the question and one button per option."""
    w = words(language)
    q = asked_in(question, catalogue, language)
    closing = (
        w("trivia.card.closes_at", when=timestamp(closes_at))
        if closes_at
        else w("trivia.card.open_for", duration=duration(answer_seconds, language))
    )
    return Card(
        title=w("trivia.card.title", title=title(q.kind, language)),
        description=f"**{q.prompt}**\n\n{closing}",
        colour=TEAL,
        footer=w("trivia.card.rules"),
        buttons=tuple(
            Button(label=option, action=ANSWER_ACTION, argument=answer_argument(round_id, i), style="primary")
            for i, option in enumerate(q.options)
        ),
    )


def reveal_card(reveal: Reveal, catalogue: Catalogue | None = None, language: str = ENGLISH) -> Card:
    """The round once closed, in the server's language: buttons disabled, the right one green, how many chose
    each option (as bars), who got it right (fastest first, named, never pinged); with the catalogue, a line
    about the moment behind the question and a button that shows its drama's card."""
    w = words(language)
    rnd = reveal.round
    q = asked_in(rnd.question, catalogue, language)
    names = name_list([display(name) for name in reveal.winners], reveal.winner_count, FIELD_VALUE_LIMIT, language)
    picks = "\n".join(
        f"{'✅' if i == q.answer else '▫️'} {option}: {count} {_bar(count, reveal.answers)}"
        for i, (option, count) in enumerate(zip(q.options, reveal.counts, strict=True))
    )
    behind = question_moment(catalogue, q) if catalogue else None
    context = f"\n\n{reveal_context(*behind, language)}" if behind else _credit_lines(reveal.credit, language)
    extra: tuple[Button, ...] = (
        (
            Button(
                w("trivia.reveal.about", drama=_name(w.hangul.drama(behind[0].drama), behind[0].drama, language)),
                DRAMA_ACTION,
                str(behind[0].rank),
                emoji="📺",
            ),
        )
        if behind
        else ()
    )
    if catalogue is not None:
        extra += (Button(w("trivia.reveal.report"), REPORT_ACTION, str(rnd.id), emoji="🚩"),)
    return Card(
        title=w("trivia.card.title_closed", title=title(q.kind, language)),
        description=f"**{q.prompt}**\n\n{w('trivia.reveal.answer', answer=q.right)}{context}",
        colour=GOLD,
        fields=(
            Field(w("trivia.reveal.winners", right=reveal.winner_count, total=reveal.answers), names),
            Field(w("trivia.reveal.picks"), picks),
        ),
        footer=w("trivia.reveal.footer"),
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


# --- a question in a language ---------------------------------------------------------------------

DRAMA_OPTIONS = frozenset({questions.DRAMA_OF_SCENE, questions.DRAMA_OF_SONG, questions.AIRED_FIRST})
CHARACTER_OPTIONS = frozenset({questions.CHARACTER_OF_ACTOR, questions.CHARACTER_OF_DRAMA})
NUMBER_OPTIONS = {
    questions.YEAR_OF_DRAMA: "trivia.option.year",
    questions.EPISODE_OF_SCENE: "trivia.option.episode",
    questions.RANK_OF_SCENE: "trivia.option.rank",
}


def asked_in(question: Question, catalogue: Catalogue | None, language: str) -> Question:
    """A catalogue question as a server in `language` reads it: the kind's prompt from the catalogue of messages,
    rendered from the facts its key names, and its options in Hangul only where every one of them has a sourced
    Hangul form (else all as the article spells them, never a mix). Its key, kind and right option's index do
    not change, so scoring and the no-repeat rule never depend on the language. English, a server's own question
    or one whose moment the catalogue no longer holds: as stored."""
    if language == ENGLISH or catalogue is None or question.kind not in questions.KINDS:
        return question
    behind = question_moment(catalogue, question)
    if behind is None:
        return question
    facts = _facts(question, *behind, words(language))
    if facts is None:
        return question
    prompt = questions.prompt(question.kind, language, **facts)
    return dataclasses.replace(question, prompt=prompt, options=_options(question, catalogue, behind[0], language))


def _facts(question: Question, moment: Moment, cast: CastMember | None, w: Words) -> dict[str, str] | None:
    """The facts a kind's prompt names, with names in Hangul where a sourced form is known."""
    drama = w.hangul.drama(moment.drama) or moment.drama
    facts = {"drama": drama, "scene": moment.scene}
    if question.kind in (questions.ACTOR_OF_CHARACTER, questions.CHARACTER_OF_ACTOR):
        if cast is None:
            return None
        facts["character"] = w.hangul.character(moment.drama, cast.character) or cast.character
        facts["actor"] = w.hangul.actor(cast.actor) or cast.actor
    if question.kind == questions.DRAMA_OF_SONG:
        position = question.key.split(":")[2:3]
        index = int(position[0]) if position and position[0].isdigit() else -1
        if not 0 <= index < len(moment.songs):
            return None
        facts["song"] = moment.songs[index].display()
    needed = questions_facts(question.kind)
    return {k: v for k, v in facts.items() if k in needed}


def questions_facts(kind: str) -> set[str]:
    """The placeholders of a kind's prompt."""
    return placeholders(words(ENGLISH).catalogue_messages.text(f"trivia.prompt.{kind}", ENGLISH))


def _options(question: Question, catalogue: Catalogue, moment: Moment, language: str) -> tuple[str, ...]:
    w = words(language)
    number = NUMBER_OPTIONS.get(question.kind)
    if number is not None:
        digits = ["".join(ch for ch in option if ch.isdigit()) for option in question.options]
        if all(digits):
            return tuple(w(number, n=int(d)) for d in digits)
        return question.options
    hangul: list[str | None]
    if question.kind in DRAMA_OPTIONS:
        hangul = [w.hangul.drama(option) for option in question.options]
    elif question.kind == questions.ACTOR_OF_CHARACTER:
        hangul = [w.hangul.actor(option) for option in question.options]
    elif question.kind in CHARACTER_OPTIONS:
        hangul = [
            _character_hangul(catalogue, moment, option, i == question.answer, w)
            for i, option in enumerate(question.options)
        ]
    else:
        return question.options
    if all(hangul) and len(set(hangul)) == len(hangul):
        return tuple(h for h in hangul if h)
    return question.options  # a name lacks a sourced Hangul form: every option as the article spells it


def _character_hangul(catalogue: Catalogue, moment: Moment, name: str, right: bool, w: Words) -> str | None:
    """A character option's Hangul: the question's own drama for the right one; for another, the one form every
    drama with a character of that name agrees on (None when they differ or any lacks one)."""
    if right:
        return w.hangul.character(moment.drama, name)
    dramas = {m.drama for m in catalogue.moments if any(c.character == name for c in m.cast)}
    forms = {w.hangul.character(drama, name) for drama in dramas}
    return forms.pop() if len(forms) == 1 else None


DRAMA_ACTION = "reveal_drama"  # a reveal's button that shows the drama's card privately (argument: the rank)
REPORT_ACTION = "report"  # a reveal's "Report a problem" button (argument: the round id)
REPORT_FORM_ACTION = "report_form"  # its form, sent (argument: the round id)
REPORT_REASONS = ("wrong_answer", "unclear", "other")  # what a report can say (`trivia.report.reason.<key>`)


def report_reasons(language: str = ENGLISH) -> dict[str, str]:
    """The report form's reasons, by key, in a language."""
    return {key: words(language)(f"trivia.report.reason.{key}") for key in REPORT_REASONS}


def report_form_text(language: str = ENGLISH) -> tuple[str, str]:
    """The report form's title and its menu's label, in the member's language."""
    return words(language)("trivia.report.title"), words(language)("trivia.report.label")


def report_thanks(recorded: bool, language: str = ENGLISH) -> Reply:
    return notice(words(language)("trivia.report.thanks" if recorded else "trivia.report.already"))


def report_not_possible(language: str = ENGLISH) -> Reply:
    return notice(words(language)("trivia.report.not_possible"))


def reports_text(found: Sequence[QuestionReports]) -> str:
    """`python -m bot reports`: reported questions, the most recently reported first, their reports newest first."""
    if not found:
        return "No question has been reported."
    lines: list[str] = []
    named = report_reasons()
    for question in found:
        reasons = Counter(r.reason for r in question.reports)
        summary = ", ".join(f"{named.get(k, k).lower()}: {n}" for k, n in reasons.most_common())
        lines.append(f"{question.question_key}  {plural(len(question.reports), 'report')} ({summary})")
        lines.append(f"  {question.prompt}")
        for r in question.reports:
            when = datetime.fromtimestamp(r.reported_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
            lines.append(f"  {when}  server {r.guild_id}  round {r.round_id}  {named.get(r.reason, r.reason)}")
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


def _credit_lines(credit: Credit | None, language: str = ENGLISH) -> str:
    """A server question's why line (inert: a member wrote it) and who wrote it, by display name, never a ping."""
    if credit is None:
        return ""
    w = words(language)
    lines = [f"📖 {inert_text(credit.why)}"] if credit.why else []
    if credit.author is not None:
        name = display(credit.author) if credit.author else w("trivia.reveal.former_member")
        lines.append(w("trivia.reveal.author", name=name))
    return "\n\n" + "\n".join(lines) if lines else ""


def _name(hangul: str | None, english: str, language: str) -> str:
    """A name as a language shows it on its own: in Hangul where a sourced form is known, for Korean."""
    return hangul if hangul and language != ENGLISH else english


def reveal_context(moment: Moment, cast: CastMember | None, language: str = ENGLISH) -> str:
    """One line about the moment behind a question, from the catalogue's own words (Korean: moments.ko.toml's)."""
    w = words(language)
    drama = _name(w.hangul.drama(moment.drama), moment.drama, language)
    where = w("trivia.reveal.scene", rank=moment.rank, scene=moment.scene, drama=drama, year=moment.year)
    if cast is not None:
        where = w(
            "trivia.reveal.role",
            actor=_name(w.hangul.actor(cast.actor), cast.actor, language),
            character=_name(w.hangul.character(moment.drama, cast.character), cast.character, language),
            drama=drama,
            year=moment.year,
            rank=moment.rank,
        )
    return w("trivia.reveal.context", where=where, why=_first_sentence(w.why(moment)))


def _first_sentence(text: str) -> str:
    end = next((i for i, ch in enumerate(text) if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " ")), -1)
    sentence = text[: end + 1] if end >= 0 else text
    return sentence if len(sentence) <= 300 else sentence[:297].rsplit(" ", 1)[0] + "…"


def answer_recorded(
    question: Question, choice: int, closes_at: float, language: str = ENGLISH, catalogue: Catalogue | None = None
) -> Reply:
    """What the member who clicked is told, in their own language (the option as their language shows it)."""
    q = asked_in(question, catalogue, language)
    return notice(words(language)("trivia.answer.recorded", answer=q.options[choice], when=timestamp(closes_at)))


def already_answered(
    question: Question, choice: int | None, language: str = ENGLISH, catalogue: Catalogue | None = None
) -> Reply:
    w = words(language)
    q = asked_in(question, catalogue, language)
    valid = choice is not None and 0 <= choice < len(q.options)
    picked = w("trivia.answer.picked", answer=q.options[choice]) if choice is not None and valid else ""
    return notice(w("trivia.answer.already", picked=picked))


def called_off_card(question: Question, language: str = ENGLISH, catalogue: Catalogue | None = None) -> Card:
    """A round whose message went out after the round was given up (another process failed it): no buttons."""
    w = words(language)
    q = asked_in(question, catalogue, language)
    return Card(
        title=w("trivia.card.title", title=title(q.kind, language)),
        description=f"**{q.prompt}**\n\n{w('trivia.called_off')}",
        colour=TEAL,
    )


def round_closed(language: str = ENGLISH) -> Reply:
    return notice(words(language)("trivia.answer.closed"))


def round_opening(language: str = ENGLISH) -> Reply:
    return notice(words(language)("trivia.answer.opening"))


def already_open(current: Round, language: str = ENGLISH) -> str:
    w = words(language)
    channel = f"<#{current.channel_id}>"
    if current.closes_at is None:
        return w("trivia.error.already_posting", channel=channel)
    return w("trivia.error.already_open", channel=channel, when=timestamp(current.closes_at))


def name_list(names: list[str], total: int, limit: int, language: str = ENGLISH) -> str:
    """Names joined within `limit` characters, never cut in the middle, saying how many are not shown."""
    w = words(language)
    if total == 0:
        return w("trivia.reveal.nobody")

    def joined(shown: list[str], rest: int) -> str:
        return w("trivia.reveal.and_more", names=", ".join(shown), n=rest) if rest else ", ".join(shown)

    shown: list[str] = []
    for name in names:
        if len(joined([*shown, name], total - len(shown) - 1)) > limit:
            break
        shown.append(name)
    if not shown:
        return w("trivia.reveal.members", n=total)
    return joined(shown, total - len(shown))
