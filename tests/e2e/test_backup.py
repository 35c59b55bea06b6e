"""Backups end to end: `python -m bot backup FILE`, run as the operator would, while the real bot records a
storm of 1,000 clicks (the bot in this process, against the fake Discord; the backup a process of its own)."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from pathlib import Path

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.interactions import InteractionRecord
from tests.conftest import FakeClock, StartBot, trivia_bot_factory
from tests.e2e.test_trivia import labels, set_up_channel, start_round

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 1000
BURST = 25  # clicks sent at once; then a short pause, so the storm lasts a second or two


def recorded(record: InteractionRecord) -> bool:
    return record.acknowledged and record.original is not None and "is in" in record.original.content


async def test_a_backup_during_a_click_storm_is_whole_and_holds_every_acknowledged_answer(
    fake_discord: FakeDiscord, start_bot: StartBot, bot_database: Path, tmp_path: Path, discord_admin: DiscordUser
) -> None:
    await start_bot(trivia_bot_factory(bot_database, FakeClock()))  # the clock stands still: the round stays open
    await set_up_channel(discord_admin)
    posted = await start_round(fake_discord, discord_admin)
    options = labels(posted)
    members = [fake_discord.add_member(f"fan{i:04d}") for i in range(MEMBERS)]
    clicks: list[tuple[DiscordUser, InteractionRecord]] = []

    async def storm() -> None:
        for i, member in enumerate(members):
            clicks.append((member, await member.send_click(posted, options[i % len(options)])))
            if i % BURST == BURST - 1:
                await asyncio.sleep(0.02)

    storming = asyncio.create_task(storm())
    await fake_discord.wait_until(
        lambda: sum(recorded(r) for _, r in clicks) >= 150, timeout=10, what="the first answers acknowledged"
    )
    acknowledged = {member.id for member, record in clicks if recorded(record)}
    target = tmp_path / "backup.db"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "DATABASE_PATH": str(bot_database)}
    started = time.monotonic()
    backup = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "backup",
        str(target),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await backup.communicate()
    answered_by_then = sum(recorded(r) for _, r in clicks)
    assert backup.returncode == 0, err.decode()
    assert out.decode().startswith(f"Backed up {bot_database} to {target}") and err == b""
    await storming
    await fake_discord.wait_until(
        lambda: all(recorded(r) for _, r in clicks), timeout=20, what="every click acknowledged"
    )
    assert answered_by_then < MEMBERS, f"the storm was over before the backup ({time.monotonic() - started:.1f} s)"

    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        in_backup = {row[0] for row in copy.execute("SELECT user_id FROM answers")}
        assert copy.execute("SELECT COUNT(*) FROM rounds").fetchone() == (1,)
    assert acknowledged <= in_backup, f"{len(acknowledged - in_backup)} acknowledged answers missing"
    with sqlite3.connect(bot_database) as live:
        in_live = {row[0] for row in live.execute("SELECT user_id FROM answers")}
    assert in_backup <= in_live and len(in_live) == MEMBERS
    assert not target.with_name(target.name + "-wal").exists()


async def test_an_existing_backup_is_kept_unless_forced(tmp_path: Path) -> None:
    database = tmp_path / "moments.db"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "DATABASE_PATH": str(database)}

    async def run(*args: str) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=tmp_path, env=env, stdout=-1, stderr=-1
        )
        out, err = await process.communicate()
        assert process.returncode is not None
        return process.returncode, out.decode(), err.decode()

    assert (await run("ask", "/about"))[0] == 0  # creates and seeds the database
    old = tmp_path / "old.db"
    old.write_bytes(b"yesterday's backup")
    code, out, err = await run("backup", "old.db")
    assert code != 0 and out == ""
    assert err.strip().splitlines() == ["perfect-moments: old.db already exists: pass --force to overwrite it"]
    assert old.read_bytes() == b"yesterday's backup"
    code, out, err = await run("backup", "old.db", "--force")
    assert code == 0 and out.startswith(f"Backed up {database} to old.db") and err == ""
    with sqlite3.connect(old) as copy:
        assert copy.execute("SELECT COUNT(*) FROM moments").fetchone()[0] >= 9
