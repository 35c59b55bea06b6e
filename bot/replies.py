"""Reply types: what a command answers, as plain data; the bot renders it as an embed and buttons, the console as text.

No discord import here. `bot.render` is the one place that turns these into Discord objects or text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ButtonStyle = Literal["primary", "secondary", "success", "danger"]

# Colours of the cards, one per kind of answer.
PINK = 0xE0457B
TEAL = 0x1ABC9C
GOLD = 0xF1C40F
GREY = 0x95A5A6


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    """A button whose click comes back to the bot as `action` with `argument`, even after a restart."""

    label: str
    action: str
    argument: str = ""
    style: ButtonStyle = "secondary"
    disabled: bool = False
    emoji: str | None = None

    @property
    def custom_id(self) -> str:
        return f"pm:{self.action}:{self.argument}"


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a Select: what it shows, and the value the bot gets back when it is chosen."""

    label: str
    value: str
    description: str | None = None
    default: bool = False  # shown as chosen when the menu appears


@dataclass(frozen=True, slots=True)
class Select:
    """A menu whose choice comes back to the bot as `action` with `argument` and the chosen values, even after a
    restart. Its custom id starts `pms:` (not `pm:`), so it is never taken for a button."""

    action: str
    options: tuple[Option, ...]
    argument: str = ""
    placeholder: str | None = None
    min_values: int = 1
    max_values: int = 1
    disabled: bool = False

    @property
    def custom_id(self) -> str:
        return f"pms:{self.action}:{self.argument}"


@dataclass(frozen=True, slots=True)
class Card:
    title: str
    description: str = ""
    fields: tuple[Field, ...] = ()
    footer: str | None = None
    url: str | None = None
    colour: int = PINK
    buttons: tuple[Button, ...] = ()
    selects: tuple[Select, ...] = ()  # menus, each on a row of its own, below the buttons


@dataclass(frozen=True, slots=True)
class File:
    """A file sent with a reply (a question pack)."""

    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """A whole answer: some text, a card, or both; ephemeral answers are seen only by the caller."""

    text: str | None = None
    card: Card | None = None
    ephemeral: bool = False
    file: File | None = None


def notice(text: str) -> Reply:
    """A plain message for the caller only: errors, refusals, confirmations."""
    return Reply(text=text, ephemeral=True)
