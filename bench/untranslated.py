"""Perfect Moments with no app_commands translator, for bench/interactions.py --translator-off: the same bot, its
commands synced in English only, so the benchmark can put a figure on what the translator costs an interaction.

    FAKE_DISCORD_BOT_MAIN=bench.untranslated:main python fake_discord/launch_bot.py
"""

from __future__ import annotations

from typing import Any

from discord import app_commands

from bot.__main__ import main as bot_main


async def _no_translator(self: app_commands.CommandTree[Any], translator: app_commands.Translator | None) -> None:
    """CommandTree.set_translator, refused: the tree keeps no translator."""


def main(argv: list[str] | None = None) -> int:
    app_commands.CommandTree.set_translator = _no_translator  # type: ignore[method-assign]
    return bot_main(argv)
