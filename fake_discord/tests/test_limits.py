"""Each of the fake's own limit checks fires: a bot that breaks it gets Discord's 400 Invalid Form Body (code
50035, with the error nested at the offending field, as discord.py reports it) and the violation is recorded.

Schema validation is off here so these tests prove the fake's own checks, which always run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
import pytest
from discord import app_commands

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.rawbot import RawBot, raw_callback, raw_channel_message

pytestmark = pytest.mark.fake_discord(schema=False)


def button(label: str = "Go", custom_id: str | None = "go", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"type": 2, "style": 1, "label": label, **extra}
    if custom_id is not None:
        data["custom_id"] = custom_id
    return data


def row(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(buttons)}


def embed(**fields: Any) -> dict[str, Any]:
    return {"type": "rich", **fields}


def option(name: str, *, required: bool = False, **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "An option", "required": required, **extra}


def command(**overrides: Any) -> dict[str, Any]:
    return {"name": "ok", "description": "A command", "type": 1, **overrides}


MESSAGE_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "content over 2000": ({"content": "x" * 2001}, r"data\.content: Must be 2000 or fewer"),
    "embed title over 256": ({"embeds": [embed(title="t" * 257)]}, r"embeds\[0\]\.title: Must be 256"),
    "embed description over 4096": (
        {"embeds": [embed(description="d" * 4097)]},
        r"embeds\[0\]\.description: Must be 4096",
    ),
    "more than 25 fields": (
        {"embeds": [embed(fields=[{"name": "n", "value": "v"}] * 26)]},
        r"embeds\[0\]\.fields: Must be 25 or fewer",
    ),
    "field name over 256": (
        {"embeds": [embed(fields=[{"name": "n" * 257, "value": "v"}])]},
        r"fields\[0\]\.name: Must be 256",
    ),
    "field value over 1024": (
        {"embeds": [embed(fields=[{"name": "n", "value": "v" * 1025}])]},
        r"fields\[0\]\.value: Must be 1024",
    ),
    "empty field value": (
        {"embeds": [embed(fields=[{"name": "n", "value": ""}])]},
        r"fields\[0\]\.value: Must be 1 or more",
    ),
    "footer over 2048": ({"embeds": [embed(footer={"text": "f" * 2049})]}, r"footer\.text: Must be 2048"),
    "author name over 256": ({"embeds": [embed(author={"name": "a" * 257})]}, r"author\.name: Must be 256"),
    "embeds over 6000 in all": (
        {"embeds": [embed(description="d" * 4000), embed(description="d" * 2001)]},
        r"embeds: Embed size exceeds maximum size of 6000",
    ),
    "more than 10 embeds": ({"embeds": [embed(title="t")] * 11}, r"embeds: Must be 10 or fewer"),
    "embed url without http": ({"embeds": [embed(title="t", url="ftp://x")]}, r"embeds\[0\]\.url: Not a well"),
    "more than 5 action rows": (
        {"content": "x", "components": [row(button(custom_id=f"b{i}")) for i in range(6)]},
        r"components: Must be 5 or fewer",
    ),
    "more than 5 buttons in a row": (
        {"content": "x", "components": [row(*[button(custom_id=f"b{i}") for i in range(6)])]},
        r"components\[0\]\.components: Must be 5 or fewer",
    ),
    "custom_id over 100": (
        {"content": "x", "components": [row(button(custom_id="c" * 101))]},
        r"custom_id: Must be 100 or fewer",
    ),
    "duplicate custom_id": (
        {"content": "x", "components": [row(button(custom_id="same"), button(custom_id="same"))]},
        r"custom id cannot be duplicated",
    ),
    "label over 80": ({"content": "x", "components": [row(button(label="l" * 81))]}, r"label: Must be 80"),
    "button without custom_id": (
        {"content": "x", "components": [row(button(custom_id=None))]},
        r"custom_id: A non-link button must have a custom_id",
    ),
    "link button without url": (
        {"content": "x", "components": [row(button(custom_id=None, style=5))]},
        r"url: A link button needs a url",
    ),
}


def answering_bot(data: dict[str, Any]) -> RawBot:
    bot = RawBot()

    @bot.command("bad")
    async def bad(interaction: discord.Interaction) -> None:
        await raw_callback(interaction, 4, data)

    return bot


@pytest.mark.parametrize("case", list(MESSAGE_CASES))
async def test_an_interaction_answer_that_breaks_a_message_limit_is_refused(
    case: str, fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    data, pattern = MESSAGE_CASES[case]
    expectation = fake_discord.expect_violation("limit", match=pattern)
    bot = answering_bot(data)
    await start_bot(lambda: bot)
    record = await discord_user.send_command("/bad")
    error = await bot.next_refusal()
    assert (error.status, error.code) == (400, 50035)
    assert "In data." in error.text  # discord.py flattened the nested `errors` of Discord's body
    assert expectation.matched and not record.acknowledged


async def test_a_channel_message_over_2000_characters_is_refused(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("limit", match=r"POST /channels/\{channel_id\}/messages.*content: Must be 2000")
    bot = RawBot()

    @bot.command("announce")
    async def announce(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("posting", ephemeral=True)
        await raw_channel_message(bot, fake_discord.channel("trivia").id, {"content": "x" * 2001})

    await start_bot(lambda: bot)
    await discord_user.invoke("/announce")
    assert (await bot.next_refusal()).code == 50035
    assert fake_discord.messages_in(fake_discord.channel("trivia")) == []


async def test_a_followup_and_an_edit_are_checked_too(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("limit", match=r"POST /webhooks/.*embeds\[0\]\.title")
    fake_discord.expect_violation("limit", match=r"PATCH /webhooks/.*@original.*content: Must be 2000")
    bot = RawBot()

    @bot.command("twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        await bot.guard(interaction.followup.send(embed=discord.Embed(title="t" * 300)))
        await bot.guard(interaction.edit_original_response(content="x" * 2001))

    await start_bot(lambda: bot)
    reply = await discord_user.invoke("/twice")
    assert [(await bot.next_refusal()).code for _ in range(2)] == [50035, 50035]
    assert reply.content == "first"


async def test_an_empty_message_is_refused(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    fake_discord.expect_violation("invalid_request", match="empty message")
    bot = answering_bot({"content": "", "embeds": []})
    await start_bot(lambda: bot)
    await discord_user.send_command("/bad")
    assert (await bot.next_refusal()).code == 50006


# --- command registration -------------------------------------------------------------------------------------

COMMAND_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "uppercase name": (command(name="Rank"), r"\[0\]\.name: Name must be lowercase"),
    "name over 32": (command(name="n" * 33), r"\[0\]\.name: Name must be 1-32"),
    "name with a space": (command(name="my rank"), r"\[0\]\.name: Name must match"),
    "description over 100": (command(description="d" * 101), r"\[0\]\.description: Must be 100 or fewer"),
    "empty description": (command(description=""), r"\[0\]\.description: Must be 1 or more"),
    "required after optional": (
        command(options=[option("a"), option("b", required=True)]),
        r"options\[1\]\.required: Required options must be placed before",
    ),
    "more than 25 options": (
        command(options=[option(f"o{i}") for i in range(26)]),
        r"\[0\]\.options: Must be 25 or fewer",
    ),
    "more than 25 subcommands": (
        command(options=[{"type": 1, "name": f"s{i}", "description": "S"} for i in range(26)]),
        r"\[0\]\.options: Must be 25 or fewer",
    ),
    "more than 25 choices": (
        command(options=[option("c", choices=[{"name": f"n{i}", "value": f"v{i}"} for i in range(26)])]),
        r"options\[0\]\.choices: Must be 25 or fewer",
    ),
    "choice name over 100": (
        command(options=[option("c", choices=[{"name": "n" * 101, "value": "v"}])]),
        r"choices\[0\]\.name: Must be 100",
    ),
    "choice value over 100": (
        command(options=[option("c", choices=[{"name": "n", "value": "v" * 101}])]),
        r"choices\[0\]\.value: Must be 100",
    ),
    "option description over 100": (
        command(options=[option("c", description="d" * 101)]),
        r"options\[0\]\.description: Must be 100",
    ),
    "uppercase option name": (command(options=[option("Title")]), r"options\[0\]\.name: Name must be lowercase"),
    "localized name with a space": (
        command(name_localizations={"ko": "명장면 보기"}),
        r"\[0\]\.name_localizations\.ko: Name must match",
    ),
    "localized name over 32": (
        command(name_localizations={"ko": "가" * 33}),
        r"name_localizations\.ko: Name must be 1-32",
    ),
    "uppercase localized option name": (
        command(options=[option("title", name_localizations={"fr": "Titre"})]),
        r"options\[0\]\.name_localizations\.fr: Name must be lowercase",
    ),
    "localized description over 100": (
        command(description_localizations={"ko": "설" * 101}),
        r"description_localizations\.ko: Must be 100 or fewer",
    ),
    "empty localized option description": (
        command(options=[option("c", description_localizations={"ko": ""})]),
        r"options\[0\]\.description_localizations\.ko: Must be 1 or more",
    ),
    "localized choice name over 100": (
        command(options=[option("c", choices=[{"name": "n", "value": "v", "name_localizations": {"ko": "n" * 101}}])]),
        r"choices\[0\]\.name_localizations\.ko: Must be 100",
    ),
    "two options with one localized name": (
        command(
            options=[option("a", name_localizations={"ko": "제목"}), option("b", name_localizations={"ko": "제목"})]
        ),
        r"options\[1\]\.name_localizations\.ko: Localized name '제목' \(ko\) is used twice",
    ),
    "subcommands mixed with options": (
        command(options=[{"type": 1, "name": "s", "description": "S"}, option("o")]),
        r"cannot be mixed",
    ),
}


@pytest.mark.parametrize("case", list(COMMAND_CASES))
async def test_a_command_sync_that_breaks_a_limit_is_refused(
    case: str, fake_discord: FakeDiscord, start_bot: Any
) -> None:
    body, pattern = COMMAND_CASES[case]
    fake_discord.expect_violation("limit", match=pattern)
    bot = RawBot(raw_commands=[body])
    await start_bot(lambda: bot)
    assert (await bot.next_refusal()).code == 50035
    assert fake_discord.command_names() == []


async def test_two_commands_with_one_name_are_refused(fake_discord: FakeDiscord, start_bot: Any) -> None:
    fake_discord.expect_violation("limit", match="names must be unique")
    bot = RawBot(raw_commands=[command(name="same"), command(name="same")])
    await start_bot(lambda: bot)
    assert (await bot.next_refusal()).code == 50035


async def test_two_commands_with_one_localized_name_are_refused(fake_discord: FakeDiscord, start_bot: Any) -> None:
    fake_discord.expect_violation("limit", match=r"\[1\]\.name_localizations\.ko: Localized name '순위'")
    twins = [
        command(name="rank", name_localizations={"ko": "순위"}),
        command(name="top", name_localizations={"ko": "순위"}),
    ]
    bot = RawBot(raw_commands=twins)
    await start_bot(lambda: bot)
    assert (await bot.next_refusal()).code == 50035


# --- autocomplete ---------------------------------------------------------------------------------------------


def suggesting_bot(choices: Callable[[], list[app_commands.Choice[str]]]) -> RawBot:
    bot = RawBot()

    @bot.tree.command(name="search", description="Search with suggestions")
    async def search(interaction: discord.Interaction, query: str) -> None:
        await interaction.response.send_message(query)

    @search.autocomplete("query")
    async def suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return choices()

    return bot


AUTOCOMPLETE_CASES: dict[str, tuple[Callable[[], list[app_commands.Choice[str]]], str]] = {
    "more than 25 choices": (
        lambda: [app_commands.Choice(name=f"n{i}", value=f"v{i}") for i in range(26)],
        r"data\.choices: Must be 25 or fewer",
    ),
    "empty choice name": (lambda: [app_commands.Choice(name="", value="v")], r"choices\[0\]\.name: Must be 1"),
    "choice name over 100": (
        lambda: [app_commands.Choice(name="n" * 101, value="v")],
        r"choices\[0\]\.name: Must be 100",
    ),
    "choice value over 100": (
        lambda: [app_commands.Choice(name="n", value="v" * 101)],
        r"choices\[0\]\.value: Must be 100",
    ),
}


@pytest.mark.parametrize("case", list(AUTOCOMPLETE_CASES))
async def test_autocomplete_choices_that_break_a_limit_are_refused(
    case: str, fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    make_choices, pattern = AUTOCOMPLETE_CASES[case]
    fake_discord.expect_violation("limit", match=pattern)
    await start_bot(lambda: suggesting_bot(make_choices))
    record = await discord_user.send_autocomplete("/search", query="n")
    violation = await fake_discord.wait_for_violation("limit")
    assert violation.route == "POST /interactions/{interaction_id}/{interaction_token}/callback"
    assert not record.acknowledged
