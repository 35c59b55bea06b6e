"""Logs for machines: LOG_FORMAT=json is one JSON object per line, with context and exceptions; no token."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import RedactingFilter
from bot.operations.logs import JsonFormatter, json_handler, server_context

TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing JSON lines, with the token filter, into a string."""
    stream = io.StringIO()
    handler = json_handler(stream)
    handler.addFilter(RedactingFilter(TOKEN))
    logger = logging.getLogger("test.json-logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_has_time_level_logger_and_message(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    logger.info("connected to %d servers", 2)
    [entry] = lines(stream)
    assert entry["level"] == "INFO" and entry["logger"] == "test.json-logs"
    assert entry["message"] == "connected to 2 servers"
    assert isinstance(entry["time"], str) and entry["time"].endswith("Z") and "T" in entry["time"]
    assert "guild_id" not in entry and "exception" not in entry


def test_server_shard_and_channel_come_from_extra(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    logger.warning("could not post", extra={"guild_id": 123456789012345678, "shard_id": 3, "channel_id": 9})
    [entry] = lines(stream)
    assert (entry["guild_id"], entry["shard_id"], entry["channel_id"]) == (123456789012345678, 3, 9)


def test_a_server_s_shard_follows_discord_s_formula() -> None:
    guild = 81384788765712384
    assert server_context(guild, 4) == {"guild_id": guild, "shard_id": (guild >> 22) % 4}
    assert server_context(guild) == {"guild_id": guild, "shard_id": 0}
    assert server_context(None, 4) == {}


def test_an_exception_is_a_field_and_the_line_stays_one_line(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        logger.exception("handler failed")
    assert len(stream.getvalue().splitlines()) == 1
    [entry] = lines(stream)
    assert entry["message"] == "handler failed" and entry["level"] == "ERROR"
    assert isinstance(entry["exception"], str)
    assert "Traceback" in entry["exception"] and "ValueError: bad\nvalue" in entry["exception"]


def test_the_token_is_redacted_in_message_arguments_and_exceptions(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.info("token %s", TOKEN)
    try:
        raise RuntimeError(f"refused {TOKEN}")
    except RuntimeError:
        logger.exception("login with %s failed", TOKEN)
    assert TOKEN not in stream.getvalue()
    first, second = lines(stream)
    assert first["message"] == "token [token]" and second["message"] == "login with [token] failed"
    assert "refused [token]" in str(second["exception"])


def test_a_non_json_value_in_extra_is_written_as_text() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "at %s", (Path("/tmp"),), None)
    record.guild_id = Path("/srv")
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "at /tmp" and entry["guild_id"] == "/srv"


def test_log_format_json_makes_the_bot_write_json_lines_to_stderr(tmp_path: Path) -> None:
    """The console with -v logs at start-up (migrations, seeding): those lines are JSON on stderr."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(tmp_path / "m.db"),
        "LOG_FORMAT": "json",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "-v", "ask", "/rank 3"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "#3 · Traffic Kiss" in result.stdout
    entries = [json.loads(line) for line in result.stderr.splitlines()]
    assert any(e["message"].startswith("database migrated to schema") for e in entries), entries
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)
