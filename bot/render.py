"""The one place that turns replies into what people see: Discord embeds and buttons, or console text.

Buttons are `bot.buttons.CardButton`s. In the offline console an `OfflineInteraction` stands in for Discord's:
`respond` and `replace` hand it the reply instead of sending anything, so a command answers offline through
the very code that answers it in Discord.
"""

from __future__ import annotations

import functools
import io
import re
import textwrap
from typing import Any

import discord

from bot.buttons import CardButton, CardSelect
from bot.i18n import ENGLISH, messages
from bot.operations.instrument import first_response_sent
from bot.replies import Card, Reply
from bot.text import clip

# Discord's limits on messages (discord.com/developers/docs/resources/message, "Embed Limits").
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
BUTTONS_PER_ROW = 5
ROWS_LIMIT = 5

NO_PINGS = discord.AllowedMentions.none()


class SharedEmbed(discord.Embed):
    """An embed built once per card and sent many times: its payload is built once too (on the first send)."""

    _payload: dict[str, Any] | None = None

    def to_dict(self) -> Any:  # discord.py's EmbedData
        if self._payload is None:
            self._payload = super().to_dict()  # type: ignore[assignment]
        return self._payload


class CardView(discord.ui.View):
    """A card's buttons and menus, with nothing for discord.py to track.

    Every item is a DynamicItem, dispatched by its custom id (bot/buttons.py), so the view needs none of what
    discord.py keeps a view for (callbacks, a timeout). Saying it is finished keeps discord.py from storing it
    for each message it is sent with and from giving it a timeout on a private message; its components, like
    its card, never change, so they are built once.
    """

    _components: list[dict[str, Any]] | None = None

    def is_finished(self) -> bool:
        return True

    def to_components(self) -> list[dict[str, Any]]:
        if self._components is None:
            self._components = super().to_components()
        return self._components


@functools.lru_cache(maxsize=128)
def embed(card: Card) -> discord.Embed:
    """The card as an embed. Cards are immutable, so each is built once and shared: never modify the result."""
    result = SharedEmbed(
        title=clip(card.title, TITLE_LIMIT),
        description=clip(card.description, DESCRIPTION_LIMIT) or None,
        url=card.url,
        colour=card.colour,
    )
    for f in card.fields[:FIELD_COUNT_LIMIT]:
        result.add_field(name=clip(f.name, FIELD_NAME_LIMIT), value=clip(f.value, FIELD_VALUE_LIMIT), inline=f.inline)
    if card.footer:
        result.set_footer(text=clip(card.footer, FOOTER_LIMIT))
    while len(result) > EMBED_TOTAL_LIMIT and result.fields:
        result.remove_field(-1)
    return result


@functools.lru_cache(maxsize=128)
def _shared_view(card: Card) -> CardView:
    """One view per card, shared by every public message that shows it (a private card, often one member's
    own, is built for its one message and not kept)."""
    return _build_view(card)


def _build_view(card: Card) -> CardView:
    """The card's buttons, five to a row, then its menus, one a row."""
    result = CardView(timeout=None)
    button_rows = -(-min(len(card.buttons), BUTTONS_PER_ROW * ROWS_LIMIT) // BUTTONS_PER_ROW)
    selects = card.selects[: ROWS_LIMIT - button_rows]
    for index, spec in enumerate(card.buttons[: BUTTONS_PER_ROW * (ROWS_LIMIT - len(selects))]):
        result.add_item(CardButton(spec, row=index // BUTTONS_PER_ROW))
    for offset, menu in enumerate(selects):
        result.add_item(CardSelect(menu, row=button_rows + offset))
    return result


def message_kwargs(reply: Reply) -> dict[str, Any]:
    """Keyword arguments for send_message / followup.send / edit_message. Nothing in them can ping."""
    kwargs: dict[str, Any] = {
        "content": clip(reply.text, CONTENT_LIMIT) if reply.text else None,
        "embed": embed(reply.card) if reply.card else None,
        "allowed_mentions": NO_PINGS,
    }
    if reply.card and (reply.card.buttons or reply.card.selects):
        kwargs["view"] = _build_view(reply.card) if reply.ephemeral else _shared_view(reply.card)
    if reply.file is not None:
        kwargs["file"] = discord.File(io.BytesIO(reply.file.data), filename=reply.file.filename)
    return kwargs


class OfflineInteraction:
    """Stands in for a Discord interaction in the offline console: it keeps the replies it is given, and has a
    locale as Discord's has (`ko` for Korean answers)."""

    def __init__(self, locale: str = "en-US") -> None:
        self.replies: list[Reply] = []
        self.locale = locale


async def respond(interaction: discord.Interaction[Any] | OfflineInteraction, reply: Reply) -> None:
    """Answer an interaction with a reply, whether or not it was deferred."""
    if isinstance(interaction, OfflineInteraction):
        interaction.replies.append(reply)
        return
    kwargs = message_kwargs(reply)
    if interaction.response.is_done():
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        await interaction.followup.send(ephemeral=reply.ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=reply.ephemeral, **kwargs)
        first_response_sent(interaction)


async def replace(interaction: discord.Interaction[Any] | OfflineInteraction, reply: Reply) -> None:
    """Answer a button click by replacing the message the button is on (a private reply is sent apart)."""
    if reply.ephemeral or isinstance(interaction, OfflineInteraction):
        await respond(interaction, reply)
        return
    kwargs = message_kwargs(reply)
    kwargs.setdefault("view", None)
    await interaction.response.edit_message(**kwargs)
    first_response_sent(interaction)


# --- console text ---------------------------------------------------------------------------------

WIDTH = 78
_EMPHASIS = re.compile(r"(?<!\\)(\*\*|\*|`)")  # Discord markdown a terminal shows as clutter
_ESCAPED = re.compile(r"\\([\\*_`~|>#\[\]()])")


def plain(text: str) -> str:
    """Discord markdown as a terminal should show it: no emphasis marks, no escaping backslashes."""
    return _ESCAPED.sub(r"\1", _EMPHASIS.sub("", text))


def to_text(reply: Reply, language: str = ENGLISH) -> str:
    """The same reply as plain text for the offline console, its own words in `language`."""
    parts: list[str] = []
    if reply.text:
        parts.append(plain(reply.text))
    if reply.card:
        parts.append(card_text(reply.card))
    if reply.file is not None:
        parts.append(f"(a file: {reply.file.filename}, {len(reply.file.data):,} bytes)")
    if reply.ephemeral:
        parts.append(messages().text("console.only_you", language))
    return "\n\n".join(parts)


def card_text(card: Card) -> str:
    title = plain(card.title)
    lines = [title, "=" * min(len(title), WIDTH)]
    if card.description:
        lines += [_wrap(plain(card.description)), ""]
    for f in card.fields:
        lines += [f"{plain(f.name)}:", textwrap.indent(_wrap(plain(f.value), WIDTH - 2), "  ")]
    if card.buttons:
        lines.append("")
        lines.append("  ".join(f"[{'x ' if b.disabled else ''}{b.label}]" for b in card.buttons))
    for menu in card.selects:
        chosen = ", ".join(o.label for o in menu.options if o.default) or "none"
        lines += ["", f"{plain(menu.placeholder or 'Choose')} (chosen: {chosen})"]
        lines += [f"  [{'x' if o.default else ' '}] {o.label}" for o in menu.options]
    if card.footer:
        lines += ["", _wrap(plain(card.footer))]
    return "\n".join(lines).rstrip()


def _wrap(text: str, width: int = WIDTH) -> str:
    return "\n".join(textwrap.fill(p, width) if p.strip() else "" for p in text.split("\n"))
