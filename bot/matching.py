"""Name matching for people typing actor names and drama titles: forgiving, and safe with any text.

Case, spaces, hyphens, punctuation and (for people) word order are ignored: "Suzy Bae", "bae suzy" and
"SUZY-BAE" are one name. Near misses ("Gong Yo") get suggestions. Names in Hangul are found as typed, by their
initial consonants (`ㄱㅇ` for 공유) and by a near miss of one syllable (`송예진` for 손예진): see bot/jamo.py.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import permutations

from bot.jamo import HangulIndex, has_hangul, is_initials
from bot.text import clip

MAX_QUERY = 100  # longer input is cut before matching; nothing we know is that long
RECENT_QUERIES = 256  # answers remembered per index: people type the same names and prefixes
_MARKDOWN = re.compile(r"([\\*_`~|>#\[\]()])")
_LINKS = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _folded(text: str) -> str:
    """NFKC, casefolded, with everything but letters, digits and spaces turned into nothing or spaces."""
    text = unicodedata.normalize("NFKC", text[: MAX_QUERY * 4]).casefold()
    kept = []
    for ch in text:
        if ch.isalnum():
            kept.append(ch)
        elif ch.isspace() or ch in "/,;:&.!?":
            kept.append(" ")
        # hyphens, apostrophes, zero-width and direction marks, emoji: dropped
    return " ".join("".join(kept).split())[:MAX_QUERY]


def compact(text: str) -> str:
    """The matching key of any text: folded, with no separators at all."""
    return _folded(text).replace(" ", "")


def words(text: str) -> list[str]:
    return _folded(text).split()


def person_keys(name: str) -> set[str]:
    """Every key a person's name matches: its words in any order, run together."""
    parts = words(name)[:5]
    return {"".join(p) for p in permutations(parts)} if parts else set()


def quote_input(text: str, limit: int = 60) -> str:
    """User input made safe to show back: one line, no invisible characters, no markdown, no mention."""
    visible = "".join(
        ch
        for ch in unicodedata.normalize("NFKC", text[:500])
        if unicodedata.category(ch) not in {"Cf", "Cc", "Co", "Cs"}
    )
    visible = clip(" ".join(visible.split()), limit)
    return _inert(_MARKDOWN.sub(r"\\\1", visible)) or "(nothing)"


_LAYOUT = re.compile(r"([\\*_`~|>\[\]])")


def inert_text(text: str) -> str:
    """A member's own text (a question they wrote), shown as written but inert: no markdown that could change
    the card's layout (emphasis, quotes, headings, lists, masked links), no mention, no clickable link."""
    escaped = _LAYOUT.sub(r"\\\1", text)
    if escaped[:1] in ("#", "-"):
        escaped = "\\" + escaped
    return _inert(escaped)


def _inert(text: str) -> str:
    """No mention, channel link or URL can form: a zero-width space after `@`, `<#` and a scheme's colon."""
    return _LINKS.sub(lambda m: m[0][:-2] + "\u200b//", text.replace("@", "@\u200b").replace("<#", "<\u200b#"))


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of a lookup: the one name meant, or suggestions when unsure."""

    found: str | None
    suggestions: tuple[str, ...] = ()


class NameIndex:
    """Canonical names with their aliases, searchable by compact key."""

    def __init__(self, names: Iterable[tuple[str, Iterable[str]]], *, any_word_order: bool = False) -> None:
        self._keys: dict[str, str] = {}
        self._keys_by_name: dict[str, list[str]] = {}
        self._words_by_name: dict[str, list[set[str]]] = {}
        for canonical, aliases in names:
            own = self._keys_by_name.setdefault(canonical, [])
            for spelling in (canonical, *aliases):
                self._words_by_name.setdefault(canonical, []).append(set(words(spelling)))
                keys = person_keys(spelling) if any_word_order else {compact(spelling)}
                for key in sorted(keys):
                    if self._keys.setdefault(key, canonical) == canonical:
                        own.append(key)
        self._canonical = list(self._keys_by_name)
        self._key_list = list(self._keys)
        self._hangul = HangulIndex(self._keys.items())
        # The index never changes after this, so an answer can be remembered (fuzzy matching is the slow part).
        self._find: Callable[[str, int], Match] = functools.lru_cache(RECENT_QUERIES)(self._look_up)
        self._complete: Callable[[str, int], tuple[str, ...]] = functools.lru_cache(RECENT_QUERIES)(self._completions)

    @property
    def names(self) -> list[str]:
        return list(self._canonical)

    def find(self, query: str, *, suggestions: int = 3) -> Match:
        """The one name meant by `query`, or up to `suggestions` close names."""
        return self._find(query[: MAX_QUERY * 4], suggestions)

    def complete(self, query: str, limit: int = 25) -> list[str]:
        """Names for autocomplete: those containing what was typed, then close ones; all when nothing typed."""
        return list(self._complete(query[: MAX_QUERY * 4], limit))

    def _look_up(self, query: str, suggestions: int) -> Match:
        key = compact(query)
        if not key:
            return Match(None)
        if key in self._keys:
            return Match(self._keys[key])
        if has_hangul(key):
            match = self._hangul_look_up(key, suggestions)
            if match.found or match.suggestions or not _has_latin(key):
                return match
        by_words = self._whole_words(set(words(query)))
        if len(by_words) == 1:
            return Match(by_words[0])
        partial = _unique([*by_words, *self._partial(key)])
        close = difflib.get_close_matches(key, self._key_list, n=suggestions * 3, cutoff=0.6)
        ranked = _unique([*partial, *(self._keys[k] for k in close)])
        return Match(None, tuple(ranked[:suggestions]))

    def _hangul_look_up(self, key: str, suggestions: int) -> Match:
        """Hangul typed: one name by its initials (`ㄱㅇ`), else names a syllable away, starting so, holding it."""
        if is_initials(key):
            exact = self._hangul.by_initials(key)
            if len(exact) == 1:
                return Match(exact[0])
        close = _unique([*self._hangul.near_misses(key), *self._hangul.complete(key, suggestions)])
        return Match(None, tuple(close[:suggestions]))

    def _completions(self, query: str, limit: int) -> tuple[str, ...]:
        key = compact(query)
        if not key:
            return tuple(self._canonical[:limit])
        if has_hangul(key):
            hangul = self._hangul.complete(key, limit)
            if hangul or not _has_latin(key):
                return tuple(hangul)
        starts = [n for n in self._canonical if any(k.startswith(key) for k in self._keys_by_name[n])]
        contains = self._partial(key)
        close = [self._keys[k] for k in difflib.get_close_matches(key, self._key_list, n=limit, cutoff=0.6)]
        return tuple(_unique([*starts, *contains, *close])[:limit])

    def _whole_words(self, typed: set[str]) -> list[str]:
        """Names of which one spelling holds every word typed ("Guardian" finds Goblin by its other title)."""
        return [n for n, spellings in self._words_by_name.items() if any(typed <= w for w in spellings)]

    def _partial(self, key: str) -> list[str]:
        return _unique(self._keys[k] for k in self._key_list if key in k) if len(key) >= 3 else []


def _has_latin(key: str) -> bool:
    """Part of the key in another script than Hangul (`gong유`): the romanised names may still match."""
    return any(ch.isascii() and ch.isalpha() for ch in key)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
