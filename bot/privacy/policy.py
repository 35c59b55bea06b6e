"""What the bot keeps, why, for how long, and how to delete it, in plain words. No discord import.

This is the one list of the data: `/privacy` shows it, PRIVACY.md says the same (tests check that every
sentence of `KEPT` is in it), and tests check that the database's tables and columns are exactly the ones
listed here, so a new column or table can't be added without saying so to the people it is about.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kept:
    name: str  # a heading
    details: str  # exactly what, in plain words
    table: str  # where, in the database
    columns: tuple[str, ...]


KEPT = (
    Kept(
        "Server settings",
        "For each server that set up trivia: the server's id, its trivia channel, its schedule (how often, and "
        "when the next round is due), the answer time, the last problem the bot had posting there, how many "
        "posts in a row Discord refused and why the schedule was paused, when the bot was removed from it, "
        "which trivia season the server is in, which kinds of question it chose, whether its rounds ask the "
        "catalogue's questions, its own or both, whether every member may propose questions, whether its data is "
        "being deleted, its time zone (and the one its leaderboards count in until a change of zone takes effect, "
        "and when it was changed), a daily schedule's local time and days of the week, the id of the role to "
        "mention when a round opens, and the language its trivia is posted in.",
        "guild_settings",
        (
            "guild_id",
            "channel_id",
            "interval_minutes",
            "answer_seconds",
            "next_round_at",
            "last_error",
            "last_error_at",
            "removed_at",
            "post_failures",
            "paused_reason",
            "season",
            "question_kinds",
            "deleting",
            "timezone",
            "previous_timezone",
            "timezone_changed_at",
            "daily_time",
            "daily_weekdays",
            "ping_role_id",
            "question_mix",
            "submissions_open",
            "language",
        ),
    ),
    Kept(
        "Moment of the day",
        "For each server that set up a moment of the day: its channel, the local time it is posted at, when the "
        "next is due, the moments still to come before any repeats, how many posts in a row Discord refused and "
        "why it was paused, and the last problem the bot had posting there.",
        "daily_moments",
        (
            "guild_id",
            "channel_id",
            "post_time",
            "next_post_at",
            "remaining",
            "post_failures",
            "paused_reason",
            "last_error",
            "last_error_at",
        ),
    ),
    Kept(
        "Moments posted",
        "For each moment of the day posted in a server: the server and channel, the day's slot, which moment it "
        "showed, and the id of its message and when it was posted (the last 30 days).",
        "daily_posts",
        ("guild_id", "slot_at", "rank", "channel_id", "message_id", "posted_at"),
    ),
    Kept(
        "Seasons",
        "For each trivia season a server ended: its number and when it ended (its final board is kept as the "
        "season's scores).",
        "seasons",
        ("guild_id", "number", "ended_at"),
    ),
    Kept(
        "Rounds",
        "Each trivia round of a server: the server and channel, the id of the message it was posted as, the "
        "question with its options, its answer time, and when it opened, was posted, was due to close, closed "
        "and showed its answer, or that its post failed; for a scheduled round, the slot of the schedule it was "
        "posted for; until it is posted, how long the process posting it still holds it.",
        "rounds",
        (
            "id",
            "guild_id",
            "channel_id",
            "message_id",
            "question_key",
            "question",
            "answer_seconds",
            "opened_at",
            "posted_at",
            "closes_at",
            "closed_at",
            "revealed_at",
            "failed",
            "slot_at",
            "posting_until",
        ),
    ),
    Kept(
        "Questions asked",
        "Which questions a server has had in its current cycle, so none comes again before all were asked.",
        "asked_questions",
        ("guild_id", "question_key"),
    ),
    Kept(
        "Your answers",
        "For each round you answer: your Discord user id, the server and the round, the option you chose and when; "
        "and your display name, until the server's next round closes (a round's result names who got it right).",
        "answers",
        ("guild_id", "round_id", "user_id", "choice", "display_name", "answered_at"),
    ),
    Kept(
        "Your scores",
        "In each server where you answered: your Discord user id, your points and rounds answered all time, in "
        "the week, the month and the season you last answered in (for the leaderboards of this week, this month "
        "and this season), your current and best streak, and your display name as last seen when you answered "
        "(replaced each time you answer again).",
        "scores",
        (
            "guild_id",
            "user_id",
            "display_name",
            "points",
            "rounds_answered",
            "streak",
            "best_streak",
            "week",
            "week_points",
            "week_rounds",
            "month",
            "month_points",
            "month_rounds",
            "season",
            "season_points",
            "season_rounds",
        ),
    ),
    Kept(
        "Your season scores",
        "In each server where you answered in a season that has ended: your Discord user id, and your points and "
        "rounds answered in that season, for its final leaderboard.",
        "season_scores",
        ("guild_id", "season", "user_id", "points", "rounds_answered"),
    ),
    Kept(
        "Your reports",
        "When you report a problem with a round's question: your Discord user id, the server, the round and its "
        "question, the reason you picked (wrong answer, unclear, other) and when, so whoever runs the bot can fix "
        "the question.",
        "question_reports",
        ("round_id", "user_id", "guild_id", "question_key", "reason", "reported_at"),
    ),
    Kept(
        "Server questions and your proposals",
        "Each question a member proposed to a server, or an admin imported: the server, the question, its options, "
        "which one is right and the line shown with the answer, whether it waits for review, was accepted, "
        "declined or retired and when, when an admin last reviewed it, and, for a proposal, your Discord user id "
        "and your display name when you proposed it (the reveal says who wrote the question).",
        "server_questions",
        (
            "id",
            "guild_id",
            "status",
            "prompt",
            "options",
            "answer",
            "why",
            "author_id",
            "author_name",
            "proposed_at",
            "decided_at",
            "reviewed_at",
        ),
    ),
)

# Tables that hold nothing about people or servers.
NOT_PERSONAL = {
    "schema_applied": "how many schema migrations the database has had",
    "meta": "the bot's own state (which catalogue and which commands it last loaded and synced)",
    "moments": "the catalogue of moments",
    "drama_aliases": "the catalogue",
    "cast_members": "the catalogue",
    "songs": "the catalogue",
}

WHY = (
    "Only to run trivia: to post rounds and close them on time, to count each member's first answer once, to "
    "score it, and to show leaderboards and who got a round right. Nothing is sold, shared or used for anything "
    "else."
)
RETENTION_DAYS_AFTER_REMOVAL = 30
HOW_LONG = (
    "As long as the server plays trivia, and until it is deleted in one of the ways below. When the bot is "
    f"removed from a server, everything kept for that server is deleted {RETENTION_DAYS_AFTER_REMOVAL} days later, "
    "unless the bot is added back before then."
)
DELETE = (
    "`/forget-me` (anywhere, DMs too) or `/trivia forget-me` (in a server): after you confirm, your answers, "
    "scores, season scores, reports and proposed questions are deleted in every server, and leaderboards no "
    "longer show you; questions of yours a server accepted stay, by a former member.",
    "`/trivia delete-server-data` (members with Manage Server): after they confirm, everything kept for the "
    "server is deleted.",
    "Or ask whoever runs this bot: they can delete a member's or a server's data for you.",
)
NOT_KEPT = (
    "Messages, avatars, roles and member lists are not stored, nor any name but the display name above. The "
    "lookup commands (`/rank`, `/actor`, ...) store nothing. Logs say when something failed and in which "
    "server or channel (by id); they don't record answers or scores. Metrics are counts, with no ids or names."
)
