"""The event filters, defined once: the :class:`Query` the command line, the web API, exports and the store all take.

Each filter is a field of :class:`Query` whose metadata (a :class:`Filter`) says how it is checked and how it is offered:
``dateline events --FLAG`` options (:mod:`dateline.cli`), the query parameters of the web's event endpoints
(:mod:`dateline.web.app`) and :func:`parse_query` (text values) are all generated from it; the SQL condition of each
filter lives in :mod:`dateline.store.select`.  Adding a filter means adding a field here and its condition there.

Every check raises :class:`FilterError` (a ``ValueError``) whose message starts with the option's name, so callers can
show it as is ("near: expected LAT,LON,KM ...").  This module knows neither SQL nor the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dateline.model import DATE_SOURCES, PLOVER_TYPES, QUAD_CLASSES, SECTOR_LABELS, SECTORS, STATUSES
from dateline.when.intervals import date_interval

SORT_KEYS = ("date", "published", "type", "goldstein", "confidence", "id", "reports")


class FilterError(ValueError):
    """A filter value that cannot be used; the message names the option."""


# ---- checks: value (text from a command line or a URL, or a Python value) -> the value the store uses ------------

def _did_you_mean(value: Any, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value).strip().upper(), [c.upper() for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def check_choice(value: Any, choices: Sequence[str], option: str) -> str:
    """Case-insensitive choice, returned as spelled in ``choices``."""
    got = {c.upper(): c for c in choices}.get(str(value).strip().upper())
    if got is None:
        raise FilterError(f"{option}: expected one of {', '.join(choices)}, got {value!r}"
                          f"{_did_you_mean(value, choices)}")
    return got


def parse_code(value: Any, option: str) -> str | None:
    """A country (ISO3 or IGO-like) or sector code, upper-cased."""
    if not value:
        return None
    code = str(value).strip().upper()
    if not code.isalnum() or not 2 <= len(code) <= 8:
        raise FilterError(f"{option}: expected a code such as RUS or GOV, got {value!r}")
    return code


def parse_country(value: Any, option: str) -> str | None:
    """An ISO3 (or IGO-like) code, or a country's name or demonym ("Russia", "Russian" -> RUS; GeoNames names)."""
    if not value:
        return None
    text = str(value).strip()
    if text.isupper() or (len(text) <= 3 and text.isalnum()):
        return parse_code(text, option)
    from dateline.gazetteer import get_gazetteer  # loaded only when a name is given

    gaz = get_gazetteer()
    code = gaz.demonym(text) or next((c.country for c in gaz.lookup(text) if c.is_country and c.country), None)
    if code is None:
        names = gaz.country_names()
        close = difflib.get_close_matches(text.lower(), list(names), n=1, cutoff=0.75)
        hint = f" (did you mean {names[close[0]]}, {close[0].title()}?)" if close else ""
        raise FilterError(f"{option}: no country named {text!r}{hint}; give an ISO3 code such as RUS")
    return code


def parse_sector(value: Any, option: str) -> str | None:
    """A sector code (GOV, MIL, …) or its reading ("police" -> COP, "military" -> MIL)."""
    if not value:
        return None
    text = str(value).strip()
    by_label = {label.upper(): code for code, label in SECTOR_LABELS.items()}
    return by_label.get(text.upper()) or check_choice(text, SECTORS, option)


def parse_day(value: str | dt.date, option: str) -> tuple[str, str]:
    """The first and last day of YYYY, YYYY-MM or YYYY-MM-DD (or of a date)."""
    if isinstance(value, dt.date):
        day = (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        return day, day
    text = str(value).strip()
    parts = text.split("-")
    interval = None
    if 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        interval = date_interval(text)
    if interval is None:
        raise FilterError(f"{option}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return interval


def parse_near(value: Any, option: str = "near") -> tuple[float, float, float] | None:
    """``"LAT,LON,KM"`` or a (lat, lon, km) sequence → (lat, lon, km)."""
    if value is None or value == "":
        return None
    try:
        lat, lon, radius = (float(p) for p in (value.split(",") if isinstance(value, str) else value))
    except (TypeError, ValueError):
        raise FilterError(f"{option}: expected LAT,LON,KM (e.g. 51.9,128.3,50), got {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius > 0):
        raise FilterError(f"{option}: latitude -90..90, longitude -180..180, radius > 0; got {value!r}")
    return lat, lon, radius


MAX_COUNT = 2**53  # the largest limit or offset taken: beyond it SQL integers overflow (and JSON numbers lose digits)


def parse_int(value: Any, option: str, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        raise FilterError(f"{option}: expected a whole number, got {value!r}") from None
    if n < minimum:
        raise FilterError(f"{option}: must be {minimum} or more, got {n}")
    if n > maximum:
        raise FilterError(f"{option}: must be at most {maximum}, got {n}")
    return n


def parse_sort(value: str, option: str = "sort") -> tuple[str, bool]:
    """``KEY`` or ``-KEY`` (descending) → (key, descending)."""
    key = str(value).lstrip("-")
    if key not in SORT_KEYS:
        raise FilterError(f"{option}: expected one of {', '.join(SORT_KEYS)} (prefix - for descending), got {key!r}")
    return key, str(value).startswith("-")


def text_words(text: str) -> list[str]:
    """The words of a full-text query: control characters and double quotes are word breaks (never query syntax)."""
    return "".join(" " if (ch < " " or ch == '"') else ch for ch in str(text)).split()


def _stripped(value: Any, _option: str) -> str:
    return str(value).strip()


def _text(value: Any, option: str) -> str:
    if not text_words(value):
        raise FilterError(f"{option}: give at least one word")
    return str(value).strip()


def _day(value: Any, option: str) -> str | dt.date:
    parse_day(value, option)
    return value if isinstance(value, dt.date) else str(value).strip()


def parse_probability(value: Any, option: str) -> float:
    """A number from 0 to 1 (a confidence bar)."""
    try:
        p = float(value)
    except (TypeError, ValueError):
        raise FilterError(f"{option}: expected a number from 0 to 1, got {value!r}") from None
    if not 0 <= p <= 1:  # NaN fails both comparisons
        raise FilterError(f"{option}: expected a number from 0 to 1, got {value!r}")
    return p


def parse_quad_class(value: Any, option: str) -> int:
    """A QuadClass, 1 to 4."""
    text = str(value).strip()
    if text not in QUAD_CLASSES:
        raise FilterError(f"{option}: expected 1, 2, 3 or 4 (QuadClass), got {value!r}")
    return int(text)


def _choice(choices: Sequence[str]) -> Callable[[Any, str], str]:
    return lambda value, option: check_choice(value, choices, option)


# ---- the filters ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filter:
    """How one :class:`Query` field is checked and offered on the command line (``--NAME``) and over HTTP (``NAME``).

    ``check(value, option)`` returns the value the store uses or raises FilterError; ``early``: the command line checks
    the value while reading its arguments (a bad one is a usage error); ``blank``: a blank text value means "no
    filter"; ``flag``: a switch, true when given (``invert``: the field is its negation, as ``groups`` is of
    ``--mentions``).  ``help`` is the command line's, ``doc`` the web API's (OpenAPI) description.
    """

    help: str
    doc: str | None = None
    check: Callable[[Any, str], Any] = lambda value, _option: str(value)
    early: bool = False
    blank: bool = False
    flag: bool = False
    invert: bool = False
    name: str | None = None  # the option's name when it is not the field's
    metavar: str | None = None
    max_length: int | None = None  # over HTTP


def _filter(default: Any = None, **meta: Any) -> Any:
    return field(default=default, metadata={"filter": Filter(**meta)})


@dataclass
class Query:
    """A question to the store: filters (fields with :class:`Filter` metadata), grouping, order and page.

    ``Query(...)`` holds values as given; :meth:`checked` (which the store calls) validates and normalises them.
    """

    actor: str | None = _filter(
        help="actor id, full name or one word of the name (case-insensitive; * wildcard)",
        doc="actor id or name; * is a wildcard", check=_stripped, blank=True,
        max_length=200)
    country: str | None = _filter(help="ISO3 code (or country name, demonym) of an actor or of the location",
                                  doc="ISO3 of an actor or the location, e.g. RUS (or Russia, Russian)",
                                  check=parse_country, early=True)
    sector: str | None = _filter(help="PLOVER sector code of an actor (GOV, MIL, …, or police, military)",
                                 doc="PLOVER sector code of an actor, e.g. GOV", check=parse_sector, early=True)
    type: str | None = _filter(help="PLOVER event type", doc="PLOVER event type, e.g. CONSULT",
                               check=_choice(PLOVER_TYPES), early=True)
    mode: str | None = _filter(help="PLOVER mode", max_length=64)
    quad_class: int | None = _filter(help="QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal "
                                          "conflict, 4 material conflict", doc="1, 2, 3 or 4",
                                     check=parse_quad_class, early=True, metavar="N")
    status: str | None = _filter(help="asserted, negated, future, hypothetical, historical",
                                 doc="asserted, negated, future, hypothetical, historical", check=_choice(STATUSES),
                                 early=True)
    date_source: str | None = _filter(help="where the date comes from: sentence, narrative or publication",
                                      doc="sentence, narrative or publication", check=_choice(DATE_SOURCES),
                                      early=True)
    min_confidence: float | None = _filter(help="only events whose confidence is at least this (0..1)",
                                           doc="0..1", check=parse_probability, early=True,
                                           metavar="P")
    since: str | dt.date | None = _filter(help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)",
                                          doc="YYYY, YYYY-MM or YYYY-MM-DD", check=_day, early=True)
    until: str | dt.date | None = _filter(help="until this date, inclusive", doc="YYYY, YYYY-MM or YYYY-MM-DD",
                                          check=_day, early=True)
    near: tuple[float, float, float] | None = _filter(help="location within KM of a point", doc="LAT,LON,KM",
                                                      check=parse_near, early=True, metavar="LAT,LON,KM")
    text: str | None = _filter(help="full-text search in sentences (all words)",
                               doc="words that must all be in the sentence", check=_text, blank=True,
                               metavar="WORDS", max_length=500)
    groups: bool = _filter(True, help="every event record instead of one row per happening",
                           doc="one row per report instead of per happening", flag=True, invert=True,
                           name="mentions")
    sort: str = "date"  # a key of SORT_KEYS; "-KEY" sorts descending
    descending: bool = False
    limit: int | None = 100  # None: all
    offset: int = 0

    def checked(self) -> Query:
        """A copy with every value validated and normalised; raises FilterError naming the option."""
        values: dict[str, Any] = {}
        for f, meta in filter_fields():
            value = getattr(self, f.name)
            if meta.flag:
                values[f.name] = bool(value)
            elif value is not None and value != "":
                values[f.name] = meta.check(value, f.name)
        sort, descending = parse_sort(self.sort)
        if sort == "reports" and not values["groups"]:
            raise FilterError("sort: 'reports' needs groups (drop --mentions)")
        return dataclasses.replace(
            self, **values, sort=sort, descending=descending or bool(self.descending),
            limit=None if self.limit is None else parse_int(self.limit, "limit"),
            offset=parse_int(self.offset or 0, "offset"))


def filter_fields() -> Iterator[tuple[dataclasses.Field, Filter]]:
    """The filter fields of :class:`Query` with their metadata, in order."""
    for f in dataclasses.fields(Query):
        if "filter" in f.metadata:
            yield f, f.metadata["filter"]


def option_name(f: dataclasses.Field, meta: Filter) -> str:
    return meta.name or f.name


FILTERS = tuple(option_name(f, m) for f, m in filter_fields())  # option names: actor, ..., text, mentions


def parse_query(values: Mapping[str, Any]) -> Query:
    """A checked :class:`Query` from text values keyed by option name (argparse namespace vars, HTTP parameters)."""
    given: dict[str, Any] = {}
    for f, meta in filter_fields():
        value = values.get(option_name(f, meta))
        if meta.flag:
            given[f.name] = not value if meta.invert else bool(value)
        elif not (value is None or value == "" or (meta.blank and not str(value).strip())):
            given[f.name] = value
    for name in ("limit", "offset"):
        if values.get(name) is not None:
            given[name] = values[name]
    return Query(**given, sort=values.get("sort") or "date", descending=bool(values.get("descending"))).checked()


@dataclass
class ActorFilter:
    """Which actors to list (``/api/actors``)."""

    q: str | None = None  # substring of the name (case-insensitive)
    country: str | None = None
    sector: str | None = None
    limit: int = 100
    offset: int = 0
