"""The benchmarks still run. Interactions: both bots answer every workload, and the storm's clicks are all kept.
Shards: both layouts answer the split workload, and both bots start on a sharded world with every server.
Storm: the clicks are all kept on PostgreSQL too. Burst: every due server's round is posted and revealed once,
in pace. Database: every board, the score, the tick and the close are timed, on each backend.

Smoke runs with tiny workloads and a small world; they check what the benchmarks report, never how fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench import burst, shards, storm
from bench import database as database_bench
from bench.interactions import Workloads, compare_cpu, measure, measure_all, ours, report, untranslated
from bot.trivia.rules import PERIODS
from tests.conftest import TEST_DATABASE_URL

TINY = Workloads(blocks=2, full_speed=60, in_flight=8, rates=((50, 1.0), (100, 0.4)), storm=40)
TINY_SHARDS = shards.Sizes(blocks=2, rate=50, seconds=1.0, world=200, world_shards=4, starts=1)


async def test_the_benchmark_measures_both_bots_on_every_workload() -> None:
    ours, bare = await measure(sys.executable, TINY)
    for result in (ours, bare):
        counts = [w["count"] for w in result["workloads"]]
        assert counts == [60, 50, 40, 40], result["bot"]
        assert result["peak_rss_mb"] > 0
    assert ours["answers_recorded"] == (40, 40)
    text = report(ours, bare)
    assert "ratio, Perfect Moments / bare" in text
    assert "every click recorded exactly once" in text


async def test_the_shard_benchmark_measures_both_layouts_and_both_bots() -> None:
    split = await shards.measure_split(TINY_SHARDS)
    assert [w["count"] for w in split] == [50, 50]
    assert all(w["cpu_s_per_1000"] > 0 and w["peak_rss_mb"] > 0 for w in split)
    start_up = await shards.measure_start_up(sys.executable, TINY_SHARDS)
    assert [s["bot"] for s in start_up] == ["Perfect Moments", "bare AutoShardedBot"]
    assert all(s["fewest_servers_before_ready"] == TINY_SHARDS.world for s in start_up)
    text = shards.report(split, start_up, TINY_SHARDS)
    for figure in ("ratio, two / one", "ratio, ours / bare", "start-up to ready", "peak memory <= 1.1x"):
        assert figure in text


async def test_the_storm_benchmark_keeps_every_click_on_postgresql(postgresql_server: str, tmp_path: Path) -> None:
    result = await storm.storm_on("postgresql", postgresql_server, 40, tmp_path)
    assert result["clicks"] == result["answers_recorded"] == result["distinct_members"] == 40
    assert "every click recorded exactly once" in storm.report([result])


async def test_the_burst_benchmark_posts_and_reveals_every_due_server_once_in_pace() -> None:
    figures = await burst.measure(servers=6, answer_seconds=1)
    assert figures["posts"] == figures["edits"] == figures["servers"] == 6
    assert figures["rate_limited"] == 0 and figures["peak_per_second"] <= 25
    text = burst.report(figures)
    for figure in ("peak posts+edits in any second", "429s answered", "shortest answer window", "all revealed"):
        assert figure in text


async def test_the_database_benchmark_times_every_board_and_operation_on_each_backend(
    database_target: str | Path,
) -> None:
    text = await database_bench.run(database_target, TEST_DATABASE_URL, database_bench.TINY)
    lines = text.splitlines()
    for period in PERIODS.values():
        pages = [line for line in lines if line.startswith(f"{period} board (")]
        assert len(pages) == 2 and "page 1 " in pages[0] and "page 1 " not in pages[1], pages
    for operation in ("score of one member", "/trivia score", "scheduler tick", "close a round with 30 answers"):
        assert any(line.startswith(operation) for line in lines), operation
    if isinstance(database_target, Path):
        assert "migrate --to PostgreSQL" in text


async def test_the_server_questions_benchmark_picks_ticks_and_imports_on_each_backend(
    database_target: str | Path,
) -> None:
    text = await database_bench.run(database_target, TEST_DATABASE_URL, database_bench.TINY, "server-questions")
    for operation in ("pick the next question", "pick, server questions only", "scheduler tick", "import a pack"):
        assert operation in text, text


def test_the_hangul_benchmark_times_every_kind_of_query() -> None:
    from bench import hangul

    results = hangul.run(big=500, per_kind=20)
    assert [r.kind for r in results] == [*hangul.KINDS, *hangul.KINDS]
    assert all(r.queries > 0 and r.median_ms >= 0 for r in results)
    assert "budget for Hangul autocomplete" in hangul.report(results)


async def test_the_bot_without_its_translator_answers_every_workload_and_is_compared() -> None:
    mine, plain = await measure_all((ours(), untranslated()), TINY)
    assert [w["count"] for w in plain["workloads"]] == [w["count"] for w in mine["workloads"]] == [60, 50, 40, 40]
    text = compare_cpu("with the translator vs without", mine, plain)
    assert text.startswith("with the translator vs without, CPU per 1,000") and "button storm" in text
