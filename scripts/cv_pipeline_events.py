"""Honest pipeline-level event figures: grouped k-fold CV of the whole pipeline on PLV (fast profile).

For each fold the TF-IDF classifier is trained on the other folds (plus all PLOVER GSR sentences), and the full
pipeline (actors, triggers, arguments, classifier) annotates the held-out sentences; the top event of each is scored
for type, source and target exactly as `dateline eval events` does.

Usage: python scripts/cv_pipeline_events.py [--folds 5] [--limit N]
Needs ../shared/data/gold/events (read only) and scikit-learn (in the project venv).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_event_classifier import fit_fast, save_fast, train_label  # noqa: E402

from dateline.evaluation.events import _score_file, load_gsr, load_plv, predict_top_events  # noqa: E402
from dateline.events.classify import EventClassifier  # noqa: E402
from dateline.pipeline import Pipeline  # noqa: E402

GOLD = ROOT.parent / "shared" / "data" / "gold" / "events"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    from sklearn.model_selection import GroupKFold

    plv = load_plv(GOLD / "plv" / "plv_train.csv")
    if args.limit:
        plv = plv[:: max(len(plv) // args.limit, 1)]
    gsr = load_gsr(GOLD / "plover_gsr" / "PLOVER_GSR_CAMEO.txt")
    rows, preds = [], []
    pipe = Pipeline("fast")
    for k, (tr, te) in enumerate(GroupKFold(n_splits=args.folds).split(plv, groups=[g.group for g in plv])):
        texts = [plv[i].text for i in tr] + [g.text for g in gsr]
        labels = [train_label(plv[i].label or "") for i in tr] + [train_label(g.label or "") for g in gsr]
        with tempfile.TemporaryDirectory() as tmp:
            save_fast(fit_fast(texts, labels), Path(tmp) / "event_tfidf.npz", {"cv_fold": k})
            pipe.classifier = EventClassifier("fast", models_dir=Path(tmp))
            test = [plv[i] for i in te]
            rows += test
            preds += predict_top_events(pipe, [g.text for g in test])
        print(f"fold {k}: {len(te)} sentences", file=sys.stderr)
    result = _score_file(rows, preds, with_roles=True)
    t = result["type"]
    print(json.dumps({"folds": args.folds, "sentences": len(rows), "type_accuracy": t["accuracy"],
                      "macro_f1": t["macro_f1"], "source_token_f1": result.get("source_token_f1"),
                      "target_token_f1": result.get("target_token_f1"),
                      "no_event": sum(p.type is None for p in preds)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
