"""Share of asserted events whose named sides all carry a country (issue 17), on story files.

A side is "named" when it holds an actor mention that is not a bare argument phrase; the figure is the share of
asserted events with at least one named side whose named sides all resolve to a country. Compare dictionaries with
``--dictionary OLD.json.gz`` (default: the shipped one).

    python scripts/actor_coverage.py ../shared/data/corpora/voa/stories.jsonl --limit 300 [--dictionary FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.actors import stage as actor_stage  # noqa: E402
from dateline.pipeline import Pipeline  # noqa: E402
from dateline.read import read  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--limit", type=int, default=300, help="stories per file")
    ap.add_argument("--dictionary", help="an actors.json.gz to use instead of the shipped one")
    ap.add_argument("--fast", action="store_true")
    args = ap.parse_args()
    if args.dictionary:
        actor_stage.SHIPPED = Path(args.dictionary)
    pipe = Pipeline("fast" if args.fast else "accurate")
    for path in args.paths:
        docs = []
        for doc in read([path]):
            docs.append(doc)
            if len(docs) >= args.limit:
                break
        named = with_country = 0
        for ann in pipe.annotate(docs):
            for ev in ann.events:
                if ev.status != "asserted":
                    continue
                sides = [a for a in (*ev.source, *ev.target) if a.get("kind") != "argument"]
                if sides:
                    named += 1
                    with_country += all(a.get("country") for a in sides)
        print(f"{path}: {len(docs)} stories, {named} asserted events with a named side, "
              f"{with_country / max(named, 1):.3f} with a country on every named side")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
