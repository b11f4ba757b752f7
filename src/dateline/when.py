"""When: find time expressions, normalise them to TimeML values against the publication date, date events.

Detection is one compiled regular expression of "atoms" (weekdays, month-day forms, years, relative expressions,
durations, sets, times of day ...); adjacent atoms merge ("10 p.m. Wednesday", "Friday, Sept. 12"), and the words
to their left add a modifier ("since 2019" → mod START, "until"/"by" → END, "early"/"late" → EARLY/LATE). Values
are TimeML: ``2023-09-13``, ``2023-07``, ``2023-W36``, ``2023-Q3``, ``2023-SU``, ``199`` (the 1990s), ``P3Y``,
``2023-09-13T17:00``, ``2023-09-12TNI``, ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``; sets keep a period value
(``P1W``). Underspecified expressions (weekdays, months without a year, quarters, seasons) are placed past or future
of the anchor by the tense of the governing verb (from a spaCy parse when given, else from cue words in the
sentence), and by the nearest occurrence when the tense says nothing. dateparser is used only as a fallback for
explicit date strings the rules cannot read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from dateline.model import TimeExpr

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["find_times", "normalise", "governing_time", "BOUNDARY_MODS"]

BOUNDARY_MODS = frozenset({"START", "END", "BEFORE", "AFTER"})  # these never date an event

# --------------------------------------------------------------------------------------------------- vocabulary
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2, "single": 1,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
UNIT_CODES = {  # unit → (duration letter, is time unit, precision)
    "second": ("S", True, "minute"), "minute": ("M", True, "minute"), "hour": ("H", True, "hour"),
    "day": ("D", False, "day"), "night": ("D", False, "day"), "week": ("W", False, "week"),
    "weekend": ("WE", False, "week"), "fortnight": ("W", False, "week"), "month": ("M", False, "month"),
    "quarter": ("Q", False, "quarter"), "year": ("Y", False, "year"), "decade": ("DE", False, "decade"),
    "century": ("CE", False, "century"),
}
HOLIDAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "new year's day": (1, 1),
            "new year's eve": (12, 31), "independence day": (7, 4), "valentine's day": (2, 14),
            "halloween": (10, 31)}
SPECIAL = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF", "presently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "at present": "PRESENT_REF", "at the moment": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "formerly": "PAST_REF", "previously": "PAST_REF",
    "the past": "PAST_REF", "recent years": "PAST_REF", "recent months": "PAST_REF", "recent weeks": "PAST_REF",
    "recent days": "PAST_REF", "more recently": "PAST_REF", "once": "PAST_REF", "earlier": "PAST_REF",
    "the future": "FUTURE_REF", "soon": "FUTURE_REF", "the near future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "future": "FUTURE_REF", "the long term": "FUTURE_REF", "the short term": "FUTURE_REF",
    "the time being": "PRESENT_REF", "very soon": "FUTURE_REF", "as soon as possible": "FUTURE_REF", "current": "PRESENT_REF", "recent": "PAST_REF", "the coming years": "FUTURE_REF", "the coming months": "FUTURE_REF",
}

# --------------------------------------------------------------------------------------------------- patterns
_NUM_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
             r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
             r"fifteen|sixteen|seventeen|eighteen|nineteen|a\s+hundred|hundred|a\s+dozen|dozen|a\s+couple\s+of|"
             r"a\s+couple|couple\s+of|several|a\s+few|few|many|some|\d+(?:\.\d+)?|an?)")
_UNIT = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|centur(?:y|ie))s?"
_UNIT1 = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|century)"
_MON_FULL = r"January|February|March|April|May|June|July|August|September|October|November|December"
_MON_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MON = rf"(?-i:(?:{_MON_FULL}|(?:{_MON_ABBR})\.?|(?:{_MON_FULL.upper()})))"
_MON_ONLY = rf"(?-i:{_MON_FULL}|{_MON_FULL.upper()})"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAYNUM = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_POD = r"(?:morning|afternoon|evening|night|overnight)"
_TZ = (r"(?:\(?(?:local\s+time|[ECMP][SD]T|GMT(?:\s*[+-]\s*\d+)?|UTC|BST|CET|CEST|JST|KST|IST|MSK|"
       r"(?:Moscow|Beijing|Tokyo|Pyongyang|Seoul)\s+time)\)?)")
_REL = r"(?:last|next|this|coming|past|previous|following|current|upcoming|same|that|latest)"
_ORD = r"(?:first|second|third|fourth|final|last|latest|current|1st|2nd|3rd|4th|same|past|previous|next)"

ATOMS: list[tuple[str, str]] = [
    ("iso", rf"{_YEAR}-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d-])"),
    ("numdate", r"[01]?\d/[0-3]?\d/(?:\d{4}|\d\d)(?![\d/])"),
    ("monthday", rf"{_MON}\s+{_DAYNUM}(?:\s*,?\s*{_YEAR})?(?!\d|:\d)"),
    ("daymonth", rf"{_DAYNUM}\s+(?:of\s+)?{_MON}(?:\s*,?\s*{_YEAR})?"),
    ("monthyear", rf"{_MON}\s*,?\s+(?:of\s+)?{_YEAR}|{_MON}\s+'\d\d"),
    ("period", rf"(?:the\s+)?(?:(?:same|corresponding|comparable)\s+(?:period|month|quarter|week)(?:\s+(?:of|in))?\s+"
               rf"(?:last\s+year|a\s+year\s+(?:ago|earlier|before)|the\s+(?:last|previous|prior)\s+year)|"
               rf"(?:comparable\s+)?(?:year-ago|year-earlier|year\s+ago|year\s+earlier)\s+period|latest\s+period|"
               rf"{_YEAR}\s+(?:period|quarter))"),
    ("holiday", r"(?:(?:last|next|this)\s+)?(?-i:Christmas(?:\s+(?:Eve|Day))?|New\s+Year's\s+(?:Day|Eve)|"
                r"Independence\s+Day|Thanksgiving(?:\s+Day)?|Election\s+Day|Easter(?:\s+(?:Sunday|[Ww]eek))?|"
                r"Good\s+Friday|Memorial\s+Day|Labor\s+Day|"
                r"Valentine's\s+Day|Halloween)"),
    ("quarter", rf"(?:the\s+)?(?:{_YEAR}\s+)?(?:{_ORD}|year-ago|year-earlier|year\s+ago|year\s+earlier)[- ]quarter"
                rf"(?:\s+of\s+(?:this|last|next)\s+year|\s+of\s+{_YEAR}|\s+{_YEAR})?|\bQ[1-4](?:\s+{_YEAR})?"
                rf"|(?:the\s+)?(?:first|second)\s+half(?:\s+of\s+(?:this|last|next)\s+year|\s+of\s+{_YEAR})?"
                r"|the\s+quarter"),
    ("yearpart", r"(?:the\s+)?(?:(?:current|latest|last|previous|past|next|coming|full|entire)\s+)?fiscal\s+year"
                 r"(?!\s+(?:19|20)\d\d)|the\s+(?:full|entire|whole)\s+year|year[- ]end(?![- ]\w)|year's\s+end"),
    ("fiscal", rf"fiscal(?:\s+year)?\s+(?:{_YEAR}|'\d\d)"),
    ("season", rf"(?:(?:this|last|next|past|coming)\s+(?:spring|summer|autumn|fall|winter)|"
               rf"(?:spring|summer|autumn|winter)(?:\s+of)?\s+{_YEAR}|(?:the\s+)?(?:spring|summer|autumn|winter)"
               rf"(?:\s+of\s+{_YEAR})?|(?-i:Autumn|Fall))"),
    ("ago", rf"{_NUM_WORD}(?:\s+and\s+a\s+half)?[- ]{_UNIT}\s+(?:ago|earlier|later|from\s+now|hence)"
            r"|(?:a\s+)?(?:year|month|week|day)[- ](?:earlier|ago)"),
    ("set", rf"(?:every|each|per)\s+(?:other\s+|single\s+)?(?:{_UNIT1}|{_WD}|{_POD})|daily|weekly|monthly|"
            rf"annually|yearly|hourly|nightly|biweekly|(?:once|twice|thrice|\w+\s+times)\s+a\s+{_UNIT1}|"
            rf"(?:on\s+)?{_WD}s(?!')"),
    ("durpast", rf"(?:the\s+)?(?:past|last|next|coming|previous|first|final)\s+{_NUM_WORD}\s+{_UNIT}"),
    ("relpod", rf"(?:this|last|tomorrow|yesterday|that)\s+{_POD}|tonight|overnight"),
    ("relative", rf"(?:the\s+)?{_REL}\s+(?:{_UNIT1}|{_WD}|{_MON_ONLY})\b"),
    ("yearnamed", rf"the\s+year\s+(?:{_YEAR}(?!s|\d)|two\s+thousand(?:\s+and\s+(?:one|two|three|four|five|six|seven|"
                  r"eight|nine|ten))?)"),
    ("thenref", r"then|that\s+(?:time|date)"),
    ("relafter", r"the\s+(?:day|week|month|year)\s+(?:before|earlier|previous|prior|after|later)(?=\s*(?:[,.;:)]|$|"
                 r"\s+(?:and|when|while|but)\b))"),
    ("anchorunit", r"the\s+(?:day|week|weekend|month|year)(?!\s+(?:before|after)\s+(?!\w+ing\b)|\s+(?:earlier|later|ago))"
                   r"(?![-\w])"),
    ("streak", r"(?:(?:a|the)\s+)?(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+"
               r"(?:(?:consecutive|straight|successive)\s+(?:day|week|month|year|quarter|session)|"
               r"(?:day|week|month|year|quarter|session)\s+in\s+a\s+row)"),
    ("yearago", r"(?:the\s+)?year[- ](?:ago|earlier)(?=\s+(?:period|results|quarter|level|figures|profit|loss|"
                r"net|sales|earnings|revenue|month))"),
    ("special", r"right\s+now|now|currently|presently|nowadays|these\s+days|at\s+present|recently|lately|formerly|"
                r"more\s+recently|recent\s+(?:years|months|weeks|days)|the\s+(?:near\s+)?future|"
                r"the\s+(?:near|long|short)\s+term|the\s+past(?!\s+(?:tense|participle))|current(?=\s+[a-z])|"
                r"recent(?=\s+[a-z])|(?:the\s+)?(?:coming|next\s+few|future)\s+(?:days|weeks|months|years|quarters)|"
                r"the\s+time\s+being|(?:very\s+)?soon(?![- ](?:after|before|as|thereafter|to)\b)|"
                r"as\s+soon\s+as\s+possible"),
    ("duration", rf"{_NUM_WORD}(?:\s+and\s+a\s+half)?(?:\s+(?:consecutive|straight|successive|full))?[- ]{_UNIT}(?:[- ]long|[- ]old)?|"
                 rf"half\s+an?\s+{_UNIT1}|(?:years|months|weeks|days|hours|decades|minutes)(?!')"),
    ("tod", rf"(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|a\.m\b|p\.m\b|am\b|pm\b)(?:\s+{_TZ})?|"
            rf"(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s+{_TZ})|(?:[01]\d|2[0-3]):[0-5]\d(?![\d:])|noon|midnight|"
            rf"(?:mid-?)?{_POD}"),
    ("deictic", r"today|yesterday|tomorrow|day\s+before\s+yesterday"),
    ("weekday", _WD + r"(?!s)"),
    ("tz", _TZ),
    ("decade", r"(?:the\s+)?(?:(?:early|mid|late)[- ])?(?:(?:1[5-9]\d|20\d)0s|'?[1-9]0s|(?:nineteen\s+)?(?:twenties|thirties|forties|fifties|sixties|"
               r"seventies|eighties|nineties))"),
    ("century", r"the\s+(?:\d{1,2}(?:st|nd|rd|th)|first|nineteenth|twentieth|twenty-first)\s+century|"
                r"(?:1\d|2[01]|[1-9])(?:st|nd|rd|th)[- ]century"),
    ("month", _MON_ONLY),
    ("year", rf"{_YEAR}(?!s|\d)|'\d\d(?!s|\d)|nineteen[- ](?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|"
             r"ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|"
             r"fifteen|sixteen|seventeen|eighteen|nineteen)"),
]
_ATOM_RE = re.compile(
    r"(?i)(?<![\w$£€#/])(?:" + "|".join(f"(?P<{name}>{pat})" for name, pat in ATOMS) + r")(?![\w/])"
)
_ATOM_FULL = {name: re.compile(rf"(?i)(?:{pat})") for name, pat in ATOMS}

_PREFIX_RE = re.compile(
    r"(?i)(?:\b(?P<prep>since|from|until|till|through|by|before|after|as\s+of|on|in|at|during|for|over|within|"
    r"between|around|about|throughout|starting|beginning)\s+)?"
    r"(?:\b(?P<mod>early|late|mid|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
    r"the\s+middle\s+of|the\s+turn\s+of|end|beginning|start)(?:\s+(?:on|in|of|this|that))?(?:\s+|-))?$"
)
_GAP_RE = re.compile(r"(?i)^(?:\s*,\s*|\s+|\s+(?:at|on|of|in\s+the|in)\s+|\s*,\s*(?:at|on)\s+|-)$")
_RANGE_END_RE = re.compile(r"(?i)^\s*(?:to|until|till|through|and|-|–)\s*$")

DAY_KINDS = {"iso", "numdate", "monthday", "daymonth", "weekday", "deictic", "holiday"}
TIME_KINDS = {"tod", "tz", "relpod"}
STANDALONE_NEEDS_CONTEXT = {"May", "March", "MAY", "MARCH"}
_MONTH_CONTEXT = re.compile(
    r"(?i)\b(?:in|since|until|till|by|last|next|this|early|late|mid|of|during|from|through|before|after|"
    r"to|and|or|between|each|every|until|that)\s*-?$")


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
        candidates = [(y - 1 if True else y, 12) for y, _ in candidates]
    key = (a.year, a.month)
    if rel in ("last", "past"):
        y = max(c for c in candidates if c < key)[0] if any(c < key for c in candidates) else a.year - 1
        y = y if not any(c[0] == a.year and abs(_dist(c, key)) <= 1 for c in candidates if c < key) else y
    elif rel in ("next", "coming"):
        y = min(c for c in candidates if c > key)[0]
    elif rel == "this":
        y = a.year
        y = a.year - 1 if code == "WI" and a.month >= 12 else y
        y = a.year if code != "WI" else (a.year if a.month >= 12 else a.year - 1 if a.month <= 3 else a.year)
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
        if re.search(r"every|each|per", low) is None and not low.endswith("s"):
            pass
        return _Value(f"XXXX-WXX-{WEEKDAYS[wd[0]] + 1}", "SET")
    pod = re.search(rf"\b{_POD}\b", low)
    if pod and re.search(r"every|each|per", low):
        return _Value(f"TXX{PARTS_OF_DAY[pod[0]]}", "SET") if False else _Value("P1D", "SET")
    unit = _unit(re.search(_UNIT1, low)[0])
    n = 2 if "other" in low else 1
    return _Value(_duration(n, unit), "SET")


# --------------------------------------------------------------------------------------------------- composition
def _combine(atoms: list[tuple[str, str]], anchor: dt.date | None, tense: str | None) -> _Value:
    """Interpret merged atoms: the most specific date atom gives the day, a time atom adds the time of day."""
    values = [(kind, text, _atom(kind, text, anchor, tense)) for kind, text in atoms]
    if len(values) == 1:
        return values[0][2]
    explicit = [v for k, _, v in values if k in ("iso", "numdate", "monthday", "daymonth")]
    year_atoms = [v.value for k, t, v in values if k == "year" or k == "relative" and v.precision == "year"]
    month_atoms = [(k, t) for k, t, _ in values if k in ("monthday", "month")]
    day: _Value | None = None
    if month_atoms and year_atoms and year_atoms[0] and not re.search(r"\d{4}", month_atoms[0][1]):
        k, t = month_atoms[0]
        day = _atom("monthday" if k == "monthday" else "monthyear", f"{t} {year_atoms[0]}", anchor, tense)
    elif explicit:
        day = explicit[0]
    else:
        dayish = [v for k, _, v in values if k in DAY_KINDS or k in ("relative", "ago") and v.precision == "day"]
        day = dayish[0] if dayish else None
    times = [(k, v) for k, _, v in values if k in TIME_KINDS and v.value]
    if day is None:
        if times:
            return times[0][1]
        return next((v for _, _, v in values if v.value), values[0][2])
    if not times or day.precision != "day":
        return day
    clock = times[0][1].value.split("T", 1)[1]
    tod = next((v for k, v in times if k == "tod" and re.match(r"\d", v.value.split("T")[1])), None)
    if tod is not None:
        clock = tod.value.split("T", 1)[1]
    precision = (tod or times[0][1]).precision
    return _Value(f"{day.value}T{clock}", "TIME", precision)


_MOD_WORDS = {"early": "EARLY", "earlier": None, "late": "LATE", "later": None, "mid": "MID",
              "the end of": "END_OF", "end": "END_OF", "the beginning of": "START_OF", "beginning": "START_OF",
              "the start of": "START_OF", "start": "START_OF", "the middle of": "MID", "the turn of": "APPROX"}
_PREP_MODS = {"since": "START", "from": "START", "starting": "START", "beginning": "START",
              "until": "END", "till": "END", "through": "END", "by": "END", "before": "BEFORE", "after": "AFTER",
              "as of": None}
TIME_MODS_INFO = ("START/END: since, from / until, by (boundaries: never date an event); BEFORE/AFTER; "
                  "EARLY, LATE, MID, START_OF, END_OF, APPROX: parts of a period (still date an event)")


@dataclass
class _Found:
    start: int
    end: int
    atoms: list[tuple[str, str]]
    mod: str | None = None


def _scan(text: str) -> list[_Found]:
    """Find atoms, drop implausible ones, merge neighbours, attach prepositions and modifiers."""
    raw: list[tuple[int, int, str, str]] = []
    for m in _atom_matches(text):
        kind = m.lastgroup
        s, e = m.span()
        if not _plausible(kind, text, s, e):
            continue
        raw.append((s, e, kind, m.group()))
    found: list[_Found] = []
    for s, e, kind, t in raw:
        if found and _mergeable(found[-1], kind, text[found[-1].end:s]):
            found[-1].end = e
            found[-1].atoms.append((kind, t))
            continue
        found.append(_Found(s, e, [(kind, t)]))
    out = []
    for f in found:
        kinds = {k for k, _ in f.atoms}
        if kinds <= {"tz"} or (kinds <= {"tod", "tz"} and all(re.fullmatch(rf"(?i)(mid-?)?{_POD}", t)
                                                              for k, t in f.atoms if k == "tod")):
            continue  # "local time" or "morning" alone
        _attach_prefix(text, f)
        out.append(f)
    _ranges(text, out)
    return out


_FIRST_WORDS = frozenset(
    set(MONTHS) | set(WEEKDAYS) | {w + "s" for w in WEEKDAYS} | set(NUMBERS) | set(ORDINALS) | set(SEASONS)
    | set(PARTS_OF_DAY) | {w.split()[0] for w in SPECIAL} | {w.split()[0] for w in HOLIDAYS}
    | set(UNIT_CODES) | {u + "s" for u in UNIT_CODES} | {"centuries"}
    | set("""the this last next coming past previous following current upcoming same that latest every each per
    once twice thrice daily weekly monthly annually yearly hourly nightly biweekly on tonight overnight tomorrow
    yesterday today day right these at more recent half fiscal corresponding comparable thanksgiving
    election easter good memorial labor then q1 q2 q3 q4 noon midnight mid year several few many
    some couple dozen single new local est edt cst cdt mst mdt pst pdt gmt utc bst cet cest jst kst ist msk moscow
    beijing tokyo pyongyang seoul twenties thirties forties fifties sixties seventies eighties nineties""".split())
)
_WORD_RE = re.compile(r"[A-Za-z]+\d*|\d+|'(?=\d)")


def _atom_matches(text: str):
    """Matches of the atom pattern, tried only where a word that can start a time expression begins (fast)."""
    end = 0
    for w in _WORD_RE.finditer(text):
        s = w.start()
        if s < end:
            continue
        word = w.group()
        if not (word[0].isdigit() or word == "'" or word.lower() in _FIRST_WORDS):
            continue
        m = _ATOM_RE.match(text, s)
        if m and m.end() > s:
            end = m.end()
            yield m


def _plausible(kind: str, text: str, s: int, e: int) -> bool:
    t = text[s:e]
    before = text[max(0, s - 25):s]
    after = text[e:e + 25]
    if kind == "year":
        if re.match(r"\s*(?:%|percent|per\s*cent|[-–]\d|,\d{3}|\.\d)", after) or re.search(r"(?:\d[,.]|[#№]|No\.\s*)$",
                                                                                           before):
            return False
        if re.match(r"\s+(?:(?!(?:as|is|was|has|his|its|this|thus|us|plus|less|unless|across|whereas|perhaps|"
                    r"towards|besides|afterwards|always|does|goes|means|remains|seems|ends|begins|comes|makes|"
                    r"takes|gets|says|sees|marks|follows|saw)\b)[a-z]{2,}s|people|men|women|troops|soldiers|dollars|tons|units|shares|feet|metres|meters|"
                    r"miles|km|kilometers|kilometres|yards|points|votes|words|pages|copies|cars|jobs|acres|rooms|"
                    r"barrels|strong|wide|high|long)\b", after) and not re.match(r"\s+(?:levels|figures|levels|"
                                                                                     r"results|sales|earnings)\b",
                                                                                     after):
            return False
        if t.startswith("'") and not re.search(r"(?i)\b(?:in|of|since|the|class|until|from|by)\s*$", before):
            return False
        if re.search(r"[Rr]oute\s*$|\bmodel\s*$|\bflight\s*$|\bRoom\s*$", before):
            return False
    if kind == "decade" and re.fullmatch(r"(?i)(?:(?:early|mid|late)[- ])?[1-9]0s", t):
        # "80s" alone: a decade only in "the 70s and 80s"; "in his 70s" is an age
        return bool(re.search(r"(?i)\b\d0s\s+(?:and|or|to|through|-)\s+$", before))
    if kind == "decade" and re.fullmatch(r"(?i)the\s+(?:(?:early|mid|late)[- ])?[1-9]0s", t):
        return not re.match(r"\s*(?:%|percent|degrees|F\b|C\b)", after)
    if kind == "thenref":
        return bool(re.search(r"(?i)\b(?:until|till|by)\s+$", before))
    if kind == "month" and t in STANDALONE_NEEDS_CONTEXT:
        return bool(_MONTH_CONTEXT.search(before)) and not re.match(r"\s+(?:be|have|not|also|well|need)\b", after)
    if kind == "duration":
        if re.search(r"(?i)[- ]old$", t) or re.match(r"(?i)\s+old\b", after):
            return False  # ages are not time expressions
        if re.fullmatch(r"(?i)an?\s+" + _UNIT1, t) and re.search(r"(?i)\b(?:once|twice|times|per|\$\s*[\d.]+\s*"
                                                                  r"(?:million|billion)?)\s*$", before):
            return False
        if re.fullmatch(r"(?i)(?:some|many|few)\s+" + _UNIT, t) and not re.search(r"(?i)(?:for|in|over|after|"
                                                                                   r"within|ago)\s*$", before):
            return False
    if kind == "special":
        low = t.lower()
        if low in ("once", "earlier"):
            return False
        if low == "now" and re.match(r"\s+(?:that)\b", after):
            return True
        if low == "soon" and (re.match(r"\s+(?:after|before|\w+ed|became|began|went|took|came|found)\b", after)
                              or re.search(r"(?i)\b(?:was|were|had|that)\s+$", before)):
            return False  # "soon after", "he was soon released": a past narrative, not the future
    if kind == "tod":
        low = t.lower()
        if re.fullmatch(r"\d\d:\d\d", low):
            return not re.search(r"(?i)\b(?:score|ratio|odds|john|matthew|luke|mark|verse)\s*$", before)
    if kind == "set" and t.lower().startswith("per") and re.fullmatch(r"(?i)per\s+" + _UNIT1, t):
        return True
    if kind == "anchorunit" and re.match(r"\s+(?:of|when|that|(?:before|after)(?!\s+\w+ing\b))\b", after):
        return False
    return True


def _mergeable(prev: _Found, kind: str, gap: str) -> bool:
    if not _GAP_RE.match(gap) or "\n" in gap:  # a headline does not run into the date line
        return False
    kinds = [k for k, _ in prev.atoms]
    last = kinds[-1]
    if kind == "tz":
        return last in ("tod", "relpod", "weekday", "deictic", "monthday", "daymonth", "iso")
    if last == "tz" and len(kinds) > 1 and kind in DAY_KINDS | {"tod"}:
        return not (kind in DAY_KINDS and any(k in DAY_KINDS for k in kinds))
    day_before = any(k in DAY_KINDS or k == "relative" for k in kinds)
    time_before = any(k in ("tod", "relpod") for k in kinds)
    if kind in ("tod",) and (day_before or last == "tz") and not time_before:
        return True
    if kind in DAY_KINDS and time_before and not day_before:
        return True
    if kind in ("monthday", "daymonth") and last == "weekday":
        return True
    if kind == "year" and last in ("monthday", "month", "daymonth") and not re.search(r"\d{4}", prev.atoms[-1][1]):
        return gap.strip() in ("", ",", "of")
    if kind == "relative" and last == "tod" and not day_before:
        return True
    if kind == "relative" and last in ("month", "monthday") and gap.strip() in ("", "of"):
        return True  # "June last year", "February this year"
    return False


def _attach_prefix(text: str, f: _Found) -> None:
    m = _PREFIX_RE.search(text, max(0, f.start - 40), f.start)
    if not m or m.end() != f.start or m.start() == m.end():
        return
    mod = m["mod"]
    first = f.atoms[0][1].lower()
    if mod and mod.lower() in ("end", "start", "beginning") and not re.search(r"(?i)the\s+$", text[:m.start("mod")]):
        if not re.search(r"\bof\b", m[0]):
            mod = None
    prep = m["prep"]
    if prep and prep.lower() in ("for", "over", "within", "around", "about", "between", "throughout") and not mod:
        prep = None
    start = m.start("mod") if mod else None
    if prep:
        start = m.start("prep")
    if start is None:
        return
    if first.startswith("the ") and mod and mod.lower().startswith("the "):
        pass
    f.start = start
    p = (prep or "").lower()
    p = re.sub(r"\s+", " ", p)
    f.mod = _PREP_MODS.get(p)
    if mod:
        mod_key = re.sub(r"\s+", " ", mod.lower())
        if f.mod is None:
            f.mod = _MOD_WORDS.get(mod_key)


def _ranges(text: str, found: list[_Found]) -> None:
    """"from X to Y", "between X and Y": X starts the range, Y ends it."""
    for a, b in zip(found, found[1:], strict=False):
        if a.mod == "START" and _RANGE_END_RE.match(text[a.end:b.start]) and b.mod is None:
            b.mod = "END"


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
    if words & {"will", "shall", "'ll", "wo", "ll"}:
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
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
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


def normalise(expression: str, anchor: dt.date, tense: str | None = None) -> TimeExpr:
    """Normalise one expression (e.g. ``"early on Tuesday local time"``) against ``anchor``; offsets 0..len.

    ``tense`` ("past" | "future" | None) places underspecified expressions; None takes the nearest occurrence.
    An expression the rules do not recognise gets dateparser's reading, else ``value=None``.
    """
    return TimeExpr(expression, 0, len(expression), *_normalised(expression, anchor, tense))


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


def _datable(t: TimeExpr) -> bool:
    return t.is_datable and t.mod not in BOUNDARY_MODS


def governing_time(trigger: Token, times: list[TimeExpr]) -> TimeExpr | None:
    """The datable expression that governs the trigger's clause, else the nearest datable one in its sentence.

    Governs: the expression's head word lies in the subtree of the trigger's clause head with no other verb between
    them; failing that, an expression attached to a verb whose clause contains the trigger ("the Kremlin said
    Tuesday [that X will ...]"). Durations, sets and boundary expressions ("since 2019", "until May") never date.
    """
    doc = trigger.doc
    sent = trigger.sent
    cands = [t for t in times if _datable(t) and sent.start_char <= t.start < sent.end_char]
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
