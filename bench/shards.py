"""Shard benchmark: the bot split over processes, and the bot starting on a world of many servers.

Split: the same lookups (bench/interactions.py's mix) at a fixed rate, spread over servers of both shards of a
fake Discord that requires two, against two bot processes of one shard each (SHARD_COUNT=2, SHARD_IDS=0 and 1,
one SQLite file) and against one process running both (SHARD_COUNT=2). Each layout has its own fake; they take
turns block by block. CPU is the user+system seconds of the layout's processes, summed; latency the fake's
time from sending INTERACTION_CREATE to the answer arriving.

Start-up: a world of 10,000 servers over 4 shards. Perfect Moments and the bare bot as discord.py's
AutoShardedBot (bench/bare_bot.py `main_sharded`: the same intents, discord.py's defaults otherwise), each
with the shard count Discord recommends, start in turn on a fresh database: the seconds from starting the
process to on_ready (every shard's servers received), the CPU seconds it took, and the peak resident set
(VmHWM) once ready. The report ends with the targets (at most 1.1x the bare bot), met or missed.

    python -m bench.shards [--bare-python PATH] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.interactions import (
    HEADER,
    Arena,
    Figures,
    Tally,
    Target,
    benchmark_arguments,
    collector_paused,
    keep_results,
    taking_turns,
)
from fake_discord import FakeDiscord

BARE_SHARDED = "bench.bare_bot:main_sharded"
OURS = "bot.__main__:main"
SETTLE_SECONDS = 1.0  # after on_ready, before reading peak memory: what the bot does right after counts too


@dataclass(frozen=True)
class Sizes:
    blocks: int = 10  # each layout's share of the split workload comes in this many blocks, the layouts in turns
    rate: int = 200  # lookups a second
    seconds: float = 15.0  # each layout's time at that rate, over all its blocks
    servers: int = 10  # the servers the lookups come from, half on each shard
    world: int = 10_000  # servers in the start-up world
    world_shards: int = 4
    starts: int = 3  # each bot's starts on that world, in turns; the medians are reported


QUICK = Sizes(blocks=2, seconds=2.0, world=1_000, starts=1)


class Fleet:
    """The processes of one layout, measured as one: CPU seconds and peak memory summed (what Arena asks)."""

    def __init__(self, bots: list[Target]) -> None:
        self.bots = bots

    def cpu_seconds(self) -> float:
        return sum(bot.cpu_seconds() for bot in self.bots)

    def peak_rss_mb(self) -> float:
        return sum(bot.peak_rss_mb() for bot in self.bots)


# --- the split: two processes of one shard each against one process of both -------------------------------


@contextlib.asynccontextmanager
async def layout(name: str, shard_ids: list[str | None], workdir: Path, sizes: Sizes) -> AsyncIterator[Arena]:
    """A fake Discord of two shards and one bot process per entry of `shard_ids` (its SHARD_IDS, None: unset),
    all on one database; users in servers of both shards, consecutive users on alternate shards."""
    fake = await FakeDiscord(schema=False, shards=2, require_sharding=True, extra_guilds=sizes.servers - 2).start()
    path = workdir / name
    path.mkdir()
    bots = [
        Target(fake, sys.executable, OURS, path / f"process{i}", shard_env(ids), database_path=path / "shared.db")
        for i, ids in enumerate(shard_ids)
    ]
    try:
        for bot in bots:
            bot.log_path.parent.mkdir()
            await bot.start()
        await fake.wait_for_shards([0, 1])
        guilds = fake.world.guilds[: sizes.servers]
        users = [fake.add_member(f"fan{i}", guild=guilds[i % len(guilds)]) for i in range(50)]
        yield Arena(fake, Fleet(bots), users)  # type: ignore[arg-type]  # Arena.block reads cpu_seconds only
    finally:
        for bot in bots:
            await bot.stop()
        await fake.close()


def shard_env(shard_ids: str | None) -> dict[str, str]:
    return {"SHARD_COUNT": "2", **({"SHARD_IDS": shard_ids} if shard_ids is not None else {})}


async def measure_split(sizes: Sizes) -> list[dict[str, Any]]:
    """Both layouts on the same lookups at `sizes.rate` a second, in alternating blocks."""
    with tempfile.TemporaryDirectory(prefix="bench-shards-") as tmp:
        async with (
            layout("two", ["0", "1"], Path(tmp), sizes) as two,
            layout("one", [None], Path(tmp), sizes) as one,
        ):
            arenas = (two, one)
            tallies = [Tally("2 processes, 1 shard"), Tally("1 process, 2 shards")]
            for a in arenas:
                await a.full_speed(300, 16)  # warm-up, not reported
            seconds = sizes.seconds / sizes.blocks
            with collector_paused():
                for i in range(sizes.blocks):
                    for a, tally in taking_turns(tuple(zip(arenas, tallies, strict=True)), i):
                        await a.block(tally, lambda a=a: a.fixed_rate(sizes.rate, seconds))
            return [
                {"peak_rss_mb": a.bot.peak_rss_mb(), **asdict(tally.figures())}
                for a, tally in zip(arenas, tallies, strict=True)
            ]


# --- start-up on a world of many servers: Perfect Moments against the bare AutoShardedBot --------------------


@dataclass
class StartUp:
    bot: str
    ready_s: float  # from starting the process to on_ready
    cpu_s: float  # the process's CPU seconds by then
    peak_rss_mb: float  # VmHWM, SETTLE_SECONDS after on_ready
    servers_before_ready: int  # GUILD_CREATEs the fake had sent by then (all of them, unless the fake lagged)


async def start_once(fake: FakeDiscord, name: str, python: str, main: str, workdir: Path) -> StartUp:
    """One start on a fresh database, until every shard is connected and on_ready has fired."""
    workdir.mkdir()
    bot = Target(fake, python, main, workdir)
    try:
        started = time.perf_counter()
        await bot.start(timeout=600)
        ready = time.perf_counter() - started
        cpu, sent = bot.cpu_seconds(), servers_sent(fake)
        await fake.wait_for_shards(range(fake.shards))
        await asyncio.sleep(SETTLE_SECONDS)
        return StartUp(name, ready, cpu, bot.peak_rss_mb(), sent)
    finally:
        await bot.stop()


def servers_sent(fake: FakeDiscord) -> int:
    """GUILD_CREATEs sent to the connected sessions: each session's events but its READY (nothing else happens
    in the world while a bot starts). discord.py fires on_ready once no server arrived for a moment (0.1 s
    here), so a fake that fell behind would let a bot be ready with servers still to come."""
    live = [s for s in fake.gateway.sessions.values() if s.socket is not None and not s.socket.closed]
    return sum(s.seq - 1 for s in live)


async def measure_start_up(bare_python: str, sizes: Sizes) -> list[dict[str, Any]]:
    """Each bot started `sizes.starts` times in turns on one world; the median of each figure."""
    fake = await FakeDiscord(
        schema=False, shards=sizes.world_shards, require_sharding=True, extra_guilds=sizes.world - 2
    ).start()
    contenders = (("Perfect Moments", sys.executable, OURS), ("bare AutoShardedBot", bare_python, BARE_SHARDED))
    starts: dict[str, list[StartUp]] = {name: [] for name, _, _ in contenders}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-shards-start-") as tmp:
            for i in range(sizes.starts):
                for name, python, main in taking_turns(contenders, i):
                    workdir = Path(tmp) / f"{'bare' if main == BARE_SHARDED else 'ours'}-{i}"
                    starts[name].append(await start_once(fake, name, python, main, workdir))
    finally:
        await fake.close()
    return [median_start(runs) for runs in starts.values()]


def median_start(runs: list[StartUp]) -> dict[str, Any]:
    return {
        "bot": runs[0].bot,
        "starts": len(runs),
        "ready_s": statistics.median(r.ready_s for r in runs),
        "cpu_s": statistics.median(r.cpu_s for r in runs),
        "peak_rss_mb": statistics.median(r.peak_rss_mb for r in runs),
        "fewest_servers_before_ready": min(r.servers_before_ready for r in runs),
        "each": [asdict(r) for r in runs],
    }


# --- the report -----------------------------------------------------------------------------------------------

START_HEADER = f"{'bot':<22}{'starts':>7}{'ready s':>9}{'CPU s':>8}{'peak MB':>9}"
START_TARGET = 1.1  # ours against the bare AutoShardedBot, on each start-up figure


def report(split: list[dict[str, Any]], start_up: list[dict[str, Any]], sizes: Sizes) -> str:
    return "\n".join([*split_lines(split, sizes), "", *start_up_lines(start_up, sizes), "", *verdicts(start_up)])


def split_lines(split: list[dict[str, Any]], sizes: Sizes) -> list[str]:
    two, one = split
    ratio = {k: two[k] / one[k] for k in ("p50_ms", "p99_ms", "cpu_s_per_1000", "peak_rss_mb")}
    return [
        f"split: lookups at {sizes.rate}/s over {sizes.servers} servers of 2 shards, {sizes.seconds:g} s per layout"
        " (CPU and memory: the layout's processes summed)",
        f"{HEADER}{'peak MB':>9}",
        *(f"{Figures(**without(w, 'peak_rss_mb')).row()}{w['peak_rss_mb']:>9.1f}" for w in split),
        f"{'ratio, two / one':<37}{ratio['p50_ms']:>8.2f}{'':>8}{ratio['p99_ms']:>8.2f}{'':>8}"
        f"{ratio['cpu_s_per_1000']:>10.2f}{ratio['peak_rss_mb']:>9.2f}",
    ]


def start_up_lines(start_up: list[dict[str, Any]], sizes: Sizes) -> list[str]:
    ours, bare = start_up
    ratio = start_up_ratios(ours, bare)
    return [
        f"start-up: {sizes.world:,} servers over {sizes.world_shards} shards, the median of each bot's starts"
        " (a fresh database each)",
        START_HEADER,
        *(
            f"{s['bot']:<22}{s['starts']:>7}{s['ready_s']:>9.2f}{s['cpu_s']:>8.2f}{s['peak_rss_mb']:>9.1f}"
            for s in start_up
        ),
        f"{'ratio, ours / bare':<29}{ratio['ready_s']:>9.2f}{ratio['cpu_s']:>8.2f}{ratio['peak_rss_mb']:>9.2f}",
        *(
            f"  (warning: {s['bot']} was ready after only {s['fewest_servers_before_ready']:,} servers were sent:"
            " the fake fell behind; the figures undercount)"
            for s in start_up
            if s["fewest_servers_before_ready"] < sizes.world
        ),
    ]


def start_up_ratios(ours: dict[str, Any], bare: dict[str, Any]) -> dict[str, float]:
    return {k: ours[k] / bare[k] for k in ("ready_s", "cpu_s", "peak_rss_mb")}


def verdicts(start_up: list[dict[str, Any]]) -> list[str]:
    """The start-up targets, each with the ratio that decides it. The wall-clock time is the target's own
    figure; the CPU seconds by then say the same with less of the machine's noise (other work on it)."""
    ratio = start_up_ratios(*start_up)
    checks = [
        ("start-up to ready", ratio["ready_s"]),
        ("CPU seconds to ready", ratio["cpu_s"]),
        ("peak memory", ratio["peak_rss_mb"]),
    ]
    return [
        "targets",
        *(
            f"  {'met   ' if value <= START_TARGET else 'MISSED'} {name} <= {START_TARGET}x bare AutoShardedBot: "
            f"{value:.2f}"
            for name, value in checks
        ),
    ]


def without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


async def main_async(args: argparse.Namespace) -> int:
    sizes = QUICK if args.quick else Sizes()
    split = await measure_split(sizes)
    start_up = await measure_start_up(args.bare_python, sizes)
    text = report(split, start_up, sizes)
    print(text)
    keep_results("shards-quick" if args.quick else "shards", {"split": split, "start_up": start_up}, text)
    return 0


def main() -> int:
    parser = benchmark_arguments(__doc__, "a short run on a smaller world, for a smoke run")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
