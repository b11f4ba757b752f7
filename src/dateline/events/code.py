"""PLOVER coding of event candidates: type, mode, context, CAMEO, Goldstein, QuadClass, with the classifier's say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dateline.events import ontology
from dateline.events.extract import Candidate

# The classifier types a sentence's main event: it is far more accurate than a mined lexicon code (grouped 5-fold
# CV of the whole pipeline on PLV, fast profile, scripts/cv_pipeline_events.py: type accuracy 0.64 when it overrode
# only at p >= 0.45; 0.68 always). Curated triggers and specific object patterns yield only to a clear classifier
# (0.5 gains 1 point on PLV but lets a sentence-level guess retype "met" in multi-event sentences); an untyped
# clause candidate (no trigger word) is kept when the classifier gives its top type at least UNTYPED_P.
OVERRIDE_P = 0.0
OVERRIDE_CURATED_P = 0.8
UNTYPED_P = 0.3

@dataclass
class Coded:
    """A candidate with its PLOVER coding and confidence."""

    cand: Candidate
    fields: dict  # type, mode, context, cameo, goldstein, quad_class
    confidence: float


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def main_candidate(cands: Sequence[Candidate]) -> Candidate:
    """The sentence's main event: the trigger closest to the root (then asserted ones, then the first)."""
    return min(cands, key=lambda c: (_depth(c.trigger), c.status != "asserted", c.trigger.i))


def code_sentence(cands: Sequence[Candidate], probs: dict[str, float] | None) -> list[Coded]:
    """Code the candidates of one sentence; ``probs`` are the classifier's type probabilities (or None)."""
    out: list[Coded] = []
    main = main_candidate(cands) if cands else None
    top = max(probs.items(), key=lambda kv: kv[1]) if probs else None
    for cand in cands:
        mapped = ontology.cameo_to_plover(cand.cameo) if cand.cameo else None
        ptype = mapped[0] if mapped else None
        cameo: str | None = cand.cameo or None
        if cand is main and top and top[0] != ptype:
            needed = UNTYPED_P if ptype is None else OVERRIDE_CURATED_P if cand.pattern else OVERRIDE_P
            if top[1] >= needed:
                ptype, cameo = top[0], None
        if ptype is None:
            continue
        fields = ontology.code_event(ptype, cameo)
        p_type = probs.get(ptype, 0.0) if probs else 0.5
        confidence = 0.3 + 0.2 * bool(cand.source) + 0.1 * bool(cand.target) + 0.3 * p_type
        confidence += 0.1 if cand is main else 0.0
        out.append(Coded(cand, fields, round(min(confidence, 1.0), 3)))
    return out
