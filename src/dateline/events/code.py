"""PLOVER coding of event candidates: type, mode, context, CAMEO, Goldstein, QuadClass, with the classifier's say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dateline.events import ontology
from dateline.events.extract import Candidate

# The classifier overrides the lexicon's type for a sentence's main event only when it is at least this sure,
# and the lexicon matched no specific object pattern.
OVERRIDE_P = 0.55


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
    """The sentence's main event: the trigger closest to the root, asserted ones first."""
    return min(cands, key=lambda c: (c.status != "asserted", _depth(c.trigger), c.trigger.i))


def code_sentence(cands: Sequence[Candidate], probs: dict[str, float] | None) -> list[Coded]:
    """Code the candidates of one sentence; ``probs`` are the classifier's type probabilities (or None)."""
    out: list[Coded] = []
    main = main_candidate(cands) if cands else None
    top = max(probs.items(), key=lambda kv: kv[1]) if probs else None
    for cand in cands:
        mapped = ontology.cameo_to_plover(cand.cameo) if cand.cameo else None
        ptype = mapped[0] if mapped else None
        cameo = cand.cameo
        if cand is main and top and top[1] >= OVERRIDE_P and top[0] != ptype and not cand.pattern:
            ptype, cameo = top[0], None
        if ptype is None:
            if not top or top[1] < OVERRIDE_P:
                continue
            ptype, cameo = top[0], None
        fields = ontology.code_event(ptype, cameo)
        p_type = probs.get(ptype, 0.0) if probs else 0.5
        confidence = 0.3 + 0.2 * bool(cand.source) + 0.1 * bool(cand.target) + 0.3 * p_type
        confidence += 0.1 if cand is main else 0.0
        out.append(Coded(cand, fields, round(min(confidence, 1.0), 3)))
    return out
