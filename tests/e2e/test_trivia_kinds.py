"""The kinds of question a server gets, chosen in /trivia config's menu: end to end through the fake Discord."""

from __future__ import annotations

from typing import Any

from bot.trivia.questions import YEAR_OF_DRAMA
from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import InProcessBot
from tests.conftest import FakeClock
from tests.e2e.test_trivia import revealed, set_up_channel, start_round


async def test_a_server_with_one_kind_chosen_gets_only_that_kind_each_once_per_cycle(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    config = await discord_admin.invoke("/trivia config")
    [menu] = [c for row in config.components for c in row["components"] if c["type"] == 3]
    offered = {o["value"]: o for o in menu["options"]}
    assert len(offered) >= 5 and all(o["default"] for o in offered.values())
    years = int(offered[YEAR_OF_DRAMA]["description"].split()[0])
    assert offered[YEAR_OF_DRAMA]["label"] == "The year a drama aired" and years >= 3
    assert "every kind" in config.text()

    changed = await discord_admin.choose(config, [YEAR_OF_DRAMA])
    assert changed.kind == "update" and changed.ephemeral
    assert f"rounds ask only: the year a drama aired ({years} questions)" in changed.content
    [menu] = [c for row in changed.components for c in row["components"] if c["type"] == 3]
    assert [o["value"] for o in menu["options"] if o.get("default")] == [YEAR_OF_DRAMA]
    assert menu["min_values"] == 1  # at least one kind: Discord's client allows no empty choice

    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    keys = []
    for _ in range(years + 1):
        posted = await start_round(fake_discord, discord_admin)
        assert posted.embed["title"] == "Trivia: Which year?"
        asked = await cog.store.round(int(posted.buttons[0].custom_id.split(":")[2]))
        keys.append(asked.question.key)
        clock.advance(30)
        await revealed(fake_discord, posted)
    assert len(set(keys[:-1])) == years  # every year question once before any comes again
    assert keys[-1] in keys[:-1] and keys[-1] != keys[-2]

    other = fake_discord.user("erin", guild="Drama Club")
    await set_up_channel(other)
    club = await other.invoke("/trivia config")
    assert "every kind" in club.text()  # the choice is per server


async def test_the_menu_works_after_a_restart_and_every_kind_again_is_stored_as_every_kind(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    config = await discord_admin.invoke("/trivia config")
    [menu] = [c for row in config.components for c in row["components"] if c["type"] == 3]
    everything = [o["value"] for o in menu["options"]]
    await discord_admin.choose(config, everything[:2])
    await trivia_bot.restart()
    again = await discord_admin.choose(config, everything)
    assert "Rounds ask every kind of question again" in again.content
    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    assert (await cog.store.settings(fake_discord.guild.id)).question_kinds is None
