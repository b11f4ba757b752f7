"""Honest pipeline-level event figures: grouped k-fold CV of the whole pipeline on PLV.

fast:     for each fold the TF-IDF classifier is trained here on the other folds (plus all PLOVER GSR sentences).
accurate: each fold's int8 ONNX model comes from the training script, which exports it with its held-out rows:
          /work/trainvenv/bin/python scripts/train_event_classifier.py --profile accurate --cv 5 --no-final \\
              --fold-models /tmp/folds
          python scripts/cv_pipeline_events.py --profile accurate --fold-models /tmp/folds
The full pipeline (actors, triggers, arguments, classifier) annotates the held-out sentences; the top event of each is
scored for type, source and target exactly as `dateline eval events` does.

Usage: python scripts/cv_pipeline_events.py [--folds 5] [--limit N] [--dump PATH]
Needs ../shared/data/gold/events (read only) and scikit-learn (in the project venv).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_event_classifier import fit_fast, save_fast, train_label  # noqa: E402

from dateline.evaluation.events import GoldSentence, _score_file, load_gsr, load_plv, predict_top_events  # noqa: E402
from dateline.events.classify import EventClassifier  # noqa: E402
from dateline.pipeline import Pipeline  # noqa: E402

GOLD = ROOT.parent / "shared" / "data" / "gold" / "events"


def fast_folds(plv: list[GoldSentence], folds: int) -> Iterator[tuple[EventClassifier, list[int]]]:
    """(classifier trained without the fold, held-out row numbers) for each grouped fold."""
    from sklearn.model_selection import GroupKFold
    gsr = load_gsr(GOLD / "plover_gsr" / "PLOVER_GSR_CAMEO.txt")
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(plv, groups=[g.group for g in plv])):
        texts = [plv[i].text for i in tr] + [g.text for g in gsr]
        labels = [train_label(plv[i].label or "") for i in tr] + [train_label(g.label or "") for g in gsr]
        with tempfile.TemporaryDirectory() as tmp:
            save_fast(fit_fast(texts, labels), Path(tmp) / "event_tfidf.npz", {"cv_fold": k})
            yield EventClassifier("fast", models_dir=Path(tmp)), [int(i) for i in te]


def accurate_folds(plv: list[GoldSentence], directory: Path) -> Iterator[tuple[EventClassifier, list[int]]]:
    """The fold models exported by the training script, with the rows each was not trained on."""
    for fold_dir in sorted(directory.glob("fold*")):
        rows = json.loads((fold_dir / "test_rows.json").read_text())
        for r in rows:
            if plv[r["row"]].text != r["text"]:
                raise SystemExit(f"{fold_dir}: row {r['row']} is not the PLV sentence it was trained without")
        yield EventClassifier("accurate", models_dir=fold_dir), [r["row"] for r in rows]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", choices=["fast", "accurate"], default="fast")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fold-models", type=Path, default=None, help="accurate: directory of foldK model directories")
    ap.add_argument("--limit", type=int, default=0, help="fast: use every len/N-th PLV row only")
    ap.add_argument("--dump", type=Path, default=None, help="write per-sentence gold and predictions (JSON)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="override a coding threshold of the profile (mined, curated, untyped), e.g. curated=0.5")
    ap.add_argument("--min-confidence", type=float, default=None,
                    help="a plain bar on the event gate's probability instead of the shipped policy (0: gate off)")
    args = ap.parse_args()
    overrides = {}
    for item in args.set:
        name, _, value = item.partition("=")
        if name not in ("mined", "curated", "untyped"):
            ap.error(f"--set: no threshold {name!r}")
        overrides[name] = float(value)
    plv = load_plv(GOLD / "plv" / "plv_train.csv")
    if args.profile == "accurate":
        if not args.fold_models:
            ap.error("--profile accurate needs --fold-models (see the module docstring)")
        folds = accurate_folds(plv, args.fold_models)
    else:
        if args.limit:
            plv = plv[:: max(len(plv) // args.limit, 1)]
        folds = fast_folds(plv, args.folds)
    rows, preds, tops = [], [], []
    pipe = Pipeline(args.profile, min_confidence=args.min_confidence)
    pipe.thresholds = dataclasses.replace(pipe.thresholds, **overrides)
    for k, (classifier, test_rows) in enumerate(folds):
        pipe.classifier = classifier
        test = [plv[i] for i in test_rows]
        rows += test
        preds += predict_top_events(pipe, [g.text for g in test])
        tops += classifier.top([g.text for g in test])
        print(f"fold {k}: {len(test)} sentences", file=sys.stderr)
    result = _score_file(rows, preds, with_roles=True)
    t = result["type"]
    print(json.dumps({"profile": args.profile, "thresholds": dataclasses.asdict(pipe.thresholds), "folds": k + 1, "sentences": len(rows),
                      "type_accuracy": t["accuracy"], "macro_f1": t["macro_f1"],
                      "source_token_f1": result.get("source_token_f1"),
                      "target_token_f1": result.get("target_token_f1"),
                      "classifier_alone_accuracy": round(sum(
                          train_label(c[0]) == train_label(r.label or "") for c, r in zip(tops, rows, strict=True))
                          / len(rows), 4),
                      "no_event": sum(p.type is None for p in preds)}, indent=1))
    if args.dump:
        args.dump.write_text(json.dumps([
            {"text": r.text, "label": r.label, "source": r.source, "target": r.target, "pred_type": p.type,
             "pred_source": p.source, "pred_target": p.target, "classifier": c[0], "classifier_p": round(c[1], 3)}
            for r, p, c in zip(rows, preds, tops, strict=True)], indent=0) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
