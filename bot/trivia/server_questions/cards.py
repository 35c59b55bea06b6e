"""What servers' own questions look like: the review card, a member's proposals, the answers to the commands.
No discord import. Each is said in a language (`questions.*` in data/locales/answers.<language>.po): a member's
own replies and the form in their Discord's, an admin's review cards in the admin's.

Everything a member typed is shown through `inert_text` (no markdown that fakes the layout, no mention, no
link), and members are named by display name as plain text, never mentioned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.i18n import ENGLISH, messages
from bot.matching import inert_text, quote_input
from bot.replies import GREY, TEAL, Button, Card, Field, File, Reply, notice
from bot.trivia.server_questions.pack import (
    OPTIONS_MAX,
    ORDINALS,
    PACK_MAX_QUESTIONS,
    PROMPT_MAX,
    PROMPT_MIN,
    WHY_MAX,
    Proposed,
    dump_pack,
)
from bot.trivia.server_questions.store import (
    ACCEPTED,
    DECLINED,
    MEMBER_PENDING_MAX,
    PENDING,
    Imported,
    ServerQuestion,
)

# Button and form actions (their handlers are registered by the trivia cog); the argument is the question's id.
FORM_ACTION = "qform"  # the question form, sent (argument: empty for a new question, the id for an edit)
ACCEPT_ACTION = "qaccept"
DECLINE_ACTION = "qdecline"
EDIT_ACTION = "qedit"
RETIRE_ACTION = "qretire"
KEEP_ACTION = "qkeep"

# The form's fields (their custom ids).
PROMPT_FIELD, OPTIONS_FIELD, RIGHT_FIELD, WHY_FIELD = "prompt", "options", "right", "why"
STATUSES = (PENDING, ACCEPTED, DECLINED, "retired")  # `questions.status.<status>`: the words of /trivia question mine
NOT_ALLOWED = ("edit", "review", "retire")  # what a member without Manage Server clicked: questions.not_allowed.*


def say(key: str, language: str = ENGLISH, /, **values: Any) -> str:
    """A `questions.*` message in a language."""
    return messages().text(f"questions.{key}", language, **values)


def _count(key: str, n: int, language: str, **values: Any) -> str:
    """`questions.<key>.one` or `.other`, with `{n}` and any other values."""
    return say(f"{key}.{'one' if n == 1 else 'other'}", language, n=n, **values)


@dataclass(frozen=True, slots=True)
class FormText:
    """The question form's words in one member's language."""

    title: str
    prompt: str
    options: str
    right: str
    why: str
    choices: tuple[tuple[str, str], ...]  # (value, label) of the right-option menu
    placeholders: dict[str, str]


def form_text(language: str = ENGLISH, *, edit: bool = False) -> FormText:
    return FormText(
        title=say("form.edit_title" if edit else "form.title", language),
        prompt=say("form.prompt", language),
        options=say("form.options", language, max=OPTIONS_MAX),
        right=say("form.right", language),
        why=say("form.why", language),
        choices=tuple((str(i + 1), say(f"form.line.{ORDINALS[i]}", language)) for i in range(OPTIONS_MAX)),
        placeholders={
            PROMPT_FIELD: say("form.prompt_hint", language, low=PROMPT_MIN, high=PROMPT_MAX),
            OPTIONS_FIELD: say("form.options_hint", language),
            WHY_FIELD: say("form.why_hint", language, max=WHY_MAX),
        },
    )


def _when(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")


def question_fields(question: Proposed, language: str = ENGLISH) -> tuple[Field, ...]:
    options = "\n".join(
        f"{'✅' if i == question.answer else '▫️'} {inert_text(option)}" for i, option in enumerate(question.options)
    )
    why = (Field(say("field.why", language), inert_text(question.why)),) if question.why else ()
    return (Field(say("field.options", language), options), *why)


def author_line(found: ServerQuestion, language: str = ENGLISH) -> str:
    if found.author_name is None:
        return say("author.imported", language)
    name = quote_input(found.author_name, 40) if found.author_name else say("author.former", language)
    return say("author.by", language, name=name)


def review_card(found: ServerQuestion, waiting: int, language: str = ENGLISH) -> Reply:
    """The oldest waiting proposal, with Accept, Decline and Edit, in the admin's language."""
    proposed_line = say("review.proposed", language, author=author_line(found, language), date=_when(found.proposed_at))
    return Reply(
        card=Card(
            title=say("review.title", language),
            description=f"**{inert_text(found.question.prompt)}**\n\n{proposed_line}",
            colour=TEAL,
            fields=question_fields(found.question, language),
            footer=_count("review.footer", waiting, language),
            buttons=(
                Button(say("button.accept", language), ACCEPT_ACTION, str(found.id), style="success"),
                Button(say("button.decline", language), DECLINE_ACTION, str(found.id), style="danger"),
                Button(say("button.edit", language), EDIT_ACTION, str(found.id)),
            ),
        ),
        ephemeral=True,
    )


def reported_card(found: ServerQuestion, reports: int, language: str = ENGLISH) -> Reply:
    """An accepted question members reported from a reveal: Edit, Retire (it leaves the rounds) or Keep."""
    reported = _count("reported.reports", reports, language)
    written = say("reported.written", language, author=author_line(found, language))
    return Reply(
        card=Card(
            title=say("reported.title", language),
            description=f"**{inert_text(found.question.prompt)}**\n\n{reported} {written}",
            colour=GREY,
            fields=question_fields(found.question, language),
            footer=say("reported.footer", language),
            buttons=(
                Button(say("button.edit", language), EDIT_ACTION, str(found.id)),
                Button(say("button.retire", language), RETIRE_ACTION, str(found.id), style="danger"),
                Button(say("button.keep", language), KEEP_ACTION, str(found.id)),
            ),
        ),
        ephemeral=True,
    )


def queue_empty(accepted: int, language: str = ENGLISH) -> Reply:
    return notice(_count("queue_empty", accepted, language))


def decided(accepted: bool, language: str = ENGLISH) -> str:
    return say("decided.accepted" if accepted else "decided.declined", language)


def retired(language: str = ENGLISH) -> str:
    return say("retired", language)


def kept(language: str = ENGLISH) -> str:
    return say("kept", language)


def already_decided(language: str = ENGLISH) -> Reply:
    return notice(say("already_decided", language))


def not_allowed(what: str, language: str = ENGLISH) -> Reply:
    """`what`: one of NOT_ALLOWED."""
    return notice(say(f"not_allowed.{what}", language))


def proposals_closed(language: str = ENGLISH) -> Reply:
    return notice(say("proposals_closed", language))


def proposed(count_waiting: int, language: str = ENGLISH) -> Reply:
    return notice(say("proposed", language, count=count_waiting, max=MEMBER_PENDING_MAX))


def refused(problem: str, language: str = ENGLISH) -> Reply:
    return notice(say("refused", language, problem=problem))


def edited(language: str = ENGLISH) -> Reply:
    return notice(say("edited", language))


def status_word(status: str, language: str = ENGLISH) -> str:
    return say(f"status.{status}", language) if status in STATUSES else status


def mine_card(found: Sequence[ServerQuestion], language: str = ENGLISH) -> Reply:
    if not found:
        return notice(say("mine.none", language))
    lines = [
        f"**{status_word(q.status, language)}** ({_when(q.proposed_at)}): {inert_text(q.question.prompt)}"
        for q in found
    ]
    return Reply(
        card=Card(
            title=say("mine.title", language),
            description="\n".join(lines),
            colour=TEAL,
            footer=say("mine.footer", language, max=MEMBER_PENDING_MAX),
        ),
        ephemeral=True,
    )


def pack_header(language: str = ENGLISH) -> str:
    """The comment at the top of an exported pack: what its keys mean, how to import it."""
    return say("pack_header", language)


def this_server(language: str = ENGLISH) -> str:
    return say("this_server", language)


def exported(found: Sequence[ServerQuestion], server: str, language: str = ENGLISH) -> Reply:
    if not found:
        return notice(say("export.none", language))
    data = dump_pack((q.question for q in found), pack_header(language)).encode()
    return Reply(
        text=_count("export.done", len(found), language, server=quote_input(server, 60)),
        file=File("trivia-questions.toml", data),
        ephemeral=True,
    )


def imported(done: Imported, language: str = ENGLISH) -> Reply:
    skipped = _count("import.skipped", done.skipped, language) if done.skipped else ""
    return notice(_count("import.done", done.added, language, skipped=skipped))


def import_refused(problem: str, language: str = ENGLISH) -> Reply:
    return notice(say("import.refused", language, problem=problem))


def import_too_big(size: int, language: str = ENGLISH) -> str:
    return say("import.too_big", language, size=f"{size:,}")


def import_not_downloaded(language: str = ENGLISH) -> str:
    return say("import.not_downloaded", language)


def offline(subcommand: str, language: str = ENGLISH) -> Reply:
    """`/trivia question ...` in the offline console."""
    asked = say("offline.asked", language, command=quote_input(subcommand, 30)) if subcommand else ""
    return notice(say("offline", language, max=f"{PACK_MAX_QUESTIONS:,}") + asked)
