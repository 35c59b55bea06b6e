"""Gateway closes a client may not retry (4004, 4010-4014): discord.py raises instead of reconnecting, whether
the socket is closed under a running bot or every IDENTIFY is refused. A wrong token fails at login."""

from __future__ import annotations

import asyncio

import discord
import pytest

from fake_discord import FakeDiscord
from fake_discord.demo_bot import DemoBot
from fake_discord.pytest_plugin import StartBot

FATAL = [4004, 4010, 4011, 4012, 4013, 4014]


def expected_error(code: int) -> type[Exception]:
    return discord.PrivilegedIntentsRequired if code == 4014 else discord.ConnectionClosed


@pytest.mark.parametrize("code", FATAL)
async def test_a_fatal_close_under_a_running_bot_is_not_retried(
    code: int, fake_discord: FakeDiscord, start_bot: StartBot
) -> None:
    bot = await start_bot(DemoBot)
    await fake_discord.drop_gateway(code=code)
    error = await bot.wait_closed()
    assert isinstance(error, expected_error(code))
    if isinstance(error, discord.ConnectionClosed):
        assert error.code == code
    assert fake_discord.gateway.stats.connections == 1  # no reconnect, no RESUME
    assert fake_discord.gateway.stats.resumes == 0


@pytest.mark.parametrize("code", FATAL)
async def test_a_refused_identify_makes_client_start_raise(code: int, fake_discord: FakeDiscord) -> None:
    fake_discord.refuse_identify(code)
    async with discord.Client(intents=discord.Intents.default()) as client:
        with pytest.raises(expected_error(code)):
            await asyncio.wait_for(client.start(fake_discord.token), 10)
    assert fake_discord.gateway.stats.refused_identifies == 1
    assert fake_discord.gateway.stats.identifies == 0


async def test_identify_is_accepted_again_after_refuse_identify_none(
    fake_discord: FakeDiscord, start_bot: StartBot
) -> None:
    fake_discord.refuse_identify(4004)
    fake_discord.refuse_identify(None)
    bot = await start_bot(DemoBot)
    assert bot.client.is_ready() and fake_discord.gateway.stats.identifies == 1


async def test_a_wrong_token_fails_at_login(fake_discord: FakeDiscord) -> None:
    fake_discord.expect_violation("unauthorized")
    async with discord.Client(intents=discord.Intents.default()) as client:
        with pytest.raises(discord.LoginFailure):
            await asyncio.wait_for(client.start("not-the-token"), 10)


async def test_a_revoked_token_is_refused_with_401_at_login_and_4004_at_identify(
    fake_discord: FakeDiscord, start_bot: StartBot
) -> None:
    bot = await start_bot(DemoBot)
    fake_discord.revoke_token()
    await fake_discord.invalidate_session(resumable=False)  # the bot must IDENTIFY again, with the reset token
    error = await bot.wait_closed()
    assert isinstance(error, discord.ConnectionClosed) and error.code == 4004
    async with discord.Client(intents=discord.Intents.default()) as client:
        with pytest.raises(discord.LoginFailure):
            await asyncio.wait_for(client.login(fake_discord.token), 10)
    fake_discord.revoke_token(False)
    async with discord.Client(intents=discord.Intents.default()) as client:
        await asyncio.wait_for(client.login(fake_discord.token), 10)  # no violation recorded on the way


@pytest.mark.parametrize("hold", [False, True])
async def test_a_refused_gateway_answers_503_until_it_accepts_again(
    fake_discord: FakeDiscord, start_bot: StartBot, hold: bool
) -> None:
    bot = await start_bot(DemoBot)
    fake_discord.refuse_gateway(hold=hold)
    await fake_discord.drop_gateway()
    await fake_discord.wait_until(
        lambda: fake_discord.gateway.stats.refused_connections >= 1, timeout=10, what="a refused reconnect"
    )
    assert fake_discord.gateway.connected_session() is None and bot.crashed is None
    fake_discord.refuse_gateway(False)
    await fake_discord.wait_until(
        lambda: fake_discord.gateway.connected_session() is not None, timeout=30, what="the bot connected again"
    )
