"""Benchmark of the where stage: gazetteer load time and memory, lookup speed, find_places speed.

Run: ``PYTHONPATH=src .venv/bin/python bench/bench_places.py``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

NAMES = ["Paris", "London", "Moscow", "Kyiv", "Kiev", "Springfield", "Texas", "Amur region", "U.S.", "Alberta",
         "Edmonton", "Russia", "Vostochny spaceport", "Khasan", "Blagoveshchensk", "Pyongyang", "the White House",
         "Gaza Strip", "Middle East", "Nowhere Land", "Washington", "New York", "Suffolk County", "Aleppo"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    before = rss_mb()
    t = time.perf_counter()
    from dateline.gazetteer import Gazetteer

    gaz = Gazetteer()
    print(f"gazetteer load: {time.perf_counter() - t:.3f} s, peak RSS {rss_mb():.0f} MB (before {before:.0f} MB)")
    rng = random.Random(1)
    names = [rng.choice(NAMES) + ("" if i % 3 else f" {i}") for i in range(10_000)]
    t = time.perf_counter()
    for n in names:
        gaz._lookup(n)  # uncached: every call reaches SQLite
    print(f"10,000 lookups (uncached, 1/3 unknown names): {time.perf_counter() - t:.3f} s")
    t = time.perf_counter()
    for n in names:
        gaz.lookup(n)
    print(f"10,000 lookups (cached): {time.perf_counter() - t:.3f} s")
    ref = Path(__file__).resolve().parents[2] / "shared" / "examples" / "kim-putin-vostochny.txt"
    text = ref.read_text(encoding="utf-8") if ref.exists() else " ".join(["Kim met Putin in Vladivostok."] * 100)
    from dateline import nlp
    from dateline.where import find_places

    docs = list(nlp.pipe([text] * 20))
    t = time.perf_counter()
    n = sum(len(find_places(d)) for d in docs)
    dt = time.perf_counter() - t
    words = sum(len(d) for d in docs)
    print(f"find_places: {len(docs)} docs, {n} places, {dt:.3f} s ({words / dt:,.0f} tokens/s, parse excluded)")
    print(f"peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
