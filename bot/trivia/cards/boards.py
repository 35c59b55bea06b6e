"""Boards by period, a member's standing, and seasons ending: their cards and buttons. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

from datetime import date

from bot.matching import quote_input
from bot.replies import GOLD, GREY, Button, Card, Field, Reply, notice
from bot.text import plural
from bot.trivia.cards.common import day_name, display, is_date
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


def _summary(p: Placed) -> str:
    s = p.score
    streak = f", streak {s.streak}" if s.streak > 1 else ""
    return f"{plural(s.points, 'point')} in {plural(s.rounds_answered, 'round')}{streak}"


# --- boards by period, scores, seasons ------------------------------------------------------------

BOARD_ACTION = "board"  # the ◀ ▶ buttons of a board (their handler is registered by the trivia cog)
SEASON_END_ACTION = "season_end"  # the confirmation of /trivia season new
SEASON_KEEP_ACTION = "season_keep"
SEASON_CONFIRM_SECONDS = 600  # a confirmation older than this ends nothing
BOARD_ORDER = "Most points first; on equal points, fewer rounds answered first."


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


def period_name(period: Period) -> str:
    """The board's period in words: 'the week from Monday 11 January 2027', 'January 2027', 'season 2'."""
    if period.kind == WEEK:
        return f"the week from Monday {day_name(date.fromisoformat(period.key))}"
    if period.kind == MONTH:
        return date.fromisoformat(period.key + "-01").strftime("%B %Y")
    if period.kind == SEASON:
        return f"season {period.key}"
    return "all time"


def board_card(board: Board, server: str, *, ephemeral: bool = False) -> Reply:
    """A page of a period's board: 10 members with points and rounds answered, the caller's place, ◀ ▶."""
    period = board.period
    lines = [f"**{p.place}.** {display(p.score.display_name)}: {_summary(p)}" for p in board.top]
    if lines:
        description = "\n".join(lines)
    elif board.page:
        description = f"No one on page {board.page + 1}: the board has {plural(board.members, 'member')}."
    else:
        description = f"No scores yet for {period_name(period)}: answer a round to get on the board."
    if board.caller:
        you = f"You are **#{board.caller.place}**: {_summary(board.caller)}."
    else:
        you = f"You have no rounds in {period_name(period)} yet: your next answer puts you on the board."
    buttons: tuple[Button, ...] = ()
    if board.pages > 1:
        last = min(board.pages, MAX_PAGES) - 1
        buttons = (
            Button("◀", BOARD_ACTION, board_argument(period, max(board.page - 1, 0)), disabled=board.page == 0),
            Button("▶", BOARD_ACTION, board_argument(period, min(board.page + 1, last)), disabled=board.page >= last),
        )
    title = "all time" if period.kind == ALL_TIME else period_name(period)
    return Reply(
        card=Card(
            title=f"Trivia leaderboard: {quote_input(server, 80)}, {title}",
            description=description,
            colour=GOLD,
            fields=(Field("Your place", you),),
            footer=f"Page {board.page + 1} of {board.pages}. {BOARD_ORDER}",
            buttons=buttons,
        ),
        ephemeral=ephemeral,
    )


def standing_card(standing: Standing, name: str, *, own: bool) -> Reply:
    """/trivia score: this season's and all-time points and places, accuracy, streaks."""
    who = display(name)
    placed = standing.all_time
    if placed is None or placed.score.rounds_answered == 0:
        return notice("You haven't answered a round here yet." if own else f"{who} hasn't answered a round here yet.")
    s = placed.score
    season = standing.this_season
    if season is None:
        this_season = f"no rounds yet in season {standing.season}"
    else:
        this_season = f"{_summary(season)}, place #{season.place}"
    return Reply(
        card=Card(
            title=f"Trivia score: {who}",
            colour=GOLD,
            fields=(
                Field("Points", str(s.points), inline=True),
                Field("Rounds answered", str(s.rounds_answered), inline=True),
                Field("Right", f"{round(100 * s.points / s.rounds_answered)}%", inline=True),
                Field("Streak", f"{s.streak} in a row (best {s.best_streak})", inline=True),
                Field("Place", f"#{placed.place} all time", inline=True),
                Field(f"Season {standing.season}", this_season, inline=True),
            ),
            footer="Points, rounds, accuracy and place are all time; the season's start from zero with each season.",
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


def season_new_prompt(number: int, board: Board, now: float) -> Reply:
    leader = (
        f" {display(board.top[0].score.display_name)} leads with {plural(board.top[0].score.points, 'point')}."
        if board.top
        else ""
    )
    return Reply(
        text=(
            f"End season {number}? Its final top 10 is posted in the trivia channel, and season {number + 1} "
            f"starts from zero for everyone. All-time points keep counting.{leader} "
            f"A round open now counts in season {number + 1}."
        ),
        card=Card(
            title=f"End season {number}?",
            description=f"{plural(board.members, 'member')} scored in season {number}.",
            colour=GREY,
            buttons=(
                Button(f"End season {number}", SEASON_END_ACTION, season_argument(number, now), style="danger"),
                Button("Keep it going", SEASON_KEEP_ACTION),
            ),
            footer="This confirmation works for 10 minutes.",
        ),
        ephemeral=True,
    )


def season_final_card(ended: SeasonEnded, server: str) -> Card:
    """Posted in the trivia channel when a season ends, and shown again by /trivia season show."""
    final = ended.final
    lines = [f"**{p.place}.** {display(p.score.display_name)}: {_summary(p)}" for p in final.top]
    return Card(
        title=f"Season {ended.number} final board: {quote_input(server, 80)}",
        description="\n".join(lines) if lines else "Nobody scored in this season.",
        colour=GOLD,
        fields=(Field("Ended", f"<t:{int(ended.ended_at)}:D>", inline=True),),
        footer=f"{BOARD_ORDER} /trivia season show number:{ended.number} shows this board again.",
    )


def season_ended(ended: SeasonEnded, channel_id: int | None, posted: bool) -> Reply:
    where = f" Its final board is posted in <#{channel_id}>." if posted and channel_id else ""
    missing = (
        "" if posted else " I couldn't post its final board in the trivia channel; `/trivia season show` shows it."
    )
    return notice(
        f"Season {ended.number} has ended and season {ended.number + 1} starts now, from zero.{where}{missing}"
    )


def season_already_ended(number: int) -> Reply:
    return notice(f"Season {number} had already ended; nothing changed. `/trivia season show number:{number}`.")


def season_kept() -> Reply:
    return notice("The season goes on; nothing changed.")


def season_expired() -> Reply:
    return notice("That confirmation is more than 10 minutes old, so it ended nothing. Run `/trivia season new` again.")


def past_season(ended: SeasonEnded | None, number: int, current: int, server: str) -> Reply:
    if ended is not None:
        you = ended.final.caller
        text = f"You were #{you.place}: {_summary(you)}." if you else None
        return Reply(text=text, card=season_final_card(ended, server))
    if number == current:
        return notice(f"Season {number} is the current one: `/trivia leaderboard period:season` shows it live.")
    seasons = "no season has ended yet" if current == 1 else f"seasons 1 to {current - 1} have ended"
    return notice(f"There is no season {number} to show here: {seasons}.")
