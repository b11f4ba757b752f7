"""Memory stays flat on a huge JSON Lines input: ingest reads lazily, batches, commits.

Usage: python bench/bench_streaming.py [--size-mb 2048] [--seconds 90] [--workers 1]

Writes a JSONL file of the given size (wire-style stories repeated with new ids), starts `dateline ingest` on it, samples
the resident memory of the process tree every few seconds for --seconds, then stops it. Prints the samples and the
growth between the first and the last third of the run: flat memory means the input is never held whole.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "dateline" / "data" / "sample" / "voa_stories.jsonl"


def make_corpus(path: Path, size_mb: int) -> int:
    stories = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    target, n = size_mb * 1024 * 1024, 0
    with path.open("w", encoding="utf-8") as fh:
        while fh.tell() < target:
            s = dict(stories[n % len(stories)], id=f"stream-{n}")
            fh.write(json.dumps(s) + "\n")
            n += 1
    return n


def tree_rss_mb(pid: int) -> float:
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True)
    return sum(int(x) for x in out.stdout.split()) / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=2048)
    ap.add_argument("--seconds", type=int, default=90)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "big.jsonl"
        t0 = time.perf_counter()
        n = make_corpus(corpus, args.size_mb)
        print(f"corpus: {corpus.stat().st_size / 2**20:.0f} MB, {n} documents, written in {time.perf_counter() - t0:.0f} s")
        cmd = [str(ROOT / ".venv/bin/dateline"), "ingest", str(corpus), "--db", f"sqlite:///{tmp}/s.db",
               "--profile", "fast", "--workers", str(args.workers)]
        proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, start_new_session=True)
        samples = []
        start = time.perf_counter()
        while time.perf_counter() - start < args.seconds and proc.poll() is None:
            time.sleep(5)
            samples.append((time.perf_counter() - start, tree_rss_mb(proc.pid)))
            print(f"  t={samples[-1][0]:5.0f} s  RSS {samples[-1][1]:7.0f} MB")
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    third = max(len(samples) // 3, 1)
    early = sum(r for _, r in samples[:third]) / third
    late = sum(r for _, r in samples[-third:]) / third
    print(f"mean RSS first third {early:.0f} MB, last third {late:.0f} MB, growth {late - early:+.0f} MB "
          f"while reading a {args.size_mb} MB input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
