"""The event gate: a learned check "is this record a codable PLOVER event of this type, with these sides".

Every coded record gets features from its trigger, its sentence, its sides and the classifier's probabilities; a
logistic regression over hashed features (trained by ``scripts/train_gate.py`` on news_silver stories and PLV
sentences, in cross-validation grouped by story) turns them into the probability that the record's type is right.
Records under the gate's minimum probability are not kept; the record's ``confidence`` is the probability mapped to the
share of such records that are right on news (Platt scaling, shipped with the weights).
The model ships as ``data/models/event_gate_{profile}.npz``; without it the gate keeps every record and the
hand-set confidence stands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Span, Token

MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "models"
N_FEATURES = 2**15
_THING_POS = {"NOUN", "NUM", "PRON"}
QUOTES = "\"“”"


@dataclass
class GateInput:
    """What the gate sees of one record."""

    sent: Span
    trigger: Token
    type: str
    cameo: str | None
    status: str
    pattern: bool
    nominal: bool
    is_main: bool
    n_coded: int
    rank: int
    sentence_index: int
    probs: dict[str, float] | None
    p_none: float | None  # the classifier's probability that the sentence holds no event, where it has that class
    source: list[dict[str, Any]]
    target: list[dict[str, Any]]
    loose_source: bool
    loose_target: bool
    date_text: str | None
    has_location: bool
    old_confidence: float


def _side(prefix: str, side: list[dict[str, Any]], doc: Any) -> dict[str, float]:
    f: dict[str, float] = {f"{prefix}:n={min(len(side), 3)}": 1.0}
    for a in side[:2]:
        f[f"{prefix}:country={bool(a.get('country'))}"] = 1.0
        f[f"{prefix}:sector={a.get('sector') or '-'}"] = 1.0
        f[f"{prefix}:id={bool(a.get('id'))}"] = 1.0
        span = doc.char_span(a["start"], a["end"], alignment_mode="expand")
        if span is not None:
            root = span.root
            f[f"{prefix}:pos={root.pos_}"] = 1.0
            f[f"{prefix}:ent={root.ent_type_ or '-'}"] = 1.0
            f[f"{prefix}:lemma={root.lemma_.lower()}"] = 1.0
            f[f"{prefix}:thing={root.pos_ in _THING_POS and not a.get('country') and not a.get('sector')}"] = 1.0
    return f


def features(g: GateInput) -> dict[str, float]:
    """Named features of one record (hashed by the model)."""
    t = g.trigger
    lemma = t.lemma_.lower()
    f: dict[str, float] = {
        "bias": 1.0, f"type={g.type}": 1.0, f"cameo={(g.cameo or '')[:3]}": 1.0, f"status={g.status}": 1.0,
        f"lemma={lemma}": 1.0, f"lemma_type={lemma}|{g.type}": 1.0, f"pos={t.pos_}": 1.0, f"dep={t.dep_}": 1.0,
        f"pattern={g.pattern}": 1.0, f"nominal={g.nominal}": 1.0, f"main={g.is_main}": 1.0,
        f"n_coded={min(g.n_coded, 4)}": 1.0, f"rank={min(g.rank, 3)}": 1.0,
        f"sent_index={min(g.sentence_index, 6)}": 1.0, f"loose_source={g.loose_source}": 1.0,
        f"loose_target={g.loose_target}": 1.0, f"dated={bool(g.date_text)}": 1.0, f"located={g.has_location}": 1.0,
        "old_confidence": g.old_confidence, f"head={t.head.lemma_.lower()}": 1.0,
        f"sent_len={min(len(g.sent) // 10, 6)}": 1.0, f"quote={any(c in g.sent.text for c in QUOTES)}": 1.0,
    }
    if g.probs:
        top_type, top_p = max(g.probs.items(), key=lambda kv: kv[1])
        f["p_type"] = g.probs.get(g.type, 0.0)
        f["p_top"] = top_p
        f[f"top_is_type={top_type == g.type}"] = 1.0
        f[f"top={top_type}"] = 1.0
        f["entropy"] = -sum(p * math.log(p + 1e-9) for p in g.probs.values()) / math.log(len(g.probs))
    if g.p_none is not None:
        f["p_none"] = g.p_none
        f[f"none_band={min(int(g.p_none * 5), 4)}"] = 1.0
    for tok in g.sent:
        if not tok.is_stop and tok.is_alpha:
            f[f"w={tok.lemma_.lower()}"] = 0.3
    f.update(_side("src", g.source, g.sent.doc))
    f.update(_side("tgt", g.target, g.sent.doc))
    return f


def hash_features(feats: list[dict[str, float]]) -> Any:
    """A sparse matrix of hashed features (the one hashing the model was trained with)."""
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=N_FEATURES, input_type="dict", alternate_sign=False).transform(feats)


@dataclass
class Gate:
    """A trained gate: weights over hashed features, the least probability a kept record needs, and the least a
    record coded by a curated trigger pattern needs (such records are the user's rules, kept under ``minimum``
    unless the gate all but rules them out)."""

    coef: np.ndarray
    intercept: float
    minimum: float
    pattern_minimum: float = 0.0
    calibration: tuple[np.ndarray, np.ndarray] | None = None  # raw -> calibrated breakpoints, if any

    def probability(self, feats: list[dict[str, float]]) -> list[float]:
        """The model's probability of each record (the scale ``minimum`` is on)."""
        if not feats:
            return []
        z = hash_features(feats) @ self.coef + self.intercept
        return [float(x) for x in 1.0 / (1.0 + np.exp(-np.asarray(z).ravel()))]

    def confidence(self, probability: float) -> float:
        """A record's ``confidence``: its probability mapped to the share of such records that are right on whole
        stories (Platt scaling, measured out of fold), or the probability itself for an uncalibrated gate."""
        return float(np.interp(probability, *self.calibration)) if self.calibration is not None else probability

    def keeps(self, probability: float, feats: dict[str, float]) -> bool:
        """The default policy: ``minimum``, or ``pattern_minimum`` for a record a curated pattern coded."""
        return probability >= (self.pattern_minimum if feats.get("pattern=True") else self.minimum)

    def save(self, path: Path) -> None:
        extra = {} if self.calibration is None else {"cal_x": self.calibration[0], "cal_y": self.calibration[1]}
        np.savez_compressed(path, coef=self.coef.astype(np.float32), intercept=np.array([self.intercept]),
                            minimum=np.array([self.minimum]), pattern_minimum=np.array([self.pattern_minimum]),
                            **extra)


def model_path(profile: str) -> Path:
    return MODEL_DIR / f"event_gate_{'fast' if profile == 'fast' else 'accurate'}.npz"


@lru_cache(maxsize=4)
def get_gate(profile: str) -> Gate | None:
    """The shipped gate of a profile, or None when none ships (the gate then keeps every record)."""
    path = model_path(profile)
    if not path.is_file():
        return None
    with np.load(path) as z:
        floor = float(z["pattern_minimum"][0]) if "pattern_minimum" in z.files else 0.0
        cal = (z["cal_x"].astype(np.float64), z["cal_y"].astype(np.float64)) if "cal_x" in z.files else None
        return Gate(z["coef"].astype(np.float64), float(z["intercept"][0]), float(z["minimum"][0]), floor, cal)
