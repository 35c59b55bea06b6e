"""Which shard owns a server, and which shards this process runs. No discord import.

Discord sends every event of a server (its interactions too) on shard `(guild_id >> 22) % shard_count`, and DMs
on shard 0. A process runs some of the shards (`SHARD_IDS`), and the work of a server (its schedule, its
rounds) belongs to the process that runs the server's shard.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a server's events arrive on (Discord's formula)."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True, slots=True)
class Shards:
    """The shards one process runs: `ids` of `count` in all."""

    count: int
    ids: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.count < 1 or not self.ids or any(not 0 <= i < self.count for i in self.ids):
            raise ValueError(f"shards {self.ids} of {self.count} are not a valid set")

    @property
    def everything(self) -> bool:
        return set(self.ids) >= set(range(self.count))

    def owns(self, guild_id: int) -> bool:
        return self.everything or shard_of(guild_id, self.count) in self.ids

    def sql(self, column: str) -> tuple[str, tuple[int, ...]]:
        """A condition (with its parameters) a query adds to keep only this process's servers: `` AND
        (guild_id >> 22) % ? IN (?, ?)``, or nothing when the process runs every shard."""
        if self.everything:
            return "", ()
        marks = ", ".join("?" * len(self.ids))
        return f" AND ({column} >> 22) % ? IN ({marks})", (self.count, *self.ids)
