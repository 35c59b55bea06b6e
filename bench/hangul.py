"""Hangul autocomplete: how long `/actor`'s and `/drama`'s suggestions take for Hangul typed, at the catalogue's
size and at 10,000 names.

    .venv/bin/python -m bench.hangul            # prints a table; the README quotes it

Each query is new to the index (its answers are remembered per query, so a repeat would cost nothing): the
figures are the work itself. The 10,000 names are made up from common family names and given-name syllables,
each with a romanised canonical name, as the catalogue's are. Kinds of query: the first syllable, a whole
name, initial consonants (`ㄱㅇ`), a name one syllable off (`송예진`), a name typed with zero-width characters
and a full-width space.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from dataclasses import dataclass

from bot.catalogue import load_catalogue
from bot.jamo import PER_INITIAL, SYLLABLES
from bot.lookups.answers import Lookups
from bot.matching import NameIndex

FAMILY = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현"
    "함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예봉경사부가복태목형피두감음빈동온호범좌팽승간상시갈서문"
)
GIVEN = (
    "민서지현수영준우진하은도윤예원주희아연재성호정유혜경선태동상승나다라마바사자차카타파소보고"
    "조로모노도토포구누두루무부"
)
KINDS = ("first syllable", "whole name", "initials", "one syllable off", "invisible characters")
LIMIT_MS = 5.0
TYPE_LIMIT = 25


@dataclass(frozen=True)
class Result:
    size: str
    kind: str
    queries: int
    median_ms: float
    p99_ms: float
    max_ms: float


def made_up_names(count: int, seed: int = 21) -> list[tuple[str, tuple[str, ...]]]:
    """`count` distinct (romanised canonical name, (Hangul name,)) pairs."""
    rng = random.Random(seed)
    seen: set[str] = set()
    names: list[tuple[str, tuple[str, ...]]] = []
    while len(names) < count:
        hangul = rng.choice(FAMILY) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
        if hangul not in seen:
            seen.add(hangul)
            names.append((f"Name {len(names):05d}", (hangul,)))
    return names


def queries(hangul: list[str], kind: str, count: int, rng: random.Random) -> list[str]:
    chosen = [rng.choice(hangul) for _ in range(count)]
    if kind == "first syllable":
        return [name[:1] for name in chosen]
    if kind == "whole name":
        return chosen
    if kind == "initials":
        return ["".join(chr(0x3131 + _COMPAT[(ord(ch) - SYLLABLES.start) // PER_INITIAL]) for ch in n) for n in chosen]
    if kind == "one syllable off":
        return [_one_off(name, rng) for name in chosen]
    return ["\u200b" + name[:1] + "\u200d\u3000" + name[1:] for name in chosen]


# Hangul Compatibility Jamo (what a keyboard types) of each leading consonant, as offsets from ㄱ (U+3131).
_COMPAT = (0, 1, 3, 6, 7, 8, 16, 17, 18, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29)


def _one_off(name: str, rng: random.Random) -> str:
    index = rng.randrange(len(name))
    return name[:index] + chr(SYLLABLES.start + rng.randrange(len(SYLLABLES))) + name[index + 1 :]


def measure(index: NameIndex, hangul: list[str], size: str, per_kind: int, seed: int = 7) -> list[Result]:
    rng = random.Random(seed)
    results = []
    gc.collect()
    gc.disable()  # as the bot tunes its collector (bot/client.py settle_memory): no collection mid-query
    try:
        for kind in KINDS:
            results.append(_measure_kind(index, hangul, size, kind, per_kind, rng))
    finally:
        gc.enable()
    return results


def _measure_kind(
    index: NameIndex, hangul: list[str], size: str, kind: str, per_kind: int, rng: random.Random
) -> Result:
    typed = list(dict.fromkeys(queries(hangul, kind, per_kind, rng)))
    times = sorted(_timed(index, q) for q in typed)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return Result(size, kind, len(times), statistics.median(times), p99, times[-1])


def _timed(index: NameIndex, typed: str) -> float:
    began = time.perf_counter()
    index.complete(typed, TYPE_LIMIT)
    return (time.perf_counter() - began) * 1000


def run(big: int = 10_000, per_kind: int = 1_000) -> list[Result]:
    lookups = Lookups(load_catalogue())
    catalogue_hangul = [k for name in lookups.actors.names for k in lookups.words["ko"].hangul.spellings("actor", name)]
    results = measure(lookups.actors, catalogue_hangul, f"catalogue ({len(lookups.actors.names)} actors)", per_kind)
    names = made_up_names(big)
    index = NameIndex(names, any_word_order=True)
    return results + measure(index, [h for _, (h,) in names], f"{big:,} names", per_kind)


def report(results: list[Result]) -> str:
    lines = [f"{'index':<24} {'query':<22} {'queries':>7} {'median ms':>10} {'p99 ms':>8} {'max ms':>8}"]
    for r in results:
        lines.append(f"{r.size:<24} {r.kind:<22} {r.queries:>7} {r.median_ms:>10.3f} {r.p99_ms:>8.3f} {r.max_ms:>8.3f}")
    worst = max(r.p99_ms for r in results)
    verdict = "within" if worst < LIMIT_MS else "OVER"
    lines.append(f"worst p99 {worst:.3f} ms: {verdict} the {LIMIT_MS:g} ms budget for Hangul autocomplete")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=10_000, help="the size of the big index")
    parser.add_argument("--queries", type=int, default=1_000, help="queries of each kind")
    args = parser.parse_args()
    print(report(run(args.names, args.queries)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
