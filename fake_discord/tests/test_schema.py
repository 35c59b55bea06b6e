"""Request bodies are validated against Discord's own OpenAPI schema (when the spec file is there): what a
correct discord.py bot sends passes, what Discord's schema refuses is refused and recorded."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import discord
import pytest

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.demo_bot import DemoBot
from fake_discord.rawbot import RawBot, raw_callback
from fake_discord.schema import adapt_to_spec, load_checker, skip_reason, spec_path

needs_spec = pytest.mark.skipif(load_checker() is None, reason=skip_reason())


@needs_spec
def test_the_spec_is_loaded_once_and_validators_are_reused() -> None:
    checker = load_checker()
    assert checker is load_checker()
    route = "/channels/{channel_id}/messages"
    assert checker is not None and checker.validate("POST", route, {"content": "hi"}) == []
    first = checker._validators.copy()
    checker.validate("POST", route, {"content": "again"})
    assert checker._validators == first


@needs_spec
async def test_a_correct_bot_passes_the_schema(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser, discord_admin: DiscordUser
) -> None:
    """Commands with subcommands, choices-free typed options, contexts, install types, default permissions
    (discord.py also sends nsfw, dm_permission), embeds, buttons, ephemeral flags, autocomplete, followups."""
    await start_bot(DemoBot)
    assert fake_discord.schema is not None
    await discord_user.invoke("/rank", number=2)
    await discord_user.autocomplete("/moment show", title="g")
    await discord_user.click(await discord_user.invoke("/moment random"), "Next")
    await discord_user.invoke("/slow", private=True)
    await discord_admin.invoke("/post", channel="trivia", text="hi")
    assert fake_discord.violations.recorded == []


@needs_spec
async def test_a_file_upload_is_validated_from_its_payload_json(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    bot = RawBot()

    @bot.command("upload")
    async def upload(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("here", file=discord.File(io.BytesIO(b"data"), "moments.txt"))

    await start_bot(lambda: bot)
    reply = await discord_user.invoke("/upload")
    assert reply.message is not None and reply.message.attachments[0]["filename"] == "moments.txt"
    assert fake_discord.violations.recorded == []


SCHEMA_ONLY_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "allowed_mentions parse value": (
        {"content": "hi", "allowed_mentions": {"parse": ["everybody"]}},
        r"data\.allowed_mentions\.parse\[0\]",
    ),
    "tts as text": ({"content": "hi", "tts": "yes"}, r"data\.tts"),
    "embed color as text": ({"embeds": [{"title": "t", "color": "red"}]}, r"data\.embeds\[0\]\.color"),
    "unknown button style": (
        {
            "content": "x",
            "components": [{"type": 1, "components": [{"type": 2, "style": 9, "label": "Go", "custom_id": "go"}]}],
        },
        r"components\[0\]\.components\[0\]\.style",
    ),
}


@needs_spec
@pytest.mark.parametrize("case", list(SCHEMA_ONLY_CASES))
async def test_a_body_the_schema_refuses_is_refused(
    case: str, fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    data, pattern = SCHEMA_ONLY_CASES[case]
    fake_discord.expect_violation("schema", match=pattern)
    fake_discord.expect_violation("limit") if case in ("embed color as text", "unknown button style") else None
    bot = RawBot()

    @bot.command("bad")
    async def bad(interaction: discord.Interaction) -> None:
        await raw_callback(interaction, 4, data)

    await start_bot(lambda: bot)
    await discord_user.send_command("/bad")
    error = await bot.next_refusal()
    assert (error.status, error.code) == (400, 50035)


@needs_spec
async def test_a_command_the_schema_refuses_is_refused(fake_discord: FakeDiscord, start_bot: Any) -> None:
    fake_discord.expect_violation("schema", match=r"\[0\]\.options\[0\]")
    bot = RawBot(
        raw_commands=[
            {
                "name": "ok",
                "description": "A command",
                "options": [{"type": 99, "name": "o", "description": "An option"}],
            }
        ]
    )
    await start_bot(lambda: bot)
    assert (await bot.next_refusal()).code == 50035


@needs_spec
def test_default_member_permissions_as_a_string_is_accepted() -> None:
    """Documented exception: the spec types it as integer; Discord (and its docs) take a string."""
    checker = load_checker()
    assert checker is not None
    route = "/applications/{application_id}/commands"
    command = {"name": "admin", "description": "Admins", "default_member_permissions": "32"}
    assert checker.validate("PUT", route, [command]) == []
    assert adapt_to_spec(route, [command])[0]["default_member_permissions"] == 32
    assert command["default_member_permissions"] == "32"  # the body itself is left alone
    assert checker.validate("PUT", route, [{**command, "default_member_permissions": "lots"}]) != []


def test_without_the_spec_the_schema_checks_are_skipped_with_a_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "openapi.json"
    monkeypatch.setenv("DISCORD_OPENAPI", str(missing))
    load_checker.cache_clear()
    try:
        assert spec_path() == missing
        assert load_checker() is None
        assert str(missing) in skip_reason()
        assert FakeDiscord().schema is None
    finally:
        monkeypatch.undo()
        load_checker.cache_clear()


@needs_spec
def test_snowflakes_as_integers_are_accepted() -> None:
    """Documented exception: Discord takes snowflakes as JSON integers too (discord.py sends some so)."""
    checker = load_checker()
    assert checker is not None
    route = "/users/@me/channels"
    assert checker.validate("POST", route, {"recipient_id": 123}) == []
    assert checker.validate("POST", route, {"recipient_id": "123"}) == []
    assert checker.validate("POST", route, {"recipient_id": "abc"}) != []
    assert checker.validate("POST", route, {"recipient_id": -1}) != []
