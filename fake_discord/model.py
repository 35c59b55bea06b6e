"""The fake Discord's world: users, guilds, roles, channels and members, and their JSON payloads.

Payload shapes follow Discord's API v10 objects closely enough for discord.py 2.7 to parse them.
Permissions are computed the way Discord does (base from roles, then channel overwrites).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

Json = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000
WORLD_EPOCH_MS = 1_704_067_200_000  # 2024-01-01: the test servers and their members were made then
OWNER_ID = ((WORLD_EPOCH_MS - DISCORD_EPOCH_MS) << 22) | 0x3FFFFF


class Perm:
    """Permission bits (https://discord.com/developers/docs/topics/permissions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38
    ALL = (1 << 51) - 1

    EVERYONE_DEFAULT = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS
    )
    BOT_DEFAULT = (
        VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | ADD_REACTIONS
        | USE_EXTERNAL_EMOJIS
        | SEND_MESSAGES_IN_THREADS
    )
    # What an app may do where it is not a guild member (DMs, user-installed contexts).
    DM_APP = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | ADD_REACTIONS


class Intent:
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    MESSAGE_CONTENT = 1 << 15
    PRIVILEGED: ClassVar[dict[int, str]] = {
        GUILD_MEMBERS: "GUILD_MEMBERS",
        GUILD_PRESENCES: "GUILD_PRESENCES",
        MESSAGE_CONTENT: "MESSAGE_CONTENT",
    }


class ChannelType:
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GROUP_DM = 3
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5


class Snowflakes:
    """Snowflake ids: fixed-time ones for the world, current-time ones for what happens in a test.

    discord.py derives `created_at` (and so an interaction's expiry) from the id, so runtime ids carry the
    real time."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def at(self, unix_ms: int) -> int:
        return ((unix_ms - DISCORD_EPOCH_MS) << 22) | (next(self._counter) & 0x3FFFFF)

    def world(self) -> int:
        return self.at(WORLD_EPOCH_MS)

    def now(self) -> int:
        return self.at(int(time.time() * 1000))


def iso(unix_ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(unix_ms / 1000)) + f".{unix_ms % 1000:03d}000+00:00"


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def payload(self) -> Json:
        data: Json = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    managed_by_bot: int | None = None

    def payload(self) -> Json:
        data: Json = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed_by_bot is not None,
            "mentionable": False,
            "flags": 0,
        }
        if self.managed_by_bot is not None:
            data["tags"] = {"bot_id": str(self.managed_by_bot)}
        return data


@dataclass
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0

    def payload(self) -> Json:
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class Channel:
    id: int
    name: str
    guild_id: int | None
    type: int = ChannelType.GUILD_TEXT
    position: int = 0
    overwrites: list[Overwrite] = field(default_factory=list, repr=False)
    recipients: list[User] = field(default_factory=list, repr=False)  # DMs only

    def payload(self) -> Json:
        if self.guild_id is None:
            return {
                "id": str(self.id),
                "type": self.type,
                "last_message_id": None,
                "flags": 0,
                "recipients": [user.payload() for user in self.recipients],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"


@dataclass
class Member:
    user: User
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> Json:
        data: Json = {
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": iso(WORLD_EPOCH_MS),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: list[Role] = field(default_factory=list, repr=False)
    channels: list[Channel] = field(default_factory=list, repr=False)
    members: dict[int, Member] = field(default_factory=dict, repr=False)
    has_bot: bool = True  # False once the bot was removed (FakeDiscord.remove_bot)
    unavailable: bool = False  # an outage: the bot is still a member (FakeDiscord.guild_outage)
    preferred_locale: str = "en-US"  # the server's language in its settings (a new session's GUILD_CREATE has it)

    @property
    def everyone(self) -> Role:
        return next(role for role in self.roles if role.id == self.id)

    def channel(self, name_or_id: str | int) -> Channel:
        for channel in self.channels:
            if name_or_id in (channel.name, channel.id):
                return channel
        raise KeyError(f"guild {self.name!r} has no channel {name_or_id!r}")

    def role(self, name_or_id: str | int) -> Role:
        for role in self.roles:
            if name_or_id in (role.name, role.id):
                return role
        raise KeyError(f"guild {self.name!r} has no role {name_or_id!r}")

    def base_permissions(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return Perm.ALL
        member = self.members[user_id]
        perms = self.everyone.permissions
        for role in self.roles:
            if role.id in member.role_ids:
                perms |= role.permissions
        return Perm.ALL if perms & Perm.ADMINISTRATOR else perms

    def permissions_in(self, channel: Channel, user_id: int) -> int:
        """Discord's algorithm: base permissions, then @everyone, role and member overwrites."""
        perms = self.base_permissions(user_id)
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        member = self.members[user_id]
        by_id = {o.id: o for o in channel.overwrites}
        if everyone := by_id.get(self.id):
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in member.role_ids:
            if overwrite := by_id.get(role_id):
                allow, deny = allow | overwrite.allow, deny | overwrite.deny
        perms = (perms & ~deny) | allow
        if own := by_id.get(user_id):
            perms = (perms & ~own.deny) | own.allow
        return perms

    def payload(self, *, bot_id: int, with_all_members: bool) -> Json:
        members = self.members.values() if with_all_members else [self.members[bot_id]]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.preferred_locale,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "application_id": None,
            "features": [],
            "max_members": 500000,
            "max_video_channel_users": 25,
            "premium_progress_bar_enabled": False,
            "incidents_data": None,
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "joined_at": iso(WORLD_EPOCH_MS),
            "roles": [role.payload() for role in self.roles],
            "emojis": [],
            "stickers": [],
            "channels": [channel.payload() for channel in self.channels],
            "members": [member.payload() for member in members],
            "voice_states": [],
            "presences": [],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass(frozen=True)
class FakeFile:
    """A file a user attaches to a command's option (type 11): the fake serves its bytes at its url."""

    filename: str
    data: bytes
    content_type: str = "text/plain; charset=utf-8"


@dataclass
class World:
    """Everything the fake knows about: the bot's user, guilds, users, DM channels."""

    bot: User
    owner: User  # owns every test server (and so has every permission there)
    users: dict[int, User] = field(default_factory=dict, repr=False)
    guilds: list[Guild] = field(default_factory=list)
    dm_channels: dict[int, Channel] = field(default_factory=dict, repr=False)  # by the other user's id
    ids: Snowflakes = field(default_factory=Snowflakes, repr=False)
    attachments: dict[int, FakeFile] = field(default_factory=dict, repr=False)  # files users sent, by id

    def user(self, name_or_id: str | int) -> User:
        for user in self.users.values():
            if name_or_id in (user.username, user.id):
                return user
        raise KeyError(f"no user {name_or_id!r}; known: {sorted(u.username for u in self.users.values())}")

    def guild(self, name_or_id: str | int) -> Guild:
        for guild in self.guilds:
            if name_or_id in (guild.name, guild.id):
                return guild
        raise KeyError(f"no guild {name_or_id!r}")

    def bot_guilds(self) -> list[Guild]:
        """The servers the bot is a member of (in an outage or not)."""
        return [guild for guild in self.guilds if guild.has_bot]

    def find_channel(self, channel_id: int) -> tuple[Guild | None, Channel] | None:
        for guild in self.guilds:
            for channel in guild.channels:
                if channel.id == channel_id:
                    return guild, channel
        for channel in self.dm_channels.values():
            if channel.id == channel_id:
                return None, channel
        return None

    def dm_with(self, user: User) -> Channel:
        if user.id not in self.dm_channels:
            self.dm_channels[user.id] = Channel(self.ids.world(), "", None, type=ChannelType.DM, recipients=[user])
        return self.dm_channels[user.id]

    def add_user(self, username: str, global_name: str | None = None) -> User:
        user = User(self.ids.world(), username, global_name or username.title())
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, channels: tuple[str, ...] = ("general",)) -> Guild:
        # A millisecond apart: the timestamp is what picks a server's shard ((id >> 22) % shards), so servers
        # made one after another fall on shard after shard, as real servers spread over them.
        guild_id = self.ids.at(WORLD_EPOCH_MS + len(self.guilds))
        everyone = Role(guild_id, "@everyone", Perm.EVERYONE_DEFAULT)
        bot_role = Role(self.ids.world(), self.bot.username, Perm.BOT_DEFAULT, position=2, managed_by_bot=self.bot.id)
        admins = Role(self.ids.world(), "Server Admins", Perm.MANAGE_GUILD | Perm.MANAGE_MESSAGES, position=1)
        guild = Guild(guild_id, name, owner_id=self.owner.id, roles=[everyone, admins, bot_role])
        guild.members[self.bot.id] = Member(self.bot, [bot_role.id])
        guild.members[self.owner.id] = Member(self.owner)
        for position, channel_name in enumerate(channels):
            guild.channels.append(Channel(self.ids.world(), channel_name, guild_id, position=position))
        self.guilds.append(guild)
        return guild

    def add_guilds(self, count: int, *, prefix: str = "Server") -> list[Guild]:
        """`count` more servers ("Server 1", "Server 2"... numbered on from earlier ones with this prefix), each
        with #general and #trivia and an admin with Manage Server (user "server1-admin" and so on): a world
        of many servers for scale tests, cheap to build."""
        start = sum(guild.name.startswith(prefix + " ") for guild in self.guilds) + 1
        slug = prefix.lower().replace(" ", "-")
        made = []
        for number in range(start, start + count):
            guild = self.add_guild(f"{prefix} {number}", channels=("general", "trivia"))
            self.add_member(guild, self.add_user(f"{slug}{number}-admin"), manage_guild=True)
            made.append(guild)
        return made

    def add_member(self, guild: Guild, user: User, *, manage_guild: bool = False) -> Member:
        role_ids = [guild.role("Server Admins").id] if manage_guild else []
        member = Member(user, role_ids)
        guild.members[user.id] = member
        return member


def default_world(app_id: int) -> World:
    """Two servers: "K-Drama Fans" (alice has Manage Server; bob and carol are fans) and "Drama Club"
    (erin has Manage Server; dave and alice are fans). In #announcements the bot may not send messages."""
    bot = User(app_id, "Perfect Moments", None, bot=True)
    world = World(bot=bot, owner=User(OWNER_ID, "owner", "Server Owner"))
    world.users.update({bot.id: bot, world.owner.id: world.owner})
    for name in ("alice", "bob", "carol", "dave", "erin"):
        world.add_user(name)
    fans = world.add_guild("K-Drama Fans", channels=("general", "trivia", "announcements"))
    club = world.add_guild("Drama Club", channels=("general", "trivia"))
    bot_role = fans.role(world.bot.username)
    fans.channel("announcements").overwrites.append(Overwrite(bot_role.id, 0, deny=Perm.SEND_MESSAGES))
    world.add_member(fans, world.user("alice"), manage_guild=True)
    world.add_member(fans, world.user("bob"))
    world.add_member(fans, world.user("carol"))
    world.add_member(club, world.user("erin"), manage_guild=True)
    world.add_member(club, world.user("dave"))
    world.add_member(club, world.user("alice"))
    return world
