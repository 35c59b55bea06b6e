"""The application commands the bot registered, kept across bot restarts for the life of one fake."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Json, Snowflakes

GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2
GUILD_INSTALL, USER_INSTALL = 0, 1
CHAT_INPUT = 1


@dataclass
class RegisteredCommand:
    id: int
    application_id: int
    guild_id: int | None
    body: Json
    version: int

    @property
    def name(self) -> str:
        return str(self.body.get("name", ""))

    @property
    def type(self) -> int:
        return int(self.body.get("type") or CHAT_INPUT)

    @property
    def options(self) -> list[Json]:
        return list(self.body.get("options") or [])

    @property
    def default_member_permissions(self) -> int | None:
        value = self.body.get("default_member_permissions")
        return None if value is None else int(value)

    def allowed_contexts(self) -> set[int]:
        """Where Discord's client offers the command (guild commands: only their guild)."""
        if self.guild_id is not None:
            return {GUILD}
        contexts = self.body.get("contexts")
        if contexts is None:
            contexts = [GUILD, PRIVATE_CHANNEL] + ([] if self.body.get("dm_permission") is False else [BOT_DM])
        installs = self.body.get("integration_types") or [GUILD_INSTALL]
        if USER_INSTALL not in installs:
            contexts = [c for c in contexts if c != PRIVATE_CHANNEL]
        return set(contexts)

    def payload(self) -> Json:
        permissions = self.default_member_permissions
        data: Json = {
            "id": str(self.id),
            "application_id": str(self.application_id),
            "version": str(self.version),
            "type": self.type,
            "name": self.name,
            "name_localizations": self.body.get("name_localizations"),
            "description": self.body.get("description", ""),
            "description_localizations": self.body.get("description_localizations"),
            "default_member_permissions": None if permissions is None else str(permissions),
            "dm_permission": self.body.get("dm_permission", True) if self.guild_id is None else None,
            "contexts": self.body.get("contexts") if self.guild_id is None else None,
            "integration_types": self.body.get("integration_types") or [GUILD_INSTALL],
            "nsfw": bool(self.body.get("nsfw")),
            "options": copy.deepcopy(self.options),
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        return data


class CommandRegistry:
    """Global commands (scope None) and per-guild commands (scope = guild id)."""

    def __init__(self, ids: Snowflakes, application_id: int) -> None:
        self._ids = ids
        self.application_id = application_id
        self._scopes: dict[int | None, dict[tuple[int, str], RegisteredCommand]] = {}
        self.bulk_overwrites: list[int | None] = []  # one entry (the scope) per PUT

    def listing(self, scope: int | None) -> list[RegisteredCommand]:
        return list(self._scopes.get(scope, {}).values())

    def overwrite(self, scope: int | None, bodies: Iterable[Json]) -> list[RegisteredCommand]:
        """A bulk overwrite keeps the ids of commands whose type and name did not change, as Discord does."""
        old = self._scopes.get(scope, {})
        new: dict[tuple[int, str], RegisteredCommand] = {}
        for body in bodies:
            key = (int(body.get("type") or CHAT_INPUT), str(body.get("name")))
            command_id = old[key].id if key in old else self._ids.now()
            new[key] = RegisteredCommand(command_id, self.application_id, scope, copy.deepcopy(body), self._ids.now())
        self._scopes[scope] = new
        self.bulk_overwrites.append(scope)
        return list(new.values())

    def upsert(self, scope: int | None, body: Json) -> RegisteredCommand:
        commands = self._scopes.setdefault(scope, {})
        key = (int(body.get("type") or CHAT_INPUT), str(body.get("name")))
        command_id = commands[key].id if key in commands else self._ids.now()
        commands[key] = RegisteredCommand(command_id, self.application_id, scope, copy.deepcopy(body), self._ids.now())
        return commands[key]

    def edit(self, command: RegisteredCommand, changes: Json) -> RegisteredCommand:
        """PATCH one command: same id, new body (its name may change)."""
        self.delete(command.guild_id, command.id)
        body = {**command.body, **changes}
        key = (int(body.get("type") or CHAT_INPUT), str(body.get("name")))
        edited = RegisteredCommand(
            command.id, self.application_id, command.guild_id, copy.deepcopy(body), self._ids.now()
        )
        self._scopes.setdefault(command.guild_id, {})[key] = edited
        return edited

    def get(self, scope: int | None, command_id: int) -> RegisteredCommand | None:
        return next((c for c in self.listing(scope) if c.id == command_id), None)

    def delete(self, scope: int | None, command_id: int) -> bool:
        commands = self._scopes.get(scope, {})
        for key, command in list(commands.items()):
            if command.id == command_id:
                del commands[key]
                return True
        return False

    def find(self, name: str, guild_id: int | None) -> RegisteredCommand | None:
        """The slash command a user in `guild_id` (None: a DM) would get when typing /name."""
        for scope in ([guild_id] if guild_id is not None else []) + [None]:
            command = self._scopes.get(scope, {}).get((CHAT_INPUT, name))
            if command is not None:
                return command
        return None

    def names(self, guild_id: int | None = None) -> list[str]:
        scopes = [None] + ([guild_id] if guild_id is not None else [])
        return sorted(c.name for scope in scopes for c in self.listing(scope) if c.type == CHAT_INPUT)
