"""Trivia end to end, through the fake Discord, with the real bot running in this process.

Time: the bot's trivia clock is a `FakeClock` the test moves forward (answer times of 30 s and one-minute
schedules are simulated, not slept through); the scheduler ticks every 50 ms of real time. Discord's own
deadlines (3 s to answer an interaction) are real. The restart-by-signal tests, with real time, are in
test_trivia_restart.py.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from fake_discord import Channel, DiscordUser, FakeDiscord, InvalidInvocation, Reply
from fake_discord.bots import InProcessBot
from tests.conftest import FakeClock

SUCCESS = 3  # a green button
QUIET = 0.5  # real seconds in which a scheduler ticking every 50 ms would certainly have acted


async def set_up_channel(admin: DiscordUser, channel: str = "trivia") -> None:
    assert admin.guild is not None
    reply = await admin.invoke("/trivia channel", channel=admin.guild.channel(channel))
    assert reply.ephemeral and "will be posted in" in reply.content, reply.content


async def start_round(fake: FakeDiscord, admin: DiscordUser, channel: str = "trivia") -> Reply:
    assert admin.guild is not None
    reply = await admin.invoke("/trivia start")
    assert reply.ephemeral and "A round is up" in reply.content, reply.content
    return await fake.wait_for_message(admin.guild.channel(channel), timeout=5)


async def scheduled_round(fake: FakeDiscord, bot: InProcessBot, channel: Channel, timeout: float = 2.0) -> Reply:
    """The next round the scheduler posts in `channel`, once the bot knows it is out: its answer time starts
    when the bot gets Discord's answer to the post, a moment after the message appears."""
    posted = await fake.wait_for_message(channel, timeout=timeout)
    round_id = int(posted.buttons[0].custom_id.split(":")[2])
    cog: Any = bot.client.get_cog("TriviaCog")
    deadline = time.monotonic() + timeout
    while round_id not in cog.scheduler.open_rounds:  # the bot's own state: the fake sees no change to wait on
        assert time.monotonic() < deadline, f"round {round_id} was posted but never opened"
        await asyncio.sleep(0.005)
    return posted


async def revealed(fake: FakeDiscord, posted: Reply, timeout: float = 5.0) -> Reply:
    return await fake.wait_for_edit(
        posted,
        timeout=timeout,
        predicate=lambda r: bool(answers := _answer_buttons(r)) and all(b.disabled for b in answers),
    )


def _answer_buttons(reply: Reply) -> list[Any]:
    return [b for b in reply.buttons if (b.custom_id or "").startswith("pm:answer:")]


def right_label(reveal: Reply) -> str:
    [right] = [b.label for b in reveal.buttons if b.style == SUCCESS]
    assert right is not None
    return right


def shown_name(member: DiscordUser) -> str:
    return member.user.global_name or member.name


def labels(reply: Reply) -> list[str]:
    return [b.label or "" for b in reply.buttons]


async def score_of(member: DiscordUser, who: DiscordUser | None = None) -> str:
    reply = await (member.invoke("/trivia score", user=who) if who else member.invoke("/trivia score"))
    return reply.text()


# --- a round, its answers and its scores --------------------------------------------------------------------


async def test_a_round_scores_exactly_the_members_who_chose_right(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    assert posted.embed["title"].startswith("Trivia")
    assert len(posted.buttons) == 4 and not any(b.disabled for b in posted.buttons)

    members = [discord_admin, fake_discord.user("bob"), fake_discord.user("carol"), fake_discord.add_member("fran")]
    options = labels(posted)
    for member, option in zip(members, options, strict=True):
        ack = await member.click(posted, option)
        assert ack.ephemeral and f"Your answer **{option}** is in" in ack.content, ack.content
    again = await members[1].click(posted, options[0])
    assert again.ephemeral and "already answered" in again.content and options[1] in again.content

    clock.advance(30)
    reveal = await revealed(fake_discord, posted)
    right = right_label(reveal)
    winner = members[options.index(right)]
    losers = [m for m in members if m is not winner]
    text = reveal.text()
    assert f"The answer: **{right}**" in text
    got_it = reveal.embed["fields"][0]
    assert (got_it["name"], got_it["value"]) == ("Got it right (1 of 4)", shown_name(winner))
    assert reveal.allowed_mentions == {"parse": []} and "<@" not in text  # named, never pinged

    board = await fake_discord.user("bob").invoke("/trivia leaderboard")
    lines = board.embed["description"].splitlines()
    assert lines[0].startswith(f"**1.** {shown_name(winner)}: 1 point in 1 round")
    assert all(": 0 points in 1 round" in line for line in lines[1:]) and len(lines) == 4
    assert "Points\n1\nRounds answered\n1" in await score_of(winner)
    for loser in losers:
        assert "Points\n0\nRounds answered\n1" in await score_of(members[0], loser)


async def test_members_without_manage_server_are_refused_the_admin_commands(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_user: DiscordUser
) -> None:
    trivia = fake_discord.channel("trivia")
    for command, options in [
        ("/trivia channel", {"channel": trivia}),
        ("/trivia schedule", {"minutes": 5}),
        ("/trivia stop", {}),
        ("/trivia start", {}),
        ("/trivia config", {}),
    ]:
        reply = await discord_user.invoke(command, **options)
        assert reply.ephemeral and "Manage Server" in reply.content, (command, reply.content)
    assert fake_discord.messages_in(trivia) == []
    assert (await discord_user.invoke("/trivia leaderboard")).embed["title"].startswith("Trivia leaderboard")


async def test_setting_a_channel_says_what_permission_is_missing(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    reply = await discord_admin.invoke("/trivia channel", channel=fake_discord.channel("announcements"))
    assert reply.ephemeral and "missing Send Messages" in reply.content, reply.content
    start = await discord_admin.invoke("/trivia start")
    assert "No trivia channel is set" in start.content


async def test_only_one_round_is_open_per_server(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    await start_round(fake_discord, discord_admin)
    again = await discord_admin.invoke("/trivia start")
    assert again.ephemeral and "already open" in again.content


# --- many members clicking at once --------------------------------------------------------------------------


async def test_two_hundred_members_clicking_within_a_second_are_each_counted_once(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    options = labels(posted)
    members = [fake_discord.add_member(f"fan{i:03d}") for i in range(200)]
    started = time.monotonic()
    clicks = [await m.send_click(posted, options[i % len(options)]) for i, m in enumerate(members)]
    doubles = [await m.send_click(posted, options[0]) for m in members[:50]]  # the same members again
    assert time.monotonic() - started < 1.0  # typically 0.02 s
    await fake_discord.wait_until(
        lambda: all(r.acknowledged for r in clicks + doubles), timeout=10, what="every click answered"
    )
    firsts = [r.original.content for r in clicks if r.original is not None]
    seconds = [r.original.content for r in doubles if r.original is not None]
    assert len(firsts) == 200 and len(seconds) == 50
    # Each member's first click and double click raced; exactly one of the two was taken.
    taken = sum("is in" in text for text in firsts + seconds)
    refused = sum("already answered" in text for text in firsts + seconds)
    assert (taken, refused) == (200, 50)

    clock.advance(30)
    reveal = await revealed(fake_discord, posted)
    assert "of 200)" in reveal.text()


# --- schedules ----------------------------------------------------------------------------------------------


async def test_a_one_minute_schedule_posts_rounds_until_stopped(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    trivia = fake_discord.channel("trivia")
    await set_up_channel(discord_admin)
    reply = await discord_admin.invoke("/trivia schedule", minutes=1)
    assert reply.ephemeral and "every minute" in reply.content

    clock.advance(59)
    await asyncio.sleep(QUIET)
    assert fake_discord.messages_in(trivia) == []
    clock.advance(1)  # 60 s after the schedule was set: the first round is due
    first = await scheduled_round(fake_discord, trivia_bot, trivia)
    assert first.embed["title"].startswith("Trivia") and len(first.buttons) >= 3

    clock.advance(30)
    await revealed(fake_discord, first)
    clock.advance(30)
    second = await scheduled_round(fake_discord, trivia_bot, trivia)
    assert second.id != first.id

    stop = await discord_admin.invoke("/trivia stop")
    assert stop.ephemeral and "schedule is off" in stop.content
    clock.advance(30)
    await revealed(fake_discord, second)  # the open round still closes normally
    for _ in range(5):
        clock.advance(60)
        await asyncio.sleep(QUIET / 5)
    assert len(fake_discord.messages_in(trivia)) == 2


# --- one server's broken channel, another server's rounds ---------------------------------------------------


async def test_a_forbidden_channel_in_one_server_does_not_hold_up_another(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    fans_admin = discord_admin
    club_admin = fake_discord.user("erin")
    fans_trivia = fake_discord.channel("trivia")
    club_trivia = fake_discord.channel("trivia", "Drama Club")
    await set_up_channel(fans_admin)
    await set_up_channel(club_admin)
    # The fans' schedule is set first, so its (failing) round is due first in every tick.
    await fans_admin.invoke("/trivia schedule", minutes=1)
    clock.advance(1)
    await club_admin.invoke("/trivia schedule", minutes=1)
    fake_discord.fail_always("POST", f"/channels/{fans_trivia.id}/messages", status=403)

    clock.advance(60)  # both schedules are due now
    for _ in range(3):
        due = time.monotonic()
        posted = await scheduled_round(fake_discord, trivia_bot, club_trivia)
        assert time.monotonic() - due < 1.0  # on time: within a few ticks
        clock.advance(30)
        await revealed(fake_discord, posted)
        clock.advance(30)  # the next slot of both
    assert fake_discord.messages_in(fans_trivia) == []
    config = await fans_admin.invoke("/trivia config")
    assert "Missing Permissions" in config.text() and "Last problem" in config.text()
    assert "none" in (await club_admin.invoke("/trivia config")).embed["fields"][-1]["value"]


# --- restarts (in process, with the fake clock) -------------------------------------------------------------


async def test_after_a_restart_open_rounds_close_on_time_and_missed_ones_are_revealed(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    options = labels(posted)
    bob, carol = fake_discord.user("bob"), fake_discord.user("carol")
    await bob.click(posted, options[0])

    await trivia_bot.restart()
    # Still open: the old buttons work, a first answer is taken and a second refused.
    assert "is in" in (await carol.click(posted, options[1])).content
    assert "already answered" in (await bob.click(posted, options[2])).content
    clock.advance(29)
    await asyncio.sleep(QUIET)
    assert fake_discord.messages.get(posted.id).version == 0  # type: ignore[union-attr]
    clock.advance(1)
    reveal = await revealed(fake_discord, posted)
    assert "of 2)" in reveal.text()

    # A round that ends while the bot is down is closed and revealed when it comes back.
    second = await start_round(fake_discord, discord_admin)
    await bob.click(second, labels(second)[0])
    await trivia_bot.stop()
    clock.advance(3600)
    await trivia_bot.start()
    assert "of 1)" in (await revealed(fake_discord, second)).text()
    assert "Rounds answered\n2" in await score_of(bob)


async def test_a_schedule_goes_on_after_downtime_without_a_burst(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    trivia = fake_discord.channel("trivia")
    await set_up_channel(discord_admin)
    await discord_admin.invoke("/trivia schedule", minutes=1)
    await trivia_bot.stop()
    clock.advance(60 * 30 + 10)  # thirty slots missed, and ten seconds of the next
    await trivia_bot.start()
    await asyncio.sleep(QUIET)
    assert fake_discord.messages_in(trivia) == []  # a slot more than one interval late is skipped
    clock.advance(50)  # the next slot
    first = await scheduled_round(fake_discord, trivia_bot, trivia)
    await asyncio.sleep(QUIET)
    assert len(fake_discord.messages_in(trivia)) == 1  # one round, not thirty
    clock.advance(30)
    await revealed(fake_discord, first)
    clock.advance(30)
    await scheduled_round(fake_discord, trivia_bot, trivia)
    assert len(fake_discord.messages_in(trivia)) == 2


async def test_a_deleted_channel_is_reported_in_the_settings(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    await discord_admin.invoke("/trivia schedule", minutes=1)
    await fake_discord.delete_channel(fake_discord.channel("trivia"))
    clock.advance(60)
    failed = await discord_admin.invoke("/trivia start")
    assert failed.ephemeral and "no longer exists" in failed.content, failed.content
    config = await discord_admin.invoke("/trivia config")
    assert "no longer exists" in config.text()


async def test_the_scheduler_survives_exceptions(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    cog = trivia_bot.client.get_cog("TriviaCog")  # type: ignore[union-attr]
    real = cog.store.guilds_due
    failures = 0

    async def flaky(now: float, limit: int = 50) -> object:
        nonlocal failures
        if failures < 5:
            failures += 1
            raise RuntimeError("database hiccup")
        return await real(now, limit)

    cog.store.guilds_due = flaky
    await set_up_channel(discord_admin)
    await discord_admin.invoke("/trivia schedule", minutes=1)
    clock.advance(60)
    posted = await fake_discord.wait_for_message(fake_discord.channel("trivia"), timeout=3)
    assert failures == 5 and posted.buttons


async def test_the_answer_time_can_be_changed_within_bounds(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    for wrong in (9, 601):
        with pytest.raises(InvalidInvocation):
            await discord_admin.invoke("/trivia config", answer_seconds=wrong)
    changed = await discord_admin.invoke("/trivia config", answer_seconds=45)
    assert changed.ephemeral and "Answer time set to 45 s" in changed.content and "45 s" in changed.text()
    posted = await start_round(fake_discord, discord_admin)
    clock.advance(44)
    await asyncio.sleep(QUIET)
    assert fake_discord.messages.get(posted.id).version == 0  # type: ignore[union-attr]
    clock.advance(1)
    await revealed(fake_discord, posted)
