"""The yardstick: a minimal discord.py bot with Perfect Moments' command names that answers a constant string.

No database, no embeds, no catalogue: what a bot that does nothing costs. It is run the way discord.py's own
examples run (default intents, default event loop, `Client.run`), so the benchmark compares Perfect Moments with
a plain default install. Started by bench/interactions.py through fake_discord/launch_bot.py, which points
discord.py at the fake Discord.

`main_sharded` runs it as discord.py's `AutoShardedBot` instead (every shard Discord recommends, in one
process) with Perfect Moments' intents (servers only) and discord.py's defaults for the rest: the yardstick of
bench/shards.py, whose world is many servers over several shards.
"""

from __future__ import annotations

import os
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

ANSWER = "ok"


class BareButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pm:(?P<action>[a-z_]+):(?P<argument>.*)"):
    def __init__(self, custom_id: str, label: str = "?") -> None:
        super().__init__(discord.ui.Button(label=label, custom_id=custom_id))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> BareButton:
        return cls(match.string)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(ANSWER, ephemeral=True)


class BareClient(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default())
        self.tree = app_commands.CommandTree(self)
        _register(self.tree)

    async def setup_hook(self) -> None:
        await _set_up(self, self.tree)


class BareShardedBot(commands.AutoShardedBot):
    def __init__(self) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents(guilds=True))
        _register(self.tree)

    async def setup_hook(self) -> None:
        await _set_up(self, self.tree)


async def _set_up(client: discord.Client, tree: app_commands.CommandTree[Any]) -> None:
    client.add_dynamic_items(BareButton)
    await tree.sync()


def _register(tree: app_commands.CommandTree[Any]) -> None:
    moment = app_commands.Group(name="moment", description="Perfect K-drama moments")

    @moment.command(name="random", description="A random moment")
    async def random(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(ANSWER)

    @moment.command(name="show", description="One moment")
    async def show(interaction: discord.Interaction[Any], title: str) -> None:
        await interaction.response.send_message(ANSWER)

    @show.autocomplete("title")
    async def show_complete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=ANSWER, value=ANSWER)]

    @moment.command(name="list", description="The list")
    async def list_(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(ANSWER)

    tree.add_command(moment)

    @tree.command(name="rank", description="A moment by rank")
    async def rank(interaction: discord.Interaction[Any], number: app_commands.Range[int, 1]) -> None:
        await interaction.response.send_message(ANSWER)

    @tree.command(name="actor", description="An actor")
    async def actor(interaction: discord.Interaction[Any], name: str) -> None:
        await interaction.response.send_message(ANSWER)

    @actor.autocomplete("name")
    async def actor_complete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=ANSWER, value=ANSWER)]

    @tree.command(name="drama", description="A drama")
    async def drama(interaction: discord.Interaction[Any], title: str) -> None:
        await interaction.response.send_message(ANSWER)

    @tree.command(name="about", description="About")
    async def about(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(ANSWER)

    trivia = app_commands.Group(name="trivia", description="Trivia", guild_only=True)
    channels: dict[int, int] = {}

    @trivia.command(name="channel", description="Where rounds go")
    async def channel(interaction: discord.Interaction[Any], channel: discord.TextChannel) -> None:
        channels[interaction.guild_id or 0] = channel.id
        await interaction.response.send_message(ANSWER, ephemeral=True)

    @trivia.command(name="start", description="One round now")
    async def start(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(ANSWER, ephemeral=True)
        target = interaction.client.get_partial_messageable(channels.get(interaction.guild_id or 0, 0))
        view = discord.ui.View(timeout=None)
        for option in range(4):
            view.add_item(BareButton(f"pm:answer:1:{option}", label=f"Option {option + 1}"))
        await target.send(ANSWER, view=view)

    tree.add_command(trivia)


def main(argv: list[str] | None = None) -> int:
    BareClient().run(os.environ["DISCORD_TOKEN"], log_handler=None)
    return 0


def main_sharded(argv: list[str] | None = None) -> int:
    BareShardedBot().run(os.environ["DISCORD_TOKEN"], log_handler=None)
    return 0


if __name__ == "__main__":
    main()
