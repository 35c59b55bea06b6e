"""What the trivia store reads and returns: its errors, settings, rounds, scores, boards and reports, and the
functions that turn database rows into them. No discord import."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

from bot.database import Row
from bot.i18n import SaidError
from bot.trivia.clock import ALL_DAYS, BoardClock, Daily
from bot.trivia.questions import Question
from bot.trivia.rules import DEFAULT_ANSWER_SECONDS, LEADERBOARD_SIZE, next_slot
from bot.trivia.server_questions.store import Credit


class TriviaError(SaidError):
    """A trivia rule was broken; the message is meant for the user (`trivia.error.*`, said in their language)."""


class NoChannel(TriviaError):
    def __init__(self) -> None:
        super().__init__("trivia.error.no_channel")


class RoundAlreadyOpen(TriviaError):
    def __init__(self, open_round: Round) -> None:
        super().__init__("trivia.error.round_open")
        self.round = open_round


class ScheduleChanged(TriviaError):
    """A scheduled round was about to open, but the schedule was stopped or moved meanwhile."""

    def __init__(self) -> None:
        super().__init__("trivia.error.schedule_changed")


class AnswerResult(enum.Enum):
    RECORDED = "recorded"  # the member's first click: final
    ALREADY = "already"  # the member had answered this round before
    CLOSED = "closed"  # the round is closed, its time is up, or it does not exist


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    channel_id: int | None = None
    interval_minutes: int | None = None
    answer_seconds: int = DEFAULT_ANSWER_SECONDS
    next_round_at: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    removed_at: float | None = None  # when the bot was removed from the server (None: it is there)
    post_failures: int = 0  # posts refused in a row with 403 or 404
    paused_reason: str | None = None  # why the schedule was paused (None: not paused)
    question_kinds: tuple[str, ...] | None = None  # the kinds of question the server chose (None: every kind)
    timezone: str | None = None  # the server's IANA zone (None: UTC)
    previous_timezone: str | None = None  # the zone its boards count in until the change takes effect
    timezone_changed_at: float | None = None
    daily_time: int | None = None  # a daily schedule's local time, minutes after midnight (None: every N minutes)
    daily_weekdays: int | None = None  # its days, a bit per weekday (Monday the lowest)
    ping_role_id: int | None = None  # the one role mentioned when a round opens

    @property
    def daily(self) -> Daily | None:
        """The daily schedule, in the server's zone (None: the schedule is every N minutes, or off)."""
        if self.daily_time is None:
            return None
        return Daily(self.daily_time, self.daily_weekdays or ALL_DAYS, self.timezone)

    @property
    def board_clock(self) -> BoardClock:
        return BoardClock(self.timezone, self.previous_timezone, self.timezone_changed_at)

    question_mix: str | None = None  # catalogue, server, or None: both (bot/trivia/server_questions)
    submissions_open: bool = False  # every member may propose questions (else only Manage Server)
    language: str | None = None  # 'ko' or 'en' (None: the server's preferred locale decides)


@dataclass(frozen=True, slots=True)
class Round:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None  # None until its message is posted
    question: Question
    answer_seconds: int
    opened_at: float
    closes_at: float | None  # None until posted: the answer time starts with the message
    closed_at: float | None
    failed: bool = False

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class Click:
    """A member's click on an answer button: which round it claims, and where it was clicked."""

    round_id: int
    choice: int
    guild_id: int
    message_id: int
    user_id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class Reveal:
    """A round just closed: what its message should now show."""

    round: Round
    answers: int  # how many members answered
    counts: tuple[int, ...]  # answers per option, in option order
    winners: tuple[str, ...]  # display names of (the first WINNERS_SHOWN) members who chose right, fastest first
    credit: Credit | None = None  # a server question's why line and author, read when it is revealed

    @property
    def winner_count(self) -> int:
        return self.counts[self.round.question.answer]


@dataclass(frozen=True, slots=True)
class Score:
    user_id: int
    display_name: str
    points: int
    rounds_answered: int
    streak: int
    best_streak: int


@dataclass(frozen=True, slots=True)
class Placed:
    place: int  # 1 for the top; members equal on points and rounds answered share a place
    score: Score


@dataclass(frozen=True, slots=True)
class Period:
    """Which board: `kind` is week, month, season or all (rules.PERIODS); `key` the week's Monday ('2026-11-30'),
    the month ('2026-12'), the season's number ('3'), or '' for all time."""

    kind: str
    key: str


@dataclass(frozen=True, slots=True)
class Board:
    """One page of a period's board: its members in order, the caller's place, how many there are."""

    period: Period
    page: int  # 0 for the top 10
    top: tuple[Placed, ...]
    caller: Placed | None  # None when the caller has no points or rounds in this period
    members: int  # members on the whole board
    season: int  # the server's current season (the board's own when `period.kind` is season)

    @property
    def pages(self) -> int:
        return max(1, -(-self.members // LEADERBOARD_SIZE))


@dataclass(frozen=True, slots=True)
class Standing:
    """A member's trivia in one server: this season (points, rounds, place) and all time (with the streaks)."""

    season: int
    this_season: Placed | None
    all_time: Placed | None


@dataclass(frozen=True, slots=True)
class SeasonEnded:
    number: int  # the season that ended
    ended_at: float
    final: Board  # its final top 10


@dataclass(frozen=True, slots=True)
class Report:
    reason: str  # a key of cards.REPORT_REASONS
    reported_at: float
    guild_id: int
    round_id: int


@dataclass(frozen=True, slots=True)
class QuestionReports:
    question_key: str
    prompt: str
    reports: tuple[Report, ...]  # newest first


# --- rows to objects ------------------------------------------------------------------------------


def is_due(settings: GuildSettings, now: float) -> bool:
    return settings.next_round_at is not None and settings.next_round_at <= now and settings.removed_at is None


def following_slot(settings: GuildSettings, due: float, now: float) -> float:
    """The schedule's first slot after `now` (after the slot `due`): missed slots are skipped, never fired in a
    burst."""
    daily = settings.daily
    if daily is not None:
        return due if due > now else daily.next_after(now)
    assert settings.interval_minutes
    return next_slot(due, settings.interval_minutes, now)


def missed(settings: GuildSettings, due: float, now: float) -> bool:
    """A slot more than one interval late is skipped, never doubled; for a daily schedule, the interval is the
    gap to its next slot (so a slot is missed once the next one has come)."""
    daily = settings.daily
    if daily is not None:
        return now >= daily.next_after(due)
    return settings.interval_minutes is not None and now - due > settings.interval_minutes * 60


def settings_of(row: Row) -> GuildSettings:
    return GuildSettings(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        interval_minutes=row["interval_minutes"],
        answer_seconds=row["answer_seconds"],
        next_round_at=row["next_round_at"],
        last_error=row["last_error"],
        last_error_at=row["last_error_at"],
        removed_at=row["removed_at"],
        post_failures=row["post_failures"],
        paused_reason=row["paused_reason"],
        question_kinds=tuple(json.loads(row["question_kinds"])) if row["question_kinds"] else None,
        timezone=row["timezone"],
        previous_timezone=row["previous_timezone"],
        timezone_changed_at=row["timezone_changed_at"],
        daily_time=row["daily_time"],
        daily_weekdays=row["daily_weekdays"],
        ping_role_id=row["ping_role_id"],
        question_mix=row["question_mix"],
        submissions_open=bool(row["submissions_open"]),
        language=row["language"],
    )


def question_json(q: Question) -> str:
    return json.dumps({"key": q.key, "kind": q.kind, "prompt": q.prompt, "options": q.options, "answer": q.answer})


def round_of(row: Row) -> Round:
    data = json.loads(row["question"])
    question = Question(data["key"], data["kind"], data["prompt"], tuple(data["options"]), int(data["answer"]))
    return Round(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        question=question,
        answer_seconds=row["answer_seconds"],
        opened_at=row["opened_at"],
        closes_at=row["closes_at"],
        closed_at=row["closed_at"],
        failed=bool(row["failed"]),
    )


def score_of(row: Row) -> Score:
    return Score(
        user_id=row["user_id"],
        display_name=row["display_name"],
        points=row["points"],
        rounds_answered=row["rounds_answered"],
        streak=row["streak"],
        best_streak=row["best_streak"],
    )
