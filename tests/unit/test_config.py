"""Configuration: one clear line for each missing or malformed setting; the token never logged."""

import logging
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_DATABASE_PATH, ConfigError, RedactingFilter, load_settings

TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"
ROOT = Path(__file__).resolve().parents[2]


def test_defaults() -> None:
    settings = load_settings({})
    assert settings.database_path == DEFAULT_DATABASE_PATH and settings.log_level == "INFO"
    assert settings.dev_guild_id is None and settings.token is None


def test_values_are_read() -> None:
    settings = load_settings(
        {
            "DISCORD_TOKEN": TOKEN,
            "DEV_GUILD_ID": "123456789012345678",
            "LOG_LEVEL": "debug",
            "DATABASE_PATH": "/tmp/x.db",
        }
    )
    assert settings.require_token() == TOKEN
    assert settings.dev_guild_id == 123456789012345678 and settings.log_level == "DEBUG"
    assert str(settings.database_path) == "/tmp/x.db"
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("env", "named"),
    [({"DEV_GUILD_ID": "abc"}, "DEV_GUILD_ID"), ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL")],
)
def test_malformed_values_are_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(env)


def test_operations_settings_default_to_off_text_and_loopback() -> None:
    settings = load_settings({})
    assert settings.metrics_port is None and settings.metrics_host == "127.0.0.1"
    assert settings.log_format == "text"


def test_operations_settings_are_read() -> None:
    settings = load_settings({"METRICS_PORT": " 9464 ", "METRICS_HOST": "0.0.0.0", "LOG_FORMAT": "JSON"})
    assert (settings.metrics_port, settings.metrics_host, settings.log_format) == (9464, "0.0.0.0", "json")
    assert load_settings({"METRICS_PORT": "9464", "METRICS_HOST": "::1"}).metrics_host == "::1"
    assert load_settings({"METRICS_PORT": ""}).metrics_port is None


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"METRICS_PORT": "http"}, "METRICS_PORT"),
        ({"METRICS_PORT": "0"}, "METRICS_PORT"),
        ({"METRICS_PORT": "70000"}, "METRICS_PORT"),
        ({"METRICS_PORT": "-1"}, "METRICS_PORT"),
        ({"METRICS_PORT": "²"}, "METRICS_PORT"),  # a digit to str.isdigit, not to int()
        ({"SHARD_COUNT": "٣"}, "SHARD_COUNT"),
        ({"METRICS_HOST": "local host"}, "METRICS_HOST"),
        ({"METRICS_HOST": "http://127.0.0.1"}, "METRICS_HOST"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_malformed_operations_settings_are_one_line_naming_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named) as caught:
        load_settings(env)
    assert "\n" not in str(caught.value)


def test_missing_or_malformed_token() -> None:
    with pytest.raises(ConfigError, match=r"DISCORD_TOKEN is not set.*: \.venv/bin/python -m bot console$"):
        load_settings({}).require_token()
    with pytest.raises(ConfigError, match="does not look like a bot token"):
        load_settings({"DISCORD_TOKEN": "hunter2"}).require_token()


def test_the_token_is_redacted_from_log_lines() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token is %s", (TOKEN,), None)
    RedactingFilter(TOKEN).filter(record)
    assert TOKEN not in record.getMessage() and "[token]" in record.getMessage()


def test_the_token_is_redacted_from_tracebacks_too() -> None:
    try:
        raise RuntimeError(f"Discord said no to {TOKEN}")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    RedactingFilter(TOKEN).filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text and "Discord said no to [token]" in text and "Traceback" in text


def run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_without_token_is_one_line_and_non_zero(tmp_path: Path) -> None:
    result = run_bot(tmp_path, DATABASE_PATH=str(tmp_path / "m.db"))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0] and lines[0].endswith(" .venv/bin/python -m bot console")


def test_start_with_unreadable_database_is_one_line_and_non_zero(tmp_path: Path) -> None:
    result = run_bot(tmp_path, DISCORD_TOKEN=TOKEN, DATABASE_PATH="/proc/no/such/dir/m.db")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot open the database" in lines[0] and "Traceback" not in result.stderr
    assert TOKEN not in result.stderr


def test_shards_default_to_discords_count_and_every_shard() -> None:
    settings = load_settings({})
    assert settings.shard_count is None and settings.shard_ids is None


@pytest.mark.parametrize(
    ("env", "count", "ids"),
    [
        ({"SHARD_COUNT": "4"}, 4, None),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0-3"}, 4, (0, 1, 2, 3)),
        ({"SHARD_COUNT": "4", "SHARD_IDS": " 0,2 "}, 4, (0, 2)),
        ({"SHARD_COUNT": "16", "SHARD_IDS": "8-9, 12, 3-3"}, 16, (3, 8, 9, 12)),
    ],
)
def test_shards_are_read(env: dict[str, str], count: int, ids: tuple[int, ...] | None) -> None:
    settings = load_settings(env)
    assert settings.shard_count == count and settings.shard_ids == ids


@pytest.mark.parametrize(
    ("env", "named", "says"),
    [
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT", "'two'"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT", "from 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,x"}, "SHARD_IDS", "'0,x'"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "SHARD_IDS", "SHARD_COUNT=2"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0-9"}, "SHARD_IDS", "shard 9"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3-1"}, "SHARD_IDS", "empty range"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "1,"}, "SHARD_IDS", "ranges such as"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS", "needs SHARD_COUNT"),
    ],
)
def test_malformed_shards_are_one_line_naming_the_variable(env: dict[str, str], named: str, says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(env)
    message = str(raised.value)
    assert message.startswith(named) and says in message and "\n" not in message


def test_start_with_a_bad_shard_setting_is_one_line_and_non_zero(tmp_path: Path) -> None:
    result = run_bot(tmp_path, DISCORD_TOKEN=TOKEN, DATABASE_PATH=str(tmp_path / "m.db"), SHARD_IDS="0-1")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SHARD_IDS" in lines[0] and "SHARD_COUNT" in lines[0]


def test_database_url_selects_postgresql_and_a_wrong_one_is_named_without_its_password() -> None:
    assert load_settings({}).database_url is None and load_settings({}).database == DEFAULT_DATABASE_PATH
    url = "postgresql://pm:s3cret@db.example.org:5432/moments"
    settings = load_settings({"DATABASE_URL": f" {url} ", "DATABASE_PATH": "/tmp/x.db"})
    assert settings.database == url and settings.database_passwords == ("s3cret",)
    assert "s3cret" not in repr(settings)
    with pytest.raises(ConfigError, match="DATABASE_URL must be a PostgreSQL URL") as refused:
        load_settings({"DATABASE_URL": "mysql://pm:s3cret@db/moments"})
    assert "s3cret" not in str(refused.value)


def test_the_database_password_is_redacted_from_log_lines_as_the_token_is() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "connect to %s", ("pm:s3cret@db",), None)
    RedactingFilter(TOKEN, "s3cret").filter(record)
    assert "s3cret" not in record.getMessage()


def test_a_password_in_the_query_string_is_redacted_too() -> None:
    settings = load_settings({"DATABASE_URL": "postgresql://pm@db/moments?sslmode=require&password=s%40cret"})
    assert set(settings.database_passwords) == {"s%40cret", "s@cret"}
    for shown in ("s%40cret", "s@cret"):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "connect with %s", (shown,), None)
        RedactingFilter(TOKEN, *settings.database_passwords).filter(record)
        assert "cret" not in record.getMessage()
    with pytest.raises(ConfigError, match="DATABASE_URL") as refused:
        load_settings({"DATABASE_URL": "mysql://pm@db/moments?password=s3cret"})
    assert "s3cret" not in str(refused.value)


def test_a_password_in_the_query_string_stays_out_of_the_failure_line_too(tmp_path: Path) -> None:
    url = f"postgresql://pm@127.0.0.1:{_closed_port()}/moments?password=s3cret"
    result = run_bot(tmp_path, DISCORD_TOKEN=TOKEN, DATABASE_URL=url)
    assert result.returncode != 0
    assert "cannot connect to the database" in result.stderr and "s3cret" not in result.stderr, result.stderr


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
