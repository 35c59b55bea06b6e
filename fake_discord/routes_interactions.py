"""Interaction callbacks, followups and `@original` edits, with Discord's timing rules:
the first answer within 3 s and only once; followups and edits within the token's 15 minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import interactions as ix
from .limits import Problem, check_autocomplete, check_message, is_empty_message
from .messages import EPHEMERAL, LOADING, FakeMessage
from .rest import ApiError, ApiRequest, RestApi
from .violations import Violation

if TYPE_CHECKING:
    from .server import FakeDiscord

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"
WEBHOOK = "/webhooks/{webhook_id}/{webhook_token}"
ORIGINAL = WEBHOOK + "/messages/@original"
WEBHOOK_MESSAGE = WEBHOOK + "/messages/{message_id}"


class InteractionRoutes:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def install(self, api: RestApi) -> None:
        api.add("POST", CALLBACK, self.callback, check=self.check_callback, auth=False)
        api.add("POST", WEBHOOK, self.followup, check=self.check_message_body, auth=False)
        for template in (ORIGINAL, WEBHOOK_MESSAGE):
            api.add("GET", template, self.get_message, auth=False)
            api.add("PATCH", template, self.edit_message, check=self.check_message_body, auth=False)
            api.add("DELETE", template, self.delete_message, auth=False)

    # --- checks ---------------------------------------------------------------------------------------------

    def check_callback(self, request: ApiRequest) -> list[Problem]:
        body = request.body if isinstance(request.body, dict) else {}
        kind, data = body.get("type"), body.get("data")
        if kind in (ix.MESSAGE, ix.UPDATE_MESSAGE) and data is not None:
            return check_message(data, ("data",))
        if kind == ix.AUTOCOMPLETE_RESULT:
            record = self.fake.interactions.get(
                request.snowflake("interaction_id"), request.params["interaction_token"]
            )
            option_type = record.focused_type if record and record.focused_type else 3
            return check_autocomplete(data, ("data",), option_type)
        return []

    @staticmethod
    def check_message_body(request: ApiRequest) -> list[Problem]:
        return check_message(request.body)

    # --- the initial answer -----------------------------------------------------------------------------------

    async def callback(self, request: ApiRequest) -> Any:
        record = self.fake.interactions.get(request.snowflake("interaction_id"), request.params["interaction_token"])
        if record is None:
            raise self._refuse(
                404,
                10062,
                "Unknown interaction",
                "invalid_request",
                request,
                "a callback for an interaction the fake never sent",
            )
        body = request.body if isinstance(request.body, dict) else {}
        self._check_first_answer(record, body, request)
        record.callback_type, record.callback_data = body["type"], body.get("data")
        record.answered_at = request.received_at
        message = self._apply_callback(record, body["type"], body.get("data") or {})
        self.fake.changed()
        if body["type"] == ix.AUTOCOMPLETE_RESULT or not request.flag("with_response"):
            return None
        return self._callback_response(record, message)

    def _check_first_answer(self, record: ix.InteractionRecord, body: dict[str, Any], request: ApiRequest) -> None:
        if record.acknowledged:
            raise self._refuse(
                400,
                40060,
                "Interaction has already been acknowledged.",
                "double_response",
                request,
                f"{record.label} answered a second time (first answer: {record.answer_kind})",
            )
        elapsed = request.received_at - record.created_at
        if elapsed > ix.INITIAL_RESPONSE_SECONDS:
            record.refused.append("late")
            raise self._refuse(
                404,
                10062,
                "Unknown interaction",
                "late_response",
                request,
                f"{record.label} answered after {elapsed:.2f} s (Discord allows 3 s; defer first)",
            )
        kind = body.get("type")
        if kind not in ix.ALLOWED_CALLBACKS[record.type]:
            raise self._refuse(
                400,
                50035,
                "Invalid Form Body",
                "invalid_request",
                request,
                f"callback type {kind} is not valid for {record.label} "
                f"(allowed: {sorted(ix.ALLOWED_CALLBACKS[record.type])})",
            )
        if kind == ix.MESSAGE and is_empty_message(body.get("data") or {}, has_files=bool(request.files)):
            raise self._empty(request, f"{record.label} answered with an empty message")

    def _apply_callback(self, record: ix.InteractionRecord, kind: int, data: dict[str, Any]) -> FakeMessage | None:
        if kind == ix.MESSAGE:
            record.original = self.fake.post_interaction_message(record, data, original=True)
        elif kind == ix.DEFERRED_MESSAGE:
            flags = (data.get("flags") or 0) & EPHEMERAL | LOADING
            record.original = self.fake.post_interaction_message(record, {"content": "", "flags": flags}, original=True)
        elif kind == ix.DEFERRED_UPDATE:
            record.original = record.clicked
        elif kind == ix.UPDATE_MESSAGE:
            assert record.clicked is not None
            record.original = record.clicked
            self.fake.edit_message(record.clicked, data)
        elif kind == ix.AUTOCOMPLETE_RESULT:
            record.choices = list(data.get("choices") or [])
        return record.original

    def _callback_response(self, record: ix.InteractionRecord, message: FakeMessage | None) -> dict[str, Any]:
        resource: dict[str, Any] = {"type": record.callback_type}
        if message is not None and record.callback_type != ix.DEFERRED_UPDATE:
            resource["message"] = message.payload()
        return {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "activity_instance_id": None,
                "response_message_id": str(message.id) if message else None,
                "response_message_loading": bool(message and message.loading),
                "response_message_ephemeral": bool(message and message.ephemeral),
            },
            "resource": resource,
        }

    # --- followups and edits ----------------------------------------------------------------------------------

    async def followup(self, request: ApiRequest) -> Any:
        record = self._live_record(request)
        body = request.body if isinstance(request.body, dict) else {}
        original = record.original
        if record.callback_type == ix.DEFERRED_MESSAGE and original is not None and original.loading:
            # The first followup after a deferral replaces the "thinking..." message (and keeps its ephemerality).
            self.fake.edit_message(original, body)
            message = original
        else:
            if is_empty_message(body, has_files=bool(request.files)):
                raise self._empty(request, f"a followup of {record.label} is empty")
            message = self.fake.post_interaction_message(record, body, original=False)
            record.followups.append(message)
        return message.payload() if request.flag("wait") else None

    async def get_message(self, request: ApiRequest) -> Any:
        return self._webhook_message(request).payload()

    async def edit_message(self, request: ApiRequest) -> Any:
        message = self._webhook_message(request)
        self.fake.edit_message(message, request.body if isinstance(request.body, dict) else {})
        return message.payload()

    async def delete_message(self, request: ApiRequest) -> Any:
        message = self._webhook_message(request)
        self.fake.delete_message(message)
        return None

    def _webhook_message(self, request: ApiRequest) -> FakeMessage:
        record = self._live_record(request)
        if "message_id" in request.params:
            message = self.fake.messages.get(request.snowflake("message_id"))
            if message is None or not record.owns(message) or message.deleted:
                raise ApiError(404, 10008, "Unknown Message")
            return message
        if record.original is None or record.original.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        return record.original

    def _live_record(self, request: ApiRequest) -> ix.InteractionRecord:
        token = request.params["webhook_token"]
        record = self.fake.interactions.by_token(token)
        if record is None or request.params["webhook_id"] != str(self.fake.application_id):
            raise self._unknown_webhook(request, "no interaction has this application id and token")
        if not record.acknowledged:
            raise self._unknown_webhook(
                request, f"{request.method} on {record.label}'s webhook before answering the interaction"
            )
        age = self.fake.clock() - record.created_at
        if age > ix.TOKEN_LIFETIME_SECONDS:
            raise self._refuse(
                401,
                50027,
                "Invalid Webhook Token",
                "expired_token",
                request,
                f"{record.label}'s token used {age / 60:.1f} min after the interaction (tokens live 15 min)",
            )
        return record

    @staticmethod
    def _refuse(status: int, code: int, message: str, kind: str, request: ApiRequest, summary: str) -> ApiError:
        return ApiError(status, code, message, violation=Violation(kind, summary, request.label))

    @classmethod
    def _unknown_webhook(cls, request: ApiRequest, summary: str) -> ApiError:
        return cls._refuse(404, 10015, "Unknown Webhook", "invalid_request", request, summary)

    @classmethod
    def _empty(cls, request: ApiRequest, summary: str) -> ApiError:
        return cls._refuse(400, 50006, "Cannot send an empty message", "invalid_request", request, summary)
