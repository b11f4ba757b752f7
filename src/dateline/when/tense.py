"""The tense that places an underspecified expression: from the spaCy parse, else cue words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dateline.lang import FUTURE_AUX

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# --------------------------------------------------------------------------------------------------- tense
_FUTURE_CUES = re.compile(
    r"(?i)\b(?:will|shall|won't|going\s+to|(?:is|are|am)\s+to|scheduled|expected\s+to|plans?\s+to|planned|"
    r"due\s+to|set\s+to|would|should|must|might|to\s+be|upcoming|intends?\s+to|hopes?\s+to)\b|'ll\b")
_PAST_CUES = re.compile(r"(?i)\b(?:was|were|had|did|said|told|(?<!be )(?<!to )(?<!been )\w{3,}ed)\b")
_CLAUSE_CUT = re.compile(r"(?i)[,;:()\u2014]|\b(?:who|which|that|when|while|after|before|because|as|and|but)\b")
_SENT_START = re.compile(r"[.!?]\s+(?=[A-Z\"“'])|\n")


def _cue_tense(text: str, start: int, end: int) -> str | None:
    """Tense from the cue word nearest to an expression in its clause (used without a parse)."""
    sent_left = text[max(0, start - 200):start]
    cut = list(_SENT_START.finditer(sent_left))
    sent_left = sent_left[cut[-1].end():] if cut else sent_left
    sent_right = text[end:end + 120]
    stop = _SENT_START.search(sent_right)
    sent_right = sent_right[:stop.start()] if stop else sent_right
    clause = list(_CLAUSE_CUT.finditer(sent_left))
    left = sent_left[clause[-1].start():] if clause else sent_left
    stop = _CLAUSE_CUT.search(sent_right)
    right = sent_right[:stop.start()] if stop else sent_right
    if _FUTURE_CUES.search(left) or _FUTURE_CUES.search(right):
        return "future"
    found = _nearest_cue(left, right)
    if found is None:  # no cue in the clause ("chief executive in March"): the sentence's
        found = _nearest_cue(sent_left, "")
    return found


def _nearest_cue(left: str, right: str) -> str | None:
    best: tuple[int, str] | None = None
    for window, offset in ((left, len(left)), (right, 0)):
        for regex, tense in ((_FUTURE_CUES, "future"), (_PAST_CUES, "past")):
            for m in regex.finditer(window):
                dist = offset - m.end() if offset else m.start()
                if best is None or dist < best[0]:
                    best = (dist, tense)
    return best[1] if best else None


def _verb_of(token: Token) -> Token | None:
    t = token
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _parse_tense(verb: Token) -> str | None:
    """past | future | None from a governing verb and its auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & (FUTURE_AUX | {"ll"}):  # "ll": an apostrophe lost in the text
        return "future"
    if "going" in words:  # a bare infinitive ("agreed to return him by Jan. 14") has no tense of its own
        return "future"
    if words & {"would", "could", "might"}:
        return "future"
    if verb.tag_ == "VBD" or words & {"was", "were", "had", "did", "has", "have"}:
        return "past"
    if verb.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"
    if verb.lemma_ in ("expect", "schedule", "plan", "due") and verb.tag_ == "VBN":
        return "future"
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl"):
        return "past"
    return None


def _doc_tense(doc: Doc, start: int, end: int) -> str | None | bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    verb = _verb_of(span.root)
    if verb is None:
        return False
    return _parse_tense(verb)
