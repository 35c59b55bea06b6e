"""Trivia: rounds posted on a schedule, answered with buttons, scored per server. An extension: `setup` adds the cog.

Plain modules (no discord import): `questions` (the question pool), `rules` (limits, timing), `store` (the
database side), `cards` (what rounds, boards and settings look like). `cog` is the Discord side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot


async def setup(bot: PerfectMomentsBot) -> None:
    from bot.trivia.cog import TriviaCog  # here, so importing the plain modules never loads discord

    await bot.add_cog(TriviaCog(bot))
