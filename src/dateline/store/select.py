"""A :class:`dateline.query.Query` as SQL: one condition per filter, then grouping, order and page.

``CONDITIONS`` maps each filter of the Query to the function that turns its (checked) value into WHERE conditions;
:func:`events_select` is the SELECT behind ``Store.events`` and the aggregates (which drop its order and page).
Values arrive checked by :meth:`Query.checked`; here they only become bound parameters (no SQL text is built from them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from dateline.query import Query, filter_fields, parse_day, text_words
from dateline.store.schema import actors_t, events_t, groups_t, last_pk, name_words, words_t

FREQUENT_TEXT = 0.02  # share of events a full-text query must match to be tested row by row in sort order
FREQUENT_TEXT_MIN_EVENTS = 1000  # below this every store is small enough to expand the hits
# "+column" orders by the column without letting SQLite pick its index (constants: no SQL is built from input)
_UNINDEXED_KEYS = {"date_start": "+events.date_start", "doc_published": "+events.doc_published", "type": "+events.type",
                   "goldstein": "+events.goldstein", "confidence": "+events.confidence", "id": "+events.id",
                   "reports": "+events.reports"}
e, a = events_t, actors_t
SORT_COLUMNS = {"date": e.c.date_start, "published": e.c.doc_published, "type": e.c.type, "goldstein": e.c.goldstein,
                "confidence": e.c.confidence, "id": e.c.id, "reports": e.c.reports}


def _bound(value: str) -> str:
    # NUL can never match stored text (the readers remove it) and PostgreSQL refuses it in parameters:
    # U+FFFD keeps such a filter non-matching on both backends
    return value.replace("\x00", "\ufffd")


# ---- one function per filter: (checked value, the whole query, the store) -> conditions ---------------------------

def _actor(value: str, _q: Query, _db: Any) -> list[Any]:
    value = _bound(value)
    if "*" in value:
        pattern = value.casefold().replace("%", r"\%").replace("_", r"\_").replace("*", "%")
        match = sa.or_(a.c.name_lc.like(pattern, escape="\\"), a.c.actor_id.like(value.replace("*", "%")))
    else:
        match = sa.or_(a.c.name_lc == value.casefold(), a.c.actor_id == value)
    cond = e.c.id.in_(sa.select(a.c.event_id).where(match))
    words = name_words(value)
    if "*" not in value and len(words) == 1:
        cond = sa.or_(cond, e.c.id.in_(sa.select(words_t.c.event_id).where(words_t.c.word == words[0])))
    return [cond]


def _country(code: str, _q: Query, _db: Any) -> list[Any]:
    return [sa.or_(e.c.loc_country == code, e.c.id.in_(sa.select(a.c.event_id).where(a.c.country == code)))]


def _sector(code: str, q: Query, _db: Any) -> list[Any]:
    if q.country or q.actor is not None:
        # the other filter picks few events: test each for the sector (covering index) instead of listing
        # every event of a common sector first (country + sector at 1M events: 370 -> 55 ms)
        inner = actors_t.alias("sa")
        return [sa.exists(sa.select(sa.literal(1)).select_from(inner)
                          .where(inner.c.event_id == e.c.id, inner.c.sector == code))]
    return [e.c.id.in_(sa.select(a.c.event_id).where(a.c.sector == code))]


def _near(near: tuple[float, float, float], _q: Query, _db: Any) -> list[Any]:
    lat, lon, radius = near
    dlat = radius / 111.0
    conds = [e.c.lat.between(max(-90.0, lat - dlat), min(90.0, lat + dlat))]
    coslat = math.cos(math.radians(min(89.0, abs(lat) + dlat)))
    dlon = radius / (111.0 * max(coslat, 1e-6))
    if dlon < 180:
        lo, hi = lon - dlon, lon + dlon
        if lo < -180 or hi > 180:
            lo2, hi2 = (lo + 360, 180.0) if lo < -180 else (-180.0, hi - 360)
            conds.append(sa.or_(e.c.lon.between(max(lo, -180), min(hi, 180)), e.c.lon.between(lo2, hi2)))
        else:
            conds.append(e.c.lon.between(lo, hi))
    conds.append(sa.func.dl_km(lat, lon, e.c.lat, e.c.lon) <= radius)
    return conds


def _text(text: str, q: Query, db: Any) -> list[Any]:
    words = text_words(text)
    if db.dialect == "sqlite":
        match_q = " ".join(f'"{w}"' for w in words)  # each word quoted: FTS5 syntax in user text is not interpreted
        fts = sa.table("events_fts", sa.column("rowid"))
        match = sa.text("events_fts MATCH :q").bindparams(q=match_q)
        if _frequent_text(db, match_q):
            # a common word: walk the events in the requested order and test each against the index (a page of
            # 100 needs a few hundred probes) rather than expanding every hit first (1 s at 1M events, 30 ms)
            def probe(row: Any) -> Any:
                return sa.exists(sa.select(sa.literal(1)).select_from(fts).where(fts.c.rowid == row.c.pk, match))
            if not q.groups:
                return [probe(e)]
            m = events_t.alias("m")
            return [sa.exists(sa.select(sa.literal(1)).select_from(m).where(m.c.group_id == e.c.group_id, probe(m)))]
        hits = sa.select(fts.c.rowid).where(match)
        return [e.c.group_id.in_(sa.select(e.c.group_id).where(e.c.pk.in_(hits))) if q.groups else e.c.pk.in_(hits)]
    if q.groups:
        inner = events_t.alias("m")
        cond_inner = sa.literal_column("m.tsv").op("@@")(sa.func.plainto_tsquery("english", " ".join(words)))
        return [e.c.group_id.in_(sa.select(inner.c.group_id).where(cond_inner))]
    return [sa.literal_column("events.tsv").op("@@")(sa.func.plainto_tsquery("english", " ".join(words)))]


def _frequent_text(db: Any, match_q: str) -> bool:
    """Whether an FTS5 query matches at least FREQUENT_TEXT of the stored events (counting hits is cheap)."""
    with db.engine.connect() as conn:
        total = last_pk(conn)
        if total < FREQUENT_TEXT_MIN_EVENTS:
            return False
        hits = conn.exec_driver_sql("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", (match_q,)).scalar()
    return hits >= FREQUENT_TEXT * total


def _equals(column: sa.Column, bound: bool = False) -> Callable[[Any, Query, Any], list[Any]]:
    return lambda value, _q, _db: [column == (_bound(value) if bound else value)]


CONDITIONS: dict[str, Callable[[Any, Query, Any], list[Any]]] = {
    "actor": _actor,
    "country": _country,
    "sector": _sector,
    "type": _equals(e.c.type),
    "mode": _equals(e.c.mode, bound=True),
    "quad_class": _equals(e.c.quad_class),
    "status": _equals(e.c.status),
    "date_source": _equals(e.c.date_source),
    "min_confidence": lambda p, _q, _db: [e.c.confidence >= p],
    "since": lambda day, _q, _db: [e.c.date_end >= parse_day(day, "since")[0]],
    "until": lambda day, _q, _db: [e.c.date_start <= parse_day(day, "until")[1]],
    "near": _near,
    "text": _text,
    "groups": lambda groups, _q, _db: [e.c.is_rep.is_(True)] if groups else [],
}
_missing = {f.name for f, _ in filter_fields()} ^ set(CONDITIONS)
assert not _missing, f"filters without a condition (or conditions without a filter): {_missing}"


def events_select(q: Query, db: Any) -> sa.Select:
    """The SELECT of the events matching a checked ``q``, in its order and page; ``db`` is the store (its
    ``dialect`` and ``engine``)."""
    conds: list[Any] = []
    for f, _meta in filter_fields():
        value = getattr(q, f.name)
        if value is not None:
            conds.extend(CONDITIONS[f.name](value, q, db))
    stmt = sa.select(e)
    if q.groups:
        g = groups_t
        stmt = sa.select(e, g.c.reports, g.c.mentions, g.c.sources, g.c.first_report, g.c.last_report)
        stmt = stmt.join(g, g.c.id == e.c.group_id)
    key = SORT_COLUMNS[q.sort]
    if q.near is not None and db.dialect == "sqlite":
        # a radius is selective: read its bounding box from the lat/lon index and sort that. SQLite's planner
        # would otherwise walk the whole sort index checking every row (1.5 s instead of 15 ms at 1M events);
        # "+column" keeps the ordering and hides the index
        key = sa.literal_column(_UNINDEXED_KEYS[key.name])
    order = [key.desc() if q.descending else key.asc()]
    if q.sort != "id":
        order.append(e.c.id.desc() if q.descending else e.c.id.asc())
    stmt = stmt.where(*conds).order_by(*order)
    if q.limit is not None:
        stmt = stmt.limit(q.limit)
    if q.offset:
        stmt = stmt.offset(q.offset)
    return stmt
