"""What the moment of the day says: its post, and the answers to /daily. No discord import."""

from __future__ import annotations

from bot.catalogue import Catalogue
from bot.daily.store import DailySettings
from bot.i18n import ENGLISH
from bot.lookups.cards import moment_card
from bot.replies import Reply, notice
from bot.trivia.cards.common import words
from bot.trivia.clock import DEFAULT_ZONE, format_time


def daily_post(catalogue: Catalogue, rank: int, language: str = ENGLISH) -> Reply | None:
    """The day's post, in the server's language: the moment's card, as /moment shows it (None if the rank is no
    longer in the catalogue)."""
    moment = catalogue.by_rank(rank)
    if moment is None:
        return None
    w = words(language)
    return Reply(text=w("daily.header"), card=moment_card(catalogue, moment, words=w))


def started(settings: DailySettings, language: str = ENGLISH) -> Reply:
    first = int(settings.next_post_at or 0)
    return notice(
        words(language)(
            "daily.started",
            channel=f"<#{settings.channel_id}>",
            time=format_time(settings.post_time),
            zone=settings.timezone or DEFAULT_ZONE,
            first=f"<t:{first}:F>",
            when=f"<t:{first}:R>",
        )
    )


def stopped(had: bool, language: str = ENGLISH) -> Reply:
    return notice(words(language)("daily.stopped" if had else "daily.none_to_stop"))


def offline(language: str = ENGLISH) -> Reply:
    return notice(words(language)("daily.offline"))
