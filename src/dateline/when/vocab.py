"""Word tables and the regular expressions of time atoms (weekdays, months, numbers, units, holidays)."""

from __future__ import annotations

import re

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
