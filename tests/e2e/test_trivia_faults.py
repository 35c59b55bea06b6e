"""Trivia on days that are not calm, through the fake Discord with the real bot in this process: deleted round
messages, crowded and hostile names. Shutdowns and start-up failures, with the bot as a process, are in
test_lifecycle.py."""

from __future__ import annotations

import asyncio
from typing import Any

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from tests.e2e.test_trivia import FakeClock, revealed, set_up_channel, start_round

ZERO_WIDTH_SPACE = "\u200b"


def open_round_of(bot: InProcessBot, posted: Any) -> Any:
    cog: Any = bot.client.get_cog("TriviaCog")
    round_id = int(posted.buttons[0].custom_id.split(":")[2])
    return cog._open[round_id]


async def test_a_round_message_deleted_by_a_moderator_is_reported_as_such(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    assert posted.message is not None
    fake_discord.delete_message(posted.message)  # a moderator removes it
    clock.advance(30)
    text = ""
    for _ in range(50):  # the reveal's edit is refused, and the bot records why
        text = (await discord_admin.invoke("/trivia config")).text()
        if "Last problem\nnone" not in text:
            break
        await asyncio.sleep(0.1)
    assert "the round's message was deleted" in text, text
    assert "channel no longer exists" not in text


async def test_the_winners_list_never_cuts_a_name_and_says_how_many_are_not_shown(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    right = open_round_of(trivia_bot, posted).question.right
    members = [fake_discord.add_member(f"a-rather-long-display-name-{i:03d}") for i in range(60)]
    for member in members:
        assert "is in" in (await member.click(posted, right)).content
    clock.advance(30)
    reveal = await revealed(fake_discord, posted)
    [winners] = [f["value"] for f in reveal.embed["fields"] if f["name"].startswith("Got it right")]
    shown = [name for name in winners.split(" and ")[0].split(", ")]
    names = {m.user.global_name for m in members}
    assert all(name in names for name in shown), shown[-1]  # every name shown is whole
    assert winners.endswith(f" and {60 - len(shown)} more"), winners[-40:]
    assert len(winners) <= 1024 and 20 <= len(shown) < 60


async def test_a_name_that_looks_like_a_link_or_a_mention_is_shown_inert(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    right = open_round_of(trivia_bot, posted).question.right
    for name in ("visit https://example.com", "<#123456789012345678> @everyone"):
        member = fake_discord.add_member(name.replace(" ", "_").replace("<", "").replace(">", ""))
        member.user.global_name = name
        assert "is in" in (await member.click(posted, right)).content
    clock.advance(30)
    reveal = await revealed(fake_discord, posted)
    text = reveal.text()
    assert "https://example.com" not in text and f"https:{ZERO_WIDTH_SPACE}//example.com" in text
    assert "@everyone" not in text and "<#123456789012345678>" not in text
    board = (await discord_admin.invoke("/trivia leaderboard")).text()
    assert "https://example.com" not in board and "@everyone" not in board
    assert reveal.allowed_mentions is not None and reveal.allowed_mentions.get("parse") == []
