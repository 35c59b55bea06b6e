"""The catalogue in the database, and the bot's own key-value state (`meta`), on either backend. No discord import.

The catalogue tables are rebuilt from the seed file whenever it changes (its fingerprint is kept in `meta`);
scores, rounds and settings are never touched by that.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from typing import TYPE_CHECKING

from bot.catalogue import CastMember, Catalogue, Moment, Song, Source
from bot.database.errors import DatabaseError

if TYPE_CHECKING:
    from bot.database import Database, Executor, Row

log = logging.getLogger("bot.database")


def catalogue_fingerprint(catalogue: Catalogue) -> str:
    payload = json.dumps(
        {"source": asdict(catalogue.source), "moments": [asdict(m) for m in catalogue.moments]},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


async def get_meta(db: Executor, key: str) -> str | None:
    value = await db.fetch_value("SELECT value FROM meta WHERE key = ?", key)
    return None if value is None else str(value)


async def set_meta(db: Executor, key: str, value: str) -> None:
    await db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value
    )


async def seed_catalogue(db: Database, catalogue: Catalogue) -> bool:
    """Make the catalogue tables hold exactly this catalogue. Returns False when they already did."""
    fingerprint = catalogue_fingerprint(catalogue)
    if await get_meta(db, "catalogue_fingerprint") == fingerprint:
        return False
    async with db.transaction() as tx:
        await tx.lock_tables("moments")  # processes starting at once seed one after the other
        if await get_meta(tx, "catalogue_fingerprint") == fingerprint:
            return False
        await tx.execute("DELETE FROM moments")
        for m in catalogue.moments:
            await _insert_moment(tx, m)
        await set_meta(tx, "source", json.dumps(asdict(catalogue.source)))
        await set_meta(tx, "catalogue_fingerprint", fingerprint)
    log.info("catalogue seeded: %d moments", len(catalogue.moments))
    return True


async def _insert_moment(tx: Executor, m: Moment) -> None:
    await tx.execute(
        "INSERT INTO moments (rank, scene, drama, year, episode, episode_note, synopsis, why)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        m.rank,
        m.scene,
        m.drama,
        m.year,
        m.episode,
        m.episode_note,
        m.synopsis,
        m.why,
    )
    await tx.execute_many(
        "INSERT INTO drama_aliases (rank, alias) VALUES (?, ?)", [(m.rank, a) for a in m.drama_aliases]
    )
    await tx.execute_many(
        "INSERT INTO cast_members (rank, position, actor, character, character_aliases) VALUES (?, ?, ?, ?, ?)",
        [(m.rank, i, c.actor, c.character, json.dumps(c.character_aliases)) for i, c in enumerate(m.cast)],
    )
    await tx.execute_many(
        "INSERT INTO songs (rank, position, title, artist) VALUES (?, ?, ?, ?)",
        [(m.rank, i, s.title, s.artist) for i, s in enumerate(m.songs)],
    )


async def read_catalogue(db: Executor) -> Catalogue:
    """Build the in-memory catalogue from the database (read once at start-up; it never changes at run time)."""
    source_json = await get_meta(db, "source")
    if source_json is None:
        raise DatabaseError("the database has no catalogue yet: it must be seeded first")
    aliases = _grouped(await db.fetch("SELECT rank, alias FROM drama_aliases ORDER BY rank, alias"))
    cast = _grouped(
        await db.fetch("SELECT rank, actor, character, character_aliases FROM cast_members ORDER BY rank, position")
    )
    songs = _grouped(await db.fetch("SELECT rank, title, artist FROM songs ORDER BY rank, position"))
    moments = []
    for row in await db.fetch("SELECT * FROM moments ORDER BY rank"):
        rank = row["rank"]
        moments.append(
            Moment(
                rank=rank,
                scene=row["scene"],
                drama=row["drama"],
                year=row["year"],
                episode=row["episode"],
                episode_note=row["episode_note"],
                synopsis=row["synopsis"],
                why=row["why"],
                drama_aliases=tuple(r["alias"] for r in aliases.get(rank, [])),
                cast=tuple(
                    CastMember(r["actor"], r["character"], tuple(json.loads(r["character_aliases"])))
                    for r in cast.get(rank, [])
                ),
                songs=tuple(Song(r["title"], r["artist"]) for r in songs.get(rank, [])),
            )
        )
    return Catalogue(source=Source(**json.loads(source_json)), moments=tuple(moments))


def _grouped(rows: list[Row]) -> dict[int, list[Row]]:
    groups: dict[int, list[Row]] = {}
    for row in rows:
        groups.setdefault(row["rank"], []).append(row)
    return groups
