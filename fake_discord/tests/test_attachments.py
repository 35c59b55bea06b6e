"""Files both ways: a user's file given to a command's attachment option (resolved as Discord does, its bytes
served at its url), and a file the bot uploads with its answer (kept, with its name, for the test to read)."""

from __future__ import annotations

import io
from typing import Any

import discord
import pytest
from discord import app_commands

from fake_discord import DiscordUser, FakeDiscord, FakeFile, InvalidInvocation
from fake_discord.rawbot import RawBot


async def echo(interaction: discord.Interaction, file: discord.Attachment) -> None:
    data = await file.read()
    await interaction.response.send_message(
        f"{file.filename} {file.size} {file.content_type}", file=discord.File(io.BytesIO(data[::-1]), "back.txt")
    )


async def test_an_attachment_option_is_served_and_an_uploaded_file_is_kept(
    fake_discord: FakeDiscord, start_bot: Any, discord_user: DiscordUser
) -> None:
    bot = RawBot()
    bot.tree.add_command(app_commands.Command(name="echo", description="Echo a file", callback=echo))
    await start_bot(lambda: bot)
    reply = await discord_user.invoke("/echo", file=FakeFile("in.txt", b"hello"))
    assert reply.content == "in.txt 5 text/plain; charset=utf-8"
    assert fake_discord.uploads[-1] == ("back.txt", b"olleh")
    assert reply.message is not None and [a["filename"] for a in reply.message.attachments] == ["back.txt"]
    with pytest.raises(InvalidInvocation, match="takes a FakeFile"):
        await discord_user.invoke("/echo", file="in.txt")
