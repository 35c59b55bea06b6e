"""What trivia shows: rounds, reveals, boards, settings and the offline preview, as plain cards."""

from __future__ import annotations

import dataclasses
import random
import re

from bot.catalogue import load_catalogue
from bot.render import to_text
from bot.trivia import cards
from bot.trivia.questions import Question
from bot.trivia.store import Board, GuildSettings, Period, Placed, Reveal, Round, Score, Standing

QUESTION = Question(
    "year_of_drama:7", "year_of_drama", "In which year did Goblin first air?", ("2014", "2016", "2019"), 1
)
ROUND = Round(123456789, 1, 2, 3, QUESTION, 30, 1000.0, 1030.0, 1030.0)


def test_a_round_has_one_answer_button_per_option() -> None:
    card = cards.question_card(ROUND.id, QUESTION, ROUND.closes_at, 30)
    assert [b.label for b in card.buttons] == ["2014", "2016", "2019"]
    assert all(b.action == "answer" and not b.disabled for b in card.buttons)
    assert [cards.parse_answer_argument(b.argument) for b in card.buttons] == [(ROUND.id, i) for i in range(3)]
    assert all(len(b.custom_id) <= 100 for b in card.buttons)
    assert "In which year did Goblin first air?" in card.description and "<t:1030:R>" in card.description


def test_answer_arguments_that_are_not_ours_are_rejected() -> None:
    for junk in ("", "1", "x:1", "1:x", "1:-1", ":"):
        assert cards.parse_answer_argument(junk) is None


def test_the_reveal_disables_the_buttons_shows_the_answer_and_names_without_pinging() -> None:
    reveal = Reveal(ROUND, answers=7, counts=(2, 4, 1), winners=("Ann", "@everyone", "*Bo*", ""))
    card = cards.reveal_card(reveal)
    assert all(b.disabled for b in card.buttons)
    assert [b.style for b in card.buttons] == ["secondary", "success", "secondary"]
    assert "The answer: **2016**" in card.description
    got_it = card.fields[0]
    assert got_it.name == "Got it right (4 of 7)"
    assert got_it.value == "Ann, @\u200beveryone, \\*Bo\\*, someone"
    assert "2016: 4" in card.fields[1].value


def test_a_long_list_of_winners_is_cut_short() -> None:
    reveal = Reveal(ROUND, answers=500, counts=(0, 500, 0), winners=tuple(f"m{i}" for i in range(40)))
    assert cards.reveal_card(reveal).fields[0].value.endswith("m39 and 460 more")


def test_boards_and_scores_read_plainly() -> None:
    ann = Placed(1, Score(1, "Ann", 3, 3, 3, 3))
    bo = Placed(2, Score(2, "Bo", 1, 4, 0, 1))
    all_time = Period("all", "")
    board = cards.board_card(Board(all_time, 0, (ann, bo), bo, 2, 1), "K-Drama Fans")
    assert board.card is not None
    assert board.card.description.splitlines() == [
        "**1.** Ann: 3 points in 3 rounds, streak 3",
        "**2.** Bo: 1 point in 4 rounds",
    ]
    assert "You are **#2**" in board.card.fields[0].value
    empty = cards.board_card(Board(all_time, 0, (), None, 0, 1), "K-Drama Fans")
    assert empty.card is not None and "No scores yet" in empty.card.description
    score = cards.standing_card(Standing(1, bo, bo), "Bo", own=False)
    assert score.card is not None and "25%" in to_text(score)
    assert "hasn't answered" in to_text(cards.standing_card(Standing(1, None, None), "Bo", own=False))


def test_the_settings_card_shows_the_last_problem() -> None:
    settings = GuildSettings(1, 2, 5, 45, 2000.0, "I couldn't post a round in <#2>: Missing Permissions", 1500.0)
    text = to_text(cards.config_card(settings, None))
    assert "every 5 minutes" in text and "45 s" in text and "Missing Permissions" in text and "<t:1500:R>" in text
    text = to_text(cards.config_card(GuildSettings(1), None))
    assert "not set" in text and "off" in text and "30 s" in text


def test_the_offline_console_previews_a_round() -> None:
    catalogue = load_catalogue()
    preview = cards.preview_round(catalogue, random.Random(3))
    assert preview.card is not None and len(preview.card.buttons) >= 3
    assert preview.text is not None and "nothing is stored" in preview.text
    assert preview == cards.preview_round(catalogue, random.Random(3))  # a seed makes it repeatable
    assert cards.offline_answer("start", catalogue, random.Random(3)) == preview
    other = cards.offline_answer("leaderboard", catalogue, random.Random(3))
    assert other.ephemeral and "93 distinct questions" in (other.text or "")


# --- boards by period, seasons -------------------------------------------------------------------


def _board(period: Period, page: int, members: int, caller: Placed | None = None) -> Board:
    top = tuple(
        Placed(page * 10 + i + 1, Score(100 + i, f"m{i}", 50 - i, 60, 0, 0))
        for i in range(min(10, members - page * 10))
    )
    return Board(period, page, top, caller, members, 3)


def test_board_buttons_carry_the_period_its_key_and_the_page_and_nothing_else_parses() -> None:
    for period in (
        Period("week", "2027-01-11"),
        Period("month", "2027-01"),
        Period("season", "12"),
        Period("all", ""),
    ):
        reply = cards.board_card(_board(period, 1, 35), "Fans")
        assert reply.card is not None
        back, forward = reply.card.buttons
        assert (back.label, forward.label) == ("◀", "▶") and not back.disabled and not forward.disabled
        assert cards.parse_board_argument(back.argument) == (period, 0)
        assert cards.parse_board_argument(forward.argument) == (period, 2)
        assert re.fullmatch(r"pm:[a-z_]+:[\w.:-]*", forward.custom_id) and len(forward.custom_id) <= 100
    for junk in ("", "week:2027-13-01:0", "month:2027-1:0", "season:0:1", "season:x:1", "all:x:0", "day::0", "all::x"):
        assert cards.parse_board_argument(junk) is None, junk
    assert cards.parse_board_argument("all::100000") == (Period("all", ""), 99)  # pages stop at 100


def test_a_board_names_its_period_pages_and_the_callers_place() -> None:
    week = cards.board_card(_board(Period("week", "2027-01-11"), 0, 12), "Fans <@1>")
    assert week.card is not None and not week.ephemeral
    assert week.card.title.endswith(", the week from Monday 11 January 2027") and "<@1>" not in week.card.title
    assert week.card.footer is not None and week.card.footer.startswith("Page 1 of 2.")
    assert week.card.buttons[0].disabled and not week.card.buttons[1].disabled
    assert "You have no rounds in the week from Monday 11 January 2027 yet" in week.card.fields[0].value
    one_page = cards.board_card(_board(Period("month", "2027-01"), 0, 3), "Fans")
    assert one_page.card is not None and one_page.card.buttons == () and "January 2027" in one_page.card.title
    private = cards.board_card(_board(Period("season", "2"), 2, 21), "Fans", ephemeral=True)
    assert private.ephemeral and private.card is not None and private.card.buttons[1].disabled


def test_a_season_confirmation_ends_only_its_own_season_and_only_for_ten_minutes() -> None:
    board = _board(Period("season", "3"), 0, 4)
    prompt = cards.season_new_prompt(3, board, 5000.0)
    assert prompt.ephemeral and prompt.card is not None
    end, keep = prompt.card.buttons
    assert (end.label, end.style, keep.label) == ("End season 3", "danger", "Keep it going")
    assert cards.parse_season_argument(end.argument, 5000.0 + 599) == 3
    assert cards.parse_season_argument(end.argument, 5000.0 + 601) is None
    assert cards.parse_season_argument("3", 5000.0) is None and cards.parse_season_argument("x:5000", 5000.0) is None
    assert "m0 leads with 50 points" in (prompt.text or "")


def test_a_reveal_with_the_catalogue_teaches_the_moment_and_offers_its_drama_and_a_report() -> None:
    catalogue = load_catalogue()
    moment = catalogue.moments[0]
    question = Question(f"year_of_drama:{moment.rank}", "year_of_drama", "When?", ("2014", "2016", "2019"), 1)
    reveal = Reveal(Round(77, 1, 2, 3, question, 30, 1000.0, 1030.0, 1030.0), 5, (1, 4, 0), ("Ann",))
    card = cards.reveal_card(reveal, catalogue)
    assert f"📖 #{moment.rank} on the list, {moment.scene}, is from {moment.drama} ({moment.year})." in card.description
    assert card.fields[1].value.splitlines() == [
        "▫️ 2014: 1 ██░░░░░░░░",
        "✅ 2016: 4 ████████░░",
        "▫️ 2019: 0 ░░░░░░░░░░",
    ]
    about, report = card.buttons[3:]
    assert (about.label, about.action, about.argument, about.disabled) == (
        f"About {moment.drama}",
        "reveal_drama",
        str(moment.rank),
        False,
    )
    assert (report.label, report.action, report.argument) == ("Report a problem", "report", "77")
    cast = moment.cast[0]
    about_cast = Question(f"actor_of_character:{moment.rank}:0", "actor_of_character", "Who?", ("a", "b", "c"), 0)
    line = cards.reveal_context(*(cards.question_moment(catalogue, about_cast) or (moment, None)))
    assert line.startswith(f"📖 {cast.actor} plays {cast.character} in {moment.drama}")
    assert cards.question_moment(catalogue, Question("year_of_drama:999", "year_of_drama", "?", ("a", "b"), 0)) is None


# --- a question in the server's language ------------------------------------------------------------


def _hangul_forms() -> set[str]:
    from bot.hangul import shipped_hangul

    names = shipped_hangul()
    return {n.hangul for table in (names.dramas, names.actors, names.characters) for n in table.values()}


def test_a_korean_server_gets_hangul_options_only_when_every_option_has_a_sourced_form() -> None:
    from bot.trivia.questions import build, question_pool

    catalogue = load_catalogue()
    hangul = _hangul_forms()
    rng = random.Random(7)
    all_hangul = romanised = 0
    for template in question_pool(catalogue):
        question = build(template, rng)
        korean = cards.asked_in(question, catalogue, "ko")
        assert (korean.key, korean.kind, korean.answer) == (question.key, question.kind, question.answer)
        assert korean.prompt == cards.asked_in(question, catalogue, "ko").prompt != question.prompt
        if question.kind in cards.rounds.DRAMA_OPTIONS | cards.rounds.CHARACTER_OPTIONS | {"actor_of_character"}:
            if korean.options == question.options:
                romanised += 1
            else:
                assert all(option in hangul for option in korean.options), korean  # never a mix
                all_hangul += 1
    assert all_hangul and romanised


def test_a_name_without_a_sourced_hangul_form_keeps_every_option_romanised() -> None:
    catalogue = load_catalogue()
    goblin = next(m for m in catalogue.moments if m.drama == "Goblin")
    options = ("Goblin", "Healer", "A Drama Nobody Wrote Down")
    question = Question(f"drama_of_scene:{goblin.rank}", "drama_of_scene", "Which drama?", options, 0)
    korean = cards.asked_in(question, catalogue, "ko")
    assert korean.options == options and korean.key == question.key and korean.answer == 0
    assert "장면이 나오는 드라마는?" in korean.prompt
    sourced = cards.asked_in(dataclasses.replace(question, options=("Goblin", "Healer")), catalogue, "ko")
    assert sourced.options == ("도깨비", "힐러")
    assert cards.asked_in(question, catalogue, "en") == question


def test_numbers_read_the_korean_way_and_server_questions_stay_as_written() -> None:
    catalogue = load_catalogue()
    rank = catalogue.moments[0].rank
    episode = Question(f"episode_of_scene:{rank}", "episode_of_scene", "?", ("Episode 3", "Episode 12"), 1)
    assert cards.asked_in(episode, catalogue, "ko").options == ("3화", "12화")
    own = Question("server:4", "server", "Who is the best?", ("Him", "Her"), 0)
    assert cards.asked_in(own, catalogue, "ko") == own


def test_a_members_own_replies_follow_their_language() -> None:
    assert to_text(cards.round_closed("ko")).startswith("이번 문제는 마감됐어요. 더 이상 답을 받지 않아요.")
    assert to_text(cards.round_closed("en")).startswith("This round is closed: answers are no longer taken.")
    assert "잠시 후 다시 눌러 주세요" in to_text(cards.round_opening("ko"))


def test_dates_and_periods_are_written_the_way_each_language_writes_them() -> None:
    from datetime import date

    week = Period("week", "2027-01-11")
    assert cards.period_name(week) == "the week from Monday 11 January 2027"
    assert cards.period_name(week, "ko") == "2027년 1월 11일 월요일부터 한 주"
    assert cards.period_name(Period("month", "2026-12"), "ko") == "2026년 12월"
    assert cards.day_name(date(2026, 12, 3), "ko") == "2026년 12월 3일"
