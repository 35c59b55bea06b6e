"""REST routes for the bot's identity, the gateway address, application commands, channels, messages, guilds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .commands import RegisteredCommand
from .limits import Problem, check_command, check_commands, check_message, is_empty_message
from .messages import FakeMessage
from .model import Channel, Guild, Perm
from .rest import ApiError, ApiRequest, RestApi
from .violations import Violation

if TYPE_CHECKING:
    from .server import FakeDiscord

COMMANDS = "/applications/{application_id}/commands"
GUILD_COMMANDS = "/applications/{application_id}/guilds/{guild_id}/commands"
MESSAGES = "/channels/{channel_id}/messages"
MESSAGE = MESSAGES + "/{message_id}"


def require_bot(guild: Guild, request: ApiRequest) -> Guild:
    """Discord answers 403 Missing Access for a server the bot is not in (it was removed); marked in the log."""
    if not guild.has_bot:
        request.bot_absent = True
        raise ApiError(403, 50001, "Missing Access")
    return guild


class CoreRoutes:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def install(self, api: RestApi) -> None:
        api.add("GET", "/users/@me", self.me)
        api.add("GET", "/oauth2/applications/@me", self.application)
        api.add("GET", "/applications/@me", self.application)
        api.add("GET", "/gateway", self.gateway, auth=False)
        api.add("GET", "/gateway/bot", self.gateway)
        api.add("GET", "/channels/{channel_id}", self.get_channel)
        api.add("GET", MESSAGES, self.list_messages)
        api.add("POST", MESSAGES, self.create_message, check=lambda r: check_message(r.body))
        api.add("GET", MESSAGE, self.get_message)
        api.add("PATCH", MESSAGE, self.edit_message, check=lambda r: check_message(r.body))
        api.add("DELETE", MESSAGE, self.delete_message)
        api.add("POST", "/users/@me/channels", self.open_dm)
        api.add("GET", "/users/{user_id}", self.get_user)
        api.add("GET", "/guilds/{guild_id}", self.get_guild)
        api.add("GET", "/guilds/{guild_id}/channels", self.guild_channels)
        api.add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)

    # --- identity ---------------------------------------------------------------------------------------------

    async def me(self, request: ApiRequest) -> Any:
        return self.fake.world.bot.payload()

    async def application(self, request: ApiRequest) -> Any:
        bot = self.fake.world.bot
        return {
            "id": str(self.fake.application_id),
            "name": bot.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": bot.payload(),
            "owner": self.fake.world.owner.payload(),
            "team": None,
            "rpc_origins": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "approximate_guild_count": len(self.fake.world.bot_guilds()),
            "integration_types_config": {"0": {}, "1": {}},
            "hook": True,
        }

    async def gateway(self, request: ApiRequest) -> Any:
        data: dict[str, Any] = {"url": self.fake.gateway_url.rstrip("/")}
        if request.route == "/gateway/bot":
            data.update(
                shards=self.fake.shards,
                session_start_limit={"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            )
        return data

    # --- channels and messages ----------------------------------------------------------------------------------

    async def get_channel(self, request: ApiRequest) -> Any:
        return self._visible_channel(request)[1].payload()

    async def list_messages(self, request: ApiRequest) -> Any:
        channel = self._visible_channel(request)[1]
        limit = min(int(request.query.get("limit", "50")), 100)
        messages = sorted(self.fake.messages.in_channel(channel.id), key=lambda m: m.id, reverse=True)
        return [m.payload() for m in messages[:limit]]

    async def create_message(self, request: ApiRequest) -> Any:
        guild, channel = self._visible_channel(request)
        if guild is not None and not guild.permissions_in(channel, self.fake.world.bot.id) & Perm.SEND_MESSAGES:
            raise ApiError(403, 50013, "Missing Permissions")
        body = request.body if isinstance(request.body, dict) else {}
        if is_empty_message(body, has_files=bool(request.files)):
            raise ApiError(
                400,
                50006,
                "Cannot send an empty message",
                violation=Violation("invalid_request", f"an empty message to #{channel.name}", request.label),
            )
        return self.fake.post_channel_message(channel, body).payload()

    async def get_message(self, request: ApiRequest) -> Any:
        return self._channel_message(request).payload()

    async def edit_message(self, request: ApiRequest) -> Any:
        message = self._channel_message(request)
        if message.author.id != self.fake.world.bot.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        self.fake.edit_message(message, request.body if isinstance(request.body, dict) else {})
        return message.payload()

    async def delete_message(self, request: ApiRequest) -> Any:
        self.fake.delete_message(self._channel_message(request))
        return None

    def _visible_channel(self, request: ApiRequest) -> tuple[Guild | None, Channel]:
        found = self.fake.world.find_channel(request.snowflake("channel_id"))
        if found is None:
            raise ApiError(404, 10003, "Unknown Channel")
        guild, channel = found
        if guild is not None:
            require_bot(guild, request)
        if guild is not None and not guild.permissions_in(channel, self.fake.world.bot.id) & Perm.VIEW_CHANNEL:
            raise ApiError(403, 50001, "Missing Access")
        return guild, channel

    def _channel_message(self, request: ApiRequest) -> FakeMessage:
        channel = self._visible_channel(request)[1]
        message = self.fake.messages.get(request.snowflake("message_id"))
        if message is None or message.channel_id != channel.id or message.deleted or message.ephemeral:
            raise ApiError(404, 10008, "Unknown Message")
        return message

    async def get_user(self, request: ApiRequest) -> Any:
        user = self.fake.world.users.get(request.snowflake("user_id"))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return user.payload()

    async def open_dm(self, request: ApiRequest) -> Any:
        recipient = int((request.body or {}).get("recipient_id", 0))
        if recipient not in self.fake.world.users:
            raise ApiError(400, 50035, "Invalid Form Body")
        return self.fake.world.dm_with(self.fake.world.users[recipient]).payload()

    # --- guilds -------------------------------------------------------------------------------------------------

    def _guild(self, request: ApiRequest) -> Guild:
        try:
            guild = self.fake.world.guild(request.snowflake("guild_id"))
        except KeyError:
            raise ApiError(404, 10004, "Unknown Guild") from None
        return require_bot(guild, request)

    async def get_guild(self, request: ApiRequest) -> Any:
        guild = self._guild(request)
        data = guild.payload(bot_id=self.fake.world.bot.id, with_all_members=False)
        for key in ("members", "channels", "voice_states", "presences", "threads"):
            data.pop(key, None)
        return data

    async def guild_channels(self, request: ApiRequest) -> Any:
        return [channel.payload() for channel in self._guild(request).channels]

    async def get_member(self, request: ApiRequest) -> Any:
        member = self._guild(request).members.get(request.snowflake("user_id"))
        if member is None:
            raise ApiError(404, 10007, "Unknown Member")
        return member.payload()


class CommandRoutes:
    """Command sync. The registry lives on the fake, so commands survive a bot restart within a test."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def install(self, api: RestApi) -> None:
        for template in (COMMANDS, GUILD_COMMANDS):
            api.add("GET", template, self.listing)
            api.add("PUT", template, self.overwrite, check=lambda r: check_commands(r.body))
            api.add("POST", template, self.create, check=self.check_one)
            api.add("GET", template + "/{command_id}", self.get_one)
            api.add("PATCH", template + "/{command_id}", self.edit_one, check=self.check_one)
            api.add("DELETE", template + "/{command_id}", self.delete_one)

    @staticmethod
    def check_one(request: ApiRequest) -> list[Problem]:
        return check_command(request.body) if isinstance(request.body, dict) else []

    def _scope(self, request: ApiRequest) -> int | None:
        if request.params["application_id"] != str(self.fake.application_id):
            raise ApiError(403, 50001, "Missing Access")
        if "guild_id" not in request.params:
            return None
        guild_id = request.snowflake("guild_id")
        guild = next((g for g in self.fake.world.guilds if g.id == guild_id), None)
        if guild is None:
            raise ApiError(403, 50001, "Missing Access")
        return require_bot(guild, request).id

    async def listing(self, request: ApiRequest) -> Any:
        return [c.payload() for c in self.fake.commands.listing(self._scope(request))]

    async def overwrite(self, request: ApiRequest) -> Any:
        commands = self.fake.commands.overwrite(self._scope(request), request.body or [])
        return [c.payload() for c in commands]

    async def create(self, request: ApiRequest) -> Any:
        return self.fake.commands.upsert(self._scope(request), request.body).payload()

    def _one(self, request: ApiRequest) -> RegisteredCommand:
        command = self.fake.commands.get(self._scope(request), request.snowflake("command_id"))
        if command is None:
            raise ApiError(404, 10063, "Unknown application command")
        return command

    async def get_one(self, request: ApiRequest) -> Any:
        return self._one(request).payload()

    async def edit_one(self, request: ApiRequest) -> Any:
        return self.fake.commands.edit(self._one(request), request.body or {}).payload()

    async def delete_one(self, request: ApiRequest) -> Any:
        command = self._one(request)
        self.fake.commands.delete(command.guild_id, command.id)
        return None
