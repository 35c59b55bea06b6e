"""/privacy, /forget-me and the confirmation buttons: privacy's Discord side (thin).

`/forget-me` is a top-level command offered everywhere (servers, DMs, user installs), because /trivia is
guild-only and a member must be able to delete their data from a DM. The trivia cog also offers
`/trivia forget-me` and `/trivia delete-server-data`; both come here (`ask_to_forget_member`,
`ask_to_delete_server`). Every answer is private.

A confirmed deletion defers the click first (Discord wants an answer within 3 s; a big server's deletion takes
seconds, in short batches that let every other server's answers through: bot/privacy/store.py), then says what
was deleted in a followup.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.buttons import ButtonHandler
from bot.i18n import language_of
from bot.matching import quote_input
from bot.operations.instrument import first_response_sent
from bot.operations.logs import server_context
from bot.privacy import cards as privacy_cards
from bot.privacy.policy import RETENTION_DAYS_AFTER_REMOVAL
from bot.privacy.store import PrivacyStore, ServerData
from bot.render import OfflineInteraction, replace, respond
from bot.replies import notice
from bot.trivia.cards.common import words

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

Interaction = discord.Interaction[Any]
log = logging.getLogger(__name__)

DAY = 24 * 3600.0
RETENTION_SWEEP_SECONDS = 3600.0

everywhere_installs = app_commands.allowed_installs(guilds=True, users=True)
everywhere_contexts = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)


class PrivacyCog(commands.Cog):
    def __init__(self, bot: PerfectMomentsBot) -> None:
        self.bot = bot
        self.buttons: dict[str, ButtonHandler] = {
            privacy_cards.FORGET_ACTION: self.forget_member_confirmed,
            privacy_cards.DELETE_SERVER_ACTION: self.delete_server_confirmed,
            privacy_cards.KEEP_ACTION: self.keep,
        }
        self.store = PrivacyStore(bot.db)
        self._next_sweep = 0.0
        self._deleting: set[int] = set()  # servers whose deletion runs in this process

    async def cog_load(self) -> None:
        self.bot.buttons.add(self.buttons)
        self.retention.change_interval(seconds=self.bot.trivia_options.tick_seconds)
        self.retention.start()

    async def cog_unload(self) -> None:
        self.retention.cancel()
        self.bot.buttons.remove(self.buttons)

    # --- servers that removed the bot ------------------------------------------------------------------

    @tasks.loop(seconds=1.0)
    async def retention(self) -> None:
        """Delete the data of servers that removed the bot RETENTION_DAYS_AFTER_REMOVAL days ago and never added
        it back. Looked for at most once an hour of the trivia clock (tests move that clock by days)."""
        now = self.bot.trivia_options.clock()
        if now < self._next_sweep:
            return
        self._next_sweep = now + RETENTION_SWEEP_SECONDS
        try:
            for guild_id in await self.store.servers_removed_before(now - RETENTION_DAYS_AFTER_REMOVAL * DAY):
                if guild_id not in self._deleting:  # an admin's deletion of it runs already
                    deleted = await self._forget_server(guild_id)
                    # (or whose deletion a shutdown interrupted: marked `deleting`)
                    log.info("privacy: deleted the data of guild %d, which removed the bot: %s", guild_id, deleted)
        except Exception:
            log.exception("privacy: deleting the data of servers that removed the bot failed")

    async def _forget_server(self, guild_id: int) -> ServerData:
        self._deleting.add(guild_id)
        try:
            return await self.store.forget_server(guild_id)
        finally:
            self._deleting.discard(guild_id)

    @app_commands.command(name="privacy", description="What this bot keeps about you, why, how long, how to delete it")
    @everywhere_installs
    @everywhere_contexts
    async def privacy(self, interaction: Interaction) -> None:
        await respond(interaction, privacy_cards.privacy_card(_language(interaction)))

    @app_commands.command(name="forget-me", description="Delete your trivia answers and scores in every server")
    @everywhere_installs
    @everywhere_contexts
    async def forget_me(self, interaction: Interaction) -> None:
        await ask_to_forget_member(interaction)

    # --- the confirmation buttons -------------------------------------------------------------------

    async def forget_member_confirmed(self, interaction: Interaction, argument: str) -> None:
        language = _language(interaction)
        if not privacy_cards.is_fresh(argument, time.time()):
            await replace(interaction, privacy_cards.expired(privacy_cards.FORGET_COMMAND, language))
            return
        await defer_privately(interaction)
        deleted = await self.store.forget_member(interaction.user.id)
        log.info("privacy: a member's data was deleted on their request (%s)", privacy_cards.member_summary(deleted))
        await respond(interaction, privacy_cards.member_forgotten(deleted, language))

    async def delete_server_confirmed(self, interaction: Interaction, argument: str) -> None:
        guild_id, language = interaction.guild_id, _language(interaction)
        if guild_id is None or not interaction.permissions.manage_guild:
            await respond(interaction, notice(words(language)("error.manage_server")))
            return
        if not privacy_cards.is_fresh(argument, time.time()):
            await replace(interaction, privacy_cards.expired(privacy_cards.DELETE_SERVER_COMMAND, language))
            return
        if guild_id in self._deleting:
            await respond(interaction, privacy_cards.server_deletion_running(language))
            return
        await defer_privately(interaction)
        deleted = await self._forget_server(guild_id)
        summary = privacy_cards.server_summary(deleted)
        log.info("privacy: a server's data was deleted by an admin (%s)", summary, extra=server_context(guild_id))
        await respond(interaction, privacy_cards.server_forgotten(deleted, language))

    async def keep(self, interaction: Interaction, _argument: str) -> None:
        await replace(interaction, privacy_cards.kept(_language(interaction)))


async def defer_privately(interaction: Interaction) -> None:
    """Answer the click now ("thinking...", privately); the result follows when the deletion is done."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    first_response_sent(interaction)


async def ask_to_forget_member(interaction: Interaction | OfflineInteraction) -> None:
    """/forget-me and /trivia forget-me: what would be deleted, with the button that deletes it."""
    language = _language(interaction)
    if isinstance(interaction, OfflineInteraction):
        await respond(interaction, privacy_cards.offline_forget_me(language))
        return
    data = await PrivacyStore(interaction.client.db).member_data(interaction.user.id)
    await respond(interaction, privacy_cards.forget_me_prompt(data, time.time(), language))


async def ask_to_delete_server(interaction: Interaction) -> None:
    """/trivia delete-server-data (the trivia cog checks Manage Server): what would go, with the button."""
    language = _language(interaction)
    if interaction.guild_id is None:
        await respond(interaction, notice(words(language)("error.server_only")))
        return
    data = await PrivacyStore(interaction.client.db).server_data(interaction.guild_id)
    server = quote_input(interaction.guild.name, 80) if interaction.guild else privacy_cards.this_server(language)
    await respond(interaction, privacy_cards.delete_server_prompt(data, server, time.time(), language))


def _language(interaction: Interaction | OfflineInteraction) -> str:
    """The language of a privacy answer (always private): the member's Discord's."""
    return language_of(interaction.locale)
