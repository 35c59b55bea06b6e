"""What every part of the trivia store shares: the database, and which servers are this process's."""

from __future__ import annotations

from bot.database import Database
from bot.shards import Shards


class StoreBase:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        self.db = db
        self.shards = shards  # None: every server is this process's
        # PostgreSQL: an answer keeps its round's row from closing until the answer is in, and a close keeps the
        # server's season from moving on until its points are in. SQLite's writes take turns anyway.
        self._share = " FOR SHARE" if db.row_lock else ""

    def _mine(self, column: str = "guild_id") -> tuple[str, tuple[int, ...]]:
        """The condition that keeps a scheduler query to this process's servers (nothing with every shard)."""
        return self.shards.sql(column) if self.shards is not None else ("", ())
