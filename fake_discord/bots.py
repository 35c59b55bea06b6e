"""Running a bot against the fake: in this event loop (`InProcessBot`) or as a process (`BotProcess`)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

import discord

from .server import FakeDiscord, FakeTimeout

REPO_ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = Path(__file__).with_name("launch_bot.py")
# discord.py waits this long after the last GUILD_CREATE before on_ready (2 s by default). The fake sends all
# of them at once, so a short wait is enough and keeps a bot start well under a second.
FAST_GUILD_READY_TIMEOUT = 0.1
FAST_IDENTIFY_WAIT = 0.05


def make_ready_fast(client: discord.Client) -> None:
    client._connection.guild_ready_timeout = FAST_GUILD_READY_TIMEOUT
    client.before_identify_hook = fast_identify  # type: ignore[method-assign]


async def fast_identify(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before each IDENTIFY but the first (Discord allows one per 5 s per bucket); the fake
    has no such limit, so a bot's second shard, or its next session, connects in a blink."""
    if not initial:
        await asyncio.sleep(FAST_IDENTIFY_WAIT)


class BotCrashed(AssertionError):
    """The bot stopped on its own (its output or exception is in the message)."""


class InProcessBot:
    """A discord.py client running in the test's event loop. `factory` builds a fresh client for each start,
    so `restart()` gives a new bot on the same database (a closed discord.py client cannot be reused)."""

    def __init__(self, fake: FakeDiscord, factory: Callable[[], discord.Client]) -> None:
        self.fake = fake
        self.factory = factory
        self._client: discord.Client | None = None
        self.starts = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self, *, timeout: float = 10.0) -> discord.Client:
        """Log in (runs setup_hook), connect, and wait for on_ready."""
        client = self.factory()
        make_ready_fast(client)
        self._client = client
        try:
            await asyncio.wait_for(client.login(self.fake.token), timeout)
        except BaseException:
            await client.close()
            raise
        self._task = asyncio.create_task(client.connect(), name="bot-connect")
        await self._until_ready(client, timeout)
        self.starts += 1
        return client

    async def _until_ready(self, client: discord.Client, timeout: float) -> None:
        assert self._task is not None
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait({self._task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if ready in done:
            return
        ready.cancel()
        if self._task in done:
            error = self._task.exception()
            raise BotCrashed(f"the bot stopped before it was ready: {error!r}") from error
        raise FakeTimeout(f"the bot was not ready after {timeout:g} s")

    @property
    def client(self) -> discord.Client:
        """The running (or last) client."""
        if self._client is None:
            raise AssertionError("the bot was never started")
        return self._client

    async def wait_closed(self, *, timeout: float = 10.0) -> BaseException | None:
        """Wait until the client's connection loop ends on its own and return the error it ended with (None:
        a clean end), e.g. discord.ConnectionClosed after a close it may not retry. `stop()` then only closes
        the client, without raising that error again."""
        task = self._task
        if task is None:
            raise AssertionError("the bot is not running")
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            raise FakeTimeout(f"the bot was still connected after {timeout:g} s")
        self._task = None
        return None if task.cancelled() else task.exception()

    async def stop(self) -> None:
        """Close the client (as on a clean shutdown) and wait for its connection loop to end."""
        client, task = self._client, self._task
        self._task = None
        if client is not None and not client.is_closed():
            await client.close()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def restart(self, *, timeout: float = 10.0) -> discord.Client:
        await self.stop()
        return await self.start(timeout=timeout)

    @property
    def crashed(self) -> BaseException | None:
        task = self._task
        return task.exception() if task is not None and task.done() and not task.cancelled() else None


class BotProcess:
    """The bot run as `python fake_discord/launch_bot.py`, talking to the fake over loopback.

    Output (stdout and stderr) goes to `log_path`. `main` is the "module:function" the launcher calls
    (default: the real bot's `bot.__main__:main`)."""

    def __init__(
        self,
        fake: FakeDiscord,
        *,
        database_path: Path,
        log_path: Path,
        main: str = "bot.__main__:main",
        env: Mapping[str, str] | None = None,
        python: str = sys.executable,
    ) -> None:
        self.fake = fake
        self.python = python
        self.database_path = database_path
        self.log_path = log_path
        self.main = main
        self.extra_env = dict(env or {})
        self.process: asyncio.subprocess.Process | None = None
        self.returncodes: list[int] = []
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, "the bot process was not started"
        return self.process.pid

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            FAKE_DISCORD_URL=self.fake.url,
            FAKE_DISCORD_BOT_MAIN=self.main,
            DISCORD_TOKEN=self.fake.token,
            DATABASE_PATH=str(self.database_path),
            DATABASE_URL="",  # SQLite at DATABASE_PATH, unless the test's env says otherwise
            DEV_GUILD_ID="",
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        )
        env.update(self.extra_env)
        return env

    async def start(self, *, timeout: float = 30.0) -> None:
        """Start the process and wait until its client reports on_ready to the fake."""
        self._log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            self.python,
            str(LAUNCHER),
            stdout=self._log,
            stderr=asyncio.subprocess.STDOUT,
            env=self.environment(),
            cwd=str(REPO_ROOT),
        )
        await self.wait_ready(timeout=timeout)

    async def wait_ready(self, *, timeout: float = 30.0) -> None:
        assert self.process is not None
        pid = self.pid
        ready = asyncio.create_task(
            self.fake.wait_until(
                lambda: pid in self.fake.ready_pids, timeout=timeout, what=f"bot process {pid} to be ready"
            )
        )
        exited = asyncio.create_task(self.process.wait())
        done, _ = await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
        if ready in done:
            exited.cancel()
            ready.result()
            return
        ready.cancel()
        raise BotCrashed(f"bot process exited with {exited.result()} before it was ready:\n{self.log()}")

    def terminate(self) -> None:
        """SIGTERM: the bot should shut down cleanly."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL: the bot dies at once (no cleanup), like a crash or an OOM kill."""
        self._signal(signal.SIGKILL)

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(sig)

    async def wait(self, *, timeout: float = 15.0) -> int:
        """Wait for the process to exit and return its exit code (negative: killed by that signal)."""
        assert self.process is not None
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            raise FakeTimeout(
                f"bot process {self.pid} did not exit within {timeout:g} s; its log ends:\n{self.log()[-3000:]}"
            ) from None
        self._close_log()
        self.returncodes.append(code)
        return code

    async def stop(self, *, timeout: float = 15.0) -> int | None:
        """SIGTERM, then SIGKILL if it has not exited within `timeout`."""
        if self.process is None:
            return None
        if self.process.returncode is not None:
            self._close_log()
            return self.process.returncode
        self.terminate()
        try:
            return await self.wait(timeout=timeout)
        except FakeTimeout:
            self.kill()
            return await self.wait(timeout=timeout)

    async def restart(self, *, kill: bool = False, timeout: float = 30.0) -> None:
        """Stop (SIGTERM, or SIGKILL with kill=True) and start again on the same database."""
        if kill:
            self.kill()
            await self.wait()
        else:
            await self.stop()
        await self.start(timeout=timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
