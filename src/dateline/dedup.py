"""Group event records that report the same happening (pure functions, no SQL).

Two records report the same happening when they have the same type and status, the same actors on each side
(actor ids, or lower-cased names when an actor has no id), dates that overlap once each is widened to its precision
("2023-09" contains "2023-09-13"), and places within ``radius_km`` of each other or unknown on one side; records whose
actors are all generic ("police", "US civilians") need one day and both places.  Day-dated records form connected
components of that relation; a vague record (a month, a year) never bridges two of them (see :func:`group`), so one
"131 people shot this year" cannot join every shooting of the year.  Groups do not depend on the order records arrive
in; a group's id is the smallest event id in it.  Records are compared only inside a block (type + status + actor keys)
after sorting by date, so the cost is O(n log n) plus the number of date-overlapping pairs inside a block.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dateline.gazetteer import km
from dateline.lang import SIDE_PRONOUNS
from dateline.when.intervals import PRECISION_RANK, date_interval

RADIUS_KM = 50.0
# a generic actor's key: a sector ("id:cvl") or a country and a sector ("id:usacvl"); a block of such keys only is
# marked with GENERIC_BLOCK
GENERIC_KEY = re.compile(r"id:(?:[a-z]{3})?[a-z]{3}")
GENERIC_BLOCK = "g:"


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
    """An actor's identity for dedup: its id, else its lower-cased name, else its lower-cased text; an unresolved
    pronoun ("they") identifies no one."""
    for field, prefix in (("id", "id:"), ("name", "n:"), ("text", "n:")):
        value = actor.get(field)
        if value:
            key = str(value).strip().casefold()
            return None if field == "text" and key in SIDE_PRONOUNS else prefix + key
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
    digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()
    if all(GENERIC_KEY.fullmatch(k) for k in (*src, *tgt)):
        return GENERIC_BLOCK + digest[:20 - len(GENERIC_BLOCK)]  # the store's column holds 20 characters
    return digest[:20]


def is_generic(item: DedupItem) -> bool:
    """A record whose actors are all generic ("US civilians", "police"): it names no one in particular."""
    return bool(item.block) and item.block.startswith(GENERIC_BLOCK)


def is_vague(item: DedupItem) -> bool:
    """A record dated more coarsely than a day ("this year", "in September"): it could be any happening of then."""
    return item.start is not None and item.start != item.end


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
    """The pairwise relation groups are built from: one block, dates that overlap, places near or unknown. Records
    with generic actors only must be of one day and both placed, near each other (two shootings of "a man" on one
    day in two towns are two happenings)."""
    if a.block is None or a.block != b.block or a.start is None or b.start is None:
        return False
    if is_generic(a) and (is_vague(a) or is_vague(b) or a.lat is None or b.lat is None):
        return False
    return a.start <= b.end and b.start <= a.end and same_place(a, b, radius_km)


class UnionFind:
    """Disjoint sets whose root is always the smallest id (groups here, incidents in :mod:`dateline.incidents`)."""

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
    """Map each item id to its group id (the smallest id among the records it is linked to).

    Records dated to a day link wherever :func:`same_happening` holds (connected components). A vague record (dated
    to a month or a year) never bridges: it joins the one group of day-dated records it matches, stays alone when it
    matches several, and links only to other vague records when it matches none. The result does not depend on the
    order of ``items``.
    """
    uf = UnionFind()
    blocks: dict[str, list[DedupItem]] = {}
    for it in items:
        uf.find(it.id)
        if it.block is not None and it.start is not None:
            blocks.setdefault(it.block, []).append(it)
    for members in blocks.values():
        exact = [m for m in members if not is_vague(m)]
        _link_overlapping(uf, exact, radius_km)
        vague = sorted((m for m in members if is_vague(m)), key=lambda m: m.id)
        unmatched = []
        for v in vague:
            roots = {uf.find(m.id) for m in _overlapping(exact, v) if same_happening(v, m, radius_km)}
            if len(roots) == 1:
                uf.union(v.id, roots.pop())
            elif not roots:
                unmatched.append(v)
        _link_overlapping(uf, unmatched, radius_km)
    return {i: uf.find(i) for i in list(uf.parent)}


def _overlapping(members: list[DedupItem], v: DedupItem) -> list[DedupItem]:
    return [m for m in members if m.start <= v.end and v.start <= m.end]  # type: ignore[operator]


def _link_overlapping(uf: UnionFind, members: list[DedupItem], radius_km: float) -> None:
    """Union every pair of ``members`` that :func:`same_happening` relates (a sweep over dates, O(n log n) plus the
    overlapping pairs)."""
    members = sorted(members, key=lambda i: (i.start, i.id))
    active: list[tuple[str, int, DedupItem]] = []  # heap by end date
    for n, cur in enumerate(members):
        while active and active[0][0] < cur.start:
            heapq.heappop(active)
        for _, _, other in active:
            if same_happening(cur, other, radius_km):
                uf.union(cur.id, other.id)
        heapq.heappush(active, (cur.end, n, cur))


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
