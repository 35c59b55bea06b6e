"""Log lines for machines: LOG_FORMAT=json writes one JSON object per line to stderr. No discord import.

Each line has `time` (UTC, ISO 8601, milliseconds), `level`, `logger` and `message`; `guild_id`, `shard_id`
and `channel_id` when the call gave them (`log.warning("...", extra={"guild_id": guild_id})`); `exception`
(the formatted traceback) and `stack` when there is one. The token is taken out by `config.RedactingFilter`,
which the caller adds to the handler, as in the text format.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

CONTEXT_FIELDS = ("guild_id", "shard_id", "channel_id")  # attributes a record may carry, from `extra=`


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines inside values are escaped by JSON)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_line(level: str, logger: str, message: str) -> str:
    """One line as JsonFormatter writes it, for what is written without logging (a start-up failure's line)."""
    return JsonFormatter().format(logging.LogRecord(logger, getattr(logging, level), "", 0, message, None, None))


def _iso(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def server_context(guild_id: int | None, shard_count: int | None = None) -> dict[str, int]:
    """`extra=` for a log line about a server: its id and its shard (Discord's formula), or nothing in a DM."""
    if guild_id is None:
        return {}
    return {"guild_id": guild_id, "shard_id": (guild_id >> 22) % (shard_count or 1)}


def json_handler(stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing JSON lines to `stream` (stderr by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    return handler


def use_json_logging(level: str, stream: IO[str] | None = None) -> logging.Handler:
    """Make the root logger write JSON lines (replacing its handlers), at `level`. Returns the handler."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = json_handler(stream)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level))
    return handler
