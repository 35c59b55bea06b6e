"""The bot's servers change under it: removed (kicked) and added back, or unavailable in an outage and back.
discord.py tells them apart by GUILD_DELETE's `unavailable`: on_guild_remove for the first, on_guild_unavailable
for the second."""

from __future__ import annotations

import asyncio

import discord
import pytest

from fake_discord import DiscordUser, FakeDiscord, InvalidInvocation
from fake_discord.bots import InProcessBot
from fake_discord.demo_bot import DemoBot
from fake_discord.pytest_plugin import StartBot
from fake_discord.rawbot import raw_channel_message


class GuildWatcher(discord.Client):
    """A client that queues the server events it gets after on_ready, as ("remove", guild id) and so on
    (discord.py also fires on_guild_available for each server of READY, just before on_ready)."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default())
        self.events: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self.watching = False

    async def on_ready(self) -> None:
        self.watching = True

    def seen(self, event: str, guild: discord.Guild) -> None:
        if self.watching:
            self.events.put_nowait((event, guild.id))

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        self.seen("remove", guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.seen("join", guild)

    async def on_guild_unavailable(self, guild: discord.Guild) -> None:
        self.seen("unavailable", guild)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        self.seen("available", guild)

    async def next_event(self) -> tuple[str, int]:
        return await asyncio.wait_for(self.events.get(), 5)


@pytest.fixture
async def watcher(start_bot: StartBot) -> InProcessBot:
    return await start_bot(GuildWatcher)


def events_of(bot: InProcessBot) -> GuildWatcher:
    assert isinstance(bot.client, GuildWatcher)
    return bot.client


async def test_a_removed_bot_gets_on_guild_remove_and_403_for_that_server(
    fake_discord: FakeDiscord, watcher: InProcessBot
) -> None:
    club, trivia = fake_discord.world.guild("Drama Club"), fake_discord.channel("trivia", "Drama Club")
    await fake_discord.remove_bot(club)
    assert await events_of(watcher).next_event() == ("remove", club.id)
    assert watcher.client.get_guild(club.id) is None
    for _ in range(2):
        with pytest.raises(discord.Forbidden) as refused:
            await raw_channel_message(watcher.client, trivia.id, {"content": "still there?"})
        assert refused.value.code == 50001
    assert len(fake_discord.missing_access(club)) == 2
    assert fake_discord.missing_access(fake_discord.guild) == []
    await watcher.client.get_partial_messageable(fake_discord.channel("trivia").id).send("still here")
    assert fake_discord.messages_in(trivia) == []


async def test_a_removed_server_is_not_in_a_later_session_until_the_bot_is_added_back(
    fake_discord: FakeDiscord, watcher: InProcessBot
) -> None:
    club = fake_discord.world.guild("Drama Club")
    await fake_discord.remove_bot(club)
    client = await watcher.restart()
    assert [g.name for g in client.guilds] == ["K-Drama Fans"]
    await fake_discord.add_bot(club)
    assert await events_of(watcher).next_event() == ("join", club.id)
    joined = client.get_guild(club.id)
    assert joined is not None and {c.name for c in joined.text_channels} == {"general", "trivia"}
    channel = joined.get_channel(fake_discord.channel("trivia", "Drama Club").id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("back")
    assert [m.content for m in fake_discord.messages_in(channel.id)] == ["back"]


async def test_no_request_for_a_server_after_the_bot_was_removed(
    fake_discord: FakeDiscord, watcher: InProcessBot
) -> None:
    """The filter a test of a bot uses to say it forgot the server: nothing about it after the removal."""
    club = fake_discord.world.guild("Drama Club")
    general = watcher.client.get_channel(fake_discord.channel("general", "Drama Club").id)
    assert isinstance(general, discord.TextChannel)
    await general.send("before")
    await fake_discord.remove_bot(club)
    removed_at = fake_discord.clock()
    await events_of(watcher).next_event()
    assert [r.status for r in fake_discord.requests_for_guild(club)] == [200]
    assert [r for r in fake_discord.requests_for_guild(club) if r.received_at > removed_at] == []
    assert fake_discord.requests_for_guild(fake_discord.guild) == []


async def test_users_cannot_invoke_the_bot_in_a_server_it_left(
    fake_discord: FakeDiscord, start_bot: StartBot, discord_user: DiscordUser
) -> None:
    await start_bot(DemoBot)
    assert (await discord_user.invoke("/ping")).content == "pong"
    await fake_discord.remove_bot(fake_discord.guild)
    with pytest.raises(InvalidInvocation, match="not in K-Drama Fans"):
        await discord_user.send_command("/ping")


async def test_an_outage_is_on_guild_unavailable_then_on_guild_available(
    fake_discord: FakeDiscord, watcher: InProcessBot
) -> None:
    club = fake_discord.world.guild("Drama Club")
    await fake_discord.guild_outage(club)
    assert await events_of(watcher).next_event() == ("unavailable", club.id)
    cached = watcher.client.get_guild(club.id)
    assert cached is not None and cached.unavailable
    await fake_discord.guild_recovers(club)
    assert await events_of(watcher).next_event() == ("available", club.id)
    assert not cached.unavailable


async def test_a_session_started_during_an_outage_has_the_server_unavailable(
    fake_discord: FakeDiscord, watcher: InProcessBot
) -> None:
    club = fake_discord.world.guild("Drama Club")
    await fake_discord.guild_outage(club)
    client = await watcher.restart()
    cached = client.get_guild(club.id)
    assert cached is not None and cached.unavailable
    await fake_discord.guild_recovers(club)
    assert await events_of(watcher).next_event() == ("available", club.id)
