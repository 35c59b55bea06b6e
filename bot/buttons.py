"""Persistent buttons: one registry of button actions, and the one DynamicItem every button is.

A button's custom id carries its action and argument (`pm:rank:4`), so a click on a message posted before a
restart still works and no view is kept in memory per message. Each feature names its actions once (as
constants beside its cards), and its cog registers their handlers on load and removes them on unload. A form
(a modal) is answered the same way: its custom id is `pmf:<action>:<argument>`, and its submission goes to the
handler registered for its action.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import discord

from bot.lifetime import let_go, let_go_of_view
from bot.replies import Button, Option, Select
from bot.text import clip

log = logging.getLogger(__name__)

LABEL_LIMIT = 80
PLACEHOLDER_LIMIT = 150  # a menu's placeholder
OPTION_DESCRIPTION_LIMIT = 100
OPTIONS_LIMIT = 25  # options in one menu
RESTARTING = "I'm restarting right now; please click again in a few seconds."
ButtonHandler = Callable[[discord.Interaction[Any], str], Awaitable[None]]

STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


class ButtonRegistry:
    """Which handler answers a click on a button of each action."""

    def __init__(self) -> None:
        self._handlers: dict[str, ButtonHandler] = {}

    def add(self, handlers: Mapping[str, ButtonHandler]) -> None:
        for action in handlers:
            if action in self._handlers:
                raise ValueError(f"button action {action!r} is registered twice")
        self._handlers.update(handlers)

    def remove(self, handlers: Mapping[str, ButtonHandler]) -> None:
        for action in handlers:
            self._handlers.pop(action, None)

    def get(self, action: str) -> ButtonHandler | None:
        return self._handlers.get(action)

    def __contains__(self, action: str) -> bool:
        return action in self._handlers


class CardButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pm:(?P<action>[a-z_]+):(?P<argument>[\w.:-]*)"
):
    """Every button the bot shows. A click goes to the handler registered for its action."""

    def __init__(self, spec: Button, row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(spec.label, LABEL_LIMIT),
                custom_id=spec.custom_id,
                style=STYLES[spec.style],
                disabled=spec.disabled,
                emoji=spec.emoji,
                row=row,
            )
        )
        self.action = spec.action
        self.argument = spec.argument

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CardButton:
        return cls(Button(label="?", action=match["action"], argument=match["argument"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _answer(self, interaction)


async def _answer(item: CardButton | CardSelect, interaction: discord.Interaction[Any]) -> None:
    """A click or a choice, dispatched; then the click's view and interaction are let go (bot/lifetime.py)."""
    try:
        await _dispatch(interaction, item.action, item.argument)
    finally:
        let_go_of_view(item)
        let_go(interaction)


async def _dispatch(interaction: discord.Interaction[Any], action: str, argument: str) -> None:
    """A click or a choice: to the handler registered for its action."""
    if getattr(interaction.client, "closing", False):
        try:
            await interaction.response.send_message(RESTARTING, ephemeral=True)
        except (discord.HTTPException, aiohttp.ClientError) as exc:  # the bot is closing its HTTP session
            log.info("shutting down: could not decline a click politely: %s", exc)
        return
    registry: ButtonRegistry | None = getattr(interaction.client, "buttons", None)
    handler = registry.get(action) if registry else None
    if handler is None:
        await interaction.response.send_message(
            "This button is no longer in use. Try the command again.", ephemeral=True
        )
        return
    try:
        await handler(interaction, argument)
    except Exception:
        log.exception("button %s:%s failed", action, argument)
        await _apologise(interaction)


class CardSelect(
    discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"pms:(?P<action>[a-z_]+):(?P<argument>[\w.:-]*)"
):
    """Every menu the bot shows. A choice goes to the handler registered for its action, which reads the chosen
    values from the interaction (`chosen_values`)."""

    def __init__(self, spec: Select, row: int | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=spec.custom_id,
                placeholder=clip(spec.placeholder, PLACEHOLDER_LIMIT) if spec.placeholder else None,
                min_values=spec.min_values,
                max_values=min(spec.max_values, len(spec.options), OPTIONS_LIMIT),
                disabled=spec.disabled,
                options=[
                    discord.SelectOption(
                        label=clip(o.label, LABEL_LIMIT),
                        value=o.value,
                        description=clip(o.description, OPTION_DESCRIPTION_LIMIT) if o.description else None,
                        default=o.default,
                    )
                    for o in spec.options[:OPTIONS_LIMIT]
                ],
                row=row,
            )
        )
        self.action = spec.action
        self.argument = spec.argument

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CardSelect:
        return cls(Select(action=match["action"], options=(Option("?", "?"),), argument=match["argument"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _answer(self, interaction)


def chosen_values(interaction: discord.Interaction[Any]) -> list[str]:
    """The values a member chose in a menu (empty for anything else)."""
    data: Any = interaction.data or {}
    values = data.get("values") or []
    return [str(v) for v in values]


async def _apologise(interaction: discord.Interaction[Any]) -> None:
    text = "Something went wrong on my side with that button. It has been logged; please try again."
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not tell the user about a failed button: %s", exc)


FORM_ID = re.compile(r"pmf:(?P<action>[a-z_]+):(?P<argument>[\w.:-]*)")


def form_custom_id(action: str, argument: str) -> str:
    return f"pmf:{action}:{argument}"


async def show_form(interaction: discord.Interaction[Any], form: discord.ui.Modal) -> None:
    """Show a form whose custom id is `form_custom_id(...)`. discord.py would keep it in memory keyed by its
    custom id alone, so a second member's form would replace the first's and a restart would lose both: it is
    let go at once, and its submission is answered by `answer_form` from the interaction itself."""
    await interaction.response.send_modal(form)
    form.stop()


async def answer_form(interaction: discord.Interaction[Any]) -> None:
    """Every interaction passes here (the bot's on_interaction); a submitted form of ours goes to its handler."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return
    data: Any = interaction.data or {}
    match = FORM_ID.fullmatch(str(data.get("custom_id", "")))
    if match is None:
        return
    try:
        await _dispatch(interaction, match["action"], match["argument"])
    finally:
        let_go(interaction)


def submitted_values(interaction: discord.Interaction[Any], custom_id: str) -> list[str]:
    """What a member chose or typed in a submitted form's field `custom_id` (empty if it is not there)."""
    data: Any = interaction.data or {}
    found = _find_component(data.get("components") or [], custom_id)
    if found is None:
        return []
    if "values" in found:
        return [str(v) for v in found["values"] or []]
    return [str(found["value"])] if found.get("value") is not None else []


def _find_component(components: list[Any], custom_id: str) -> dict[str, Any] | None:
    """A field anywhere in a form's submission: in an action row's components, or a label's component."""
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == custom_id:
            return component
        nested = list(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            nested.append(component["component"])
        found = _find_component(nested, custom_id)
        if found is not None:
            return found
    return None
