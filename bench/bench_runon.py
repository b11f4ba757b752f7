"""Cost of run-on text: one clause chain without a full stop, 10k/20k/40k/100k characters, through the whole Pipeline.

Usage: python bench/bench_runon.py [--sizes 10000,20000,40000,100000] [--profile accurate|fast|rules] [--limit N]

Prints, per size: seconds, seconds per 10,000 characters, the longest sentence the stages saw (tokens), events found,
and time per stage. With sentences capped (``dateline.nlp.MAX_SENT_TOKENS``) the time per 10k characters should stay
flat (within 2x); before the cap a 40,000-character chain ran for minutes. ``--limit N`` runs with another cap
(``--limit 0``: none, to measure the uncapped cost; keep sizes small then).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline import nlp  # noqa: E402
from dateline.model import Document  # noqa: E402
from dateline.pipeline import Pipeline  # noqa: E402

CLAUSES = (
    "the minister said that the army attacked the town",
    "the rebels burned the bridge near the border",
    "the president accused the opposition of treason",
    "police arrested protesters in the capital",
    "the government imposed sanctions on the neighbouring country",
    "troops fired on the crowd outside the parliament",
)


def runon(n: int) -> str:
    """``n`` characters of clauses joined by ", and " with no full stop."""
    parts: list[str] = []
    length = 0
    while length < n:
        clause = CLAUSES[len(parts) % len(CLAUSES)]
        parts.append(clause)
        length += len(clause) + 6
    text = ", and ".join(parts)
    return (text[0].upper() + text[1:])[:n]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,20000,40000,100000")
    ap.add_argument("--profile", default="accurate")
    ap.add_argument("--limit", type=int, default=None, help="sentence cap in tokens (0: none)")
    args = ap.parse_args()
    pipe = Pipeline(args.profile)
    if args.limit is not None:
        cap = pipe.nlp.get_pipe("dateline_sentence_cap")
        cap.limit = args.limit or 10**9
    warm = Document(id="warm", text="Putin met Kim in Vostochny.", published=dt.date(2023, 9, 13))
    list(pipe.annotate([warm]))
    print(f"profile: {args.profile}  sentence cap: {pipe.nlp.get_pipe('dateline_sentence_cap').limit} tokens "
          f"(nlp.MAX_SENT_TOKENS = {nlp.MAX_SENT_TOKENS})")
    print(f"{'chars':>8} {'seconds':>8} {'s/10k':>7} {'longest':>8} {'events':>7}  stages (s)")
    for n in (int(s) for s in args.sizes.split(",")):
        doc = Document(id=f"runon-{n}", text=runon(n), published=dt.date(2023, 9, 13))
        pipe.timings.clear()
        t0 = time.perf_counter()
        ann = list(pipe.annotate([doc]))
        secs = time.perf_counter() - t0
        longest = max((len(s) for s in pipe.nlp(doc.text).sents), default=0)
        events = len(ann[0].events) if ann else 0
        stages = " ".join(f"{k}={v:.2f}" for k, v in pipe.timings.items())
        print(f"{n:>8} {secs:>8.2f} {secs / n * 10_000:>7.2f} {longest:>8} {events:>7}  {stages}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
