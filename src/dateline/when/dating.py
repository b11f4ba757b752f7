"""Dating events: the time expression that dates an event's trigger, the story's narrative time, and the record's
date, precision and status ("historical" for an event long before its story; never dated after publication)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from dateline.lang import REPORTING
from dateline.model import TimeExpr
from dateline.when.intervals import date_interval
from dateline.when.tense import _verb_of
from dateline.when.times import normalise
from dateline.when.vocab import BOUNDARY_MODS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

HISTORICAL_DAYS = 730  # an event dated this long before its story is history, not news


def governing_time(trigger: Token, times: list[TimeExpr]) -> TimeExpr | None:
    """The datable expression that governs the trigger's clause, else the nearest datable one in its sentence.

    Governs: the expression's head word lies in the subtree of the trigger's clause head with no other verb between
    them; failing that, an expression attached to a verb whose clause contains the trigger ("the Kremlin said
    Tuesday [that X will ...]"). Durations, sets and boundary expressions ("since 2019", "until May") never date.
    """
    doc = trigger.doc
    sent = trigger.sent
    cands = [t for t in times if dates_events(t) and sent.start_char <= t.start < sent.end_char]
    if not cands:
        return None
    head = trigger if trigger.pos_ in ("VERB", "AUX") else (_verb_of(trigger) or trigger)
    attached: list[tuple[int, TimeExpr]] = []
    ancestors: list[tuple[int, TimeExpr]] = []
    for t in cands:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        root = span.root
        verb = _verb_of(root.head if root.head.i != root.i else root) if root.pos_ not in ("VERB", "AUX") else root
        if verb is None:
            continue
        if verb == head or verb == trigger:
            attached.append((abs(root.i - trigger.i), t))
        elif trigger in verb.subtree or head in verb.subtree:
            depth = sum(1 for _ in head.ancestors if _ is not None) - sum(1 for _ in verb.ancestors)
            ancestors.append((depth, t))
    if attached:
        return min(attached, key=lambda x: x[0])[1]
    if ancestors:
        return min(ancestors, key=lambda x: x[0])[1]
    return min(cands, key=lambda t: min(abs(t.start - trigger.idx), abs(t.end - trigger.idx)))


def _attachment(doc: Doc, t: TimeExpr) -> Token | None:
    """The word a time expression modifies: "met … on Wednesday" → met; "the collapse … in 1991" → collapse."""
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root.head
    for _ in range(8):
        # climb over the expression itself, prepositions and names it got misattached to ("in Khasan … on Tuesday")
        passable = span.start <= tok.i < span.end or tok.pos_ in ("ADP", "PROPN", "PUNCT") or tok.dep_ == "appos"
        if not passable or tok.head.i == tok.i:
            break
        tok = tok.head
    return tok


def _dates_event(doc: Doc, t: TimeExpr, trigger: Token) -> bool:
    """Whether a time expression can date the event of ``trigger``: it modifies the trigger itself, or a
    non-reporting verb whose clause holds the trigger; times inside another noun's phrase or on a reporting verb
    ("the Kremlin said Tuesday") date something else."""
    head = _attachment(doc, t)
    if head is None:
        return False
    if head.i == trigger.i:
        return True
    if head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() in REPORTING:
        return False
    return head.left_edge.i <= trigger.i <= head.right_edge.i


SIMULTANEOUS_MARKS = frozenset({"as", "while", "when", "during"})  # "X came as Y was firing … on Wednesday"


def _in_adverbial_clause(doc: Doc, t: TimeExpr, trigger: Token) -> bool:
    """Whether ``t`` dates an adverbial clause of the trigger's verb that runs at the same time: a participle or an
    "as/while/when" clause ("The meeting came as the North continued its tests, firing two missiles earlier
    Wednesday"); never a relative clause ("Shoigu, who visited in July, will join")."""
    head, verb = _attachment(doc, t), (trigger if trigger.pos_ in ("VERB", "AUX") else _verb_of(trigger))
    if head is None or verb is None or head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() in REPORTING:
        return False
    tok = head
    for _ in range(6):
        if tok.dep_ != "advcl":
            return False
        marks = {c.lower_ for c in tok.children if c.dep_ == "mark"}
        if marks and not marks & SIMULTANEOUS_MARKS:
            return False
        tok = tok.head
        if tok.i == verb.i:
            return True
    return False


def dates_events(t: TimeExpr) -> bool:
    """A point or period in time; not a duration, a set, or the open end of a range ("since 2019")."""
    return t.is_datable and t.mod not in BOUNDARY_MODS


def event_time(doc: Doc, sent: Span, trigger: Token, times: Sequence[TimeExpr]) -> TimeExpr | None:
    """The datable expression in the trigger's sentence that dates its event, or None."""
    usable = [t for t in times if sent.start_char <= t.start < sent.end_char and dates_events(t)]
    if not usable:
        return None
    first = governing_time(trigger, usable)
    ranked = ([first] if first else []) + sorted(usable, key=lambda t: abs(t.start - trigger.idx))
    return next((t for t in ranked if t is not None and _dates_event(doc, t, trigger)),
                next((t for t in ranked if t is not None and _in_adverbial_clause(doc, t, trigger)), None))


def narrative_times(doc: Doc, sents: Sequence[Span], times: Sequence[TimeExpr]) -> list[TimeExpr | None]:
    """For each sentence, the time its narrative runs at: its first time expression that dates a (non-reporting)
    verb, else the previous sentence's within the same paragraph ("… arrived early on Tuesday. There he was greeted …")."""
    out: list[TimeExpr | None] = []
    prev: TimeExpr | None = None
    text = doc.text  # Doc.text joins every token on each call
    for k, sent in enumerate(sents):
        own = None
        for t in times:
            if sent.start_char <= t.start < sent.end_char and dates_events(t):
                head = _attachment(doc, t)
                if head is not None and head.pos_ in ("VERB", "AUX") and head.lemma_.lower() not in REPORTING:
                    own = t
                    break
        if k > 0 and "\n" in text[sents[k - 1].end_char - 1 : sent.start_char + 1]:
            prev = None
        out.append(own or prev)
        prev = own or prev
    return out


def _event_date(t: TimeExpr) -> tuple[str, str]:
    value = t.value or ""
    if "T" in value:
        return value[:10], "day"
    return value, t.precision or "day"


def _after(value: str | None, published: str | None) -> bool:
    """Whether a date value ("2023-09-13", "2023-09", "2023-W37", "2023") begins after the publication day."""
    span = date_interval(value) if value and published else None
    return span is not None and span[0] > published[:10]


def _past_reading(t: TimeExpr, published: dt.date) -> tuple[str | None, str | None, str | None]:
    """(date, precision, date_text) of an expression read in the past ("on Monday" in a Saturday story of a visit
    that took place); the publication day when even that lies ahead."""
    past = normalise(t.text, published, "past")
    if past.is_datable:
        date, precision = _event_date(past)
        if not _after(date, published.isoformat()):
            return date, precision, t.text
    return published.isoformat(), "day", None


class Dating(NamedTuple):
    """An event's date, its precision, the expression it was read from, its status (an old date makes an asserted
    event historical) and where the date came from (:data:`dateline.model.DATE_SOURCES`)."""

    date: str | None
    precision: str | None
    text: str | None
    status: str
    source: str | None


def event_dating(t: TimeExpr | None, published: dt.date | None, status: str, source: str = "sentence") -> Dating:
    """The dating of an event by ``t``, found in its own sentence or (``source="narrative"``) an earlier one; None:
    the publication day."""
    pub = published.isoformat() if published else None
    if t is None:
        return Dating(pub, "day" if pub else None, None, status, "publication" if pub else None)
    date, precision = _event_date(t)
    date_text: str | None = t.text
    if status in ("asserted", "historical") and published and _after(date, pub):
        date, precision, date_text = _past_reading(t, published)  # a past event is never dated ahead
        if date_text is None:
            source = "publication"
    if status == "asserted" and published and date and date[:4].isdigit() and \
            (published.year - int(date[:4])) * 365 > HISTORICAL_DAYS:
        status = "historical"
    return Dating(date, precision, date_text, status, source if date else None)
