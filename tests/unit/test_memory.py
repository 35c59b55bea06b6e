"""The bot process tunes the garbage collector once it is ready (figures in the README's benchmarks)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from bot import client
from bot.client import PerfectMomentsBot, settle_memory
from bot.config import Settings


def test_settle_memory_freezes_what_exists_and_collects_young_objects_less_often() -> None:
    threshold = gc.get_threshold()
    try:
        settle_memory()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 10_000
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


async def test_only_a_shards_second_session_collects_the_first_ones_servers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each shard's first session replaces nothing: four shards starting cost no full collection."""
    collections: list[None] = []
    monkeypatch.setattr(client, "release_memory", lambda: collections.append(None))
    bot = PerfectMomentsBot(Settings(database_path=tmp_path / "m.db"), owns_process=True)
    for shard_id in range(4):
        await bot.on_shard_connect(shard_id)
    assert collections == []
    await bot.on_shard_connect(2)  # shard 2's new session, after its old one ended
    assert len(collections) == 1


def test_a_bot_on_sqlite_loads_neither_the_postgresql_driver_nor_the_metrics_library() -> None:
    """Each costs memory (asyncpg about 4 MB) that a bot on one machine, unwatched, never uses."""
    code = (
        "import sys, bot.__main__, bot.client, bot.lookups, bot.trivia, bot.privacy; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'asyncpg', 'prometheus_client'}))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
