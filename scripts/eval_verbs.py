"""Coding PLOVER GSR with a PETRARCH verb dictionary alone, beside the default profiles (issue 21).

Usage: python scripts/eval_verbs.py [--verbs FILE] [--gold FILE] [--rows NAME,...] [--limit N]

Rows: ``verbs-alone`` (the verb dictionary and nothing else: no shipped trigger lexicon, no classifier, no gate;
the PLOVER type comes from the CAMEO->PLOVER table), ``rules`` (the shipped lexicon, no classifier: the fair
baseline, trained on nothing of GSR), ``fast`` / ``accurate`` (the shipped profiles), and ``rules+verbs`` /
``fast+verbs`` / ``accurate+verbs`` (the profile with ``--verbs``). PLOVER GSR gives each sentence a PLOVER type and
its source and target texts, not a CAMEO code, so "CAMEO root" is scored as: the top record's CAMEO code maps, by
the table, to the gold type (a code the table does not know is wrong). A side matches when its token F1 with the
gold texts (``dateline eval events``' measure) reaches 0.5, or when both are empty. The shipped classifiers were
trained on GSR: the profiles' type figures are in-sample; the verbs-alone row is not.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from dateline.evaluation.events import GoldSentence, load_gsr, side_texts, token_f1  # noqa: E402
from dateline.events.lexicon import Lexicon  # noqa: E402
from dateline.events.ontology import cameo_to_plover  # noqa: E402
from dateline.model import Document, Event  # noqa: E402
from dateline.pipeline import Pipeline  # noqa: E402

ROWS = ("verbs-alone", "rules", "rules+verbs", "fast", "fast+verbs", "accurate", "accurate+verbs")


def pipeline(row: str, verbs: str) -> Pipeline:
    if row == "verbs-alone":
        pipe = Pipeline("rules", verb_files=[verbs], gate=False)
        shipped = pipe.lexicon  # keep only which CAMEO codes are mutual (a convention, not a trigger)
        pipe.lexicon = Lexicon(verbs={}, nouns={}, light_verbs=frozenset(), symmetric=shipped.symmetric)
        return pipe
    profile, _, with_verbs = row.partition("+")
    return Pipeline(profile, verb_files=[verbs] if with_verbs else [])


def _root_ok(ev: Event, gold: str) -> bool:
    try:
        coded = cameo_to_plover(ev.cameo) if ev.cameo else None
    except ValueError:
        return False
    return coded is not None and coded[0] == gold


def _side_ok(gold: list[str], pred: list[str]) -> bool:
    return (not gold and not pred) or (bool(gold) and token_f1(gold, pred) >= 0.5)


def score(pipe: Pipeline, rows: list[GoldSentence]) -> dict[str, float]:
    docs = [Document(id=f"gsr-{i}", text=r.text) for i, r in enumerate(rows)]
    n = len(rows)
    counts = dict.fromkeys(("coded", "type", "root", "source", "target", "both", "root_both", "by_rule"), 0)
    f1 = {"source": [], "target": []}
    for gold, ann in zip(rows, pipe.annotate(docs), strict=True):
        if not ann.events:
            for role in f1:
                if getattr(gold, role):
                    f1[role].append(0.0)
            continue
        top = max(ann.events, key=lambda e: e.confidence)
        src, tgt = side_texts(top.source), side_texts(top.target)
        ok_src, ok_tgt = _side_ok(gold.source, src), _side_ok(gold.target, tgt)
        root = _root_ok(top, gold.label or "")
        counts["coded"] += 1
        counts["type"] += top.type == gold.label
        counts["root"] += root
        counts["source"] += ok_src
        counts["target"] += ok_tgt
        counts["both"] += ok_src and ok_tgt
        counts["root_both"] += root and ok_src and ok_tgt
        counts["by_rule"] += top.rule is not None
        for role, pred in (("source", src), ("target", tgt)):
            if getattr(gold, role):
                f1[role].append(token_f1(getattr(gold, role), pred))
    out = {k: v / n for k, v in counts.items()}
    out.update({f"{role}_f1": sum(v) / len(v) for role, v in f1.items() if v})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbs", default=str(SHARED / "dictionaries" / "phoenix" / "CAMEO.2.0.txt"))
    ap.add_argument("--gold", default=str(SHARED / "gold" / "events" / "plover_gsr" / "PLOVER_GSR_CAMEO.txt"))
    ap.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated, of {', '.join(ROWS)}")
    ap.add_argument("--limit", type=int, default=0, help="first N sentences only")
    args = ap.parse_args()
    for path in (args.verbs, args.gold):
        if not Path(path).exists():
            print(f"{path}: absent (read from ../shared at development time)", file=sys.stderr)
            return 2
    rows = load_gsr(args.gold)
    rows = rows[: args.limit] if args.limit else rows
    print(f"PLOVER GSR: {len(rows)} sentences; verbs: {Path(args.verbs).name}")
    print("| row | coded | type | CAMEO root | source | target | both sides | root and both sides | source F1 | "
          "target F1 | top record by a verb rule | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in args.rows.split(","):
        t0 = time.perf_counter()
        r = score(pipeline(row, args.verbs), rows)
        print(f"| {row} | {r['coded']:.3f} | {r['type']:.3f} | {r['root']:.3f} | {r['source']:.3f} | "
              f"{r['target']:.3f} | {r['both']:.3f} | {r['root_both']:.3f} | {r.get('source_f1', 0):.3f} | "
              f"{r.get('target_f1', 0):.3f} | {r['by_rule']:.3f} | {time.perf_counter() - t0:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
