"""Korean and English through the fake Discord, with the real bot: the commands synced with Korean names and
descriptions, answers in each member's language at once, and names found in either script."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import LOCALES_PATH, name_problem
from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from tests.conftest import real_bot_factory

SYNC = "/applications/{application_id}/commands"


def untranslated(items: list[dict[str, Any]], where: str = "") -> list[str]:
    """Every command, option and choice without a Korean name (or description) Discord accepts."""
    missing: list[str] = []
    for item in items:
        here = f"{where} {item['name']}"
        korean = (item.get("name_localizations") or {}).get("ko")
        if not korean or name_problem(korean):
            missing.append(f"{here}: name {korean!r}")
        if not (item.get("description_localizations") or {}).get("ko"):
            missing.append(f"{here}: description")
        missing += [f"{here}: choice {c['name']}" for c in item.get("choices") or [] if not c.get("name_localizations")]
        missing += untranslated(item.get("options") or [], here)
    return missing


async def test_the_synced_commands_carry_korean_names_and_descriptions(
    fake_discord: FakeDiscord, bot_app: InProcessBot
) -> None:
    (sync,) = fake_discord.requests("PUT", SYNC)
    assert sync.status == 200  # the fake checked the body against Discord's schema and name rules
    assert untranslated(sync.body) == []
    moment = fake_discord.commands.find("moment", None)
    assert moment is not None and moment.payload()["name_localizations"] == {"ko": "명장면"}
    assert {o["name_localizations"]["ko"] for o in moment.options} == {"랜덤", "보기", "목록"}


async def test_a_changed_translation_syncs_at_the_next_start_and_an_unchanged_one_does_not(
    fake_discord: FakeDiscord, start_bot: Any, bot_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot: InProcessBot = await start_bot(real_bot_factory(bot_database))
    await bot.restart()
    assert len(fake_discord.requests("PUT", SYNC)) == 1
    changed = tmp_path / "locales"
    shutil.copytree(LOCALES_PATH, changed)
    commands = changed / "commands.ko.po"
    commands.write_text(
        commands.read_text(encoding="utf-8").replace('"명장면 순위 전체 보기"', '"명장면 전체 순위"'), "utf-8"
    )
    monkeypatch.setattr("bot.i18n.LOCALES_PATH", changed)
    await bot.restart()
    syncs = fake_discord.requests("PUT", SYNC)
    assert len(syncs) == 2
    moment = next(c for c in syncs[-1].body if c["name"] == "moment")
    listing = next(o for o in moment["options"] if o["name"] == "list")
    assert listing["description_localizations"] == {"ko": "명장면 전체 순위"}
    await bot.restart()
    assert len(fake_discord.requests("PUT", SYNC)) == 2


async def test_a_korean_and_an_english_member_are_answered_in_their_language_at_once(
    bot_app: InProcessBot, discord_user: DiscordUser
) -> None:
    korean, english = discord_user.speaking("ko"), discord_user.speaking("en-US")
    ko, en = await asyncio.gather(korean.invoke("/rank", number=3), english.invoke("/rank", number=3))
    assert ko.embed["title"] == "3위 · Traffic Kiss" and en.embed["title"] == "#3 · Traffic Kiss"
    assert "꽃보다 남자 (Boys Over Flowers, 2009년)" in ko.text()
    assert "Boys Over Flowers (꽃보다 남자, 2009)" in en.text()
    up_ko, up_en = await asyncio.gather(korean.click(ko, "2위 ▶"), english.click(en, "#2 ▶"))
    assert up_ko.embed["title"] == "2위 · Red Light, Green Light" and up_en.embed["title"].startswith("#2")
    labels = await asyncio.gather(
        korean.autocomplete("/actor", name="ㄱㅇ"), english.autocomplete("/actor", name="ㄱㅇ")
    )
    assert labels[0][0].name == "공유 (Gong Yoo)" and labels[1][0].name == "Gong Yoo (공유)"
    assert {c.value for c in labels[0]} == {c.value for c in labels[1]}
    missing = await korean.invoke("/rank", number=1)
    assert missing.ephemeral and "1위 명장면은 없어요" in missing.content
    about = await korean.in_dm().invoke("/about")
    assert "/명장면 랜덤" in about.text()
    another = await korean.invoke("/moment random")
    assert [b.label for b in another.buttons] == ["다른 명장면"]


async def test_names_in_hangul_give_the_same_cards_as_romanised_ones(
    bot_app: InProcessBot, discord_user: DiscordUser
) -> None:
    for member in (discord_user, discord_user.speaking("ko")):
        by_hangul = await member.invoke("/drama", title="사랑의 불시착")
        assert by_hangul.embed == (await member.invoke("/drama", title="Crash Landing on You")).embed
        assert (await member.invoke("/actor", name="공유")).embed == (
            await member.invoke("/actor", name="Gong Yoo")
        ).embed
        shown = await member.invoke("/moment show", title="도깨비")
        assert shown.embed == (await member.invoke("/moment show", title="Goblin")).embed
    assert (await discord_user.autocomplete("/actor", name="ㄱㅇ"))[0].value == "Gong Yoo"
    assert [c.value for c in await discord_user.autocomplete("/actor", name="송예진")] == ["Son Ye-jin"]
    near = await discord_user.speaking("ko").invoke("/actor", name="송예진")
    assert near.ephemeral and "손예진 (Son Ye-jin)" in near.content
    choices = await discord_user.autocomplete("/moment show", title="사랑의")
    assert [c.value for c in choices] == ["Final Goodbye"]
    assert [c.value for c in await discord_user.autocomplete("/drama", title="ㄷㄲㅂ")] == ["Goblin"]


@pytest.mark.parametrize(
    "text", ["\u200b공\u200d유\u200b", "공유\u3000", "\u3000사랑의\u3000불시착", "Gong 유", "공유 Gong Yoo 🎬"]
)
async def test_hangul_with_invisible_characters_wide_spaces_or_mixed_scripts_is_answered(
    bot_app: InProcessBot, discord_user: DiscordUser, text: str
) -> None:
    for member in (discord_user, discord_user.speaking("ko")):
        for command, option in (("/actor", "name"), ("/drama", "title"), ("/moment show", "title")):
            reply = await member.invoke(command, {option: text})
            assert reply.embeds or reply.content
        await member.autocomplete("/actor", name=text)
        await member.autocomplete("/moment show", title=text)
