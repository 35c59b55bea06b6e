"""The servers the bot is in, learnt again at every start: a server that removed the bot while it was stopped
is marked removed (its 30 days start), and one that added it back while it was stopped has trivia again and
keeps its data past the 30 days. Discord's list of a shard's servers (READY) is the truth, not the events the
bot happened to see."""

from __future__ import annotations

import asyncio
from typing import Any

from fake_discord import FakeDiscord
from fake_discord.bots import InProcessBot
from tests.conftest import FakeClock
from tests.e2e.test_trivia import QUIET, scheduled_round, set_up_channel

DAY = 24 * 3600


async def _settings(bot: InProcessBot, guild_id: int) -> Any:
    cog: Any = bot.client.get_cog("TriviaCog")
    return await cog.store.settings(guild_id)


async def _until(condition: Any, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        assert loop.time() < deadline, "the bot never got there"
        await asyncio.sleep(0.02)


async def test_removals_and_returns_while_the_bot_was_stopped_are_known_at_the_next_start(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock
) -> None:
    fans_admin = fake_discord.user("alice")
    club_admin = fake_discord.user("erin")
    fans, club = fake_discord.guild, fake_discord.world.guild("Drama Club")
    for admin in (fans_admin, club_admin):
        await set_up_channel(admin)
        assert "every minute" in (await admin.invoke("/trivia schedule", minutes=1)).content
    await fake_discord.remove_bot(fans)  # kicked while the bot runs: it sees the removal
    await _until(lambda: _removed(trivia_bot, fans.id))

    await trivia_bot.stop()
    await fake_discord.add_bot(fans)  # re-invited while the bot is stopped: no join event will ever come
    await fake_discord.remove_bot(club)  # removed while the bot is stopped: no removal event either
    await trivia_bot.start()

    await _until(lambda: _removed(trivia_bot, club.id))
    assert (await _settings(trivia_bot, fans.id)).removed_at is None
    clock.advance(60)  # the next slot: Fans' schedule runs again, the Drama Club's does not
    posted = await scheduled_round(fake_discord, trivia_bot, fans.channel("trivia"))
    assert posted.buttons
    clock.advance(31 * DAY)  # past the 30 days since Fans' kick, and since the club's removal was learnt
    await asyncio.sleep(QUIET)
    assert (await _settings(trivia_bot, fans.id)).channel_id is not None  # kept: the bot is back there
    assert (await _settings(trivia_bot, club.id)).channel_id is None  # deleted, as PRIVACY.md says
    assert "not set" not in (await fans_admin.invoke("/trivia config")).text()


async def _removed(bot: InProcessBot, guild_id: int) -> bool:
    return (await _settings(bot, guild_id)).removed_at is not None


async def test_a_server_back_from_an_outage_that_was_marked_removed_is_cleared(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot
) -> None:
    admin = fake_discord.user("alice")
    await set_up_channel(admin)
    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    await cog.store.guild_removed(fake_discord.guild.id, 0.0)  # as a mark left by a lost event would be
    cog.scheduler.removed.add(fake_discord.guild.id)
    await fake_discord.guild_outage(fake_discord.guild)
    await fake_discord.guild_recovers(fake_discord.guild)
    await _until(lambda: _present(trivia_bot, fake_discord.guild.id))
    assert fake_discord.guild.id not in cog.scheduler.removed


async def _present(bot: InProcessBot, guild_id: int) -> bool:
    return (await _settings(bot, guild_id)).removed_at is None
