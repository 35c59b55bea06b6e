"""The online backup without the bot: a whole, self-contained copy; refusals in one line; no half files."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import database
from bot.database import Database
from bot.database.sqlite import MIGRATIONS
from bot.operations.backup import BackupError, backup_database


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database held open in WAL mode, as the running bot holds it, with a write not checkpointed."""
    db = await database.open_database(tmp_path / "moments.db")
    await database.set_meta(db, "written", "while open")
    yield db
    await db.close()


async def test_the_copy_holds_what_was_committed_and_is_one_checked_file(live: Database, tmp_path: Path) -> None:
    assert (tmp_path / "moments.db-wal").exists()  # the last write is still in the WAL
    made = backup_database(tmp_path / "moments.db", tmp_path / "copy.db")
    assert made.path == tmp_path / "copy.db" and made.size > 0 and made.schema == len(MIGRATIONS)
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("SELECT value FROM meta WHERE key = 'written'").fetchone() == ("while open",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not (tmp_path / "copy.db-wal").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


async def test_an_existing_file_is_refused_without_force_and_replaced_with_it(live: Database, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_text("an older backup")
    with pytest.raises(BackupError, match=r"copy\.db already exists: pass --force to overwrite it"):
        backup_database(tmp_path / "moments.db", target)
    assert target.read_text() == "an older backup"
    backup_database(tmp_path / "moments.db", target, force=True)
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_refusals_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match=r"there is no database at .*none\.db \(check DATABASE_PATH\)"):
        backup_database(tmp_path / "none.db", tmp_path / "copy.db")
    live = tmp_path / "moments.db"
    sqlite3.connect(live).close()
    with pytest.raises(BackupError, match="is the live database itself"):
        backup_database(live, live, force=True)
    with pytest.raises(BackupError, match="is a folder"):
        backup_database(live, tmp_path)


def test_the_target_folder_is_made_as_on_a_fresh_clone(tmp_path: Path) -> None:
    live = tmp_path / "moments.db"
    sqlite3.connect(live).close()
    made = backup_database(live, tmp_path / "backups" / "daily" / "x.db")
    assert made.path.is_file() and made.path.parent.is_dir()


@pytest.mark.parametrize("target", ["a-file/x.db", "/proc/perfect-moments-backup.db"])  # /proc: no one may write
def test_a_target_that_cannot_be_written_is_blamed_not_the_source(tmp_path: Path, target: str) -> None:
    live = tmp_path / "moments.db"
    sqlite3.connect(live).close()
    (tmp_path / "a-file").write_text("a file, not a folder")
    with pytest.raises(BackupError, match=rf"^cannot write {re.escape(str(tmp_path / target))}: ") as refused:
        backup_database(live, tmp_path / target)
    assert "moments.db" not in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "moments.db"]


def test_a_failed_backup_leaves_no_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match=r"the backup of .* failed"):
        backup_database(broken, tmp_path / "copy.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.db"]
