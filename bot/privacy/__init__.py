"""Privacy: /privacy, /forget-me and deleting data on request. An extension: `setup` adds the cog.

`policy` (what is kept, why, how long), `store` (counting and deleting it) and `cards` (what the commands
say) have no discord import; `cog` is the Discord side. /trivia forget-me and /trivia delete-server-data are
in the trivia cog (/trivia is one group) and come here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot


async def setup(bot: PerfectMomentsBot) -> None:
    from bot.privacy.cog import PrivacyCog  # here, so importing the plain modules never loads discord

    await bot.add_cog(PrivacyCog(bot))
