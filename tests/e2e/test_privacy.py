"""Privacy end to end, through the fake Discord with the real bot: /privacy anywhere, /forget-me from a DM
or a server with its confirmation, /trivia delete-server-data for admins. Every answer is private."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot import database
from fake_discord import DiscordUser, FakeDiscord, InvalidInvocation, Reply
from fake_discord.bots import InProcessBot
from fake_discord.users import answer_of
from tests.big_server import BigServer, fill
from tests.conftest import FakeClock, StartBot
from tests.e2e.test_operations import Scraper, free_port, watched_bot_factory
from tests.e2e.test_trivia import labels, revealed, set_up_channel, shown_name, start_round


async def play_a_round(fake: FakeDiscord, clock: FakeClock, admin: DiscordUser, members: list[DiscordUser]) -> Reply:
    posted = await start_round(fake, admin)
    for member in members:
        await member.click(posted, labels(posted)[0])
    clock.advance(30)
    return await revealed(fake, posted)


def private(reply: Reply) -> None:
    assert reply.ephemeral and reply.allowed_mentions == {"parse": []}, reply


async def test_privacy_is_answered_privately_in_servers_dms_and_user_installs(
    trivia_bot: InProcessBot, discord_user: DiscordUser
) -> None:
    for where in (discord_user, discord_user.in_dm(), discord_user.in_private_channel()):
        reply = await where.invoke("/privacy")
        private(reply)
        text = reply.text()
        assert reply.embed["title"] == "What this bot keeps, and why"
        for said in ("Your answers", "Your scores", "your Discord user id", "display name", "/forget-me"):
            assert said in text, (where, said)


async def test_forget_me_from_a_dm_deletes_answers_and_scores_in_every_server(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob, carol = fake_discord.user("bob"), fake_discord.user("carol")
    club_admin = fake_discord.user("erin")
    alice_at_club = fake_discord.user("alice", guild="Drama Club")
    await set_up_channel(discord_admin)
    await set_up_channel(club_admin)
    await play_a_round(fake_discord, clock, discord_admin, [discord_admin, bob, carol])
    await play_a_round(fake_discord, clock, club_admin, [alice_at_club])
    board = await carol.invoke("/trivia leaderboard")
    assert shown_name(discord_admin) in board.text()

    prompt = await discord_admin.in_dm().invoke("/forget-me")
    private(prompt)
    assert "This deletes your 2 answers and scores in 2 servers, in every server" in prompt.text()
    assert [b.label for b in prompt.buttons] == ["Delete my data", "Keep it"]
    done = await discord_admin.in_dm().click(prompt, "Delete my data")
    assert done.kind == "deferred" and done.ephemeral and not done.buttons and not done.embeds
    assert done.content == "Done: I deleted your 2 answers and scores in 2 servers. Leaderboards no longer show you."

    board = await carol.invoke("/trivia leaderboard")
    assert shown_name(discord_admin) not in board.text() and shown_name(bob) in board.text()
    assert "You haven't answered a round here yet" in (await discord_admin.invoke("/trivia score")).content
    club_board = await club_admin.invoke("/trivia leaderboard")
    assert "No scores yet" in club_board.text()
    again = await discord_admin.in_dm().invoke("/forget-me")
    private(again)
    assert "I keep nothing about you" in again.content and not again.buttons


async def test_trivia_forget_me_in_a_server_asks_first_and_keep_it_deletes_nothing(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob = fake_discord.user("bob")
    await set_up_channel(discord_admin)
    await play_a_round(fake_discord, clock, discord_admin, [bob])
    prompt = await bob.invoke("/trivia forget-me")
    private(prompt)
    assert "1 answer and scores in 1 server" in prompt.text()
    kept = await bob.click(prompt, "Keep it")
    assert kept.kind == "update" and kept.content == "Nothing was deleted." and not kept.buttons
    assert "Points\n" in (await bob.invoke("/trivia score")).text()

    prompt = await bob.invoke("/trivia forget-me")
    await trivia_bot.restart()  # the confirmation is persistent: it works after a restart
    done = await bob.click(prompt, "Delete my data")
    assert done.content.startswith("Done: I deleted your 1 answer and scores in 1 server.")
    assert "You haven't answered a round here yet" in (await bob.invoke("/trivia score")).content


async def test_forget_me_is_offered_everywhere_but_trivia_only_in_servers(
    trivia_bot: InProcessBot, discord_user: DiscordUser
) -> None:
    for where in (discord_user, discord_user.in_dm(), discord_user.in_private_channel()):
        reply = await where.invoke("/forget-me")
        private(reply)
        assert "I keep nothing about you" in reply.content
    with pytest.raises(InvalidInvocation, match="not offered in a DM"):
        await discord_user.in_dm().invoke("/trivia forget-me")


async def test_delete_server_data_is_for_admins_and_deletes_only_that_server(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob, club_admin = fake_discord.user("bob"), fake_discord.user("erin")
    await set_up_channel(discord_admin)
    await set_up_channel(club_admin)
    await discord_admin.invoke("/trivia schedule", minutes=60)
    await play_a_round(fake_discord, clock, discord_admin, [bob, discord_admin])
    await play_a_round(fake_discord, clock, club_admin, [fake_discord.user("dave")])

    refused = await bob.invoke("/trivia delete-server-data")
    private(refused)
    assert "Manage Server" in refused.content

    prompt = await discord_admin.invoke("/trivia delete-server-data")
    private(prompt)
    assert prompt.embed["title"] == "Delete everything trivia keeps for K-Drama Fans?"
    assert "the trivia settings and schedule, 1 round, 2 answers, 2 members' scores" in prompt.text()
    done = await discord_admin.click(prompt, "Delete server data")
    assert done.kind == "deferred" and done.ephemeral
    assert done.content.startswith(
        "Done: I deleted the trivia settings and schedule, 1 round, 2 answers, 2 members' scores"
    )

    config = await discord_admin.invoke("/trivia config")
    assert "not set" in config.text() and "off" in config.text()
    assert "No scores yet" in (await bob.invoke("/trivia leaderboard")).text()
    assert "Points\n" in (await fake_discord.user("dave").invoke("/trivia score")).text()  # the club keeps its own
    nothing = await discord_admin.invoke("/trivia delete-server-data")
    assert "I keep nothing for this server" in nothing.content


async def test_a_member_who_only_reported_a_question_is_offered_the_deletion(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    carol = fake_discord.user("carol")
    await set_up_channel(discord_admin)
    reveal = await play_a_round(fake_discord, clock, discord_admin, [fake_discord.user("bob")])
    await carol.submit(await carol.click(reveal, "Report a problem"), {"reason": ["unclear"]})  # she never answered

    prompt = await carol.in_dm().invoke("/forget-me")
    private(prompt)
    assert "This deletes your 1 question report, in every server" in prompt.text()
    assert [b.label for b in prompt.buttons] == ["Delete my data", "Keep it"]
    done = await carol.in_dm().click(prompt, "Delete my data")
    assert done.kind == "deferred" and done.ephemeral
    assert done.content == "Done: I deleted your 1 question report. Leaderboards no longer show you."
    assert "I keep nothing about you" in (await carol.in_dm().invoke("/forget-me")).content


async def test_privacy_and_the_deletions_answer_each_member_in_their_discords_language(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    hangul, english = fake_discord.user("carol").speaking("ko"), fake_discord.user("bob").speaking("en-US")
    await set_up_channel(discord_admin)
    await play_a_round(fake_discord, clock, discord_admin, [hangul, english])

    policy_ko = await hangul.in_dm().invoke("/privacy")
    private(policy_ko)
    assert policy_ko.embed["title"] == "이 봇이 보관하는 정보와 그 이유"
    assert "내 답" in policy_ko.text() and "/내-기록-삭제" in policy_ko.text() and "30일 뒤에" in policy_ko.text()
    assert (await english.invoke("/privacy")).embed["title"] == "What this bot keeps, and why"

    prompt = await hangul.invoke("/trivia forget-me")
    private(prompt)
    assert prompt.embed["title"] == "내 퀴즈 기록을 삭제할까요?" and "답 1개, 서버 1곳의 점수" in prompt.text()
    assert [b.label for b in prompt.buttons] == ["내 기록 삭제", "그대로 두기"]
    assert (await hangul.click(prompt, "그대로 두기")).content == "아무것도 삭제하지 않았어요."
    done = await hangul.click(await hangul.invoke("/trivia forget-me"), "내 기록 삭제")
    assert done.content == "삭제했어요: 답 1개, 서버 1곳의 점수. 이제 순위표에 나오지 않아요.", done.content
    assert "보관 중인 내 정보가 없어요" in (await hangul.in_dm().invoke("/forget-me")).content
    english_prompt = await english.invoke("/forget-me")
    assert [b.label for b in english_prompt.buttons] == ["Delete my data", "Keep it"]

    admin = discord_admin.speaking("ko")
    server = await admin.invoke("/trivia delete-server-data")
    assert server.embed["title"] == "K-Drama Fans의 퀴즈 기록을 모두 삭제할까요?"
    assert "퀴즈 설정과 일정, 문제 1개, 답 1개, 멤버 1명의 점수" in server.text(), server.text()
    refused = await hangul.invoke("/trivia delete-server-data")
    assert refused.content == "이 명령을 쓰려면 서버 관리 권한이 필요해요."
    deleted = await admin.click(server, "서버 기록 삭제")
    assert deleted.content.startswith("삭제했어요: 퀴즈 설정과 일정, 문제 1개"), deleted.content
    assert "이 서버에 대해 보관 중인 정보가 없어요" in (await admin.invoke("/trivia delete-server-data")).content


# --- a big server's deletion, while another server plays -------------------------------------------------------


@pytest.fixture
async def big_club(fake_discord: FakeDiscord, trivia_database: str | Path) -> BigServer:
    """Drama Club with the benchmark's biggest server's data (200,000 answers), written before the bot starts."""
    club = fake_discord.world.guilds[1]
    big = BigServer(guild_id=club.id, channel_id=club.channel("trivia").id)
    db = await database.open_database(trivia_database)
    try:
        await fill(db, big, time.time())
        if db.backend == "postgresql":
            await db.execute("ANALYZE")  # as autovacuum would, soon after such a load
    finally:
        await db.close()
    return big


async def test_deleting_a_200000_answer_server_keeps_another_servers_clicks_under_3_s(
    fake_discord: FakeDiscord,
    trivia_database: str | Path,
    big_club: BigServer,
    start_bot: StartBot,
    clock: FakeClock,
    discord_admin: DiscordUser,
) -> None:
    port = free_port()
    bot = await start_bot(watched_bot_factory(trivia_database, port, clock))
    batches: list[tuple[float, float]] = []  # (when it ended, how long it held the writer)
    privacy_cog: Any = bot.client.get_cog("PrivacyCog")
    privacy_cog.store.observe = lambda _table, _rows, seconds: batches.append((time.monotonic(), seconds))
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    options = labels(posted)
    members = [fake_discord.add_member(f"fan{i:03d}") for i in range(100)]
    erin = fake_discord.user("erin")
    prompt = await erin.invoke("/trivia delete-server-data")
    assert "2000 rounds, 200000 answers, 20000 members' scores" in prompt.text()

    deletion = await erin.send_click(prompt, "Delete server data")
    deadline = time.monotonic() + 10
    while not batches:  # the bot's own state: the fake sees no change to wait on
        assert time.monotonic() < deadline, "the deletion never began"
        await asyncio.sleep(0.005)
    again = await erin.click(prompt, "Delete server data")  # a second click while it runs starts nothing
    assert again.ephemeral and "being deleted already" in again.content
    health: list[int] = []
    clicks, sent = [], []
    async with aiohttp.ClientSession() as session:
        scraper = Scraper(session, port)
        for i, member in enumerate(members):  # ten clicks every 20 ms or so, and /healthz, while it deletes
            sent.append(time.monotonic())
            clicks.append(await member.send_click(posted, options[i % len(options)]))
            if i % 10 == 9:
                health.append((await scraper.health())[0])
                await asyncio.sleep(0.02)
        done = await answer_of(fake_discord, deletion, timeout=120)
        health.append((await scraper.health())[0])
    await fake_discord.wait_until(lambda: all(r.acknowledged for r in clicks), timeout=10, what="every click answered")

    assert done.kind == "deferred" and done.ephemeral
    assert done.content == (
        "Done: I deleted the trivia settings and schedule, 2000 rounds, 200000 answers, 20000 members' scores, "
        "the past season boards (20000 places), 1 ended season, 300 question reports and the question cycle "
        "(2 questions asked)."
    )
    during = sum(at < batches[-1][0] for at in sent)
    assert during >= 50, f"only {during} clicks came while it deleted"
    waits = [r.answered_at - r.created_at for r in clicks if r.answered_at is not None]
    longest = max(seconds for _, seconds in batches) * 1000
    print(f"{during} clicks during it, slowest click {max(waits) * 1000:.0f} ms, longest batch {longest:.1f} ms")
    assert len(waits) == 100 and max(waits) < 3.0
    assert all(r.original is not None and "is in" in r.original.content for r in clicks)
    assert set(health) == {200}
    assert "No scores yet" in (await erin.invoke("/trivia leaderboard")).text()
    clock.advance(30)
    assert "of 100)" in (await revealed(fake_discord, posted)).text()
