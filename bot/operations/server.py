"""The health and metrics server: aiohttp's web server on the bot's own event loop.

GET /healthz  200 when everything is up, else 503; a small JSON body says which part is down.
GET /metrics  the bot's metrics in Prometheus' text format.

Started by the bot's setup_hook when METRICS_PORT is set, stopped by its close(). No access log: a scraper
every few seconds would fill the logs with nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.config import ConfigError
from bot.operations.health import Health
from bot.operations.metrics import Metrics

log = logging.getLogger(__name__)


class OperationsServer:
    def __init__(self, metrics: Metrics, health: Callable[[], Awaitable[Health]], host: str, port: int) -> None:
        self.metrics = metrics
        self.health = health
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen on host:port. A port that cannot be used is a ConfigError: one line naming METRICS_PORT."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            raise ConfigError(
                f"METRICS_PORT={self.port}: cannot serve health and metrics on {self.host}:{self.port}: "
                f"{exc.strerror or exc}"
            ) from exc
        self._runner = runner
        log.info("health at http://%s:%d/healthz, metrics at /metrics", self.host, self.port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _healthz(self, _request: web.Request) -> web.Response:
        health = await self.health()
        return web.json_response(health.body(), status=200 if health.ok else 503)

    async def _metrics(self, _request: web.Request) -> web.Response:
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})
