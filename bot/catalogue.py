"""The catalogue of moments: plain data, loaded from the seed file and validated.

No discord import here: the bot, the offline console, trivia and the tests all share these types.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SEED_PATH = Path(__file__).resolve().parent.parent / "data" / "moments.toml"
MAX_TEXT = 600
MAX_NAME = 100


class SeedError(ValueError):
    """The seed file is unreadable or breaks a rule; the message names the entry and field."""


@dataclass(frozen=True, slots=True)
class CastMember:
    actor: str
    character: str
    character_aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Song:
    title: str
    artist: str | None = None

    def display(self) -> str:
        return f'"{self.title}" by {self.artist}' if self.artist else f'"{self.title}"'


@dataclass(frozen=True, slots=True)
class Moment:
    rank: int
    scene: str
    drama: str
    year: int
    synopsis: str
    why: str
    episode: int | None = None
    episode_note: str | None = None
    drama_aliases: tuple[str, ...] = ()
    cast: tuple[CastMember, ...] = ()
    songs: tuple[Song, ...] = ()

    def episode_text(self) -> str | None:
        if self.episode is None:
            return None
        return f"Episode {self.episode} ({self.episode_note})" if self.episode_note else f"Episode {self.episode}"


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    publisher: str
    url: str

    def credit(self) -> str:
        return f'"{self.title}", {self.publisher} ({self.url})'


@dataclass(frozen=True, slots=True)
class Role:
    """One part an actor plays: the drama, the character and the moment it appears in."""

    actor: str
    character: str
    moment: Moment


@dataclass(frozen=True)
class Catalogue:
    """All moments, ranked best (lowest number) first, with lookups the commands need."""

    source: Source
    moments: tuple[Moment, ...]
    _by_rank: dict[int, Moment] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.moments, key=lambda m: m.rank))
        object.__setattr__(self, "moments", ordered)
        object.__setattr__(self, "_by_rank", {m.rank: m for m in ordered})

    def by_rank(self, rank: int) -> Moment | None:
        return self._by_rank.get(rank)

    @property
    def ranks(self) -> list[int]:
        return [m.rank for m in self.moments]

    def neighbours(self, rank: int) -> tuple[int | None, int | None]:
        """The nearest ranks present above (better) and below (worse) the given one."""
        better = [r for r in self.ranks if r < rank]
        worse = [r for r in self.ranks if r > rank]
        return (max(better) if better else None, min(worse) if worse else None)

    def dramas(self) -> list[str]:
        return sorted({m.drama for m in self.moments})

    def moments_of_drama(self, drama: str) -> list[Moment]:
        return [m for m in self.moments if m.drama == drama]

    def actors(self) -> list[str]:
        return sorted({c.actor for m in self.moments for c in m.cast})

    def roles_of(self, actor: str) -> list[Role]:
        """Every part the actor plays, oldest drama first."""
        roles = [Role(c.actor, c.character, m) for m in self.moments for c in m.cast if c.actor == actor]
        return sorted(roles, key=lambda r: (r.moment.year, r.moment.rank))


# --- loading and validation -------------------------------------------------------------------


def load_catalogue(path: Path = DEFAULT_SEED_PATH) -> Catalogue:
    """Read and validate the seed file. Raises SeedError naming the entry and field at fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"cannot read seed file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"seed file {path} is not valid TOML: {exc}") from exc
    return parse_catalogue(raw)


def parse_catalogue(raw: Mapping[str, Any]) -> Catalogue:
    source = _parse_source(raw.get("source"))
    entries = raw.get("moment")
    if not isinstance(entries, list) or not entries:
        raise SeedError("the seed file has no [[moment]] entries")
    moments = [_parse_moment(i, entry) for i, entry in enumerate(entries, start=1)]
    _check_unique((m.rank for m in moments), "rank")
    _check_unique((m.scene.casefold() for m in moments), "scene")
    _check_drama_years(moments)
    return Catalogue(source=source, moments=tuple(moments))


def _parse_source(raw: object) -> Source:
    if not isinstance(raw, dict):
        raise SeedError("the seed file needs a [source] table with title, publisher and url")
    where = "[source]"
    return Source(
        title=_text(raw, "title", where, MAX_NAME),
        publisher=_text(raw, "publisher", where, MAX_NAME),
        url=_text(raw, "url", where, 300),
    )


def _parse_moment(index: int, raw: object) -> Moment:
    if not isinstance(raw, dict):
        raise SeedError(f"moment #{index} in the file is not a table")
    where = f"moment #{index} in the file"
    rank = _int(raw, "rank", where, low=1, high=1000)
    where = f"moment with rank {rank}"
    _reject_unknown(raw, where, _MOMENT_KEYS)
    cast = raw.get("cast", [])
    songs = raw.get("songs", [])
    if not isinstance(cast, list) or not all(isinstance(c, dict) for c in cast):
        raise SeedError(f"{where}: field 'cast' must be a list of [[moment.cast]] tables")
    if not isinstance(songs, list) or not all(isinstance(s, dict) for s in songs):
        raise SeedError(f"{where}: field 'songs' must be a list of [[moment.songs]] tables")
    return Moment(
        rank=rank,
        scene=_text(raw, "scene", where, MAX_NAME),
        drama=_text(raw, "drama", where, MAX_NAME),
        drama_aliases=_text_list(raw, "drama_aliases", where),
        year=_int(raw, "year", where, low=1950, high=2100),
        episode=_int(raw, "episode", where, low=1, high=500) if "episode" in raw else None,
        episode_note=_text(raw, "episode_note", where, MAX_NAME) if "episode_note" in raw else None,
        synopsis=_text(raw, "synopsis", where, MAX_TEXT),
        why=_text(raw, "why", where, MAX_TEXT),
        cast=tuple(_parse_cast(c, f"{where}, cast #{i}") for i, c in enumerate(cast, start=1)),
        songs=tuple(_parse_song(s, f"{where}, song #{i}") for i, s in enumerate(songs, start=1)),
    )


_MOMENT_KEYS = {
    "rank", "scene", "drama", "drama_aliases", "year", "episode", "episode_note",
    "synopsis", "why", "cast", "songs",
}  # fmt: skip


def _parse_cast(raw: dict[str, Any], where: str) -> CastMember:
    _reject_unknown(raw, where, {"actor", "character", "character_aliases"})
    return CastMember(
        actor=_text(raw, "actor", where, MAX_NAME),
        character=_text(raw, "character", where, MAX_NAME),
        character_aliases=_text_list(raw, "character_aliases", where),
    )


def _parse_song(raw: dict[str, Any], where: str) -> Song:
    _reject_unknown(raw, where, {"title", "artist"})
    artist = _text(raw, "artist", where, MAX_NAME) if "artist" in raw else None
    return Song(title=_text(raw, "title", where, MAX_NAME), artist=artist)


def _reject_unknown(raw: Mapping[str, Any], where: str, allowed: set[str]) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise SeedError(f"{where}: unknown field '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})")


def _text(raw: Mapping[str, Any], key: str, where: str, limit: int) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SeedError(f"{where}: field '{key}' must be non-empty text")
    value = " ".join(value.split())
    if len(value) > limit:
        raise SeedError(f"{where}: field '{key}' is {len(value)} characters, more than {limit}")
    return value


def _text_list(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SeedError(f"{where}: field '{key}' must be a list of non-empty text")
    return tuple(" ".join(v.split()) for v in value)


def _int(raw: Mapping[str, Any], key: str, where: str, *, low: int, high: int) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SeedError(f"{where}: field '{key}' must be a whole number")
    if not low <= value <= high:
        raise SeedError(f"{where}: field '{key}' is {value}, outside {low}-{high}")
    return value


def _check_unique(values: Iterable[object], key: str) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise SeedError(f"two moments share the {key} {value!r}")
        seen.add(value)


def _check_drama_years(moments: list[Moment]) -> None:
    years: dict[str, int] = {}
    for m in moments:
        if years.setdefault(m.drama, m.year) != m.year:
            raise SeedError(f"moment with rank {m.rank}: field 'year' disagrees with another moment of {m.drama}")
