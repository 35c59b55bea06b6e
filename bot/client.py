"""The discord.py bot: opens the database, loads the features, syncs commands only when they changed."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import aiosqlite
import discord
from discord import app_commands
from discord.ext import commands

from bot import database
from bot.buttons import ButtonRegistry, CardButton
from bot.catalogue import DEFAULT_SEED_PATH, Catalogue, load_catalogue
from bot.config import Settings
from bot.errors import user_message_for
from bot.operations.health import check_health, shard_states
from bot.operations.instrument import (
    MeteredButtons,
    count_command_failure,
    observe_event,
    time_queries,
    untime_queries,
)
from bot.operations.logs import server_context
from bot.operations.metrics import Metrics
from bot.operations.server import OperationsServer
from bot.render import NO_PINGS, respond
from bot.replies import notice
from bot.trivia.events import TriviaEvents
from bot.trivia.rules import TriviaOptions

log = logging.getLogger(__name__)

FEATURES = ("bot.lookups", "bot.trivia", "bot.privacy")  # packages discord.py loads as extensions

# The bot has no voice features; don't warn at every start that voice libraries are missing.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class PerfectMomentsBot(commands.Bot):
    db: aiosqlite.Connection
    catalogue: Catalogue

    def __init__(
        self,
        settings: Settings,
        *,
        db: aiosqlite.Connection | None = None,
        seed_path: Path = DEFAULT_SEED_PATH,
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
        )
        self.settings = settings
        self._given_db = db
        self.seed_path = seed_path
        self.force_sync = force_sync
        self.trivia_options = trivia_options or TriviaOptions()
        self.owns_process = owns_process  # then it may tune process-wide settings such as the garbage collector
        self.buttons = ButtonRegistry()  # each feature's cog adds its button actions when it loads
        self.tree.error(self.on_app_command_error)
        # Metrics (bot.operations) only with METRICS_PORT set: a bot nobody watches pays nothing for them.
        self.metrics = Metrics(lambda: shard_states(self)) if settings.metrics_port is not None else None
        self.trivia_events = self.metrics.trivia if self.metrics else TriviaEvents()  # the trivia cog reports here
        if self.metrics is not None:
            self.buttons = MeteredButtons(self.metrics)
        self.operations_server: OperationsServer | None = None

    async def setup_hook(self) -> None:
        await self.prepare()
        await self.start_operations()
        await self.sync_commands_if_changed()

    async def prepare(self) -> None:
        """Everything but Discord: database, catalogue, features. The offline console stops here."""
        self.db = self._given_db or await database.open_database(self.settings.database_path)
        await database.seed_catalogue(self.db, load_catalogue(self.seed_path))
        self.catalogue = await database.read_catalogue(self.db)
        self.add_dynamic_items(CardButton)
        for feature in FEATURES:
            await self.load_extension(feature)

    async def on_ready(self) -> None:
        log.info("connected as %s to %d servers", self.user, len(self.guilds))
        if self.owns_process:
            settle_memory()

    async def close(self) -> None:
        await self.stop_operations()
        await super().close()
        db = getattr(self, "db", None)
        if db is not None:
            await db.close()

    # --- command sync -------------------------------------------------------------------------------

    async def sync_commands_if_changed(self) -> None:
        """Sync to DEV_GUILD_ID (if set) or globally, but only when the command tree differs from the last sync."""
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands(guild=guild)]
        fingerprint = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"synced_commands:{guild.id if guild else 'global'}"
        if not self.force_sync and await database.get_meta(self.db, key) == fingerprint:
            log.info("commands unchanged since the last sync; not syncing")
            return
        synced = await self.tree.sync(guild=guild)
        await database.set_meta(self.db, key, fingerprint)
        log.info("synced %d commands %s", len(synced), f"to guild {guild.id}" if guild else "globally")

    # --- errors -------------------------------------------------------------------------------------

    async def on_app_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """One handler for every app command: a plain private message for the user, a log line for us."""
        message = user_message_for(error)
        if self.metrics is not None:
            count_command_failure(self.metrics, interaction, expected=message is not None)
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            context = server_context(interaction.guild_id, self.shard_count)
            log.error("command /%s failed", command, exc_info=error, extra=context)
            message = "Something went wrong on my side while answering that. It has been logged; please try again."
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
        time_queries(self.db, self.metrics.observe_query)
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
            untime_queries(db)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        if self.metrics is not None:
            observe_event(self.metrics, event_name, args)  # stamps and counts interactions as they arrive
        super().dispatch(event_name, *args, **kwargs)


def settle_memory() -> None:
    """Tune the garbage collector once start-up is done (measured in bench/interactions.py, see the README).

    What exists after start-up (modules, catalogue, guilds) lives as long as the bot: freezing it keeps it out
    of every later collection. Collecting young objects every 10,000 allocations instead of every 700 leaves
    each interaction's short-lived objects to reference counting. Together they cut the collector's share of
    an interaction's CPU from about an eighth to about a thirtieth.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
