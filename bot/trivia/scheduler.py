"""The one scheduler loop for all servers: opening scheduled rounds, posting them, closing and revealing them.

Each tick runs a few indexed queries (rounds due to close, closed rounds to reveal, schedules due) and does only
database work itself; every Discord call (posting a round, editing it at close) runs as its own task, waits for
its turn at the one pacer and has a timeout, so a server whose channel is gone or forbidden never delays another.
Nothing that matters is kept in memory: after a restart the same loop closes overdue rounds and carries
schedules on from their next slot. With SHARD_IDS, it runs only the servers of this process's shards (the store
filters its queries); another process runs the others.

Several processes may run the same shards for a while (a rolling restart). A round being posted carries a
posting lease that its process renews while the round waits for its turn; a round is failed as abandoned only
once its lease has run out. A process that stops hands the rounds still waiting back at once (a scheduled one
goes back to its slot, for the next process to post), and a round is checked as still wanted right before it is
sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterable
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import tasks

from bot.i18n import server_language
from bot.render import message_kwargs
from bot.replies import Card, Reply
from bot.trivia.pacer import Pacer
from bot.trivia.poster import Outcome, RoundPoster, Sent
from bot.trivia.questions import QuestionTemplate
from bot.trivia.rules import (
    POSTING_LEASE_SECONDS,
    REFUSALS_BEFORE_PAUSE,
    REVEAL_WITHIN_SECONDS,
    UNPOSTED_GIVE_UP_SECONDS,
)
from bot.trivia.store import GuildSettings, Round, RoundAlreadyOpen, ScheduleChanged, TriviaStore
from bot.trivia.store.models import missed

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

log = logging.getLogger("bot.trivia.cog")

RENEW_EVERY = POSTING_LEASE_SECONDS / 3  # a lease is renewed well before it runs out


class Scheduler:
    def __init__(self, bot: PerfectMomentsBot, store: TriviaStore, pool: list[QuestionTemplate]) -> None:
        self.bot = bot
        self.store = store
        self.pool = pool
        self.options = bot.trivia_options
        self.clock = self.options.clock
        self.pacer = Pacer(self.options.posts_per_second, shards=bot.settings.shards)  # this process's share
        self.poster = RoundPoster(bot, self.options.send_timeout)
        self.open_rounds: dict[int, Round] = {}  # a cache for the answer buttons, never the truth
        self.removed: set[int] = set()  # servers that removed the bot: nothing is sent there
        self._posting: set[int] = set()  # rounds this process is posting (waiting for their turn, or sending)
        self._queued: set[int] = set()  # of those, the ones still waiting for their turn
        self._revealing: set[int] = set()  # rounds this process is revealing
        self._tasks: set[asyncio.Task[None]] = set()
        self._leases_renewed_at = 0.0
        self.loop.change_interval(seconds=self.options.tick_seconds)

    async def start(self) -> None:
        self.removed = await self.store.removed_guilds()
        self.loop.start()

    @tasks.loop(seconds=1.0)
    async def loop(self) -> None:
        await self.tick()

    @loop.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def tick(self) -> None:
        """Close the rounds that are due, reveal closed ones, then start the scheduled ones. Never raises."""
        steps = (self._renew_leases, self._close_due_rounds, self._reveal_closed_rounds, self._start_due_rounds)
        for step in steps:
            try:
                await step()
            except Exception:
                log.exception("trivia scheduler: %s failed", step.__name__.strip("_").replace("_", " "))

    async def _renew_leases(self) -> None:
        now = self.clock()
        if self._posting and now - self._leases_renewed_at >= RENEW_EVERY:
            await self.store.renew_posting_leases(self._posting, now + POSTING_LEASE_SECONDS)
            self._leases_renewed_at = now

    async def _close_due_rounds(self) -> None:
        now = self.clock()
        for round_id in await self.store.abandoned_rounds(now, opened_before=now - UNPOSTED_GIVE_UP_SECONDS):
            if round_id not in self._posting and await self.store.fail_round(round_id, now):
                log.warning("trivia: round %d was never posted (its process is gone); failed", round_id)
        for round_id in await self.store.rounds_due_to_close(now):
            self.open_rounds.pop(round_id, None)
            try:
                if await self.store.close_round(round_id, now) is not None:
                    self.bot.trivia_events.round_closed()
            except Exception:
                log.exception("trivia: could not close round %d", round_id)

    async def _reveal_closed_rounds(self) -> None:
        for round_id in await self.store.rounds_to_reveal(self.clock(), within=REVEAL_WITHIN_SECONDS):
            if round_id not in self._revealing:
                self._revealing.add(round_id)
                self.spawn(self.reveal(round_id))

    async def _start_due_rounds(self) -> None:
        now = self.clock()
        for due in await self.store.guilds_due(now):
            assert due.next_round_at is not None
            if missed(due, due.next_round_at, now):
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
            self.spawn(self.post_round(opened, due=due.next_round_at, scheduled=True))

    def spawn(self, work: Coroutine[Any, Any, object]) -> None:
        task: asyncio.Task[Any] = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("trivia: a background send failed", exc_info=task.exception())

    async def stop(self, timeout: float) -> None:
        """At shutdown: open no more rounds, hand back the posts still waiting for their turn (a scheduled round
        to its slot, for the next process), and let the sends and writes in flight finish (`timeout` seconds at
        most). Closed rounds not yet revealed are revealed by the next process."""
        self.loop.cancel()  # a tick is database work only, each write a transaction: safe to cancel
        queued = set(self._queued)
        self.pacer.close()  # from here on no queued round is sent
        running = self.loop.get_task()
        if running is not None:
            await asyncio.gather(running, return_exceptions=True)
        await self._hand_back(queued, timeout)
        if self._tasks:
            _done, late = await asyncio.wait(self._tasks, timeout=timeout)
            for leftover in late:
                leftover.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def _hand_back(self, round_ids: Iterable[int], timeout: float) -> None:
        try:
            handed = await asyncio.wait_for(self.store.hand_back(round_ids, self.clock()), timeout=timeout)
        except Exception:
            log.exception("trivia: rounds waiting to be posted could not be handed back; their leases run out")
            return
        if handed:
            log.info("trivia: handed back %d rounds that were waiting to be posted", handed)

    # --- talking to Discord -----------------------------------------------------------------------

    async def post_round(self, opened: Round, *, due: float, scheduled: bool = False) -> str | None:
        """Post a round's message when its turn comes; its answer time starts once it is out. On failure the
        round is closed as failed (it never scores) and the problem recorded and returned."""
        self._posting.add(opened.id)
        self._queued.add(opened.id)
        try:
            await self.pacer.turn(due)
            self._queued.discard(opened.id)
            settings = await self._still_wanted(opened, scheduled)
            if settings is None:
                await self.store.fail_round(opened.id, self.clock())
                return "The round was called off before it was posted."
            language = self.language_of(settings)
            sent = await self.poster.post(
                opened,
                closes_at=self.clock() + opened.answer_seconds,
                ping_role_id=settings.ping_role_id,
                language=language,
            )
            if sent.outcome is not Outcome.DONE or sent.message_id is None:
                self.bot.trivia_events.round_failed()
                await self.store.fail_round(opened.id, self.clock())
                await self._post_failed(opened.guild_id, sent)
                return sent.problem
            message_id = sent.message_id
            posted = await self.store.mark_posted(opened.id, message_id, self.clock())
        finally:
            self._posting.discard(opened.id)
            self._queued.discard(opened.id)
        if posted is None:  # failed by another process while its message went out: take its buttons away
            await self.pacer.turn(self.clock())
            await self.poster.call_off(opened, message_id, language)
            return "The round was called off before it was posted."
        self.bot.trivia_events.round_posted()
        self.open_rounds[posted.id] = posted
        await self.store.clear_error(opened.guild_id)
        return None

    def language_of(self, settings: GuildSettings) -> str:
        """The language a server's trivia is posted in: its admins' choice, else its preferred locale's."""
        guild = self.bot.get_guild(settings.guild_id)
        return server_language(settings.language, guild.preferred_locale if guild else None)

    async def _still_wanted(self, opened: Round, scheduled: bool) -> GuildSettings | None:
        """Right before a round is sent: the bot may have left the server, the schedule may have stopped, or
        another process may have failed or handed back the round meanwhile. The server's settings if it is still
        wanted (None if not)."""
        if opened.guild_id in self.removed:
            return None
        current = await self.store.round(opened.id)
        if current is None or not current.is_open or current.message_id is not None:
            return None
        settings = await self.store.settings(opened.guild_id)
        wanted = settings.removed_at is None and (not scheduled or settings.next_round_at is not None)
        return settings if wanted else None

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
            settings = await self.store.settings(closed.guild_id)
            if closed.guild_id in self.removed or settings.removed_at:
                await self.store.mark_revealed(round_id, self.clock())  # nothing more is sent to that server
                return
            await self.pacer.turn(closed.closes_at or 0.0)
            sent = await self.poster.reveal(reveal, self.language_of(settings))
            await self.store.mark_revealed(round_id, self.clock())
            if sent.outcome is not Outcome.DONE:
                log.warning("trivia: guild %d: %s", closed.guild_id, sent.problem)
                await self.store.record_error(closed.guild_id, sent.problem or "The reveal failed.", self.clock())
        finally:
            self._revealing.discard(round_id)

    async def post_card(self, guild_id: int, channel_id: int, card: Card, what: str) -> None:
        """A card for the whole server (a season's final board) in its trivia channel, at the pace; a failure is
        recorded as the server's last problem."""
        try:
            channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
            await self.pacer.turn(self.clock())
            await asyncio.wait_for(channel.send(**message_kwargs(Reply(card=card))), timeout=self.options.send_timeout)
        except (discord.HTTPException, TimeoutError) as exc:
            log.warning("trivia: guild %d: %s was not posted: %s", guild_id, what, exc)
            await self.store.record_error(guild_id, f"{what.capitalize()} could not be posted: {exc}", self.clock())

    # --- the servers the bot is in ------------------------------------------------------------------

    async def server_removed(self, guild_id: int) -> None:
        self.removed.add(guild_id)
        await self.store.guild_removed(guild_id, self.clock())
        log.info("trivia: guild %d removed the bot; its schedule is stopped", guild_id)

    async def server_present(self, guild_id: int, *, known_removed_only: bool = False) -> None:
        """The bot is in the server (it joined, or the server is back): a removal mark it had is cleared. With
        `known_removed_only` (every server of every new session passes here) the database is asked only about
        servers this process knows as removed: thousands of writes per session would hold the old session's
        servers in memory while they wait their turn."""
        if known_removed_only and guild_id not in self.removed:
            return
        self.removed.discard(guild_id)
        if await self.store.guild_returned(guild_id, self.clock()):
            log.info("trivia: back in guild %d; its schedule carries on", guild_id)

    async def reconcile_shard(self, shard_id: int, shard_count: int, present: set[int]) -> None:
        """A shard's new session: Discord's list of its servers is the truth. Servers with data that are not in
        it removed the bot while this process was away; those in it that were marked removed are back."""
        returned, gone = await self.store.reconcile(shard_id, shard_count, present, self.clock())
        self.removed.difference_update(returned)
        self.removed.update(gone)
        if returned or gone:
            log.info(
                "trivia: shard %d: %d servers are back, %d removed the bot while it was away",
                shard_id,
                len(returned),
                len(gone),
            )
