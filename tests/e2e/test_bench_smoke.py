"""The interaction benchmark still runs: both bots answer every workload, and the storm's clicks are all kept.

A smoke run with tiny workloads; it checks what the benchmark reports, never how fast anything was.
"""

from __future__ import annotations

import sys

from bench.interactions import Workloads, measure, report

TINY = Workloads(blocks=2, full_speed=60, in_flight=8, rates=((50, 1.0), (100, 0.4)), storm=40)


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
