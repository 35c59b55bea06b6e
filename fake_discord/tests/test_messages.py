"""How the fake keeps a posted message: what a user sees of it, the request left as it was sent, and no copy
of the message's parts per answer (it shares them: stored JSON is never changed in place)."""

from __future__ import annotations

from fake_discord.messages import FakeMessage
from fake_discord.model import User


def _body() -> dict[str, object]:
    return {
        "content": "hi",
        "embeds": [{"title": "A card", "fields": [{"name": "Rank", "value": "#3"}]}],
        "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "More", "custom_id": "x"}]}],
    }


def test_a_posted_message_shows_discords_additions_and_leaves_the_request_as_sent() -> None:
    body = _body()
    message = FakeMessage(1, 2, 3, User(4, "bot", bot=True))
    message.apply(body, edit=False)
    assert message.embeds == [{"type": "rich", "title": "A card", "fields": [{"name": "Rank", "value": "#3"}]}]
    assert message.components[0]["id"] == 1 and message.components[0]["components"][0]["id"] == 2
    assert body == _body()  # the request (as the fake's log keeps it) gained no type and no ids
    assert message.history == [_body()]


def test_a_message_its_history_and_its_payload_share_the_requests_parts_instead_of_copying_them() -> None:
    body = _body()
    message = FakeMessage(1, 2, 3, User(4, "bot", bot=True))
    message.apply(body, edit=False)
    sent_embed = body["embeds"][0]  # type: ignore[index]
    assert message.embeds[0]["fields"] is sent_embed["fields"]
    assert message.history[0]["embeds"] is body["embeds"]
    payload = message.payload()
    assert payload["embeds"][0] is message.embeds[0] and payload["components"][0] is message.components[0]
    message.apply({"embeds": []}, edit=True)  # an edit replaces the parts: what was shared stays as it was
    assert message.embeds == [] and payload["embeds"][0]["title"] == "A card"
