"""Scoring event coding against gold files: PLV CSV, PLOVER GSR JSON, ConfliBERT TSV.

Metrics: type accuracy and macro-F1 of the top event per sentence, a confusion matrix, source/target token F1
(with the full pipeline) and, for ConfliBERT's CAMEO classes, QuadClass accuracy. Gold YIELD (PLV) counts as right
when the prediction is CONCEDE or RETREAT. Only the standard library is imported at module level: the training
script reuses the gold loaders.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# PLOVER GSR (v0.5b1) names -> v2.0; YIELD stays YIELD (either CONCEDE or RETREAT).
GSR_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}
YIELD_TYPES = ("CONCEDE", "RETREAT")


@dataclass
class GoldSentence:
    """One gold sentence with its event type (v2.0 name, or YIELD) and the texts of its source and target."""

    text: str
    label: str | None  # PLOVER type, "YIELD", or None (ConfliBERT rows: see quad)
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    group: str = ""  # rows sharing a group repeat one sentence (for grouped CV)
    quad: int | None = None  # ConfliBERT: 0 statement, 1..4 QuadClass
    corpus: str = ""


def load_plv(path: str | Path) -> list[GoldSentence]:
    """PLV CSV (text, label, meta with ``sentence_id=N``, source, target)."""
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            m = re.search(r"sentence_id=(\d+)", row.get("meta") or "")
            label = (row.get("label") or "").strip().upper()
            out.append(GoldSentence(row["text"].strip(), GSR_NAMES.get(label, label),
                                    [row["source"].strip()] if (row.get("source") or "").strip() else [],
                                    [row["target"].strip()] if (row.get("target") or "").strip() else [],
                                    f"plv:{m.group(1) if m else i}", corpus="plv"))
    return out


def _actor_texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [a["actorText"].strip() for a in value if isinstance(a, dict) and a.get("actorText")]
    return []


def load_gsr(path: str | Path) -> list[GoldSentence]:
    """PLOVER GSR JSON (v0.5b1 names mapped to v2.0; the DOCUMENT record is skipped)."""
    out = []
    for rec in json.loads(Path(path).read_text(encoding="utf-8")):
        event = (rec.get("event") or "").upper()
        if event == "DOCUMENT" or not rec.get("text"):
            continue
        out.append(GoldSentence(rec["text"].strip(), GSR_NAMES.get(event, event), _actor_texts(rec.get("source")),
                                _actor_texts(rec.get("target")), f"gsr:{rec.get('id')}", corpus="gsr"))
    return out


def load_conflibert(path: str | Path) -> list[GoldSentence]:
    """ConfliBERT ``cameo_class`` TSV: sentence, tab, class 0 (statement) or 1..4 (QuadClass)."""
    out = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        parts = line.rsplit("\t", 1)
        if len(parts) == 2 and parts[1].strip().isdigit():
            out.append(GoldSentence(parts[0].strip(), None, group=f"cb:{i}", quad=int(parts[1]), corpus="conflibert"))
    return out


def load_gold(path: str | Path) -> list[GoldSentence]:
    """Load any supported gold file, by extension and content."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        return load_plv(p)
    if p.suffix.lower() == ".tsv":
        return load_conflibert(p)
    head = p.read_text(encoding="utf-8")[:200].lstrip()
    if head.startswith("["):
        return load_gsr(p)
    raise ValueError(f"unsupported gold file: {path}")


# ---------------------------------------------------------------- scoring

_STOP = {"the", "a", "an", "s"}


def tokens(text: str) -> list[str]:
    """Lower-case word tokens for source/target overlap (articles and possessive 's dropped)."""
    return [t for t in re.findall(r"\w+", text.lower()) if t not in _STOP]


def token_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Bag-of-tokens F1 between the gold actor texts and the predicted ones of one role."""
    g = Counter(t for s in gold for t in tokens(s))
    p = Counter(t for s in pred for t in tokens(s))
    overlap = sum((g & p).values())
    if not g and not p:
        return 1.0
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Prediction:
    """The top event predicted for a sentence: type (None when no event) and the texts of source and target."""

    type: str | None
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    quad: int | None = None


def _predict_classifier(texts: list[str], profile: str) -> list[Prediction]:
    from dateline.events.classify import get_classifier
    from dateline.events.ontology import code_event
    out = []
    for ptype, _ in get_classifier("fast" if profile == "rules" else profile).top(texts):
        out.append(Prediction(ptype, quad=code_event(ptype)["quad_class"]))
    return out


def _predict_pipeline(texts: list[str], profile: str) -> list[Prediction]:
    from dateline.pipeline import Pipeline
    return predict_top_events(Pipeline(profile=profile), texts)


def side_texts(side: list[dict]) -> list[str]:
    """What a side says in the sentence, as gold sets mark it: each actor's argument phrase where it has one, else
    its mention; a phrase shared by coordinated actors ("Iran and Lebanon") counts once."""
    return list(dict.fromkeys(a.get("phrase") or a.get("text", "") for a in side))


def predict_top_events(pipe: Any, texts: list[str]) -> list[Prediction]:
    """The most confident event of each text under ``pipe`` (a :class:`dateline.pipeline.Pipeline`)."""
    from dateline.model import Document
    docs = [Document(id=f"gold-{i}", text=t) for i, t in enumerate(texts)]
    out = []
    for ann in pipe.annotate(docs):
        if not ann.events:
            out.append(Prediction(None))
            continue
        top = max(ann.events, key=lambda e: e.confidence)  # stable: the first of equal confidence
        out.append(Prediction(top.type, side_texts(top.source), side_texts(top.target), top.quad_class))
    return out


def _type_scores(gold: list[str], pred: list[str | None]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold labels, per-label F1 and confusion (gold -> predicted -> count)."""
    pred_s = [p or "NONE" for p in pred]
    labels = sorted(set(gold))
    per_label = {}
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred_s, strict=True))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred_s, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred_s, strict=True))
        per_label[lab] = round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
    confusion: dict[str, dict[str, int]] = {}
    for g, p in zip(gold, pred_s, strict=True):
        confusion.setdefault(g, {}).setdefault(p, 0)
        confusion[g][p] += 1
    correct = sum(g == p for g, p in zip(gold, pred_s, strict=True))
    return {"n": len(gold), "accuracy": round(correct / len(gold), 4) if gold else 0.0,
            "macro_f1": round(sum(per_label.values()) / len(per_label), 4) if per_label else 0.0,
            "f1": per_label, "confusion": confusion}


def _score_file(rows: list[GoldSentence], preds: list[Prediction], with_roles: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"sentences": len(rows)}
    typed = [(r, p) for r, p in zip(rows, preds, strict=True) if r.label]
    if typed:
        has_yield = any(r.label == "YIELD" for r, _ in typed)
        gold = [r.label or "" for r, _ in typed]
        pred = [("YIELD" if has_yield and p.type in YIELD_TYPES else p.type) for _, p in typed]
        result["type"] = _type_scores(gold, pred)
    quads = [(r, p) for r, p in zip(rows, preds, strict=True) if r.quad]  # class 0 (statements) not scored
    if quads:
        result["quad_class"] = {"n": len(quads),
                                "accuracy": round(sum(r.quad == p.quad for r, p in quads) / len(quads), 4)}
    if with_roles:
        for role in ("source", "target"):
            scores = [token_f1(getattr(r, role), getattr(p, role)) for r, p in typed if getattr(r, role)]
            if scores:
                result[f"{role}_token_f1"] = round(sum(scores) / len(scores), 4)
                result[f"{role}_n"] = len(scores)
    return result


def evaluate(paths: list[str], profile: str = "accurate", classifier_only: bool = False, limit: int = 0,
             **options: Any) -> dict[str, Any]:
    """Score event coding on gold files; ``classifier_only`` scores the sentence classifier without the pipeline
    (type metrics only). ``limit`` keeps the first N sentences of each file."""
    result: dict[str, Any] = {"profile": profile, "classifier_only": classifier_only, "files": {}}
    for path in paths:
        rows = load_gold(path)
        if limit:
            rows = rows[:limit]
        texts = [r.text for r in rows]
        preds = _predict_classifier(texts, profile) if classifier_only else _predict_pipeline(texts, profile)
        result["files"][str(path)] = _score_file(rows, preds, with_roles=not classifier_only)
    return result


def report(result: dict[str, Any]) -> str:
    """A plain-text summary of :func:`evaluate`'s result."""
    what = "classifier only" if result.get("classifier_only") else "pipeline"
    lines = [f"events ({result.get('profile')} profile, {what})"]
    for path, r in result["files"].items():
        lines.append(f"{path}: {r['sentences']} sentences")
        if "type" in r:
            t = r["type"]
            lines.append(f"  type accuracy {t['accuracy']:.3f}  macro-F1 {t['macro_f1']:.3f}  (n={t['n']})")
            lines.append("  per-type F1: " + ", ".join(f"{k} {v:.2f}" for k, v in t["f1"].items()))
            lines.append("  most confused (gold -> predicted):")
            pairs = sorted(((n, g, p) for g, row in t["confusion"].items() for p, n in row.items() if g != p),
                           reverse=True)[:8]
            lines += [f"    {g} -> {p}: {n}" for n, g, p in pairs]
        if "quad_class" in r:
            lines.append(f"  QuadClass accuracy {r['quad_class']['accuracy']:.3f} (n={r['quad_class']['n']})")
        for role in ("source", "target"):
            if f"{role}_token_f1" in r:
                lines.append(f"  {role} token F1 {r[f'{role}_token_f1']:.3f} (n={r[f'{role}_n']})")
    return "\n".join(lines)
