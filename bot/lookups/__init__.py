"""Lookups: /moment, /rank, /actor, /drama, /about. An extension: `setup` adds the cog.

`answers` (the logic) and `cards` (what the answers look like) have no discord import; `cog` is the Discord side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot


async def setup(bot: PerfectMomentsBot) -> None:
    from bot.lookups.cog import LookupCog  # here, so importing the plain modules never loads discord

    await bot.add_cog(LookupCog(bot))
