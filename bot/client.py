"""The discord.py bot: opens the database, loads the features, syncs commands only when they changed."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import gc
import hashlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot import database
from bot.buttons import ButtonRegistry, CardButton, CardSelect, answer_form
from bot.catalogue import DEFAULT_SEED_PATH, Catalogue, load_catalogue
from bot.config import Settings
from bot.errors import unexpected_error, user_message_for
from bot.hangul import DEFAULT_HANGUL_PATH, NO_HANGUL, Story, load_hangul, load_stories
from bot.i18n import language_of
from bot.lifetime import let_go
from bot.operations.logs import server_context
from bot.render import NO_PINGS, respond
from bot.replies import notice
from bot.translator import CatalogueTranslator
from bot.trivia.events import TriviaEvents
from bot.trivia.questions import QuestionTemplate
from bot.trivia.rules import TriviaOptions
from bot.trivia.server_questions.packs import load_operator_packs, packs_folder

if TYPE_CHECKING:  # bot.operations' metrics and web server are imported only when METRICS_PORT is set
    from bot.operations.metrics import Metrics
    from bot.operations.server import OperationsServer

log = logging.getLogger(__name__)

FEATURES = ("bot.lookups", "bot.trivia", "bot.daily", "bot.privacy")  # packages discord.py loads as extensions

SHUTDOWN_SECONDS = 5.0  # the longest a shutdown waits for interactions and writes in flight
# discord.py runs each app command and each button click as a task with one of these names.
INTERACTION_TASKS = (
    "CommandTree-invoker",
    "discord-ui-dynamic-item-",
    "discord-ui-view-dispatch-",
    "discord.py: on_interaction",  # a form (bot/buttons.py answer_form)
)
RESTARTING = "I'm restarting right now; please try again in a few seconds."

# The bot has no voice features; don't warn at every start that voice libraries are missing.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class StartupError(RuntimeError):
    """Start-up cannot go on (e.g. Discord refused the command sync); the message is one line for the operator."""


class PoliteTree(app_commands.CommandTree["PerfectMomentsBot"]):
    """Once the bot is shutting down, new commands get a polite answer instead of running. Every command and
    autocomplete lets go of its interaction when done (bot/lifetime.py)."""

    async def _call(self, interaction: discord.Interaction[PerfectMomentsBot]) -> None:
        try:
            await super()._call(interaction)
        finally:
            let_go(interaction)

    async def interaction_check(self, interaction: discord.Interaction[PerfectMomentsBot]) -> bool:
        if not self.client.closing:
            return True
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
            else:
                await respond(interaction, notice(RESTARTING))
        except (discord.HTTPException, aiohttp.ClientError) as exc:
            log.info("shutting down: could not decline an interaction politely: %s", exc)
        return False


class PerfectMomentsBot(commands.AutoShardedBot):
    """One bot, sharded the way discord.py does it: SHARD_COUNT shards in all (None: Discord's recommendation,
    from GET /gateway/bot), of which this process runs SHARD_IDS (None: all of them)."""

    db: database.Database
    catalogue: Catalogue
    operator_questions: list[QuestionTemplate]  # data/packs/*.toml, for every server

    def __init__(
        self,
        settings: Settings,
        *,
        db: database.Database | None = None,
        seed_path: Path = DEFAULT_SEED_PATH,
        hangul_path: Path = DEFAULT_HANGUL_PATH,
        force_sync: bool = False,
        trivia_options: TriviaOptions | None = None,
        owns_process: bool = False,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,  # no text commands; app commands only
            intents=discord.Intents(guilds=True),
            allowed_mentions=NO_PINGS,
            help_command=None,
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,  # no message events are asked for; keep no message cache
            tree_cls=PoliteTree,
            shard_count=settings.shard_count,
            # None is discord.py's own default (every shard), though its typing says list[int]
            shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,  # type: ignore[arg-type]
        )
        self.settings = settings
        self._given_db = db
        self.seed_path = seed_path
        self.hangul_path = hangul_path
        self.hangul = NO_HANGUL  # the names in Hangul, read by prepare()
        self.stories: dict[int, Story] = {}  # the Korean synopses and why-lines, read by prepare()
        self.force_sync = force_sync
        self.trivia_options = trivia_options or TriviaOptions()
        self.owns_process = owns_process  # then it may tune process-wide settings such as the garbage collector
        self.buttons = ButtonRegistry()  # each feature's cog adds its button actions when it loads
        self.closing = False  # set when a shutdown begins: new work is declined politely from then on
        self._shutdown: asyncio.Task[None] | None = None
        self._connected_shards: set[int] = set()  # shards that have had a gateway session (a RESUME is not one)
        self.tree.error(self.on_app_command_error)
        # Metrics (bot.operations) only with METRICS_PORT set: a bot nobody watches pays nothing for them, not
        # even the memory of prometheus-client and aiohttp's web server.
        self.metrics: Metrics | None = None
        self.trivia_events = TriviaEvents()  # the trivia cog reports here
        self.operations_server: OperationsServer | None = None
        self._observe_event: Callable[[str, tuple[Any, ...]], None] | None = None  # bound once: every event pays
        if settings.metrics_port is not None:
            self._measure()

    def _measure(self) -> None:
        from bot.operations.health import shard_states
        from bot.operations.instrument import MeteredButtons, observe_event
        from bot.operations.metrics import Metrics

        self.metrics = Metrics(lambda: shard_states(self))
        self._observe_event = functools.partial(observe_event, self.metrics)
        self.trivia_events = self.metrics.trivia
        self.buttons = MeteredButtons(self.metrics)

    async def setup_hook(self) -> None:
        await self.prepare()
        await self.tree.set_translator(CatalogueTranslator())  # the commands' Korean names and descriptions
        await self.start_operations()
        await self.sync_commands_if_changed()
        if self.owns_process:
            settle_memory()  # here, once: before any gateway session, whose caches must stay collectable

    async def prepare(self) -> None:
        """Everything but Discord: database, catalogue, features. The offline console stops here."""
        self.db = self._given_db or await database.open_database(self.settings.database)
        failures: tuple[type[Exception], ...] = (*self.db.driver_errors, OSError)
        try:
            await database.seed_catalogue(self.db, load_catalogue(self.seed_path))
            self.catalogue = await database.read_catalogue(self.db)
            self.operator_questions = load_operator_packs(packs_folder(self.seed_path))
            self.hangul = load_hangul(self.hangul_path)
            self.stories = load_stories()  # the Korean synopses: a bad file stops the start here, in one line
        except failures as exc:
            raise database.DatabaseError(f"cannot seed the database at {self.db.location}: {exc}") from exc
        self.add_dynamic_items(CardButton, CardSelect)
        self.add_listener(answer_form, "on_interaction")  # forms (modals), answered like the buttons
        for feature in FEATURES:
            await self.load_extension(feature)

    async def on_shard_connect(self, shard_id: int) -> None:
        """A shard's new gateway session (its READY; a RESUME is not one). If the shard had a session before,
        discord.py has just replaced that session's servers (channels, roles: full of reference cycles) with the
        new READY's list and is about to fill them in: freeing the old ones first keeps two copies from ever
        being alive at once.
        A shard's first session replaces nothing, so the shards of a start cost no collection (each would walk
        every server the shards before it had built)."""
        if self.owns_process and shard_id in self._connected_shards:
            release_memory()
        self._connected_shards.add(shard_id)

    async def on_ready(self) -> None:
        """Fires after every new gateway session, not only the first: nothing here may be one-time work."""
        log.info("connected as %s to %d servers", self.user, len(self.guilds))

    # --- shutdown -----------------------------------------------------------------------------------

    async def close(self) -> None:
        """Finish what was started, then close the gateway, then the HTTP session, then the database.

        New commands and clicks are declined politely from the first moment; trivia opens no more rounds;
        interactions and writes in flight get up to SHUTDOWN_SECONDS. The cogs are unloaded only once the
        gateway is closed, so no one is told that a command or button "no longer exists".
        """
        if self._shutdown is None:
            self._shutdown = asyncio.create_task(self._shut_down(), name="perfect-moments-shutdown")
        await asyncio.shield(self._shutdown)

    async def _shut_down(self) -> None:
        self.closing = True
        deadline = time.monotonic() + SHUTDOWN_SECONDS
        for cog in list(self.cogs.values()):
            stop_work = getattr(cog, "stop_work", None)
            if stop_work is not None:
                await stop_work(timeout=max(0.0, deadline - time.monotonic()))
        await self._wait_for_interactions(deadline)
        # Every shard's gateway, then the HTTP session; a bot that never connected (the offline console) has no
        # shards, and AutoShardedClient.close would fail on the queue it never made.
        await (discord.AutoShardedClient.close if self.shards else discord.Client.close)(self)
        await super().close()  # unloads the features, now that no interaction can arrive
        await self.stop_operations()  # /healthz and /metrics, until the last moment before the database
        db = getattr(self, "db", None)
        if db is not None:
            await db.close()
        log.info("shut down")

    async def _wait_for_interactions(self, deadline: float) -> None:
        """Until none is left (or the deadline): those that arrive meanwhile are answered politely, fast."""
        current = asyncio.current_task()
        while True:
            in_flight = [
                task
                for task in asyncio.all_tasks()
                if task is not current and task.get_name().startswith(INTERACTION_TASKS)
            ]
            remaining = deadline - time.monotonic()
            if not in_flight:
                return
            if remaining <= 0:
                log.warning("shutting down: %d interactions did not finish in time", len(in_flight))
                return
            log.info("shutting down: waiting for %d interactions in flight", len(in_flight))
            await asyncio.wait(in_flight, timeout=remaining)

    # --- command sync -------------------------------------------------------------------------------

    async def sync_commands_if_changed(self) -> None:
        """Sync to DEV_GUILD_ID (if set) or globally, but only when the command tree differs from the last sync."""
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        fingerprint = await self.command_fingerprint(guild)
        key = f"synced_commands:{guild.id if guild else 'global'}"
        if not self.force_sync and await database.get_meta(self.db, key) == fingerprint:
            log.info("commands unchanged since the last sync; not syncing")
            return
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.HTTPException as exc:
            raise StartupError(
                f"Discord refused the command sync ({exc.status}: {exc.text or 'no details'}); try again later"
            ) from exc
        await database.set_meta(self.db, key, fingerprint)
        log.info("synced %d commands %s", len(synced), f"to guild {guild.id}" if guild else "globally")

    async def command_payload(self, guild: discord.abc.Snowflake | None = None) -> list[dict[str, Any]]:
        """What a sync sends: with a translator (set in setup_hook), the payload with every language's names
        and descriptions, exactly as `tree.sync` builds it."""
        translator = self.tree.translator
        commands = self.tree.get_commands(guild=guild)
        if translator is None:
            return [command.to_dict(self.tree) for command in commands]
        return [await command.get_translated_payload(self.tree, translator) for command in commands]

    async def command_fingerprint(self, guild: discord.abc.Snowflake | None = None) -> str:
        """A hash of the sync payload, translations included: a changed translation is a changed command."""
        payload = await self.command_payload(guild)
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    # --- errors -------------------------------------------------------------------------------------

    async def on_app_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """One handler for every app command: a plain private message for the user, a log line for us."""
        language = language_of(interaction.locale)
        message = user_message_for(error, language)
        if self.metrics is not None:
            from bot.operations.instrument import count_command_failure

            count_command_failure(self.metrics, interaction, expected=message is not None)
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            context = server_context(interaction.guild_id, self.shard_count)
            log.error("command /%s failed", command, exc_info=error, extra=context)
            message = unexpected_error(language)
        try:
            await respond(interaction, notice(message))
        except discord.HTTPException as exc:
            log.warning("could not tell the user about an error: %s", exc)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("unhandled error in %s", event_method)

    # --- operations: health and metrics (bot.operations) --------------------------------------------

    async def start_operations(self) -> None:
        """With METRICS_PORT set: time the database's calls and serve /healthz and /metrics."""
        if self.metrics is None or self.settings.metrics_port is None:
            return
        from bot.operations.health import check_health
        from bot.operations.server import OperationsServer

        self.db.observe_queries(self.metrics.observe_query)
        self.operations_server = OperationsServer(
            self.metrics,
            lambda: check_health(self, getattr(self, "db", None)),
            self.settings.metrics_host,
            self.settings.metrics_port,
        )
        await self.operations_server.start()

    async def stop_operations(self) -> None:
        server, self.operations_server = self.operations_server, None
        if server is not None:
            await server.stop()
        db = getattr(self, "db", None)
        if db is not None:
            db.observe_queries(None)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        if self._observe_event is not None:
            self._observe_event(event_name, args)  # stamps and counts interactions as they arrive
        super().dispatch(event_name, *args, **kwargs)


def release_memory() -> None:
    """Collect garbage in every generation, then hand the freed heap back to the system where the C library
    can (glibc's malloc_trim): else a dropped cache still counts in the process's resident memory."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def settle_memory() -> None:
    """Tune the garbage collector once start-up is done (measured in bench/interactions.py, see the README).

    What exists after start-up (modules, catalogue, cards) lives as long as the bot: freezing it keeps it out
    of every later collection. It runs before the gateway connects: a session's caches (servers, channels)
    are replaced by the next session's, and frozen objects in reference cycles would never be freed.
    Collecting young objects every 10,000 allocations instead of every 700 leaves each interaction's
    short-lived objects to reference counting. Together they cut the collector's share of
    an interaction's CPU from about an eighth to about a thirtieth.
    """
    release_memory()  # and start-up's garbage (the seed parsed, the migrations) goes back to the system
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
