"""/daily channel and /daily stop, and the loop that posts each server's moment of the day: the Discord side.

Thin: the slot, the claim and the order are in store.py, what it says in cards.py. The loop ticks with trivia's
clock (`TriviaOptions`, so tests move it); each due server's slot is claimed in the database first (once per
server and slot across processes), then its card is sent at this feature's own pace, with a timeout. Discord
refusing posts three times in a row (403 or 404) pauses it, as it pauses a trivia schedule; a server that removed
the bot is left out by the store's query.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.channels import missing_permissions
from bot.daily import cards
from bot.daily.store import Claimed, DailyStore
from bot.errors import UserFacingError
from bot.i18n import ENGLISH, language_of, server_language
from bot.render import message_kwargs, respond
from bot.replies import Reply
from bot.trivia.cards.common import words
from bot.trivia.clock import ClockError, parse_time
from bot.trivia.pacer import Pacer
from bot.trivia.poster import describe_failure
from bot.trivia.rules import REFUSALS_BEFORE_PAUSE

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

Interaction = discord.Interaction[Any]
log = logging.getLogger(__name__)

POSTS_PER_SECOND = 5.0  # beside trivia's 25 a second, well within Discord's 50


@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class DailyCog(commands.GroupCog, group_name="daily", group_description="Admins: a moment's card every day"):
    def __init__(self, bot: PerfectMomentsBot) -> None:
        self.bot = bot
        self.options = bot.trivia_options
        self.clock = self.options.clock
        self.store = DailyStore(bot.db, bot.settings.shards)
        self.pacer = Pacer(POSTS_PER_SECOND)
        self._tasks: set[asyncio.Task[None]] = set()
        self.loop.change_interval(seconds=self.options.tick_seconds)

    async def cog_load(self) -> None:
        self.loop.start()

    async def stop_work(self, timeout: float) -> None:
        """At shutdown: claim no more slots; let the posts in flight finish (`timeout` seconds at most)."""
        self.loop.cancel()
        running = self.loop.get_task()
        if running is not None:
            await asyncio.gather(running, return_exceptions=True)
        if self._tasks:
            _done, late = await asyncio.wait(self._tasks, timeout=timeout)
            for leftover in late:
                leftover.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self.pacer.close()

    async def cog_unload(self) -> None:
        await self.stop_work(timeout=self.options.shutdown_seconds)

    def offline_reply(self, _command: str, language: str = ENGLISH) -> Reply:
        return cards.offline(language)

    # --- commands ---------------------------------------------------------------------------------

    @app_commands.command(name="channel", description="Admins: post a moment of the day in a channel at a local time")
    @app_commands.describe(
        channel="A text channel where I can post messages with embeds",
        time="The local time of day, HH:MM on a 24-hour clock (09:00); /trivia config timezone: sets the zone",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def channel(self, interaction: Interaction, channel: discord.TextChannel, time: str) -> None:
        w = words(_language(interaction))
        try:
            post_time = parse_time(time)
        except ClockError as exc:
            raise UserFacingError(exc.text(w.language)) from exc
        missing = await missing_permissions(self.bot, channel)
        if missing:
            raise UserFacingError(w("daily.error.channel_missing", channel=channel.mention, missing=", ".join(missing)))
        settings = await self.store.start(_guild_id(interaction), channel.id, post_time, self.clock())
        await respond(interaction, cards.started(settings, w.language))

    @app_commands.command(name="stop", description="Admins: stop the moment of the day")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def stop(self, interaction: Interaction) -> None:
        had = await self.store.stop(_guild_id(interaction))
        await respond(interaction, cards.stopped(had, _language(interaction)))

    # --- the loop ---------------------------------------------------------------------------------

    @tasks.loop(seconds=1.0)
    async def loop(self) -> None:
        try:
            await self.tick()
        except Exception:
            log.exception("daily: a tick failed")

    @loop.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def tick(self) -> None:
        """Claim each due server's slot, and post its moment (in a task of its own, at the pace)."""
        now = self.clock()
        ranks = self.bot.catalogue.ranks
        for guild_id in await self.store.due(now):
            claimed = await self.store.claim(guild_id, ranks, self.options.rng, now)
            if claimed is not None:
                task = asyncio.create_task(self.post(claimed))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def post(self, claimed: Claimed) -> None:
        guild = self.bot.get_guild(claimed.guild_id)
        language = server_language(claimed.language, guild.preferred_locale if guild else None)
        reply = cards.daily_post(self.bot.catalogue, claimed.rank, language)
        if reply is None:
            return
        channel = self.bot.get_partial_messageable(claimed.channel_id, guild_id=claimed.guild_id)
        try:
            await self.pacer.turn(claimed.slot_at)
            message = await asyncio.wait_for(channel.send(**message_kwargs(reply)), timeout=self.options.send_timeout)
        except (discord.HTTPException, TimeoutError) as exc:
            await self._failed(claimed, exc)
            return
        await self.store.mark_posted(claimed, message.id, self.clock())

    async def _failed(self, claimed: Claimed, exc: BaseException) -> None:
        problem = describe_failure(exc, claimed.channel_id, "post the moment of the day", "/daily channel")
        log.warning("daily: guild %d: %s", claimed.guild_id, problem)
        if isinstance(exc, discord.Forbidden | discord.NotFound):
            paused = await self.store.record_refused_post(
                claimed.guild_id, problem, self.clock(), pause_after=REFUSALS_BEFORE_PAUSE
            )
            if paused:
                log.warning("daily: guild %d: paused after %d refused posts", claimed.guild_id, REFUSALS_BEFORE_PAUSE)
        else:
            await self.store.record_error(claimed.guild_id, problem, self.clock())


def _language(interaction: Interaction) -> str:
    """The language of a reply only the admin sees: their Discord's."""
    return language_of(interaction.locale)


def _guild_id(interaction: Interaction) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(words(_language(interaction))("daily.error.server_only"))
    return interaction.guild_id
