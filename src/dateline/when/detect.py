"""Finding time expressions: scanning atoms, merging neighbours, modifiers ("since", "early"), ranges."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateline.when.values import _atom, _Value
from dateline.when.vocab import (
    _ATOM_RE,
    _GAP_RE,
    _MONTH_CONTEXT,
    _POD,
    _PREFIX_RE,
    _RANGE_END_RE,
    _UNIT,
    _UNIT1,
    DAY_KINDS,
    HOLIDAYS,
    MONTHS,
    NUMBERS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    SPECIAL,
    STANDALONE_NEEDS_CONTEXT,
    TIME_KINDS,
    UNIT_CODES,
    WEEKDAYS,
)


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
    | set(["the", "this", "last", "next", "coming", "past", "previous", "following", "current", "upcoming", "same", "that", "latest", "every", "each", "per", "once", "twice", "thrice", "daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly", "biweekly", "on", "tonight", "overnight", "tomorrow", "yesterday", "today", "day", "right", "these", "at", "more", "recent", "half", "fiscal", "corresponding", "comparable", "thanksgiving", "election", "easter", "good", "memorial", "labor", "then", "q1", "q2", "q3", "q4", "noon", "midnight", "mid", "year", "several", "few", "many", "some", "couple", "dozen", "single", "new", "local", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst", "cet", "cest", "jst", "kst", "ist", "msk", "moscow", "beijing", "tokyo", "pyongyang", "seoul", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"])
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
