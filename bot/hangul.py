"""Korean beside the article: names in Hangul, each with the public page that gives it, and the catalogue's
synopses and "why" lines in Korean. No discord import.

`data/hangul.toml` sits beside the catalogue. A name enters only with a `source`, the address (http or https)
of a public page that gives it; one without is never shown nor searched, and `python -m bot check-data` reports
it. The article's facts stay as the article gives them: a Hangul form is shown beside them, never instead.
`data/moments.ko.toml` holds the Korean synopses and "why" lines, written in our own words from the
catalogue's facts.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.catalogue import Catalogue, SeedError

DEFAULT_HANGUL_PATH = Path(__file__).resolve().parent.parent / "data" / "hangul.toml"
DEFAULT_STORIES_PATH = Path(__file__).resolve().parent.parent / "data" / "moments.ko.toml"
MAX_TEXT = 600
KINDS = ("drama", "actor", "character")


@dataclass(frozen=True, slots=True)
class HangulName:
    english: str  # as the catalogue spells it
    hangul: str
    source: str  # the public page that gives it
    aliases: tuple[str, ...] = ()  # other Hangul spellings fans type (수지 for 배수지), from the same page
    drama: str | None = None  # a character's drama


@dataclass(frozen=True)
class HangulNames:
    dramas: Mapping[str, HangulName] = field(default_factory=dict)
    actors: Mapping[str, HangulName] = field(default_factory=dict)
    characters: Mapping[tuple[str, str], HangulName] = field(default_factory=dict)
    unsourced: tuple[str, ...] = ()  # "actor 'Gong Yoo'": entries left out for want of a source

    def drama(self, english: str) -> str | None:
        name = self.dramas.get(english)
        return name.hangul if name else None

    def actor(self, english: str) -> str | None:
        name = self.actors.get(english)
        return name.hangul if name else None

    def character(self, drama: str, english: str) -> str | None:
        name = self.characters.get((drama, english))
        return name.hangul if name else None

    def spellings(self, kind: str, english: str) -> tuple[str, ...]:
        """Every Hangul spelling of a drama or an actor, for search."""
        name = (self.dramas if kind == "drama" else self.actors).get(english)
        return (name.hangul, *name.aliases) if name else ()

    def unknown_to(self, catalogue: Catalogue) -> list[str]:
        """Entries naming a drama, actor or character the catalogue does not hold (a typo in either file)."""
        cast = {(m.drama, c.character) for m in catalogue.moments for c in m.cast}
        cast |= {(m.drama, a) for m in catalogue.moments for c in m.cast for a in c.character_aliases}
        unknown = [f"drama {d!r}" for d in self.dramas if d not in catalogue.dramas()]
        unknown += [f"actor {a!r}" for a in self.actors if a not in catalogue.actors()]
        unknown += [f"character {c!r} of {d!r}" for d, c in self.characters if (d, c) not in cast]
        return unknown


NO_HANGUL = HangulNames()


def load_hangul(path: Path = DEFAULT_HANGUL_PATH) -> HangulNames:
    """Read the Hangul names; a missing file is no names. Raises SeedError naming the entry at fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return NO_HANGUL
    except OSError as exc:
        raise SeedError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{path} is not valid TOML: {exc}") from exc
    return parse_hangul(raw)


@functools.cache
def shipped_hangul() -> HangulNames:
    """The names of `data/hangul.toml`, read once (the bot reads them at start-up, so a bad file stops it there)."""
    return load_hangul()


def parse_hangul(raw: Mapping[str, Any]) -> HangulNames:
    unknown = sorted(set(raw) - set(KINDS))
    if unknown:
        raise SeedError(f"hangul names: unknown table [[{unknown[0]}]] (allowed: {', '.join(KINDS)})")
    found: dict[str, list[HangulName]] = {kind: [] for kind in KINDS}
    unsourced: list[str] = []
    for kind in KINDS:
        entries = raw.get(kind, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise SeedError(f"hangul names: [[{kind}]] must be a list of tables")
        for index, entry in enumerate(entries, start=1):
            name = _parse_entry(kind, index, entry)
            if _is_address(name.source):
                found[kind].append(name)
            else:
                unsourced.append(f"{kind} {name.english!r} ({name.hangul}) has no source address")
    return HangulNames(
        dramas={n.english: n for n in found["drama"]},
        actors={n.english: n for n in found["actor"]},
        characters={(n.drama or "", n.english): n for n in found["character"]},
        unsourced=tuple(unsourced),
    )


def _parse_entry(kind: str, index: int, raw: dict[str, Any]) -> HangulName:
    where = f"hangul names: {kind} #{index}"
    allowed = {"name", "hangul", "source", "aliases"} | ({"drama"} if kind == "character" else set())
    extra = sorted(set(raw) - allowed)
    if extra:
        raise SeedError(f"{where}: unknown field '{extra[0]}' (allowed: {', '.join(sorted(allowed))})")
    texts = {key: raw.get(key) for key in ("name", "hangul", *(("drama",) if kind == "character" else ()))}
    for key, value in texts.items():
        if not isinstance(value, str) or not value.strip():
            raise SeedError(f"{where}: field '{key}' must be non-empty text")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise SeedError(f"{where}: field 'aliases' must be a list of non-empty text")
    source = raw.get("source")
    return HangulName(
        english=str(texts["name"]).strip(),
        hangul=str(texts["hangul"]).strip(),
        source=source.strip() if isinstance(source, str) else "",
        aliases=tuple(a.strip() for a in aliases),
        drama=str(texts["drama"]).strip() if kind == "character" else None,
    )


def _is_address(source: str) -> bool:
    return source.startswith(("https://", "http://")) and len(source) > len("https://") and " " not in source


# --- the synopses and "why" lines in Korean ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    """A moment's synopsis and why-line in Korean."""

    synopsis: str
    why: str
    episode_note: str | None = None  # a few words on the episode, where the catalogue has them


def load_stories(path: Path = DEFAULT_STORIES_PATH) -> dict[int, Story]:
    """The Korean synopses and why-lines by rank; a missing file is none. Raises SeedError naming the entry."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SeedError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{path} is not valid TOML: {exc}") from exc
    entries = raw.get("moment", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SeedError(f"{path}: [[moment]] must be a list of tables")
    stories: dict[int, Story] = {}
    for index, entry in enumerate(entries, start=1):
        rank, story = _parse_story(f"{path.name}: moment #{index}", entry)
        if rank in stories:
            raise SeedError(f"{path.name}: two entries for rank {rank}")
        stories[rank] = story
    return stories


def _parse_story(where: str, raw: dict[str, Any]) -> tuple[int, Story]:
    extra = sorted(set(raw) - {"rank", "synopsis", "why", "episode_note"})
    if extra:
        raise SeedError(f"{where}: unknown field '{extra[0]}' (allowed: rank, synopsis, why, episode_note)")
    rank = raw.get("rank")
    if isinstance(rank, bool) or not isinstance(rank, int):
        raise SeedError(f"{where}: field 'rank' must be a whole number")
    texts: dict[str, str] = {}
    for key in ("synopsis", "why", "episode_note"):
        value = raw.get(key)
        if key == "episode_note" and value is None:
            continue
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            raise SeedError(f"{where}: field '{key}' must be text of 1 to {MAX_TEXT} characters")
        texts[key] = " ".join(value.split())
    return rank, Story(texts["synopsis"], texts["why"], texts.get("episode_note"))


@functools.cache
def shipped_stories() -> dict[int, Story]:
    """The stories of `data/moments.ko.toml`, read once."""
    return load_stories()
