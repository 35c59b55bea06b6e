"""Trivia on days that are not calm, through the fake Discord with the real bot in this process: deleted round
messages, crowded and hostile names. Shutdowns and start-up failures, with the bot as a process, are in
test_lifecycle.py."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from fake_discord.pytest_plugin import StartBot
from tests.conftest import FakeClock, trivia_bot_factory
from tests.e2e.test_trivia import QUIET, labels, revealed, scheduled_round, set_up_channel, start_round

ZERO_WIDTH_SPACE = "\u200b"


def open_round_of(bot: InProcessBot, posted: Any) -> Any:
    cog: Any = bot.client.get_cog("TriviaCog")
    round_id = int(posted.buttons[0].custom_id.split(":")[2])
    return cog.scheduler.open_rounds[round_id]


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


# --- a round is its message -----------------------------------------------------------------------------------


async def test_a_post_answered_with_a_5xx_after_discord_created_it_is_posted_once(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    trivia = fake_discord.channel("trivia")
    await set_up_channel(discord_admin)
    fake_discord.fail_next("POST", f"/channels/{trivia.id}/messages", status=500, after_success=True)
    posted = await start_round(fake_discord, discord_admin)  # discord.py retried the POST after the 500
    assert len(fake_discord.messages_in(trivia, include_replies=False)) == 1
    assert "is in" in (await fake_discord.user("bob").click(posted, labels(posted)[0])).content


async def test_buttons_of_a_post_that_timed_out_never_score_even_in_another_server(
    fake_discord: FakeDiscord, start_bot: StartBot, bot_database: Path, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await start_bot(trivia_bot_factory(bot_database, clock, send_timeout=0.5))
    fans_trivia = fake_discord.channel("trivia")
    await set_up_channel(discord_admin)
    fake_discord.delay_next("POST", f"/channels/{fans_trivia.id}/messages", 1.5)  # created, answered too late
    failed = await discord_admin.invoke("/trivia start")
    assert failed.ephemeral and "could not be posted" in failed.content and "in time" in failed.content
    orphan = await fake_discord.wait_for_message(fans_trivia, timeout=5)  # Discord did create it

    club_admin = fake_discord.user("erin")
    await set_up_channel(club_admin)
    club_round = await start_round(fake_discord, club_admin)  # a new round, in another server
    assert club_round.buttons[0].custom_id != orphan.buttons[0].custom_id  # round ids are never reused
    bob = fake_discord.user("bob")
    assert "closed" in (await bob.click(orphan, labels(orphan)[0])).content
    clock.advance(30)
    reveal = await revealed(fake_discord, club_round)
    assert "of 0)" in reveal.text()  # the click on the orphan counted nowhere
    assert "haven't answered" in (await bob.invoke("/trivia score")).content


# --- lost access stops the work --------------------------------------------------------------------------------


async def test_a_server_that_removed_the_bot_gets_no_further_request(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    fans = fake_discord.guild
    trivia = fake_discord.channel("trivia")
    await set_up_channel(discord_admin)
    await discord_admin.invoke("/trivia schedule", minutes=1)
    clock.advance(60)
    posted = await scheduled_round(fake_discord, trivia_bot, trivia)
    await fake_discord.remove_bot(fans)
    removed_at = fake_discord.clock()
    await asyncio.sleep(QUIET)
    for _ in range(5):  # the open round's close and five more slots
        clock.advance(60)
        await asyncio.sleep(QUIET / 5)
    later = [r for r in fake_discord.requests_for_guild(fans) if r.received_at >= removed_at]
    assert later == [], [f"{r.method} {r.path}" for r in later]
    assert fake_discord.missing_access(fans) == []

    await _back(fake_discord, trivia_bot)  # back: the schedule carries on from its next slot, settings kept
    clock.advance(60)
    nxt = await scheduled_round(fake_discord, trivia_bot, trivia)
    assert nxt.id != posted.id


async def test_three_refused_posts_pause_the_schedule_until_an_admin_resumes_it(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    trivia = fake_discord.channel("trivia")
    route = f"/channels/{trivia.id}/messages"
    await set_up_channel(discord_admin)
    await discord_admin.invoke("/trivia schedule", minutes=1)
    refusal = fake_discord.fail_always("POST", route, status=403)
    for _ in range(6):
        clock.advance(60)
        await asyncio.sleep(QUIET / 2)
    assert refusal.hits == 3  # then the schedule paused: no request every slot forever
    config = (await discord_admin.invoke("/trivia config")).text()
    assert "paused" in config and "/trivia schedule" in config and "Missing Permissions" in config, config

    refusal.remove()
    resumed = await discord_admin.invoke("/trivia schedule", minutes=1)
    assert "every minute" in resumed.content
    clock.advance(60)
    await scheduled_round(fake_discord, trivia_bot, trivia)
    assert "paused" not in (await discord_admin.invoke("/trivia config")).text()


# --- a removed server's data, 30 days on ---------------------------------------------------------------------

DAY = 24 * 3600


async def _a_scored_round(fake: FakeDiscord, admin: DiscordUser, clock: FakeClock, bot: InProcessBot) -> DiscordUser:
    await set_up_channel(admin)
    posted = await start_round(fake, admin)
    bob = fake.user("bob")
    await bob.click(posted, open_round_of(bot, posted).question.right)
    clock.advance(30)
    await revealed(fake, posted)
    assert "Points\n1" in (await bob.invoke("/trivia score")).text()
    return bob


async def _back(fake: FakeDiscord, bot: InProcessBot) -> None:
    """The bot is added back to K-Drama Fans, and has taken in the GUILD_CREATE (its own state: polled)."""
    await fake.add_bot(fake.guild)
    cog: Any = bot.client.get_cog("TriviaCog")
    while fake.guild.id in cog.scheduler.removed:
        await asyncio.sleep(0.01)


async def test_a_server_that_removed_the_bot_loses_its_data_30_days_later(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob = await _a_scored_round(fake_discord, discord_admin, clock, trivia_bot)
    await fake_discord.remove_bot(fake_discord.guild)
    await asyncio.sleep(QUIET)
    clock.advance(30 * DAY + 3600)
    await asyncio.sleep(QUIET)
    await _back(fake_discord, trivia_bot)  # added back too late: everything was deleted
    assert "haven't answered" in (await bob.invoke("/trivia score")).content
    assert "not set" in (await discord_admin.invoke("/trivia config")).text()


async def test_a_server_that_adds_the_bot_back_in_time_keeps_everything(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob = await _a_scored_round(fake_discord, discord_admin, clock, trivia_bot)
    await fake_discord.remove_bot(fake_discord.guild)
    await asyncio.sleep(QUIET)
    clock.advance(29 * DAY)
    await asyncio.sleep(QUIET)
    await _back(fake_discord, trivia_bot)
    clock.advance(2 * DAY)  # past the 30 days since the removal: nothing goes, the bot is back
    await asyncio.sleep(QUIET)
    assert "Points\n1" in (await bob.invoke("/trivia score")).text()
    assert "not set" not in (await discord_admin.invoke("/trivia config")).text()
