"""PLOVER coding of event candidates: type, mode, context, CAMEO, Goldstein, QuadClass, with the classifier's say."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dateline.events import ontology
from dateline.events.extract import Candidate


@dataclass(frozen=True)
class Thresholds:
    """How sure the classifier must be to retype a sentence's main event.

    ``mined``: over a code from the mined CAMEO verb lexicon; ``curated``: over a curated trigger or a specific object
    pattern; ``untyped``: to keep a main clause that has no trigger word at all ("Russia launched cyber warfare
    against the UK"). The TF-IDF model of the fast profile spreads its probability more thinly than the fine-tuned
    transformer, so its thresholds are lower. Chosen by grouped 5-fold CV of the whole pipeline on PLV
    (``scripts/cv_pipeline_events.py --set``; figures in docs/events.md).
    """

    mined: float = 0.0
    curated: float = 0.8
    untyped: float = 0.3


SOURCELESS_P = 0.9  # an untyped main clause with no subject, or with no resolved actor on either side
THRESHOLDS = {"accurate": Thresholds(0.0, 0.5, 0.3), "fast": Thresholds(0.0, 0.4, 0.15)}


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


def _untyped_needs(cand: Candidate, thresholds: Thresholds) -> float:
    """The classifier probability an untyped candidate needs to become an event."""
    if not cand.source and not cand.loose_source or not cand.source and not cand.target:
        # "inspectors have been expelled from North Korea" (no subject), "the committee declared a strike" (no
        # known actor): the classifier only ever saw event sentences
        return max(thresholds.untyped, SOURCELESS_P)
    return thresholds.untyped


def _plover_type(code: str | None) -> str | None:
    """The PLOVER type of a CAMEO code by the mapping table (root or full code); None when it knows none (a user
    dictionary's own code such as "903" or "ABC")."""
    if not code:
        return None
    try:
        coded = ontology.cameo_to_plover(code)
    except ValueError:
        return None
    return coded[0] if coded else None


def rule_fields(ptype: str, cameo: str) -> dict:
    """The coding of a record a user verb rule coded: its CAMEO code kept as written; Goldstein and QuadClass of that
    code where CAMEO knows it, else of the type's default code."""
    fields = ontology.code_event(ptype, cameo if _plover_type(cameo) == ptype else None)
    try:
        fields["goldstein"], fields["quad_class"] = ontology.goldstein(cameo), ontology.quad_class(cameo)
    except (KeyError, ValueError):
        pass
    fields["cameo"] = cameo
    return fields


def code_sentence(cands: Sequence[Candidate], probs: dict[str, float] | None,
                  thresholds: Thresholds = THRESHOLDS["accurate"],
                  words_type: Callable[[Candidate], str | None] | None = None) -> list[Coded]:
    """Code the candidates of one sentence; ``probs`` are the classifier's type probabilities (or None).
    ``words_type(cand)``: the classifier's type for the candidate's own words; a main trigger whose own words are
    of its own type keeps it against the sentence's ("During Shoigu's trip, he appeared at a parade of missiles able
    to strike the United States": the sentence is ASSAULT, the trip a visit)."""
    out: list[Coded] = []
    top = max(probs.items(), key=lambda kv: kv[1]) if probs else None
    own = {id(c): _plover_type(c.cameo) for c in cands}
    # an untyped clause the classifier cannot type does not take the main role from a trigger below it
    typeable = [c for c in cands if own[id(c)] is not None or (top and top[1] >= _untyped_needs(c, thresholds))]
    main = main_candidate(typeable) if typeable else None
    # the classifier's type belongs to another trigger of the sentence ("met …, could provide support"): it
    # describes that event, so it does not retype a curated main trigger
    explained = top is not None and any(c is not main and own[id(c)] == top[0] for c in cands)
    for cand in cands:
        ptype = own[id(cand)]
        cameo: str | None = cand.cameo or None
        if cand.rule:  # a user's verb rule decided the code: the classifier only types a code the table does not know
            if ptype is None and top and top[1] >= _untyped_needs(cand, thresholds):
                ptype = top[0]
        elif cand is main and top and top[0] != ptype and not (explained and cand.pattern):
            needed = _untyped_needs(cand, thresholds) if ptype is None else \
                thresholds.curated if cand.pattern else thresholds.mined
            if top[1] >= needed and (ptype is None or words_type is None or words_type(cand) != ptype):
                ptype, cameo = top[0], None
        if ptype is None:
            continue
        fields = rule_fields(ptype, cand.cameo) if cand.rule else ontology.code_event(ptype, cameo)
        p_type = probs.get(ptype, 0.0) if probs else 0.5
        confidence = 0.3 + 0.2 * bool(cand.source) + 0.1 * bool(cand.target) + 0.3 * p_type
        confidence += 0.1 if cand is main else 0.0
        out.append(Coded(cand, fields, round(min(confidence, 1.0), 3)))
    return out
