"""The few hooks that feed the metrics, each a line or two where the bot already is:

- the bot's `dispatch` hands each event to `observe_event`: an interaction is stamped with the time it
  arrived (in `Interaction.extras`), an autocomplete counted, a completed app command counted "ok";
- the bot's app-command error handler calls `count_command_failure` ("refused" or "error");
- `MeteredButtons` is the bot's button registry when metrics are on: it counts each button's outcome;
- `bot.render` calls `first_response_sent` after an interaction's first response, for the histogram;
- the database reports each query's time (`Database.observe_queries`, set by the bot's start_operations).

With metrics off none of this is installed, except the check in `first_response_sent`: one dict lookup.
"""

from __future__ import annotations

from collections.abc import Mapping
from time import perf_counter
from typing import TYPE_CHECKING, Any

import discord

from bot.buttons import ButtonHandler, ButtonRegistry

if TYPE_CHECKING:  # only a bot with metrics on has one; importing prometheus-client costs memory
    from bot.operations.metrics import Metrics

RECEIVED = "pm.received"  # Interaction.extras key: perf_counter() when the interaction arrived
SUBCOMMAND_TYPES = (1, 2)  # option types of a subcommand and a subcommand group


def kind_of(interaction: discord.Interaction[Any]) -> str:
    if interaction.type is discord.InteractionType.component:
        return "button"
    if interaction.type is discord.InteractionType.autocomplete:
        return "autocomplete"
    return "command"


def observe_event(metrics: Metrics, event: str, args: tuple[Any, ...]) -> None:
    """Called for every event the bot dispatches, before its listeners run."""
    if event == "interaction":
        interaction: discord.Interaction[Any] = args[0]
        interaction.extras[RECEIVED] = perf_counter()
        if interaction.type is discord.InteractionType.autocomplete:
            metrics.count_interaction("autocomplete", command_name(interaction.data or {}), "received")
    elif event == "app_command_completion":
        metrics.count_interaction("command", args[1].qualified_name, "ok")


def command_name(data: Mapping[str, Any]) -> str:
    """`trivia start` from an interaction's data: the command and its subcommands' names."""
    parts = [str(data.get("name", "unknown"))]
    options = data.get("options") or []
    while options and options[0].get("type") in SUBCOMMAND_TYPES:
        parts.append(str(options[0].get("name")))
        options = options[0].get("options") or []
    return " ".join(parts)


def count_command_failure(metrics: Metrics, interaction: discord.Interaction[Any], *, expected: bool) -> None:
    command = interaction.command
    name = command.qualified_name if command is not None else "unknown"
    metrics.count_interaction("command", name, "refused" if expected else "error")


def first_response_sent(interaction: discord.Interaction[Any]) -> None:
    """The interaction's first response was accepted: observe how long after its arrival."""
    received = interaction.extras.get(RECEIVED)
    if received is None:
        return  # metrics are off: nothing stamps interactions
    metrics: Metrics | None = getattr(interaction.client, "metrics", None)
    if metrics is not None:
        metrics.observe_response(kind_of(interaction), perf_counter() - received)


class MeteredButtons(ButtonRegistry):
    """The button registry, counting each click's outcome by action ("ok", or "error" when its handler raised)."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self._count = metrics.count_interaction

    def add(self, handlers: Mapping[str, ButtonHandler]) -> None:
        super().add({action: self._metered(action, handler) for action, handler in handlers.items()})

    def _metered(self, action: str, handler: ButtonHandler) -> ButtonHandler:
        count = self._count

        async def metered(interaction: discord.Interaction[Any], argument: str) -> None:
            try:
                await handler(interaction, argument)
            except Exception:
                count("button", action, "error")
                raise
            count("button", action, "ok")

        return metered
