"""The bot's Prometheus metrics, through the official client, one registry per bot. No discord import.

Each bot has its own `CollectorRegistry` (never the library's global one), so several bots in one process
(the tests) count apart. Counting is cheap: label children are looked up once and kept, and the gauges of
the gateway are read from the bot only when /metrics is scraped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
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


class Metrics:
    """Every metric of one bot, in its own registry; `exposition()` is the /metrics page."""

    def __init__(self, shards: ShardSource = tuple) -> None:
        self.registry = CollectorRegistry()
        self.interactions = Counter(
            PREFIX + "interactions",
            "Interactions handled, by kind (command, autocomplete, button), command or button action, and outcome",
            ("kind", "command", "outcome"),
            registry=self.registry,
        )
        self.response_seconds = Histogram(
            PREFIX + "interaction_response_seconds",
            "Seconds from receiving an interaction to its first response being accepted by Discord",
            ("kind",),
            buckets=RESPONSE_BUCKETS,
            registry=self.registry,
        )
        self.trivia_rounds = Counter(
            PREFIX + "trivia_rounds",
            "Trivia rounds by event: opened, posted, closed (and scored), failed (not opened or not posted)",
            ("event",),
            registry=self.registry,
        )
        self.trivia_answers = Counter(
            PREFIX + "trivia_answers", "Trivia answers recorded (first clicks)", registry=self.registry
        )
        self.database_seconds = Histogram(
            PREFIX + "database_query_seconds",
            "Seconds the bot waited for each database call, queueing on the database thread included",
            buckets=QUERY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(GatewayCollector(shards))
        self.trivia = TriviaMetrics(self)
        self.observe_query: Callable[[float], None] = self.database_seconds.observe
        self._interactions: dict[tuple[str, str, str], Counter] = {}
        self._responses = {kind: self.response_seconds.labels(kind) for kind in KINDS}

    def count_interaction(self, kind: str, command: str, outcome: str) -> None:
        key = (kind, command, outcome)
        child = self._interactions.get(key)
        if child is None:
            child = self._interactions[key] = self.interactions.labels(kind, command, outcome)
        child.inc()

    def observe_response(self, kind: str, seconds: float) -> None:
        self._responses[kind].observe(seconds)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)


class TriviaMetrics(TriviaEvents):
    """Trivia's events, counted."""

    def __init__(self, metrics: Metrics) -> None:
        self._opened, self._posted, self._closed, self._failed = (
            metrics.trivia_rounds.labels(event) for event in ROUND_EVENTS
        )
        self._answers = metrics.trivia_answers

    def round_opened(self) -> None:
        self._opened.inc()

    def round_posted(self) -> None:
        self._posted.inc()

    def round_closed(self) -> None:
        self._closed.inc()

    def round_failed(self) -> None:
        self._failed.inc()

    def answer_recorded(self) -> None:
        self._answers.inc()


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
