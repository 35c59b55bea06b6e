"""What the bot needs in a channel it posts in (trivia rounds, the moment of the day), and what it is missing."""

from __future__ import annotations

import discord

from bot.errors import UserFacingError

NEEDED_IN_CHANNEL = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
)


async def missing_permissions(bot: discord.Client, channel: discord.TextChannel) -> list[str]:
    """The names of the permissions the bot lacks in `channel` (none: it can post cards there)."""
    me: discord.Member | None = channel.guild.me
    if me is None and bot.user is not None:
        try:
            me = await channel.guild.fetch_member(bot.user.id)
        except discord.HTTPException:
            me = None
    if me is None:
        raise UserFacingError("I couldn't check my permissions in that channel; please try again in a moment.")
    permissions = channel.permissions_for(me)
    return [label for name, label in NEEDED_IN_CHANNEL if not getattr(permissions, name)]
