"""Searching names in Hangul: by prefix, by initial consonants (`ㄱㅇ` finds 공유) and by a near miss of one
syllable (`송예진` suggests 손예진). No discord import.

Keys are matching keys (`matching.compact`): NFKC has already turned a typed consonant such as `ㄱ` (U+3131)
into its leading form (U+1100), so an initial consonant is one of U+1100 to U+1112 here. Everything is looked up
in sorted lists or dictionaries built once, so a lookup costs well under a millisecond at 10,000 names.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

SYLLABLES = range(0xAC00, 0xD7A4)  # 가 to 힣
INITIALS = range(0x1100, 0x1113)  # ᄀ to ᄒ, the 19 leading consonants
PER_INITIAL = 21 * 28  # syllables that share a leading consonant
SCAN_LIMIT = 2  # contains-searches need at least this many characters typed
WILDCARD = "\0"


def is_syllable(ch: str) -> bool:
    return ord(ch) in SYLLABLES


def is_initial(ch: str) -> bool:
    return ord(ch) in INITIALS


def has_hangul(key: str) -> bool:
    return any(is_syllable(ch) or is_initial(ch) for ch in key)


def initials(key: str) -> str:
    """Each syllable's leading consonant (`공유` → `ᄀᄋ`); other characters as they are."""
    return "".join(
        chr(INITIALS.start + (ord(ch) - SYLLABLES.start) // PER_INITIAL) if is_syllable(ch) else ch for ch in key
    )


def is_initials(key: str) -> bool:
    return bool(key) and all(is_initial(ch) for ch in key)


def one_off(key: str) -> Iterator[str]:
    """The key with each syllable in turn replaced by a wildcard: two keys of one length that differ in one
    syllable share one of these."""
    for index, ch in enumerate(key):
        if is_syllable(ch):
            yield key[:index] + WILDCARD + key[index + 1 :]


def _matches_typed(typed: str, key: str) -> bool:
    """`typed` is how `key` starts, where a typed consonant stands for any syllable it leads (`공ᄋ` for `공유`)."""
    if len(typed) > len(key):
        return False
    return all(t == k or (is_initial(t) and initials(k) == t) for t, k in zip(typed, key, strict=False))


class HangulIndex:
    """Hangul keys of one NameIndex, each with the canonical name it belongs to."""

    def __init__(self, keyed: Iterable[tuple[str, str]]) -> None:
        self._owner: dict[str, str] = {}
        for key, canonical in keyed:
            if has_hangul(key):
                self._owner.setdefault(key, canonical)
        self._keys = sorted(self._owner)
        self._by_initials = sorted((initials(k), k) for k in self._keys)
        self._initial_keys = [pair[0] for pair in self._by_initials]
        # Every key, and every key's initials, in one string: a contains-search is then str.find's, not a loop.
        self._keys_text = _Joined(self._keys)
        self._initials_text = _Joined(self._initial_keys)
        self._near: dict[str, list[str]] = {}
        for key in self._keys:
            for pattern in one_off(key):
                self._near.setdefault(pattern, []).append(key)

    def __len__(self) -> int:
        return len(self._keys)

    def by_initials(self, typed: str) -> list[str]:
        """Names whose initials are exactly `typed` (all consonants)."""
        start = bisect.bisect_left(self._initial_keys, typed)
        end = bisect.bisect_right(self._initial_keys, typed)
        return _unique(self._owner[k] for _, k in self._by_initials[start:end])

    def near_misses(self, key: str) -> list[str]:
        """Names one syllable away from `key` (same length, one syllable different)."""
        return _unique(self._owner[k] for p in one_off(key) for k in self._near.get(p, ()) if k != key)

    def complete(self, key: str, limit: int) -> list[str]:
        """Names for autocomplete: those starting as typed (a consonant standing for its syllables), then those
        whose initials start or hold what was typed, then those holding it, then near misses."""
        found = self._starting(key, limit)
        if len(found) < limit and is_initials(key):
            found += self._initials_starting(key, limit)
            if len(found) < limit:
                found += self._initials_holding(key, limit)
        if len(found) < limit and len(key) >= SCAN_LIMIT:
            found += [self._keys[i] for i in self._keys_text.holding(key, limit)]
        names = _unique(self._owner[k] for k in found)
        if len(names) < limit:
            names = _unique([*names, *self.near_misses(key)])
        return names[:limit]

    def _starting(self, key: str, limit: int) -> list[str]:
        exact = key.rstrip("".join(map(chr, INITIALS)))  # the part typed as whole syllables
        if not exact:
            return []  # only consonants typed: the initials answer that
        start = bisect.bisect_left(self._keys, exact)
        found: list[str] = []
        for candidate in self._keys[start:]:
            if not candidate.startswith(exact) or len(found) >= limit:
                break
            if _matches_typed(key, candidate):
                found.append(candidate)
        return found

    def _initials_starting(self, typed: str, limit: int) -> list[str]:
        start = bisect.bisect_left(self._initial_keys, typed)
        found: list[str] = []
        for initial_key, key in self._by_initials[start:]:
            if not initial_key.startswith(typed) or len(found) >= limit:
                break
            found.append(key)
        return found

    def _initials_holding(self, typed: str, limit: int) -> list[str]:
        if len(typed) < SCAN_LIMIT:
            return []
        return [self._by_initials[i][1] for i in self._initials_text.holding(typed, limit)]


class _Joined:
    """Strings joined by newlines (which no key holds), searched at C speed: which of them hold a text."""

    def __init__(self, items: list[str]) -> None:
        self._text = "\n".join(items)
        self._starts: list[int] = []
        offset = 0
        for item in items:
            self._starts.append(offset)
            offset += len(item) + 1

    def holding(self, text: str, limit: int) -> list[int]:
        """The indexes of the first `limit` strings that hold `text`, in order."""
        found: list[int] = []
        position = self._text.find(text)
        while position >= 0 and len(found) < limit:
            index = bisect.bisect_right(self._starts, position) - 1
            found.append(index)
            position = self._text.find(
                text, self._starts[index + 1] if index + 1 < len(self._starts) else len(self._text)
            )
        return found


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
