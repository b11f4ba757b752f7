"""TimeML values of single atoms against an anchor date, placed past or future by tense."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateline.when.vocab import (
    _NUM_WORD,
    _POD,
    _UNIT,
    _UNIT1,
    _WD,
    _YEAR,
    HOLIDAYS,
    MONTHS,
    NUMBERS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASON_MONTH,
    SEASONS,
    SPECIAL,
    UNIT_CODES,
    WEEKDAYS,
)


# --------------------------------------------------------------------------------------------------- values
@dataclass
class _Value:
    value: str | None
    type: str = "DATE"
    precision: str | None = None
    mod: str | None = None


class _NoAnchor(Exception):
    """The expression needs an anchor date and none was given."""


def _need(anchor: dt.date | None) -> dt.date:
    if anchor is None:
        raise _NoAnchor
    return anchor


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _quarter(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _pick(candidates: list, anchor_key, tense: str | None, key=lambda c: c, reach: float = 7):
    """Choose among ordered candidates: latest ≤ anchor (past), earliest ≥ anchor (future), else the nearest.

    The tense is followed only within ``reach`` (months for months, days / 30 for days) of the anchor: a cue word
    can be wrong, and a date far from the publication date is rarely meant without its year.
    """
    past = [c for c in candidates if key(c) <= anchor_key]
    future = [c for c in candidates if key(c) >= anchor_key]
    limit = reach * (30 if isinstance(anchor_key, dt.date) else 1)
    if tense == "past" and past and abs(_dist(key(past[-1]), anchor_key)) <= limit:
        return past[-1]
    if tense == "future" and future and abs(_dist(key(future[0]), anchor_key)) <= limit:
        return future[0]
    # no usable tense: news reports the past, unless the coming occurrence is close (within a month)
    if future and (not past or abs(_dist(key(future[0]), anchor_key)) <= (31 if isinstance(anchor_key, dt.date)
                                                                            else 1) < abs(_dist(key(past[-1]),
                                                                                                anchor_key))):
        return future[0]
    if past and abs(_dist(key(past[-1]), anchor_key)) <= limit * 2:
        return past[-1]
    return min(candidates, key=lambda c: (abs(_dist(key(c), anchor_key)), key(c) > anchor_key))


_AGAINST_TENSE = 4.0  # with a past tense, a future date must be 4 times nearer than the past one
_FUTURE_COST = 1.5  # without a tense, a future date must be 1.5 times nearer than the past one


def _place(candidates: list, anchor_key, tense: str | None):
    """The candidate nearest to the anchor, distances weighted by the tense. A future tense says the future ("will
    meet in July"); a past one ("extended the offer to Nov. 20") leaves a future date possible when it is
    ``_AGAINST_TENSE`` times nearer; without a tense a future date costs ``_FUTURE_COST`` times its distance (news
    reports the past)."""
    def cost(c) -> float:
        d = _dist(c, anchor_key)
        if d == 0:
            return 0.0
        side = "future" if d > 0 else "past"
        if tense is None:
            return abs(d) * (_FUTURE_COST if side == "future" else 1.0)
        if side == tense:
            return abs(d)
        return abs(d) * (_AGAINST_TENSE if tense == "past" else 1000.0)
    return min(candidates, key=cost)


def _dist(a, b) -> float:
    if isinstance(a, dt.date):
        return (a - b).days
    if isinstance(a, tuple):
        return (a[0] - b[0]) * 12 + (a[1] - b[1])
    return a - b


def _num(word: str) -> float | None:
    """A number word or digits → number; None for vague quantities ("several", "a few")."""
    w = re.sub(r"\s+", " ", word.lower().strip())
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w) if "." in w else int(w)
    if w in NUMBERS:
        return NUMBERS[w]
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]]
    return None


def _unit(word: str) -> str:
    w = word.lower()
    if w.startswith("centur"):
        return "century"
    return w[:-1] if w.endswith("s") and w[:-1] in UNIT_CODES else w


def _duration(n: float | None, unit: str) -> str:
    code, is_time, _ = UNIT_CODES[unit]
    if unit == "weekend":
        return "P2D" if n in (1, None) else f"P{n}WE"
    if unit == "fortnight":
        n = 2 * n if n is not None else None
    if unit == "decade":
        code, n = "Y", 10 * n if n is not None else None
        if n is None:
            return "PXDE"
    if unit == "century":
        code, n = "Y", 100 * n if n is not None else None
        if n is None:
            return "PXCE"
    amount = "X" if n is None else (f"{n:g}" if isinstance(n, float) else str(n))
    if isinstance(n, float) and not n.is_integer():
        amount = f"{n:g}"
    return f"PT{amount}{code}" if is_time else f"P{amount}{code}"


def _shift(anchor: dt.date, n: int, unit: str) -> _Value:
    """The period ``n`` units from ``anchor`` (negative: earlier), at the unit's precision."""
    if unit in ("day", "night"):
        return _Value((anchor + dt.timedelta(days=n)).isoformat(), precision="day")
    if unit in ("week", "fortnight"):
        return _Value(_week(anchor + dt.timedelta(weeks=n * (2 if unit == "fortnight" else 1))), precision="week")
    if unit == "weekend":
        return _Value(_week(anchor + dt.timedelta(weeks=n)) + "-WE", precision="week")
    if unit == "month":
        y, m = _add_months(anchor.year, anchor.month, n)
        return _Value(f"{y:04d}-{m:02d}", precision="month")
    if unit == "quarter":
        y, q = _quarter(anchor)
        y, q0 = divmod(y * 4 + q - 1 + n, 4)
        return _Value(f"{y:04d}-Q{q0 + 1}", precision="quarter")
    if unit == "year":
        return _Value(f"{anchor.year + n:04d}", precision="year")
    if unit == "decade":
        return _Value(f"{anchor.year // 10 + n:03d}", precision="decade")
    if unit == "century":
        return _Value(f"{anchor.year // 100 + n:02d}", precision="century")
    if unit in ("hour", "minute", "second"):
        return _Value(anchor.isoformat(), precision="day")
    raise ValueError(unit)


def _year(text: str, anchor: dt.date | None) -> int:
    text = text.strip().lstrip("'")
    if len(text) == 2:
        yy = int(text)
        base = anchor.year if anchor else 2000
        century = base // 100 * 100
        y = century + yy
        return y - 100 if y > base + 20 else y
    return int(text)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _weekday_date(anchor: dt.date, wd: int, tense: str | None, rel: str | None = None) -> dt.date:
    back = (anchor.weekday() - wd) % 7
    ahead = (wd - anchor.weekday()) % 7
    if rel == "last":
        return anchor - dt.timedelta(days=back or 7)
    if rel == "next":
        return anchor + dt.timedelta(days=ahead or 7)
    if rel in ("this", "coming", "upcoming"):
        return anchor + dt.timedelta(days=ahead)
    if tense == "past":
        return anchor - dt.timedelta(days=back)
    if tense == "future":
        return anchor + dt.timedelta(days=ahead)
    # no tense: news mostly reports the past week, but "Thursday" in a Wednesday story is usually tomorrow
    return anchor + dt.timedelta(days=ahead) if ahead == 1 else anchor - dt.timedelta(days=back)


def _month_value(month: int, anchor: dt.date, tense: str | None) -> tuple[int, int]:
    candidates = [(anchor.year + k, month) for k in (-1, 0, 1)]
    return _place(candidates, (anchor.year, anchor.month), tense)


def _day_date(month: int, day: int, anchor: dt.date, tense: str | None) -> dt.date:
    candidates = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(y, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError("no such day")
    return _place(candidates, anchor, tense)


# --------------------------------------------------------------------------------------------------- atoms
def _atom(kind: str, text: str, anchor: dt.date | None, tense: str | None) -> _Value:
    """Interpret one atom of ``kind`` (the name of its pattern)."""
    t = re.sub(r"\s+", " ", text.strip())
    low = t.lower()
    if kind == "iso":
        m = re.match(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d))?", t)
        dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m[4]:
            return _Value(f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}", "TIME", "minute")
        return _Value(f"{m[1]}-{m[2]}-{m[3]}", precision="day")
    if kind == "numdate":
        a, b, y = t.split("/")
        month, day = int(a), int(b)
        if month > 12 >= day:
            month, day = day, month
        return _Value(dt.date(_year(y, anchor), month, day).isoformat(), precision="day")
    if kind in ("monthday", "daymonth"):
        mon = re.search(r"[A-Za-z]{3,}", t)[0]
        day = int(re.search(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b", t)[1])
        year = re.search(rf"{_YEAR}$", t)
        month = _month(mon)
        if year:
            return _Value(dt.date(int(year[0]), month, day).isoformat(), precision="day")
        return _Value(_day_date(month, day, _need(anchor), tense).isoformat(), precision="day")
    if kind == "monthyear":
        mon = re.search(r"[A-Za-z]{3,}", t)[0]
        y = re.search(r"(?:\d{4}|'\d\d)$", t)[0]
        return _Value(f"{_year(y, anchor):04d}-{_month(mon):02d}", precision="month")
    if kind == "month":
        y, m = _month_value(_month(t), _need(anchor), tense)
        return _Value(f"{y:04d}-{m:02d}", precision="month")
    if kind in ("year", "yearnamed"):
        low = re.sub(r"^the year ", "", low)
        if low.startswith("nineteen"):
            return _Value(f"{1900 + int(_num(low[9:])):04d}", precision="year")
        if low.startswith("two thousand"):
            return _Value(f"{2000 + (int(_num(low.split()[-1])) if ' and ' in low else 0):04d}", precision="year")
        return _Value(f"{_year(low, anchor):04d}", precision="year")
    if kind == "yearpart":
        return _year_part(low, _need(anchor), tense)
    if kind == "fiscal":
        return _Value(f"{_year(t.split()[-1], anchor):04d}", precision="year")
    if kind == "decade":
        m = re.search(r"(\d{3})0s|'?(\d)0s", t)
        if m and m[1]:
            return _Value(m[1], precision="decade")
        words = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
        digit = int(m[2]) if m else words.index(low.split()[-1]) + 2
        base = (anchor.year // 100) if anchor else 19
        cent = base if digit * 10 <= (anchor.year % 100 if anchor else 99) else base - 1
        return _Value(f"{cent:02d}{digit}", precision="decade")
    if kind == "century":
        m = re.search(r"(\d+)", t)
        n = int(m[1]) if m else {"first": 1, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}[low.split()[1]]
        return _Value(f"{n - 1:02d}", precision="century")
    if kind == "holiday":
        return _holiday(low, _need(anchor), tense)
    if kind == "weekday":
        return _Value(_weekday_date(_need(anchor), WEEKDAYS[low], tense).isoformat(), precision="day")
    if kind == "deictic":
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1, "day before yesterday": -2}[low]
        return _Value((_need(anchor) + dt.timedelta(days=shift)).isoformat(), precision="day")
    if kind == "special":
        return _Value(_special(low), precision=None)
    if kind == "relpod":
        return _relpod(low, _need(anchor))
    if kind == "tod":
        return _tod(low, anchor)
    if kind == "tz":
        return _Value(None, "TIME")
    if kind == "quarter":
        return _quarter_value(low, anchor, tense)
    if kind == "season":
        return _season_value(low, anchor, tense)
    if kind == "relative":
        return _relative(low, _need(anchor), tense)
    if kind == "thenref":  # "until then": find_times puts the date last mentioned here
        return _Value(None)
    if kind == "relafter":
        words = low.split()
        return _shift(_need(anchor), 1 if words[2] in ("after", "later") else -1, words[1])
    if kind == "streak":  # "a second consecutive day", "the fourth week in a row": the current one
        unit = re.search(r"(day|week|month|year|quarter|session)\b", low)[1]
        return _shift(_need(anchor), 0, "day" if unit == "session" else unit)
    if kind == "anchorunit":
        unit = low.split()[-1]
        if unit == "weekend":
            return _weekend(_need(anchor), tense)
        return _shift(_need(anchor), 0, unit)
    if kind == "period":
        return _period_value(low, _need(anchor))
    if kind == "yearago":
        return _Value(f"{_need(anchor).year - 1:04d}", precision="year")
    if kind == "ago":
        return _ago(low, _need(anchor))
    if kind == "durpast":
        m = re.fullmatch(rf"(?:the )?(\w+) ({_NUM_WORD}) ({_UNIT})", low)
        return _Value(_duration(_num(m[2]), _unit(m[3])), "DURATION", None)
    if kind == "duration":
        return _duration_value(low)
    if kind == "set":
        return _set_value(low)
    raise ValueError(kind)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the Meeus/Jones/Butcher Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    wd = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * wd) // 451
    month, day = divmod(h + wd - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _nth_weekday(year: int, month: int, wd: int, n: int) -> dt.date:
    """The n-th (1-based; -1 the last) weekday ``wd`` of a month."""
    if n < 0:
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - wd) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))


MOVABLE_HOLIDAYS = {
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4), "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1), "easter": _easter,
    "easter sunday": _easter, "good friday": lambda y: _easter(y) - dt.timedelta(days=2),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1), "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
}


def _holiday(low: str, anchor: dt.date, tense: str | None) -> _Value:
    """A named day ("Thanksgiving Day", "last Christmas", "Easter week") placed like a date without a year."""
    rel, _, name = low.partition(" ") if low.split()[0] in ("last", "next", "this") else ("", "", low)
    week = name.endswith(" week")
    name = name[:-5] if week else name
    if name in MOVABLE_HOLIDAYS:
        days = [MOVABLE_HOLIDAYS[name](y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    else:
        month, day = HOLIDAYS[name]
        days = [dt.date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if rel == "last":
        d = max(x for x in days if x < anchor)
    elif rel == "next":
        d = min(x for x in days if x > anchor)
    elif rel == "this":
        d = days[1]
    else:
        d = _place(days, anchor, tense)
    if week:
        return _Value(_week(d - dt.timedelta(days=1)), precision="week")
    return _Value(d.isoformat(), precision="day")


def _special(low: str) -> str:
    if low in SPECIAL:
        return SPECIAL[low]
    if re.search(r"\b(?:coming|next|future|soon)\b", low):
        return "FUTURE_REF"
    return "PAST_REF" if re.search(r"\b(?:recent|past|last)\b", low) else "PRESENT_REF"


def _tod(low: str, anchor: dt.date | None) -> _Value:
    day = anchor.isoformat() if anchor else "XXXX-XX-XX"
    pod = re.search(_POD, low)
    if pod and not re.search(r"\d", low):
        return _Value(f"{day}T{PARTS_OF_DAY[pod[0]]}", "TIME", "day")
    if "noon" in low:
        return _Value(f"{day}T12:00", "TIME", "hour")
    if "midnight" in low:
        return _Value(f"{day}T24:00", "TIME", "hour")
    m = re.match(r"(\d{1,2})(?:[:.](\d\d))?\s*(a\.?m|p\.?m)?", low)
    hour, minute = int(m[1]), int(m[2] or 0)
    if m[3] and m[3].startswith("p") and hour < 12:
        hour += 12
    if m[3] and m[3].startswith("a") and hour == 12:
        hour = 0
    return _Value(f"{day}T{hour:02d}:{minute:02d}", "TIME", "minute" if m[2] and minute else "hour")


def _relpod(low: str, anchor: dt.date) -> _Value:
    if low == "tonight":
        return _Value(f"{anchor.isoformat()}TNI", "TIME", "day")
    if low == "overnight":
        return _Value(f"{anchor.isoformat()}TNI", "TIME", "day")
    first, pod = low.split()
    shift = {"last": -1 if pod == "night" else 0, "yesterday": -1, "tomorrow": 1}.get(first, 0)
    if first == "last" and pod != "night":
        shift = -1
    return _Value(f"{(anchor + dt.timedelta(days=shift)).isoformat()}T{PARTS_OF_DAY[pod]}", "TIME", "day")


def _quarter_value(low: str, anchor: dt.date | None, tense: str | None) -> _Value:
    half = re.search(r"(first|second) half", low)
    year = re.search(rf"{_YEAR}", low)
    rel_year = re.search(r"of (this|last|next) year", low)
    base_year = int(year[0]) if year else None
    if rel_year:
        base_year = _need(anchor).year + {"this": 0, "last": -1, "next": 1}[rel_year[1]]
    if half:
        n = 1 if half[1] == "first" else 2
        if base_year is None:
            a = _need(anchor)
            base_year = a.year if tense != "past" or (n == 1 or a.month > 6) else a.year - 1
        return _Value(f"{base_year:04d}-H{n}", precision="quarter")
    m = re.search(r"q([1-4])", low)
    word = re.search(r"(first|second|third|fourth|final|last|latest|current|1st|2nd|3rd|4th|same|past|previous|next|"
                     r"year-ago|year-earlier|year ago|year earlier)[- ]quarter", low)
    which = word[1] if word else ("q" if m else "the")
    if which in ORDINALS and which != "final" or which == "final" or m:
        n = int(m[1]) if m else ORDINALS[which]
        if base_year is not None:
            return _Value(f"{base_year:04d}-Q{n}", precision="quarter")
        a = _need(anchor)
        candidates = [(a.year + k, n) for k in (-1, 0, 1)]
        y, q = _quarter(a)
        if tense in (None, "past"):  # a named quarter in news is mostly the last completed one or the current one
            past = [c for c in candidates if c <= (y, q)]
            y2, n2 = past[-1] if past else candidates[0]
            return _Value(f"{y2:04d}-Q{n2}", precision="quarter")
        y2, n2 = _pick(candidates, (y, q), tense)
        return _Value(f"{y2:04d}-Q{n2}", precision="quarter")
    a = _need(anchor)
    shifts = {"the": -1, "last": -1, "latest": -1, "past": -1, "previous": -1, "current": 0, "same": 0,
              "next": 1, "year-ago": -5, "year-earlier": -5, "year ago": -5, "year earlier": -5}
    return _shift(a, shifts.get(which, -1), "quarter")


def _year_part(low: str, anchor: dt.date, tense: str | None) -> _Value:
    """"the fiscal year", "the latest fiscal year", "the full year", "year-end": a year, the current one unless a
    word or the tense says otherwise ("since year-end" is the last one)."""
    words = low.split()
    rel = words[1] if words[0] == "the" and len(words) > 2 else words[0]
    shift = {"latest": -1, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)
    return _Value(f"{anchor.year + shift:04d}", precision="year", mod="END_OF" if "end" in low else None)


def _period_value(low: str, anchor: dt.date) -> _Value:
    """A reporting period read against the anchor; :func:`_period_from_reference` refines it in a text."""
    year = re.search(rf"{_YEAR}", low)
    if year:
        return _Value(year[0], precision="year")
    if low.endswith("latest period"):
        return _shift(anchor, -1, "quarter")
    if re.search(r"\bmonth\b", low):
        return _shift(anchor, -13, "month")
    if re.search(r"\bweek\b", low):
        return _Value(_week(anchor - dt.timedelta(weeks=53)), precision="week")
    return _shift(anchor, -5, "quarter")


def _season_value(low: str, anchor: dt.date | None, tense: str | None) -> _Value:
    name = re.search(r"spring|summer|autumn|fall|winter", low)[0]
    code = SEASONS[name]
    year = re.search(rf"{_YEAR}", low)
    if year:
        return _Value(f"{year[0]}-{code}", precision="season")
    a = _need(anchor)
    rel = low.split()[0]
    candidates = [(a.year + k, SEASON_MONTH[code]) for k in (-1, 0, 1)]
    if code == "WI":
        candidates = [(y - 1, 12) for y, _ in candidates]
    key = (a.year, a.month)
    if rel in ("last", "past"):
        y = max(c for c in candidates if c < key)[0] if any(c < key for c in candidates) else a.year - 1
    elif rel in ("next", "coming"):
        y = min(c for c in candidates if c > key)[0]
    elif rel == "this":
        y = a.year - 1 if code == "WI" and a.month <= 3 else a.year  # this winter: the one that began last December
    else:
        y = _pick(candidates, key, tense)[0]
    return _Value(f"{y:04d}-{code}", precision="season")


def _weekend(anchor: dt.date, tense: str | None, rel: str | None = None) -> _Value:
    """The weekend meant: the one just past (on a weekday) unless the tense or "next"/"coming" looks ahead."""
    ahead = rel in ("next", "coming", "upcoming", "following") or tense == "future"
    if rel == "last" or (not ahead and anchor.weekday() < 5):
        return _shift(anchor, -1, "weekend")
    return _shift(anchor, 1 if rel == "next" and anchor.weekday() >= 5 else 0, "weekend")


def _relative(low: str, anchor: dt.date, tense: str | None) -> _Value:
    words = low.split()
    if words[0] == "the":
        words = words[1:]
    rel, what = words[0], words[-1]
    if what in WEEKDAYS:
        r = {"last": "last", "past": "last", "previous": "last", "next": "next", "following": "next",
             "this": "this", "coming": "this", "upcoming": "this"}.get(rel)
        return _Value(_weekday_date(anchor, WEEKDAYS[what], tense, r).isoformat(), precision="day")
    if what in MONTHS:
        month = _month(what)
        if rel in ("last", "past", "previous"):
            y = anchor.year if month < anchor.month else anchor.year - 1
        elif rel in ("next", "coming", "upcoming", "following"):
            y = anchor.year if month > anchor.month else anchor.year + 1
        else:
            y = anchor.year
        return _Value(f"{y:04d}-{month:02d}", precision="month")
    unit = _unit(what)
    if unit == "weekend" and rel in ("last", "past", "previous", "next", "coming", "upcoming", "following", "this"):
        return _weekend(anchor, tense, {"past": "last", "previous": "last"}.get(rel, rel))
    if rel == "past" and unit not in ("weekend",):  # "the past decade": the span up to now
        return _Value(_duration(1, unit), "DURATION", None)
    shift = {"last": -1, "previous": -1, "latest": -1, "next": 1, "coming": 1, "upcoming": 1, "following": 1,
             "this": 0, "current": 0, "same": 0, "that": 0}.get(rel, 0)
    return _shift(anchor, shift, unit)


def _ago(low: str, anchor: dt.date) -> _Value:
    m = re.fullmatch(rf"({_NUM_WORD})(?: and a half)?[- ]({_UNIT}) (ago|earlier|later|from now|hence)", low)
    if not m:
        m2 = re.fullmatch(r"(?:a )?(year|month|week|day)[- ](earlier|ago)", low)
        n, unit, direction = 1, m2[1], m2[2]
    else:
        n, unit, direction = _num(m[1]), _unit(m[2]), m[3]
    if n is None:
        return _Value("PAST_REF" if direction in ("ago", "earlier") else "FUTURE_REF")
    sign = -1 if direction in ("ago", "earlier") else 1
    n = int(n)
    if unit in ("hour", "minute", "second"):
        return _Value(anchor.isoformat(), precision="day")
    if unit == "day":
        return _Value((anchor + dt.timedelta(days=sign * n)).isoformat(), precision="day")
    if unit in ("decade", "century"):
        return _Value(f"{anchor.year + sign * n * (10 if unit == 'decade' else 100):04d}", precision="year")
    if unit == "week":
        return _Value((anchor + dt.timedelta(weeks=sign * n)).isoformat() if n == 1 else
                      _week(anchor + dt.timedelta(weeks=sign * n)), precision="day" if n == 1 else "week")
    return _shift(anchor, sign * n, unit)


def _duration_value(low: str) -> _Value:
    if re.fullmatch(r"years|months|weeks|days|hours|decades|minutes", low):
        return _Value(_duration(None, _unit(low)), "DURATION")
    m = re.fullmatch(r"half an? (\w+)", low)
    if m:
        unit = _unit(m[1])
        return _Value(_duration(0.5, unit), "DURATION")
    m = re.fullmatch(rf"({_NUM_WORD})( and a half)?(?: consecutive| straight| successive| full)?[- ]({_UNIT})"
                     r"(?:[- ]long|[- ]old)?", low)
    n = _num(m[1])
    if n is not None and m[2]:
        n = n + 0.5
    return _Value(_duration(n, _unit(m[3])), "DURATION")


def _set_value(low: str) -> _Value:
    adverbs = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
               "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W"}
    if low in adverbs:
        return _Value(adverbs[low], "SET")
    wd = re.search(_WD, low)
    if wd:
        return _Value(f"XXXX-WXX-{WEEKDAYS[wd[0]] + 1}", "SET")
    pod = re.search(rf"\b{_POD}\b", low)
    if pod and re.search(r"every|each|per", low):
        return _Value("P1D", "SET")
    unit = _unit(re.search(_UNIT1, low)[0])
    n = 2 if "other" in low else 1
    return _Value(_duration(n, unit), "SET")
