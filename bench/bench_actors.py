"""Actors stage speed: dictionary load, 10,000 resolve calls, find_mentions overhead vs bare spaCy.
Usage: PYTHONPATH=src python bench/bench_actors.py [TEXTS.jsonl]"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from dateline import nlp
    from dateline.actors import ActorStage
    from dateline.actors.dictionary import Dictionary

    t = time.perf_counter()
    Dictionary.load()
    print(f"dictionary load: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    stage = ActorStage()
    print(f"stage init: {time.perf_counter() - t:.2f} s")
    with (ROOT / "tests/data/actor_cases.csv").open(encoding="utf-8") as fh:
        cases = [(r["text"], dt.date.fromisoformat(r["date"]) if r["date"] else None) for r in csv.DictReader(fh)]
    t = time.perf_counter()
    for i in range(10_000):
        text, day = cases[i % len(cases)]
        stage.resolve(text, day)
    print(f"10,000 resolve calls: {time.perf_counter() - t:.2f} s")
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/corpora/voa/voa_stories.jsonl"
    texts = [json.loads(x)["text"] for x in src.read_text(encoding="utf-8").splitlines()[:40]]
    docs = list(nlp.pipe(texts))  # warm-up and the parsed docs
    t = time.perf_counter()
    docs = list(nlp.pipe(texts))
    spacy_s = time.perf_counter() - t
    t = time.perf_counter()
    n = sum(len(stage.find_mentions(d, None)) for d in docs)
    actors_s = time.perf_counter() - t
    words = sum(len(d) for d in docs)
    print(f"{len(docs)} docs, {words} tokens: spaCy {spacy_s:.2f} s, find_mentions {actors_s:.2f} s ({n} mentions); "
          f"throughput ratio with actors = {spacy_s / (spacy_s + actors_s):.2f}")


if __name__ == "__main__":
    main()
