"""The /trivia commands, the answer buttons and the one scheduler loop: trivia's Discord side.

Thin: questions, rules, storage and cards live beside it in this package (no discord import there).

Permissions: Discord lets a command carry default member permissions only at the top level, so the
/trivia group cannot hide `channel` etc. from members while showing them `leaderboard` and `score`. The
group therefore has no default permissions, and each admin subcommand checks Manage Server when it runs.

The scheduler is a single loop for all servers. Each tick it runs two indexed queries (rounds due to
close, schedules due) and does only database work itself; every Discord call (posting a round, editing
it at close) runs as its own task with a timeout, so a server whose channel is gone or forbidden never
delays another. Nothing that matters is kept in memory: after a restart the same loop closes overdue
rounds and carries schedules on from their next slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Iterator
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.buttons import ButtonHandler
from bot.errors import UserFacingError
from bot.privacy.cog import ask_to_delete_server, ask_to_forget_member
from bot.render import message_kwargs, respond
from bot.replies import Reply, notice
from bot.trivia import cards as trivia_cards
from bot.trivia.questions import question_pool
from bot.trivia.rules import MAX_ANSWER_SECONDS, MAX_INTERVAL_MINUTES, MIN_ANSWER_SECONDS, MIN_INTERVAL_MINUTES
from bot.trivia.store import (
    AnswerResult,
    Reveal,
    Round,
    RoundAlreadyOpen,
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
        self.store = TriviaStore(bot.db)
        self.pool = question_pool(bot.catalogue)
        self._open: dict[int, Round] = {}  # open rounds by id: a cache for the answer buttons, never the truth
        self._tasks: set[asyncio.Task[None]] = set()
        self.buttons: dict[str, ButtonHandler] = {trivia_cards.ANSWER_ACTION: self.answer}
        self.scheduler.change_interval(seconds=self.options.tick_seconds)

    async def cog_load(self) -> None:
        self.bot.buttons.add(self.buttons)
        self.scheduler.start()

    async def cog_unload(self) -> None:
        self.scheduler.cancel()
        task = self.scheduler.get_task()
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=2.0)
            for leftover in pending:
                leftover.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self.bot.buttons.remove(self.buttons)

    def offline_reply(self, command: str) -> Reply:
        """What `/trivia <command>` answers in the offline console, where there is no server."""
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
            raise UserFacingError(
                f"A round is already open in <#{exc.round.channel_id}>; it closes "
                f"{trivia_cards.timestamp(exc.round.closes_at)}. Start another after that."
            ) from exc
        except TriviaError as exc:
            raise UserFacingError(str(exc)) from exc
        self.bot.trivia_events.round_opened()
        problem = await self.post_round(opened)
        if problem:
            raise UserFacingError(f"The round could not be posted. {problem}")
        closes = trivia_cards.timestamp(opened.closes_at)
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
        await respond(interaction, trivia_cards.config_card(settings, current, changed=changed))

    # --- everyone's commands ----------------------------------------------------------------------

    @app_commands.command(name="leaderboard", description="This server's top trivia scorers, and your place")
    async def leaderboard(self, interaction: Interaction) -> None:
        board = await self.store.leaderboard(_guild_id(interaction), interaction.user.id)
        server = interaction.guild.name if interaction.guild else "this server"
        await respond(interaction, trivia_cards.leaderboard_card(board, server))

    @app_commands.command(name="score", description="A member's trivia points, rounds answered and streak")
    @app_commands.describe(user="Whose score (yours if left out)")
    async def score(self, interaction: Interaction, user: discord.User | None = None) -> None:
        target = user or interaction.user
        placed = await self.store.score(_guild_id(interaction), target.id)
        await respond(
            interaction, trivia_cards.score_card(placed, target.display_name, own=target.id == interaction.user.id)
        )

    # --- the answer buttons -----------------------------------------------------------------------

    async def answer(self, interaction: Interaction, argument: str) -> None:
        """A click on an option: one INSERT decides whether it is the member's first (and final) answer."""
        parsed = trivia_cards.parse_answer_argument(argument)
        current = await self._round(parsed[0]) if parsed else None
        if parsed is None or current is None or not 0 <= parsed[1] < len(current.question.options):
            await respond(interaction, trivia_cards.round_closed())
            return
        round_id, choice = parsed
        user = interaction.user
        result = await self.store.record_answer(round_id, user.id, choice, user.display_name, self.clock())
        if result is AnswerResult.RECORDED:
            self.bot.trivia_events.answer_recorded()
            reply = trivia_cards.answer_recorded(current.question, choice, current.closes_at)
        elif result is AnswerResult.ALREADY:
            reply = trivia_cards.already_answered(current.question, await self.store.choice_of(round_id, user.id))
        else:
            reply = trivia_cards.round_closed()
        await respond(interaction, reply)

    async def _round(self, round_id: int) -> Round | None:
        cached = self._open.get(round_id)
        if cached is not None:
            return cached
        found = await self.store.round(round_id)
        if found is not None and found.is_open and found.closes_at > self.clock():
            self._open[round_id] = found  # dropped when the scheduler closes it
        return found

    # --- the scheduler ----------------------------------------------------------------------------

    @tasks.loop(seconds=1.0)
    async def scheduler(self) -> None:
        await self.tick()

    @scheduler.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def tick(self) -> None:
        """Close the rounds that are due, then start the scheduled ones. Never raises."""
        try:
            await self._close_due_rounds()
        except Exception:
            log.exception("trivia scheduler: closing due rounds failed")
        try:
            await self._start_due_rounds()
        except Exception:
            log.exception("trivia scheduler: starting scheduled rounds failed")

    async def _close_due_rounds(self) -> None:
        now = self.clock()
        for round_id in await self.store.rounds_due_to_close(now):
            self._open.pop(round_id, None)
            try:
                reveal = await self.store.close_round(round_id, now)
            except Exception:
                log.exception("trivia: could not close round %d", round_id)
                continue
            if reveal is not None:
                self.bot.trivia_events.round_closed()
            if reveal is not None and reveal.round.message_id is not None:
                self._spawn(self.reveal(reveal))

    async def _start_due_rounds(self) -> None:
        now = self.clock()
        for due in await self.store.guilds_due(now):
            try:
                opened = await self.store.open_round(due.guild_id, self.pool, self.options.rng, now, scheduled=True)
            except RoundAlreadyOpen:
                continue  # a round started by hand a moment ago: the schedule waits for it to close
            except Exception as exc:
                log.warning("trivia: guild %d: could not open a scheduled round: %s", due.guild_id, exc)
                self.bot.trivia_events.round_failed()
                await self.store.skip_slot(due.guild_id, now)
                await self.store.record_error(due.guild_id, f"A scheduled round could not start: {exc}", now)
                continue
            self.bot.trivia_events.round_opened()
            self._spawn(self.post_round(opened))

    def _spawn(self, work: Coroutine[Any, Any, object]) -> None:
        task: asyncio.Task[Any] = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("trivia: a background send failed", exc_info=task.exception())

    # --- talking to Discord -----------------------------------------------------------------------

    async def post_round(self, opened: Round) -> str | None:
        """Post a round's message. On failure the round is discarded and the problem recorded and returned."""
        seconds = round(opened.closes_at - opened.opened_at)
        card = trivia_cards.question_card(opened.id, opened.question, opened.closes_at, seconds)
        channel = self.bot.get_partial_messageable(opened.channel_id, guild_id=opened.guild_id)
        try:
            message = await asyncio.wait_for(
                channel.send(**message_kwargs(Reply(card=card))), timeout=self.options.send_timeout
            )
        except (discord.HTTPException, TimeoutError) as exc:
            problem = describe_failure(exc, opened.channel_id, "post a round")
            log.warning("trivia: guild %d: %s", opened.guild_id, problem)
            self.bot.trivia_events.round_failed()
            await self.store.discard_round(opened.id)
            await self.store.record_error(opened.guild_id, problem, self.clock())
            return problem
        await self.store.attach_message(opened.id, message.id)
        self.bot.trivia_events.round_posted()
        if opened.closes_at > self.clock():
            self._open[opened.id] = opened
        await self.store.clear_error(opened.guild_id)
        return None

    async def reveal(self, reveal: Reveal) -> None:
        """Edit a closed round's message: buttons disabled, the right answer, who got it right."""
        closed = reveal.round
        assert closed.message_id is not None
        channel = self.bot.get_partial_messageable(closed.channel_id, guild_id=closed.guild_id)
        message = channel.get_partial_message(closed.message_id)
        try:
            await asyncio.wait_for(
                message.edit(**message_kwargs(Reply(card=trivia_cards.reveal_card(reveal)))),
                timeout=self.options.send_timeout,
            )
        except (discord.HTTPException, TimeoutError) as exc:
            problem = describe_failure(exc, closed.channel_id, "show a round's answer")
            log.warning("trivia: guild %d: %s", closed.guild_id, problem)
            await self.store.record_error(closed.guild_id, problem, self.clock())

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


def describe_failure(exc: BaseException, channel_id: int, doing: str) -> str:
    """A failed post or edit in words an admin can act on (shown in /trivia config)."""
    where = f"<#{channel_id}>"
    if isinstance(exc, discord.NotFound):
        return f"I couldn't {doing} in {where}: the channel no longer exists. Pick another with /trivia channel."
    if isinstance(exc, discord.Forbidden):
        return (
            f"I couldn't {doing} in {where}: Discord says I'm not allowed ({exc.text or 'Missing Permissions'}). "
            "I need View Channel, Send Messages and Embed Links there."
        )
    if isinstance(exc, discord.HTTPException):
        return f"I couldn't {doing} in {where}: Discord answered {exc.status} ({exc.text or 'no details'})."
    return f"I couldn't {doing} in {where}: Discord did not answer in time."


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
