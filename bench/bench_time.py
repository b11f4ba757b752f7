"""Benchmark of the when stage: normalising 10,000 expressions, and finding times in news text.

Run: ``PYTHONPATH=src python bench/bench_time.py``. Expressions come from ../shared's TE3 silver wire stories when
present (the expressions dateline finds there, in text order, so repeats are as frequent as in real news), else
from a built-in list of forms. Prints: cold (caches cleared) and warm seconds for 10,000 ``normalise`` calls, and
characters per second of ``find_times`` on raw text (no parse).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from itertools import islice
from pathlib import Path

from dateline import when

STORIES = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / "te3_silver" / "stories.jsonl"
FORMS = ["on Wednesday", "early on Tuesday local time", "in July", "last week", "two days ago", "since 2019",
         "three years", "Sept. 12, 2023", "12 September", "2023-09-12", "9/12/2023", "yesterday", "5 p.m.",
         "the 1990s", "the third quarter", "this summer", "every week", "now", "recently", "next month",
         "a year earlier", "10 p.m. Wednesday", "Friday, Sept. 15", "the past decade", "late 2019"]


def workload(n: int = 10_000) -> tuple[list[tuple[str, dt.date]], list[tuple[str, dt.date]]]:
    """(expressions with anchors, texts with anchors)."""
    texts: list[tuple[str, dt.date]] = []
    if STORIES.exists():
        with open(STORIES, encoding="utf-8") as fh:
            for line in islice(fh, 600):
                rec = json.loads(line)
                texts.append((rec["text"], dt.date.fromisoformat(rec["published"][:10])))
    exprs: list[tuple[str, dt.date]] = []
    for text, anchor in texts:
        exprs += [(t.text, anchor) for t in when.find_times(text, anchor)]
    if len(exprs) < n:
        base = exprs or [(f, dt.date(2023, 9, 13) + dt.timedelta(days=i % 400)) for i, f in enumerate(FORMS * 40)]
        exprs = (base * (n // len(base) + 1))[:n]
    return exprs[:n], texts


def main() -> None:
    exprs, texts = workload()
    distinct = len(set(exprs))
    when._cached.cache_clear()
    when._normalised.cache_clear()
    t0 = time.perf_counter()
    for e, a in exprs:
        when.normalise(e, a)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for e, a in exprs:
        when.normalise(e, a)
    warm = time.perf_counter() - t0
    print(f"normalise: {len(exprs):,} expressions ({distinct:,} distinct with anchor): cold {cold:.2f} s, "
          f"warm {warm:.2f} s")
    if texts:
        chars = sum(len(t) for t, _ in texts)
        when._cached.cache_clear()
        t0 = time.perf_counter()
        found = sum(len(when.find_times(t, a)) for t, a in texts)
        took = time.perf_counter() - t0
        print(f"find_times: {len(texts)} stories, {chars:,} chars, {found:,} expressions in {took:.2f} s "
              f"({chars / took / 1e6:.2f} M chars/s)")


if __name__ == "__main__":
    main()
