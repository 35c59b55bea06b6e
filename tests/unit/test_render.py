"""The one renderer: embeds and buttons built once per card, and never a ping."""

from __future__ import annotations

import discord

from bot.render import CONTENT_LIMIT, NO_PINGS, message_kwargs, to_text
from bot.replies import Button, Card, Field, Reply

CARD = Card(title="#3 · Traffic Kiss", buttons=(Button("◀ #4", "rank", "4"), Button("#2 ▶", "rank", "2")))


async def test_a_public_reply_shares_one_view_and_one_embed_per_card() -> None:
    first, second = message_kwargs(Reply(card=CARD)), message_kwargs(Reply(card=CARD))
    assert first["embed"] is second["embed"]
    assert first["view"] is second["view"]
    assert first["view"].timeout is None
    assert [item.custom_id for item in first["view"].children] == ["pm:rank:4", "pm:rank:2"]


async def test_an_ephemeral_reply_gets_a_view_of_its_own() -> None:
    # A private card is often one member's own: built for its message, not kept.
    first, second = message_kwargs(Reply(card=CARD, ephemeral=True)), message_kwargs(Reply(card=CARD, ephemeral=True))
    assert first["view"] is not second["view"]
    assert first["view"] is not message_kwargs(Reply(card=CARD))["view"]


async def test_a_card_without_buttons_sends_no_view() -> None:
    assert "view" not in message_kwargs(Reply(card=Card(title="About")))


async def test_text_is_clipped_and_never_pings() -> None:
    kwargs = message_kwargs(Reply(text="@everyone " * 500))
    assert len(kwargs["content"]) == CONTENT_LIMIT
    assert kwargs["allowed_mentions"] is NO_PINGS
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()


def test_the_console_shows_plain_text_not_markdown() -> None:
    card = Card(title="Suzy Bae", fields=(Field("Gu Family Book (2013)", "as **Yeol-wool** · `#5`"),))
    text = to_text(Reply(text="No actor called “\\*Bo\\*”.", card=card))
    assert "as Yeol-wool · #5" in text
    assert "“*Bo*”" in text
    assert "**" not in text and "\\" not in text


async def test_a_select_is_rendered_on_its_own_row_below_the_buttons_and_in_the_console() -> None:
    from bot.buttons import CardSelect
    from bot.replies import Option, Select

    menu = Select(
        "kinds",
        tuple(Option(f"Kind {i}", f"k{i}", f"{i} questions", default=i < 2) for i in range(30)),
        placeholder="Which kinds",
        max_values=30,
    )
    card = Card(title="Settings", buttons=CARD.buttons, selects=(menu,))
    view = message_kwargs(Reply(card=card))["view"]
    select = view.children[-1]
    assert isinstance(select, CardSelect) and select.item.custom_id == "pms:kinds:"
    assert len(select.item.options) == 25 and select.item.max_values == 25  # Discord's limit on options
    assert [o.label for o in select.item.options if o.default] == ["Kind 0", "Kind 1"]
    rows = [[c["type"] for c in row["components"]] for row in view.to_components()]
    assert rows == [[2, 2], [3]]  # two buttons, then the menu on a row of its own
    text = to_text(Reply(card=card))
    assert "Which kinds (chosen: Kind 0, Kind 1)" in text and "  [x] Kind 1" in text and "  [ ] Kind 2" in text


async def test_a_view_and_an_embed_build_their_payloads_once() -> None:
    kwargs = message_kwargs(Reply(card=CARD))
    assert kwargs["view"].to_components() is kwargs["view"].to_components()
    assert kwargs["embed"].to_dict() is kwargs["embed"].to_dict()
    assert kwargs["embed"].to_dict()["title"] == "#3 · Traffic Kiss"
