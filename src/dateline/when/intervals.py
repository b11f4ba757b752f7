"""The days a TimeML date value can mean: the one reading of ``2023-W36`` or ``2023-SU`` as a day interval."""

from __future__ import annotations

import calendar
import datetime as dt
import re

PRECISION_RANK = {
    "minute": 0, "hour": 1, "day": 2, "week": 3, "month": 4, "quarter": 5, "season": 5,
    "half": 6, "year": 7, "decade": 8, "century": 9,
}
_DATE = re.compile(r"^(\d{4}|\d{3}X|\d{2}XX)(?:-(\d{2}|W\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI)(?:-(\d{2}))?)?")
_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def date_interval(value: str | None, precision: str | None = None) -> tuple[str, str] | None:
    """The first and last day an ISO/TimeML date value can mean (``2023-09`` → 2023-09-01..2023-09-30).

    Understands days, months, ISO weeks (``2023-W36``), quarters, halves, seasons, years, decades (``199X``) and
    centuries (``19XX``); a coarser ``precision`` than the value widens it (``2023-09-13`` with precision ``month``).
    Returns None for values it cannot read.
    """
    if not value:
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    y, mid, day = m.groups()
    try:
        if "X" in y:
            lo = int(y.replace("X", "0"))
            span = 10 if y.endswith("X") and not y.endswith("XX") else 100
            return f"{lo:04d}-01-01", f"{lo + span - 1:04d}-12-31"
        year = int(y)
        prec = precision or ""
        rank = PRECISION_RANK.get(prec, -1)
        if mid is None or rank >= PRECISION_RANK["year"]:
            return f"{year:04d}-01-01", f"{year:04d}-12-31"
        if mid.startswith("W") and mid not in _SEASONS:
            start = dt.date.fromisocalendar(year, int(mid[1:]), 1)
            return start.isoformat(), (start + dt.timedelta(days=6)).isoformat()
        if mid.startswith(("Q", "H")) or mid in _SEASONS:
            if mid in _SEASONS:
                m1, m2 = _SEASONS[mid]
            else:
                size = 3 if mid[0] == "Q" else 6
                m1 = (int(mid[1]) - 1) * size + 1
                m2 = m1 + size - 1
            y2, m2 = (year + 1, m2 - 12) if m2 > 12 else (year, m2)
            return f"{year:04d}-{m1:02d}-01", f"{y2:04d}-{m2:02d}-{_month_end(y2, m2):02d}"
        month = int(mid)
        if day is None or rank >= PRECISION_RANK["month"]:
            return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{_month_end(year, month):02d}"
        d = dt.date(year, month, int(day))
        if rank == PRECISION_RANK["week"]:
            start = d - dt.timedelta(days=d.weekday())
            return start.isoformat(), (start + dt.timedelta(days=6)).isoformat()
        return d.isoformat(), d.isoformat()
    except ValueError:
        return None
