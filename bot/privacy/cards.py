"""What the privacy commands say, as plain text and cards. No discord import."""

from __future__ import annotations

from bot.privacy.store import MemberData, ServerData
from bot.text import plural


def member_summary(data: MemberData) -> str:
    """`12 answers and scores in 2 servers`: a member's data, or what was deleted of it."""
    answers = plural(data.answers, "answer") if data.answers else "no answers"
    scores = f"scores in {plural(data.servers, 'server')}" if data.servers else "no scores"
    return f"{answers} and {scores}"


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
    if data.questions:
        parts.append(f"the question cycle ({plural(data.questions, 'question')} asked)")
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
