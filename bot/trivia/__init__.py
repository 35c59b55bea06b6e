"""Trivia: questions from the catalogue's facts, rounds, answers and scores kept in the database.

Plain modules (no discord import): `questions` (the question pool), `store` (the database side),
`cards` (what rounds, leaderboards and settings look like). The discord side is `bot.cogs.trivia`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TriviaOptions:
    """How the trivia cog keeps time. The defaults are the product's; tests pass a clock they can advance.

    Pass `PerfectMomentsBot(settings, trivia_options=TriviaOptions(...))` to change them.
    """

    clock: Callable[[], float] = time.time  # "now" for rounds, answers and schedules (Unix seconds)
    tick_seconds: float = 1.0  # how often the scheduler looks for rounds to close and schedules due
    send_timeout: float = 10.0  # the longest one server's post or edit may take before it is given up
    rng: random.Random = field(default_factory=random.Random)  # question choice; seed it for repeatable tests
