"""No loose ends in a bot's lifetime, through the fake Discord with the real bot as a process: every start-up
failure ends the process in one line and a non-zero exit within 5 s, and SIGTERM ends it within 10 s in every
state, a reconnect loop included."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from fake_discord import FakeDiscord
from fake_discord.bots import LAUNCHER, REPO_ROOT, BotProcess

FAILS_WITHIN = 5.0  # seconds from start to exit, for a start-up failure
STOPS_WITHIN = 10.0  # seconds from SIGTERM to exit


class Started:
    """`python -m bot` (through fake_discord/launch_bot.py) with its stderr kept apart from stdout."""

    def __init__(self, child: asyncio.subprocess.Process) -> None:
        self.child = child
        self.began = time.monotonic()

    @classmethod
    async def start(cls, fake: FakeDiscord, tmp_path: Path, **env: str) -> Started:
        process = BotProcess(fake, database_path=tmp_path / "moments.db", log_path=tmp_path / "unused.log", env=env)
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            str(LAUNCHER),
            env=process.environment(),
            cwd=str(REPO_ROOT),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(child)

    async def exit(self, within: float) -> tuple[int, list[str], float]:
        """Its exit code, stderr's lines and how long it took, failing the test if it outlives `within` s."""
        try:
            _, stderr = await asyncio.wait_for(self.child.communicate(), within)
        except TimeoutError:
            self.child.kill()
            _, stderr = await self.child.communicate()
            pytest.fail(f"still running after {within:g} s; its stderr ends:\n{stderr.decode()[-3000:]}")
        assert self.child.returncode is not None
        return self.child.returncode, stderr.decode(errors="replace").splitlines(), time.monotonic() - self.began


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_ends_in_one_line(lines: list[str], expected: str) -> None:
    text = "\n".join(lines)
    assert "Traceback" not in text, text
    assert lines and lines[-1].startswith("perfect-moments: ") and expected in lines[-1], text


async def test_a_token_discord_refuses_with_401_exits_at_once_in_one_line(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake_discord.revoke_token()
    code, lines, took = await (await Started.start(fake_discord, tmp_path)).exit(FAILS_WITHIN)
    assert code != 0
    assert_ends_in_one_line(lines, "Discord refused DISCORD_TOKEN")
    assert fake_discord.token not in "\n".join(lines)
    print(f"401 at login: exited in {took:.2f} s")


async def test_with_log_format_json_the_failure_is_one_json_object(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake_discord.revoke_token()
    started = await Started.start(fake_discord, tmp_path, LOG_FORMAT="json")
    code, lines, _ = await started.exit(FAILS_WITHIN)
    assert code != 0
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert entries[-1]["level"] == "CRITICAL" and "Discord refused DISCORD_TOKEN" in entries[-1]["message"]


@pytest.mark.parametrize("where", ["a closed port", "TLS to a plain HTTP server"])
async def test_discord_unreachable_exits_in_one_line_without_a_traceback(
    fake_discord: FakeDiscord, tmp_path: Path, where: str
) -> None:
    url = f"http://127.0.0.1:{closed_port()}" if where == "a closed port" else f"https://127.0.0.1:{fake_discord.port}"
    started = await Started.start(fake_discord, tmp_path, FAKE_DISCORD_URL=url)
    code, lines, took = await started.exit(FAILS_WITHIN)
    assert code != 0
    assert_ends_in_one_line(lines, "cannot reach Discord: Cannot connect to host 127.0.0.1")
    print(f"Discord unreachable ({where}): exited in {took:.2f} s")


async def test_a_bad_seed_file_ends_the_bot_in_one_line(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    seed = tmp_path / "moments.toml"
    seed.write_text("[[moment]\nrank = 3\n")  # not TOML
    started = await Started.start(fake_discord, tmp_path, FAKE_DISCORD_BOT_ARGS=f"--seed {seed}")
    code, lines, took = await started.exit(FAILS_WITHIN)
    assert code != 0
    assert_ends_in_one_line(lines, f"seed file {seed} is not valid TOML")
    print(f"bad seed file: exited in {took:.2f} s")


async def test_sigterm_while_the_gateway_refuses_the_first_connect_ends_the_bot(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """discord.py retries a shard's first connect every 5 s, forever, even once the client is closed."""
    fake_discord.refuse_gateway()
    started = await Started.start(fake_discord, tmp_path)
    await fake_discord.wait_until(
        lambda: fake_discord.gateway.stats.refused_connections >= 2, timeout=20, what="two refused connects"
    )
    started.child.send_signal(signal.SIGTERM)
    began = time.monotonic()
    code, lines, _ = await started.exit(STOPS_WITHIN)
    assert code == 0, lines
    print(f"SIGTERM while the first connect is refused: exited in {time.monotonic() - began:.2f} s")


@pytest.mark.parametrize(("sig", "hold"), [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGTERM, True)])
async def test_a_signal_during_a_reconnect_loop_ends_the_bot(
    fake_discord: FakeDiscord, tmp_path: Path, sig: signal.Signals, hold: bool
) -> None:
    """Refused (503), discord.py sleeps a growing backoff between reconnects; held (no answer), it waits up to
    60 s for each: either way the closed client went on waiting."""
    process = BotProcess(fake_discord, database_path=tmp_path / "moments.db", log_path=tmp_path / "bot.log")
    await process.start()
    fake_discord.refuse_gateway(hold=hold)
    await fake_discord.drop_gateway(abrupt=True)
    await fake_discord.wait_until(
        lambda: fake_discord.gateway.stats.refused_connections >= (1 if hold else 2),
        timeout=20,
        what="refused reconnects",
    )
    assert process.process is not None
    process.process.send_signal(sig)
    began = time.monotonic()
    code = await process.wait(timeout=STOPS_WITHIN)
    assert code == 0, process.log()[-3000:]
    assert "shut down" in process.log()
    print(f"{sig.name} in a reconnect loop: exited in {time.monotonic() - began:.2f} s")
