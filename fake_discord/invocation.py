"""Turning "/moment show title:Goblin" (a command path and keyword values) into an interaction's `data`,
checked against what the bot registered, the way Discord's client would build it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .commands import CommandRegistry, RegisteredCommand
from .limits import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    USER,
)
from .model import Channel, FakeFile, Guild, Json, Role, User, World

MAX_SAFE_INTEGER = 2**53


class InvalidInvocation(AssertionError):
    """The test asked a user to do something Discord's client would not let them do."""


@dataclass
class Target:
    command: RegisteredCommand
    path: list[str]  # subcommand group and/or subcommand names
    specs: list[Json]  # the options at the leaf

    @property
    def label(self) -> str:
        return "/" + " ".join([self.command.name, *self.path])


def resolve_command(registry: CommandRegistry, text: str, guild_id: int | None) -> Target:
    words = text.strip().lstrip("/").split()
    if not words:
        raise InvalidInvocation(f"not a command: {text!r}")
    command = registry.find(words[0], guild_id)
    if command is None:
        known = ", ".join(f"/{n}" for n in registry.names(guild_id)) or "none"
        raise InvalidInvocation(f"/{words[0]} is not registered with Discord (registered: {known})")
    specs, path = command.options, list[str]()
    for word in words[1:]:
        sub = next((o for o in specs if o.get("name") == word and o.get("type") in (1, 2)), None)
        if sub is None:
            raise InvalidInvocation(f"{text!r}: {word!r} is not a subcommand of /{' '.join([words[0], *path])}")
        specs, path = list(sub.get("options") or []), [*path, word]
    if any(o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in specs):
        choices = ", ".join(o["name"] for o in specs)
        raise InvalidInvocation(f"{text!r} needs a subcommand: one of {choices}")
    return Target(command, path, specs)


def nest(target: Target, leaf_options: list[Json]) -> list[Json]:
    """Wrap the leaf options in their subcommand (and group) options."""
    options = leaf_options
    specs = target.command.options
    wrappers: list[Json] = []
    for name in target.path:
        spec = next(o for o in specs if o.get("name") == name)
        wrappers.append({"name": name, "type": spec["type"]})
        specs = spec.get("options") or []
    for wrapper in reversed(wrappers):
        wrapper["options"] = options
        options = [wrapper]
    return options


@dataclass
class Resolver:
    """Converts user, channel, role values to ids and fills `resolved` as Discord does."""

    world: World
    guild: Guild | None
    invoker: User
    resolved: dict[str, dict[str, Json]] = field(default_factory=dict)
    base_url: str = ""  # where the fake serves attached files (FakeDiscord.url)

    def attachment(self, value: Any) -> str:
        """A file for an attachment option: kept by the world and served by the fake, as Discord's CDN would."""
        if not isinstance(value, FakeFile):
            raise InvalidInvocation(f"an attachment option takes a FakeFile, not {value!r}")
        attachment_id = self.world.ids.now()
        self.world.attachments[attachment_id] = value
        url = f"{self.base_url}/_fake/attachments/{attachment_id}/{value.filename}"
        self.resolved.setdefault("attachments", {})[str(attachment_id)] = {
            "id": str(attachment_id),
            "filename": value.filename,
            "size": len(value.data),
            "url": url,
            "proxy_url": url,
            "content_type": value.content_type,
        }
        return str(attachment_id)

    def user(self, value: Any) -> str:
        user = self._as_user(value)
        self.resolved.setdefault("users", {})[str(user.id)] = user.payload()
        if self.guild is not None and user.id in self.guild.members:
            member = self.guild.members[user.id]
            perms = self.guild.base_permissions(user.id)
            self.resolved.setdefault("members", {})[str(user.id)] = member.payload(with_user=False, permissions=perms)
        return str(user.id)

    def channel(self, value: Any, spec: Json) -> str:
        channel = self._as_channel(value)
        allowed = spec.get("channel_types")
        if allowed and channel.type not in allowed:
            raise InvalidInvocation(
                f"option {spec['name']!r} only offers channel types {allowed}, "
                f"not #{channel.name} (type {channel.type})"
            )
        entry: Json = {
            "id": str(channel.id),
            "name": channel.name,
            "type": channel.type,
            "parent_id": None,
            "nsfw": False,
            "flags": 0,
        }
        if self.guild is not None:
            entry["guild_id"] = str(self.guild.id)
            entry["permissions"] = str(self.guild.permissions_in(channel, self.invoker.id))
        self.resolved.setdefault("channels", {})[str(channel.id)] = entry
        return str(channel.id)

    def role(self, value: Any) -> str:
        role = self._as_role(value)
        self.resolved.setdefault("roles", {})[str(role.id)] = role.payload()
        return str(role.id)

    def mentionable(self, value: Any) -> str:
        if isinstance(value, Role) or (isinstance(value, str) and self.guild and self._role_named(value)):
            return self.role(value)
        return self.user(value)

    def _as_user(self, value: Any) -> User:
        if isinstance(value, User):
            return value
        if hasattr(value, "user") and isinstance(value.user, User):
            return value.user
        try:
            return self.world.user(value)
        except KeyError as error:
            raise InvalidInvocation(str(error)) from None

    def _as_channel(self, value: Any) -> Channel:
        if isinstance(value, Channel):
            return value
        if self.guild is None:
            raise InvalidInvocation("channel options need a server")
        try:
            return self.guild.channel(value)
        except KeyError as error:
            raise InvalidInvocation(str(error)) from None

    def _as_role(self, value: Any) -> Role:
        if isinstance(value, Role):
            return value
        role = self._role_named(value) if self.guild else None
        if role is None:
            raise InvalidInvocation(f"no role {value!r} here")
        return role

    def _role_named(self, value: Any) -> Role | None:
        assert self.guild is not None
        return next((r for r in self.guild.roles if value in (r.name, r.id)), None)


def build_options(target: Target, values: Mapping[str, Any], resolver: Resolver) -> list[Json]:
    """Options for a full invocation: required ones present, values of the right type and in range."""
    unknown = set(values) - {spec["name"] for spec in target.specs}
    if unknown:
        raise InvalidInvocation(
            f"{target.label} has no option(s) {sorted(unknown)}; it has {[s['name'] for s in target.specs]}"
        )
    options = []
    for spec in target.specs:
        if spec["name"] not in values:
            if spec.get("required"):
                raise InvalidInvocation(f"{target.label}: option {spec['name']!r} is required")
            continue
        value = convert(spec, values[spec["name"]], resolver)
        options.append({"name": spec["name"], "type": spec["type"], "value": value})
    return options


def build_autocomplete_options(
    target: Target, values: Mapping[str, Any], focus: str, resolver: Resolver
) -> tuple[list[Json], int]:
    """Options while typing: the focused one carries the partial text; returns them and its type."""
    spec = next((s for s in target.specs if s["name"] == focus), None)
    if spec is None or not spec.get("autocomplete"):
        offered = [s["name"] for s in target.specs if s.get("autocomplete")]
        raise InvalidInvocation(f"{target.label}: option {focus!r} does not autocomplete (these do: {offered})")
    options = []
    for other in target.specs:
        if other["name"] == focus:
            options.append({"name": focus, "type": other["type"], "value": str(values[focus]), "focused": True})
        elif other["name"] in values:
            value = convert(other, values[other["name"]], resolver)
            options.append({"name": other["name"], "type": other["type"], "value": value})
    return options, int(spec["type"])


def convert(spec: Json, value: Any, resolver: Resolver) -> Any:
    kind, name = spec["type"], spec["name"]
    if kind == STRING:
        return check_string(spec, value)
    if kind in (INTEGER, NUMBER):
        return check_number(spec, value)
    if kind == BOOLEAN:
        if not isinstance(value, bool):
            raise InvalidInvocation(f"option {name!r} takes True or False, not {value!r}")
        return value
    converters = {USER: resolver.user, ROLE: resolver.role, MENTIONABLE: resolver.mentionable}
    if kind in converters:
        return converters[kind](value)
    if kind == CHANNEL:
        return resolver.channel(value, spec)
    if kind == ATTACHMENT:
        return resolver.attachment(value)
    raise InvalidInvocation(f"option {name!r} has type {kind}, which the fake cannot fill in")


def check_choices(spec: Json, value: Any) -> None:
    choices = spec.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise InvalidInvocation(f"option {spec['name']!r} only offers {[c['value'] for c in choices]}, not {value!r}")


def check_string(spec: Json, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInvocation(f"option {spec['name']!r} takes text, not {value!r}")
    low, high = spec.get("min_length", 0), spec.get("max_length", 6000)
    if not low <= len(value) <= high:
        raise InvalidInvocation(f"option {spec['name']!r} takes {low}-{high} characters, not {len(value)}")
    check_choices(spec, value)
    return value


def check_number(spec: Json, value: Any) -> int | float:
    integer = spec["type"] == INTEGER
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        raise InvalidInvocation(
            f"option {spec['name']!r} takes {'an integer' if integer else 'a number'}, not {value!r}"
        )
    low, high = spec.get("min_value", -MAX_SAFE_INTEGER), spec.get("max_value", MAX_SAFE_INTEGER)
    if not low <= value <= high:
        raise InvalidInvocation(
            f"option {spec['name']!r} takes {low} to {high}, not {value!r} "
            "(Discord's client refuses it before the bot sees it)"
        )
    check_choices(spec, value)
    return value
