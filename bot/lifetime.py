"""Letting go of an interaction once it is answered, so that reference counting alone frees it.

discord.py's `Interaction` and its `InteractionResponse` point at each other (and so do the original response,
and a click's rebuilt view and its items): without this, every answered interaction stays in memory until the
garbage collector finds it, and the collector runs more often and longer the more of them pile up. Called when
discord.py is done with the interaction: after the command or the click's handler has returned, its errors
handled.
"""

from __future__ import annotations

import contextlib
from typing import Any

import discord

CACHED_SLOTS = ("_cs_response", "_cs_followup")  # built on first use; each holds the interaction again


def let_go(interaction: discord.Interaction[Any]) -> None:
    """Break the interaction's reference cycles. Using it afterwards still works: discord.py builds the
    response objects again, though a new `response` no longer knows that the interaction was answered."""
    for slot in CACHED_SLOTS:
        with contextlib.suppress(AttributeError):
            delattr(interaction, slot)
    interaction._original_response = None


def let_go_of_view(item: discord.ui.Item[Any]) -> None:
    """A click's item: discord.py rebuilt the message's whole view around it for this one click."""
    view = item.view
    if view is not None:
        view.clear_items()
