"""The lookup commands in Discord: /moment random|show|list, /rank, /actor, /drama, /about, and their buttons.

Thin: every answer comes from `Lookups` (answers.py), in the member's language (`interaction.locale`: Korean
for `ko`, English otherwise); the commands' Korean names come from the tree's translator. Lookups work
everywhere: in servers, in DMs, and as an app a user installed for themself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.buttons import ButtonHandler
from bot.i18n import language_of
from bot.lookups.answers import Choice, Lookups
from bot.lookups.cards import RANDOM_ACTION, RANK_ACTION
from bot.render import replace, respond

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

Interaction = discord.Interaction[Any]

EVERY_INSTALL = app_commands.AppInstallationType(guild=True, user=True)
EVERY_CONTEXT = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
everywhere_installs = app_commands.allowed_installs(guilds=True, users=True)
everywhere_contexts = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)


class LookupCog(commands.Cog):
    moment = app_commands.Group(
        name="moment",
        description="Perfect K-drama moments",
        allowed_installs=EVERY_INSTALL,
        allowed_contexts=EVERY_CONTEXT,
    )

    def __init__(self, bot: PerfectMomentsBot) -> None:
        self.bot = bot
        self.lookups = Lookups(bot.catalogue, hangul=bot.hangul, stories=bot.stories)
        self.buttons: dict[str, ButtonHandler] = {RANDOM_ACTION: self.another_random, RANK_ACTION: self.step_to_rank}

    async def cog_load(self) -> None:
        self.bot.buttons.add(self.buttons)

    async def cog_unload(self) -> None:
        self.bot.buttons.remove(self.buttons)

    # --- /moment ------------------------------------------------------------------------------------

    @moment.command(name="random", description="A random perfect moment, with a button for another")
    async def random(self, interaction: Interaction) -> None:
        await respond(interaction, self.lookups.random_moment(_language(interaction)))

    @moment.command(name="show", description="One moment, found by its scene or its drama")
    @app_commands.describe(title="A scene or drama title (pick from the list or type)")
    async def show(self, interaction: Interaction, title: app_commands.Range[str, 1, 100]) -> None:
        await respond(interaction, self.lookups.show(title, _language(interaction)))

    @show.autocomplete("title")
    async def show_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(self.lookups.moment_choices(current, _language(interaction)))

    @moment.command(name="list", description="The whole ranked list of moments")
    async def list_moments(self, interaction: Interaction) -> None:
        await respond(interaction, self.lookups.list_moments(_language(interaction)))

    # --- top-level lookups ----------------------------------------------------------------------------

    @app_commands.command(name="rank", description="The moment at a rank of the list, with buttons to step through")
    @app_commands.describe(number="The rank: 1 is the best (try /moment list for every rank)")
    @everywhere_installs
    @everywhere_contexts
    async def rank(self, interaction: Interaction, number: app_commands.Range[int, 1]) -> None:
        await respond(interaction, self.lookups.rank(number, _language(interaction)))

    @app_commands.command(name="actor", description="An actor's dramas, characters and moments")
    @app_commands.describe(name="The actor's name, in any order (e.g. Suzy Bae or Bae Suzy)")
    @everywhere_installs
    @everywhere_contexts
    async def actor(self, interaction: Interaction, name: app_commands.Range[str, 1, 100]) -> None:
        await respond(interaction, self.lookups.actor(name, _language(interaction)))

    @actor.autocomplete("name")
    async def actor_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(self.lookups.actor_choices(current, _language(interaction)))

    @app_commands.command(name="drama", description="A drama's year, cast and moments")
    @app_commands.describe(title="The drama's title, or another title it is known by")
    @everywhere_installs
    @everywhere_contexts
    async def drama(self, interaction: Interaction, title: app_commands.Range[str, 1, 100]) -> None:
        await respond(interaction, self.lookups.drama(title, _language(interaction)))

    @drama.autocomplete("title")
    async def drama_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(self.lookups.drama_choices(current, _language(interaction)))

    @app_commands.command(name="about", description="What this bot is, where its facts come from, its commands")
    @everywhere_installs
    @everywhere_contexts
    async def about(self, interaction: Interaction) -> None:
        await respond(interaction, self.lookups.about(_language(interaction)))

    # --- buttons ------------------------------------------------------------------------------------

    async def another_random(self, interaction: Interaction, _argument: str) -> None:
        await replace(interaction, self.lookups.random_moment(_language(interaction)))

    async def step_to_rank(self, interaction: Interaction, argument: str) -> None:
        rank = int(argument) if argument.isdigit() else 0
        await replace(interaction, self.lookups.rank(rank, _language(interaction)))


def _language(interaction: Interaction) -> str:
    """The member's language: their Discord client's (the offline console's stand-in has one too)."""
    return language_of(getattr(interaction, "locale", None))


def _choices(pairs: list[Choice]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=value) for name, value in pairs]
