"""Train the event gate (dateline.events.gate) and report its grouped cross-validation on news_silver.

Reads only from ../shared at development time (news_silver stories and annotations, PLV sentences); ships only the
learned weights (``src/dateline/data/models/event_gate_{profile}.npz``).

    python scripts/train_gate.py --profile accurate [--folds 5] [--min-p 0.3] [--no-save]

Labels: a record in an annotated news_silver sentence is right when a gold event of the sentence has its type
(records in sentences without a gold event are wrong); a record of a PLV sentence is right when its type is the
sentence's label. PLV sentences are in every training fold (they share no story with news_silver); the CV folds are
news_silver stories (GroupKFold), so no fold model sees its test stories; stories of ``--extra`` folders (more
annotated stories, ``scripts/build_news_extra.py``) are folded the same way and reported apart. The report gives the
news measures of the out-of-fold gate at several minimum probabilities, and the calibration of its probability. The shipped minimum is
the lowest probability at which 80 % of the asserted records lie in sentences that hold an event (``PRECISION_TARGET``);
when none reaches it, the one that comes closest (the higher on a tie). With ``--calibrate`` the record's confidence
is the probability mapped by Platt scaling on the news records (the minimum stays on the probability's scale).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.evaluation import documents, news  # noqa: E402
from dateline.evaluation.events import YIELD_TYPES, load_plv  # noqa: E402
from dateline.events.gate import Gate, hash_features, model_path  # noqa: E402
from dateline.model import Document  # noqa: E402
from dateline.pipeline import Pipeline  # noqa: E402

# the shipped minimum: the lowest whose out-of-fold share of asserted records in event sentences reaches this
PRECISION_TARGET = 0.80
GOLD = ROOT.parent / "shared" / "data" / "gold" / "events"


def _run(pipe: Pipeline, docs: list[Document]) -> list[tuple[str, dict, dict]]:
    pipe.gate_log = []
    for _ in pipe.annotate(docs):
        pass
    log, pipe.gate_log = pipe.gate_log, None
    return log


def silver_rows(pipe: Pipeline, gold: news.NewsGold) -> list[tuple[str, dict, dict, int]]:
    """(story, event, features, label) of every record whose trigger lies in an annotated sentence."""
    out = []
    for story, ev, feats in _run(pipe, documents(gold.stories)):
        sent = next((s for s in gold.sentences.get(story, []) if s.start <= ev["trigger"]["start"] < s.end), None)
        if sent is not None:
            out.append((story, ev, feats, int(news.judge_event(ev, sent.events)["type"])))
    return out


def plv_rows(pipe: Pipeline) -> list[tuple[str, dict, dict, int]]:
    rows = load_plv(GOLD / "plv" / "plv_train.csv")
    docs = [Document(id=f"plv-{k}", text=r.text) for k, r in enumerate(rows)]
    out = []
    for doc_id, ev, feats in _run(pipe, docs):
        label = rows[int(doc_id[4:])].label
        right = ev["type"] == label or (label == "YIELD" and ev["type"] in YIELD_TYPES)
        out.append((doc_id, ev, feats, int(right)))
    return out


def _kept(p: float, thr: float, feats: dict, floor: float | None) -> bool:
    """The shipped policy at minimum ``thr`` (curated-pattern records need only ``floor``), or (None) a plain bar."""
    return p >= thr or (floor is not None and bool(feats.get("pattern=True")) and p >= floor)


def _plv_top(plv: list, probs: np.ndarray, thr: float, floor: float | None) -> float | None:
    """PLV top-event type accuracy under the out-of-fold gate: the most probable kept record of each sentence."""
    n_sentences = len(load_plv(GOLD / "plv" / "plv_train.csv"))
    best: dict[str, tuple[float, int]] = {}
    for (doc, _, feats, right), p in zip(plv, probs, strict=True):
        if _kept(p, thr, feats, floor) and (doc not in best or p > best[doc][0]):
            best[doc] = (float(p), right)
    return round(sum(r for _, r in best.values()) / n_sentences, 3) if plv else None


def fit(feats: list[dict], labels: list[int], c: float, weights: list[float] | None = None) -> Gate:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit(hash_features(feats), labels, sample_weight=weights)
    return Gate(lr.coef_.ravel().astype(np.float64), float(lr.intercept_[0]), 0.0)


@dataclass
class Calibration:
    """A monotone map from the gate's raw probability to the share of records that are right."""

    x: np.ndarray
    y: np.ndarray

    def apply(self, p: np.ndarray) -> np.ndarray:
        return np.interp(p, self.x, self.y)


def calibrate(p: np.ndarray, labels: list[int]) -> Calibration:
    """A logistic fit of the labels on the probability's logit (Platt scaling: smooth where isotonic steps are noisy
    on ~1,300 records), kept as breakpoints of a piecewise-linear map."""
    from sklearn.linear_model import LogisticRegression

    logit = lambda q: np.log(np.clip(q, 1e-6, 1 - 1e-6) / (1 - np.clip(q, 1e-6, 1 - 1e-6)))  # noqa: E731
    lr = LogisticRegression(C=1e6).fit(logit(np.asarray(p)).reshape(-1, 1), labels)
    x = np.linspace(0.0, 1.0, 101)
    y = 1.0 / (1.0 + np.exp(-(lr.coef_[0, 0] * logit(x) + lr.intercept_[0])))
    return Calibration(x, y)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", default="accurate", choices=("accurate", "fast"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=0.5, help="inverse regularisation of the logistic regression")
    ap.add_argument("--min-p", type=float, default=None, help="the shipped minimum (default: chosen by CV)")
    ap.add_argument("--plv-weight", type=float, default=0.3,
                    help="weight of each PLV record in training (0: PLV only measured, not trained on)")
    ap.add_argument("--keep-patterns", action="store_true",
                    help="score the shipped policy (curated-pattern records need only --pattern-min)")
    ap.add_argument("--pattern-min", type=float, default=0.0, help="the least probability a curated-pattern record needs")
    ap.add_argument("--cache", help="pickle of the pipeline's records, reused when it exists (for trying settings)")
    ap.add_argument("--extra", action="append", default=[],
                    help="a further annotated news folder (news_silver layout, e.g. from scripts/build_news_extra.py) "
                         "whose records join every training fold; repeatable")
    ap.add_argument("--extra-weight", type=float, default=1.0, help="weight of each record of the --extra folders")
    ap.add_argument("--calibrate", action="store_true",
                    help="map the probability to the share right by a logistic fit on its logit over the news records (cross-fitted "
                         "in the report), so that confidence is calibrated on whole stories")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args()
    from sklearn.model_selection import GroupKFold

    gold = news.load_news(GOLD / "news_silver")
    cached: dict = pickle.loads(Path(args.cache).read_bytes()) if args.cache and Path(args.cache).is_file() else {}
    if isinstance(cached, tuple):  # the earlier cache layout: (silver, plv)
        cached = dict(zip(("silver", "plv"), cached, strict=True))
    pipe = None
    if "silver" not in cached:
        pipe = Pipeline(profile=args.profile, gate=False)
        cached.update(silver=silver_rows(pipe, gold), plv=plv_rows(pipe))
    silver, plv = cached["silver"], cached["plv"]
    extra: list = []
    extra_gold = news.NewsGold([], {})
    for folder in args.extra:
        key = f"extra:{Path(folder).resolve()}"
        folder_gold = news.load_news(folder)
        extra_gold.stories.extend(folder_gold.stories)
        extra_gold.sentences.update(folder_gold.sentences)
        if key not in cached:
            pipe = pipe or Pipeline(profile=args.profile, gate=False)
            cached[key] = silver_rows(pipe, folder_gold)
        extra += cached[key]
    if args.cache and pipe is not None:
        Path(args.cache).write_bytes(pickle.dumps(cached))
    print(f"records: silver {len(silver)} ({sum(r[3] for r in silver)} right), plv {len(plv)} "
          f"({sum(r[3] for r in plv)} right), extra {len(extra)} ({sum(r[3] for r in extra)} right)", file=sys.stderr)
    rows = silver + plv + extra
    weights = [1.0] * len(silver) + [args.plv_weight] * len(plv) + [args.extra_weight] * len(extra)
    oof_all = np.zeros(len(rows))
    folds = list(GroupKFold(n_splits=args.folds).split(rows, groups=[r[0] for r in rows]))
    for tr, te in folds:
        tr = [i for i in tr if weights[i] > 0]
        g = fit([rows[i][2] for i in tr], [rows[i][3] for i in tr], args.c, [weights[i] for i in tr])
        oof_all[te] = g.probability([rows[i][2] for i in te])
    news_rows = [i for i, r in enumerate(rows) if i < len(silver) or i >= len(silver) + len(plv)]
    conf_all = oof_all.copy()  # the records' confidence: the probability, or its calibrated value
    if args.calibrate:  # cross-fitted: each fold's probabilities mapped by the news records of the other folds
        for _, te in folds:
            held = set(te.tolist())
            fit_on = [i for i in news_rows if i not in held]
            conf_all[te] = calibrate(oof_all[fit_on], [rows[i][3] for i in fit_on]).apply(oof_all[te])
    oof, oof_plv = oof_all[:len(silver)], oof_all[len(silver):len(silver) + len(plv)]
    conf = conf_all[:len(silver)]
    # calibration of the out-of-fold confidence
    report: dict = {"profile": args.profile, "records": len(silver), "calibrated": args.calibrate, "calibration": {},
                    "thresholds": {}}
    labels = np.array([r[3] for r in silver])
    for lo, hi in ((0, .2), (.2, .4), (.4, .6), (.6, .8), (.8, 1.01)):
        m = (conf >= lo) & (conf < hi)
        report["calibration"][f"{lo:.1f}-{min(hi, 1):.1f}"] = {"n": int(m.sum()),
                                                               "right": round(float(labels[m].mean()), 3) if m.any() else None}
    chosen = None
    floor = args.pattern_min if args.keep_patterns else None
    report["pattern_min"] = floor
    for thr in (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        events: dict[str, list[dict]] = {}
        for (story, ev, feats, _), p, c in zip(silver, oof, conf, strict=True):
            if _kept(p, thr, feats, floor):
                events.setdefault(story, []).append({**ev, "confidence": float(c)})
        r = news.score(gold, events)["all"]
        report["thresholds"][thr] = {"precision": r["precision"], "recall": r["recall"], "asserted": r["asserted"],
                                     "high_confidence": r["confidence_bands"], "plv_top_type": _plv_top(plv, oof_plv, thr, floor)}
        if chosen is None and (r["precision"]["in_event_sentence"] or 0) >= PRECISION_TARGET:
            chosen = thr
    if chosen is None:  # no minimum reaches the target: the one closest to it (the higher minimum on a tie)
        chosen = max(report["thresholds"], key=lambda t: (report["thresholds"][t]["precision"]["in_event_sentence"]
                                                          or 0, t))
    report["chosen_min_p"] = args.min_p if args.min_p is not None else chosen
    if extra:  # the extra stories' own out-of-fold measures at the chosen minimum
        kept: dict[str, list[dict]] = {}
        for (story, ev, feats, _), p, c in zip(extra, oof_all[len(silver) + len(plv):],
                                              conf_all[len(silver) + len(plv):], strict=True):
            if _kept(p, report["chosen_min_p"], feats, floor):
                kept.setdefault(story, []).append({**ev, "confidence": float(c)})
        r = news.score(extra_gold, kept)["all"]
        report["extra"] = {"precision": r["precision"], "recall": r["recall"], "asserted": r["asserted"]}
    print(json.dumps(report, indent=1))
    if not args.no_save:
        keep = [i for i, w in enumerate(weights) if w > 0]
        g = fit([rows[i][2] for i in keep], [rows[i][3] for i in keep], args.c, [weights[i] for i in keep])
        g.minimum, g.pattern_minimum = report["chosen_min_p"], args.pattern_min if args.keep_patterns else 0.0
        if args.calibrate:  # the map from every news record's out-of-fold probability
            cal = calibrate(oof_all[news_rows], [rows[i][3] for i in news_rows])
            g.calibration = (cal.x, cal.y)
        g.save(model_path(args.profile))
        print(f"saved {model_path(args.profile)} (minimum {g.minimum})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
