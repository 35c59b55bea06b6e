"""Which shard owns a server (Discord's formula), and the filter a process's scheduler queries carry."""

from __future__ import annotations

import sqlite3

import pytest

from bot.shards import Shards, shard_of

FANS = 1191168914227200006  # a snowflake made at 2024-01-01


def test_a_server_is_on_the_shard_of_its_ids_timestamp() -> None:
    assert shard_of(FANS, 1) == 0
    assert [shard_of((1000 + n) << 22 | 4095, 4) for n in range(5)] == [0, 1, 2, 3, 0]  # the low 22 bits don't count
    assert shard_of(0, 16) == 0  # DMs (no server) are shard 0's


def test_a_process_owns_the_servers_of_its_shards() -> None:
    mine = Shards(4, (1, 3))
    owned = [n for n in range(8) if mine.owns(n << 22)]
    assert owned == [1, 3, 5, 7] and not mine.everything
    assert Shards(2, (0, 1)).everything and Shards(2, (0, 1)).owns(FANS)


def test_the_filter_is_sql_that_picks_the_same_servers() -> None:
    mine = Shards(4, (1, 3))
    condition, params = mine.sql("guild_id")
    assert condition == " AND (guild_id >> 22) % ? IN (?, ?)" and params == (4, 1, 3)
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE g (guild_id INTEGER)")
        ids = [FANS + (n << 22) for n in range(12)]
        db.executemany("INSERT INTO g VALUES (?)", [(i,) for i in ids])
        found = [r[0] for r in db.execute("SELECT guild_id FROM g WHERE 1" + condition + " ORDER BY 1", params)]
    assert found == [i for i in ids if mine.owns(i)] and len(found) == 6
    assert Shards(3, (0, 1, 2)).sql("guild_id") == ("", ())  # every shard: no filter at all


@pytest.mark.parametrize(("count", "ids"), [(0, (0,)), (2, ()), (2, (2,)), (2, (-1,))])
def test_an_impossible_set_of_shards_is_refused(count: int, ids: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="not a valid set"):
        Shards(count, ids)
