"""An entry an operator adds to the data file can be asked for, in Discord and offline: nothing assumes ten."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fake_discord import DiscordUser
from fake_discord.pytest_plugin import StartBot
from tests.conftest import real_bot_factory

ROOT = Path(__file__).resolve().parents[2]


async def test_rank_11_from_an_added_entry_in_discord(
    start_bot: StartBot, bot_database: Path, seed_with_eleven: Path, discord_user: DiscordUser
) -> None:
    await start_bot(real_bot_factory(bot_database, seed_path=seed_with_eleven))
    reply = await discord_user.invoke("/rank", number=11)
    assert reply.embed["title"] == "#11 · The Operator's Own Scene"
    assert [b.label for b in reply.buttons] == ["#10 ▶"]
    down = await discord_user.click(await discord_user.invoke("/rank", number=10), "◀ #11")
    assert down.embed["title"] == "#11 · The Operator's Own Scene"
    missing = await discord_user.invoke("/rank", number=1)
    assert missing.ephemeral and "not included" in missing.content


def test_rank_11_from_an_added_entry_offline(tmp_path: Path, seed_with_eleven: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env["DATABASE_PATH"] = str(tmp_path / "m.db")
    command = [sys.executable, "-m", "bot", "--seed", str(seed_with_eleven), "ask", "/rank 11"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "#11 · The Operator's Own Scene" in result.stdout
    assert "Test Actor as Test Character" in result.stdout
