"""Throughput of the whole extraction against a bare spaCy ``nlp.pipe`` over the same texts, in the same run.

Usage: python bench/bench_pipeline.py [--corpus PATH] [--limit N] [--profile fast|accurate|rules] [--workers N]

Prints documents/s, words/s, time per stage, peak RSS and the ratio dateline / bare spaCy (1 process), and with
--workers N the end-to-end wall time of `dateline ingest --workers N` into a temporary SQLite store.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "corpora"
sys.path.insert(0, str(ROOT / "src"))

from dateline import nlp  # noqa: E402
from dateline.pipeline import Pipeline  # noqa: E402
from dateline.read import read  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    default = SHARED / "te3_silver" / "stories.jsonl"
    ap.add_argument("--corpus", default=str(default if default.exists() else ROOT / "src/dateline/data/sample/voa_stories.jsonl"))
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--profile", default="fast")
    ap.add_argument("--workers", type=int, default=0, help="also time `dateline ingest --workers N` on the corpus")
    args = ap.parse_args()
    docs = list(read([args.corpus]))[: args.limit]
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    pipe = Pipeline(args.profile)  # loads model, dictionaries, gazetteer, classifier before timing
    list(pipe.annotate(docs[:5]))
    pipe.timings.clear()

    t0 = time.perf_counter()
    for _ in nlp.load().pipe(texts, batch_size=pipe.batch_size):
        pass
    bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_events = sum(len(a.events) for a in pipe.annotate(docs))
    full = time.perf_counter() - t0

    print(f"corpus: {args.corpus}  documents: {len(docs)}  words: {words}  profile: {args.profile}")
    print(f"bare spaCy nlp.pipe : {bare:7.2f} s  {len(docs) / bare:7.1f} docs/s  {words / bare:8.0f} words/s")
    print(f"dateline end to end : {full:7.2f} s  {len(docs) / full:7.1f} docs/s  {words / full:8.0f} words/s  "
          f"events: {n_events}")
    print(f"ratio dateline / bare spaCy throughput: {bare / full:.2f}")
    for stage, secs in sorted(pipe.timings.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:9s} {secs:7.2f} s  {100 * secs / full:5.1f} %")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    if args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            db = f"sqlite:///{tmp}/bench.db"
            cmd = [str(ROOT / ".venv/bin/dateline"), "ingest", args.corpus, "--db", db, "--workers",
                   str(args.workers), "--profile", args.profile]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
            wall = time.perf_counter() - t0
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"ingest --workers {args.workers} of the whole corpus: {wall:.1f} s wall, peak child RSS {child:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
