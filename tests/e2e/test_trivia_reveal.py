"""What a closed round's message teaches, end to end: the answer, the spread of answers as bars, who got it right
fastest first, a line about the moment behind the question, and its drama's card for whoever asks."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from tests.conftest import FakeClock, database_env
from tests.e2e.test_trivia import labels, revealed, set_up_channel, shown_name, start_round

ROOT = Path(__file__).resolve().parents[2]


def reports_listed(database: str | Path, tmp_path: Path) -> list[str]:
    """What `python -m bot reports` prints for the operator, line by line."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    listed = subprocess.run(
        [sys.executable, "-m", "bot", "reports"],
        cwd=tmp_path,
        env={**env, **database_env(database)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    return listed.stdout.splitlines()


async def test_the_reveal_shows_the_spread_the_fastest_first_and_the_moment_and_its_drama_privately(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob, carol, fran = fake_discord.user("bob"), fake_discord.user("carol"), fake_discord.add_member("fran")
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    question = (await cog.store.round(int(posted.buttons[0].custom_id.split(":")[2]))).question
    options = labels(posted)
    right, wrong = options[question.answer], options[(question.answer + 1) % len(options)]
    await fran.click(posted, right)  # fran first...
    clock.advance(2)
    await carol.click(posted, wrong)
    clock.advance(2)
    await bob.click(posted, right)  # ...bob last, though his user id is the lower
    clock.advance(30)

    reveal = await revealed(fake_discord, posted)
    moment = trivia_bot.client.catalogue.by_rank(int(question.key.split(":")[1]))
    description = reveal.embed["description"]
    assert f"The answer: **{right}**" in description
    assert "📖 " in description and moment.drama in description.split("📖 ")[1]
    got_it, spread = reveal.embed["fields"]
    assert (got_it["name"], got_it["value"]) == ("Got it right (2 of 3)", f"{shown_name(fran)}, {shown_name(bob)}")
    bars = dict(line.split(" ", 1)[1].rsplit(": ", 1) for line in spread["value"].splitlines())
    assert bars[right] == "2 " + "█" * 7 + "░" * 3 and bars[wrong] == "1 " + "█" * 3 + "░" * 7
    about = reveal.button(f"About {moment.drama}")
    assert about is not None and not about.disabled

    card = await carol.click(reveal, f"About {moment.drama}")
    assert card.kind == "message" and card.ephemeral  # only carol sees it
    assert card.embed == (await carol.invoke("/drama", title=moment.drama)).embed
    assert fake_discord.messages_in(fake_discord.channel("trivia"))[-1].version == reveal.version  # reveal untouched


async def test_a_report_is_stored_once_per_member_per_round_and_listed_for_the_operator(
    fake_discord: FakeDiscord,
    trivia_bot: InProcessBot,
    clock: FakeClock,
    discord_admin: DiscordUser,
    trivia_database: str | Path,
    tmp_path: Path,
) -> None:
    bob, carol = fake_discord.user("bob"), fake_discord.user("carol")
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    assert not [b for b in posted.buttons if (b.custom_id or "").startswith("pm:report:")]  # closed rounds only
    await bob.click(posted, labels(posted)[0])
    clock.advance(30)
    reveal = await revealed(fake_discord, posted)

    form = await bob.click(reveal, "Report a problem")
    assert form.kind == "modal" and form.modal is not None
    assert form.modal["title"] == "Report a problem with this question"
    [field] = form.modal["components"]
    assert field["type"] == 18 and field["label"] == "What is wrong with it?"
    assert [o["value"] for o in field["component"]["options"]] == ["wrong_answer", "unclear", "other"]
    thanks = await bob.submit(form, {"reason": ["unclear"]})
    assert thanks.ephemeral and thanks.content.startswith("Thank you: your report is in")
    again = await bob.click(reveal, "Report a problem")
    assert again.kind == "message" and again.ephemeral and "You already reported this round" in again.content
    clock.advance(5)
    await carol.submit(await carol.click(reveal, "Report a problem"), {"reason": ["wrong_answer"]})

    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    question = (await cog.store.round(int(posted.buttons[0].custom_id.split(":")[2]))).question
    lines = reports_listed(trivia_database, tmp_path)
    assert lines[0] == f"{question.key}  2 reports (the answer is wrong: 1, the question is unclear: 1)"
    assert lines[1] == f"  {question.prompt}"
    assert lines[2].endswith("The answer is wrong") and lines[3].endswith("The question is unclear")  # newest first
    assert f"server {fake_discord.guild.id}" in lines[2] and len(lines) == 4


async def test_members_reporting_one_round_at_the_same_moment_are_all_kept_even_across_a_restart(
    fake_discord: FakeDiscord,
    trivia_bot: InProcessBot,
    clock: FakeClock,
    discord_admin: DiscordUser,
    trivia_database: str | Path,
    tmp_path: Path,
) -> None:
    """Each member's form is their own (its custom id names the round, and nothing of it is kept in memory):
    three forms open at once are all answered, and so is one sent after the bot restarted."""
    members = [fake_discord.user("bob"), fake_discord.user("carol"), fake_discord.add_member("fran")]
    late = fake_discord.add_member("gus")
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    clock.advance(30)
    reveal = await revealed(fake_discord, posted)
    forms = [await member.click(reveal, "Report a problem") for member in [*members, late]]
    reasons = ["wrong_answer", "unclear", "other"]
    thanks = await asyncio.gather(
        *(
            member.submit(form, {"reason": [reason]})
            for member, form, reason in zip(members, forms, reasons, strict=False)
        )
    )
    assert all(t.ephemeral and t.content.startswith("Thank you: your report is in") for t in thanks), thanks
    await trivia_bot.restart()
    after = await late.submit(forms[-1], {"reason": ["unclear"]})
    assert after.content.startswith("Thank you: your report is in"), after.content

    summary = reports_listed(trivia_database, tmp_path)[0]  # reasons reported equally often come in no set order
    assert "4 reports (the question is unclear: 2, " in summary, summary
    assert "the answer is wrong: 1" in summary and "something else: 1" in summary
