"""The API: ``find_times`` over a text (optionally its parse) and ``normalise`` of one expression."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from dateline.model import TimeExpr
from dateline.when.detect import _combine, _Found, _scan
from dateline.when.discourse import (
    _anaphoric,
    _copy_reference,
    _discourse_anchor,
    _period_from_reference,
    _year_ago_periods,
)
from dateline.when.tense import _cue_tense, _doc_tense
from dateline.when.values import _NoAnchor, _Value

if TYPE_CHECKING:
    from spacy.tokens import Doc

# --------------------------------------------------------------------------------------------------- API
def _key(atoms: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((k, re.sub(r"\s+", " ", t.strip())) for k, t in atoms)


@lru_cache(maxsize=65536)
def _cached(atoms: tuple[tuple[str, str], ...], anchor: dt.date | None, tense: str | None) -> _Value:
    try:
        return _combine(list(atoms), anchor, tense)
    except _NoAnchor:
        kinds = {k for k, _ in atoms}
        kind = "DURATION" if kinds <= {"duration", "durpast"} else ("SET" if "set" in kinds else "DATE")
        return _Value(None, kind)
    except (ValueError, KeyError, OverflowError):  # a combination the rules cannot value: dateparser may read it
        return _fallback(" ".join(t for _, t in atoms), anchor)


def _fallback(text: str, anchor: dt.date | None) -> _Value:
    """Ask dateparser for an explicit date the rules could not read (rare; cached by the caller)."""
    settings = {"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False, "RETURN_TIME_AS_PERIOD": True}
    if anchor:
        settings["RELATIVE_BASE"] = dt.datetime.combine(anchor, dt.time())
    data = _ddp(tuple(sorted(settings.items()))).get_date_data(text)
    if not data or data.date_obj is None:
        return _Value(None)
    d = data.date_obj
    period = data.period or "day"
    if period == "year":
        return _Value(f"{d.year:04d}", precision="year")
    if period == "month":
        return _Value(f"{d.year:04d}-{d.month:02d}", precision="month")
    if period == "time":
        return _Value(d.strftime("%Y-%m-%dT%H:%M"), "TIME", "minute")
    return _Value(d.date().isoformat(), precision="day")


@lru_cache(maxsize=8)
def _ddp(settings: tuple):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings=dict(settings))


def _expr(text: str, f: _Found, anchor: dt.date | None, tense: str | None) -> TimeExpr:
    v = _cached(_key(f.atoms), anchor, tense)
    mod = f.mod or v.mod
    if v.type in ("DURATION", "SET") and mod in ("START", "END", "BEFORE", "AFTER"):
        mod = None if v.type == "SET" else mod
    return TimeExpr(text=text[f.start:f.end], start=f.start, end=f.end, value=v.value, type=v.type,
                    precision=v.precision, mod=mod)


def find_times(text: str, anchor: dt.date | None, doc: Doc | None = None) -> list[TimeExpr]:
    """Every time expression in ``text`` with character offsets, TimeML value, type, precision and mod.

    ``anchor`` is the publication date (relative expressions get ``value=None`` without it). ``doc``, a spaCy parse of
    the same text, gives the tense of the governing verb (past/future placement of weekdays, months, quarters);
    without it, cue words in the sentence decide.
    """
    out: list[TimeExpr] = []
    for f in _scan(text):
        tense = None
        if doc is not None:
            got = _doc_tense(doc, f.start, f.end)
            tense = _cue_tense(text, f.start, f.end) if got is False else got
        else:
            tense = _cue_tense(text, f.start, f.end)
        if f.mod == "END" and tense == "past":
            tense = None  # "closed until Friday", "extended to Nov. 20 ... by Friday": a deadline looks ahead
        elif f.mod == "START" and text.startswith(("since", "Since"), f.start):
            tense = "past"  # "since Jan. 13" has begun
        need = _anaphoric(f) if anchor is not None else None
        reach = 250 if f.atoms[0][0] == "yearpart" else None  # "the full year": of the year just named
        ref = _discourse_anchor(out, need, f.start, reach) if need else None
        try:
            out.append(_expr(text, f, ref or anchor, tense))
            if _PRESENT_ERA.match(text, f.end) and out[-1].text.lower().endswith("today"):
                out[-1].value, out[-1].precision = "PRESENT_REF", None  # "today's youth": the present
            if f.atoms[0][0] == "thenref" or (f.atoms[0][0] == "ago" and re.match(r"\s+than\b", text[f.end:f.end + 6])):
                _copy_reference(out[-1], out[:-1])  # "until then"; "three days later than planned"
            if f.atoms[0][0] == "period" and anchor is not None:
                _period_from_reference(out[-1], f.atoms[0][1], out[:-1])
        except (OverflowError, ValueError):  # arithmetic past year 1 or 9999: the expression stays, unvalued
            if out and out[-1].start == f.start:
                out.pop()
            out.append(TimeExpr(text[f.start:f.end], f.start, f.end, None))
    try:
        _year_ago_periods(text, out)
    except (OverflowError, ValueError):
        pass
    return out


_PRESENT_ERA = re.compile(r"['’]s\s+(?:[A-Z]\w*|(?:world|youth|society|generation|young|children|kids|"
                          r"economy|standards|technology|culture|politics|personal|modern|global)\b)")




def normalise(expression: str, anchor: dt.date, tense: str | None = None) -> TimeExpr:
    """Normalise one expression (e.g. ``"early on Tuesday local time"``) against ``anchor``; offsets 0..len.

    ``tense`` ("past" | "future" | None) places underspecified expressions; None takes the nearest occurrence.
    An expression the rules do not recognise gets dateparser's reading, else ``value=None``.
    """
    return TimeExpr(expression, 0, len(expression), *_normalised(expression, anchor, tense))


def calendar_day(text: str, anchor: dt.date | None = None) -> dt.date | None:
    """The first day a written date names ("2022-04-12", "12 April 2022", "April 2022", "2019"); None when the text
    names no date. Relative expressions ("yesterday") count from ``anchor`` (default today)."""
    from dateline.when.intervals import date_interval

    t = normalise(str(text).strip(), anchor or dt.date.today())
    span = date_interval(t.value) if t.is_datable else None
    return dt.date.fromisoformat(span[0]) if span else None


@lru_cache(maxsize=65536)
def _normalised(expression: str, anchor: dt.date, tense: str | None) -> tuple:
    found = _scan(expression)
    if found:
        f = found[0]
        if len(found) > 1:  # keep the span of everything recognised, interpret the atoms together
            f = _Found(found[0].start, found[-1].end, [a for x in found for a in x.atoms], found[0].mod)
        e = _expr(expression, f, anchor, tense)
        return e.value, e.type, e.precision, e.mod
    v = _fallback(expression, anchor)
    return v.value, v.type, v.precision, v.mod
