"""Trivia's rules in numbers: answer times, schedules, board sizes, and how the cog keeps time. No discord import."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.trivia.clock import month_key, week_key


@dataclass
class TriviaOptions:
    """How the trivia cog keeps time. The defaults are the product's; tests pass a clock they can advance.

    Pass `PerfectMomentsBot(settings, trivia_options=TriviaOptions(...))` to change them.
    """

    clock: Callable[[], float] = time.time  # "now" for rounds, answers and schedules (Unix seconds)
    tick_seconds: float = 1.0  # how often the scheduler looks for rounds to close and schedules due
    send_timeout: float = 10.0  # the longest one server's post or edit may take before it is given up
    # trivia's share of Discord's 50 requests a second per bot (posts and reveals), all processes together: a
    # process running some of SHARD_COUNT's shards takes their part of it (bot/trivia/pacer.py, share_of_pace)
    posts_per_second: float = 25.0
    shutdown_seconds: float = 5.0  # how long a shutdown waits for sends and writes in flight
    rng: random.Random = field(default_factory=random.Random)  # question choice; seed it for repeatable tests


DEFAULT_ANSWER_SECONDS = 30
MIN_ANSWER_SECONDS = 10
MAX_ANSWER_SECONDS = 600
MIN_INTERVAL_MINUTES = 1
MAX_INTERVAL_MINUTES = 7 * 24 * 60
LEADERBOARD_SIZE = 10
WINNERS_SHOWN = 40
NAME_LIMIT = 100  # the longest display name kept


def next_slot(due: float, interval_minutes: int, now: float) -> float:
    """The first slot of a schedule after `now`: missed slots are skipped, never fired in a burst."""
    period = interval_minutes * 60.0
    if due > now:
        return due
    return due + (math.floor((now - due) / period) + 1) * period


__all__ = ["month_key", "week_key"]  # weeks and months: bot/trivia/clock.py (UTC unless given a zone)

REFUSALS_BEFORE_PAUSE = 3  # posts refused in a row (403 or 404) before a schedule pauses
UNPOSTED_GIVE_UP_SECONDS = 600.0  # a round with no posting lease (an older release's) is failed after this
POSTING_LEASE_SECONDS = 30.0  # a round waiting to be posted is failed this long after its process stopped renewing
REVEAL_WITHIN_SECONDS = 24 * 3600.0  # a closed round is still revealed this long after (after a restart)


# --- leaderboard periods ---------------------------------------------------------------------------------

WEEK, MONTH, SEASON, ALL_TIME = "week", "month", "season", "all"
PERIODS = {WEEK: "this week", MONTH: "this month", SEASON: "season", ALL_TIME: "all time"}  # kind: its name
DEFAULT_PERIOD = SEASON
MAX_PAGES = 100  # the furthest page a board's buttons go (10 a page: the top 1,000)
