"""Many fault trials for ingest: runs tests/test_faults_ingest.py with more kill -9 trials and several seeds.

    .venv/bin/python bench/soak_faults.py [--trials 20] [--seeds 3]

Needs the same environment as the tests (PYTHONPATH=src is set here; DATELINE_TEST_PG_URL for the PostgreSQL cases,
e.g. run it under ``bash scripts/pg_test_server.sh run -- ...``).  Prints every kill point, disk-full and lock outcome
and the totals: trials, faults injected, documents lost or duplicated (the tests fail on any).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20, help="kill -9 trials per backend and seed")
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    kills = disk = restarts = failed = 0
    t0 = time.time()
    for seed in range(1, args.seeds + 1):
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DATELINE_FAULT_TRIALS": str(args.trials),
               "DATELINE_FAULT_SEED": str(seed)}
        res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                              "tests/test_faults_ingest.py"], cwd=ROOT, env=env, capture_output=True, text=True)
        for line in res.stdout.splitlines():
            if line.lstrip(".F").startswith(("kill -9", "disk full", "PostgreSQL restart")):
                print(f"seed {seed}: {line.lstrip('.F')}")
        kills += sum(len(m.split(",")) for m in re.findall(r"killed: \[([^\]]*)\]", res.stdout))
        disk += res.stdout.count("disk full (")
        restarts += res.stdout.count("PostgreSQL restart:")
        summary = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-500:]
        print(f"seed {seed}: {summary}")
        failed += res.returncode != 0
    print(f"total: {kills} kill -9 trials, {disk} disk-full trials, {restarts} PostgreSQL restarts, "
          f"{args.seeds * 2} lock trials; failing runs: {failed} (each run checks every document exactly once and the "
          f"clean run's events); {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
