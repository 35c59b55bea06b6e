"""The policy says exactly what the database keeps: its tables and columns, PRIVACY.md, and /privacy agree;
the confirmations expire; the words of each answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.database import Database
from bot.privacy import cards, policy
from bot.privacy.store import MemberData, ServerData
from bot.render import EMBED_TOTAL_LIMIT, FIELD_VALUE_LIMIT, embed
from tests.conftest import column_names, table_names

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_800_000_000.0


def words(text: str) -> str:
    return " ".join(text.replace("**", "").split())


async def test_the_policy_lists_every_table_and_column_the_database_has(db: Database) -> None:
    """On each backend (tests/conftest.py's `db`)."""
    schema = {table: tuple(await column_names(db, table)) for table in await table_names(db)}
    listed = {kept.table: kept.columns for kept in policy.KEPT}
    assert set(schema) == set(listed) | set(policy.NOT_PERSONAL), "a table is missing from bot/privacy/policy.py"
    for table, columns in listed.items():
        assert sorted(schema[table]) == sorted(columns), f"{table}'s columns differ from bot/privacy/policy.py"


def test_privacy_md_says_what_the_policy_says() -> None:
    published = words((ROOT / "PRIVACY.md").read_text(encoding="utf-8"))
    for kept in policy.KEPT:
        assert words(kept.details) in published, f"PRIVACY.md does not say: {kept.details}"
        assert f"{kept.name}." in published
    for sentence in (policy.WHY, policy.HOW_LONG):
        assert words(sentence) in published
    for command in ("/privacy", "/forget-me", "/trivia forget-me", "/trivia delete-server-data"):
        assert f"`{command}`" in published


def test_the_privacy_card_fits_discord_without_losing_a_word() -> None:
    reply = cards.privacy_card()
    assert reply.ephemeral and reply.card is not None
    assert all(len(f.value) <= FIELD_VALUE_LIMIT for f in reply.card.fields)
    rendered = embed(reply.card)
    assert len(rendered) <= EMBED_TOTAL_LIMIT and len(rendered.fields) == len(reply.card.fields)
    text = " ".join(f.value for f in reply.card.fields)
    assert all(kept.details in text for kept in policy.KEPT)


@pytest.mark.parametrize(
    ("argument", "now", "fresh"),
    [
        (str(int(NOW)), NOW, True),
        (str(int(NOW)), NOW + cards.CONFIRM_SECONDS, True),
        (str(int(NOW)), NOW + cards.CONFIRM_SECONDS + 1, False),
        (str(int(NOW + 3600)), NOW, False),  # from the future: not trusted
        ("", NOW, False),
        ("12:34", NOW, False),
    ],
)
def test_a_confirmation_works_for_ten_minutes(argument: str, now: float, fresh: bool) -> None:
    assert cards.is_fresh(argument, now) is fresh


def test_the_prompts_say_what_would_go_and_offer_the_buttons() -> None:
    prompt = cards.forget_me_prompt(MemberData(answers=12, servers=2), NOW)
    assert prompt.ephemeral and prompt.card is not None
    assert "This deletes your 12 answers and scores in 2 servers, in every server" in prompt.card.description
    confirm, keep = prompt.card.buttons
    assert (confirm.label, confirm.action, confirm.argument, confirm.style) == (
        "Delete my data",
        cards.FORGET_ACTION,
        str(int(NOW)),
        "danger",
    )
    assert re.fullmatch(r"pm:[a-z_]+:[\w.:-]*", confirm.custom_id) and keep.action == cards.KEEP_ACTION
    assert "nothing to delete" in (cards.forget_me_prompt(MemberData(0, 0), NOW).text or "")

    server = ServerData(settings=True, rounds=5, answers=40, scores=1, questions=5)
    asked = cards.delete_server_prompt(server, "K-Drama Fans", NOW)
    assert asked.card is not None and asked.card.title == "Delete everything trivia keeps for K-Drama Fans?"
    assert asked.card.description.startswith(
        "This deletes the trivia settings and schedule, 5 rounds, 40 answers, 1 member's score and the question "
        "cycle (5 questions asked), for good."
    )
    assert "nothing to delete" in (cards.delete_server_prompt(ServerData(False, 0, 0, 0, 0), "x", NOW).text or "")


def test_the_results_say_how_many_were_deleted() -> None:
    done = cards.member_forgotten(MemberData(answers=1, servers=1))
    assert done.text == "Done: I deleted your 1 answer and scores in 1 server. Leaderboards no longer show you."
    assert cards.member_forgotten(MemberData(0, 0)).text == (
        "There was nothing left to delete: your trivia data is already gone."
    )
    assert cards.server_forgotten(ServerData(True, 0, 0, 0, 0)).text == (
        "Done: I deleted the trivia settings and schedule."
    )
    assert "nothing was deleted" in (cards.expired(cards.FORGET_COMMAND).text or "")
    assert "Run /forget-me again" in (cards.expired(cards.FORGET_COMMAND).text or "")


def test_the_summaries_name_every_kind_of_data() -> None:
    member = MemberData(answers=3, servers=2, season_scores=2, reports=1)
    assert cards.member_summary(member) == (
        "3 answers, scores in 2 servers, points on 2 past season boards and 1 question report"
    )
    assert cards.member_summary(MemberData(answers=0, servers=0, reports=2)) == "2 question reports"
    reported = cards.forget_me_prompt(MemberData(answers=0, servers=0, reports=1), NOW)
    assert reported.card is not None and "This deletes your 1 question report" in reported.card.description
    assert [b.label for b in reported.card.buttons] == ["Delete my data", "Keep it"]

    server = ServerData(
        settings=True, rounds=5, answers=40, scores=3, questions=5, season_scores=2, seasons=1, reports=4
    )
    assert cards.server_summary(server) == (
        "the trivia settings and schedule, 5 rounds, 40 answers, 3 members' scores, the past season boards "
        "(2 places), 1 ended season, 4 question reports and the question cycle (5 questions asked)"
    )
    assert cards.server_summary(ServerData(False, 0, 0, 0, 0, reports=1)) == "1 question report"
    done = cards.server_forgotten(server)
    assert done.ephemeral and (done.text or "").startswith("Done: I deleted the trivia settings and schedule, 5 rounds")


def test_the_catalogues_english_policy_is_the_policys_own() -> None:
    """The card reads the policy from the catalogues (answers.en.po and answers.ko.po): its English is word for
    word bot/privacy/policy.py's, which PRIVACY.md says."""
    english = cards.privacy_card("en")
    assert english.card is not None and english.card.description == policy.WHY
    fields = {field.name: field.value for field in english.card.fields}
    assert all(fields[kept.name] == kept.details for kept in policy.KEPT)
    assert fields["For how long"] == policy.HOW_LONG and fields["Not kept"] == policy.NOT_KEPT
    assert fields["Deleting it"] == "\n".join(f"• {way}" for way in policy.DELETE)
    assert len(cards.DELETE_WAYS) == len(policy.DELETE)


def test_a_korean_member_gets_the_policy_the_prompts_and_the_results_in_korean() -> None:
    korean = cards.privacy_card("ko")
    assert korean.card is not None and korean.card.title == "이 봇이 보관하는 정보와 그 이유"
    assert len(korean.card.fields) == len(policy.KEPT) + 3 and len(embed(korean.card)) <= EMBED_TOTAL_LIMIT
    assert all(len(field.value) <= FIELD_VALUE_LIMIT for field in korean.card.fields)
    assert korean.card.fields[0].name == "서버 설정" and "30일 뒤에" in korean.card.fields[-3].value
    member = MemberData(answers=3, servers=2, season_scores=2, reports=1)
    assert cards.member_summary(member, "ko") == "답 3개, 서버 2곳의 점수, 지난 시즌 순위표 2개의 점수, 문제 신고 1건"
    prompt = cards.forget_me_prompt(member, NOW, "ko")
    assert prompt.card is not None and prompt.card.footer == "이 확인 버튼은 10분 동안만 쓸 수 있어요."
    assert [b.label for b in prompt.card.buttons] == ["내 기록 삭제", "그대로 두기"]
    server = ServerData(settings=True, rounds=5, answers=40, scores=3, questions=5, daily=1)
    assert cards.server_summary(server, "ko") == (
        "퀴즈 설정과 일정, 문제 5개, 답 40개, 멤버 3명의 점수, 문제 순환 기록(출제한 문제 5개), 오늘의 명장면 기록 1개"
    )
    assert cards.server_forgotten(ServerData(True, 0, 0, 0, 0), "ko").text == "삭제했어요: 퀴즈 설정과 일정."
    assert "/퀴즈 서버-기록-삭제 명령을 다시" in (cards.expired(cards.DELETE_SERVER_COMMAND, "ko").text or "")
    assert (
        cards.kept("ko").text == "아무것도 삭제하지 않았어요."
        and cards.kept("en-US"[:2]).text == "Nothing was deleted."
    )
