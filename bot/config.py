"""Configuration from the environment (a `.env` file is read first; real environment variables win)."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dotenv import load_dotenv

from bot.database import is_postgresql_url
from bot.shards import Shards

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "data" / "moments.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
DEFAULT_METRICS_HOST = "127.0.0.1"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOST_NAME_SHAPE = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")  # localhost, metrics.example.org
# Three dot-separated base64url parts; checked only for shape, so a typo is caught before connecting.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")

HOW_TO_GET_A_TOKEN = (
    "create an application at https://discord.com/developers/applications, copy its bot token into .env "
    "as DISCORD_TOKEN=... (see .env.example), or try the bot offline with: .venv/bin/python -m bot console"
)


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is one line naming it."""


@dataclass(frozen=True)
class Settings:
    database_path: Path = DEFAULT_DATABASE_PATH
    database_url: str | None = field(default=None, repr=False)  # postgresql://...; None: SQLite at database_path
    token: str | None = field(default=None, repr=False)
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    metrics_port: int | None = None  # None: no health or metrics server
    metrics_host: str = DEFAULT_METRICS_HOST
    log_format: str = "text"
    shard_count: int | None = None  # None: Discord's recommendation (GET /gateway/bot)
    shard_ids: tuple[int, ...] | None = None  # None: every shard

    @property
    def database(self) -> str | Path:
        """What to open: the PostgreSQL URL when DATABASE_URL is set, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def database_passwords(self) -> tuple[str, ...]:
        """DATABASE_URL's passwords (its own, and `?password=` in its query string, which PostgreSQL's drivers
        read too), as written and percent-decoded: kept out of the logs as the token is."""
        if not self.database_url:
            return ()
        parts = urlsplit(self.database_url)
        in_query = (pair.partition("=") for pair in parts.query.split("&"))
        given = [parts.password or "", *(value for key, _, value in in_query if unquote(key) == "password")]
        return tuple(dict.fromkeys(s for p in given for s in (p, unquote(p.replace("+", " "))) if s))

    @property
    def shards(self) -> Shards | None:
        """The shards this process runs when SHARD_IDS names some; None: every shard (no filter needed)."""
        if self.shard_ids is None or self.shard_count is None:
            return None
        return Shards(self.shard_count, self.shard_ids)

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(f"DISCORD_TOKEN is not set: {HOW_TO_GET_A_TOKEN}")
        if not TOKEN_SHAPE.match(self.token):
            raise ConfigError(
                "DISCORD_TOKEN does not look like a bot token (three dot-separated parts): "
                "copy it again from the Bot page of your application, or try: .venv/bin/python -m bot console"
            )
        return self.token


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv_path: Path | None = None) -> Settings:
    """Read settings. With no mapping given, `.env` is loaded into os.environ first (without overriding)."""
    if environ is None:
        load_dotenv(dotenv_path or PROJECT_ROOT / ".env", override=False)
        environ = os.environ
    shard_count, shard_ids = _shards(environ.get("SHARD_COUNT"), environ.get("SHARD_IDS"))
    return Settings(
        token=(environ.get("DISCORD_TOKEN") or "").strip() or None,
        database_path=_path(environ.get("DATABASE_PATH")),
        database_url=_database_url(environ.get("DATABASE_URL")),
        dev_guild_id=_snowflake(environ.get("DEV_GUILD_ID"), "DEV_GUILD_ID"),
        log_level=_log_level(environ.get("LOG_LEVEL")),
        metrics_port=_port(environ.get("METRICS_PORT"), "METRICS_PORT"),
        metrics_host=_host(environ.get("METRICS_HOST"), "METRICS_HOST"),
        log_format=_log_format(environ.get("LOG_FORMAT")),
        shard_count=shard_count,
        shard_ids=shard_ids,
    )


def _path(value: str | None) -> Path:
    if not value or not value.strip():
        return DEFAULT_DATABASE_PATH
    path = Path(value.strip()).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _database_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    url = value.strip()
    if not is_postgresql_url(url):
        shown = url.split("@")[-1].split("?")[0][:60]  # never the password, nor a query that may carry one
        raise ConfigError(
            f"DATABASE_URL must be a PostgreSQL URL such as postgresql://user@host:5432/name, not {shown!r}"
            " (leave it unset for SQLite at DATABASE_PATH)"
        )
    return url


def _snowflake(value: str | None, name: str) -> int | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not _digits(text) or not 15 <= len(text) <= 21:
        raise ConfigError(f"{name} must be a server id (a number of 15 to 21 digits), not {text[:40]!r}")
    return int(text)


def _digits(text: str) -> bool:
    """0-9 only: str.isdigit also accepts digits int() refuses, such as a superscript ²."""
    return text.isascii() and text.isdigit()


def _log_level(value: str | None) -> str:
    if value is None or not value.strip():
        return "INFO"
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {value.strip()[:40]!r}")
    return level


def _port(value: str | None, name: str) -> int | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not _digits(text) or not 1 <= int(text) <= 65535:
        raise ConfigError(f"{name} must be a port number from 1 to 65535, not {text[:40]!r}")
    return int(text)


def _host(value: str | None, name: str) -> str:
    if value is None or not value.strip():
        return DEFAULT_METRICS_HOST
    text = value.strip()
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(text))
    if not HOST_NAME_SHAPE.match(text):
        raise ConfigError(f"{name} must be a host name or an IP address such as 127.0.0.1, not {text[:40]!r}")
    return text


def _log_format(value: str | None) -> str:
    if value is None or not value.strip():
        return "text"
    chosen = value.strip().lower()
    if chosen not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {value.strip()[:40]!r}")
    return chosen


MAX_SHARDS = 10_000  # far above what any bot runs; a typo such as 20000000 is caught here


def _shards(count_value: str | None, ids_value: str | None) -> tuple[int | None, tuple[int, ...] | None]:
    """SHARD_COUNT (shards in all, the same for every process) and SHARD_IDS (this process's: `0-3`, `0,2`)."""
    count = None
    if count_value is not None and count_value.strip():
        text = count_value.strip()
        if not _digits(text) or not 1 <= int(text) <= MAX_SHARDS:
            raise ConfigError(f"SHARD_COUNT must be a number of shards from 1 to {MAX_SHARDS}, not {text[:40]!r}")
        count = int(text)
    if ids_value is None or not ids_value.strip():
        return count, None
    text = ids_value.strip()
    if count is None:
        raise ConfigError(
            f"SHARD_IDS={text[:40]} needs SHARD_COUNT, the number of shards in all (the same for every process)"
        )
    ids: set[int] = set()
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        if not _digits(low.strip()) or (dash and not _digits(high.strip())):
            raise ConfigError(f"SHARD_IDS must be shard numbers and ranges such as 0-3 or 0,2, not {text[:40]!r}")
        first, last = int(low), int(high) if dash else int(low)
        if first > last:
            raise ConfigError(f"SHARD_IDS has an empty range {part.strip()!r}: write the lower number first")
        if last >= count:
            raise ConfigError(f"SHARD_IDS has shard {last}, but SHARD_COUNT={count} numbers them 0 to {count - 1}")
        ids.update(range(first, last + 1))
    return count, tuple(sorted(ids))


class RedactingFilter(logging.Filter):
    """Removes the token from any log record, whichever library logged it."""

    def __init__(self, secret: str | None, *more: str | None) -> None:
        super().__init__()
        self.secret = secret
        self.secrets = tuple(s for s in (secret, *more) if s)  # the token, and the database's password if any

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[token]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        for secret in self.secrets:
            message = record.getMessage()
            if secret in message:
                record.msg = message.replace(secret, "[token]")
                record.args = None
            self._redact_traceback(record, secret)
        return True

    @staticmethod
    def _redact_traceback(record: logging.LogRecord, secret: str) -> None:
        """A traceback can quote the token too (an exception's message, a local shown by a library)."""
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text and secret in record.exc_text:
            record.exc_text = record.exc_text.replace(secret, "[token]")
            record.exc_info = None  # or a formatter would write the traceback again from the exception
        if record.stack_info and secret in record.stack_info:
            record.stack_info = record.stack_info.replace(secret, "[token]")


_TRACEBACKS = logging.Formatter()
