"""Interaction benchmark: Perfect Moments against a bare discord.py bot, through the fake Discord, in one run.

Each bot runs as its own process (fake_discord/launch_bot.py) with its own fake Discord and a fresh
database; this process runs both fakes and plays the users, the two bots taking turns block by block. Workloads:
lookups at full speed and at fixed rates, then a trivia button storm. Latency is the fake's time from sending
INTERACTION_CREATE to the bot's answer arriving. CPU is the bot process's user+system seconds; memory its peak
resident set (VmHWM). The report ends with the issue's targets, met or missed. With --metrics-port, a third
process, Perfect Moments with /metrics on, takes its turns too, and its CPU is compared with metrics off. With
--translator-off, Perfect Moments with no app_commands translator (bench/untranslated.py) does, and the bot's CPU
with its translator is compared with that.

    python -m bench.interactions [--bare-python PATH] [--quick] [--metrics-port PORT] [--translator-off]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psutil

from fake_discord import DiscordUser, FakeDiscord
from fake_discord.bots import BotProcess
from fake_discord.interactions import InteractionRecord

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

NAMES = ["Suzy Bae", "bae suzy", "Gong Yoo", "gong-yoo", "Son Ye-jin", "Lee Min-ho", "IU", "Gong Yo", "Kim Go-eun"]
DRAMAS = ["Goblin", "Guardian", "Healer", "Squid Game", "Boys Over Flowers", "scarlet heart", "Crash Landing on You"]
SCENES = ["Snow Kiss", "Traffic Kiss", "Goblin", "Final Goodbye", "Fantastic Baby", "Red Light, Green Light"]
PREFIXES = ["su", "go", "lee", "k", "", "park"]

T = TypeVar("T")
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
    p99_of_blocks_ms: float = 0.0  # each block's p99, the median over the blocks (see Tally)

    def row(self) -> str:
        return (
            f"{self.workload:<22}{self.count:>6}{self.per_second:>9.0f}{self.p50_ms:>8.1f}{self.p95_ms:>8.1f}"
            f"{self.p99_ms:>8.1f}{self.max_ms:>8.1f}{self.cpu_s_per_1000:>10.3f}"
        )


class Target(BotProcess):
    """A bot process started with a chosen interpreter (the bare bot runs from a default discord.py install)."""

    def __init__(
        self,
        fake: FakeDiscord,
        python: str,
        main: str,
        workdir: Path,
        env: dict[str, str] | None = None,
        database_path: Path | None = None,  # default: its own, in workdir
    ) -> None:
        super().__init__(
            fake,
            database_path=database_path or workdir / "bench.db",
            log_path=workdir / "bot.log",
            main=main,
            env={"LOG_LEVEL": "WARNING", **(env or {})},
            python=python,
        )

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


@dataclass
class Tally:
    """One workload's interactions against one bot, gathered over several blocks."""

    name: str
    records: list[InteractionRecord] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0
    # Each block's own p99. On two shared cores the load generator and the machine stall now and then for
    # a few milliseconds; the p99 of all blocks pooled is then decided by whichever bot's block such a stall
    # hit, and swings from 0.6x to 2.8x between runs of the same code. The median of the blocks' p99s
    # (the blocks alternate between the bots) does not.
    block_p99s: list[float] = field(default_factory=list)

    def add_block(self, records: list[InteractionRecord]) -> None:
        self.records += records
        if len(records) >= 100:
            latencies = [(r.answered_at or 0.0) - r.created_at for r in records]
            self.block_p99s.append(statistics.quantiles(latencies, n=100, method="inclusive")[98])

    def figures(self) -> Figures:
        latencies = sorted((r.answered_at or 0.0) - r.created_at for r in self.records)
        refused = [r for r in self.records if r.refused]
        if refused:
            raise AssertionError(f"{self.name}: the fake refused {len(refused)} answers, e.g. {refused[0].refused}")
        q = statistics.quantiles(latencies, n=100, method="inclusive")
        count = len(self.records)
        of_blocks = statistics.median(self.block_p99s) if self.block_p99s else q[98]
        return Figures(
            self.name, count, count / self.wall, q[49] * 1000, q[94] * 1000, q[98] * 1000, latencies[-1] * 1000,
            self.cpu / count * 1000, of_blocks * 1000,
        )  # fmt: skip


@dataclass
class Arena:
    """One bot process with its own fake Discord and its own users."""

    fake: FakeDiscord
    bot: Target
    users: list[DiscordUser]
    rng: random.Random = field(default_factory=lambda: random.Random(1))

    async def block(self, tally: Tally, work: Callable[[], Awaitable[list[InteractionRecord]]]) -> None:
        cpu0, t0 = self.bot.cpu_seconds(), time.perf_counter()
        tally.add_block(await work())
        tally.wall += time.perf_counter() - t0
        tally.cpu += self.bot.cpu_seconds() - cpu0

    async def full_speed(self, count: int, window: int) -> list[InteractionRecord]:
        """As fast as the bot answers, with `window` interactions in flight."""
        mix, records, pending = itertools.cycle(lookup_mix()), [], []
        while len(records) < count or pending:
            pending = [r for r in pending if not r.acknowledged]
            while len(records) < count and len(pending) < window:
                record = await next(mix)(self.users[len(records) % len(self.users)], self.rng)
                records.append(record)
                pending.append(record)
            if pending:
                await self.fake.wait_until(lambda p=pending: any(r.acknowledged for r in p), timeout=30, what="answer")
        return records

    async def fixed_rate(self, rate: int, seconds: float) -> list[InteractionRecord]:
        """`rate` interactions a second, on a schedule, whatever the answers do."""
        mix, records = itertools.cycle(lookup_mix()), []
        t0 = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            records.append(await next(mix)(self.users[i % len(self.users)], self.rng))
        await settle(self.fake, records)
        return records

    async def button_storm(self, fans: int) -> tuple[Tally, tuple[int, int] | None]:
        """One trivia round; `fans` members each click one of its buttons, spread over one second."""
        admin = self.fake.add_member("bench-admin", manage_guild=True)
        members = [self.fake.add_member(f"storm{i}") for i in range(fans)]
        channel = self.fake.channel("trivia")
        await admin.invoke("/trivia channel", channel=channel)
        await admin.invoke("/trivia start")
        round_message = await self.fake.wait_for_message(channel, timeout=10)
        labels = [b.label for b in round_message.buttons]

        async def storm() -> list[InteractionRecord]:
            records, t0 = [], time.perf_counter()
            for i, member in enumerate(members):
                delay = t0 + i / fans - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                records.append(await member.send_click(round_message, labels[i % len(labels)]))
            await settle(self.fake, records)
            return records

        tally = Tally(f"button storm ({fans})")
        await self.block(tally, storm)
        return tally, await recorded_answers(self.bot) if self.bot.main.startswith("bot.") else None


async def recorded_answers(process: BotProcess) -> tuple[int, int]:
    """Answers in the bot's database, and how many members gave them (its DATABASE_URL, or its SQLite file)."""
    from bot import database

    db = await database.open_database(process.extra_env.get("DATABASE_URL") or process.database_path)
    try:
        row = await db.fetch_one("SELECT COUNT(*), COUNT(DISTINCT user_id) FROM answers")
    finally:
        await db.close()
    assert row is not None
    return int(row[0]), int(row[1])


@contextlib.asynccontextmanager
async def arena(
    name: str, python: str, main: str, workdir: Path, env: dict[str, str] | None = None
) -> AsyncIterator[Arena]:
    fake = await FakeDiscord(schema=False).start()
    path = workdir / name
    path.mkdir()
    bot = Target(fake, python, main, path, env)
    try:
        await bot.start()
        yield Arena(fake, bot, [fake.add_member(f"fan{i}") for i in range(50)])
    finally:
        await bot.stop()
        await fake.close()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The driver's own garbage collections would stall the fakes and send interactions in bursts, which would
    show up as the bots' latency: keep the collector out of the measured stretch."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def taking_turns(contenders: tuple[T, ...], block: int) -> tuple[T, ...]:
    """Who goes first moves on block by block (of two, they swap), so the machine's drift hits each alike."""
    turn = block % len(contenders)
    return contenders[turn:] + contenders[:turn]


@dataclass(frozen=True)
class Workloads:
    blocks: int = 10  # each bot's share of a workload is split into this many blocks, the bots taking turns
    full_speed: int = 4000  # interactions at full speed
    in_flight: int = 32  # at full speed, interactions waiting for an answer at any time
    rates: tuple[tuple[int, float], ...] = ((200, 15.0), (1000, 6.0))  # fixed rates: per second, for seconds
    storm: int = 1000  # members clicking one round's buttons within one second


QUICK = Workloads(blocks=4, full_speed=1000, rates=((200, 3.0), (1000, 2.0)))


@dataclass(frozen=True)
class Contender:
    label: str  # as the report names it
    python: str  # its interpreter
    main: str  # its entry point, module:function
    env: dict[str, str] | None = None


def ours(env: dict[str, str] | None = None, label: str = "Perfect Moments") -> Contender:
    return Contender(label, sys.executable, "bot.__main__:main", env)


def untranslated() -> Contender:
    return Contender("Perfect Moments, no translator", sys.executable, "bench.untranslated:main")


def bare_bot(python: str) -> Contender:
    return Contender("bare discord.py bot", python, "bench.bare_bot:main")


async def measure(
    bare_python: str, sizes: Workloads = Workloads(), ours_env: dict[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Perfect Moments and the bare bot side by side (see measure_all)."""
    mine, theirs = await measure_all((ours(ours_env), bare_bot(bare_python)), sizes)
    return mine, theirs


async def measure_all(contenders: tuple[Contender, ...], sizes: Workloads = Workloads()) -> list[dict[str, Any]]:
    """Each contender in its own process, their workloads in alternating blocks, so the machine's drift hits
    all alike.

    Workloads, in this order in the results: lookups at full speed, lookups at each fixed rate, the storm.
    """
    blocks = sizes.blocks
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        async with contextlib.AsyncExitStack() as stack:
            arenas = tuple(
                [
                    await stack.enter_async_context(arena(f"c{n}", c.python, c.main, Path(tmp), c.env))
                    for n, c in enumerate(contenders)
                ]
            )
            for a in arenas:
                await a.full_speed(300, 16)  # warm-up, not reported
            names = ["lookups, full speed", *(f"lookups, {rate}/s" for rate, _ in sizes.rates)]
            tallies = {id(a): [Tally(name) for name in names] for a in arenas}
            with collector_paused():
                for i in range(blocks):
                    for a in taking_turns(arenas, i):
                        speed, *fixed = tallies[id(a)]
                        await a.block(speed, lambda a=a: a.full_speed(sizes.full_speed // blocks, sizes.in_flight))
                        for tally, (rate, seconds) in zip(fixed, sizes.rates, strict=True):
                            await a.block(tally, lambda a=a, r=rate, s=seconds: a.fixed_rate(r, s / blocks))
                storms = [await a.button_storm(sizes.storm) for a in arenas]
            return [
                {
                    "bot": contender.label,
                    "peak_rss_mb": a.bot.peak_rss_mb(),
                    "answers_recorded": storm[1],
                    "workloads": [asdict(t.figures()) for t in (*tallies[id(a)], storm[0])],
                }
                for contender, a, storm in zip(contenders, arenas, storms, strict=True)
            ]


HEADER = f"{'workload':<22}{'n':>6}{'per s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'cpu/1000':>10}"


def report(ours: dict[str, Any], bare: dict[str, Any]) -> str:
    lines = []
    for result in (ours, bare):
        lines += [f"{result['bot']}  (peak memory {result['peak_rss_mb']:.1f} MB)", HEADER]
        lines += [Figures(**w).row() for w in result["workloads"]]
        lines.append("")
    lines += ["ratio, Perfect Moments / bare (lower is better; throughput: higher is better)", HEADER]
    for mine, theirs in zip(ours["workloads"], bare["workloads"], strict=True):
        ratios = [
            mine[k] / theirs[k] if theirs[k] else float("nan")
            for k in ("per_second", "p50_ms", "p95_ms", "p99_ms", "max_ms", "cpu_s_per_1000")
        ]
        lines.append(
            f"{mine['workload']:<22}{'':>6}" + "".join(f"{r:>8.2f}" for r in ratios[:-1]) + f"{ratios[-1]:>10.2f}"
        )
    lines.append(f"{'peak memory':<22}{ours['peak_rss_mb'] / bare['peak_rss_mb']:>14.2f}")
    lines += ["", "p99 ms of each block, the median over the blocks (ours, bare, ratio)"]
    for mine, theirs in zip(ours["workloads"][1:-1], bare["workloads"][1:-1], strict=True):
        a, b = mine["p99_of_blocks_ms"], theirs["p99_of_blocks_ms"]
        lines.append(f"{mine['workload']:<22}{a:>14.1f}{b:>8.1f}{a / b:>8.2f}")
    if ours["answers_recorded"] is not None:
        total, distinct = ours["answers_recorded"]
        lines.append(f"button storm: {total} answers recorded for {distinct} distinct members")
    return "\n".join([*lines, "", *verdicts(ours, bare)])


def verdicts(ours: dict[str, Any], bare: dict[str, Any]) -> list[str]:
    """The issue's targets, each with the figure that decides it.

    CPU per interaction falls as load rises (more work per wake-up), so it is judged where both bots carry the
    same load: at the fixed rates. At full speed each bot runs at its own pace (the fake, in one process, is
    slower to take in our larger answers than the bare bot's "ok"), so that ratio is shown but not judged.
    """
    speed, *fixed, storm = ours["workloads"]
    bare_speed, *bare_fixed, _ = bare["workloads"]
    clicks = storm["count"]
    checks = [
        (
            f"CPU per 1,000 lookups at {w['workload'].split(', ')[1]} <= 1.0x bare",
            w["cpu_s_per_1000"] / b["cpu_s_per_1000"],
            1.0,
        )
        for w, b in zip(fixed, bare_fixed, strict=True)
    ]
    checks += [
        (
            f"p99 latency at {w['workload'].split(', ')[1]} <= 1.0x bare (median of the blocks' p99)",
            w["p99_of_blocks_ms"] / b["p99_of_blocks_ms"],
            1.0,
        )
        for w, b in zip(fixed, bare_fixed, strict=True)
    ]
    checks += [
        ("peak memory <= 1.2x bare", ours["peak_rss_mb"] / bare["peak_rss_mb"], 1.2),
        ("button storm p99 < 1000 ms", storm["p99_ms"], 1000.0),
    ]
    lines = ["targets"]
    lines += [f"  {'met   ' if value <= limit else 'MISSED'} {name}: {value:.2f}" for name, value, limit in checks]
    if ours["answers_recorded"] is not None:
        recorded = tuple(ours["answers_recorded"]) == (clicks, clicks)
        lines.append(f"  {'met   ' if recorded else 'MISSED'} button storm: every click recorded exactly once")
    speed_ratio = speed["cpu_s_per_1000"] / bare_speed["cpu_s_per_1000"]
    pace = speed["per_second"] / bare_speed["per_second"]
    lines.append(f"  (full speed, not judged: CPU {speed_ratio:.2f}x bare at {pace:.2f}x its pace)")
    return lines


async def main_async(args: argparse.Namespace) -> int:
    sizes = QUICK if args.quick else Workloads()
    extra: dict[str, Contender] = {}
    if args.metrics_port:
        extra["ours_metrics_on"] = ours({"METRICS_PORT": str(args.metrics_port)}, "Perfect Moments, metrics on")
    if args.translator_off:
        extra["ours_no_translator"] = untranslated()
    results = await measure_all((ours(), *extra.values(), bare_bot(args.bare_python)), sizes)
    mine, bare, others = results[0], results[-1], dict(zip(extra, results[1:-1], strict=True))
    texts = [report(mine, bare)]
    if "ours_metrics_on" in others:
        on = others["ours_metrics_on"]
        texts += [report(on, bare), compare_cpu("metrics on vs off", on, mine)]
    if "ours_no_translator" in others:
        texts.append(compare_cpu("with the translator vs without", mine, others["ours_no_translator"]))
    text = "\n\n".join(texts)
    keep_results("interactions", {"ours": mine, **others, "bare": bare}, text)
    print(text)
    return 0


def compare_cpu(what: str, on: dict[str, Any], off: dict[str, Any]) -> str:
    """CPU per 1,000 of one bot against another (metrics on against off, the translator against none), both in
    the same run, taking turns block by block."""
    lines = [f"{what}, CPU per 1,000 in the same run (target: at most 1.05)"]
    for on_w, off_w in zip(on["workloads"], off["workloads"], strict=True):
        lines.append(f"  {on_w['workload']:<22}{on_w['cpu_s_per_1000'] / off_w['cpu_s_per_1000']:>8.3f}")
    return "\n".join(lines)


def benchmark_arguments(doc: str | None, quick: str) -> argparse.ArgumentParser:
    """The options of a benchmark against the bare bot: its interpreter, and --quick (what `quick` does)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--bare-python",
        default=os.environ.get("BARE_PYTHON", sys.executable),
        help="the interpreter of a default discord.py install, for the bare bot",
    )
    parser.add_argument("--quick", action="store_true", help=quick)
    return parser


def keep_results(name: str, figures: dict[str, Any], text: str) -> None:
    """bench/results/<name>.json (the figures) and <name>.txt (the report as printed)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2))
    (RESULTS / f"{name}.txt").write_text(text + "\n")


def main() -> int:
    parser = benchmark_arguments(__doc__, "smaller workloads, for a smoke run")
    parser.add_argument(
        "--metrics-port",
        type=int,
        help="also run Perfect Moments with /metrics served on this port, taking turns with it off, and compare",
    )
    parser.add_argument(
        "--translator-off",
        action="store_true",
        help="also run Perfect Moments with no app_commands translator, taking turns, and compare its CPU",
    )
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
