"""Start-up time of the command line: ``dateline --help`` against a bare ``python -c pass`` in the same run.

Usage: python bench/bench_cli_start.py [--runs N]

Prints the median wall time of each over N runs and their difference (what dateline's imports cost).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    bare = _median([sys.executable, "-c", "pass"], args.runs)
    cli = [sys.executable, "-c", "import sys; from dateline.cli import main; sys.exit(main(['--help']))"]
    helped = _median(cli, args.runs)
    print(f"python -c pass : {bare:.3f} s")
    print(f"dateline --help: {helped:.3f} s  (imports {helped - bare:.3f} s; ratio {helped / bare:.1f} x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
