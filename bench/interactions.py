"""Interaction benchmark: Perfect Moments against a bare discord.py bot, through the fake Discord, in one run.

Each bot runs as its own process (tests/fake_discord/launch_bot.py) on a fresh database; this process runs
the fake Discord and plays the users. Latency is the fake's time from sending INTERACTION_CREATE to receiving
the bot's answer. CPU is the bot process's user+system seconds; memory its peak resident set (VmHWM).

    python -m bench.interactions [--bare-python PATH] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil

from tests.fake_discord import DiscordUser, FakeDiscord
from tests.fake_discord.bots import LAUNCHER, BotProcess
from tests.fake_discord.interactions import InteractionRecord

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

NAMES = ["Suzy Bae", "bae suzy", "Gong Yoo", "gong-yoo", "Son Ye-jin", "Lee Min-ho", "IU", "Gong Yo", "Kim Go-eun"]
DRAMAS = ["Goblin", "Guardian", "Healer", "Squid Game", "Boys Over Flowers", "scarlet heart", "Crash Landing on You"]
SCENES = ["Snow Kiss", "Traffic Kiss", "Goblin", "Final Goodbye", "Fantastic Baby", "Red Light, Green Light"]
PREFIXES = ["su", "go", "lee", "k", "", "park"]

Send = Callable[[DiscordUser, random.Random], Awaitable[InteractionRecord]]


def lookup_mix() -> list[Send]:
    """The lookup workload: one of each, in turn."""
    return [
        lambda u, r: u.send_command("/rank", number=r.randint(2, 10)),
        lambda u, r: u.send_command("/moment random"),
        lambda u, r: u.send_command("/moment show", title=r.choice(SCENES)),
        lambda u, r: u.send_command("/actor", name=r.choice(NAMES)),
        lambda u, r: u.send_autocomplete("/actor", name=r.choice(PREFIXES)),
        lambda u, r: u.send_command("/drama", title=r.choice(DRAMAS)),
    ]


@dataclass
class Figures:
    workload: str
    count: int
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    cpu_s_per_1000: float

    def row(self) -> str:
        return (
            f"{self.workload:<22}{self.count:>6}{self.per_second:>9.0f}{self.p50_ms:>8.1f}{self.p95_ms:>8.1f}"
            f"{self.p99_ms:>8.1f}{self.max_ms:>8.1f}{self.cpu_s_per_1000:>10.3f}"
        )


class Target(BotProcess):
    """A bot process started with a chosen interpreter (the bare bot runs from a default discord.py install)."""

    def __init__(self, fake: FakeDiscord, python: str, main: str, workdir: Path) -> None:
        super().__init__(
            fake,
            database_path=workdir / "bench.db",
            log_path=workdir / "bot.log",
            main=main,
            env={"LOG_LEVEL": "WARNING"},
        )
        self.python = python

    async def start(self, *, timeout: float = 60.0) -> None:
        self._log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            self.python,
            str(LAUNCHER),
            stdout=self._log,
            stderr=asyncio.subprocess.STDOUT,
            env=self.environment(),
            cwd=str(ROOT),
        )
        await self.wait_ready(timeout=timeout)

    def cpu_seconds(self) -> float:
        times = psutil.Process(self.pid).cpu_times()
        return times.user + times.system

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float(psutil.Process(self.pid).memory_info().rss) / 2**20


async def settle(fake: FakeDiscord, records: list[InteractionRecord], timeout: float = 60.0) -> None:
    """Wait until every interaction was answered (polling: the fake's timestamps give the latency)."""
    deadline = time.monotonic() + timeout
    while not all(r.acknowledged for r in records):
        if time.monotonic() > deadline:
            missing = sum(not r.acknowledged for r in records)
            raise TimeoutError(f"{missing} of {len(records)} interactions were never answered")
        await asyncio.sleep(0.01)


def figures(name: str, records: list[InteractionRecord], wall: float, cpu: float) -> Figures:
    latencies = sorted((r.answered_at or 0.0) - r.created_at for r in records)
    refused = [r for r in records if r.refused]
    if refused:
        raise AssertionError(f"{name}: the fake refused {len(refused)} answers, e.g. {refused[0].refused}")
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return Figures(
        name,
        len(records),
        len(records) / wall,
        q[49] * 1000,
        q[94] * 1000,
        q[98] * 1000,
        latencies[-1] * 1000,
        cpu / len(records) * 1000,
    )


async def full_speed(fake: FakeDiscord, bot: Target, users: list[DiscordUser], count: int, window: int) -> Figures:
    """As fast as the bot answers, with `window` interactions in flight."""
    mix, rng, records = itertools.cycle(lookup_mix()), random.Random(1), []
    pending: list[InteractionRecord] = []
    cpu0, t0 = bot.cpu_seconds(), time.perf_counter()
    while len(records) < count or pending:
        pending = [r for r in pending if not r.acknowledged]
        while len(records) < count and len(pending) < window:
            record = await next(mix)(users[len(records) % len(users)], rng)
            records.append(record)
            pending.append(record)
        if pending:
            await fake.wait_until(lambda p=pending: any(r.acknowledged for r in p), timeout=30, what="an answer")
    return figures("lookups, full speed", records, time.perf_counter() - t0, bot.cpu_seconds() - cpu0)


async def fixed_rate(fake: FakeDiscord, bot: Target, users: list[DiscordUser], rate: int, seconds: float) -> Figures:
    """`rate` interactions a second, on a schedule, whatever the answers do."""
    mix, rng, records = itertools.cycle(lookup_mix()), random.Random(2), []
    cpu0, t0 = bot.cpu_seconds(), time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        records.append(await next(mix)(users[i % len(users)], rng))
    await settle(fake, records)
    return figures(f"lookups, {rate}/s", records, time.perf_counter() - t0, bot.cpu_seconds() - cpu0)


async def button_storm(fake: FakeDiscord, bot: Target, admin: DiscordUser, fans: list[DiscordUser]) -> Figures:
    """One trivia round, every fan clicks one of its buttons within one second."""
    channel = fake.channel("trivia")
    await admin.invoke("/trivia channel", channel=channel)
    await admin.invoke("/trivia start")
    round_message = await fake.wait_for_message(channel, timeout=10)
    labels = [b.label for b in round_message.buttons]
    cpu0, t0 = bot.cpu_seconds(), time.perf_counter()
    records = []
    for i, fan in enumerate(fans):
        delay = t0 + i / len(fans) - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        records.append(await fan.send_click(round_message, labels[i % len(labels)]))
    await settle(fake, records)
    return figures(f"button storm ({len(fans)})", records, time.perf_counter() - t0, bot.cpu_seconds() - cpu0)


def recorded_answers(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT COUNT(*), COUNT(DISTINCT user_id) FROM answers").fetchone()
    return int(row[0]), int(row[1])


async def measure(name: str, python: str, main: str, quick: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        fake = await FakeDiscord(schema=False).start()
        bot = Target(fake, python, main, Path(tmp))
        try:
            await bot.start()
            users = [fake.add_member(f"fan{i}") for i in range(50)]
            admin = fake.add_member("bench-admin", manage_guild=True)
            await full_speed(fake, bot, users, 300, 16)  # warm-up, not reported
            results = [
                await full_speed(fake, bot, users, 1000 if quick else 4000, 32),
                await fixed_rate(fake, bot, users, 200, 3 if quick else 15),
            ]
            storm_fans = [fake.add_member(f"storm{i}") for i in range(1000)]
            results.append(await button_storm(fake, bot, admin, storm_fans))
            peak = bot.peak_rss_mb()
            answers = recorded_answers(bot.database_path) if main.startswith("bot.") else None
        finally:
            await bot.stop()
            await fake.close()
    return {"bot": name, "peak_rss_mb": peak, "answers_recorded": answers, "workloads": [asdict(f) for f in results]}


def report(ours: dict[str, Any], bare: dict[str, Any]) -> str:
    head = f"{'workload':<22}{'n':>6}{'per s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'cpu/1000':>10}"
    lines = []
    for result in (ours, bare):
        lines += [f"{result['bot']}  (peak memory {result['peak_rss_mb']:.1f} MB)", head]
        lines += [Figures(**w).row() for w in result["workloads"]]
        lines.append("")
    lines += ["ratio, Perfect Moments / bare (lower is better; throughput: higher is better)", head]
    for mine, theirs in zip(ours["workloads"], bare["workloads"], strict=True):
        ratios = [
            mine[k] / theirs[k] if theirs[k] else float("nan")
            for k in ("per_second", "p50_ms", "p95_ms", "p99_ms", "max_ms", "cpu_s_per_1000")
        ]
        lines.append(
            f"{mine['workload']:<22}{'':>6}" + "".join(f"{r:>8.2f}" for r in ratios[:-1]) + f"{ratios[-1]:>10.2f}"
        )
    lines.append(f"{'peak memory':<22}{ours['peak_rss_mb'] / bare['peak_rss_mb']:>14.2f}")
    if ours["answers_recorded"] is not None:
        total, distinct = ours["answers_recorded"]
        lines.append(f"button storm: {total} answers recorded for {distinct} distinct members")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    ours = await measure("Perfect Moments", sys.executable, "bot.__main__:main", args.quick)
    bare = await measure("bare discord.py bot", args.bare_python, "bench.bare_bot:main", args.quick)
    text = report(ours, bare)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "interactions.json").write_text(json.dumps({"ours": ours, "bare": bare}, indent=2))
    (RESULTS / "interactions.txt").write_text(text + "\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--bare-python",
        default=os.environ.get("BARE_PYTHON", sys.executable),
        help="the interpreter of a default discord.py install, for the bare bot",
    )
    parser.add_argument("--quick", action="store_true", help="smaller workloads, for a smoke run")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
