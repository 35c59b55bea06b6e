"""What the privacy commands say: the policy card, the confirmations and their results. No discord import.

The confirmation buttons are persistent like every button of the bot (a custom id that says what to do), so
a click is answered even after a restart and nothing is kept in memory per message. The id carries when the
confirmation was offered, and a click more than `CONFIRM_SECONDS` later deletes nothing: it would delete
what was there then *and* what came since. The data deleted is always the clicker's own (or, for a server,
the server the click comes from, by a member with Manage Server), never one named in the button.
"""

from __future__ import annotations

from bot.privacy import policy
from bot.privacy.store import MemberData, ServerData
from bot.replies import GREY, Button, Card, Field, Reply, notice
from bot.text import plural

FORGET_ACTION = "forget_me"  # the confirm buttons' actions (their handlers are registered by the privacy cog)
DELETE_SERVER_ACTION = "delete_server"
KEEP_ACTION = "keep_data"
CONFIRM_SECONDS = 600
CLOCK_SKEW = 60  # a confirmation "from the future" by more than this is not trusted either


def privacy_card() -> Reply:
    """/privacy: what is kept, why, how long, how to delete it (privately)."""
    return Reply(
        card=Card(
            title="What this bot keeps, and why",
            description=policy.WHY,
            colour=GREY,
            fields=(
                *(Field(kept.name, kept.details) for kept in policy.KEPT),
                Field("For how long", policy.HOW_LONG),
                Field("Deleting it", "\n".join(f"• {way}" for way in policy.DELETE)),
                Field("Not kept", policy.NOT_KEPT),
            ),
            footer="Everything else the bot does (/rank, /actor, /moment...) keeps nothing about you.",
        ),
        ephemeral=True,
    )


# --- summaries --------------------------------------------------------------------------------------


def member_summary(data: MemberData) -> str:
    """`12 answers, scores in 2 servers and 1 question report`: a member's data, or what was deleted of it."""
    parts = [plural(data.answers, "answer")] if data.answers else []
    if data.servers:
        parts.append(f"scores in {plural(data.servers, 'server')}")
    if data.season_scores:
        parts.append(f"points on {plural(data.season_scores, 'past season board')}")
    if data.reports:
        parts.append(plural(data.reports, "question report"))
    if data.proposals:
        parts.append(plural(data.proposals, "proposed question"))
    if data.credits:
        parts.append(f"your name on {plural(data.credits, 'accepted question')} (the questions stay)")
    return _listed(parts) if parts else "nothing"


def server_summary(data: ServerData) -> str:
    """`the trivia settings and schedule, 5 rounds, 40 answers, ...`: a server's data, or what was deleted."""
    parts = []
    if data.settings:
        parts.append("the trivia settings and schedule")
    if data.rounds:
        parts.append(plural(data.rounds, "round"))
    if data.answers:
        parts.append(plural(data.answers, "answer"))
    if data.scores:
        parts.append("1 member's score" if data.scores == 1 else f"{data.scores} members' scores")
    if data.season_scores:
        parts.append(f"the past season boards ({plural(data.season_scores, 'place')})")
    if data.seasons:
        parts.append(plural(data.seasons, "ended season"))
    if data.reports:
        parts.append(plural(data.reports, "question report"))
    if data.questions:
        parts.append(f"the question cycle ({plural(data.questions, 'question')} asked)")
    if data.daily:
        parts.append("1 moment of the day" if data.daily == 1 else f"{data.daily} moments of the day")
    if data.server_questions:
        parts.append(f"{plural(data.server_questions, 'question')} of the server's own (proposed or accepted)")
    return _listed(parts) if parts else "nothing"


def _listed(parts: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --- confirmations ------------------------------------------------------------------------------------


def confirmation_argument(now: float) -> str:
    return str(int(now))


def is_fresh(argument: str, now: float) -> bool:
    """Was this confirmation offered less than CONFIRM_SECONDS ago?"""
    if not argument.isdigit():
        return False
    offered = int(argument)
    return offered - CLOCK_SKEW <= now and now - offered <= CONFIRM_SECONDS


def forget_me_prompt(data: MemberData, now: float) -> Reply:
    if data.empty:
        return notice(
            "I keep nothing about you: you haven't answered a trivia round in any server, so there is nothing "
            "to delete. /privacy says what I would keep."
        )
    return Reply(
        card=Card(
            title="Delete your trivia data?",
            description=(
                f"This deletes your {member_summary(data)}, in every server, for good. Leaderboards will no "
                "longer show you; if you answer a round later, you start again from nothing."
            ),
            colour=GREY,
            footer=f"This confirmation works for {CONFIRM_SECONDS // 60} minutes.",
            buttons=(
                Button("Delete my data", FORGET_ACTION, confirmation_argument(now), style="danger"),
                Button("Keep it", KEEP_ACTION),
            ),
        ),
        ephemeral=True,
    )


def member_forgotten(deleted: MemberData) -> Reply:
    """What was deleted: the followup to the confirmation's click (private)."""
    if deleted.empty:
        return notice("There was nothing left to delete: your trivia data is already gone.")
    return Reply(
        text=f"Done: I deleted your {member_summary(deleted)}. Leaderboards no longer show you.", ephemeral=True
    )


def delete_server_prompt(data: ServerData, server: str, now: float) -> Reply:
    if data.empty:
        return notice("I keep nothing for this server: trivia was never set up here, so there is nothing to delete.")
    return Reply(
        card=Card(
            title=f"Delete everything trivia keeps for {server}?",
            description=(
                f"This deletes {server_summary(data)}, for good. Every member's score here goes (their data in "
                "other servers stays); an open round stops taking answers; trivia starts again from nothing, "
                "with /trivia channel."
            ),
            colour=GREY,
            footer=f"This confirmation works for {CONFIRM_SECONDS // 60} minutes.",
            buttons=(
                Button("Delete server data", DELETE_SERVER_ACTION, confirmation_argument(now), style="danger"),
                Button("Keep it", KEEP_ACTION),
            ),
        ),
        ephemeral=True,
    )


def server_forgotten(deleted: ServerData) -> Reply:
    if deleted.empty:
        return notice("There was nothing left to delete: this server's trivia data is already gone.")
    return Reply(text=f"Done: I deleted {server_summary(deleted)}.", ephemeral=True)


def server_deletion_running() -> Reply:
    return notice("This server's trivia data is being deleted already: the admin who confirmed is told when it's done.")


def kept() -> Reply:
    return Reply(text="Nothing was deleted.")


def expired(command: str) -> Reply:
    return Reply(
        text=(
            f"This confirmation is more than {CONFIRM_SECONDS // 60} minutes old, so nothing was deleted. "
            f"Run {command} again to see what it would delete now."
        )
    )


def offline_forget_me() -> Reply:
    return notice(
        "Offline, nothing is kept about anyone, so there is nothing to delete. In Discord, /forget-me deletes "
        "your trivia answers and scores in every server."
    )
