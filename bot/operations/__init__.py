"""Running the bot in production: health and metrics over HTTP, logs for machines.

`metrics` (the Prometheus metrics) and `logs` (JSON log lines) have no discord import; `health` (what
/healthz reports), `server` (the HTTP server) and `instrument` (the hooks that feed the metrics) are the
Discord side, wired in by `bot.client` when METRICS_PORT is set.
"""
