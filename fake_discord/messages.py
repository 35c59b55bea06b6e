"""Messages the bot posted or edited, as the fake stores them and as a user would see them.

What a message holds is JSON the fake parsed from a request, and it is never changed in place: an edit
replaces a message's embeds or components with new lists. So a message, its history and its payloads share
their nested parts instead of each taking a deep copy (at 1,000 answers a second those copies were a quarter
of the fake's CPU, most of it for the bot with the bigger answers, which made that bot's latency look worse).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from .model import Json, User, iso

EPHEMERAL = 1 << 6
LOADING = 1 << 7
NONCE_SECONDS = 5 * 60  # how long Discord remembers a nonce sent with enforce_nonce
# Keys of a message create/edit body that change what the message shows.
SHOWN_KEYS = ("content", "embeds", "components", "flags", "attachments", "allowed_mentions", "poll")


@dataclass
class FakeMessage:
    """One message. `version` counts edits (0 = as first posted); `history` keeps every body sent for it."""

    id: int
    channel_id: int
    guild_id: int | None
    author: User = field(repr=False)
    content: str = ""
    embeds: list[Json] = field(default_factory=list, repr=False)
    components: list[Json] = field(default_factory=list, repr=False)
    flags: int = 0
    allowed_mentions: Json | None = field(default=None, repr=False)
    attachments: list[Json] = field(default_factory=list, repr=False)
    type: int = 0
    interaction_metadata: Json | None = field(default=None, repr=False)
    visible_to: int | None = None  # a user id for ephemeral messages
    created_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    edited_ms: int | None = None
    version: int = 0
    seq: int = 0  # order of posting, set by the store
    deleted: bool = False
    history: list[Json] = field(default_factory=list, repr=False)
    nonce: str | int | None = None  # echoed back as sent, as Discord does
    posted_at: float = 0.0  # on the fake's clock

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """A deferred reply still showing "<bot> is thinking..."."""
        return bool(self.flags & LOADING)

    @property
    def jump_url(self) -> str:
        return f"https://discord.com/channels/{self.guild_id or '@me'}/{self.channel_id}/{self.id}"

    def apply(self, body: Json, *, edit: bool) -> None:
        """Apply a create or edit body: only the keys present change (Discord's PATCH semantics)."""
        self.history.append(dict(body))
        if "content" in body:
            self.content = body["content"] or ""
        if "embeds" in body:
            self.embeds = [normalize_embed(e) for e in body["embeds"] or []]
        if "components" in body:
            self.components = number_components(body["components"] or [])
        if "allowed_mentions" in body:
            self.allowed_mentions = body["allowed_mentions"]
        if "attachments" in body:
            self.attachments = [attachment_payload(self, a) for a in body["attachments"] or []]
        if body.get("flags") is not None and not edit:
            self.flags = body["flags"]
        if not edit:
            self.nonce = body.get("nonce")
        if edit:
            self.flags &= ~LOADING
            self.version += 1
            self.edited_ms = int(time.time() * 1000)

    def payload(self) -> Json:
        data: Json = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "type": self.type,
            "author": self.author.payload(),
            "content": self.content,
            "embeds": list(self.embeds),
            "components": list(self.components),
            "attachments": self.attachments,
            "timestamp": iso(self.created_ms),
            "edited_timestamp": iso(self.edited_ms) if self.edited_ms else None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "flags": self.flags,
            "position": 0,
        }
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
            data["webhook_id"] = str(self.author.id)
            data["application_id"] = str(self.author.id)
        return data

    def buttons(self) -> list[Json]:
        return [child for row in self.components for child in row.get("components", []) if child.get("type") == 2]

    def selects(self) -> list[Json]:
        """The string select menus (type 3) on the message."""
        return [child for row in self.components for child in row.get("components", []) if child.get("type") == 3]


def attachment_payload(message: FakeMessage, attachment: Json) -> Json:
    """An uploaded file as Discord shows it (the bytes themselves are not kept)."""
    name = str(attachment.get("filename", "file"))
    url = f"https://cdn.discordapp.com/attachments/{message.channel_id}/{message.id}/{name}"
    return {
        "id": str(attachment.get("id", 0)),
        "filename": name,
        "size": 0,
        "url": url,
        "proxy_url": url,
        "content_type": "application/octet-stream",
        "description": attachment.get("description"),
    }


def normalize_embed(embed: Json) -> Json:
    return {"type": "rich", **embed}


def number_components(rows: list[Json]) -> list[Json]:
    """Discord echoes components back with sequential numeric ids (new dicts: the request's stay as sent)."""
    counter = itertools.count(1)
    numbered = []
    for row in rows:
        row = {**row, "id": row.get("id", next(counter))}
        if "components" in row:
            row["components"] = [{**child, "id": child.get("id", next(counter))} for child in row["components"]]
        numbered.append(row)
    return numbered


class MessageStore:
    def __init__(self) -> None:
        self._by_id: dict[int, FakeMessage] = {}
        self._seq = itertools.count(1)

    def add(self, message: FakeMessage) -> FakeMessage:
        message.seq = next(self._seq)
        self._by_id[message.id] = message
        return message

    def get(self, message_id: int) -> FakeMessage | None:
        return self._by_id.get(message_id)

    def in_channel(self, channel_id: int, *, include_ephemeral: bool = False) -> list[FakeMessage]:
        return [
            m
            for m in self._by_id.values()
            if m.channel_id == channel_id and not m.deleted and (include_ephemeral or m.visible_to is None)
        ]

    def with_nonce(self, channel_id: int, author_id: int, nonce: str | int, since: float) -> FakeMessage | None:
        """The message `author_id` created in the channel with this nonce at `since` or later (fake clock)."""
        for message in self.in_channel(channel_id, include_ephemeral=True):
            if message.author.id == author_id and str(message.nonce) == str(nonce) and message.posted_at >= since:
                return message
        return None

    def all(self) -> list[FakeMessage]:
        return list(self._by_id.values())


def shown(message: FakeMessage) -> dict[str, Any]:
    """What a user sees of a message, for error messages and debugging."""
    return {
        "content": message.content,
        "embeds": message.embeds,
        "components": message.components,
        "ephemeral": message.ephemeral,
    }
