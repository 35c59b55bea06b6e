"""The message catalogues (data/locales/*.po): every message in English and Korean with the same placeholders,
and every command, group, option and choice with a Korean name and description Discord accepts."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.client import PerfectMomentsBot
from bot.config import Settings
from bot.i18n import LOCALES_PATH, catalogue_problems, language_of, name_problem
from bot.translator import CatalogueTranslator


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    assert catalogue_problems() == []


def test_a_missing_language_or_different_placeholders_are_reported(tmp_path: Path) -> None:
    broken = tmp_path / "locales"
    shutil.copytree(LOCALES_PATH, broken)
    korean = broken / "answers.ko.po"
    text = korean.read_text(encoding="utf-8")
    text = text.replace('msgstr "다른 명장면"', 'msgstr ""')  # button.another: no Korean
    text = text.replace('"목록에 {number}위 명장면은 없어요. {span}"', '"목록에 {rank}위 명장면은 없어요. {span}"')
    korean.write_text(text, encoding="utf-8")
    commands = broken / "commands.ko.po"
    commands.write_text(commands.read_text(encoding="utf-8").replace('msgstr "순위표"', 'msgstr "순위 표"'), "utf-8")
    problems = "\n".join(catalogue_problems(broken))
    assert "answers.ko.po: 'button.another' has no text in this language" in problems
    assert "'rank.absent' has different placeholders in each language" in problems
    assert "commands.ko.po: 'leaderboard': '순위 표' holds ' '" in problems


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("순위", True),
        ("내-기록-삭제", True),
        ("answer_seconds", True),
        ("순위 표", False),
        ("Rank", False),
        ("가" * 33, False),
    ],
)
def test_discord_name_rules(name: str, ok: bool) -> None:
    assert (name_problem(name) is None) is ok


@pytest.mark.parametrize(
    ("locale", "language"), [("ko", "ko"), ("en-US", "en"), ("en-GB", "en"), ("ja", "en"), (None, "en")]
)
def test_the_language_of_a_locale(locale: object, language: str) -> None:
    assert language_of(locale) == language


@pytest.fixture
async def offline_bot(tmp_path: Path) -> AsyncIterator[PerfectMomentsBot]:
    bot = PerfectMomentsBot(Settings(database_path=tmp_path / "m.db"))
    await bot.prepare()
    await bot.tree.set_translator(CatalogueTranslator())
    yield bot
    await bot.close()


def _check_level(items: list[dict[str, Any]], where: str) -> list[str]:
    """Korean names and descriptions of commands or options (and their choices), distinct among siblings."""
    problems: list[str] = []
    korean_names = [item.get("name_localizations", {}).get("ko") for item in items]
    for item, korean in zip(items, korean_names, strict=True):
        here = f"{where} {item['name']}"
        if korean is None or name_problem(korean):
            problems.append(f"{here}: Korean name {korean!r} ({korean and name_problem(korean)})")
        elif korean_names.count(korean) > 1:
            problems.append(f"{here}: Korean name {korean!r} is used twice")
        description = item.get("description_localizations", {}).get("ko")
        if item.get("description") and not (description and len(description) <= 100):
            problems.append(f"{here}: Korean description {description!r}")
        for choice in item.get("choices") or []:
            if not choice.get("name_localizations", {}).get("ko"):
                problems.append(f"{here}: choice {choice['name']!r} has no Korean name")
        problems += _check_level(item.get("options") or [], here)
    return problems


async def test_every_command_option_and_choice_has_a_korean_name_and_description(
    offline_bot: PerfectMomentsBot,
) -> None:
    payload = await offline_bot.command_payload()
    assert {c["name"] for c in payload} >= {"moment", "rank", "actor", "drama", "about", "trivia", "privacy"}
    assert _check_level(payload, "") == []
    rank = next(c for c in payload if c["name"] == "rank")
    assert rank["name_localizations"] == {"ko": "순위"} and rank["options"][0]["name_localizations"] == {"ko": "번호"}


async def test_a_changed_translation_changes_the_command_fingerprint(
    offline_bot: PerfectMomentsBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await offline_bot.command_fingerprint()
    assert await offline_bot.command_fingerprint() == before
    changed = tmp_path / "locales"
    shutil.copytree(LOCALES_PATH, changed)
    commands = changed / "commands.ko.po"
    commands.write_text(
        commands.read_text(encoding="utf-8").replace('"명장면 순위 전체 보기"', '"명장면 전체 순위"'), "utf-8"
    )
    monkeypatch.setattr("bot.i18n.LOCALES_PATH", changed)
    await offline_bot.tree.set_translator(CatalogueTranslator())
    assert await offline_bot.command_fingerprint() != before


def test_every_question_kind_has_a_prompt_and_a_title_in_both_languages() -> None:
    from bot.i18n import LANGUAGES, messages
    from bot.trivia.questions import KINDS, OPERATOR_QUESTION, SERVER_QUESTION

    for language in LANGUAGES:
        keys = messages().keys(language)
        assert {f"trivia.prompt.{kind}" for kind in KINDS} <= keys
        assert {f"trivia.title.{kind}" for kind in (*KINDS, SERVER_QUESTION, OPERATOR_QUESTION)} <= keys


@pytest.mark.parametrize(
    ("chosen", "preferred", "language"),
    [(None, "ko", "ko"), (None, "en-US", "en"), (None, None, "en"), ("en", "ko", "en"), ("ko", "en-US", "ko")],
)
def test_a_servers_trivia_language_is_its_admins_choice_else_its_preferred_locale(
    chosen: str | None, preferred: str | None, language: str
) -> None:
    from bot.i18n import server_language

    assert server_language(chosen, preferred) == language
