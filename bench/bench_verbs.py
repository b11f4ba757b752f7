"""User verb dictionaries: load time, and extraction throughput with and without one, in the same run.

Usage: python bench/bench_verbs.py [--verbs FILE] [--profile accurate|fast|rules] [--rounds N] [--copies K]

Prints the load time of the verb dictionary (default: the Phoenix CAMEO.2.0.txt of ../shared) and of a synthetic
dictionary of K copies of it (families renamed, so at least 15,000 patterns with the default K=4), then the
documents/s of the shipped sample (VOA stories and the reference article) through the pipeline without and with
``--verbs``, alternating N rounds each and keeping each one's best. Issue 21's bar: load < 2 s, throughput ratio
(with / without) >= 0.90.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHOENIX = ROOT.parent / "shared" / "data" / "dictionaries" / "phoenix" / "CAMEO.2.0.txt"
sys.path.insert(0, str(ROOT / "src"))

from dateline.events.verbs import VerbDictionary  # noqa: E402
from dateline.pipeline import Pipeline  # noqa: E402
from dateline.read import read  # noqa: E402


def timed_load(path: Path) -> tuple[float, VerbDictionary]:
    t0 = time.perf_counter()
    d = VerbDictionary.load([path])
    return time.perf_counter() - t0, d


def synthetic(path: Path, copies: int, out: Path) -> Path:
    """``copies`` copies of a dictionary, each copy's families renamed (the same verbs, more patterns to search)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    parts = [re.sub(r"^(---+\s*)(\S+)", lambda m, k=k: f"{m.group(1)}{m.group(2)}_{k}", text, flags=re.M)
             for k in range(copies)]
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def throughput(pipe: Pipeline, docs: list) -> tuple[float, int]:
    t0 = time.perf_counter()
    events = sum(len(a.events) for a in pipe.annotate(docs))
    return len(docs) / (time.perf_counter() - t0), events


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbs", default=str(PHOENIX))
    ap.add_argument("--profile", default="accurate")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--copies", type=int, default=4)
    args = ap.parse_args()
    path = Path(args.verbs)
    if not path.exists():
        print(f"{path}: absent (the Phoenix dictionary is read from ../shared); pass --verbs FILE", file=sys.stderr)
        return 2
    seconds, d = timed_load(path)
    print(f"load {path.name}: {seconds:.3f} s  families {len(d.families)}  verb forms {sum(len(f.verbs) for f in d.families)}"
          f"  patterns {d.patterns}")
    with tempfile.TemporaryDirectory() as tmp:
        big = synthetic(path, args.copies, Path(tmp) / "big.txt")
        seconds, d = timed_load(big)
        print(f"load {args.copies} copies: {seconds:.3f} s  patterns {d.patterns}  (bar: < 2 s)")

    sample = ROOT / "src" / "dateline" / "data" / "sample"
    docs = list(read([str(sample / "voa_stories.jsonl"), str(sample / "kim-putin-vostochny.txt")]))
    plain, with_verbs = Pipeline(args.profile), Pipeline(args.profile, verb_files=[str(path)])
    for pipe in (plain, with_verbs):  # warm both: models, tables, the dictionary
        list(pipe.annotate(docs[:3]))
        pipe.timings.clear()
    best = {"without": 0.0, "with": 0.0}
    events = {}
    for _ in range(args.rounds):
        for name, pipe in (("without", plain), ("with", with_verbs)):
            rate, events[name] = throughput(pipe, docs)
            best[name] = max(best[name], rate)
    print(f"sample: {len(docs)} documents, profile {args.profile}, best of {args.rounds} rounds each")
    for name, pipe in (("without", plain), ("with", with_verbs)):
        print(f"  {name:7s} --verbs: {best[name]:6.2f} docs/s  events {events[name]}  candidate stage "
              f"{pipe.timings['events'] / args.rounds:.2f} s a pass")
    print(f"throughput ratio with / without: {best['with'] / best['without']:.3f}  (bar: >= 0.90)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
