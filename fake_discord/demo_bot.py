"""A small, well-behaved discord.py bot the harness tests itself with (and an example of what it can drive):
subcommands, typed options, autocomplete, buttons that edit or answer, a select menu, a form (modal), defer +
followup, ephemeral replies,
channel posts that report REST errors, a command hidden behind Manage Server, one usable in DMs.

Run as a process with `FAKE_DISCORD_BOT_MAIN=fake_discord.demo_bot:main` (see launch_bot.py).
"""

from __future__ import annotations

import asyncio
import os
import signal

import discord
from discord import app_commands

MOMENTS = [
    "The first snow (Goblin)",
    "The paraglider landing (Crash Landing on You)",
    "The confession (Reply 1988)",
    "The umbrella (Our Beloved Summer)",
    "The bus stop (Twenty-Five Twenty-One)",
]


def moment_card(index: int) -> discord.Embed:
    embed = discord.Embed(title=f"#{index + 1}: {MOMENTS[index]}", description="A perfect moment.", color=0xE91E63)
    embed.add_field(name="Rank", value=str(index + 1)).set_footer(text="Source: the article")
    return embed


class RankView(discord.ui.View):
    def __init__(self, index: int) -> None:
        super().__init__(timeout=600)
        self.index = index
        self.previous.disabled = index == 0
        self.next.disabled = index == len(MOMENTS) - 1

    @discord.ui.button(label="Previous", custom_id="rank:previous")
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[RankView]) -> None:
        await interaction.response.edit_message(embed=moment_card(self.index - 1), view=RankView(self.index - 1))

    @discord.ui.button(label="Next", custom_id="rank:next")
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[RankView]) -> None:
        await interaction.response.edit_message(embed=moment_card(self.index + 1), view=RankView(self.index + 1))


class VoteView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=600)
        self.voters: set[int] = set()

    @discord.ui.button(label="Vote", style=discord.ButtonStyle.primary, custom_id="vote:yes")
    async def vote(self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]) -> None:
        if interaction.user.id in self.voters:
            await interaction.response.send_message("You already voted.", ephemeral=True)
            return
        self.voters.add(interaction.user.id)
        await interaction.response.defer()
        await interaction.edit_original_response(content=f"Votes: {len(self.voters)}")


class PickView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=600)

    @discord.ui.select(
        custom_id="pick:moments",
        min_values=1,
        max_values=2,
        options=[discord.SelectOption(label=m, value=str(i)) for i, m in enumerate(MOMENTS)],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[PickView]) -> None:
        chosen = ", ".join(MOMENTS[int(v)] for v in select.values)
        await interaction.response.edit_message(content=f"Picked: {chosen}", view=None)


class FeedbackForm(discord.ui.Modal, title="Feedback"):
    def __init__(self) -> None:
        super().__init__(custom_id="feedback")
        self.mood: discord.ui.Select[FeedbackForm] = discord.ui.Select(
            custom_id="mood", options=[discord.SelectOption(label=x, value=x) for x in ("happy", "sad")]
        )
        self.note: discord.ui.TextInput[FeedbackForm] = discord.ui.TextInput(
            label="Note", custom_id="note", required=False
        )
        self.add_item(discord.ui.Label(text="How was it?", component=self.mood))
        self.add_item(discord.ui.Label(text="Anything else?", component=self.note))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.mood.values[0]} / {self.note.value}", ephemeral=True)


class DemoBot(discord.Client):
    def __init__(self, *, sync: bool = True) -> None:
        super().__init__(intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none())
        self.tree = app_commands.CommandTree(self)
        self.sync_on_start = sync
        add_commands(self.tree)

    async def setup_hook(self) -> None:
        if self.sync_on_start:
            await self.tree.sync()


def add_commands(tree: app_commands.CommandTree[DemoBot]) -> None:
    @tree.command(description="Answers pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="Pick moments from a menu")
    async def pick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick one or two:", view=PickView())

    @tree.command(description="A form with a menu and a text field")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackForm())

    @tree.command(description="Repeats your text")
    @app_commands.describe(text="What to repeat", times="How many times", shout="In capitals")
    async def echo(
        interaction: discord.Interaction, text: str, times: app_commands.Range[int, 1, 5] = 1, shout: bool = False
    ) -> None:
        words = " ".join([text.upper() if shout else text] * times)
        await interaction.response.send_message(words)

    @tree.command(description="Tells who a member is")
    async def whois(interaction: discord.Interaction, who: discord.Member) -> None:
        manager = "manages the server" if who.guild_permissions.manage_guild else "is a fan"
        await interaction.response.send_message(f"{who.name} {manager}")

    @tree.command(description="Mentions a channel")
    async def where(interaction: discord.Interaction, place: discord.TextChannel) -> None:
        await interaction.response.send_message(f"That is {place.mention}", ephemeral=True)

    moment = app_commands.Group(name="moment", description="Perfect moments")

    @moment.command(name="random", description="A moment with a button for another")
    async def moment_random(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=moment_card(0), view=RankView(0))

    @moment.command(name="show", description="One moment by title")
    async def moment_show(interaction: discord.Interaction, title: str) -> None:
        index = next((i for i, m in enumerate(MOMENTS) if title.lower() in m.lower()), None)
        if index is None:
            await interaction.response.send_message(f"No moment called {title!r}.", ephemeral=True)
            return
        await interaction.response.send_message(embed=moment_card(index))

    @moment_show.autocomplete("title")
    async def moment_titles(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=m, value=m) for m in MOMENTS if current.lower() in m.lower()][:25]

    tree.add_command(moment)

    @tree.command(description="A moment by rank")
    async def rank(interaction: discord.Interaction, number: app_commands.Range[int, 1, 5]) -> None:
        await interaction.response.send_message(embed=moment_card(number - 1), view=RankView(number - 1))

    @tree.command(description="Thinks first, answers later")
    async def slow(interaction: discord.Interaction, private: bool = False) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)
        await asyncio.sleep(0)
        await interaction.followup.send("Done thinking.")

    @tree.command(description="Thinks first, then edits its answer")
    async def slowedit(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.edit_original_response(content="Edited after thinking.")

    @tree.command(description="A poll with a vote button")
    async def poll(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Votes: 0", view=VoteView())

    @tree.command(description="Posts your text in a channel")
    async def post(interaction: discord.Interaction, channel: discord.TextChannel, text: str) -> None:
        await interaction.response.defer(ephemeral=True)
        try:
            message = await channel.send(text)
        except discord.HTTPException as error:
            await interaction.followup.send(f"error: {type(error).__name__} {error.status} {error.code}")
            return
        await interaction.followup.send(f"posted {message.id}")

    @tree.command(description="Only for server managers")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def admin(interaction: discord.Interaction) -> None:
        allowed = interaction.permissions.manage_guild
        await interaction.response.send_message("admin ok" if allowed else "you lack Manage Server", ephemeral=True)

    @tree.command(description="What this bot is")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def about(interaction: discord.Interaction) -> None:
        where = "a server" if interaction.guild_id else "a DM"
        await interaction.response.send_message(embed=discord.Embed(title="Demo bot", description=f"Hi from {where}"))


def main(argv: list[str] | None = None) -> int:
    """Process entry point: runs until SIGTERM (clean close, exit 0)."""

    async def run() -> None:
        bot = DemoBot()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(bot.close()))
        async with bot:
            await bot.start(os.environ["DISCORD_TOKEN"])

    asyncio.run(run())
    return 0
