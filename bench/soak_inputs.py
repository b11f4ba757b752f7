"""Soak the readers and the CLI with large inputs; prints figures (time, peak memory, counts, problems).

    PYTHONPATH=src .venv/bin/python bench/soak_inputs.py [--tiny 1000000] [--pipeline 10000] [--big-mb 10]
                                                          [--fuzz-examples 2000]

1. ``--tiny`` tiny documents (made by a generator, streamed to a JSON Lines file) read by ``dateline.read.read``.
2. ``--pipeline`` of them through ``dateline annotate --profile rules`` (subprocess; output counted, not kept).
3. A ``--big-mb`` MB single paragraph through ``dateline extract --profile rules`` (subprocess) with the real
   ``read.MAX_TEXT``: the text is cut with a one-line warning; time and peak RSS are printed.
4. The hypothesis suites of tests/test_fuzz_read.py and tests/test_fuzz_extract.py with more examples.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def tiny_documents(n: int):
    for i in range(n):
        yield {"id": f"t{i}", "published": "2024-01-01", "text": f"Item {i} arrived."}


def soak_reader(path: Path, n: int) -> None:
    from dateline.read import ReadStats, read

    t0 = time.time()
    with open(path, "w", encoding="utf-8") as fh:
        for rec in tiny_documents(n):
            fh.write(json.dumps(rec) + "\n")
    t1 = time.time()
    stats = ReadStats()
    count = sum(1 for _ in read([str(path)], on_error=lambda m: None, stats=stats))
    t2 = time.time()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reader: {count} of {n} tiny documents read ({stats.errors} problems) in {t2 - t1:.1f} s "
          f"({count / max(t2 - t1, 1e-9):,.0f} docs/s; writing took {t1 - t0:.1f} s); peak RSS {rss:.0f} MB")
    assert count == n and stats.errors == 0


def _child(argv: list[str], stdin_path: Path | None = None) -> tuple[int, int, str, float, float]:
    """Run the CLI; returns (exit code, stdout lines, stderr, seconds, peak child RSS in MB)."""
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "dateline.cli", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV, text=True)
    lines = sum(1 for _ in proc.stdout)
    err = proc.stderr.read()
    code = proc.wait()
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return code, lines, err, time.time() - t0, rss


def soak_pipeline(path: Path, n: int) -> None:
    sub = path.with_name("sub.jsonl")
    with open(path, encoding="utf-8") as src, open(sub, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    code, lines, err, secs, rss = _child(["annotate", str(sub), "--profile", "rules"])
    print(f"annotate: {lines} of {n} tiny documents, exit {code}, {secs:.1f} s ({lines / secs:,.0f} docs/s), "
          f"peak child RSS {rss:.0f} MB, traceback: {'Traceback' in err}")
    assert code == 0 and lines == n and "Traceback" not in err


def soak_big(tmp: Path, mb: int) -> None:
    sentence = "Russia imposed sanctions on Britain on Wednesday. "
    n = mb * 1_000_000
    path = tmp / "big.jsonl"
    text = (sentence * (n // len(sentence) + 1))[:n]
    path.write_text(json.dumps({"id": "big", "published": "2024-03-07", "text": text}) + "\n", encoding="utf-8")
    code, lines, err, secs, rss = _child(["extract", str(path), "--profile", "rules"])
    warn = [line for line in err.splitlines() if "truncated" in line]
    print(f"{mb} MB paragraph: exit {code}, {lines} events, {secs:.0f} s, peak child RSS {rss:.0f} MB; "
          f"warning: {warn[0] if warn else None}; traceback: {'Traceback' in err}")
    assert code == 0 and warn and "Traceback" not in err


def soak_fuzz(examples: int) -> None:
    env = {**ENV, "DATELINE_FUZZ_EXAMPLES": str(examples), "DATELINE_FUZZ_EXAMPLES_EXTRACT": str(examples // 4)}
    t0 = time.time()
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/test_fuzz_read.py", "tests/test_fuzz_extract.py", "--hypothesis-show-statistics"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    tried = sum(int(n) for n in re.findall(r"(\d+) passing", res.stdout))
    print(f"hypothesis: {tried} generated inputs passed in {time.time() - t0:.0f} s; pytest exit {res.returncode}")
    print("\n".join(res.stdout.strip().splitlines()[-3:]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tiny", type=int, default=1_000_000)
    ap.add_argument("--pipeline", type=int, default=10_000)
    ap.add_argument("--big-mb", type=int, default=10)
    ap.add_argument("--fuzz-examples", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dateline-soak-") as d:
        tmp = Path(d)
        if args.tiny:
            soak_reader(tmp / "tiny.jsonl", args.tiny)
        if args.pipeline:
            soak_pipeline(tmp / "tiny.jsonl", min(args.pipeline, args.tiny))
        if args.big_mb:
            soak_big(tmp, args.big_mb)
    if args.fuzz_examples:
        soak_fuzz(args.fuzz_examples)


if __name__ == "__main__":
    main()
