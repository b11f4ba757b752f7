"""The argument phrase of an event side: the whole noun phrase an actor mention stands in.

An actor mention names who acts ("Germany", "Afghan Army"); the event's argument is often a larger phrase that holds it
("Germany's largest bank", "15 Afghan Army trainees", "protesters in southern Nepal", "Syrians, Iraqis and Afghans").
Researchers read the phrase to see what exactly was targeted; the actor id, country and sector still come from the
mention. Gold event sets (PLV) mark the phrase, so ``dateline eval events`` scores it when there is one.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "nummod"}
# children whose subtrees are clauses, asides or adverbials, not part of the noun phrase
CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "appos", "npadvmod", "advmod"}
WHEN_ENTS = {"DATE", "TIME"}
AMOUNT_ENTS = {"MONEY", "QUANTITY", "PERCENT"}  # "9.9 million US dollars" is not the actor US ("dozens of" is)
ARTICLES = {"the", "a", "an"}
# Nouns that name an act or a statement of their own: a mention that modifies one is that act's argument, so the phrase
# stops at the mention ("condemned Germany's decision" targets Germany). Event triggers of the lexicon count too.
ACT_NOUNS = {
    "decision", "proposal", "plan", "effort", "attempt", "invitation", "permission", "demand", "request", "call",
    "appeal", "allegation", "accusation", "claim", "move", "bid", "offer", "order", "extradition", "return",
    "release", "arrest", "detention", "withdrawal", "deployment", "formation", "expansion", "independence",
    "assistance", "response", "remark", "statement", "comment", "warning", "threat", "refusal", "approval",
    "announcement", "policy", "action", "activity", "involvement", "presence", "role", "campaign", "program",
    "programme", "initiative", "intervention", "participation", "handling", "treatment", "visit", "arrival",
}
KEPT_PREPS = {"of", "in", "at"}  # "son of X", "protesters in southern Nepal", "workers at the textile unit"
LEADING_SKIP = {"det", "predet", "case", "cc", "punct", "prep"}
KEPT_DETERMINERS = {"no", "neither"}  # "no constitutional authority" must not lose its "no"
MAX_TOKENS = 16


def _head_noun(tok: Token, trigger: Token, avoid: set[int], is_event: Callable[[Token], bool]) -> Token:
    """Climb from a mention's root to the noun phrase it modifies: "Germany" → "bank" in "Germany's largest bank",
    "Filat" → "son" in "son of Filat", a later conjunct to the first. Never onto the trigger, the other side, or a
    noun that is an event of its own ("the extradition of X", "X's decision": X is the argument)."""
    for _ in range(12):
        head = tok.head
        if tok.dep_ == "conj" and _named(tok) and head.pos_ in ("NOUN", "PROPN"):
            nxt = head
        elif tok.dep_ in MODIFIER_DEPS and head.pos_ in ("NOUN", "PROPN"):
            nxt = head
        elif tok.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "PROPN"):
            nxt = head.head
        else:
            break
        if nxt.i == trigger.i or nxt.i in avoid or nxt.ent_type_ in AMOUNT_ENTS \
                or (tok.dep_ != "conj" and (nxt.lemma_.lower() in ACT_NOUNS or is_event(nxt))) \
                or any(t.i == trigger.i or t.i in avoid for t in nxt.subtree):
            break
        tok = nxt
    return tok


def _named(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or bool(tok.ent_type_)


def _skipped(c: Token, trigger: Token, avoid: set[int]) -> bool:
    """A child that is not part of the argument phrase: a clause, an aside, a "when", a common-noun conjunct."""
    if c.dep_ in CLAUSE_DEPS or c.i == trigger.i or c.i in avoid:
        return True
    if c.dep_ == "conj":
        return not _named(c)
    if c.dep_ == "prep":
        return any(g.ent_type_ in WHEN_ENTS for g in c.children) or c.lower_ not in KEPT_PREPS
    return False


def _phrase_tokens(head: Token, trigger: Token, avoid: set[int]) -> list[Token]:
    """The contiguous tokens of ``head``'s phrase, without skipped children's subtrees or edge function words."""
    keep: list[Token] = []
    stack = [head]  # iterative: a pathological parse may nest deeper than Python's recursion limit
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(c for c in t.children if not _skipped(c, trigger, avoid))
    keep.sort(key=lambda t: t.i)
    # a contiguous span around the head
    lo = hi = keep.index(head)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi + 1 < len(keep) and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    words = keep[lo:hi + 1]
    while words and (words[0].dep_ in LEADING_SKIP or words[0].tag_ == "PRP$") and words[0].i != head.i \
            and words[0].lower_ not in KEPT_DETERMINERS:
        words = words[1:]
    while words and (words[-1].is_punct or words[-1].dep_ in ("cc", "prep", "case")) and words[-1].i != head.i:
        words = words[:-1]
    return words


def argument_phrase(doc: Doc, start: int, end: int, trigger: Token, avoid: set[int] | None = None,
                    is_event: Callable[[Token], bool] = lambda t: False) -> str | None:
    """The noun phrase around the mention at ``start:end`` (character offsets), or None when it is the mention itself
    or too long to be one argument. ``avoid``: token indices of the other side, which the phrase must not hold;
    ``is_event``: whether a noun is an event trigger (the phrase does not grow onto it)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span) or span.root.pos_ == "PRON":
        return None
    avoid = avoid or set()
    head = _head_noun(span.root, trigger, avoid, is_event)
    words = _phrase_tokens(head, trigger, avoid)
    if not words or len(words) > MAX_TOKENS or span.root not in words:
        return None
    first = next((t for t in span if t.dep_ not in LEADING_SKIP and t.tag_ != "PRP$"), span.root)
    lo, hi = min(words[0].i, first.i), max(words[-1].i, span.end - 1)
    if lo == first.i and hi == span.end - 1 and all(t.lower_ in ARTICLES for t in doc[span.start:first.i]):
        return None  # the mention itself, give or take its article
    text = doc[lo:hi + 1].text
    return None if text == span.text or text.count("(") != text.count(")") else text
