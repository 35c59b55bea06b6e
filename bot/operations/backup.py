"""`python -m bot backup FILE`: a consistent copy of the live SQLite database. No discord import.

The copy is made with SQLite's online backup API (`sqlite3.Connection.backup`) in one step: it reads one
snapshot of the database, so it is consistent even while the bot writes. The database is in WAL mode, so
the bot's writes go on during the copy and are not blocked by it. The copy is written beside FILE under a
temporary name, checked (`PRAGMA integrity_check`), switched out of WAL mode so that it is one self-contained
file, and only then renamed to FILE: a failed backup never leaves half a file, and `--force` replaces an old
backup only with a good one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

BUSY_TIMEOUT = 10.0  # seconds to wait should the database be locked (never for long in WAL mode)


class BackupError(RuntimeError):
    """The backup was refused or failed; the message is one line saying why."""


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    size: int  # bytes
    schema: int  # the migrations the copy has had


def backup_database(source: Path, target: Path, *, force: bool = False) -> Backup:
    """Copy the database at `source` to `target`. Refuses an existing `target` unless `force`."""
    if not source.is_file():
        raise BackupError(f"there is no database at {source} (check DATABASE_PATH)")
    if target.is_dir():
        raise BackupError(f"{target} is a folder: give the backup a file name")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError(f"{target} is the live database itself: give the backup another name")
    if target.exists() and not force:
        raise BackupError(f"{target} already exists: pass --force to overwrite it")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    _make_room(target, partial)
    try:
        schema = _copy(source, partial)
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"the backup of {source} failed: {exc}") from exc
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return Backup(target, target.stat().st_size, schema)


def _make_room(target: Path, partial: Path) -> None:
    """Create the target's folder (`backups/` on a fresh clone) and its temporary file, so a target that can't
    be written is blamed as such: SQLite's "unable to open database file" would seem to be about the source."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.open("wb").close()
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from exc


def _copy(source: Path, destination: Path) -> int:
    """The online backup into `destination`, checked; returns the copy's schema version."""
    with contextlib.closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT)) as live:
        live.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        with contextlib.closing(sqlite3.connect(destination)) as copy:
            live.backup(copy)  # all pages in one step: one snapshot, never restarted by the bot's writes
            copy.execute("PRAGMA journal_mode = DELETE")  # one file: no -wal or -shm beside it
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"the copy of {source} failed its integrity check: {verdict}")
            (schema,) = copy.execute("PRAGMA user_version").fetchone()
            applied = 0  # the migrations it had, past the compatibility version (bot/database/versions.py)
            with contextlib.suppress(sqlite3.OperationalError):  # a database from before schema_applied
                applied = copy.execute("SELECT MAX(version) FROM schema_applied").fetchone()[0] or 0
    return max(int(schema), int(applied))
