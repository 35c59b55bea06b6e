"""Boards by period, a member's standing, and seasons ending: their cards and buttons. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

from datetime import date

from bot.i18n import ENGLISH
from bot.matching import quote_input
from bot.replies import GOLD, GREY, Button, Card, Field, Reply, notice
from bot.trivia.cards.common import day_name, display, is_date, words
from bot.trivia.rules import (
    ALL_TIME,
    MAX_PAGES,
    MONTH,
    PERIODS,
    SEASON,
    WEEK,
)
from bot.trivia.store import (
    Board,
    Period,
    Placed,
    SeasonEnded,
    Standing,
)


def _summary(p: Placed, language: str = ENGLISH) -> str:
    w = words(language)
    s = p.score
    streak = w("trivia.board.streak", n=s.streak) if s.streak > 1 else ""
    points, rounds = w.count("trivia.points", s.points), w.count("trivia.rounds", s.rounds_answered)
    return w("trivia.board.summary", points=points, rounds=rounds, streak=streak)


# --- boards by period, scores, seasons ------------------------------------------------------------

BOARD_ACTION = "board"  # the ◀ ▶ buttons of a board (their handler is registered by the trivia cog)
SEASON_END_ACTION = "season_end"  # the confirmation of /trivia season new
SEASON_KEEP_ACTION = "season_keep"
SEASON_CONFIRM_SECONDS = 600  # a confirmation older than this ends nothing
BOARD_ORDER = "Most points first; on equal points, fewer rounds answered first."  # trivia.board.order


def board_argument(period: Period, page: int) -> str:
    """What a board's button carries: the period, its key (the week, month or season) and the page."""
    return f"{period.kind}:{period.key}:{page}"


def parse_board_argument(argument: str) -> tuple[Period, int] | None:
    parts = argument.split(":")
    if len(parts) != 3 or parts[0] not in PERIODS or not parts[2].isdigit():
        return None
    kind, key, page = parts
    valid = {
        WEEK: is_date(key),
        MONTH: len(key) == 7 and is_date(key + "-01"),
        SEASON: key.isdigit() and int(key) >= 1,
        ALL_TIME: key == "",
    }[kind]
    return (Period(kind, key), min(int(page), MAX_PAGES - 1)) if valid else None


def board_period_over(period: Period) -> Reply:
    """A ◀ ▶ click on the board of a week or month that has ended (only the current one's board is kept)."""
    name = period_name(period)
    return notice(
        f"{name[0].upper()}{name[1:]} is over, and its board is no longer kept. "
        f"`/trivia leaderboard period:{PERIODS[period.kind]}` shows {PERIODS[period.kind]}'s."
    )


def period_name(period: Period, language: str = ENGLISH) -> str:
    """The board's period in words: 'the week from Monday 11 January 2027', 'January 2027', 'season 2'."""
    w = words(language)
    if period.kind == WEEK:
        return w("trivia.period.week", day=day_name(date.fromisoformat(period.key), language))
    if period.kind == MONTH:
        first = date.fromisoformat(period.key + "-01")
        return w("trivia.month", month=first.strftime("%B") if language == ENGLISH else first.month, year=first.year)
    if period.kind == SEASON:
        return w("trivia.period.season", n=period.key)
    return w("trivia.period.all")


def board_card(board: Board, server: str, *, ephemeral: bool = False, language: str = ENGLISH) -> Reply:
    """A page of a period's board: 10 members with points and rounds answered, the caller's place, ◀ ▶."""
    w = words(language)
    period = board.period
    lines = [f"**{p.place}.** {display(p.score.display_name)}: {_summary(p, language)}" for p in board.top]
    if lines:
        description = "\n".join(lines)
    elif board.page:
        members = w.count("trivia.members", board.members)
        description = w("trivia.board.empty_page", page=board.page + 1, members=members)
    else:
        description = w("trivia.board.empty", period=period_name(period, language))
    if board.caller:
        you = w("trivia.board.you", place=board.caller.place, summary=_summary(board.caller, language))
    else:
        you = w("trivia.board.not_yet", period=period_name(period, language))
    buttons: tuple[Button, ...] = ()
    if board.pages > 1:
        last = min(board.pages, MAX_PAGES) - 1
        buttons = (
            Button("◀", BOARD_ACTION, board_argument(period, max(board.page - 1, 0)), disabled=board.page == 0),
            Button("▶", BOARD_ACTION, board_argument(period, min(board.page + 1, last)), disabled=board.page >= last),
        )
    return Reply(
        card=Card(
            title=w("trivia.board.title", server=quote_input(server, 80), period=period_name(period, language)),
            description=description,
            colour=GOLD,
            fields=(Field(w("trivia.board.your_place"), you),),
            footer=w("trivia.board.footer", page=board.page + 1, pages=board.pages, order=w("trivia.board.order")),
            buttons=buttons,
        ),
        ephemeral=ephemeral,
    )


def standing_card(standing: Standing, name: str, *, own: bool, language: str = ENGLISH) -> Reply:
    """/trivia score: this season's and all-time points and places, accuracy, streaks."""
    w = words(language)
    who = display(name)
    placed = standing.all_time
    if placed is None or placed.score.rounds_answered == 0:
        return notice(w("trivia.score.none_own") if own else w("trivia.score.none", who=who))
    s = placed.score
    season = standing.this_season
    if season is None:
        this_season = w("trivia.score.no_season", n=standing.season)
    else:
        this_season = w("trivia.score.season_place", summary=_summary(season, language), place=season.place)
    return Reply(
        card=Card(
            title=w("trivia.score.title", who=who),
            colour=GOLD,
            fields=(
                Field(w("trivia.score.points"), str(s.points), inline=True),
                Field(w("trivia.score.rounds"), str(s.rounds_answered), inline=True),
                Field(w("trivia.score.right"), f"{round(100 * s.points / s.rounds_answered)}%", inline=True),
                Field(
                    w("trivia.score.streak"),
                    w("trivia.score.streak_value", n=s.streak, best=s.best_streak),
                    inline=True,
                ),
                Field(w("trivia.score.place"), w("trivia.score.place_value", place=placed.place), inline=True),
                Field(w("trivia.score.season", n=standing.season), this_season, inline=True),
            ),
            footer=w("trivia.score.footer"),
        )
    )


def season_argument(number: int, now: float) -> str:
    return f"{number}:{int(now)}"


def parse_season_argument(argument: str, now: float) -> int | None:
    """The season a confirmation would end, if it was offered less than SEASON_CONFIRM_SECONDS ago."""
    number, _, offered = argument.partition(":")
    if not (number.isdigit() and offered.isdigit()):
        return None
    return int(number) if -5 <= now - int(offered) <= SEASON_CONFIRM_SECONDS else None


def season_new_prompt(number: int, board: Board, now: float, language: str = ENGLISH) -> Reply:
    w = words(language)
    leader = (
        w(
            "trivia.season.leader",
            who=display(board.top[0].score.display_name),
            points=w.count("trivia.points", board.top[0].score.points),
        )
        if board.top
        else ""
    )
    return Reply(
        text=w("trivia.season.prompt", n=number, next=number + 1, leader=leader),
        card=Card(
            title=w("trivia.season.prompt_title", n=number),
            description=w("trivia.season.scored", members=w.count("trivia.members", board.members), n=number),
            colour=GREY,
            buttons=(
                Button(
                    w("trivia.season.end_button", n=number),
                    SEASON_END_ACTION,
                    season_argument(number, now),
                    style="danger",
                ),
                Button(w("trivia.season.keep_button"), SEASON_KEEP_ACTION),
            ),
            footer=w("trivia.season.confirm_footer"),
        ),
        ephemeral=True,
    )


def season_final_card(ended: SeasonEnded, server: str, language: str = ENGLISH) -> Card:
    """Posted in the trivia channel when a season ends (in the server's language), and shown again by /trivia
    season show (in the member's)."""
    w = words(language)
    final = ended.final
    lines = [f"**{p.place}.** {display(p.score.display_name)}: {_summary(p, language)}" for p in final.top]
    return Card(
        title=w("trivia.season.final_title", n=ended.number, server=quote_input(server, 80)),
        description="\n".join(lines) if lines else w("trivia.season.nobody"),
        colour=GOLD,
        fields=(Field(w("trivia.season.ended_field"), f"<t:{int(ended.ended_at)}:D>", inline=True),),
        footer=w("trivia.season.final_footer", order=w("trivia.board.order"), n=ended.number),
    )


def season_ended(ended: SeasonEnded, channel_id: int | None, posted: bool, language: str = ENGLISH) -> Reply:
    w = words(language)
    where = w("trivia.season.posted_in", channel=f"<#{channel_id}>") if posted and channel_id else ""
    missing = "" if posted else w("trivia.season.not_posted")
    return notice(w("trivia.season.ended", n=ended.number, next=ended.number + 1, where=where, missing=missing))


def season_already_ended(number: int, language: str = ENGLISH) -> Reply:
    return notice(words(language)("trivia.season.already", n=number))


def season_kept(language: str = ENGLISH) -> Reply:
    return notice(words(language)("trivia.season.kept"))


def season_expired(language: str = ENGLISH) -> Reply:
    return notice(words(language)("trivia.season.expired"))


def past_season(ended: SeasonEnded | None, number: int, current: int, server: str, language: str = ENGLISH) -> Reply:
    w = words(language)
    if ended is not None:
        you = ended.final.caller
        text = w("trivia.season.you_were", place=you.place, summary=_summary(you, language)) if you else None
        return Reply(text=text, card=season_final_card(ended, server, language))
    if number == current:
        return notice(w("trivia.season.current", n=number))
    if current == 1:
        return notice(w("trivia.season.none_ended", n=number))
    return notice(w("trivia.season.missing", n=number, last=current - 1))
