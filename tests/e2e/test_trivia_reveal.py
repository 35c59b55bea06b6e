"""What a closed round's message teaches, end to end: the answer, the spread of answers as bars, who got it right
fastest first, a line about the moment behind the question, and its drama's card for whoever asks."""

from __future__ import annotations

from typing import Any

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from tests.conftest import FakeClock
from tests.e2e.test_trivia import labels, revealed, set_up_channel, shown_name, start_round


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
