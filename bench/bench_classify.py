#!/usr/bin/env python3
"""Event-type classifier benchmark: model size, load time and sentences/s for both profiles.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_classify.py [N_SENTENCES]
Sentences come from the bundled VOA sample (split on sentence ends), repeated up to N.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.events.classify import MODELS, EventClassifier  # noqa: E402


def sentences(n: int) -> list[str]:
    path = ROOT / "src" / "dateline" / "data" / "sample" / "voa_stories.jsonl"
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = json.loads(line).get("text", "")
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]
    return (out * (n // max(len(out), 1) + 1))[:n]


def size_mb(*names: str) -> float:
    return sum((MODELS / n).stat().st_size for n in names if (MODELS / n).exists()) / 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    texts = sentences(n)
    files = {"fast": ("event_tfidf.npz",),
             "accurate": ("event_minilm_int8.onnx", "event_minilm_tokenizer.json", "event_minilm.json")}
    for profile in ("fast", "accurate"):
        t0 = time.perf_counter()
        clf = EventClassifier(profile)
        load = time.perf_counter() - t0
        clf.predict(texts[:16])  # warm-up
        t0 = time.perf_counter()
        clf.predict(texts)
        rate = len(texts) / (time.perf_counter() - t0)
        print(f"{profile:9s} (ran {clf.profile}): files {size_mb(*files[profile]):5.1f} MB, load {load:5.2f} s, "
              f"{rate:7.0f} sentences/s on {len(texts)} sentences")


if __name__ == "__main__":
    main()
