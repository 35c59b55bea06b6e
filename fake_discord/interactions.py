"""Interactions the fake sent to the bot, and what the bot answered to each."""

from __future__ import annotations

from dataclasses import dataclass, field

from .messages import FakeMessage
from .model import Json, User

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 4, 5, 6, 7, 8, 9
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
CALLBACK_NAMES = {
    MESSAGE: "message",
    DEFERRED_MESSAGE: "deferred",
    DEFERRED_UPDATE: "deferred_update",
    UPDATE_MESSAGE: "update",
    AUTOCOMPLETE_RESULT: "autocomplete",
    MODAL: "modal",
}
INITIAL_RESPONSE_SECONDS = 3.0
TOKEN_LIFETIME_SECONDS = 15 * 60.0


@dataclass
class InteractionRecord:
    id: int
    token: str = field(repr=False)
    type: int
    label: str  # "/moment random", "click 'Next'", "autocomplete /actor name"
    user: User
    guild_id: int | None
    channel_id: int
    created_at: float  # on the fake's clock
    payload: Json = field(repr=False)
    clicked: FakeMessage | None = None
    focused_type: int | None = None
    callback_type: int | None = None
    callback_data: Json | None = None
    answered_at: float | None = None
    refused: list[str] = field(default_factory=list)
    original: FakeMessage | None = None
    followups: list[FakeMessage] = field(default_factory=list)
    choices: list[Json] | None = None

    @property
    def acknowledged(self) -> bool:
        return self.callback_type is not None

    @property
    def answer_kind(self) -> str | None:
        return CALLBACK_NAMES.get(self.callback_type) if self.callback_type is not None else None

    def owns(self, message: FakeMessage) -> bool:
        return message is self.original or any(message is m for m in self.followups)


class InteractionBook:
    def __init__(self) -> None:
        self._by_id: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}

    def add(self, record: InteractionRecord) -> InteractionRecord:
        self._by_id[record.id] = record
        self._by_token[record.token] = record
        return record

    def get(self, interaction_id: int, token: str) -> InteractionRecord | None:
        record = self._by_id.get(interaction_id)
        return record if record is not None and record.token == token else None

    def by_token(self, token: str) -> InteractionRecord | None:
        return self._by_token.get(token)

    def all(self) -> list[InteractionRecord]:
        return list(self._by_id.values())
