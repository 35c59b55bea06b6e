"""Sharding as Discord does it: GET /gateway/bot recommends a shard count, each session IDENTIFYs as one shard
and gets only its shard's servers and their interactions ((guild_id >> 22) % shards), DMs go to shard 0, and
an unsharded or impossible IDENTIFY is closed with 4011 or 4010."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import discord
import pytest

from fake_discord import FakeDiscord
from fake_discord.demo_bot import DemoBot, add_commands
from fake_discord.pytest_plugin import StartBot


class ShardedDemo(discord.AutoShardedClient):
    """The demo bot's commands on an AutoShardedClient: it asks GET /gateway/bot how many shards to run."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none())
        self.tree = discord.app_commands.CommandTree(self)
        add_commands(self.tree)  # type: ignore[arg-type]
        self.seen: list[tuple[int | None, int | None]] = []  # (guild id, shard id) of each interaction

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        self.seen.append((interaction.guild_id, guild.shard_id if guild is not None else None))


class OneShard(DemoBot):
    """The demo bot as one shard of `count`, noting the servers its interactions come from."""

    def __init__(self, shard_id: int, count: int, *, sync: bool = True) -> None:
        discord.Client.__init__(
            self,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_id=shard_id,
            shard_count=count,
        )
        self.tree = discord.app_commands.CommandTree(self)
        self.sync_on_start = sync
        add_commands(self.tree)
        self.seen: list[int | None] = []

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self.seen.append(interaction.guild_id)


def test_the_default_world_spreads_its_servers_over_the_shards() -> None:
    fake = FakeDiscord(shards=2, extra_guilds=4, schema=False)
    shards = [fake.shard_of(guild) for guild in fake.world.guilds]
    assert shards == [0, 1, 0, 1, 0, 1]
    assert fake.shard_of("K-Drama Fans") != fake.shard_of("Drama Club")


@pytest.mark.fake_discord(shards=3)
async def test_an_autosharded_client_runs_the_recommended_count(fake_discord: FakeDiscord, start_bot: StartBot) -> None:
    bot = await start_bot(ShardedDemo)
    await fake_discord.wait_for_shards([0, 1, 2])
    client = bot.client
    assert isinstance(client, discord.AutoShardedClient)
    assert client.shard_count == 3 and sorted(client.shards) == [0, 1, 2]
    assert sorted(s for s in fake_discord.gateway.stats.shards if s is not None) == [(0, 3), (1, 3), (2, 3)]
    assert {g.id: g.shard_id for g in client.guilds} == {
        g.id: fake_discord.shard_of(g) for g in fake_discord.world.guilds
    }


@pytest.mark.fake_discord(shards=2, extra_guilds=4)
async def test_each_shard_is_told_only_of_its_servers(fake_discord: FakeDiscord, start_bot: StartBot) -> None:
    first = await start_bot(lambda: OneShard(0, 2))
    second = await start_bot(lambda: OneShard(1, 2, sync=False))
    for shard_id, bot in enumerate((first, second)):
        expected = {g.id for g in fake_discord.world.guilds if fake_discord.shard_of(g) == shard_id}
        assert {g.id for g in bot.client.guilds} == expected and len(expected) == 3


@pytest.mark.fake_discord(shards=2)
async def test_interactions_go_to_the_shard_of_their_server_and_dms_to_shard_0(
    fake_discord: FakeDiscord, start_bot: StartBot
) -> None:
    bots = {0: await start_bot(lambda: OneShard(0, 2)), 1: await start_bot(lambda: OneShard(1, 2, sync=False))}
    fans, club = fake_discord.world.guild("K-Drama Fans"), fake_discord.world.guild("Drama Club")
    assert (await fake_discord.user("bob").invoke("/ping")).content == "pong"  # in K-Drama Fans
    assert (await fake_discord.user("dave", guild="Drama Club").invoke("/ping")).content == "pong"
    assert (await fake_discord.user("bob").in_dm().invoke("/ping")).content == "pong"
    seen = {shard: bot.client.seen for shard, bot in bots.items()}  # type: ignore[attr-defined]
    assert seen[fake_discord.shard_of(fans)].count(fans.id) == 1 and fans.id not in seen[fake_discord.shard_of(club)]
    assert seen[fake_discord.shard_of(club)].count(club.id) == 1 and club.id not in seen[fake_discord.shard_of(fans)]
    assert None in seen[0] and None not in seen[1]  # the DM


@pytest.mark.fake_discord(shards=2)
async def test_a_server_that_adds_the_bot_joins_on_its_own_shard(
    fake_discord: FakeDiscord, start_bot: StartBot
) -> None:
    bots = [await start_bot(lambda: OneShard(0, 2)), await start_bot(lambda: OneShard(1, 2, sync=False))]
    club = fake_discord.world.guild("Drama Club")
    owner, other = bots[fake_discord.shard_of(club)].client, bots[1 - fake_discord.shard_of(club)].client
    await fake_discord.remove_bot(club)
    await until(lambda: owner.get_guild(club.id) is None)
    await fake_discord.add_bot(club)
    await until(lambda: owner.get_guild(club.id) is not None)
    await asyncio.sleep(0.1)
    assert other.get_guild(club.id) is None


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """The client's own state: the fake sees no change to wait on."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.mark.fake_discord(shards=2, require_sharding=True)
async def test_an_unsharded_identify_is_closed_with_4011_when_sharding_is_required(fake_discord: FakeDiscord) -> None:
    async with discord.Client(intents=discord.Intents.default()) as client:
        with pytest.raises(discord.ConnectionClosed) as closed:
            await asyncio.wait_for(client.start(fake_discord.token), 10)
    assert closed.value.code == 4011 and fake_discord.gateway.stats.identifies == 0


@pytest.mark.fake_discord(shards=2, require_sharding=True)
async def test_too_few_shards_are_closed_with_4011_and_the_recommended_count_connects(
    fake_discord: FakeDiscord, start_bot: StartBot
) -> None:
    async with discord.Client(intents=discord.Intents.default(), shard_id=0, shard_count=1) as client:
        with pytest.raises(discord.ConnectionClosed) as closed:
            await asyncio.wait_for(client.start(fake_discord.token), 10)
    assert closed.value.code == 4011
    bot = await start_bot(ShardedDemo)
    assert bot.client.shard_count == 2 and fake_discord.gateway.stats.identifies == 2


@pytest.mark.fake_discord(shards=2)
async def test_an_invalid_shard_is_closed_with_4010(fake_discord: FakeDiscord) -> None:
    fake_discord.expect_violation("gateway", match="invalid shard")
    async with discord.Client(intents=discord.Intents.default(), shard_id=2, shard_count=2) as client:
        with pytest.raises(discord.ConnectionClosed) as closed:
            await asyncio.wait_for(client.start(fake_discord.token), 10)
    assert closed.value.code == 4010 and fake_discord.gateway.stats.identifies == 0
