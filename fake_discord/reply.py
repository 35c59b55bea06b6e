"""What a user sees: a snapshot of a message (content, embeds, buttons, ephemeral) at one moment."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .messages import FakeMessage
from .model import Json

if TYPE_CHECKING:
    from .interactions import InteractionRecord


class InteractionFailed(AssertionError):
    """The user would see "This interaction failed" / "The application did not respond"."""


@dataclass(frozen=True)
class Button:
    label: str | None
    custom_id: str | None
    disabled: bool
    style: int
    url: str | None = None
    emoji: str | None = None


@dataclass(frozen=True)
class Choice:
    """One autocomplete suggestion."""

    name: str
    value: Any


@dataclass(frozen=True)
class Reply:
    """A message as a user saw it when the helper returned. `message` is the live message (use it to click or
    to wait for edits); the other fields are a snapshot at `version`.

    `kind` says how it arrived: "message" (answered at once), "deferred" (deferred, then a followup or edit),
    "update" (a click edited the message), "deferred_update" (a click was acknowledged; the edit may follow),
    "posted" (a channel message the bot posted), "edited" (a later version of a message), "modal".
    """

    kind: str
    message: FakeMessage | None
    content: str
    embeds: list[Json]
    components: list[Json]
    ephemeral: bool
    version: int
    allowed_mentions: Json | None
    interaction: InteractionRecord | None = None
    modal: Json | None = None

    @classmethod
    def of(cls, message: FakeMessage, kind: str, interaction: InteractionRecord | None = None) -> Reply:
        return cls(
            kind,
            message,
            message.content,
            copy.deepcopy(message.embeds),
            copy.deepcopy(message.components),
            message.ephemeral,
            message.version,
            copy.deepcopy(message.allowed_mentions),
            interaction,
        )

    @property
    def id(self) -> int:
        if self.message is None:
            raise AssertionError(f"a {self.kind} reply has no message")
        return self.message.id

    @property
    def buttons(self) -> list[Button]:
        return [
            Button(
                c.get("label"),
                c.get("custom_id"),
                bool(c.get("disabled")),
                int(c.get("style", 0)),
                c.get("url"),
                (c.get("emoji") or {}).get("name"),
            )
            for row in self.components
            for c in row.get("components", [])
            if c.get("type") == 2
        ]

    def button(self, label: str) -> Button:
        for button in self.buttons:
            if button.label == label:
                return button
        raise AssertionError(f"no button {label!r}; buttons: {[b.label for b in self.buttons]}")

    @property
    def embed(self) -> Json:
        """The first embed (fails if there is none)."""
        if not self.embeds:
            raise AssertionError(f"the reply has no embed (content: {self.content!r})")
        return self.embeds[0]

    def text(self) -> str:
        """Everything readable: content, then each embed's author, title, description, fields and footer."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [(embed.get("author") or {}).get("name", ""), embed.get("title", ""), embed.get("description", "")]
            for item in embed.get("fields") or []:
                parts += [item.get("name", ""), item.get("value", "")]
            parts.append((embed.get("footer") or {}).get("text", ""))
        return "\n".join(part for part in parts if part)
