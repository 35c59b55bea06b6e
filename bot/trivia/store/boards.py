"""Scores and boards: a member's points by period (all time, week, month, season), pages and places, and
seasons ending. No discord import."""

from __future__ import annotations

from dataclasses import dataclass

from bot.database import Executor, Row
from bot.trivia.clock import BoardClock
from bot.trivia.rules import ALL_TIME, LEADERBOARD_SIZE, MONTH, SEASON, WEEK
from bot.trivia.store.base import StoreBase
from bot.trivia.store.models import (
    Board,
    Period,
    Placed,
    Round,
    Score,
    SeasonEnded,
    Standing,
    TriviaError,
    score_of,
)

AHEAD = ("higher", "fewer")  # more points; or as many, in fewer rounds
LEVEL_AND_BEHIND = ("level", "more", "lower")  # the same points and rounds; as many points in more rounds; fewer


class BoardStore(StoreBase):
    # --- scores -----------------------------------------------------------------------------------

    async def score(self, guild_id: int, user_id: int) -> Placed | None:
        """A member's all-time points, streaks and place; None if they never answered here."""
        return await self.placed_in(guild_id, user_id, Period(ALL_TIME, ""))

    # --- boards by period, and seasons ---------------------------------------------------------------

    @staticmethod
    async def _add_points(tx: Executor, closed: Round, season: int, now: float, clock: BoardClock) -> None:
        """A closing round's answers, added to each member's row in one statement: all time (and the streaks),
        this week, this month and the current season (a member's week, month or season starts again from their
        first round in a new one), each in the server's zone at close time (`clock`). Inside close_round's
        transaction, so a season ending at the same moment gets the round once: before or after."""
        await tx.execute(
            "INSERT INTO scores (guild_id, user_id, display_name, points, rounds_answered, streak, best_streak,"
            "  week, week_points, week_rounds, month, month_points, month_rounds, season, season_points, season_rounds)"
            " SELECT guild_id, user_id, display_name, p, 1, p, p, ?4, p, 1, ?5, p, 1, CAST(?6 AS INTEGER), p, 1"
            " FROM (SELECT guild_id, user_id, display_name, CASE WHEN choice = ?1 THEN 1 ELSE 0 END AS p"
            "       FROM answers WHERE guild_id = ?2 AND round_id = ?3) AS scored WHERE TRUE"
            " ON CONFLICT(guild_id, user_id) DO UPDATE SET"
            "  display_name = CASE WHEN excluded.display_name <> '' THEN excluded.display_name"
            "                 ELSE scores.display_name END,"
            "  points = scores.points + excluded.points,"
            "  rounds_answered = scores.rounds_answered + 1,"
            "  streak = CASE WHEN excluded.points = 1 THEN scores.streak + 1 ELSE 0 END,"
            "  best_streak = CASE WHEN excluded.points = 1 AND scores.streak + 1 > scores.best_streak"
            "                THEN scores.streak + 1 ELSE scores.best_streak END,"
            "  week = excluded.week,"
            "  week_points = CASE WHEN scores.week = excluded.week THEN scores.week_points ELSE 0 END"
            "                + excluded.points,"
            "  week_rounds = CASE WHEN scores.week = excluded.week THEN scores.week_rounds ELSE 0 END + 1,"
            "  month = excluded.month,"
            "  month_points = CASE WHEN scores.month = excluded.month THEN scores.month_points ELSE 0 END"
            "                 + excluded.points,"
            "  month_rounds = CASE WHEN scores.month = excluded.month THEN scores.month_rounds ELSE 0 END + 1,"
            "  season = excluded.season,"
            "  season_points = CASE WHEN scores.season = excluded.season THEN scores.season_points ELSE 0 END"
            "                  + excluded.points,"
            "  season_rounds = CASE WHEN scores.season = excluded.season THEN scores.season_rounds ELSE 0 END + 1",
            closed.question.answer,
            closed.guild_id,
            closed.id,
            clock.week(now),
            clock.month(now),
            season,
        )

    async def current_season(self, guild_id: int) -> int:
        return await self._season(self.db, guild_id, lock=False)

    async def _season(self, q: Executor, guild_id: int, *, lock: bool = True) -> int:
        season = await q.fetch_value(
            "SELECT season FROM guild_settings WHERE guild_id = ?" + (self._share if lock else ""), guild_id
        )
        return int(season) if season is not None else 1

    async def period(self, guild_id: int, kind: str, now: float) -> Period:
        """The board of `kind` that `now` falls in (for a season: the server's current one)."""
        if kind in (WEEK, MONTH):
            row = await self.db.fetch_one(
                "SELECT timezone, previous_timezone, timezone_changed_at FROM guild_settings WHERE guild_id = ?",
                guild_id,
            )
            clock = BoardClock(*row) if row else BoardClock()
            return Period(kind, clock.week(now) if kind == WEEK else clock.month(now))
        if kind == SEASON:
            return Period(SEASON, str(await self.current_season(guild_id)))
        if kind == ALL_TIME:
            return Period(ALL_TIME, "")
        raise TriviaError("trivia.error.no_board", kind=kind)

    async def _board_rows(self, guild_id: int, period: Period) -> _BoardRows:
        """Where a board's rows are: a member's own row for all time, this week, this month and the current
        season (migration 8), an ended season's final board in season_scores."""
        if period.kind == ALL_TIME:
            return _BoardRows.of_scores("guild_id = ?", (guild_id,), "points", "rounds_answered")
        if period.kind == WEEK:
            return _BoardRows.of_scores(
                "guild_id = ? AND week = ?", (guild_id, period.key), "week_points", "week_rounds"
            )
        if period.kind == MONTH:
            return _BoardRows.of_scores(
                "guild_id = ? AND month = ?", (guild_id, period.key), "month_points", "month_rounds"
            )
        season = int(period.key)
        if season == await self.current_season(guild_id):
            return _BoardRows.of_scores(
                "guild_id = ? AND season = ?", (guild_id, season), "season_points", "season_rounds"
            )
        return _BoardRows(
            "season_scores AS p",
            "SELECT p.user_id, p.points, p.rounds_answered, COALESCE(s.display_name, '') AS display_name,"
            " 0 AS streak, 0 AS best_streak"
            " FROM season_scores AS p LEFT JOIN scores AS s ON s.guild_id = p.guild_id AND s.user_id = p.user_id",
            "p.guild_id = ? AND p.season = ?",
            (guild_id, season),
            "p.points",
            "p.rounds_answered",
            "p.user_id",
        )

    async def board(self, guild_id: int, user_id: int, period: Period, page: int = 0) -> Board:
        """A page of the period's board (10 a page), the caller's place, and how many members it has. A week's
        or a month's board is only kept while it is the current one (see `period`). Two statements: the page,
        then the rest in one (`_BoardRows.summary`)."""
        page = max(0, page)
        source = await self._board_rows(guild_id, period)
        offset = page * LEADERBOARD_SIZE
        rows = await self.db.fetch(
            f"{source.select} WHERE {source.where} ORDER BY {source.order} LIMIT ? OFFSET ?",
            *source.args,
            LEADERBOARD_SIZE,
            offset,
        )
        sql, args = source.summary(guild_id, user_id, offset)
        [summary] = await self.db.fetch(sql, *args)
        top = _placed_rows(rows, page, summary["head_place"])
        members, caller = int(summary["everyone"] or 0), None
        if summary["user_id"] is not None:
            members = sum(int(summary[name]) for name in (*AHEAD, *LEVEL_AND_BEHIND))
            caller = Placed(1 + sum(int(summary[name]) for name in AHEAD), score_of(summary))
        caller = next((p for p in top if p.score.user_id == user_id), caller)
        season = int(period.key) if period.kind == SEASON else int(summary["season"] or 1)
        return Board(period, page, tuple(top), caller, members, season)

    async def placed_in(self, guild_id: int, user_id: int, period: Period) -> Placed | None:
        """A member's points and place on one period's board; None if they have no row there."""
        return await self._placed(await self._board_rows(guild_id, period), user_id)

    async def _placed(self, source: _BoardRows, user_id: int) -> Placed | None:
        row = await self.db.fetch_one(
            f"{source.select} WHERE {source.where} AND {source.user_id} = ?", *source.args, user_id
        )
        if row is None:
            return None
        score = score_of(row)
        return Placed(await self._place(source, score), score)

    async def _place(self, source: _BoardRows, score: Score) -> int:
        """1 + how many are ahead of these points and rounds on the board (two counts on its index)."""
        ahead = await self.db.fetch_value(
            f"SELECT (SELECT COUNT(*) FROM {source.table} WHERE {source.where} AND {source.points} > ?)"
            f" + (SELECT COUNT(*) FROM {source.table} WHERE {source.where} AND {source.points} = ?"
            f"    AND {source.rounds} < ?)",
            *source.args,
            score.points,
            *source.args,
            score.points,
            score.rounds_answered,
        )
        return 1 + int(ahead or 0)

    async def standing(self, guild_id: int, user_id: int) -> Standing:
        """What /trivia score shows: the member's current season and all time."""
        season = await self.current_season(guild_id)
        return Standing(
            season,
            await self.placed_in(guild_id, user_id, Period(SEASON, str(season))),
            await self.score(guild_id, user_id),
        )

    async def end_season(self, guild_id: int, number: int, now: float) -> SeasonEnded | None:
        """End season `number` (if it is still the current one) and start the next from zero; all time carries
        on. None when that season had already ended (a second click of the same confirmation). The season moves
        on in one write (which waits for a close holding the server's season), so a round closing meanwhile
        counts in exactly one of the two seasons."""
        async with self.db.transaction() as tx:
            await tx.execute("INSERT INTO guild_settings (guild_id) VALUES (?) ON CONFLICT DO NOTHING", guild_id)
            if not await tx.execute(
                "UPDATE guild_settings SET season = season + 1 WHERE guild_id = ? AND season = ?", guild_id, number
            ):
                return None
            await tx.execute("INSERT INTO seasons (guild_id, number, ended_at) VALUES (?, ?, ?)", guild_id, number, now)
            await tx.execute(
                "INSERT INTO season_scores (guild_id, season, user_id, points, rounds_answered)"
                " SELECT guild_id, season, user_id, season_points, season_rounds FROM scores"
                " WHERE guild_id = ? AND season = ?",
                guild_id,
                number,
            )
        final = await self.board(guild_id, 0, Period(SEASON, str(number)))
        return SeasonEnded(number, now, final)

    async def past_season(self, guild_id: int, number: int, user_id: int) -> SeasonEnded | None:
        """An ended season's final board (and the caller's place on it); None if it has not ended."""
        row = await self.db.fetch_one(
            "SELECT ended_at FROM seasons WHERE guild_id = ? AND number = ?", guild_id, number
        )
        if row is None:
            return None
        return SeasonEnded(number, float(row[0]), await self.board(guild_id, user_id, Period(SEASON, str(number))))


@dataclass(frozen=True, slots=True)
class _BoardRows:
    """Where one board's rows are read: `select` (rows shaped for score_of) from `table`, those matching `where`
    on `args`, in the board's order of `points` (most first), `rounds` (fewest first) and `user_id`: the order
    of the board's own index, so a page, a count and a place each read one range of it."""

    table: str
    select: str
    where: str
    args: tuple[object, ...]
    points: str
    rounds: str
    user_id: str = "user_id"

    @classmethod
    def of_scores(cls, where: str, args: tuple[object, ...], points: str, rounds: str) -> _BoardRows:
        streaks = "streak, best_streak" if points == "points" else "0 AS streak, 0 AS best_streak"  # all time's
        select = f"SELECT user_id, {points} AS points, {rounds} AS rounds_answered, display_name, {streaks} FROM scores"
        return cls("scores", select, where, args, points, rounds)

    @property
    def order(self) -> str:
        return f"{self.points} DESC, {self.rounds}, {self.user_id}"

    def summary(self, guild_id: int, user_id: int, offset: int) -> tuple[str, tuple[object, ...]]:
        """One row of what a board shows beside its page (with its parameters): the server's current season; the
        caller's row (NULLs when they have none) and how many on the board are ahead of, level with and behind
        them, in five ranges of the board's index that together hold every member once (one pass over the
        board, where a count of it and a count of those ahead would be two); the board's size counted only when
        the caller has no row; and the place of the page's first row (the row at `offset`: it may share the
        place of the page before). The caller and that row are one row each, so each count runs once."""
        caller, head = "caller", "head"
        ranges = self._ranges(caller)
        counts = [f"{self._count(condition)} AS {name}" for name, condition in ranges.items()]
        ahead_of_head = [self._count(self._ranges(head)[name]) for name in AHEAD]
        sql = (
            "SELECT (SELECT season FROM guild_settings WHERE guild_id = ?) AS season,"
            f" CASE WHEN {caller}.user_id IS NULL THEN {self._count('')} END AS everyone,"
            f" {caller}.user_id, {caller}.points, {caller}.rounds_answered, {caller}.display_name, {caller}.streak,"
            f" {caller}.best_streak, {', '.join(counts)}, 1 + {' + '.join(ahead_of_head)} AS head_place"
            " FROM (SELECT 1 AS one) AS here"
            f" LEFT JOIN ({self.select} WHERE {self.where} AND {self.user_id} = ?) AS {caller} ON TRUE"
            f" LEFT JOIN ({self.select} WHERE {self.where} ORDER BY {self.order} LIMIT 1 OFFSET ?) AS {head} ON TRUE"
        )
        board = self.args
        return sql, (guild_id, *board * (1 + len(ranges) + len(AHEAD)), *board, user_id, *board, offset)

    def _ranges(self, row: str) -> dict[str, str]:
        """Those on the board ahead of `row` (higher, fewer), level with it, and behind it (more, lower): each
        one range of the board's index, and together every member once."""
        points, rounds = f"{row}.points", f"{row}.rounds_answered"
        return {
            "higher": f"{self.points} > {points}",
            "fewer": f"{self.points} = {points} AND {self.rounds} < {rounds}",
            "level": f"{self.points} = {points} AND {self.rounds} = {rounds}",
            "more": f"{self.points} = {points} AND {self.rounds} > {rounds}",
            "lower": f"{self.points} < {points}",
        }

    def _count(self, condition: str) -> str:
        """How many on the board meet `condition` (none: all of them): one range of the board's index."""
        return f"(SELECT COUNT(*) FROM {self.table} WHERE {self.where}{' AND ' + condition if condition else ''})"


def _placed_rows(rows: list[Row], page: int, head_place: int | None) -> list[Placed]:
    """A page's rows with their places: members equal on points and rounds share one; the page's first row
    has `head_place` (counted: it may be tied with the page before)."""
    top: list[Placed] = []
    for index, row in enumerate(rows):
        score = score_of(row)
        if top and (top[-1].score.points, top[-1].score.rounds_answered) == (score.points, score.rounds_answered):
            place = top[-1].place
        elif index == 0 and head_place is not None:
            place = int(head_place)
        else:
            place = page * LEADERBOARD_SIZE + index + 1
        top.append(Placed(place, score))
    return top
