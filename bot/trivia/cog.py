"""The /trivia commands, the answer buttons and the one scheduler loop: trivia's Discord side.

Thin: questions, rules, storage and cards live beside it in this package (no discord import there).

Permissions: Discord lets a command carry default member permissions only at the top level, so the
/trivia group cannot hide `channel` etc. from members while showing them `leaderboard` and `score`. The
group therefore has no default permissions, and each admin subcommand checks Manage Server when it runs.

The scheduler is a single loop for all servers. Each tick it runs two indexed queries (rounds due to
close, schedules due) and does only database work itself; every Discord call (posting a round, editing
it at close) runs as its own task with a timeout, so a server whose channel is gone or forbidden never
delays another. Nothing that matters is kept in memory: after a restart the same loop closes overdue
rounds and carries schedules on from their next slot. With SHARD_IDS, the loop runs only the servers of this
process's shards (the store filters its queries); another process runs the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections import Counter
from collections.abc import Coroutine, Iterator
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.buttons import ButtonHandler, chosen_values
from bot.errors import UserFacingError
from bot.lookups.cards import drama_card
from bot.privacy.cog import ask_to_delete_server, ask_to_forget_member
from bot.render import message_kwargs, replace, respond
from bot.replies import Card, Reply, notice
from bot.trivia import cards as trivia_cards
from bot.trivia.pacer import Pacer
from bot.trivia.poster import Outcome, RoundPoster, Sent
from bot.trivia.questions import KINDS, question_pool
from bot.trivia.rules import (
    DEFAULT_PERIOD,
    MAX_ANSWER_SECONDS,
    MAX_INTERVAL_MINUTES,
    MIN_ANSWER_SECONDS,
    MIN_INTERVAL_MINUTES,
    MONTH,
    PERIODS,
    REFUSALS_BEFORE_PAUSE,
    REVEAL_WITHIN_SECONDS,
    SEASON,
    UNPOSTED_GIVE_UP_SECONDS,
    WEEK,
)
from bot.trivia.store import (
    AnswerResult,
    Click,
    Period,
    Round,
    RoundAlreadyOpen,
    ScheduleChanged,
    TriviaError,
    TriviaStore,
)

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

Interaction = discord.Interaction[Any]
log = logging.getLogger(__name__)

admin_only = app_commands.checks.has_permissions(manage_guild=True)
NEEDED_IN_CHANNEL = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
)


@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.guild_only()
class TriviaCog(commands.GroupCog, group_name="trivia", group_description="Trivia rounds about the moments"):
    def __init__(self, bot: PerfectMomentsBot) -> None:
        self.bot = bot
        self.options = bot.trivia_options
        self.clock = self.options.clock
        self.store = TriviaStore(bot.db, bot.settings.shards)  # its scheduler queries: this process's shards only
        self.pool = question_pool(bot.catalogue)
        self.pacer = Pacer(self.options.posts_per_second, shards=bot.settings.shards)  # this process's share
        self.poster = RoundPoster(bot, self.options.send_timeout)
        self._open: dict[int, Round] = {}  # open rounds by id: a cache for the answer buttons, never the truth
        self._posting: set[int] = set()  # rounds this process is posting (waiting for their turn, or sending)
        self._revealing: set[int] = set()  # rounds this process is revealing
        self._removed: set[int] = set()  # servers that removed the bot: nothing is sent there
        self._tasks: set[asyncio.Task[None]] = set()
        self.buttons: dict[str, ButtonHandler] = {
            trivia_cards.ANSWER_ACTION: self.answer,
            trivia_cards.BOARD_ACTION: self.board_page,
            trivia_cards.SEASON_END_ACTION: self.season_end_confirmed,
            trivia_cards.SEASON_KEEP_ACTION: self.season_kept,
            trivia_cards.KINDS_ACTION: self.choose_kinds,
            trivia_cards.DRAMA_ACTION: self.show_drama,
            trivia_cards.REPORT_ACTION: self.report,
        }
        counts = Counter(t.kind for t in self.pool)
        self.kinds = [(kind, counts[kind]) for kind in KINDS if counts[kind]]  # the menu: kinds the pool holds
        self.scheduler.change_interval(seconds=self.options.tick_seconds)

    async def cog_load(self) -> None:
        self.bot.buttons.add(self.buttons)
        now = self.clock()
        for round_id in await self.store.unposted_rounds(opened_before=now + 1):
            await self.store.fail_round(round_id, now)  # its post died with the process before this one
        self._removed = await self.store.removed_guilds()
        self.scheduler.start()

    async def cog_unload(self) -> None:
        await self.stop_work(timeout=self.options.shutdown_seconds)
        self.bot.buttons.remove(self.buttons)

    def offline_reply(self, command: str) -> Reply:
        """What `/trivia <command>` answers in the offline console, where there is no server."""
        if command == "leaderboard":
            return trivia_cards.offline_board(self.bot.catalogue)
        if command.startswith("season"):
            return trivia_cards.offline_season()
        return trivia_cards.offline_answer(command, self.bot.catalogue, self.options.rng)

    # --- admin commands ---------------------------------------------------------------------------

    @app_commands.command(name="channel", description="Admins: the channel trivia rounds are posted in")
    @app_commands.describe(channel="A text channel where I can post messages with embeds")
    @admin_only
    async def channel(self, interaction: Interaction, channel: discord.TextChannel) -> None:
        missing = await self._missing_permissions(channel)
        if missing:
            raise UserFacingError(
                f"I can't run trivia in {channel.mention}: I'm missing {', '.join(missing)} there. "
                "Give me those in the channel's permissions, then try again."
            )
        await self.store.set_channel(_guild_id(interaction), channel.id)
        await respond(interaction, notice(f"Trivia rounds will be posted in {channel.mention}."))

    @app_commands.command(name="schedule", description="Admins: post a round every so many minutes")
    @app_commands.describe(minutes=f"Minutes between rounds ({MIN_INTERVAL_MINUTES} to {MAX_INTERVAL_MINUTES})")
    @admin_only
    async def schedule(
        self, interaction: Interaction, minutes: app_commands.Range[int, MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES]
    ) -> None:
        guild_id = _guild_id(interaction)
        with _user_facing():
            first = await self.store.set_schedule(guild_id, minutes, self.clock())
        settings = await self.store.settings(guild_id)
        every = "every minute" if minutes == 1 else f"every {minutes} minutes"
        await respond(
            interaction,
            notice(
                f"A trivia round {every} in <#{settings.channel_id}>; the first {trivia_cards.timestamp(first)}. "
                "`/trivia stop` turns it off."
            ),
        )

    @app_commands.command(name="stop", description="Admins: turn the schedule off (an open round still closes)")
    @admin_only
    async def stop(self, interaction: Interaction) -> None:
        if await self.store.stop_schedule(_guild_id(interaction)):
            text = "The trivia schedule is off. A round that is open still closes and shows its answer."
        else:
            text = "There was no trivia schedule to stop."
        await respond(interaction, notice(text))

    @app_commands.command(name="start", description="Admins: start a round now in the trivia channel")
    @admin_only
    async def start(self, interaction: Interaction) -> None:
        guild_id = _guild_id(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            opened = await self.store.open_round(guild_id, self.pool, self.options.rng, self.clock())
        except RoundAlreadyOpen as exc:
            raise UserFacingError(trivia_cards.already_open(exc.round)) from exc
        except TriviaError as exc:
            raise UserFacingError(str(exc)) from exc
        self.bot.trivia_events.round_opened()
        problem = await self.post_round(opened, due=opened.opened_at)
        posted = await self.store.round(opened.id)
        if problem or posted is None or posted.closes_at is None:
            raise UserFacingError(f"The round could not be posted. {problem or ''}".strip())
        closes = trivia_cards.timestamp(posted.closes_at)
        await respond(interaction, notice(f"A round is up in <#{opened.channel_id}>; answers close {closes}."))

    @app_commands.command(name="config", description="Admins: show the trivia settings, or change the answer time")
    @app_commands.describe(
        answer_seconds=f"How long answers stay open, in seconds ({MIN_ANSWER_SECONDS} to {MAX_ANSWER_SECONDS})"
    )
    @admin_only
    async def config(
        self,
        interaction: Interaction,
        answer_seconds: app_commands.Range[int, MIN_ANSWER_SECONDS, MAX_ANSWER_SECONDS] | None = None,
    ) -> None:
        guild_id = _guild_id(interaction)
        changed = None
        if answer_seconds is not None:
            with _user_facing():
                await self.store.set_answer_seconds(guild_id, answer_seconds)
            changed = f"Answer time set to {trivia_cards.duration(answer_seconds)}, from the next round on."
        settings = await self.store.settings(guild_id)
        current = await self.store.open_round_of(guild_id)
        await respond(interaction, trivia_cards.config_card(settings, current, changed=changed, kinds=self.kinds))

    # --- everyone's commands ----------------------------------------------------------------------

    @app_commands.command(name="leaderboard", description="This server's top trivia scorers, and your place")
    @app_commands.describe(period="Which board: this week, this month, the current season (the default) or all time")
    @app_commands.choices(period=[app_commands.Choice(name=name, value=kind) for kind, name in PERIODS.items()])
    async def leaderboard(self, interaction: Interaction, period: str = DEFAULT_PERIOD) -> None:
        guild_id = _guild_id(interaction)
        with _user_facing():
            which = await self.store.period(guild_id, period, self.clock())
        board = await self.store.board(guild_id, interaction.user.id, which)
        await respond(interaction, trivia_cards.board_card(board, _server_name(interaction)))

    @app_commands.command(name="score", description="A member's trivia points and place, this season and all time")
    @app_commands.describe(user="Whose score (yours if left out)")
    async def score(self, interaction: Interaction, user: discord.User | None = None) -> None:
        target = user or interaction.user
        standing = await self.store.standing(_guild_id(interaction), target.id)
        await respond(
            interaction,
            trivia_cards.standing_card(standing, target.display_name, own=target.id == interaction.user.id),
        )

    # --- the answer buttons -----------------------------------------------------------------------

    async def answer(self, interaction: Interaction, argument: str) -> None:
        """A click on an option: one INSERT decides whether it is the member's first (and final) answer, and
        whether it counts at all (the round's own message, in the round's own server, while open)."""
        parsed = trivia_cards.parse_answer_argument(argument)
        current = await self._round(parsed[0]) if parsed else None
        message = interaction.message
        if (
            parsed is None
            or current is None
            or message is None
            or current.guild_id != interaction.guild_id
            or not 0 <= parsed[1] < len(current.question.options)
        ):
            await respond(interaction, trivia_cards.round_closed())
            return
        if current.message_id is None and current.is_open:
            await respond(interaction, trivia_cards.round_opening())
            return
        user = interaction.user
        click = Click(parsed[0], parsed[1], current.guild_id, message.id, user.id, user.display_name)
        result = await self.store.record_answer(click, self.clock())
        if result is AnswerResult.RECORDED:
            self.bot.trivia_events.answer_recorded()
            assert current.closes_at is not None
            reply = trivia_cards.answer_recorded(current.question, click.choice, current.closes_at)
        elif result is AnswerResult.ALREADY:
            reply = trivia_cards.already_answered(
                current.question, await self.store.choice_of(click.guild_id, click.round_id, user.id)
            )
        else:
            reply = trivia_cards.round_closed()
        await respond(interaction, reply)

    async def _round(self, round_id: int) -> Round | None:
        cached = self._open.get(round_id)
        if cached is not None:
            return cached
        found = await self.store.round(round_id)
        if found is not None and found.is_open and found.closes_at is not None and found.closes_at > self.clock():
            self._open[round_id] = found  # dropped when the scheduler closes it
        return found

    # --- the bot's servers ------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server (not an outage: that is on_guild_unavailable): its schedule stops at once,
        and nothing more is sent there. Its settings and scores stay."""
        self._removed.add(guild.id)
        await self.store.guild_removed(guild.id, self.clock())
        log.info("trivia: guild %d removed the bot; its schedule is stopped", guild.id)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        self._removed.discard(guild.id)
        if await self.store.guild_returned(guild.id, self.clock()):
            log.info("trivia: back in guild %d; its schedule carries on", guild.id)

    # --- the scheduler ----------------------------------------------------------------------------

    @tasks.loop(seconds=1.0)
    async def scheduler(self) -> None:
        await self.tick()

    @scheduler.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def tick(self) -> None:
        """Close the rounds that are due, reveal closed ones, then start the scheduled ones. Never raises."""
        for step in (self._close_due_rounds, self._reveal_closed_rounds, self._start_due_rounds):
            try:
                await step()
            except Exception:
                log.exception("trivia scheduler: %s failed", step.__name__.strip("_").replace("_", " "))

    async def _close_due_rounds(self) -> None:
        now = self.clock()
        for round_id in await self.store.unposted_rounds(opened_before=now - UNPOSTED_GIVE_UP_SECONDS):
            if round_id not in self._posting:
                await self.store.fail_round(round_id, now)
        for round_id in await self.store.rounds_due_to_close(now):
            self._open.pop(round_id, None)
            try:
                if await self.store.close_round(round_id, now) is not None:
                    self.bot.trivia_events.round_closed()
            except Exception:
                log.exception("trivia: could not close round %d", round_id)

    async def _reveal_closed_rounds(self) -> None:
        for round_id in await self.store.rounds_to_reveal(self.clock(), within=REVEAL_WITHIN_SECONDS):
            if round_id not in self._revealing:
                self._revealing.add(round_id)
                self._spawn(self.reveal(round_id))

    async def _start_due_rounds(self) -> None:
        now = self.clock()
        for due in await self.store.guilds_due(now):
            assert due.next_round_at is not None and due.interval_minutes is not None
            if now - due.next_round_at > due.interval_minutes * 60:
                await self.store.skip_slot(due.guild_id, now)  # more than a slot late: skipped, never doubled
                continue
            try:
                opened = await self.store.open_round(due.guild_id, self.pool, self.options.rng, now, scheduled=True)
            except (RoundAlreadyOpen, ScheduleChanged):
                continue  # a round started by hand, or the schedule stopped a moment ago
            except Exception as exc:
                log.warning("trivia: guild %d: could not open a scheduled round: %s", due.guild_id, exc)
                self.bot.trivia_events.round_failed()
                await self.store.skip_slot(due.guild_id, now)
                await self.store.record_error(due.guild_id, f"A scheduled round could not start: {exc}", now)
                continue
            self.bot.trivia_events.round_opened()
            self._spawn(self.post_round(opened, due=due.next_round_at, scheduled=True))

    def _spawn(self, work: Coroutine[Any, Any, object]) -> None:
        task: asyncio.Task[Any] = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("trivia: a background send failed", exc_info=task.exception())

    async def stop_work(self, timeout: float) -> None:
        """At shutdown: open no more rounds, give up posts still waiting for their turn, and let the sends
        and writes in flight finish (`timeout` seconds at most). Unposted rounds are failed at the next start;
        closed rounds not yet revealed are revealed then."""
        self.scheduler.cancel()  # a tick is database work only, each write a transaction: safe to cancel
        self.pacer.close()
        loop = self.scheduler.get_task()
        if loop is not None:
            await asyncio.gather(loop, return_exceptions=True)
        if self._tasks:
            _done, late = await asyncio.wait(self._tasks, timeout=timeout)
            for leftover in late:
                leftover.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    # --- talking to Discord -----------------------------------------------------------------------

    async def post_round(self, opened: Round, *, due: float, scheduled: bool = False) -> str | None:
        """Post a round's message when its turn comes; its answer time starts once it is out. On failure the
        round is closed as failed (it never scores) and the problem recorded and returned."""
        self._posting.add(opened.id)
        try:
            await self.pacer.turn(due)
            if not await self._still_wanted(opened, scheduled):
                await self.store.fail_round(opened.id, self.clock())
                return "The round was called off before it was posted."
            sent = await self.poster.post(opened, closes_at=self.clock() + opened.answer_seconds)
            if sent.outcome is not Outcome.DONE or sent.message_id is None:
                self.bot.trivia_events.round_failed()
                await self.store.fail_round(opened.id, self.clock())
                await self._post_failed(opened.guild_id, sent)
                return sent.problem
            posted = await self.store.mark_posted(opened.id, sent.message_id, self.clock())
        finally:
            self._posting.discard(opened.id)
        if posted is not None:
            self.bot.trivia_events.round_posted()
            self._open[posted.id] = posted
        await self.store.clear_error(opened.guild_id)
        return None

    async def _still_wanted(self, opened: Round, scheduled: bool) -> bool:
        """A round waits for its turn: by then the bot may have left the server, or the schedule stopped."""
        if opened.guild_id in self._removed:
            return False
        settings = await self.store.settings(opened.guild_id)
        return settings.removed_at is None and (not scheduled or settings.next_round_at is not None)

    async def _post_failed(self, guild_id: int, sent: Sent) -> None:
        problem = sent.problem or "The round could not be posted."
        log.warning("trivia: guild %d: %s", guild_id, problem)
        if sent.outcome is Outcome.REFUSED:
            paused = await self.store.record_refused_post(
                guild_id, problem, self.clock(), pause_after=REFUSALS_BEFORE_PAUSE
            )
            if paused:
                log.warning("trivia: guild %d: schedule paused after %d refused posts", guild_id, REFUSALS_BEFORE_PAUSE)
        else:
            await self.store.record_error(guild_id, problem, self.clock())

    async def reveal(self, round_id: int) -> None:
        """Edit a closed round's message when its turn comes. Tried once per process; a shutdown leaves it for
        the next start."""
        try:
            reveal = await self.store.reveal_of(round_id)
            if reveal is None or reveal.round.message_id is None:
                return
            closed = reveal.round
            if closed.guild_id in self._removed or (await self.store.settings(closed.guild_id)).removed_at:
                await self.store.mark_revealed(round_id, self.clock())  # nothing more is sent to that server
                return
            await self.pacer.turn(closed.closes_at or 0.0)
            sent = await self.poster.reveal(reveal)
            await self.store.mark_revealed(round_id, self.clock())
            if sent.outcome is not Outcome.DONE:
                log.warning("trivia: guild %d: %s", closed.guild_id, sent.problem)
                await self.store.record_error(closed.guild_id, sent.problem or "The reveal failed.", self.clock())
        finally:
            self._revealing.discard(round_id)

    async def _missing_permissions(self, channel: discord.TextChannel) -> list[str]:
        me: discord.Member | None = channel.guild.me
        if me is None and self.bot.user is not None:
            try:
                me = await channel.guild.fetch_member(self.bot.user.id)
            except discord.HTTPException:
                me = None
        if me is None:
            raise UserFacingError("I couldn't check my permissions in that channel; please try again in a moment.")
        permissions = channel.permissions_for(me)
        return [label for name, label in NEEDED_IN_CHANNEL if not getattr(permissions, name)]

    # --- deleting data (answered by bot.privacy; /forget-me does the same outside servers) ----------

    @app_commands.command(name="forget-me", description="Delete your trivia answers and scores in every server")
    async def forget_me(self, interaction: Interaction) -> None:
        await ask_to_forget_member(interaction)

    @app_commands.command(name="delete-server-data", description="Admins: delete everything trivia keeps here")
    @admin_only
    async def delete_server_data(self, interaction: Interaction) -> None:
        await ask_to_delete_server(interaction)

    # --- boards by period, and seasons ----------------------------------------------------------------

    async def board_page(self, interaction: Interaction, argument: str) -> None:
        """◀ ▶ on a board: that page, with the clicker's own place, privately (a click on a private page
        turns it in place). The period, its week, month or season, and the page are in the button."""
        parsed = trivia_cards.parse_board_argument(argument)
        if parsed is None or interaction.guild_id is None:
            await respond(interaction, notice("This board's buttons no longer work; run `/trivia leaderboard` again."))
            return
        period, page = parsed
        if period.kind in (WEEK, MONTH) and period != await self.store.period(
            interaction.guild_id, period.kind, self.clock()
        ):
            await respond(interaction, trivia_cards.board_period_over(period))
            return
        board = await self.store.board(interaction.guild_id, interaction.user.id, period, page)
        message = interaction.message
        if message is not None and message.flags.ephemeral:
            await replace(interaction, trivia_cards.board_card(board, _server_name(interaction)))
        else:
            await respond(interaction, trivia_cards.board_card(board, _server_name(interaction), ephemeral=True))

    season = app_commands.Group(name="season", description="Trivia seasons: end the current one, show a past one")

    @season.command(name="new", description="Admins: end this season (its top 10 is posted) and start from zero")
    @admin_only
    async def season_new(self, interaction: Interaction) -> None:
        guild_id = _guild_id(interaction)
        number = await self.store.current_season(guild_id)
        board = await self.store.board(guild_id, interaction.user.id, Period(SEASON, str(number)))
        await respond(interaction, trivia_cards.season_new_prompt(number, board, self.clock()))

    @season.command(name="show", description="An ended season's final board")
    @app_commands.describe(number="The season's number (season 1 is this server's first)")
    async def season_show(self, interaction: Interaction, number: app_commands.Range[int, 1, 100_000]) -> None:
        guild_id = _guild_id(interaction)
        ended = await self.store.past_season(guild_id, number, interaction.user.id)
        current = await self.store.current_season(guild_id)
        await respond(interaction, trivia_cards.past_season(ended, number, current, _server_name(interaction)))

    async def season_end_confirmed(self, interaction: Interaction, argument: str) -> None:
        """The confirmation's button: ends the season it named, once, for a member with Manage Server."""
        guild_id = interaction.guild_id
        if guild_id is None or not interaction.permissions.manage_guild:
            await respond(interaction, notice("You need the Manage Server permission to end a season."))
            return
        number = trivia_cards.parse_season_argument(argument, self.clock())
        if number is None:
            await replace(interaction, _in_place(trivia_cards.season_expired()))
            return
        ended = await self.store.end_season(guild_id, number, self.clock())
        if ended is None:
            await replace(interaction, _in_place(trivia_cards.season_already_ended(number)))
            return
        log.info("trivia: guild %d ended season %d", guild_id, number)
        settings = await self.store.settings(guild_id)
        posted = settings.channel_id is not None and guild_id not in self._removed
        await replace(interaction, _in_place(trivia_cards.season_ended(ended, settings.channel_id, posted)))
        if posted and settings.channel_id is not None:
            card = trivia_cards.season_final_card(ended, _server_name(interaction))
            self._spawn(self._post_final_board(guild_id, settings.channel_id, card))

    async def season_kept(self, interaction: Interaction, _argument: str) -> None:
        await replace(interaction, _in_place(trivia_cards.season_kept()))

    async def _post_final_board(self, guild_id: int, channel_id: int, card: Card) -> None:
        """A season's final top 10 in the trivia channel; a failure is recorded as the server's last problem."""
        try:
            channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
            await self.pacer.turn(self.clock())
            await asyncio.wait_for(channel.send(**message_kwargs(Reply(card=card))), timeout=self.options.send_timeout)
        except (discord.HTTPException, TimeoutError) as exc:
            log.warning("trivia: guild %d: the season's final board was not posted: %s", guild_id, exc)
            await self.store.record_error(guild_id, f"A season's final board could not be posted: {exc}", self.clock())

    # --- the kinds of question ------------------------------------------------------------------------

    async def choose_kinds(self, interaction: Interaction, _argument: str) -> None:
        """The config card's menu: the kinds of question the server gets from its next round on."""
        guild_id = interaction.guild_id
        if guild_id is None or not interaction.permissions.manage_guild:
            await respond(interaction, notice("You need the Manage Server permission to choose the questions."))
            return
        with _user_facing():
            chosen = await self.store.set_question_kinds(
                guild_id, chosen_values(interaction), [kind for kind, _ in self.kinds]
            )
        settings = await self.store.settings(guild_id)
        current = await self.store.open_round_of(guild_id)
        changed = trivia_cards.kinds_changed(chosen, self.kinds)
        card = trivia_cards.config_card(settings, current, changed=changed, kinds=self.kinds)
        await replace(interaction, _in_place(card))

    # --- what a reveal teaches ------------------------------------------------------------------------

    async def show_drama(self, interaction: Interaction, argument: str) -> None:
        """A reveal's "About <drama>" button: the drama's card (as /drama shows it), to the clicker only."""
        moment = self.bot.catalogue.by_rank(int(argument)) if argument.isdigit() else None
        if moment is None:
            await respond(interaction, notice("That drama is no longer in the list. `/moment list` shows what is."))
            return
        await respond(interaction, Reply(card=drama_card(self.bot.catalogue, moment.drama), ephemeral=True))

    async def report(self, interaction: Interaction, argument: str) -> None:
        """A reveal's "Report a problem": a small form asking why (once per member per round)."""
        found = await self.store.round(int(argument)) if argument.isdigit() else None
        if found is None or found.closed_at is None or found.failed or found.guild_id != interaction.guild_id:
            await respond(interaction, trivia_cards.report_not_possible())
            return
        if await self.store.has_reported(found.id, interaction.user.id):
            await respond(interaction, trivia_cards.report_thanks(recorded=False))
            return
        await interaction.response.send_modal(ReportForm(self, found.id))

    async def report_submitted(self, interaction: Interaction, round_id: int, reason: str) -> None:
        if interaction.guild_id is None or reason not in trivia_cards.REPORT_REASONS:
            await respond(interaction, trivia_cards.report_not_possible())
            return
        recorded = await self.store.report_question(
            round_id, interaction.guild_id, interaction.user.id, reason, self.clock()
        )
        if recorded:
            log.info("trivia: round %d reported (%s)", round_id, reason, extra={"guild_id": interaction.guild_id})
            await respond(interaction, trivia_cards.report_thanks(recorded=True))
        elif await self.store.has_reported(round_id, interaction.user.id):
            await respond(interaction, trivia_cards.report_thanks(recorded=False))
        else:
            await respond(interaction, trivia_cards.report_not_possible())


class ReportForm(discord.ui.Modal):
    """The small form of "Report a problem": one menu of reasons. Held in memory only while it is open (a
    form is answered in minutes; what it records is in the database)."""

    def __init__(self, cog: TriviaCog, round_id: int) -> None:
        super().__init__(title=trivia_cards.REPORT_TITLE, timeout=15 * 60, custom_id=f"pm-report-{round_id}")
        self.cog = cog
        self.round_id = round_id
        self.reason: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="reason",
            options=[
                discord.SelectOption(label=label, value=key) for key, label in trivia_cards.REPORT_REASONS.items()
            ],
        )
        self.add_item(discord.ui.Label(text=trivia_cards.REPORT_LABEL, component=self.reason))

    async def on_submit(self, interaction: Interaction) -> None:
        await self.cog.report_submitted(interaction, self.round_id, self.reason.values[0] if self.reason.values else "")


def _in_place(reply: Reply) -> Reply:
    """A private answer to a click on a private message: it replaces that message (which stays private)."""
    return dataclasses.replace(reply, ephemeral=False)


def _server_name(interaction: Interaction) -> str:
    return interaction.guild.name if interaction.guild else "this server"


def _guild_id(interaction: Interaction) -> int:
    if interaction.guild_id is None:
        raise UserFacingError("Trivia works only in a server.")
    return interaction.guild_id


@contextlib.contextmanager
def _user_facing() -> Iterator[None]:
    """Turn a broken trivia rule into a plain message for the user."""
    try:
        yield
    except TriviaError as exc:
        raise UserFacingError(str(exc)) from exc
