"""Lookup commands: /moment, /rank, /actor, /drama, /about. Thin: the answers come from bot.lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import replace, respond

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

Interaction = discord.Interaction[Any]

# Lookups work everywhere: in servers, in DMs, and as an app a user installed for themself.
everywhere_installs = app_commands.allowed_installs(guilds=True, users=True)
everywhere_contexts = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)


@everywhere_installs
@everywhere_contexts
class MomentCommands(app_commands.Group, name="moment", description="Perfect K-drama moments"):
    def __init__(self, bot: PerfectMomentsBot) -> None:
        super().__init__()
        self.bot = bot

    @app_commands.command(name="random", description="A random perfect moment, with a button for another")
    async def random(self, interaction: Interaction) -> None:
        await respond(interaction, self.bot.lookups.random_moment())

    @app_commands.command(name="show", description="One moment, found by its scene or its drama")
    @app_commands.describe(title="A scene or drama title (pick from the list or type)")
    async def show(self, interaction: Interaction, title: app_commands.Range[str, 1, 100]) -> None:
        await respond(interaction, self.bot.lookups.show(title))

    @show.autocomplete("title")
    async def show_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(self.bot.lookups.moment_choices(current))

    @app_commands.command(name="list", description="The whole ranked list of moments")
    async def list(self, interaction: Interaction) -> None:
        await respond(interaction, self.bot.lookups.list_moments())


class LookupCog(commands.Cog):
    def __init__(self, bot: PerfectMomentsBot) -> None:
        self.bot = bot
        bot.button_handlers["random"] = self.another_random
        bot.button_handlers["rank"] = self.step_to_rank

    @app_commands.command(name="rank", description="The moment at a rank of the list, with buttons to step through")
    @app_commands.describe(number="The rank, from 1 (best) to 10")
    @everywhere_installs
    @everywhere_contexts
    async def rank(self, interaction: Interaction, number: app_commands.Range[int, 1, 10]) -> None:
        await respond(interaction, self.bot.lookups.rank(number))

    @app_commands.command(name="actor", description="An actor's dramas, characters and moments")
    @app_commands.describe(name="The actor's name, in any order (e.g. Suzy Bae or Bae Suzy)")
    @everywhere_installs
    @everywhere_contexts
    async def actor(self, interaction: Interaction, name: app_commands.Range[str, 1, 100]) -> None:
        await respond(interaction, self.bot.lookups.actor(name))

    @actor.autocomplete("name")
    async def actor_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(self.bot.lookups.actor_choices(current))

    @app_commands.command(name="drama", description="A drama's year, cast and moments")
    @app_commands.describe(title="The drama's title, or another title it is known by")
    @everywhere_installs
    @everywhere_contexts
    async def drama(self, interaction: Interaction, title: app_commands.Range[str, 1, 100]) -> None:
        await respond(interaction, self.bot.lookups.drama(title))

    @drama.autocomplete("title")
    async def drama_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(self.bot.lookups.drama_choices(current))

    @app_commands.command(name="about", description="What this bot is, where its facts come from, its commands")
    @everywhere_installs
    @everywhere_contexts
    async def about(self, interaction: Interaction) -> None:
        await respond(interaction, self.bot.lookups.about())

    # --- buttons ------------------------------------------------------------------------------------

    async def another_random(self, interaction: Interaction, _argument: str) -> None:
        await replace(interaction, self.bot.lookups.random_moment())

    async def step_to_rank(self, interaction: Interaction, argument: str) -> None:
        rank = int(argument) if argument.isdigit() else 0
        await replace(interaction, self.bot.lookups.rank(rank))


def _choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=value) for name, value in pairs]


async def setup(bot: PerfectMomentsBot) -> None:
    bot.tree.add_command(MomentCommands(bot))
    await bot.add_cog(LookupCog(bot))
