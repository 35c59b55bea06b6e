"""The lookup commands as a fan meets them in Discord: through the fake Discord, with the real bot."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import discord
import pytest

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot

HOSTILE = [
    "x" * 100,
    "@everyone @here <@123456789012345678> <@&987654321098765432>",
    "'; DROP TABLE moments; --",
    "공유 수지",
    "Gong\u200bYoo\u200d",
    "\u202eooY gnoG\u202c",
    "🎬🍿💔",
]


def no_pings(reply: object) -> None:
    allowed = getattr(reply, "allowed_mentions", None)
    assert allowed is not None and allowed.get("parse") == [], allowed


async def test_rank_3_shows_traffic_kiss_and_steps(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    reply = await discord_user.invoke("/rank", number=3)
    assert not reply.ephemeral
    assert reply.embed["title"] == "#3 · Traffic Kiss"
    for fact in (
        "Boys Over Flowers (꽃보다 남자, 2009)",
        "Lee Min-ho (이민호) as Jun-pyo (구준표)",
        "Ku Hye-sun (구혜선) as Jan-di (금잔디)",
    ):
        assert fact in reply.text()
    assert [b.label for b in reply.buttons] == ["◀ #4", "#2 ▶"]
    no_pings(reply)

    up = await discord_user.click(reply, "#2 ▶")
    assert up.kind == "update" and up.embed["title"] == "#2 · Red Light, Green Light"
    assert [b.label for b in up.buttons] == ["◀ #3"]
    down = await discord_user.click(up, "◀ #3")
    assert down.embed["title"] == "#3 · Traffic Kiss"


async def test_rank_1_says_the_source_stops_at_2(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    reply = await discord_user.invoke("/rank", number=1)
    assert reply.ephemeral and not reply.embeds
    assert "moment #1 is not included" in reply.content


async def test_moment_random_offers_another(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    reply = await discord_user.invoke("/moment random")
    assert reply.embed["title"].startswith("#")
    again = await discord_user.click(reply, "Another moment")
    assert again.kind == "update" and again.embed["title"].startswith("#")
    assert [b.label for b in again.buttons] == ["Another moment"]


async def test_moment_show_by_scene_or_drama_with_autocomplete(
    bot_app: InProcessBot, discord_user: DiscordUser
) -> None:
    choices = await discord_user.autocomplete("/moment show", title="gobl")
    assert choices and choices[0].value == "Grim Reaper and Goblin Save Eun-tak"
    reply = await discord_user.invoke("/moment show", title=choices[0].value)
    assert reply.embed["title"] == "#7 · Grim Reaper and Goblin Save Eun-tak"
    assert '"Round and Round" by Heize' in reply.text()
    by_drama = await discord_user.invoke("/moment show", title="Healer")
    assert by_drama.embed["title"] == "#8 · Snow Kiss"
    missing = await discord_user.invoke("/moment show", title="Winter Sonata")
    assert missing.ephemeral and "No moment matches" in missing.content


async def test_moment_list_is_the_ranked_list(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    reply = await discord_user.invoke("/moment list")
    lines = reply.embed["description"].splitlines()
    assert lines[0] == "**#1** (not in the source text)"
    assert lines[1].startswith("**#2** Red Light, Green Light") and lines[-1].startswith("**#10** Final Goodbye")


@pytest.mark.parametrize("name", ["Suzy Bae", "bae suzy", "SUZY-BAE"])
async def test_actor_any_spelling(bot_app: InProcessBot, discord_user: DiscordUser, name: str) -> None:
    reply = await discord_user.invoke("/actor", name=name)
    fields = {f["name"]: f["value"] for f in reply.embed["fields"]}
    assert reply.embed["title"] == "Suzy Bae (배수지)"
    assert "Yeol-wool" in fields["Gu Family Book (구가의 서, 2013)"]
    assert "Hong-joo" in fields["While You Were Sleeping (당신이 잠든 사이에, 2017)"]


async def test_actor_near_miss_and_autocomplete(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    reply = await discord_user.invoke("/actor", name="Gong Yo")
    assert reply.ephemeral and "Did you mean Gong Yoo (공유)?" in reply.content
    choices = await discord_user.autocomplete("/actor", name="su")
    assert [c.value for c in choices] == ["Suzy Bae"]
    everyone = await discord_user.autocomplete("/actor", name="")
    assert 1 <= len(everyone) <= 25


async def test_drama_by_other_title_and_autocomplete(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    reply = await discord_user.invoke("/drama", title="Guardian")
    assert reply.embed["title"] == "Goblin (도깨비, 2016)"
    assert "Gong Yoo (공유) as Kim Shin (김신)" in reply.text() and "Guardian: The Lonely And Great God" in reply.text()
    choices = await discord_user.autocomplete("/drama", title="scar")
    assert choices[0].value == "Moon Lovers: Scarlet Heart Ryeo"


async def test_about_credits_the_source(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    reply = await discord_user.invoke("/about")
    assert "collider.com/k-drama-scenes-perfect" in reply.text()
    assert "/trivia" in reply.text() and "/actor" in reply.text()


async def test_lookups_work_in_dms_and_private_channels(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    assert (await discord_user.in_dm().invoke("/rank", number=5)).embed["title"] == "#5 · A Reunion of Between Lovers"
    assert (await discord_user.in_private_channel().invoke("/actor", name="IU")).embed["title"] == "IU (아이유)"


async def test_lookup_commands_allow_every_install_and_context(
    fake_discord: FakeDiscord, bot_app: InProcessBot
) -> None:
    for name in ("moment", "rank", "actor", "drama", "about"):
        command = fake_discord.commands.find(name, None)
        assert command is not None, name
        assert set(command.body["integration_types"]) == {0, 1}, name
        assert command.allowed_contexts() == {0, 1, 2}, name


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_text_is_answered_without_a_ping(
    bot_app: InProcessBot, discord_user: DiscordUser, text: str
) -> None:
    for command, option in (("/actor", "name"), ("/drama", "title"), ("/moment show", "title")):
        reply = await discord_user.invoke(command, {option: text})
        no_pings(reply)
        assert "@everyone" not in reply.text()
    await discord_user.autocomplete("/actor", name=text)
    assert (await discord_user.invoke("/rank", number=3)).embed["title"] == "#3 · Traffic Kiss"


async def test_buttons_on_old_messages_work_after_a_restart(bot_app: InProcessBot, discord_user: DiscordUser) -> None:
    reply = await discord_user.invoke("/rank", number=9)
    await bot_app.restart()
    stepped = await discord_user.click(reply, "#8 ▶")
    assert stepped.embed["title"] == "#8 · Snow Kiss"


async def test_a_failing_command_gets_a_plain_private_message(
    bot_app: InProcessBot, discord_user: DiscordUser, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(name: str) -> None:
        raise RuntimeError("boom")

    bot_app.client.get_cog("LookupCog").lookups.actor = broken  # type: ignore[union-attr]
    reply = await discord_user.invoke("/actor", name="Gong Yoo")
    assert reply.ephemeral and "Something went wrong on my side" in reply.content
    assert any("command /actor failed" in r.getMessage() for r in caplog.records)
    assert (await discord_user.invoke("/rank", number=3)).embeds


def live_interactions() -> list[discord.Interaction[Any]]:
    return [o for o in gc.get_objects() if isinstance(o, discord.Interaction)]


async def test_answered_interactions_are_freed_without_the_garbage_collector(
    bot_app: InProcessBot, discord_user: DiscordUser
) -> None:
    """Commands, autocompletes and clicks leave no reference cycle behind: with the collector off, none of
    their interactions stays alive once answered (bot/lifetime.py)."""
    gc.collect()
    gc.disable()
    try:
        reply = await discord_user.invoke("/rank", number=3)
        await discord_user.click(reply, "#2 ▶")
        await discord_user.autocomplete("/actor", name="Gong")
        await discord_user.invoke("/actor", name="Gong Yoo")
        await asyncio.sleep(0.05)  # discord.py's tasks for them end just after the answer is sent
        assert live_interactions() == []
    finally:
        gc.enable()


async def test_a_private_card_with_buttons_leaves_nothing_for_discord_py_to_track(
    bot_app: InProcessBot, discord_admin: DiscordUser
) -> None:
    """Its buttons are dispatched by custom id (bot/buttons.py): discord.py neither stores its view for the
    message nor runs a 15-minute timeout for it."""
    store = bot_app.client._connection._view_store
    for _ in range(3):
        prompt = await discord_admin.invoke("/trivia season new")
        assert prompt.ephemeral and prompt.buttons
    timers = [t for t in asyncio.all_tasks() if "timeout_task" in repr(t.get_coro())]
    assert timers == []
    assert store._synced_message_views == {} and store._views == {}
