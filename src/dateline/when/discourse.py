"""Discourse: anaphoric expressions ("that day", "the same week") and year-ago periods take their reference."""

from __future__ import annotations

import datetime as dt
import re

from dateline.model import TimeExpr
from dateline.when.detect import _Found
from dateline.when.values import _unit
from dateline.when.vocab import _UNIT, _YEAR, BOUNDARY_MODS, SEASON_MONTH, WEEKDAYS

# --------------------------------------------------------------------------------------------------- discourse
_ANAPHORIC_REL = re.compile(r"(?i)^(?:(?:that|same|following)\s|the\s+(?:next|previous|following|same)\s)")
_NEEDS = {"day": ("day",), "night": ("day",), "morning": ("day",), "week": ("day", "week"),
          "weekend": ("day", "week"), "month": ("day", "month"), "quarter": ("day", "month", "quarter"),
          "year": ("day", "week", "month", "quarter", "season", "year")}


def _anaphoric(f: _Found) -> tuple[str, ...] | None:
    """The precisions a reference must have when ``f`` is read against the last mentioned date ("that same day",
    "later that year", "the following month", "three days later"), else None (read against the anchor)."""
    kind, t = f.atoms[0]
    low = re.sub(r"\s+", " ", t.lower().strip())
    if kind == "relative" and _ANAPHORIC_REL.match(low):
        what = low.split()[-1]
        if what in WEEKDAYS:
            return _NEEDS["day"]
        return _NEEDS.get(_unit(what))
    if kind == "anchorunit" and low in ("the day", "the night"):
        return _NEEDS["day"]
    if kind == "relafter":
        return _NEEDS[low.split()[1]]
    if kind == "streak":
        unit = re.search(r"(day|week|month|year|quarter|session)\b", low)[1]
        return _NEEDS["day" if unit == "session" else unit]
    if kind == "yearpart" and re.fullmatch(r"the (?:full|entire|whole) year", low):
        return _NEEDS["year"]
    if kind == "ago" and low.endswith(" later"):
        m = re.search(_UNIT + r" later$", low)
        return _NEEDS.get(_unit(m[0].split()[0].split("-")[-1])) if m else None
    return None


_COMPARISON = re.compile(r"(?i)year[- ](?:ago|earlier|before)|last\s+year|same|corresponding|comparable|previous|prior")


def _copy_reference(t: TimeExpr, before: list[TimeExpr]) -> None:
    """"until then", "by that time": the date last mentioned."""
    ref = next((b for b in reversed(before) if b.type in ("DATE", "TIME") and _value_date(b.value)), None)
    if ref is not None:
        t.value, t.type, t.precision = ref.value, ref.type, ref.precision


def _period_from_reference(t: TimeExpr, atom: str, before: list[TimeExpr]) -> None:
    """"the same period last year", "the year-ago period", "the latest period", "the 1988 quarter": the period
    last mentioned (a quarter, half or month), a year earlier, as is, or in the year named."""
    low = re.sub(r"\s+", " ", atom.lower())
    want = ("month",) if re.search(r"\bmonth\b", low) else ("quarter", "month")
    ref = next((b for b in reversed(before) if b.type == "DATE" and b.precision in want
                and b.mod not in BOUNDARY_MODS and not _COMPARISON.search(b.text) and re.fullmatch(r"\d{4}-(?:Q[1-4]|H[12]|\d\d)", b.value or "")), None)
    if ref is None:
        return
    year, part = ref.value.split("-")
    named = re.search(rf"{_YEAR}", low)
    if named:
        year = named[0]
    elif not low.endswith("latest period"):
        year = f"{int(year) - 1:04d}"
    t.value, t.precision = f"{year}-{part}", ref.precision


def _discourse_anchor(times: list[TimeExpr], need: tuple[str, ...], start: int = 0,
                      reach: int | None = None) -> dt.date | None:
    """The date of the most recent expression with one of the ``need`` precisions and a calendar value (ending at
    most ``reach`` characters before ``start`` when given)."""
    for t in reversed(times):
        if reach is not None and start - t.end > reach:
            return None
        if t.type not in ("DATE", "TIME") or t.precision not in need or t.mod in BOUNDARY_MODS:
            continue
        d = _value_date(t.value)
        if d is not None:
            return d
    return None


def _value_date(value: str | None) -> dt.date | None:
    """A representative day of a TimeML calendar value (``1998-10-23``, ``1998-W43``, ``1998-10``, ``1998-Q3``...)."""
    v = value or ""
    try:
        m = re.match(r"(\d{4})-(\d\d)-(\d\d)", v)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.match(r"(\d{4})-W(\d\d)", v)
        if m:
            return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        m = re.fullmatch(r"(\d{4})-(\d\d)", v)
        if m:
            return dt.date(int(m[1]), int(m[2]), 15)
        m = re.fullmatch(r"(\d{4})-Q([1-4])", v)
        if m:
            return dt.date(int(m[1]), 3 * int(m[2]) - 1, 15)
        m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v)
        if m:
            return dt.date(int(m[1]), SEASON_MONTH[m[2]], 15)
        m = re.fullmatch(r"(\d{4})", v)
        if m:
            return dt.date(int(m[1]), 7, 1)
    except ValueError:
        return None
    return None


_YEAR_AGO = re.compile(r"(?i)(?:(?:a|one)\s+year\s+(?:ago|earlier|before)|(?:the\s+)?year[- ](?:ago|earlier)\b.*)$")


_COMPARED = re.compile(r"(?i)(?:compared\s+with|compared\s+to|from|than|versus|vs\.?)\s[^.;]{0,60}$")
_PERIOD_END = re.compile(r"(?i)\b(?:ended|ending|ends|through)\s+$")


def _year_ago_periods(text: str, times: list[TimeExpr], reach: int = 800) -> None:
    """"a year ago" / "the year-earlier quarter" compare with the period just mentioned: when that is a quarter
    ("third-quarter profit rose ... from $2 million a year earlier"), the value is the same quarter a year before;
    so does "last year" in a comparison ("compared with $3 million last year"). The day that ends a quarter
    ("the quarter ended Sept. 30") does not replace the quarter as the period just mentioned."""
    last: TimeExpr | None = None
    for t in times:
        year_ago = _YEAR_AGO.search(t.text) or (
            re.fullmatch(r"(?i)(?:from\s+)?last\s+year", t.text) and _COMPARED.search(text, 0, t.start))
        if (last is not None and last.precision == "quarter" and t.start - last.end < reach
                and year_ago and t.type == "DATE"):
            m = re.fullmatch(r"(\d{4})-Q([1-4])", last.value or "")
            if m:
                t.value, t.precision = f"{int(m[1]) - 1:04d}-Q{m[2]}", "quarter"
                continue
        if t.is_datable and t.precision == "quarter" and t.mod not in BOUNDARY_MODS:
            last = t
        elif t.is_datable and t.precision in ("day", "month", "year", "week"):
            if not (t.precision == "day" and _PERIOD_END.search(text, max(0, t.start - 12), t.start)):
                last = t
