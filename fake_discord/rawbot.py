"""A bare discord.py client for tests that need a bot to misbehave on purpose.

discord.py refuses some bad payloads itself (view layout, command names), so `raw_callback` and
`raw_channel_message` send bodies through discord.py's own HTTP machinery without those checks. Errors the
fake answers to a RawBot command land in `bot.refusals` as the `discord.HTTPException` the bot's code saw.

    bot = RawBot()

    @bot.command("bad")
    async def bad(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=discord.Embed(title="x" * 257))

    await start_bot(lambda: bot)
    await user.send_command("/bad")
    error = await bot.next_refusal()        # discord.HTTPException: 400, code 50035
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands
from discord.http import Route
from discord.webhook.async_ import async_context, interaction_response_params

Handler = Callable[[discord.Interaction], Awaitable[None]]


class RawBot(discord.Client):
    def __init__(
        self,
        *,
        intents: discord.Intents | None = None,
        raw_commands: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(intents=intents or discord.Intents.default())
        self.tree = app_commands.CommandTree(self)
        self.raw_commands = raw_commands
        self.refusals: asyncio.Queue[discord.HTTPException] = asyncio.Queue()
        self.release = asyncio.Event()  # commands that wait for the test can `await bot.release.wait()`

    async def setup_hook(self) -> None:
        """Sync the tree, or PUT `raw_commands` exactly as given (a refusal goes to `refusals`)."""
        if self.raw_commands is None:
            await self.tree.sync()
            return
        assert self.application_id is not None
        try:
            await self.http.bulk_upsert_global_commands(self.application_id, payload=self.raw_commands)
        except discord.HTTPException as error:
            self.refusals.put_nowait(error)

    def command(self, name: str, description: str = "A test command") -> Callable[[Handler], Handler]:
        """Register a slash command without options; HTTP errors in it go to `refusals`."""

        def decorator(handler: Handler) -> Handler:
            async def callback(interaction: discord.Interaction) -> None:
                await self.guard(handler(interaction))

            self.tree.add_command(app_commands.Command(name=name, description=description, callback=callback))
            return handler

        return decorator

    async def guard(self, action: Awaitable[Any]) -> None:
        try:
            await action
        except discord.HTTPException as error:
            self.refusals.put_nowait(error)

    async def next_refusal(self, timeout: float = 5.0) -> discord.HTTPException:
        return await asyncio.wait_for(self.refusals.get(), timeout)


async def raw_callback(
    interaction: discord.Interaction,
    callback_type: int,
    data: dict[str, Any] | None = None,
) -> None:
    """POST /interactions/{id}/{token}/callback with exactly this body, then mark the interaction answered
    so discord.py does not answer again on its own."""
    adapter = async_context.get()
    params = interaction_response_params(callback_type, data)
    try:
        await adapter.create_interaction_response(
            interaction.id, interaction.token, session=interaction._session, params=params
        )
    finally:
        interaction.response._response_type = discord.InteractionResponseType(callback_type)


async def raw_channel_message(client: discord.Client, channel_id: int, body: dict[str, Any]) -> Any:
    """POST /channels/{id}/messages with exactly this body."""
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
    return await client.http.request(route, json=body)


async def raw_request(client: discord.Client, method: str, path: str, body: Any = None) -> Any:
    """Any REST call, e.g. one the fake does not know."""
    route = Route(method, path)
    return await client.http.request(route, json=body) if body is not None else await client.http.request(route)


__all__ = ["RawBot", "raw_callback", "raw_channel_message", "raw_request"]
