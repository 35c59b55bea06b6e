"""The bot process tunes the garbage collector once it is ready (figures in the README's benchmarks)."""

from __future__ import annotations

import gc

from bot.client import settle_memory


def test_settle_memory_freezes_what_exists_and_collects_young_objects_less_often() -> None:
    threshold = gc.get_threshold()
    try:
        settle_memory()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 10_000
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
