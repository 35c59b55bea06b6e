"""What servers' own questions look like: the review card, a member's proposals, the answers to the commands.
No discord import.

Everything a member typed is shown through `inert_text` (no markdown that fakes the layout, no mention, no
link), and members are named by display name as plain text, never mentioned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.matching import inert_text, quote_input
from bot.replies import GREY, TEAL, Button, Card, Field, File, Reply, notice
from bot.text import plural
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

# The form's fields (their custom ids) and words.
PROMPT_FIELD, OPTIONS_FIELD, RIGHT_FIELD, WHY_FIELD = "prompt", "options", "right", "why"
FORM_TITLE = "Propose a trivia question"
EDIT_TITLE = "Edit this question"
PROMPT_LABEL = "The question"
OPTIONS_LABEL = f"The options, one a line (2 to {OPTIONS_MAX})"
RIGHT_LABEL = "Which option is right?"
WHY_LABEL = "Why (optional, shown with the answer)"
RIGHT_CHOICES = tuple((str(i + 1), f"The {ORDINALS[i]} line") for i in range(OPTIONS_MAX))
PLACEHOLDERS = {
    PROMPT_FIELD: f"{PROMPT_MIN} to {PROMPT_MAX} characters",
    OPTIONS_FIELD: "Goblin\nHealer\nSquid Game",
    WHY_FIELD: f"Up to {WHY_MAX} characters",
}

STATUS_WORDS = {PENDING: "waiting for review", ACCEPTED: "accepted", DECLINED: "declined", "retired": "retired"}
PACK_HEADER = (
    "Perfect Moments trivia questions. One [[question]] each: prompt, options (2 to 4), answer (the right\n"
    "option, counting from 1), why (optional). Import with /trivia question import or\n"
    "python -m bot questions import SERVER_ID FILE."
)


def _when(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")


def question_fields(question: Proposed) -> tuple[Field, ...]:
    options = "\n".join(
        f"{'✅' if i == question.answer else '▫️'} {inert_text(option)}" for i, option in enumerate(question.options)
    )
    why = (Field("Why", inert_text(question.why)),) if question.why else ()
    return (Field("Options", options), *why)


def author_line(found: ServerQuestion) -> str:
    if found.author_name is None:
        return "imported"
    return f"by {quote_input(found.author_name, 40) if found.author_name else 'a former member'}"


def review_card(found: ServerQuestion, waiting: int) -> Reply:
    """The oldest waiting proposal, with Accept, Decline and Edit."""
    return Reply(
        card=Card(
            title="Review: a proposed trivia question",
            description=f"**{inert_text(found.question.prompt)}**\n\nProposed {author_line(found)}, "
            f"{_when(found.proposed_at)}.",
            colour=TEAL,
            fields=question_fields(found.question),
            footer=f"{plural(waiting, 'proposal')} waiting, the oldest first. Accepted questions join this server's "
            "rounds.",
            buttons=(
                Button("Accept", ACCEPT_ACTION, str(found.id), style="success"),
                Button("Decline", DECLINE_ACTION, str(found.id), style="danger"),
                Button("Edit", EDIT_ACTION, str(found.id)),
            ),
        ),
        ephemeral=True,
    )


def reported_card(found: ServerQuestion, reports: int) -> Reply:
    """An accepted question members reported from a reveal: Edit, Retire (it leaves the rounds) or Keep."""
    return Reply(
        card=Card(
            title="Reported: a question of this server",
            description=f"**{inert_text(found.question.prompt)}**\n\n{plural(reports, 'report')} from members at a "
            f"reveal. Written {author_line(found)}.",
            colour=GREY,
            fields=question_fields(found.question),
            footer="Edit it, retire it (no more rounds ask it) or keep it as it is.",
            buttons=(
                Button("Edit", EDIT_ACTION, str(found.id)),
                Button("Retire", RETIRE_ACTION, str(found.id), style="danger"),
                Button("Keep", KEEP_ACTION, str(found.id)),
            ),
        ),
        ephemeral=True,
    )


def queue_empty(accepted: int) -> Reply:
    return notice(
        f"Nothing waits for review. This server has {plural(accepted, 'question')} of its own; members propose "
        "more with `/trivia question add`."
    )


def decided(accepted: bool, text: str | None = None) -> str:
    done = "Accepted: it joins this server's rounds." if accepted else "Declined."
    return f"{done} {text}" if text else done


def already_decided() -> Reply:
    return notice("Another admin has dealt with that question already. `/trivia question review` shows what waits.")


def not_allowed(what: str) -> Reply:
    return notice(f"You need the Manage Server permission to {what}.")


def proposals_closed() -> Reply:
    return notice(
        "In this server only members with Manage Server propose questions. An admin can open it to everyone "
        "with `/trivia config submissions:True`."
    )


def proposed(count_waiting: int) -> Reply:
    return notice(
        "Thank you: your question waits for the admins' review "
        f"({count_waiting} of your {MEMBER_PENDING_MAX} places used). `/trivia question mine` shows what became of it."
    )


def refused(problem: str) -> Reply:
    return notice(f"That question can't be taken: {problem}. Nothing was saved; please try again.")


def edited() -> Reply:
    return notice("Saved: the question reads as you edited it from the next round that asks it.")


def mine_card(found: Sequence[ServerQuestion]) -> Reply:
    if not found:
        return notice("You haven't proposed a question in this server. `/trivia question add` opens the form.")
    lines = [
        f"**{STATUS_WORDS.get(q.status, q.status)}** ({_when(q.proposed_at)}): {inert_text(q.question.prompt)}"
        for q in found
    ]
    return Reply(
        card=Card(
            title="Your proposed questions",
            description="\n".join(lines),
            colour=TEAL,
            footer=f"The newest first; at most {MEMBER_PENDING_MAX} may wait for review at once.",
        ),
        ephemeral=True,
    )


def exported(found: Sequence[ServerQuestion], server: str) -> Reply:
    if not found:
        return notice("This server has no accepted questions to export yet.")
    data = dump_pack((q.question for q in found), PACK_HEADER).encode()
    return Reply(
        text=f"{plural(len(found), 'accepted question')} of {quote_input(server, 60)}, as a pack another server can "
        "import with `/trivia question import`.",
        file=File("trivia-questions.toml", data),
        ephemeral=True,
    )


def imported(done: Imported) -> Reply:
    skipped = (
        f"; {plural(done.skipped, 'exact duplicate')} of questions this server has skipped" if done.skipped else ""
    )
    return notice(f"Imported {plural(done.added, 'question')}{skipped}. They join this server's rounds.")


def import_refused(problem: str) -> Reply:
    return notice(f"Nothing was imported: {problem}. Fix it and import the whole file again.")


def offline(subcommand: str) -> Reply:
    """`/trivia question ...` in the offline console."""
    return notice(
        "Servers write their own trivia questions: `/trivia question add` opens a form (the question, 2 to 4 "
        "options, which is right, an optional line for the reveal); admins (Manage Server) see the oldest "
        "proposal with `/trivia question review` and accept, decline or edit it; `/trivia question mine` lists "
        f"yours. `/trivia question export` and `import` move a pack of up to {PACK_MAX_QUESTIONS:,} questions "
        "between servers (a TOML file; see the README). Offline there is no server: "
        "`python -m bot questions import SERVER_ID FILE` and `export` work on the database without a token."
        + (f" (You asked for `{quote_input(subcommand, 30)}`.)" if subcommand else "")
    )
