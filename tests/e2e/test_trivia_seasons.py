"""Leaderboards by period and seasons, end to end: the real bot against the fake Discord, on the FakeClock.

Weeks start on Monday 00:00 UTC and a round counts in the week, month and season in which it closes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fake_discord import DiscordUser, FakeDiscord, Reply
from fake_discord.bots import InProcessBot
from tests.conftest import FakeClock
from tests.e2e.test_trivia import labels, revealed, set_up_channel, shown_name, start_round


def _utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


async def play(
    fake: FakeDiscord,
    bot: InProcessBot,
    clock: FakeClock,
    admin: DiscordUser,
    right: list[DiscordUser],
    wrong: list[DiscordUser],
) -> Reply:
    """A round started now: `right` choose the right answer, `wrong` a wrong one; returns its reveal."""
    posted = await start_round(fake, admin)
    await answer(bot, posted, right, wrong)
    clock.advance(30)
    return await revealed(fake, posted)


async def answer(bot: InProcessBot, posted: Reply, right: list[DiscordUser], wrong: list[DiscordUser]) -> None:
    cog: Any = bot.client.get_cog("TriviaCog")
    found = await cog.store.round(int(posted.buttons[0].custom_id.split(":")[2]))
    options = labels(posted)
    for member in right:
        await member.click(posted, options[found.question.answer])
    for member in wrong:
        await member.click(posted, options[(found.question.answer + 1) % len(options)])


def lines(board: Reply) -> list[str]:
    return str(board.embed["description"]).splitlines()


async def test_points_from_rounds_in_different_weeks_land_on_their_own_boards_and_in_all_time(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob, carol = fake_discord.user("bob"), fake_discord.user("carol")
    b, c = shown_name(bob), shown_name(carol)
    await set_up_channel(discord_admin)

    clock.now = _utc("2026-11-29T23:58:00")  # Sunday night: the week from Monday 23 November, in November
    await play(fake_discord, trivia_bot, clock, discord_admin, right=[bob], wrong=[carol])
    week = await bob.invoke("/trivia leaderboard", period="week")
    assert week.embed["title"] == "Trivia leaderboard: K-Drama Fans, the week from Monday 23 November 2026"
    assert lines(week) == [f"**1.** {b}: 1 point in 1 round", f"**2.** {c}: 0 points in 1 round"]

    clock.now = _utc("2026-11-30T00:00:00")  # Monday 00:00 UTC: a new week, still November
    await play(fake_discord, trivia_bot, clock, discord_admin, right=[carol], wrong=[])
    clock.now = _utc("2026-12-01T00:00:00")  # Tuesday: the same week, a new month
    await play(fake_discord, trivia_bot, clock, discord_admin, right=[carol], wrong=[bob])

    week = await bob.invoke("/trivia leaderboard", period="week")
    assert week.embed["title"].endswith("the week from Monday 30 November 2026")
    assert lines(week) == [f"**1.** {c}: 2 points in 2 rounds", f"**2.** {b}: 0 points in 1 round"]
    assert "You are **#2**: 0 points in 1 round." in week.text()
    month = await bob.invoke("/trivia leaderboard", period="month")
    assert month.embed["title"].endswith("December 2026")
    assert lines(month) == [f"**1.** {c}: 1 point in 1 round", f"**2.** {b}: 0 points in 1 round"]
    forever = await bob.invoke("/trivia leaderboard", period="all")
    assert forever.embed["title"].endswith("all time")
    assert lines(forever) == [f"**1.** {c}: 2 points in 3 rounds, streak 2", f"**2.** {b}: 1 point in 2 rounds"]
    season = await bob.invoke("/trivia leaderboard")  # the default: the current season
    assert season.embed["title"].endswith("season 1") and not season.ephemeral
    assert lines(season) == [f"**1.** {c}: 2 points in 3 rounds", f"**2.** {b}: 1 point in 2 rounds"]
    late = await fake_discord.user("alice").invoke("/trivia leaderboard", period="week")
    assert "You have no rounds in the week from Monday 30 November 2026 yet" in late.text()


async def test_a_new_season_starts_from_zero_while_all_time_keeps_the_old_points(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob, carol = fake_discord.user("bob"), fake_discord.user("carol")
    b, c = shown_name(bob), shown_name(carol)
    trivia = fake_discord.channel("trivia")
    await set_up_channel(discord_admin)
    await play(fake_discord, trivia_bot, clock, discord_admin, right=[bob], wrong=[carol])

    refused = await bob.invoke("/trivia season new")
    assert refused.ephemeral and "Manage Server" in refused.content
    prompt = await discord_admin.invoke("/trivia season new")
    assert prompt.ephemeral and "End season 1?" in prompt.text() and "season 2 starts from zero" in prompt.text()
    second = await discord_admin.invoke("/trivia season new")  # a second confirmation, open at the same time
    await trivia_bot.restart()  # the confirmation's button carries the season and when it was offered
    done = await discord_admin.click(prompt, "End season 1")
    assert done.kind == "update" and done.ephemeral and not done.buttons and not done.embeds
    assert "Season 1 has ended and season 2 starts now, from zero." in done.content
    final = await fake_discord.wait_for_message(trivia, timeout=5)
    assert final.embed["title"] == "Season 1 final board: K-Drama Fans"
    assert lines(final) == [f"**1.** {b}: 1 point in 1 round", f"**2.** {c}: 0 points in 1 round"]
    assert final.allowed_mentions == {"parse": []}
    again = await discord_admin.click(second, "End season 1")
    assert "Season 1 had already ended; nothing changed." in again.content  # one click, one season

    empty = await bob.invoke("/trivia leaderboard")
    assert empty.embed["title"].endswith("season 2") and "No scores yet for season 2" in empty.text()
    await play(fake_discord, trivia_bot, clock, discord_admin, right=[carol], wrong=[])
    assert lines(await bob.invoke("/trivia leaderboard")) == [f"**1.** {c}: 1 point in 1 round"]
    assert lines(await bob.invoke("/trivia leaderboard", period="all")) == [
        f"**1.** {b}: 1 point in 1 round",
        f"**2.** {c}: 1 point in 2 rounds",
    ]
    score = (await bob.invoke("/trivia score")).text()
    assert "Points\n1\nRounds answered\n1" in score and "Season 2\nno rounds yet in season 2" in score
    assert "Season 2\n1 point in 1 round, place #1" in (await bob.invoke("/trivia score", user=carol)).text()

    shown = await carol.invoke("/trivia season show", number=1)
    assert shown.embed["title"] == "Season 1 final board: K-Drama Fans" and lines(shown) == lines(final)
    assert "You were #2: 0 points in 1 round." in shown.content
    current = await carol.invoke("/trivia season show", number=2)
    assert current.ephemeral and "Season 2 is the current one" in current.content
    missing = await carol.invoke("/trivia season show", number=7)
    assert "There is no season 7 to show here: seasons 1 to 1 have ended." in missing.content


async def test_a_round_open_while_the_season_ends_counts_in_the_new_season_once(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob = fake_discord.user("bob")
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    await answer(trivia_bot, posted, [bob], [])
    prompt = await discord_admin.invoke("/trivia season new")
    assert "A round open now counts in season 2." in prompt.text()
    await discord_admin.click(prompt, "End season 1")
    final = await fake_discord.wait_for_message(fake_discord.channel("trivia"), timeout=5)
    assert "Nobody scored in this season." in final.text()
    clock.advance(30)
    await revealed(fake_discord, posted)
    assert lines(await bob.invoke("/trivia leaderboard")) == [f"**1.** {shown_name(bob)}: 1 point in 1 round"]
    assert "Nobody scored in this season." in (await bob.invoke("/trivia season show", number=1)).text()
    assert lines(await bob.invoke("/trivia leaderboard", period="all")) == [
        f"**1.** {shown_name(bob)}: 1 point in 1 round"
    ]


async def test_a_boards_page_buttons_still_work_after_a_restart(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    fans = [fake_discord.add_member(f"fan{i:02d}") for i in range(12)]
    await set_up_channel(discord_admin)
    await play(fake_discord, trivia_bot, clock, discord_admin, right=fans[:4], wrong=fans[4:])
    board = await fans[11].invoke("/trivia leaderboard", period="week")
    assert len(lines(board)) == 10 and board.embed["footer"]["text"].startswith("Page 1 of 2.")
    assert [(b.label, b.disabled) for b in board.buttons] == [("◀", True), ("▶", False)]
    assert all(line.startswith("**5.**") for line in lines(board)[4:])  # eight wrong answers share 5th place

    await trivia_bot.restart()
    page = await fans[11].click(board, "▶")
    assert page.ephemeral and page.embed["footer"]["text"].startswith("Page 2 of 2.")
    assert lines(page) == [f"**5.** {shown_name(f)}: 0 points in 1 round" for f in fans[10:]]
    assert "You are **#5**: 0 points in 1 round." in page.text()
    assert [(b.label, b.disabled) for b in page.buttons] == [("◀", False), ("▶", True)]
    back = await fans[11].click(page, "◀")
    assert back.kind == "update" and back.ephemeral and lines(back) == lines(board)


async def test_an_ended_weeks_board_says_so_and_an_ended_seasons_board_still_turns_its_pages(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    fans = [fake_discord.add_member(f"fan{i:02d}") for i in range(12)]
    await set_up_channel(discord_admin)
    clock.now = _utc("2026-11-29T23:50:00")  # Sunday night: the week from Monday 23 November
    await play(fake_discord, trivia_bot, clock, discord_admin, right=fans[:4], wrong=fans[4:])
    week = await fans[11].invoke("/trivia leaderboard", period="week")
    season = await fans[11].invoke("/trivia leaderboard")
    all_time = await fans[11].invoke("/trivia leaderboard", period="all")

    clock.now = _utc("2026-11-30T00:00:05")  # Monday: a new week, and the old week's board is gone
    over = await fans[11].click(week, "▶")
    assert over.ephemeral and over.content == (
        "The week from Monday 23 November 2026 is over, and its board is no longer kept. "
        "`/trivia leaderboard period:this week` shows this week's."
    )
    prompt = await discord_admin.invoke("/trivia season new")
    await discord_admin.click(prompt, "End season 1")
    await fake_discord.wait_for_message(fake_discord.channel("trivia"), timeout=5)
    for board in (season, all_time):  # season 1's final board is kept; all time never ends
        page = await fans[11].click(board, "▶")
        assert page.ephemeral and page.embed["footer"]["text"].startswith("Page 2 of 2."), page.text()
        assert lines(page) == [f"**5.** {shown_name(f)}: 0 points in 1 round" for f in fans[10:]]
        assert "You are **#5**: 0 points in 1 round." in page.text()
