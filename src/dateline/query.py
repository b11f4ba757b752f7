"""Event filters shared by the command line, exports and the web API: parse text values into ``Store.events`` arguments.

Every parser raises :class:`FilterError` (a ``ValueError``) whose message starts with the option's name, so callers can
show it as is ("--near: expected LAT,LON,KM").  Validation of values that reach the database happens again in
``Store.events``; sort keys are a whitelist there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from dateline.model import PLOVER_TYPES, STATUSES
from dateline.store import SORT_KEYS, StoreError, check_choice, parse_day

FILTERS = ("actor", "country", "sector", "type", "mode", "status", "since", "until", "near", "text")


class FilterError(ValueError):
    """A filter value that cannot be used; the message names the option."""


@dataclass
class Query:
    """Arguments of :meth:`dateline.store.Store.events`."""

    actor: str | None = None
    country: str | None = None
    sector: str | None = None
    type: str | None = None
    mode: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None
    near: tuple[float, float, float] | None = None
    text: str | None = None
    groups: bool = True
    sort: str = "date"
    descending: bool = False
    limit: int | None = 100
    offset: int = 0

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``Store.events``."""
        return asdict(self)

    def filters(self) -> dict[str, Any]:
        """Only the filters (for ``Store.iter_events`` and exports)."""
        return {k: v for k, v in asdict(self).items() if k in FILTERS or k == "groups"}


def parse_near(value: str | None) -> tuple[float, float, float] | None:
    """``"LAT,LON,KM"`` → (lat, lon, km)."""
    if value is None or value == "":
        return None
    parts = str(value).split(",")
    try:
        lat, lon, radius = (float(p) for p in parts)
    except ValueError:
        raise FilterError(f"near: expected LAT,LON,KM (e.g. 51.9,128.3,50), got {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius > 0):
        raise FilterError(f"near: latitude -90..90, longitude -180..180, radius > 0; got {value!r}")
    return lat, lon, radius


def parse_code(value: str | None, option: str) -> str | None:
    """A country (ISO3 or IGO-like) or sector code, upper-cased."""
    if not value:
        return None
    code = str(value).strip().upper()
    if not code.isalnum() or not 2 <= len(code) <= 8:
        raise FilterError(f"{option}: expected a code such as RUS or GOV, got {value!r}")
    return code


def parse_int(value: Any, option: str, minimum: int = 0) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise FilterError(f"{option}: expected a whole number, got {value!r}") from None
    if n < minimum:
        raise FilterError(f"{option}: must be {minimum} or more, got {n}")
    return n


def _wrap(fn, *args):  # noqa: ANN001, ANN202
    try:
        return fn(*args)
    except StoreError as exc:
        raise FilterError(str(exc)) from None


def parse_query(values: Mapping[str, Any]) -> Query:
    """Build a :class:`Query` from text values (argparse namespace vars, HTTP query parameters)."""
    q = Query()
    get = values.get
    q.actor = (get("actor") or None) and str(get("actor")).strip()
    q.country = parse_code(get("country"), "country")
    q.sector = parse_code(get("sector"), "sector")
    if get("type"):
        q.type = _wrap(check_choice, get("type"), PLOVER_TYPES, "type")
    q.mode = get("mode") or None
    if get("status"):
        q.status = _wrap(check_choice, get("status"), STATUSES, "status")
    for name in ("since", "until"):
        if get(name):
            _wrap(parse_day, get(name), name)
            setattr(q, name, str(get(name)).strip())
    near = get("near")
    q.near = near if isinstance(near, tuple) else parse_near(near)
    if get("text") is not None and str(get("text")).strip():
        q.text = str(get("text")).strip()
    q.groups = not bool(get("mentions"))
    sort = get("sort") or "date"
    descending = sort.startswith("-")
    sort = sort.lstrip("-")
    if sort not in SORT_KEYS:
        raise FilterError(f"sort: expected one of {', '.join(SORT_KEYS)} (prefix - for descending), got {sort!r}")
    if sort == "reports" and not q.groups:
        raise FilterError("sort: 'reports' needs groups (drop --mentions)")
    q.sort, q.descending = sort, descending or bool(get("descending"))
    if get("limit") is not None:
        q.limit = parse_int(get("limit"), "limit")
    if get("offset") is not None:
        q.offset = parse_int(get("offset"), "offset")
    return q
