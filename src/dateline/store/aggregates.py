"""Read-only aggregates over the events a :class:`dateline.query.Query` matches, for the web API's views.

Statistics (by type, day and QuadClass, country pair), the actor network, map points, actor listing and detail, and a
document's text.  The event filters are :func:`dateline.store.select.events_select`'s (in :func:`_matching`), so every
view agrees with ``Store.events``.  ``store`` is a :class:`dateline.store.Store` (its ``engine`` and ``dialect``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa

from dateline.query import ActorFilter, Query
from dateline.store.schema import actors_t, documents_t, events_t, places_t
from dateline.store.select import events_select

ALL_TIME_LIMIT = 5000  # days / pairs / places returned at most by one aggregate call


def _matching(store: Any, q: Query) -> sa.Subquery:
    """The ids (and a few columns) of events matching ``q``'s filters, without ordering or paging."""
    stmt = events_select(dataclasses.replace(q, sort="id", descending=False, limit=None, offset=0), store)
    e = events_t
    return stmt.with_only_columns(
        e.c.id, e.c.type, e.c.status, e.c.date_start, e.c.goldstein, e.c.quad_class, e.c.lat, e.c.lon, e.c.place_id,
        e.c.loc_country,
    ).order_by(None).subquery("m")


def _actor_key(a: sa.Table | Any) -> Any:
    """An actor's identity: its dictionary id, else its lower-cased name (or mention text)."""
    return sa.func.coalesce(a.c.actor_id, a.c.name_lc)


def _label(a: sa.Table | Any) -> Any:
    return sa.func.coalesce(a.c.name, a.c.text)


def _round(x: Any, n: int = 2) -> float | None:
    return None if x is None else round(float(x), n)


# ---- statistics ------------------------------------------------------------------------------------------------

FACET_LIMIT = 15  # actor countries and sectors the facets list, most frequent first


def stats(store: Any, q: Query, pairs_limit: int = 50) -> dict[str, Any]:
    """Counts of matching events: total, by type, QuadClass, status, actor country and sector (the most frequent),
    by day and QuadClass, by (source, target) country."""
    m = _matching(store, q)
    s, t = actors_t.alias("s"), actors_t.alias("t")
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(m)).scalar() or 0
        by_type = conn.execute(
            sa.select(m.c.type, sa.func.count().label("n")).group_by(m.c.type).order_by(sa.desc("n"), m.c.type)
        ).all()
        by_quad = conn.execute(sa.select(m.c.quad_class, sa.func.count()).group_by(m.c.quad_class)).all()
        by_status = conn.execute(
            sa.select(m.c.status, sa.func.count().label("n")).group_by(m.c.status).order_by(sa.desc("n"), m.c.status)
        ).all()
        a = actors_t.alias("a")
        facet = {}
        for col in ("country", "sector"):  # events with an actor of each country (sector), either side
            k = getattr(a.c, col)
            hits = sa.func.count(sa.distinct(m.c.id)).label("n")
            facet[col] = conn.execute(
                sa.select(k, hits).select_from(m.join(a, a.c.event_id == m.c.id)).where(k.is_not(None))
                .group_by(k).order_by(sa.desc("n"), k).limit(FACET_LIMIT)
            ).all()
        days = conn.execute(
            sa.select(m.c.date_start, m.c.quad_class, sa.func.count())
            .where(m.c.date_start.is_not(None)).group_by(m.c.date_start, m.c.quad_class).order_by(m.c.date_start)
        ).all()
        n = sa.func.count(sa.distinct(m.c.id)).label("n")
        pairs = conn.execute(
            sa.select(s.c.country.label("src"), t.c.country.label("tgt"), n, sa.func.avg(m.c.goldstein).label("g"))
            .select_from(m.join(s, sa.and_(s.c.event_id == m.c.id, s.c.role == "source"))
                         .join(t, sa.and_(t.c.event_id == m.c.id, t.c.role == "target")))
            .where(s.c.country.is_not(None), t.c.country.is_not(None))
            .group_by(s.c.country, t.c.country).order_by(sa.desc("n"), s.c.country, t.c.country).limit(pairs_limit)
        ).all()
    by_day: dict[str, dict[str, int]] = {}
    for day, quad, count in days:
        by_day.setdefault(day, {"1": 0, "2": 0, "3": 0, "4": 0, "none": 0})[str(quad) if quad else "none"] += count
    return {
        "events": total,
        "by_type": {k or "none": v for k, v in by_type},
        "by_quad_class": {str(k) if k else "none": v for k, v in sorted(by_quad, key=lambda kv: kv[0] or 9)},
        "by_status": {k or "none": v for k, v in by_status},
        "by_country": {k: v for k, v in facet["country"]},
        "by_sector": {k: v for k, v in facet["sector"]},
        "by_day": [{"day": d, **c} for d, c in list(by_day.items())[:ALL_TIME_LIMIT]],
        "by_country_pair": [{"source": a, "target": b, "events": c, "goldstein": _round(g)} for a, b, c, g in pairs],
    }


# ---- network and map ---------------------------------------------------------------------------------------------

def network(store: Any, q: Query, max_edges: int = 80) -> dict[str, Any]:
    """Actor network of matching events: edges source → target with event counts and mean Goldstein score."""
    m = _matching(store, q)
    s, t = actors_t.alias("s"), actors_t.alias("t")
    n = sa.func.count(sa.distinct(m.c.id)).label("n")
    sk, tk = _actor_key(s).label("sk"), _actor_key(t).label("tk")
    stmt = (
        sa.select(sk, tk, sa.func.max(_label(s)).label("sl"), sa.func.max(_label(t)).label("tl"),
                  sa.func.max(s.c.country).label("sc"), sa.func.max(t.c.country).label("tc"), n,
                  sa.func.avg(m.c.goldstein).label("g"))
        .select_from(m.join(s, sa.and_(s.c.event_id == m.c.id, s.c.role == "source"))
                     .join(t, sa.and_(t.c.event_id == m.c.id, t.c.role == "target")))
        .where(_actor_key(s).is_not(None), _actor_key(t).is_not(None))
        .group_by(_actor_key(s), _actor_key(t)).order_by(sa.desc("n"), _actor_key(s), _actor_key(t)).limit(max_edges)
    )
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    with store.engine.connect() as conn:
        for r in conn.execute(stmt):
            for key, label, country in ((r.sk, r.sl, r.sc), (r.tk, r.tl, r.tc)):
                node = nodes.setdefault(key, {"id": key, "label": label or key, "country": country, "events": 0})
                node["events"] += r.n
            edges.append({"source": r.sk, "target": r.tk, "events": r.n, "goldstein": _round(r.g)})
    return {"nodes": list(nodes.values()), "edges": edges}


def places(store: Any, q: Query, limit: int = 1000) -> list[dict[str, Any]]:
    """Map points: matching events grouped by coordinates, with counts and mean Goldstein score."""
    m = _matching(store, q)
    p = places_t
    n = sa.func.count().label("n")
    stmt = (
        sa.select(m.c.lat, m.c.lon, sa.func.max(sa.func.coalesce(p.c.name, p.c.text)).label("name"),
                  sa.func.max(m.c.loc_country).label("country"), n, sa.func.avg(m.c.goldstein).label("g"))
        .select_from(m.outerjoin(p, p.c.id == m.c.place_id))
        .where(m.c.lat.is_not(None), m.c.lon.is_not(None))
        .group_by(m.c.lat, m.c.lon).order_by(sa.desc("n")).limit(limit)
    )
    with store.engine.connect() as conn:
        return [{"lat": r.lat, "lon": r.lon, "name": r.name, "country": r.country, "events": r.n,
                 "goldstein": _round(r.g)} for r in conn.execute(stmt)]


# ---- actors --------------------------------------------------------------------------------------------------------

def _rep_only(conds: list[Any]) -> list[Any]:
    return [*conds, events_t.c.is_rep.is_(True)]


def actors(store: Any, f: ActorFilter) -> list[dict[str, Any]]:
    """Actors by number of distinct happenings they take part in (as source or target)."""
    a, e = actors_t, events_t
    key = _actor_key(a)
    conds: list[Any] = [key.is_not(None)]
    if f.q:
        pattern = "%" + f.q.casefold().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        conds.append(sa.or_(a.c.name_lc.like(pattern, escape="\\"), a.c.actor_id == f.q))
    if f.country:
        conds.append(a.c.country == f.country)
    if f.sector:
        conds.append(a.c.sector == f.sector)
    n = sa.func.count(sa.distinct(a.c.event_id)).label("n")
    stmt = (
        sa.select(key.label("key"), sa.func.max(a.c.actor_id).label("actor_id"), sa.func.max(_label(a)).label("name"),
                  sa.func.max(a.c.country).label("country"), sa.func.max(a.c.sector).label("sector"), n,
                  sa.func.count(sa.distinct(sa.case((a.c.role == "source", a.c.event_id)))).label("ns"),
                  sa.func.count(sa.distinct(sa.case((a.c.role == "target", a.c.event_id)))).label("nt"))
        .select_from(a.join(e, e.c.id == a.c.event_id)).where(*_rep_only(conds))
        .group_by(key).order_by(sa.desc("n"), key).limit(f.limit).offset(f.offset)
    )
    with store.engine.connect() as conn:
        return [{"id": r.key, "actor_id": r.actor_id, "name": r.name, "country": r.country, "sector": r.sector,
                 "events": r.n, "as_source": r.ns, "as_target": r.nt} for r in conn.execute(stmt)]


def actor(store: Any, key: str, partners_limit: int = 50) -> dict[str, Any] | None:
    """One actor (by dictionary id or name): counts, events per day, event types and partners."""
    a, e = actors_t, events_t
    match = sa.or_(a.c.actor_id == key, sa.and_(a.c.actor_id.is_(None), a.c.name_lc == key.strip().casefold()))
    mine = sa.select(a.c.event_id, a.c.role).where(match).subquery("mine")
    with store.engine.connect() as conn:
        head = conn.execute(
            sa.select(sa.func.max(a.c.actor_id), sa.func.max(_label(a)), sa.func.max(a.c.country),
                      sa.func.max(a.c.sector), sa.func.count(sa.distinct(a.c.event_id))).where(match)
        ).one()
        if not head[4]:
            return None
        rep = sa.and_(e.c.id == mine.c.event_id, e.c.is_rep.is_(True))
        days = conn.execute(
            sa.select(e.c.date_start, sa.func.count(sa.distinct(e.c.id))).select_from(mine.join(e, rep))
            .where(e.c.date_start.is_not(None)).group_by(e.c.date_start).order_by(e.c.date_start)
        ).all()
        types = conn.execute(
            sa.select(e.c.type, sa.func.count(sa.distinct(e.c.id)).label("n")).select_from(mine.join(e, rep))
            .group_by(e.c.type).order_by(sa.desc("n"), e.c.type)
        ).all()
        roles = dict(conn.execute(
            sa.select(mine.c.role, sa.func.count(sa.distinct(e.c.id))).select_from(mine.join(e, rep))
            .group_by(mine.c.role)
        ).all())
        o = actors_t.alias("o")
        okey = _actor_key(o)
        n = sa.func.count(sa.distinct(e.c.id)).label("n")
        partners = conn.execute(
            sa.select(okey.label("key"), sa.func.max(_label(o)).label("name"), sa.func.max(o.c.country).label("c"),
                      n, sa.func.avg(e.c.goldstein).label("g"))
            .select_from(mine.join(e, rep).join(o, sa.and_(o.c.event_id == e.c.id, o.c.role != mine.c.role)))
            .where(okey.is_not(None)).group_by(okey).order_by(sa.desc("n"), okey).limit(partners_limit)
        ).all()
    actor_id, name, country, sector, _ = head
    return {
        "id": actor_id or key.strip().casefold(), "actor_id": actor_id, "name": name, "country": country,
        "sector": sector, "events": sum(c for _, c in types), "as_source": roles.get("source", 0),
        "as_target": roles.get("target", 0),
        "by_day": [{"day": d, "events": c} for d, c in days[:ALL_TIME_LIMIT]],
        "by_type": {t or "none": c for t, c in types},
        "partners": [{"id": p.key, "name": p.name, "country": p.c, "events": p.n, "goldstein": _round(p.g)}
                     for p in partners],
    }


def document_text(store: Any, doc_id: str) -> str | None:
    """The stored text of one document."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(documents_t.c.text).where(documents_t.c.id == doc_id)).scalar()
