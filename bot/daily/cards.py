"""What the moment of the day says: its post, and the answers to /daily. No discord import."""

from __future__ import annotations

from bot.catalogue import Catalogue
from bot.daily.store import DailySettings
from bot.lookups.cards import moment_card
from bot.replies import Reply, notice
from bot.trivia.clock import DEFAULT_ZONE, format_time

HEADER = "🌸 **Moment of the day**"


def daily_post(catalogue: Catalogue, rank: int) -> Reply | None:
    """The day's post: the moment's card, as /moment shows it (None if the rank is no longer in the catalogue)."""
    moment = catalogue.by_rank(rank)
    if moment is None:
        return None
    return Reply(text=HEADER, card=moment_card(catalogue, moment))


def started(settings: DailySettings) -> Reply:
    at = format_time(settings.post_time)
    zone_name = settings.timezone or DEFAULT_ZONE
    first = int(settings.next_post_at or 0)
    return notice(
        f"A moment of the day will be posted in <#{settings.channel_id}> every day at {at} ({zone_name} time), "
        f"each moment once before any comes again; the first <t:{first}:F> (<t:{first}:R>). "
        "`/trivia config timezone:` changes the zone; `/daily stop` ends it."
    )


def stopped(had: bool) -> Reply:
    return notice("The moment of the day is stopped." if had else "There was no moment of the day to stop.")


def offline() -> Reply:
    return notice(
        "The moment of the day works in a server: `/daily channel` (Manage Server) posts a moment's card there every "
        "day at a local time, each moment once before any comes again. Offline, `/moment random` shows one."
    )
