"""The 1,000-click trivia storm on each backend: Perfect Moments on SQLite, then on PostgreSQL.

One round; 1,000 members each click one of its buttons within one second (bench/interactions.py's storm). Said:
how long each click took to be answered (p50, p99, the slowest), and whether every click was recorded exactly
once (the answers in the database against the members who clicked). PostgreSQL is a fresh schema on
`--database-url` (default TEST_DATABASE_URL or the local server), dropped after.

    python -m bench.storm [--database-url URL] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.database import DEFAULT_URL, fresh_schema
from bench.interactions import arena, collector_paused, keep_results

TARGET_P99_MS = 1000.0


async def storm_on(backend: str, url: str, fans: int, workdir: Path) -> dict[str, Any]:
    """The storm against one bot process on `backend`."""
    if backend == "sqlite":
        return await _storm({}, fans, workdir, backend)
    async with fresh_schema(url) as schema:
        return await _storm({"DATABASE_URL": schema}, fans, workdir, backend)


async def _storm(env: dict[str, str], fans: int, workdir: Path, backend: str) -> dict[str, Any]:
    async with arena(backend, sys.executable, "bot.__main__:main", workdir, env) as bot:
        with collector_paused():
            tally, answers = await bot.button_storm(fans)
    figures = tally.figures()
    recorded, members = answers or (0, 0)
    return {
        "backend": backend,
        "clicks": figures.count,
        "p50_ms": figures.p50_ms,
        "p99_ms": figures.p99_ms,
        "max_ms": figures.max_ms,
        "answers_recorded": recorded,
        "distinct_members": members,
    }


def report(results: list[dict[str, Any]]) -> str:
    lines = [f"{'backend':<12}{'clicks':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'recorded':>10}{'members':>9}"]
    for r in results:
        lines.append(
            f"{r['backend']:<12}{r['clicks']:>8}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['max_ms']:>9.1f}"
            f"{r['answers_recorded']:>10}{r['distinct_members']:>9}"
        )
    for r in results:
        once = r["answers_recorded"] == r["distinct_members"] == r["clicks"]
        fast = r["p99_ms"] < TARGET_P99_MS
        lines.append(f"  {'met   ' if once else 'MISSED'} {r['backend']}: every click recorded exactly once")
        lines.append(f"  {'met   ' if fast else 'MISSED'} {r['backend']}: p99 {r['p99_ms']:.0f} ms < 1000 ms")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    fans = 100 if args.quick else 1000
    with tempfile.TemporaryDirectory(prefix="bench-storm-") as tmp:
        results = [await storm_on(backend, args.database_url, fans, Path(tmp)) for backend in ("sqlite", "postgresql")]
    text = report(results)
    print(text)
    keep_results("storm-quick" if args.quick else "storm", {"results": results}, text)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help="the PostgreSQL server (a schema is made there)")
    parser.add_argument("--quick", action="store_true", help="100 clicks, for a smoke run")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
