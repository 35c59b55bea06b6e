"""Names in Hangul: dramas, actors and characters, each with the public page that gives it. No discord import.

`data/hangul.toml` sits beside the catalogue. A name enters only with a `source`, the address (http or https)
of a public page that gives it; one without is never shown nor searched, and `python -m bot check-data` reports
it. The article's facts stay as the article gives them: a Hangul form is shown beside them, never instead.
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
