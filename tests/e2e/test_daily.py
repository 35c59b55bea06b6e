"""The moment of the day end to end, through the fake Discord: posted once per daily slot at the server's local
time, across a restart and with two processes on one database, every moment once before any comes again; a bad
time or a channel the bot can't post in each get one clear private answer; /daily stop ends it. Time is the
test's FakeClock."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from fake_discord.messages import FakeMessage
from fake_discord.pytest_plugin import StartBot
from tests.conftest import FakeClock, trivia_bot_factory
from tests.e2e.test_trivia import QUIET
from tests.e2e.test_trivia_clock import SEOUL, a_minute_ahead

DAY = 86400.0
ENTRIES = 9  # the catalogue's moments (#1 is not in the source)


def rank_of(post: FakeMessage) -> int:
    return int(post.embeds[0]["title"].split(" ", 1)[0].lstrip("#"))


async def posts_after(fake: FakeDiscord, count: int, timeout: float = 5.0) -> list[FakeMessage]:
    """The moments posted in #trivia, once there are `count`."""
    channel = fake.channel("trivia")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(fake.messages_in(channel, include_replies=False)) < count:
        assert loop.time() < deadline, f"{count} posts never came"
        await asyncio.sleep(0.02)
    return fake.messages_in(channel, include_replies=False)


async def start_daily(admin: DiscordUser, now: float) -> float:
    assert admin.guild is not None
    zone = await admin.invoke("/trivia config", timezone=SEOUL)
    assert zone.ephemeral, zone.content
    at, due = a_minute_ahead(now)
    reply = await admin.invoke("/daily channel", channel=admin.guild.channel("trivia"), time=at)
    assert reply.ephemeral and f"every day at {at} (Asia/Seoul time)" in reply.content, reply.content
    assert f"<t:{int(due)}:F>" in reply.content
    return due


async def test_the_moment_of_the_day_posts_once_a_slot_and_every_moment_before_any_repeats(
    fake_discord: FakeDiscord,
    trivia_database: str | Path,
    start_bot: StartBot,
    clock: FakeClock,
    discord_admin: DiscordUser,
) -> None:
    first = await start_bot(trivia_bot_factory(trivia_database, clock))
    due = await start_daily(discord_admin, clock.now)
    second = await start_bot(trivia_bot_factory(trivia_database, clock, seed=2))  # two processes, one database
    for day in range(ENTRIES + 2):
        clock.now = due + day * DAY + 1
        await posts_after(fake_discord, day + 1)
        if day == 3:
            await first.restart()  # a restart between slots changes nothing
    await asyncio.sleep(QUIET)
    posts = fake_discord.messages_in(fake_discord.channel("trivia"), include_replies=False)
    assert len(posts) == ENTRIES + 2  # one a day
    ranks = [rank_of(post) for post in posts]
    assert sorted(ranks[:ENTRIES]) == list(range(2, 11))  # every moment once
    assert ranks[ENTRIES] != ranks[ENTRIES - 1]  # the next round of them starts anew
    assert all("Moment of the day" in post.content and post.allowed_mentions == {"parse": []} for post in posts)
    assert first.crashed is None and second.crashed is None


async def test_a_slot_missed_by_a_whole_day_is_skipped_and_stop_ends_it(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    due = await start_daily(discord_admin, clock.now)
    clock.now = due + DAY + 60  # the bot was away for a day: one post for today, not two
    await posts_after(fake_discord, 1)
    await asyncio.sleep(QUIET)
    assert len(fake_discord.messages_in(fake_discord.channel("trivia"), include_replies=False)) == 1
    stopped = await discord_admin.invoke("/daily stop")
    assert stopped.ephemeral and "stopped" in stopped.content
    clock.now = due + 3 * DAY
    await asyncio.sleep(QUIET)
    assert len(fake_discord.messages_in(fake_discord.channel("trivia"), include_replies=False)) == 1


async def test_a_bad_time_or_a_channel_the_bot_cant_post_in_get_one_clear_private_answer(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    guild = fake_discord.guild
    for bad in ("25:00", "9pm"):
        reply = await discord_admin.invoke("/daily channel", channel=guild.channel("trivia"), time=bad)
        assert reply.ephemeral and f"`{bad}` is not a time of day" in reply.content, reply.content
    refused = await discord_admin.invoke("/daily channel", channel=guild.channel("announcements"), time="09:00")
    assert refused.ephemeral and "I can't post the moment of the day in" in refused.content, refused.content
    assert "Send Messages" in refused.content
    nothing = await discord_admin.invoke("/daily stop")
    assert nothing.ephemeral and "There was no moment of the day" in nothing.content


async def test_the_admin_is_answered_in_their_language_and_the_post_is_in_the_servers(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    admin = discord_admin.speaking("ko")
    assert admin.guild is not None
    await admin.invoke("/trivia config", timezone=SEOUL)
    at, due = a_minute_ahead(clock.now)
    started = await admin.invoke("/daily channel", channel=admin.guild.channel("trivia"), time=at)
    assert started.ephemeral and f"이제 매일 {at}(Asia/Seoul 기준)에" in started.content, started.content
    clock.now = due + 1
    [post] = await posts_after(fake_discord, 1)
    assert "Moment of the day" in post.content  # the admin speaks Korean, the server English: the post is English
    assert {f["name"] for f in post.embeds[0]["fields"]} >= {"Drama", "The story"}
    await discord_admin.invoke("/trivia config", language="ko")
    clock.now = due + DAY + 1
    korean = (await posts_after(fake_discord, 2))[-1]
    assert korean.content == "🌸 **오늘의 명장면**" and "드라마" in {f["name"] for f in korean.embeds[0]["fields"]}
    assert (await admin.invoke("/daily stop")).content == "오늘의 명장면을 멈췄어요."
    assert (await admin.invoke("/daily stop")).content == "멈출 오늘의 명장면이 없어요."
    assert (await discord_admin.invoke("/daily stop")).content == "There was no moment of the day to stop."
