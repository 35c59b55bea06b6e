"""A user's actions: slash commands, autocomplete, button clicks, built from what the bot registered.

alice = fake_discord.user("alice")                  # Manage Server in "K-Drama Fans", in #general
reply = await alice.invoke("/rank", number=3)       # waits for the answer (and a deferred reply's followup)
reply = await alice.click(reply, "Next")            # clicks a button by label
names = [c.name for c in await alice.autocomplete("/actor", name="su")]
await alice.in_dm().invoke("/about")                # the same user in a DM with the bot
await alice.speaking("ko").invoke("/about")         # ... with Discord in Korean (the interaction's locale)
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import interactions as ix
from .commands import BOT_DM, GUILD, PRIVATE_CHANNEL
from .invocation import (
    InvalidInvocation,
    Resolver,
    Target,
    build_autocomplete_options,
    build_options,
    nest,
    resolve_command,
)
from .messages import FakeMessage
from .model import Channel, ChannelType, Guild, Json, Member, Perm, User
from .reply import Choice, InteractionFailed, Reply
from .server import FakeTimeout

if TYPE_CHECKING:
    from .server import FakeDiscord

CONTEXT_NAMES = {GUILD: "a server", BOT_DM: "a DM with the bot", PRIVATE_CHANNEL: "a private channel"}
ANSWER_GRACE = 0.5  # how long past Discord's 3 s the helper waits before calling the interaction failed
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


@dataclass(frozen=True)
class DiscordUser:
    """A user at a place: a server channel (context 0), a DM with the bot (1), or a private channel where the
    app is user-installed (2). Immutable: `at()`, `in_dm()`, `in_private_channel()` return new ones."""

    fake: FakeDiscord = dataclasses.field(repr=False)
    user: User
    guild: Guild | None
    channel: Channel
    context: int = GUILD
    locale: str = "en-US"

    def __repr__(self) -> str:
        where = f"{self.guild.name} #{self.channel.name}" if self.guild else CONTEXT_NAMES[self.context]
        return f"<DiscordUser {self.name} in {where}>"

    # --- who and where ------------------------------------------------------------------------------------

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def mention(self) -> str:
        return f"<@{self.user.id}>"

    @property
    def member(self) -> Member | None:
        return self.guild.members.get(self.user.id) if self.guild else None

    @property
    def permissions(self) -> int:
        """The user's permissions in the current channel (0 outside servers)."""
        return self.guild.permissions_in(self.channel, self.user.id) if self.guild else 0

    def at(self, channel: Channel | str) -> DiscordUser:
        if self.guild is None:
            raise InvalidInvocation(f"{self.name} is not in a server")
        chosen = channel if isinstance(channel, Channel) else self.guild.channel(channel)
        return dataclasses.replace(self, channel=chosen, context=GUILD)

    def speaking(self, locale: str) -> DiscordUser:
        """The same user with their Discord client in another language (`ko`, `en-US`, ...): it is the
        interactions' `locale`."""
        return dataclasses.replace(self, locale=locale)

    def in_dm(self) -> DiscordUser:
        return dataclasses.replace(self, guild=None, channel=self.fake.world.dm_with(self.user), context=BOT_DM)

    def in_private_channel(self, with_user: str = "owner") -> DiscordUser:
        friend = self.fake.world.user(with_user)
        channel = Channel(self.fake.world.ids.world(), "", None, type=ChannelType.DM, recipients=[self.user, friend])
        return dataclasses.replace(self, guild=None, channel=channel, context=PRIVATE_CHANNEL)

    # --- slash commands -----------------------------------------------------------------------------------------

    async def invoke(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        /,
        *,
        timeout: float = 10.0,
        granted: bool = False,
        **values: Any,
    ) -> Reply:
        """Run a slash command and return the answer as the user sees it. Options by keyword (or in a mapping
        for names that are not identifiers). A deferred answer is awaited until its followup or edit.
        `granted=True` models a server whose admins let this user run a command hidden by its default
        permissions. Raises InvalidInvocation if Discord's client would not allow it, InteractionFailed if the
        bot does not answer in time."""
        record = await self.send_command(command, options, granted=granted, **values)
        return await answer_of(self.fake, record, timeout=timeout)

    async def send_command(
        self, command: str, options: Mapping[str, Any] | None = None, /, *, granted: bool = False, **values: Any
    ) -> ix.InteractionRecord:
        """Send the command without waiting for the answer (for tests about what the bot sends back)."""
        target = self._available(command, granted=granted)
        resolver = Resolver(self.fake.world, self.guild, self.user, base_url=self.fake.url)
        data = self._command_data(target, nest(target, build_options(target, {**(options or {}), **values}, resolver)))
        if resolver.resolved:
            data["resolved"] = resolver.resolved
        return await self._send(ix.APPLICATION_COMMAND, data, target.label)

    async def autocomplete(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        /,
        *,
        focus: str | None = None,
        timeout: float = 5.0,
        **values: Any,
    ) -> list[Choice]:
        """Type into an autocomplete option (the last one given, or `focus`) and return the suggestions."""
        record = await self.send_autocomplete(command, options, focus=focus, **values)
        await wait_for_answer(self.fake, record, timeout=timeout)
        return [Choice(c["name"], c["value"]) for c in record.choices or []]

    async def send_autocomplete(
        self, command: str, options: Mapping[str, Any] | None = None, /, *, focus: str | None = None, **values: Any
    ) -> ix.InteractionRecord:
        """Send the autocomplete request without waiting for the suggestions."""
        target = self._available(command, granted=True)
        given = {**(options or {}), **values}
        focused = focus or (list(given)[-1] if given else "")
        if focused not in given:
            raise InvalidInvocation(f"give the text typed into the focused option {focused!r}")
        resolver = Resolver(self.fake.world, self.guild, self.user, base_url=self.fake.url)
        leaf, option_type = build_autocomplete_options(target, given, focused, resolver)
        return await self._send(
            ix.AUTOCOMPLETE,
            self._command_data(target, nest(target, leaf)),
            f"autocomplete {target.label} {focused}={given[focused]!r}",
            focused_type=option_type,
        )

    def _available(self, command: str, *, granted: bool) -> Target:
        guild_id = self.guild.id if self.guild and self.context == GUILD else None
        target = resolve_command(self.fake.commands, command, guild_id)
        if self.context not in target.command.allowed_contexts():
            raise InvalidInvocation(
                f"{target.label} is not offered in {CONTEXT_NAMES[self.context]} "
                f"(its contexts: {sorted(target.command.allowed_contexts())})"
            )
        required = target.command.default_member_permissions
        if self.guild is not None and required is not None and not granted:
            perms = self.permissions
            if (perms & required) != required or required == 0:
                raise InvalidInvocation(
                    f"{self.name} does not see {target.label}: it needs permissions {required:#x} by default "
                    f"and they have {perms:#x} (pass granted=True to model a server that allowed it)"
                )
        return target

    @staticmethod
    def _command_data(target: Target, options: list[Json]) -> Json:
        data: Json = {"id": str(target.command.id), "name": target.command.name, "type": 1, "options": options}
        if target.command.guild_id is not None:
            data["guild_id"] = str(target.command.guild_id)
        return data

    # --- buttons ------------------------------------------------------------------------------------------------

    async def click(
        self,
        message: Reply | FakeMessage,
        label: str | None = None,
        /,
        *,
        custom_id: str | None = None,
        timeout: float = 10.0,
    ) -> Reply:
        """Click a button (by label, or custom_id) on the message as it is now, and return what the user sees:
        the edited message ("update"), a new reply ("message"/"deferred"), or, for a deferred update, the
        message as it is (then `fake.wait_for_edit(reply)`)."""
        record = await self.send_click(message, label, custom_id=custom_id)
        return await answer_of(self.fake, record, timeout=timeout)

    async def send_click(
        self, message: Reply | FakeMessage, label: str | None = None, /, *, custom_id: str | None = None
    ) -> ix.InteractionRecord:
        live = self._clickable(message)
        button = self._find_button(live, label, custom_id)
        where = self._where_message_is(live)
        data = {"custom_id": button["custom_id"], "component_type": 2, "id": button.get("id")}
        return await where._send(
            ix.MESSAGE_COMPONENT, data, f"click {button.get('label') or button['custom_id']!r}", clicked=live
        )

    async def choose(
        self,
        message: Reply | FakeMessage,
        values: list[str],
        /,
        *,
        custom_id: str | None = None,
        timeout: float = 10.0,
    ) -> Reply:
        """Choose `values` in a string select menu of the message (the first one, or the one with `custom_id`),
        as Discord's client allows (known values, within min_values..max_values, not disabled); returns what the
        user sees, as `click` does."""
        live = self._clickable(message)
        menus = [m for m in live.selects() if custom_id is None or m.get("custom_id") == custom_id]
        if not menus:
            raise InvalidInvocation(
                "no select menu on the message" + (f" with custom id {custom_id!r}" if custom_id else "")
            )
        menu = menus[0]
        if menu.get("disabled"):
            raise InvalidInvocation(f"select menu {menu.get('custom_id')!r} is disabled")
        known = [o.get("value") for o in menu.get("options", [])]
        unknown = [v for v in values if v not in known]
        low, high = menu.get("min_values", 1), menu.get("max_values", 1)
        if unknown or not low <= len(values) <= high or len(set(values)) != len(values):
            raise InvalidInvocation(f"the menu offers {known} ({low} to {high} of them), not {values}")
        where = self._where_message_is(live)
        data = {"custom_id": menu["custom_id"], "component_type": 3, "values": list(values), "id": menu.get("id")}
        record = await where._send(ix.MESSAGE_COMPONENT, data, f"choose {values!r}", clicked=live)
        return await answer_of(self.fake, record, timeout=timeout)

    async def submit(self, form: Reply, values: dict[str, list[str] | str], *, timeout: float = 10.0) -> Reply:
        """Fill in and send a form (a modal) the bot showed (`form.kind == "modal"`): `values` by each field's
        custom_id, a list of values for a select menu or a string for a text input. Returns what the user sees."""
        if form.kind != "modal" or form.modal is None:
            raise InvalidInvocation("that reply is not a form (modal)")
        answered: list[Json] = []
        for top in form.modal.get("components", []):
            inner = [top["component"]] if top.get("type") == 18 else list(top.get("components", []))
            for field in inner:
                custom_id = field.get("custom_id")
                if field.get("type") == 3:
                    chosen = values.get(custom_id, [])
                    known = [o.get("value") for o in field.get("options", [])]
                    low, high = field.get("min_values", 1), field.get("max_values", 1)
                    if isinstance(chosen, str) or any(v not in known for v in chosen) or not low <= len(chosen) <= high:
                        raise InvalidInvocation(f"the form's menu {custom_id!r} offers {known}, not {chosen!r}")
                    part: Json = {"type": 3, "custom_id": custom_id, "values": list(chosen), "id": field.get("id")}
                elif field.get("type") == 4:
                    part = {
                        "type": 4,
                        "custom_id": custom_id,
                        "value": str(values.get(custom_id, "")),
                        "id": field.get("id"),
                    }
                else:
                    continue
                answered.append(
                    {"type": 18, "id": top.get("id"), "component": part}
                    if top.get("type") == 18
                    else {"type": 1, "components": [part]}
                )
        clicked = form.interaction.clicked if form.interaction is not None else None
        where = self._where_message_is(clicked) if clicked is not None else self
        data = {"custom_id": form.modal["custom_id"], "components": answered}
        record = await where._send(ix.MODAL_SUBMIT, data, f"submit {form.modal.get('title')!r}", clicked=clicked)
        return await answer_of(self.fake, record, timeout=timeout)

    def _clickable(self, message: Reply | FakeMessage) -> FakeMessage:
        live = message.message if isinstance(message, Reply) else message
        if live is None:
            raise InvalidInvocation("there is no message to click")
        if live.deleted:
            raise InvalidInvocation(f"message {live.id} was deleted")
        if live.visible_to is not None and live.visible_to != self.user.id:
            raise InvalidInvocation(f"{self.name} cannot see that ephemeral message")
        return live

    @staticmethod
    def _find_button(message: FakeMessage, label: str | None, custom_id: str | None) -> Json:
        for button in message.buttons():
            if (label is not None and button.get("label") == label) or (
                custom_id is not None and button.get("custom_id") == custom_id
            ):
                if button.get("disabled"):
                    raise InvalidInvocation(f"button {label or custom_id!r} is disabled")
                if button.get("style") == 5 or not button.get("custom_id"):
                    raise InvalidInvocation(f"button {label or custom_id!r} is a link, not an interaction")
                return button
        labels = [b.get("label") for b in message.buttons()]
        raise InvalidInvocation(f"no button {label or custom_id!r} on the message; buttons now: {labels}")

    def _where_message_is(self, message: FakeMessage) -> DiscordUser:
        if message.guild_id is None:
            return self if self.channel.id == message.channel_id else self.in_dm()
        guild = self.fake.world.guild(message.guild_id)
        if self.user.id not in guild.members:
            raise InvalidInvocation(f"{self.name} is not a member of {guild.name}")
        return dataclasses.replace(self, guild=guild, channel=guild.channel(message.channel_id), context=GUILD)

    # --- the interaction payload ----------------------------------------------------------------------------------

    async def _send(
        self, kind: int, data: Json, label: str, *, clicked: FakeMessage | None = None, focused_type: int | None = None
    ) -> ix.InteractionRecord:
        if self.guild is not None and self.context == GUILD and not self.guild.has_bot:
            raise InvalidInvocation(f"the bot is not in {self.guild.name} (it was removed)")
        record = ix.InteractionRecord(
            id=self.fake.world.ids.now(),
            token="aW50ZXJhY3Rpb246" + secrets.token_urlsafe(60),
            type=kind,
            label=label,
            user=self.user,
            guild_id=self.guild.id if self.guild else None,
            channel_id=self.channel.id,
            created_at=0.0,
            payload={},
            clicked=clicked,
            focused_type=focused_type,
        )
        record.payload = self._payload(record, data)
        await self.fake.dispatch_interaction(record)
        return record

    def _payload(self, record: ix.InteractionRecord, data: Json) -> Json:
        payload: Json = {
            "id": str(record.id),
            "application_id": str(self.fake.application_id),
            "type": record.type,
            "data": data,
            "token": record.token,
            "version": 1,
            "locale": self.locale,
            "app_permissions": str(self._app_permissions()),
            "entitlements": [],
            "context": self.context,
            "authorizing_integration_owners": self._owners(),
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel": self._channel_payload(),
            "channel_id": str(self.channel.id),
        }
        if record.clicked is not None:
            payload["message"] = record.clicked.payload()
        if self.guild is not None:
            payload.update(
                guild_id=str(self.guild.id),
                guild_locale=self.guild.preferred_locale,
                guild={"id": str(self.guild.id), "locale": self.guild.preferred_locale, "features": []},
                member=self.guild.members[self.user.id].payload(permissions=self.permissions),
            )
        else:
            payload["user"] = self.user.payload()
        return payload

    def _app_permissions(self) -> int:
        if self.guild is None:
            return Perm.DM_APP
        return self.guild.permissions_in(self.channel, self.fake.world.bot.id)

    def _owners(self) -> Json:
        if self.context == PRIVATE_CHANNEL:
            return {"1": str(self.user.id)}
        return {"0": str(self.guild.id) if self.guild else "0"}

    def _channel_payload(self) -> Json:
        data = self.channel.payload()
        if self.guild is not None:
            data["permissions"] = str(self.permissions)
        return data


# --- waiting for the bot's answer -------------------------------------------------------------------------------


async def wait_for_answer(fake: FakeDiscord, record: ix.InteractionRecord, *, timeout: float) -> None:
    """Wait for the initial answer: it must come within Discord's 3 s (plus a little grace)."""
    limit = min(timeout, ix.INITIAL_RESPONSE_SECONDS + ANSWER_GRACE)
    try:
        await fake.wait_until(lambda: record.acknowledged, timeout=limit, what=f"the bot's answer to {record.label}")
    except FakeTimeout:
        why = "its answer came too late" if "late" in record.refused else "no answer was accepted in time"
        count = len(fake.violations.recorded)
        raise InteractionFailed(
            f"{record.user.username} ran {record.label}: {why}, so Discord shows 'The application did not "
            f"respond' ({count} violation(s) recorded so far)"
        ) from None


async def answer_of(fake: FakeDiscord, record: ix.InteractionRecord, *, timeout: float) -> Reply:
    await wait_for_answer(fake, record, timeout=timeout)
    kind = record.answer_kind or ""
    if record.callback_type == ix.MODAL:
        return Reply("modal", None, "", [], [], False, 0, None, record, modal=record.callback_data)
    message = record.original
    assert message is not None, f"{record.label}: answered {kind} without a message"
    if record.callback_type == ix.DEFERRED_MESSAGE:
        await fake.wait_until(
            lambda: not message.loading, timeout=timeout, what=f"the followup or edit after {record.label} was deferred"
        )
    return Reply.of(message, kind, record)
