"""The bot as a process across its life: a shutdown in the middle of a click storm, a shutdown while an admin
starts a round, and start-up failures that must end in one clear line. Real time; answer time 10 s."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import sys
import time
from pathlib import Path

import psutil
import pytest

from bot import database
from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import LAUNCHER, BotProcess
from fake_discord.pytest_plugin import StartProcess
from tests.e2e.test_trivia import labels, revealed, set_up_channel, start_round

ANSWER_SECONDS = 10
GONE = ("no longer exists", "no longer in use", "went wrong")


def answers_counted(reveal_text: str) -> int:
    found = re.search(r"Got it right \(\d+ of (\d+)\)", reveal_text)
    assert found, reveal_text
    return int(found[1])


async def test_sigterm_during_a_click_storm_loses_no_acknowledged_click(
    fake_discord: FakeDiscord, bot_process: StartProcess, discord_admin: DiscordUser
) -> None:
    process = await bot_process()
    await set_up_channel(discord_admin)
    await discord_admin.invoke("/trivia config", answer_seconds=ANSWER_SECONDS)
    posted = await start_round(fake_discord, discord_admin)
    options = labels(posted)
    members = [fake_discord.add_member(f"storm{i:04d}") for i in range(1000)]

    clicks = []
    for i, member in enumerate(members):
        if i == 300:
            process.terminate()
            stopped_at = time.monotonic()
        if fake_discord.gateway.connected_session() is None:
            break  # the bot has closed its gateway: later clicks would find no bot
        clicks.append(await member.send_click(posted, options[i % len(options)]))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # a storm over about a second, not one burst
    assert await process.wait(timeout=10) == 0, process.log()[-3000:]
    assert time.monotonic() - stopped_at < 10

    answered = [c.original.content for c in clicks if c.original is not None and c.original.content]
    recorded = sum("is in" in text for text in answered)
    assert recorded >= 300, f"only {recorded} clicks were recorded before the shutdown"
    assert not [text for text in answered if any(word in text for word in GONE)]
    assert "Traceback" not in process.log(), process.log()[-3000:]

    await process.start()
    reveal = await revealed(fake_discord, posted, timeout=ANSWER_SECONDS + 10)
    assert answers_counted(reveal.text()) == recorded  # every acknowledged click, and no other


async def test_sigterm_while_an_admin_starts_a_round_still_answers_them(
    fake_discord: FakeDiscord, bot_process: StartProcess, discord_admin: DiscordUser
) -> None:
    process = await bot_process()
    await set_up_channel(discord_admin)
    record = await discord_admin.send_command("/trivia start")
    process.terminate()
    assert await process.wait(timeout=10) == 0
    await fake_discord.wait_until(lambda: record.acknowledged, what="an answer to /trivia start")
    messages = [m.content or "" for m in [record.original, *record.followups] if m is not None]
    assert any("A round is up" in text or "restarting" in text for text in messages), messages
    log = process.log()
    assert "Traceback" not in log and "closed database" not in log and "Session is closed" not in log, log[-3000:]


async def _start_and_fail(
    fake: FakeDiscord, tmp_path: Path, database_path: Path, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Start `python -m bot` against the fake (with more `env`) and wait for it to exit; its code and stderr."""
    process = BotProcess(fake, database_path=database_path, log_path=tmp_path / "unused.log", env=env)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(LAUNCHER),
        env=process.environment(),
        cwd=str(Path(__file__).resolve().parents[2]),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(child.communicate(), timeout=60)
    assert child.returncode is not None
    return child.returncode, stderr.decode(errors="replace")


def assert_one_clear_line(stderr: str, expected: str) -> None:
    assert "Traceback" not in stderr, stderr
    last = [line for line in stderr.splitlines() if line.strip()][-1]
    assert last.startswith("perfect-moments: ") and expected in last, stderr


async def test_a_database_that_cannot_be_seeded_ends_in_one_line(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    db = await database.open_database(path)
    await db.execute("CREATE TRIGGER no_moments BEFORE INSERT ON moments BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    await db.close()
    code, stderr = await _start_and_fail(fake_discord, tmp_path, path)
    assert code != 0
    assert_one_clear_line(stderr, "cannot seed the database")


async def test_a_database_from_a_newer_bot_ends_in_one_line(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 999")
    code, stderr = await _start_and_fail(fake_discord, tmp_path, path)
    assert code != 0
    assert_one_clear_line(stderr, "newer than this bot")


async def test_discord_refusing_the_command_sync_ends_in_one_line(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake_discord.fail_always("PUT", "/applications/{id}/commands", status=503)
    code, stderr = await _start_and_fail(fake_discord, tmp_path, tmp_path / "fresh.db")
    assert code != 0
    assert_one_clear_line(stderr, "Discord refused the command sync (503")


@pytest.mark.fake_discord(extra_guilds=3000)
async def test_new_sessions_redo_no_one_time_work_and_leak_nothing(
    fake_discord: FakeDiscord, bot_process: StartProcess
) -> None:
    process = await bot_process()
    bot = psutil.Process(process.pid)
    await asyncio.sleep(1.0)  # let the first session's 3,002 servers settle
    after_first = bot.memory_info().rss
    identifies = fake_discord.gateway.stats.identifies
    for session in range(1, 11):
        await fake_discord.invalidate_session(resumable=False)  # a new session, not a resume
        await fake_discord.wait_for_gateway(identifies=identifies + session, timeout=20)
        await asyncio.sleep(0.5)
    await asyncio.sleep(1.0)
    grown = bot.memory_info().rss / after_first
    assert grown <= 1.15, f"resident memory grew {grown:.2f}x over ten new sessions"
    assert process.log().count("connected as") == 11


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (4004, "Discord refused DISCORD_TOKEN"),
        (4011, "requires sharding for this many servers (gateway close 4011): set SHARD_COUNT"),
        (4013, "intents"),
    ],
)
async def test_a_gateway_close_that_cannot_be_retried_ends_in_one_line(
    fake_discord: FakeDiscord, tmp_path: Path, code: int, expected: str
) -> None:
    fake_discord.refuse_identify(code)
    exit_code, stderr = await _start_and_fail(fake_discord, tmp_path, tmp_path / "fresh.db")
    assert exit_code != 0
    assert_one_clear_line(stderr, expected)
