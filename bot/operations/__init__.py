"""Running the bot in production: health and metrics over HTTP, logs for machines, backups.

`metrics` (the Prometheus metrics), `logs` (JSON log lines) and `backup` (SQLite's online backup) have no
discord import; `health` (what /healthz reports), `server` (the HTTP server) and `instrument` (the hooks that
feed the metrics) are the Discord side, wired in by `bot.client` when METRICS_PORT is set. `cli` adds the
operator's commands to `python -m bot`.
"""
