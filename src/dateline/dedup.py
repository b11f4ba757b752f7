"""Group event records that report the same happening (pure functions, no SQL).

Two records report the same happening when they have the same type and status, the same actors on each side
(actor ids, or lower-cased names when an actor has no id), dates that overlap once each is widened to its precision
("2023-09" contains "2023-09-13"), and places within ``radius_km`` of each other or unknown on one side.  Groups are the
connected components of that relation, so they do not depend on the order records arrive in; a group's id is the
smallest event id in it.  Records are compared only inside a block (type + status + actor keys) after sorting by date,
so the cost is O(n log n) plus the number of date-overlapping pairs inside a block.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dateline.gazetteer import km

RADIUS_KM = 50.0
PRECISION_RANK = {
    "minute": 0, "hour": 1, "day": 2, "week": 3, "month": 4, "quarter": 5, "season": 5,
    "half": 6, "year": 7, "decade": 8, "century": 9,
}
_DATE = re.compile(r"^(\d{4}|\d{3}X|\d{2}XX)(?:-(\d{2}|W\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI)(?:-(\d{2}))?)?")
_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


@dataclass(frozen=True)
class DedupItem:
    """What dedup needs of one event record."""

    id: str
    block: str | None  # None: never grouped with anything else
    start: str | None  # ISO date, first day the record's date can mean
    end: str | None  # ISO date, last day
    lat: float | None = None
    lon: float | None = None


def actor_key(actor: Mapping[str, Any]) -> str | None:
    """An actor's identity for dedup: its id, else its lower-cased name, else its lower-cased text."""
    for field, prefix in (("id", "id:"), ("name", "n:"), ("text", "n:")):
        value = actor.get(field)
        if value:
            return prefix + str(value).strip().casefold()
    return None


def side_key(actors: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """Sorted distinct actor keys of one side of an event."""
    return tuple(sorted({k for k in (actor_key(a) for a in actors or ()) if k}))


def block_key(type_: str | None, status: str | None, source: Sequence[Mapping[str, Any]],
              target: Sequence[Mapping[str, Any]]) -> str | None:
    """Blocking key (a short hash); None when the record names no actor at all (too little to match on)."""
    src, tgt = side_key(source), side_key(target)
    if not src and not tgt:
        return None
    raw = "\x1f".join([type_ or "", status or "", "|".join(src), ">", "|".join(tgt)])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


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


def item_for(event: Mapping[str, Any], doc_published: str | None = None) -> DedupItem:
    """Build a :class:`DedupItem` from an event record dict (``Event.to_dict()`` shape).

    An event without a readable date is dated by its document's publication day, as the ``when`` stage does.
    """
    interval = date_interval(event.get("date"), event.get("date_precision"))
    if interval is None:
        interval = date_interval(event.get("doc_published") or doc_published, "day")
    loc = event.get("location") or {}
    block = block_key(event.get("type"), event.get("status"), event.get("source") or [], event.get("target") or [])
    if interval is None:
        block = None
    return DedupItem(
        id=event["id"], block=block, start=interval[0] if interval else None, end=interval[1] if interval else None,
        lat=loc.get("lat"), lon=loc.get("lon"),
    )


def same_place(a: DedupItem, b: DedupItem, radius_km: float = RADIUS_KM) -> bool:
    """Places within ``radius_km``, or unknown on at least one side."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return True
    return km(a.lat, a.lon, b.lat, b.lon) <= radius_km


def same_happening(a: DedupItem, b: DedupItem, radius_km: float = RADIUS_KM) -> bool:
    """The pairwise relation groups are built from."""
    if a.block is None or a.block != b.block or a.start is None or b.start is None:
        return False
    return a.start <= b.end and b.start <= a.end and same_place(a, b, radius_km)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo  # the root is always the smallest id


def group(items: Iterable[DedupItem], radius_km: float = RADIUS_KM) -> dict[str, str]:
    """Map each item id to its group id (the smallest id among the records it is linked to)."""
    uf = _UnionFind()
    blocks: dict[str, list[DedupItem]] = {}
    for it in items:
        uf.find(it.id)
        if it.block is not None and it.start is not None:
            blocks.setdefault(it.block, []).append(it)
    for members in blocks.values():
        members.sort(key=lambda i: (i.start, i.id))
        active: list[tuple[str, int, DedupItem]] = []  # heap by end date
        for n, cur in enumerate(members):
            while active and active[0][0] < cur.start:
                heapq.heappop(active)
            for _, _, other in active:
                if same_place(cur, other, radius_km):
                    uf.union(cur.id, other.id)
            heapq.heappush(active, (cur.end, n, cur))
    return {i: uf.find(i) for i in list(uf.parent)}


_PREC_FALLBACK = 10


def representative(members: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The record that speaks for a group: highest confidence, then finest date precision, then smallest id."""
    return min(
        members,
        key=lambda m: (
            -(m.get("confidence") or 0.0),
            PRECISION_RANK.get(m.get("date_precision") or "", _PREC_FALLBACK),
            m["id"],
        ),
    )
