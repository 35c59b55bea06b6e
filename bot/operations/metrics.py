"""The bot's Prometheus metrics, exposed through the official client, one registry per bot. No discord import.

Each bot has its own `CollectorRegistry` (never the library's global one), so several bots in one process
(the tests) count apart. Counting happens on every interaction and every query, so it is a plain addition on
plain numbers (a dict of counts, `Distribution`): no lock (everything counts on the one event-loop thread) and
no object per sample; `CountsCollector` turns them into prometheus-client's metric families only when /metrics
is scraped, as `GatewayCollector` does with the gateway's gauges, read from the bot then (figures: README,
"Benchmarks").
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.trivia.events import TriviaEvents

PREFIX = "perfect_moments_"
KINDS = ("command", "autocomplete", "button")
# ok: answered; refused: an expected refusal (no permission, a rule broken), answered in plain words;
# error: a bug, logged and apologised for; received: autocomplete, answered by discord.py itself.
OUTCOMES = ("ok", "refused", "error", "received")
ROUND_EVENTS = ("opened", "posted", "closed", "failed")
# Seconds. Discord shows "did not respond" after 3 s, hence the bucket at 3.
RESPONSE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
QUERY_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)


@dataclass(frozen=True, slots=True)
class ShardState:
    """One gateway shard as the metrics and the health check see it."""

    shard_id: int
    connected: bool
    latency: float  # seconds between a heartbeat and its acknowledgement; inf or nan before the first
    guilds: int


ShardSource = Callable[[], Iterable[ShardState]]


class Distribution:
    """A histogram's numbers: how many observations fell at or under each bound, their count and sum."""

    __slots__ = ("bounds", "counts", "total")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)  # the last: above every bound (+Inf)
        self.total = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.total += value

    def cumulative(self) -> list[tuple[str, float]]:
        """Prometheus' buckets: (upper bound, observations at or under it), +Inf last."""
        buckets, running = [], 0
        for bound, count in zip((*self.bounds, math.inf), self.counts, strict=True):
            running += count
            buckets.append(("+Inf" if bound == math.inf else repr(bound), float(running)))
        return buckets


class Metrics:
    """Every metric of one bot, in its own registry; `exposition()` is the /metrics page."""

    def __init__(self, shards: ShardSource = tuple) -> None:
        self.interactions: dict[tuple[str, str, str], int] = {}  # (kind, command or action, outcome): count
        self.responses = {kind: Distribution(RESPONSE_BUCKETS) for kind in KINDS}
        self.queries = Distribution(QUERY_BUCKETS)
        self.trivia = TriviaMetrics()
        self.observe_query: Callable[[float], None] = self.queries.observe
        self.registry = CollectorRegistry()
        self.registry.register(CountsCollector(self))
        self.registry.register(GatewayCollector(shards))

    def count_interaction(self, kind: str, command: str, outcome: str) -> None:
        key = (kind, command, outcome)
        self.interactions[key] = self.interactions.get(key, 0) + 1

    def observe_response(self, kind: str, seconds: float) -> None:
        self.responses[kind].observe(seconds)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)


class TriviaMetrics(TriviaEvents):
    """Trivia's events, counted."""

    def __init__(self) -> None:
        self.rounds = dict.fromkeys(ROUND_EVENTS, 0)
        self.answers = 0

    def round_opened(self) -> None:
        self.rounds["opened"] += 1

    def round_posted(self) -> None:
        self.rounds["posted"] += 1

    def round_closed(self) -> None:
        self.rounds["closed"] += 1

    def round_failed(self) -> None:
        self.rounds["failed"] += 1

    def answer_recorded(self) -> None:
        self.answers += 1


class CountsCollector(Collector):
    """The bot's counters and histograms, as metric families, at scrape time."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def describe(self) -> Iterable[Metric]:
        return ()  # families are named when collected; nothing to check for clashes in a registry of its own

    def collect(self) -> Iterable[Metric]:
        metrics = self._metrics
        interactions = CounterMetricFamily(
            PREFIX + "interactions",
            "Interactions handled, by kind (command, autocomplete, button), command or button action, and outcome",
            labels=("kind", "command", "outcome"),
        )
        for labels, count in list(metrics.interactions.items()):
            interactions.add_metric(labels, count)
        responses = HistogramMetricFamily(
            PREFIX + "interaction_response_seconds",
            "Seconds from receiving an interaction to its first response being accepted by Discord",
            labels=("kind",),
        )
        for kind, distribution in metrics.responses.items():
            responses.add_metric([kind], distribution.cumulative(), distribution.total)
        rounds = CounterMetricFamily(
            PREFIX + "trivia_rounds",
            "Trivia rounds by event: opened, posted, closed (and scored), failed (not opened or not posted)",
            labels=("event",),
        )
        for event, count in metrics.trivia.rounds.items():
            rounds.add_metric([event], count)
        answers = CounterMetricFamily(
            PREFIX + "trivia_answers", "Trivia answers recorded (first clicks)", value=metrics.trivia.answers
        )
        queries = HistogramMetricFamily(
            PREFIX + "database_query_seconds",
            "Seconds the bot waited for each database call, queueing on the database thread included",
            buckets=metrics.queries.cumulative(),
            sum_value=metrics.queries.total,
        )
        return interactions, responses, rounds, answers, queries


class GatewayCollector(Collector):
    """Gauges read from the bot at scrape time: latency, servers and connection state per shard."""

    def __init__(self, shards: ShardSource) -> None:
        self._shards = shards

    def describe(self) -> Iterable[Metric]:
        return self._families()

    def collect(self) -> Iterable[Metric]:
        latency, guilds, connected = self._families()
        for shard in self._shards():
            label = [str(shard.shard_id)]
            if math.isfinite(shard.latency):
                latency.add_metric(label, shard.latency)
            guilds.add_metric(label, shard.guilds)
            connected.add_metric(label, 1.0 if shard.connected else 0.0)
        return latency, guilds, connected

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(
                PREFIX + "gateway_latency_seconds",
                "Seconds between a gateway heartbeat and its acknowledgement, per shard",
                labels=["shard"],
            ),
            GaugeMetricFamily(PREFIX + "guilds", "Servers the bot is in, per shard", labels=["shard"]),
            GaugeMetricFamily(
                PREFIX + "gateway_connected", "1 while the shard's gateway connection is open", labels=["shard"]
            ),
        )
