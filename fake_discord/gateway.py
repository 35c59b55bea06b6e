"""The fake gateway: a JSON websocket speaking Discord's v10 gateway protocol (plain text frames).

HELLO -> IDENTIFY -> READY + GUILD_CREATE, heartbeats with a slightly delayed ACK, RESUME with replay, and
INVALID_SESSION. Sessions outlive their sockets so a dropped connection can be resumed.

Sharding as Discord does it: a session IDENTIFYs with `shard: [shard_id, num_shards]` and is told only of the
servers of its shard, `(guild_id >> 22) % num_shards` (READY, GUILD_CREATE, their events and interactions);
DMs go to shard 0. An unsharded session gets everything. With `require_sharding`, an IDENTIFY without a shard,
or with fewer shards than the fake's count, is closed with 4011; a shard that makes no sense with 4010.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .model import Guild, Intent, Json
from .violations import Violation

if TYPE_CHECKING:
    from .server import FakeDiscord

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11
ACK_DELAY = 0.005  # an instant ACK makes discord.py's keep-alive think the socket is behind
CLIENT_CLOSE_ENDS_SESSION = (1000, 1001)  # a clean close by the client ends its session, as on Discord
CLOSE_ENDS_SESSION = (4007, 4009)  # invalid seq, session timed out: the session cannot be resumed
# Closes a client must not retry (discord.py raises ConnectionClosed, or PrivilegedIntentsRequired for 4014).
FATAL_CLOSES = {
    4004: "Authentication failed",
    4010: "Invalid shard",
    4011: "Sharding required",
    4012: "Invalid API version",
    4013: "Invalid intent(s)",
    4014: "Disallowed intent(s)",
}


@dataclass
class Session:
    id: str
    intents: int
    seq: int = 0
    events: list[tuple[int, str]] = field(default_factory=list, repr=False)  # (seq, JSON) kept for replay
    socket: web.WebSocketResponse | None = field(default=None, repr=False)
    invalid: bool = False
    last_active: int = 0  # order in which sessions were (re)attached
    guild_ids: set[int] = field(default_factory=set, repr=False)  # the servers it was told of (READY, joins)
    shard: tuple[int, int] | None = None  # (shard_id, num_shards) from IDENTIFY; None: unsharded, gets everything

    def owns(self, guild_id: int | None) -> bool:
        """Whether this session gets the server's events (None: a DM, which goes to shard 0)."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return ((guild_id or 0) >> 22) % count == shard_id


@dataclass
class GatewayStats:
    connections: int = 0
    identifies: int = 0
    resumes: int = 0
    rejected_resumes: int = 0  # answered INVALID_SESSION (the session had ended)
    refused_identifies: int = 0  # closed on purpose (FakeDiscord.refuse_identify)
    refused_connections: int = 0  # answered 503 without a socket (FakeDiscord.refuse_gateway)
    shards: list[tuple[int, int] | None] = field(default_factory=list)  # the shard of each accepted IDENTIFY
    heartbeats: int = 0
    intents: list[int] = field(default_factory=list)


class Gateway:
    def __init__(self, fake: FakeDiscord, *, heartbeat_interval_ms: int) -> None:
        self.fake = fake
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        self.stats = GatewayStats()
        self.sockets: dict[web.WebSocketResponse, asyncio.Transport | None] = {}  # socket -> its TCP transport
        self._closed_by_fake: set[web.WebSocketResponse] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._attach_counter = 0
        self.refuse_code: int | None = None  # close every IDENTIFY with this code (FakeDiscord.refuse_identify)
        self.refuse_connections = False  # answer every connection 503 (FakeDiscord.refuse_gateway)
        self.unheld = asyncio.Event()  # cleared: connections wait, unanswered, until it is set (refuse_gateway)
        self.unheld.set()

    # --- serving ----------------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.refuse_connections:
            self.stats.refused_connections += 1
            self.fake.changed()
            await self.unheld.wait()
            return web.Response(status=503, text="fake-discord: the gateway refuses connections on purpose")
        query = request.rel_url.query
        # compress=False: no permessage-deflate (discord.py does not ask for it); close waits at most 2 s.
        socket = web.WebSocketResponse(max_msg_size=0, autoping=True, compress=False, timeout=2.0)
        await socket.prepare(request)
        self.sockets[socket] = request.transport
        self.stats.connections += 1
        try:
            if query.get("v") != "10" or query.get("encoding", "json") != "json":
                self._record(
                    "gateway",
                    f"connected with v={query.get('v')} encoding={query.get('encoding')}; the fake speaks v10 JSON",
                )
                await socket.close(code=4012, message=b"Invalid API version")
                return socket
            await self._serve(socket)
        finally:
            self._detach(socket)
            self.sockets.pop(socket, None)
            self._closed_by_fake.discard(socket)
            self.fake.changed()
        return socket

    async def _serve(self, socket: web.WebSocketResponse) -> None:
        await self._send(
            socket, {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fake-discord"]}}
        )
        session: Session | None = None
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                await socket.close(code=4002, message=b"Error while decoding payload")
                return
            payload = json.loads(message.data)
            session = await self._on_payload(socket, session, payload)
            self.fake.changed()

    async def _on_payload(
        self, socket: web.WebSocketResponse, session: Session | None, payload: Json
    ) -> Session | None:
        op = payload.get("op")
        data: Any = payload.get("d")
        if op == HEARTBEAT:
            self.stats.heartbeats += 1
            self._spawn(self._ack_later(socket))
        elif op == IDENTIFY:
            return await self._identify(socket, session, data)
        elif op == RESUME:
            return await self._resume(socket, data)
        elif op == REQUEST_MEMBERS and session is not None:
            await self._members_chunk(session, data)
        elif op in (PRESENCE, VOICE_STATE):
            pass
        else:
            self._record("gateway", f"unknown or unexpected opcode {op}")
            await socket.close(code=4001, message=b"Unknown opcode")
        return session

    async def _ack_later(self, socket: web.WebSocketResponse) -> None:
        await asyncio.sleep(ACK_DELAY)
        await self._send(socket, {"op": HEARTBEAT_ACK})

    # --- identify and resume ------------------------------------------------------------------------------

    async def _identify(self, socket: web.WebSocketResponse, current: Session | None, data: Json) -> Session | None:
        if current is not None:
            await socket.close(code=4005, message=b"Already authenticated")
            return current
        if data.get("token") != self.fake.token:
            self._record("gateway", "IDENTIFY with a wrong token")
            await socket.close(code=4004, message=b"Authentication failed")
            return None
        if self.fake.token_revoked:
            self.stats.refused_identifies += 1
            await socket.close(code=4004, message=b"Authentication failed")
            return None
        if self.refuse_code is not None:
            self.stats.refused_identifies += 1
            reason = FATAL_CLOSES.get(self.refuse_code, "refused by fake-discord")
            await socket.close(code=self.refuse_code, message=reason.encode())
            return None
        shard, refusal = self._shard(data.get("shard"))
        if refusal is not None:
            await socket.close(code=refusal, message=FATAL_CLOSES[refusal].encode())
            return None
        intents = int(data.get("intents", 0))
        self._check_intents(intents)
        self.stats.identifies += 1
        self.stats.intents.append(intents)
        self.stats.shards.append(shard)
        session = Session(id=secrets.token_hex(16), intents=intents, shard=shard)
        self.sessions[session.id] = session
        await self._ready(session, socket, shard=data.get("shard"))
        self._attach(session, socket)  # only now may other events (interactions) go to it
        return session

    def _shard(self, value: Any) -> tuple[tuple[int, int] | None, int | None]:
        """IDENTIFY's `shard`: ((shard_id, num_shards) or None, the close code refusing it or None)."""
        if value is None:
            return None, (4011 if self.fake.require_sharding and self.fake.shards > 1 else None)
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            or not 0 <= value[0] < value[1]
        ):
            self._record("gateway", f"IDENTIFY with an invalid shard {value!r}")
            return None, 4010
        if self.fake.require_sharding and value[1] < self.fake.shards:
            return None, 4011
        return (value[0], value[1]), None

    def _check_intents(self, intents: int) -> None:
        for bit, name in Intent.PRIVILEGED.items():
            if intents & bit:
                self._record(
                    "privileged_intent",
                    f"IDENTIFY asked for the privileged intent {name} (1 << "
                    f"{bit.bit_length() - 1}); the bot needs none of them",
                )

    async def _ready(self, session: Session, socket: web.WebSocketResponse, shard: Any) -> None:
        """READY lists the bot's servers as unavailable; a GUILD_CREATE follows for each not in an outage."""
        world = self.fake.world
        guilds = [guild for guild in world.bot_guilds() if session.owns(guild.id)]
        session.guild_ids = {guild.id for guild in guilds}
        ready: Json = {
            "v": 10,
            "user": world.bot.payload(),
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.fake.gateway_url,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "application": {"id": str(self.fake.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "auth": {},
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "_trace": ["fake-discord"],
        }
        if shard is not None:
            ready["shard"] = shard
        await self._send_text(socket, self._queue(session, "READY", ready))
        if session.intents & Intent.GUILDS:
            for guild in guilds:
                if not guild.unavailable:
                    await self._send_text(
                        socket, self._queue(session, "GUILD_CREATE", self._guild_create(session, guild))
                    )

    def _guild_create(self, session: Session, guild: Guild) -> Json:
        return guild.payload(
            bot_id=self.fake.world.bot.id, with_all_members=bool(session.intents & Intent.GUILD_MEMBERS)
        )

    async def _resume(self, socket: web.WebSocketResponse, data: Json) -> Session | None:
        if data.get("token") != self.fake.token:
            self._record("gateway", "RESUME with a wrong token")
            await socket.close(code=4004, message=b"Authentication failed")
            return None
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or session.invalid:
            self.stats.rejected_resumes += 1
            await self._send(socket, {"op": INVALID_SESSION, "d": False})
            return None
        self.stats.resumes += 1
        session.socket = None  # the old socket may not have been noticed closed yet
        since, index = int(data.get("seq") or 0), 0
        while index < len(session.events):  # also replays what is queued during the replay
            seq, text = session.events[index]
            index += 1
            if seq > since:
                await self._send_text(socket, text)
        self._attach(session, socket)
        await self.send_event(session, "RESUMED", {"_trace": ["fake-discord"]})
        return session

    async def _members_chunk(self, session: Session, data: Json) -> None:
        guild = self.fake.world.guild(int(data["guild_id"]))
        members = [m.payload() for m in guild.members.values()]
        await self.send_event(
            session,
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": str(guild.id),
                "members": members,
                "chunk_index": 0,
                "chunk_count": 1,
                "nonce": data.get("nonce"),
            },
        )

    def _attach(self, session: Session, socket: web.WebSocketResponse) -> None:
        self._attach_counter += 1
        session.socket = socket
        session.last_active = self._attach_counter

    def _detach(self, socket: web.WebSocketResponse) -> None:
        for session in self.sessions.values():
            if session.socket is socket:
                session.socket = None
                if socket.close_code in CLIENT_CLOSE_ENDS_SESSION and socket not in self._closed_by_fake:
                    session.invalid = True

    # --- sending --------------------------------------------------------------------------------------------

    async def send_event(self, session: Session, event: str, data: Json) -> None:
        """Queue a dispatch on the session (kept for replay) and send it if the session is connected."""
        text = self._queue(session, event, data)
        if session.socket is not None:
            await self._send_text(session.socket, text)

    @staticmethod
    def _queue(session: Session, event: str, data: Json) -> str:
        session.seq += 1
        text = json.dumps({"op": DISPATCH, "t": event, "s": session.seq, "d": data})
        session.events.append((session.seq, text))
        return text

    def current_session(self, guild_id: int | None = None) -> Session | None:
        """The session a server's interactions go to (`guild_id` None: a DM's, shard 0): of the valid sessions
        of its shard, the most recently identified or resumed."""
        live = [s for s in self.sessions.values() if not s.invalid and s.owns(guild_id)]
        return max(live, key=lambda s: s.last_active, default=None)

    def connected_session(self, guild_id: int | None = None) -> Session | None:
        session = self.current_session(guild_id)
        return session if session is not None and session.socket is not None else None

    def connected_shards(self) -> set[int]:
        """The shard ids with a connected session (0 for an unsharded one)."""
        return {(s.shard or (0, 1))[0] for s in self.sessions.values() if not s.invalid and s.socket is not None}

    async def dispatch(self, event: str, data: Json) -> None:
        """Send an event to every valid session of its server's shard (for world changes such as CHANNEL_DELETE;
        an event without a `guild_id` goes to every session)."""
        guild_id = int(data["guild_id"]) if data.get("guild_id") else None
        for session in list(self.sessions.values()):
            if not session.invalid and (guild_id is None or session.owns(guild_id)):
                await self.send_event(session, event, data)

    def _guild_sessions(self, guild_id: int | None = None, joining: int | None = None) -> list[Session]:
        """Valid sessions that get server events (GUILDS intent), and were told of `guild_id` if given, or
        else own the server `joining`."""
        return [
            s
            for s in list(self.sessions.values())
            if not s.invalid
            and s.intents & Intent.GUILDS
            and (guild_id in s.guild_ids if guild_id is not None else s.owns(joining))
        ]

    async def guild_delete(self, guild: Guild, *, unavailable: bool) -> None:
        """GUILD_DELETE to the sessions that have the server: with `unavailable` an outage, without it the bot
        was removed (and those sessions no longer have it)."""
        data: Json = {"id": str(guild.id), "unavailable": True} if unavailable else {"id": str(guild.id)}
        for session in self._guild_sessions(guild.id):
            if not unavailable:
                session.guild_ids.discard(guild.id)
            await self.send_event(session, "GUILD_DELETE", data)

    async def guild_create(self, guild: Guild, *, joined: bool) -> None:
        """GUILD_CREATE with the full server: to every session when the bot `joined` (no `unavailable` key, so
        discord.py fires on_guild_join), else to those that have it (`unavailable: false`: on_guild_available)."""
        for session in self._guild_sessions(None if joined else guild.id, joining=guild.id):
            payload = self._guild_create(session, guild)
            if joined:
                del payload["unavailable"]
                session.guild_ids.add(guild.id)
            await self.send_event(session, "GUILD_CREATE", payload)

    async def _send(self, socket: web.WebSocketResponse, payload: Json) -> None:
        await self._send_text(socket, json.dumps(payload))

    @staticmethod
    async def _send_text(socket: web.WebSocketResponse, text: str) -> None:
        if socket.closed:
            return
        with contextlib.suppress(ConnectionResetError, RuntimeError):  # gone: the session keeps it for a resume
            await socket.send_str(text)

    # --- faults ---------------------------------------------------------------------------------------------

    async def drop(self, *, code: int = 4000, abrupt: bool = False) -> None:
        """Close the current session's socket. Codes 4007/4009 also end the session (not resumable)."""
        session = self.connected_session()
        if session is None or session.socket is None:
            raise AssertionError("no bot is connected to the fake gateway")
        socket = session.socket
        if code in CLOSE_ENDS_SESSION:
            session.invalid = True
        self._closed_by_fake.add(socket)
        session.socket = None
        transport = self.sockets.get(socket)
        if abrupt and transport is not None:
            transport.abort()
        else:
            await socket.close(code=code, message=b"fake-discord: dropped on purpose")

    async def invalidate(self, *, resumable: bool) -> None:
        """Send INVALID_SESSION: d=true lets the client RESUME, d=false makes it IDENTIFY again."""
        session = self.connected_session()
        if session is None or session.socket is None:
            raise AssertionError("no bot is connected to the fake gateway")
        if not resumable:
            session.invalid = True
        await self._send(session.socket, {"op": INVALID_SESSION, "d": resumable})

    async def request_reconnect(self) -> None:
        session = self.connected_session()
        if session is None or session.socket is None:
            raise AssertionError("no bot is connected to the fake gateway")
        await self._send(session.socket, {"op": RECONNECT, "d": None})

    async def close(self) -> None:
        self.unheld.set()
        for task in list(self._tasks):
            task.cancel()
        for socket in list(self.sockets):
            self._closed_by_fake.add(socket)
            await socket.close(code=1001, message=b"fake-discord shutting down")

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _record(self, kind: str, summary: str) -> None:
        self.fake.violations.record(Violation(kind, summary, route="gateway"))
