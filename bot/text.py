"""Small text helpers every feature uses. No discord import."""

from __future__ import annotations

ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """The text cut to at most `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 point`, `2 points`; `many` for nouns that don't just take an s."""
    return f"{count} {noun}" if count == 1 else f"{count} {many or noun + 's'}"
