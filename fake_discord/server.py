"""FakeDiscord: one aiohttp server on 127.0.0.1 (random port) serving the gateway at `/` and REST at /api/v10.

It is the facade tests talk to: the world (servers, channels, users), what the bot sent (messages, commands,
requests), the violations recorded, faults to inject, and waiting helpers built on one change signal.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from aiohttp import web

from .commands import GUILD, CommandRegistry
from .faults import DelayRule, FaultBook, FaultRule, compile_pattern
from .gateway import Gateway, Session
from .interactions import APPLICATION_COMMAND, InteractionBook, InteractionRecord
from .messages import NONCE_SECONDS, FakeMessage, MessageStore
from .model import Channel, Guild, Json, Overwrite, World, default_world
from .ratelimit import peak_count
from .reply import Reply
from .rest import API_PREFIX, RequestLog, RestApi, json_response
from .routes_core import CommandRoutes, CoreRoutes
from .routes_interactions import InteractionRoutes
from .schema import SchemaChecker, load_checker
from .violations import Expectation, Violation, ViolationLog, report

if TYPE_CHECKING:
    from .users import DiscordUser

T = TypeVar("T")
# "101010101010101010" in base64url is the first part, as in a real token.
BOT_TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"
APPLICATION_ID = 101010101010101010


class FakeTimeout(AssertionError):
    """A wait on the fake ran out of time; the message says what was awaited."""


class FakeDiscord:
    token = BOT_TOKEN
    application_id = APPLICATION_ID

    def __init__(
        self,
        *,
        world: World | None = None,
        heartbeat_interval_ms: int = 41_250,
        schema: SchemaChecker | bool | None = True,
        global_rate_limit: int | None = None,
        extra_guilds: int = 0,
        shards: int = 1,
        require_sharding: bool = False,
    ) -> None:
        """`global_rate_limit`: Discord's global limit, requests per second per bot (sliding 1-second window;
        None: no limit). `extra_guilds`: that many more servers in the world (see `World.add_guilds`).
        `shards`: the shard count GET /gateway/bot recommends; with `require_sharding`, an IDENTIFY without a
        shard (or with fewer shards) is closed with 4011, as Discord does from 2,500 servers."""
        if shards < 1:
            raise ValueError("shards must be 1 or more")
        self.shards = shards
        self.require_sharding = require_sharding
        self.world = world or default_world(APPLICATION_ID)
        self.world.add_guilds(extra_guilds)
        self.violations = ViolationLog()
        self.faults = FaultBook()
        self.messages = MessageStore()
        self.interactions = InteractionBook()
        self.commands = CommandRegistry(self.world.ids, APPLICATION_ID)
        self.schema: SchemaChecker | None = load_checker() if schema is True else (schema or None)
        self.gateway = Gateway(self, heartbeat_interval_ms=heartbeat_interval_ms)
        self.rest = RestApi(self, global_rate_limit=global_rate_limit)
        for routes in (CoreRoutes(self), CommandRoutes(self), InteractionRoutes(self)):
            routes.install(self.rest)
        self.token_revoked = False  # FakeDiscord.revoke_token
        self.ready_pids: list[int] = []  # bot processes that reported on_ready (see launch_bot.py)
        self.uploads: list[tuple[str, bytes]] = []  # every file the bot uploaded (name, bytes), in order
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._clock_offset = 0.0
        self._change = asyncio.Event()
        self._read_cursors: dict[int, int] = {}

    # --- lifecycle ------------------------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/", self.gateway.handle)
        app.router.add_post("/_fake/ready", self._bot_ready)
        app.router.add_get("/_fake/attachments/{id}/{name}", self._attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    async def _attachment(self, request: web.Request) -> web.Response:
        """A file a user attached to a command's option, as Discord's CDN serves it."""
        found = self.world.attachments.get(int(request.match_info["id"]))
        if found is None or found.filename != request.match_info["name"]:
            return web.Response(status=404, text="no such attachment")
        return web.Response(body=found.data, content_type=found.content_type.split(";")[0])

    async def _bot_ready(self, request: web.Request) -> web.Response:
        self.ready_pids.append(int((await request.json())["pid"]))
        self.changed()
        return json_response(None, 204)

    # --- time and waiting -----------------------------------------------------------------------------------

    def clock(self) -> float:
        """The fake's monotonic clock in seconds; `advance_time` moves it (not the bot's)."""
        return time.monotonic() + self._clock_offset

    def advance_time(self, seconds: float) -> None:
        """Pretend `seconds` passed for Discord's deadlines (3 s to answer, 15 min token lifetime)."""
        self._clock_offset += seconds

    def changed(self) -> None:
        """Wake every waiter: something the fake knows about changed."""
        self._change.set()
        self._change = asyncio.Event()

    async def wait_until(
        self, predicate: Callable[[], T | None], *, timeout: float = 5.0, what: str = "a condition"
    ) -> T:
        """Re-evaluate `predicate` after every change until it returns something truthy, which is returned."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (result := predicate()):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise FakeTimeout(f"timed out after {timeout:g} s waiting for {what}")
            event = self._change
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return result

    # --- violations -------------------------------------------------------------------------------------------

    def expect_violation(self, kind: str, match: str | None = None) -> Expectation:
        """Declare that this test provokes a violation (`kind` as in violations.KINDS; `match` a regex searched
        in its text). Matching violations do not fail the test; an expectation never met does."""
        return self.violations.expect(kind, match)

    def take_violations(self, kind: str | None = None) -> list[Violation]:
        return self.violations.take(kind)

    async def wait_for_violation(self, kind: str, match: str | None = None, *, timeout: float = 5.0) -> Violation:
        expectation = Expectation(kind, re.compile(match, re.DOTALL) if match else None)
        return await self.wait_until(
            lambda: next((v for v in self.violations.recorded if expectation.accepts(v)), None),
            timeout=timeout,
            what=f"a {expectation} violation",
        )

    def violation_report(self, *, final: bool) -> str:
        """Unexpected violations not reported yet (and, when `final`, expectations never met)."""
        return report(self.violations.new_unexpected(), self.violations.unmet() if final else None)

    # --- faults -----------------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        pattern: str,
        *,
        status: int,
        times: int = 1,
        code: int | None = None,
        message: str | None = None,
        retry_after: float = 0.25,
        is_global: bool = False,
        after_success: bool = False,
    ) -> FaultRule:
        """Answer the next `times` matching requests with an error (429: with retry_after and rate-limit headers).
        `pattern` is a path under /api/v10 with {placeholders}, e.g. "/channels/{id}/messages". With
        `after_success`, each request is handled first (the message IS created) and only then answered with
        the error: Discord failing after it had done the work."""
        return self.faults.add(
            FaultRule(
                method.upper(),
                pattern,
                status,
                times,
                code,
                message,
                retry_after,
                is_global,
                after_success=after_success,
            )
        )

    def fail_always(
        self,
        method: str,
        pattern: str,
        *,
        status: int,
        code: int | None = None,
        message: str | None = None,
        retry_after: float = 0.25,
        after_success: bool = False,
    ) -> FaultRule:
        """A persistent fault (until `rule.remove()`), e.g. 403 on one channel's messages."""
        return self.faults.add(
            FaultRule(method.upper(), pattern, status, None, code, message, retry_after, after_success=after_success)
        )

    def delay_next(self, method: str, pattern: str, seconds: float, times: int = 1) -> DelayRule:
        """Handle the next `times` matching requests at once but send each answer `seconds` (real time) later:
        a slow Discord. Waiters see the effect (a created message) before the bot gets its answer."""
        return self.faults.add_delay(DelayRule(method.upper(), pattern, seconds, times))

    async def drop_gateway(self, *, code: int = 4000, abrupt: bool = False) -> None:
        """Drop the bot's gateway socket. 4000 (or abrupt) lets it RESUME; 4009 ends the session so its
        RESUME gets INVALID_SESSION and it IDENTIFIES again; 4004 and 4010-4014 make discord.py give up
        (ConnectionClosed, PrivilegedIntentsRequired for 4014)."""
        await self.gateway.drop(code=code, abrupt=abrupt)

    def refuse_identify(self, code: int | None = 4004) -> None:
        """Close every IDENTIFY from now on with `code` (4004 authentication failed, 4010-4014: bad shard,
        sharding required, bad API version, invalid or disallowed intents): discord.py does not retry these,
        `client.start()` raises. `refuse_identify(None)` accepts IDENTIFY again."""
        self.gateway.refuse_code = code

    def revoke_token(self, revoked: bool = True) -> None:
        """The token was reset on the application's Bot page: from now on every request with it is answered
        401 (so discord.py's login raises LoginFailure) and every IDENTIFY is closed with 4004. On purpose, so
        not recorded as a violation. `revoke_token(False)` takes it back."""
        self.token_revoked = revoked

    def refuse_gateway(self, refused: bool = True, *, hold: bool = False) -> None:
        """Answer every new gateway connection 503, without a socket (`gateway.stats.refused_connections` counts
        them): Discord's gateway down while REST works. With `hold`, the answer waits until `refuse_gateway(False)`
        (a gateway that accepts connections and never answers). discord.py retries: a shard's first connect every
        5 s, a reconnect with a growing backoff (and a 60 s timeout). Open sockets stay open (`drop_gateway()`
        closes them). `refuse_gateway(False)` accepts connections again."""
        self.gateway.refuse_connections = refused
        if refused and hold:
            self.gateway.unheld.clear()
        else:
            self.gateway.unheld.set()

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        await self.gateway.invalidate(resumable=resumable)

    async def request_reconnect(self) -> None:
        await self.gateway.request_reconnect()

    async def wait_for_gateway(self, *, identifies: int = 0, resumes: int = 0, timeout: float = 10.0) -> None:
        """Wait until the bot identified/resumed at least that many times in total and is connected."""
        stats = self.gateway.stats
        await self.wait_until(
            lambda: (
                stats.identifies >= identifies
                and stats.resumes >= resumes
                and self.gateway.connected_session() is not None
            ),
            timeout=timeout,
            what=f"{identifies} IDENTIFY(s) and {resumes} RESUME(s) on the gateway "
            f"(so far {stats.identifies} and {stats.resumes})",
        )

    # --- the world --------------------------------------------------------------------------------------------

    @property
    def guild(self) -> Guild:
        """The first test server, "K-Drama Fans"."""
        return self.world.guilds[0]

    def channel(self, name: str, guild: Guild | str | None = None) -> Channel:
        return self._guild(guild).channel(name)

    def user(self, username: str, *, guild: Guild | str | None = None, channel: str = "general") -> DiscordUser:
        """A user acting in `channel` of `guild` (default: their first server). See users.DiscordUser."""
        from .users import DiscordUser

        user = self.world.user(username)
        if guild is None:
            home = next((g for g in self.world.guilds if user.id in g.members), None)
            if home is None:
                return DiscordUser(self, user, None, self.world.dm_with(user), context=1)
            return DiscordUser(self, user, home, home.channel(channel), context=GUILD)
        chosen = self._guild(guild)
        if user.id not in chosen.members:
            raise KeyError(f"{username} is not a member of {chosen.name}")
        return DiscordUser(self, user, chosen, chosen.channel(channel), context=GUILD)

    def add_member(
        self, username: str, *, guild: Guild | str | None = None, manage_guild: bool = False, channel: str = "general"
    ) -> DiscordUser:
        """A new user in a server (the bot learns of members through interactions only: no intent needed)."""
        chosen = self._guild(guild)
        user = self.world.add_user(username)
        self.world.add_member(chosen, user, manage_guild=manage_guild)
        return self.user(username, guild=chosen, channel=channel)

    def _guild(self, guild: Guild | str | int | None) -> Guild:
        if isinstance(guild, Guild):
            return guild
        return self.guild if guild is None else self.world.guild(guild)

    async def delete_channel(self, channel: Channel) -> None:
        """The channel disappears (REST answers 404 Unknown Channel) and the bot gets CHANNEL_DELETE."""
        found = self.world.find_channel(channel.id)
        if found is None or found[0] is None:
            raise KeyError(f"#{channel.name} is not a server channel")
        found[0].channels.remove(channel)
        await self.gateway.dispatch("CHANNEL_DELETE", channel.payload())
        self.changed()

    async def remove_bot(self, guild: Guild | str | int) -> None:
        """The bot is kicked or removed from the server: GUILD_DELETE without `unavailable` (discord.py fires
        on_guild_remove) to every session that has it. From now on REST calls about the server (its channels,
        messages, commands, the server itself) answer 403 50001 Missing Access, logged with `bot_absent`
        (see `missing_access`), and later sessions are not told of it."""
        chosen = self._guild(guild)
        if not chosen.has_bot:
            raise AssertionError(f"the bot is not in {chosen.name}")
        chosen.has_bot, chosen.unavailable = False, False
        await self.gateway.guild_delete(chosen, unavailable=False)
        self.changed()

    async def add_bot(self, guild: Guild | str | int) -> None:
        """The bot joins the server (again): GUILD_CREATE with the full server (discord.py fires on_guild_join)
        to every session of the server's shard; REST works again."""
        chosen = self._guild(guild)
        if chosen.has_bot:
            raise AssertionError(f"the bot is already in {chosen.name}")
        chosen.has_bot = True
        await self.gateway.guild_create(chosen, joined=True)
        self.changed()

    async def guild_outage(self, guild: Guild | str | int) -> None:
        """A Discord outage of the server: GUILD_DELETE with `"unavailable": true` (discord.py fires
        on_guild_unavailable). The bot is still a member; new sessions get the server in READY as unavailable
        and no GUILD_CREATE for it until `guild_recovers`. REST is not affected."""
        chosen = self._guild(guild)
        if not chosen.has_bot or chosen.unavailable:
            raise AssertionError(f"{chosen.name} is not available to the bot")
        chosen.unavailable = True
        await self.gateway.guild_delete(chosen, unavailable=True)
        self.changed()

    async def guild_recovers(self, guild: Guild | str | int) -> None:
        """The outage ends: GUILD_CREATE with `"unavailable": false` (discord.py fires on_guild_available)."""
        chosen = self._guild(guild)
        if not chosen.unavailable:
            raise AssertionError(f"{chosen.name} is not in an outage")
        chosen.unavailable = False
        await self.gateway.guild_create(chosen, joined=False)
        self.changed()

    async def set_bot_permissions(self, channel: Channel, *, allow: int = 0, deny: int = 0) -> None:
        """Overwrite the bot's own permissions in a channel (e.g. deny=Perm.SEND_MESSAGES) and tell the bot."""
        channel.overwrites = [o for o in channel.overwrites if o.id != self.world.bot.id]
        channel.overwrites.append(Overwrite(self.world.bot.id, 1, allow=allow, deny=deny))
        await self.gateway.dispatch("CHANNEL_UPDATE", channel.payload())
        self.changed()

    # --- messages ---------------------------------------------------------------------------------------------

    def post_channel_message(self, channel: Channel, body: Json) -> FakeMessage:
        """A channel message from the bot, unless the body has a `nonce` with `enforce_nonce` and the bot
        created a message with that nonce in this channel within 5 minutes: then that message, as Discord does."""
        if body.get("enforce_nonce") and body.get("nonce") is not None:
            since = self.clock() - NONCE_SECONDS
            earlier = self.messages.with_nonce(channel.id, self.world.bot.id, body["nonce"], since)
            if earlier is not None:
                return earlier
        message = FakeMessage(self.world.ids.now(), channel.id, channel.guild_id, self.world.bot)
        message.apply(body, edit=False)
        return self._store(message)

    def post_interaction_message(self, record: InteractionRecord, body: Json, *, original: bool) -> FakeMessage:
        message = FakeMessage(self.world.ids.now(), record.channel_id, record.guild_id, self.world.bot)
        message.apply(body, edit=False)
        message.type = 20 if original and record.type == APPLICATION_COMMAND else 0
        message.interaction_metadata = {
            "id": str(record.id),
            "type": record.type,
            "user": record.user.payload(),
            "authorizing_integration_owners": record.payload.get("authorizing_integration_owners", {}),
        }
        if message.ephemeral:
            message.visible_to = record.user.id
        return self._store(message)

    def _store(self, message: FakeMessage) -> FakeMessage:
        message.posted_at = self.clock()
        self.messages.add(message)
        self.changed()
        return message

    def edit_message(self, message: FakeMessage, body: Json) -> None:
        message.apply(body, edit=True)
        self.changed()

    def delete_message(self, message: FakeMessage) -> None:
        message.deleted = True
        self.changed()

    def messages_in(self, channel: Channel | int, *, include_replies: bool = True) -> list[FakeMessage]:
        channel_id = channel.id if isinstance(channel, Channel) else channel
        return [m for m in self.messages.in_channel(channel_id) if include_replies or m.interaction_metadata is None]

    async def wait_for_message(
        self,
        channel: Channel | int,
        *,
        timeout: float = 5.0,
        predicate: Callable[[Reply], bool] | None = None,
        include_replies: bool = False,
    ) -> Reply:
        """The next message the bot posted in `channel` that this helper has not returned yet (oldest first),
        so a message posted before the call is not missed. Messages passed over by `predicate` are not
        returned later. Interaction replies are skipped unless `include_replies`."""
        channel_id = channel.id if isinstance(channel, Channel) else channel

        def next_message() -> Reply | None:
            cursor = self._read_cursors.get(channel_id, 0)
            for message in self.messages_in(channel_id, include_replies=include_replies):
                if message.seq > cursor and (predicate is None or predicate(Reply.of(message, "posted"))):
                    self._read_cursors[channel_id] = message.seq
                    return Reply.of(message, "posted")
            return None

        return await self.wait_until(next_message, timeout=timeout, what=f"a new message in channel {channel_id}")

    async def wait_for_edit(
        self, seen: Reply, *, timeout: float = 5.0, predicate: Callable[[Reply], bool] | None = None
    ) -> Reply:
        """The message of `seen` once edited beyond what `seen` showed (and matching `predicate` if given)."""
        message = seen.message
        if message is None:
            raise AssertionError("this reply has no message to wait on")

        def edited() -> Reply | None:
            if message.version <= seen.version:
                return None
            current = Reply.of(message, "edited", seen.interaction)
            return current if predicate is None or predicate(current) else None

        return await self.wait_until(edited, timeout=timeout, what=f"an edit of message {message.id}")

    # --- interactions -------------------------------------------------------------------------------------------

    async def wait_for_bot(self, *, timeout: float = 10.0, guild_id: int | None = None) -> Session:
        """Wait until a bot is connected to the gateway (identified or resumed), on the shard of `guild_id`
        (None: shard 0, where DMs go)."""
        return await self.wait_until(
            lambda: self.gateway.connected_session(guild_id),
            timeout=timeout,
            what="a bot connected to the fake gateway" + (f" on the shard of server {guild_id}" if guild_id else ""),
        )

    def shard_of(self, guild: Guild | str | int) -> int:
        """The shard a server's events go to, with the fake's shard count."""
        found = guild if isinstance(guild, Guild) else self.world.guild(guild)
        return (found.id >> 22) % self.shards

    async def wait_for_shards(self, shard_ids: Iterable[int], *, timeout: float = 10.0) -> None:
        """Wait until a session of each of these shards is connected."""
        wanted = set(shard_ids)
        await self.wait_until(
            lambda: wanted <= self.gateway.connected_shards(),
            timeout=timeout,
            what=f"shards {sorted(wanted)} connected",
        )

    async def dispatch_interaction(self, record: InteractionRecord, *, timeout: float = 10.0) -> None:
        guild_id = record.payload.get("guild_id")
        session = await self.wait_for_bot(timeout=timeout, guild_id=int(guild_id) if guild_id else None)
        self.interactions.add(record)
        record.created_at = self.clock()
        await self.gateway.send_event(session, "INTERACTION_CREATE", record.payload)
        self.changed()

    # --- what the bot sent -------------------------------------------------------------------------------------

    def requests(self, method: str | None = None, route: str | None = None) -> list[RequestLog]:
        """Logged REST requests, filtered by method and by route template (as in the spec, e.g.
        "/applications/{application_id}/commands") or by concrete path."""
        return [
            r
            for r in self.rest.log
            if (method is None or r.method == method.upper()) and (route is None or route in (r.route, r.path))
        ]

    def requests_for_guild(
        self, guild: Guild | str | int, method: str | None = None, route: str | None = None
    ) -> list[RequestLog]:
        """Logged requests about one server (its channels and messages, its commands, the server itself, and
        interactions from it), filtered like `requests`."""
        guild_id = self._guild(guild).id
        return [r for r in self.requests(method, route) if r.guild_id == guild_id]

    def missing_access(self, guild: Guild | str | int | None = None) -> list[RequestLog]:
        """Requests answered 403 50001 because the bot was not in the server (of one server, if given)."""
        return [r for r in (self.requests_for_guild(guild) if guild is not None else self.rest.log) if r.bot_absent]

    @property
    def rate_limited(self) -> int:
        """How many requests the fake answered 429 (from faults or the global limit)."""
        return sum(r.status == 429 for r in self.rest.log)

    def peak_per_second(self, method: str | None = None, route: str | None = None, *, status: int | None = None) -> int:
        """The most logged requests (of `method`, matching `route`: a pattern like "/channels/{id}/messages"
        or a spec template, and answered `status` if given) that arrived within any 1-second window."""
        regex = compile_pattern(route) if route is not None else None
        return peak_count(
            r.received_at
            for r in self.rest.log
            if (method is None or r.method == method.upper())
            and (regex is None or regex.match(r.path))
            and (status is None or r.status == status)
        )

    def command_names(self, guild: Guild | None = None) -> list[str]:
        """Slash commands a user sees: global ones, plus `guild`'s own."""
        return self.commands.names(guild.id if guild else None)
