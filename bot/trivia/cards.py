"""What trivia looks like: rounds, reveals, leaderboards, scores, settings, as plain cards. No discord import.

Members are always named by their display name as plain text, never mentioned, so nothing here can ping.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime

from bot.catalogue import CastMember, Catalogue, Moment
from bot.matching import quote_input
from bot.replies import GOLD, GREY, TEAL, Button, Card, Field, Option, Reply, Select, notice
from bot.text import plural
from bot.trivia import questions
from bot.trivia.questions import Question
from bot.trivia.rules import (
    ALL_TIME,
    DEFAULT_ANSWER_SECONDS,
    MAX_ANSWER_SECONDS,
    MAX_PAGES,
    MIN_ANSWER_SECONDS,
    MONTH,
    PERIODS,
    SEASON,
    WEEK,
)
from bot.trivia.store import (
    Board,
    GuildSettings,
    Period,
    Placed,
    QuestionReports,
    Reveal,
    Round,
    SeasonEnded,
    Standing,
)

FIELD_VALUE_LIMIT = 1024  # Discord's limit on an embed field's value
ANSWER_ACTION = "answer"  # the answer buttons' action (its handler is registered by the trivia cog)
ANSWER_TIME_RANGE = f"{MIN_ANSWER_SECONDS} to {MAX_ANSWER_SECONDS}"
NAME_SHOWN = 40

_TITLES = {
    questions.DRAMA_OF_SCENE: "Which drama?",
    questions.ACTOR_OF_CHARACTER: "Who plays them?",
    questions.CHARACTER_OF_ACTOR: "Which character?",
    questions.YEAR_OF_DRAMA: "Which year?",
    questions.EPISODE_OF_SCENE: "Which episode?",
    questions.DRAMA_OF_SONG: "Name the drama",
    questions.RANK_OF_SCENE: "Which rank?",
}
RULES = "One answer each: your first click is final. A right answer scores a point."


def answer_argument(round_id: int, choice: int) -> str:
    return f"{round_id}:{choice}"


def parse_answer_argument(argument: str) -> tuple[int, int] | None:
    round_text, _, choice_text = argument.partition(":")
    if not (round_text.isdigit() and choice_text.isdigit()):
        return None
    return int(round_text), int(choice_text)


def question_card(round_id: int, question: Question, closes_at: float | None, answer_seconds: int) -> Card:
    """The round as posted: the question and one button per option."""
    closing = (
        f"Answers close {timestamp(closes_at)}." if closes_at else f"Answers stay open {duration(answer_seconds)}."
    )
    return Card(
        title=f"Trivia: {_TITLES.get(question.kind, 'Question')}",
        description=f"**{question.prompt}**\n\n{closing}",
        colour=TEAL,
        footer=RULES,
        buttons=tuple(
            Button(label=option, action=ANSWER_ACTION, argument=answer_argument(round_id, i), style="primary")
            for i, option in enumerate(question.options)
        ),
    )


def reveal_card(reveal: Reveal, catalogue: Catalogue | None = None) -> Card:
    """The round once closed: buttons disabled, the right one green, how many chose each option (as bars), who
    got it right (fastest first, named, never pinged); with the catalogue, a line about the moment behind the
    question and a button that shows its drama's card."""
    rnd = reveal.round
    q = rnd.question
    names = name_list([display(name) for name in reveal.winners], reveal.winner_count, FIELD_VALUE_LIMIT)
    picks = "\n".join(
        f"{'✅' if i == q.answer else '▫️'} {option}: {count} {_bar(count, reveal.answers)}"
        for i, (option, count) in enumerate(zip(q.options, reveal.counts, strict=True))
    )
    behind = question_moment(catalogue, q) if catalogue else None
    context = f"\n\n{reveal_context(*behind)}" if behind else ""
    extra: tuple[Button, ...] = (
        (Button(f"About {behind[0].drama}", DRAMA_ACTION, str(behind[0].rank), emoji="📺"),) if behind else ()
    )
    if catalogue is not None:
        extra += (Button("Report a problem", REPORT_ACTION, str(rnd.id), emoji="🚩"),)
    return Card(
        title=f"Trivia: {_TITLES.get(q.kind, 'Question')} (closed)",
        description=f"**{q.prompt}**\n\nThe answer: **{q.right}**{context}",
        colour=GOLD,
        fields=(
            Field(f"Got it right ({reveal.winner_count} of {reveal.answers})", names),
            Field("How the server answered", picks),
        ),
        footer="This round is closed. Scores: /trivia leaderboard",
        buttons=tuple(
            Button(
                label=option,
                action=ANSWER_ACTION,
                argument=answer_argument(rnd.id, i),
                style="success" if i == q.answer else "secondary",
                disabled=True,
            )
            for i, option in enumerate(q.options)
        )
        + extra,
    )


DRAMA_ACTION = "reveal_drama"  # a reveal's button that shows the drama's card privately (argument: the rank)
REPORT_ACTION = "report"  # a reveal's "Report a problem" button (argument: the round id)
REPORT_FORM_ACTION = "report_form"  # its form, sent (argument: the round id)
REPORT_REASONS = {
    "wrong_answer": "The answer is wrong",
    "unclear": "The question is unclear",
    "other": "Something else",
}
REPORT_TITLE = "Report a problem with this question"
REPORT_LABEL = "What is wrong with it?"


def report_thanks(recorded: bool) -> Reply:
    if recorded:
        return notice("Thank you: your report is in, and whoever runs the bot will look at this question.")
    return notice("You already reported this round's question; thank you, one report each is all it takes.")


def report_not_possible() -> Reply:
    return notice("That round can't be reported any more. Thank you all the same.")


def reports_text(found: Sequence[QuestionReports]) -> str:
    """`python -m bot reports`: reported questions, the most recently reported first, their reports newest first."""
    if not found:
        return "No question has been reported."
    lines: list[str] = []
    for question in found:
        reasons = Counter(r.reason for r in question.reports)
        summary = ", ".join(f"{REPORT_REASONS.get(k, k).lower()}: {n}" for k, n in reasons.most_common())
        lines.append(f"{question.question_key}  {plural(len(question.reports), 'report')} ({summary})")
        lines.append(f"  {question.prompt}")
        for r in question.reports:
            when = datetime.fromtimestamp(r.reported_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
            lines.append(f"  {when}  server {r.guild_id}  round {r.round_id}  {REPORT_REASONS.get(r.reason, r.reason)}")
    return "\n".join(lines)


BAR_WIDTH = 10


def _bar(count: int, total: int) -> str:
    filled = round(BAR_WIDTH * count / total) if total else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def question_moment(catalogue: Catalogue, question: Question) -> tuple[Moment, CastMember | None] | None:
    """The moment a question is about (its key is `kind:rank`, or `kind:rank:position` for a cast member)."""
    parts = question.key.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    moment = catalogue.by_rank(int(parts[1]))
    if moment is None:
        return None
    cast = None
    if question.kind in (questions.ACTOR_OF_CHARACTER, questions.CHARACTER_OF_ACTOR) and len(parts) > 2:
        position = int(parts[2]) if parts[2].isdigit() else -1
        cast = moment.cast[position] if 0 <= position < len(moment.cast) else None
    return moment, cast


def reveal_context(moment: Moment, cast: CastMember | None) -> str:
    """One line about the moment behind a question, from the catalogue's own words."""
    where = f"#{moment.rank} on the list, {moment.scene}, is from {moment.drama} ({moment.year})"
    if cast is not None:
        where = f"{cast.actor} plays {cast.character} in {moment.drama} ({moment.year}), #{moment.rank} on the list"
    return f"📖 {where}. {_first_sentence(moment.why)}"


def _first_sentence(text: str) -> str:
    end = next((i for i, ch in enumerate(text) if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " ")), -1)
    sentence = text[: end + 1] if end >= 0 else text
    return sentence if len(sentence) <= 300 else sentence[:297].rsplit(" ", 1)[0] + "…"


def answer_recorded(question: Question, choice: int, closes_at: float) -> Reply:
    return notice(
        f"Your answer **{question.options[choice]}** is in, and final. "
        f"The right answer is revealed {timestamp(closes_at)}."
    )


def already_answered(question: Question, choice: int | None) -> Reply:
    picked = f" (**{question.options[choice]}**)" if choice is not None and 0 <= choice < len(question.options) else ""
    return notice(f"You already answered this round{picked}; your first click is final.")


def called_off_card(question: Question) -> Card:
    """A round whose message went out after the round was given up (another process failed it): no buttons."""
    return Card(
        title=f"Trivia: {_TITLES.get(question.kind, 'Question')}",
        description=f"**{question.prompt}**\n\nThis round was called off: it does not count. The next one will.",
        colour=TEAL,
    )


def round_closed() -> Reply:
    return notice("This round is closed: answers are no longer taken.")


def round_opening() -> Reply:
    return notice("This round is just being posted; click again in a moment.")


def already_open(current: Round) -> str:
    if current.closes_at is None:
        return f"A round is being posted in <#{current.channel_id}> right now. Start another after it closes."
    return (
        f"A round is already open in <#{current.channel_id}>; it closes {timestamp(current.closes_at)}. "
        "Start another after that."
    )


def name_list(names: list[str], total: int, limit: int) -> str:
    """Names joined within `limit` characters, never cut in the middle, saying how many are not shown."""
    if total == 0:
        return "Nobody this time."
    shown: list[str] = []
    for name in names:
        rest = total - len(shown) - 1
        candidate = ", ".join([*shown, name]) + (f" and {rest} more" if rest else "")
        if len(candidate) > limit:
            break
        shown.append(name)
    rest = total - len(shown)
    if not shown:
        return f"{total} members"
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


def config_card(
    settings: GuildSettings,
    open_round: Round | None,
    *,
    changed: str | None = None,
    kinds: Sequence[tuple[str, int]] = (),
) -> Reply:
    """The settings, and (given `kinds`: each kind of the pool with how many questions it holds) the menu of
    the kinds of question the server gets."""
    channel = f"<#{settings.channel_id}>" if settings.channel_id else "not set: `/trivia channel`"
    if settings.interval_minutes and settings.paused_reason:
        schedule = (
            f"**paused** after {plural(settings.post_failures, 'refused post')}: {settings.paused_reason} "
            f"Fix that, then `/trivia schedule minutes:{settings.interval_minutes}` resumes it."
        )
    elif settings.interval_minutes and settings.next_round_at:
        schedule = f"every {_minutes(settings.interval_minutes)}, next {timestamp(settings.next_round_at)}"
    else:
        schedule = "off: `/trivia schedule`"
    if open_round is None:
        current = "none open"
    elif open_round.closes_at is None:
        current = "being posted"
    else:
        current = f"open, closes {timestamp(open_round.closes_at)}"
    problem = (
        f"{settings.last_error} ({timestamp(settings.last_error_at)})"
        if settings.last_error and settings.last_error_at
        else "none"
    )
    return Reply(
        text=changed,
        card=Card(
            title="Trivia settings",
            colour=GREY,
            fields=(
                Field("Channel", channel, inline=True),
                Field("Schedule", schedule, inline=True),
                Field("Answer time", duration(settings.answer_seconds), inline=True),
                Field("Round", current, inline=True),
                *((Field("Questions", kinds_summary(settings, kinds)),) if kinds else ()),
                Field("Last problem", problem),
            ),
            footer=f"Change the answer time with /trivia config answer_seconds ({ANSWER_TIME_RANGE}).",
            selects=(kinds_menu(settings, kinds),) if kinds else (),
        ),
        ephemeral=True,
    )


KINDS_ACTION = "kinds"  # the config card's menu of question kinds (its handler is registered by the trivia cog)
KIND_NAMES = {
    questions.DRAMA_OF_SCENE: "Which drama a scene is from",
    questions.ACTOR_OF_CHARACTER: "Who plays a character",
    questions.CHARACTER_OF_ACTOR: "Which character an actor plays",
    questions.YEAR_OF_DRAMA: "The year a drama aired",
    questions.EPISODE_OF_SCENE: "The episode of a scene",
    questions.DRAMA_OF_SONG: "The drama a song plays in",
    questions.RANK_OF_SCENE: "A scene's rank in the list",
}


def _chosen(settings: GuildSettings, kinds: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(k, n) for k, n in kinds if settings.question_kinds is None or k in settings.question_kinds]


def kinds_summary(settings: GuildSettings, kinds: Sequence[tuple[str, int]]) -> str:
    chosen = _chosen(settings, kinds)
    if len(chosen) == len(kinds):
        return f"every kind ({plural(sum(n for _, n in kinds), 'question')}); choose kinds in the menu below"
    names = ", ".join(KIND_NAMES.get(k, k).lower() for k, _ in chosen)
    return f"{names}: {plural(sum(n for _, n in chosen), 'question')} of {sum(n for _, n in kinds)}"


def kinds_menu(settings: GuildSettings, kinds: Sequence[tuple[str, int]]) -> Select:
    chosen = {k for k, _ in _chosen(settings, kinds)}
    return Select(
        action=KINDS_ACTION,
        placeholder="The kinds of question this server gets (at least one)",
        options=tuple(
            Option(KIND_NAMES.get(kind, kind), kind, plural(count, "question"), default=kind in chosen)
            for kind, count in kinds
        ),
        min_values=1,
        max_values=len(kinds),
    )


def kinds_changed(chosen: Sequence[str], kinds: Sequence[tuple[str, int]]) -> str:
    if len(chosen) == len(kinds):
        return "Rounds ask every kind of question again, from the next round on."
    count = sum(n for k, n in kinds if k in chosen)
    names = ", ".join(KIND_NAMES.get(k, k).lower() for k in chosen)
    return f"From the next round on, rounds ask only: {names} ({plural(count, 'question')})."


# --- the offline console --------------------------------------------------------------------------

OFFLINE_NOTE = (
    "Offline preview: a round as your server's trivia channel would get it. Offline nothing is stored "
    "and the buttons do nothing; in a server each member's first click counts."
)


def preview_round(catalogue: Catalogue, rng: random.Random) -> Reply:
    """A question card built the way a server gets one (for `python -m bot ask "/trivia start"`)."""
    pool = questions.question_pool(catalogue)
    if not pool:
        return notice("The catalogue has too few facts to make a trivia question.")
    question = questions.build(rng.choice(pool), rng)
    return Reply(
        text=f"{OFFLINE_NOTE}\nThe right answer is option {question.answer + 1}: {question.right}.",
        card=question_card(0, question, None, DEFAULT_ANSWER_SECONDS),
    )


def offline_answer(subcommand: str, catalogue: Catalogue, rng: random.Random) -> Reply:
    """What `/trivia <subcommand>` answers in the offline console."""
    if subcommand == "start":
        return preview_round(catalogue, rng)
    pool = questions.question_pool(catalogue)
    return notice(
        f"/trivia {quote_input(subcommand, 20)} works in a server, where channels, schedules and scores are "
        f"kept. Offline, `/trivia start` previews a round; this data makes {len(pool)} distinct questions."
    )


# --- text helpers ---------------------------------------------------------------------------------


def display(name: str) -> str:
    """A member's name as plain text: no markdown, no mention, never empty."""
    return quote_input(name, NAME_SHOWN) if name.strip() else "someone"


def timestamp(when: float) -> str:
    """A time each reader sees in their own timezone, relative ("in 25 seconds")."""
    return f"<t:{int(when)}:R>"


def duration(seconds: int) -> str:
    if seconds < 60 or seconds % 60:
        return f"{seconds} s"
    return _minutes(seconds // 60)


def _minutes(n: int) -> str:
    return plural(n, "minute")


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
        WEEK: _is_date(key),
        MONTH: len(key) == 7 and _is_date(key + "-01"),
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
        return f"the week from Monday {_day(date.fromisoformat(period.key))}"
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


def offline_board(catalogue: Catalogue) -> Reply:
    """`/trivia leaderboard` offline: the empty board, and the periods a server can ask for."""
    periods = ", ".join(f"`period:{name}`" for name in PERIODS.values())
    return Reply(
        text="Offline preview: in a server this board lists its members' points. Nothing is kept offline.",
        card=Card(
            title="Trivia leaderboard: offline, season 1",
            description="No scores yet: answer a round to get on the board.",
            colour=GOLD,
            fields=(
                Field("Periods", f"{periods}. The default is the current season; weeks start on Monday 00:00 UTC."),
            ),
            footer=BOARD_ORDER,
        ),
    )


def offline_season() -> Reply:
    return notice(
        "Seasons work in a server. `/trivia season new` (Manage Server) ends the current season after a "
        "confirmation: its final top 10 is posted in the trivia channel and the next season starts from zero, "
        "while all-time points keep counting. `/trivia season show number:1` shows an ended season's final board."
    )


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _day(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"
