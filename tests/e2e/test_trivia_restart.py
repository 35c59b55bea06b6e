"""Trivia across real restarts: the bot runs as a process (`python -m bot`'s main), is stopped with SIGTERM or
killed with SIGKILL mid-round, and started again on the same database. Real time throughout, with the
shortest answer time the product allows (10 s), so this file takes about 25 s.
"""

from __future__ import annotations

import re
import time

from fake_discord import DiscordUser, FakeDiscord, Reply
from fake_discord.pytest_plugin import StartProcess
from tests.e2e.test_trivia import labels, revealed, right_label, set_up_channel, start_round

ANSWER_SECONDS = 10
TICK = 1.0  # the product's scheduler tick


def closes_at(posted: Reply) -> int:
    found = re.search(r"Answers close <t:(\d+):R>", posted.embed["description"])
    assert found, posted.embed["description"]
    return int(found[1])


async def points(member: DiscordUser) -> int:
    reply = await member.invoke("/trivia score")
    found = re.search(r"Points\n(\d+)", reply.text())
    return int(found[1]) if found else 0


async def test_rounds_survive_sigterm_and_sigkill_mid_round(
    fake_discord: FakeDiscord, bot_process: StartProcess, discord_admin: DiscordUser
) -> None:
    process = await bot_process()
    await set_up_channel(discord_admin)
    await discord_admin.invoke("/trivia config", answer_seconds=ANSWER_SECONDS)
    bob, carol = fake_discord.user("bob"), fake_discord.user("carol")
    fran = fake_discord.add_member("fran")
    expected = {bob.id: 0, carol.id: 0, fran.id: 0}

    for kill in (False, True):  # SIGTERM first, then SIGKILL
        posted = await start_round(fake_discord, discord_admin)
        deadline = closes_at(posted)
        options = labels(posted)
        choices = {bob.id: options[0], carol.id: options[1], fran.id: options[2]}
        assert "is in" in (await bob.click(posted, options[0])).content
        assert "is in" in (await carol.click(posted, options[1])).content

        await process.restart(kill=kill)
        assert process.returncodes[-1] == (-9 if kill else 0), process.log()

        # The old message's buttons still work: a first answer is taken, a second one refused.
        assert "is in" in (await fran.click(posted, options[2])).content
        assert "already answered" in (await bob.click(posted, options[3 % len(options)])).content
        reveal = await revealed(fake_discord, posted, timeout=ANSWER_SECONDS + 5)
        now = time.time()
        assert deadline - 1 <= now <= deadline + 1 + TICK + 2, f"closed {now - deadline:+.1f} s from its time"
        assert "of 3)" in reveal.text()  # the answers given before the stop were kept
        right = right_label(reveal)
        for member_id, choice in choices.items():
            expected[member_id] += choice == right

    for member in (bob, carol, fran):
        assert await points(member) == expected[member.id], process.log()
