"""The moment of the day: a moment's card posted in a server's channel every day at its local time, going through
the catalogue in a shuffled order without repeats. An extension: `setup` adds the cog.

Plain modules (no discord import): `store` (the database side: settings, the slot claim, the order), `cards` (what
it says). `cog` is the Discord side: `/daily channel`, `/daily stop`, and its loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot


async def setup(bot: PerfectMomentsBot) -> None:
    from bot.daily.cog import DailyCog  # here, so importing the plain modules never loads discord

    await bot.add_cog(DailyCog(bot))
