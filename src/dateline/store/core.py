"""The event store: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL.

Each :meth:`Store.add` call is one transaction.  Queries take a :class:`dateline.query.Query` (or its fields as keyword
arguments); the tables are :mod:`dateline.store.schema`'s, the filters' SQL :mod:`dateline.store.select`'s and the
web's aggregates :mod:`dateline.store.aggregates`'.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dateline import DEFAULT_URL, dedup, incidents
from dateline.model import GROUP_FIELDS, LOCATION_FIELDS, Annotation, Event
from dateline.query import ActorFilter, FilterError, Query
from dateline.store import aggregates, schema
from dateline.store.schema import (
    SCHEMA_VERSION,
    actors_t,
    documents_t,
    events_t,
    groups_t,
    name_words,
    names_t,
    places_t,
    words_t,
)
from dateline.store.select import events_select

CHUNK = 500
# the one raw statement (a constant per driver's parameter style): document names go in by the driver's executemany
_NAMES_INSERT = {
    "sqlite": "INSERT INTO document_names (name_key, day, doc_id) VALUES (?, ?, ?)",
    "postgresql": "INSERT INTO document_names (name_key, day, doc_id) VALUES (%s, %s, %s)",
}
EVENT_FIELDS = (
    "id", "doc_id", "doc_published", "url", "sentence", "sentence_index", "type", "mode", "context", "cameo",
    "goldstein", "quad_class", "trigger", "source", "target", "date", "date_precision", "date_text", "date_source",
    "location", "status", "confidence",
)
_EVENT_ATTRS = tuple(f.name for f in dataclasses.fields(Event))


class StoreError(RuntimeError):
    """A store that cannot be used as asked (schema too old or too new, bad filter value)."""


# ---- row conversion ------------------------------------------------------------------------------------------------

def _place_id(loc: dict[str, Any]) -> str:
    raw = json.dumps([loc.get(k) for k in LOCATION_FIELDS], sort_keys=True, default=str)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def _num(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _chunks(seq: Sequence[Any], n: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _date_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


# ---- the store -----------------------------------------------------------------------------------------------------

class Store:
    """An event store. ``Store(url)`` creates the schema when the database is empty; ``Store(url, create=False)``
    (read commands, ``dateline.open``) refuses a missing database or one that is not a dateline store and creates
    nothing."""

    def __init__(self, url: str = DEFAULT_URL, create: bool = True):
        self.url = schema.normalise_url(url)
        if not create:
            missing = schema.missing_file(self.url)
            if missing:
                raise StoreError(f"{missing}: no such database (nothing was created; `dateline ingest` makes one)")
        self.engine = schema.make_engine(self.url)
        self.dialect = self.engine.dialect.name
        if create:
            version = schema.prepare(self.engine)
        else:
            version = self._existing_version(url)
        if version > SCHEMA_VERSION:
            raise StoreError(f"database schema version {version} is newer than this dateline ({SCHEMA_VERSION})")
        self.version = version  # of the schema

    def _existing_version(self, url: str) -> int:
        try:
            with self.engine.connect() as conn:
                version = schema.get_version(conn)
        except sa.exc.DatabaseError as exc:
            self.engine.dispose()
            raise StoreError(f"{url}: not a dateline store ({exc.orig})") from None
        if version is None:
            self.engine.dispose()
            raise StoreError(f"{url}: not a dateline store (it has no dateline schema)")
        return version

    # -- housekeeping
    def close(self) -> None:
        """Release connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def upgrade(self) -> int:
        """Migrate an older schema to the current version (one transaction); returns the new version."""
        with schema.writing(self.engine) as conn:
            version = schema.upgrade(conn)
        self.version = version
        return version

    def _require_current(self) -> None:
        if self.version < SCHEMA_VERSION:
            raise StoreError(
                f"database schema version {self.version} is older than {SCHEMA_VERSION}; "
                f"run `dateline db upgrade --db {self.url}`"
            )

    # -- ingest
    def known_documents(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        ids = list(dict.fromkeys(ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for part in _chunks(ids):
                found.update(conn.execute(sa.select(documents_t.c.id).where(documents_t.c.id.in_(part))).scalars())
        return found

    def changed_documents(self, docs: Sequence[Any]) -> set[str]:
        """Ids of ``docs`` (Documents) stored with another text or publication date: a new version to replace."""
        return self._changed(None, docs)

    def _changed(self, conn: Connection | None, docs: Sequence[Any]) -> set[str]:
        want = {d.id: (d.text, _date_value(d.published)) for d in docs}
        out: set[str] = set()
        with self.engine.connect() if conn is None else contextlib.nullcontext(conn) as c:
            for part in _chunks(list(want)):
                rows = c.execute(sa.select(documents_t.c.id, documents_t.c.text, documents_t.c.published)
                                 .where(documents_t.c.id.in_(part)))
                out.update(r.id for r in rows if (r.text, r.published) != want[r.id])
        return out

    def add(self, annotations: Sequence[Annotation], replace: bool = True) -> tuple[int, int]:
        """Store annotated documents in one transaction and update event groups. A document already stored is
        skipped when unchanged; with another text or publication date (a corrected or updated story under the same
        id) it replaces the stored one when ``replace``, its old events leaving their groups.

        Returns (documents added or replaced, events added).
        """
        self._require_current()
        with schema.writing(self.engine) as conn:  # the check below and the inserts see one state of the store
            known: set[str] = set()
            ids = [a.doc.id for a in annotations]
            for part in _chunks(list(dict.fromkeys(ids))):
                known.update(conn.execute(sa.select(documents_t.c.id).where(documents_t.c.id.in_(part))).scalars())
            last = {a.doc.id: a for a in annotations}  # the same id twice in one batch: its last version
            changed = self._changed(conn, [last[i].doc for i in known if i in last]) if replace else set()
            if changed:
                self._delete(conn, sorted(changed))
                known -= changed
            fresh: list[Annotation] = []
            for ann in annotations:
                if ann.doc.id not in known and last[ann.doc.id] is ann:
                    known.add(ann.doc.id)
                    fresh.append(ann)
            if not fresh:
                return 0, 0
            items = self._insert(conn, fresh)
            self._regroup(conn, items)
            self._link_incidents(conn, [incidents.article_for(a) for a in fresh])
        if self.dialect == "sqlite":  # keep planner statistics fresh (cheap when nothing needs analysing)
            with schema.writing(self.engine) as conn:
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")
                conn.exec_driver_sql("PRAGMA optimize(0x10002)")
        return len(fresh), len(items)

    def delete_documents(self, ids: Iterable[str]) -> tuple[int, int]:
        """Remove documents and their events in one transaction; the groups they were in are regrouped from the
        records that remain. Returns (documents removed, events removed); unknown ids are ignored."""
        self._require_current()
        with schema.writing(self.engine) as conn:
            return self._delete(conn, list(dict.fromkeys(ids)))

    def _delete(self, conn: Connection, ids: Sequence[str]) -> tuple[int, int]:
        e = events_t
        found: list[str] = []
        gone: list[str] = []
        groups: set[str] = set()
        for part in _chunks(ids):
            found.extend(conn.execute(sa.select(documents_t.c.id).where(documents_t.c.id.in_(part))).scalars())
            for r in conn.execute(sa.select(e.c.id, e.c.group_id).where(e.c.doc_id.in_(part))):
                gone.append(r.id)
                groups.add(r.group_id)
        for part in _chunks(gone):
            conn.execute(words_t.delete().where(words_t.c.event_id.in_(part)))
            conn.execute(actors_t.delete().where(actors_t.c.event_id.in_(part)))
            conn.execute(e.delete().where(e.c.id.in_(part)))
        for part in _chunks(found):
            conn.execute(names_t.delete().where(names_t.c.doc_id.in_(part)))  # a scan: deletions are rare
            conn.execute(documents_t.delete().where(documents_t.c.id.in_(part)))
        self._split(conn, sorted(g for g in groups if g))
        if found:
            schema.count_deletion(conn)
        return len(found), len(gone)

    def _split(self, conn: Connection, gids: list[str]) -> None:
        """Group again the records left in groups that lost records (a removed bridge may split a group)."""
        e = events_t
        items: list[dedup.DedupItem] = []
        for part in _chunks(gids):
            rows = conn.execute(sa.select(e.c.id, e.c.block_key, e.c.date_start, e.c.date_end, e.c.lat, e.c.lon)
                                .where(e.c.group_id.in_(part)))
            items.extend(dedup.DedupItem(r.id, r.block_key, r.date_start, r.date_end, r.lat, r.lon) for r in rows)
            conn.execute(groups_t.delete().where(groups_t.c.id.in_(part)))
        links = dedup.group(items)
        if links:
            conn.execute(e.update().where(e.c.id == sa.bindparam("b_id")).values(group_id=sa.bindparam("b_gid")),
                         [{"b_id": i, "b_gid": g} for i, g in links.items()])
            self._write_groups(conn, sorted(set(links.values())))

    def _insert(self, conn: Connection, anns: Sequence[Annotation]) -> list[dedup.DedupItem]:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        docs, events, actors, places = [], [], [], {}
        items: list[dedup.DedupItem] = []
        taken: set[str] = set()
        all_ids = [e.id for a in anns for e in a.events]
        for part in _chunks(all_ids):
            taken.update(conn.execute(sa.select(events_t.c.id).where(events_t.c.id.in_(part))).scalars())
        seen: set[str] = set()
        for ann in anns:
            d = ann.doc
            published = _date_value(d.published)
            docs.append({
                "id": d.id, "published": published, "title": d.title, "url": d.url, "source": d.source,
                "origin": d.origin, "text": d.text, "extra": json.dumps(d.extra, default=str) if d.extra else None,
                "ingested_at": now, "incident_id": d.id,
            })
            for ev in ann.events:
                rec = {f: getattr(ev, f) for f in _EVENT_ATTRS} if isinstance(ev, Event) else dict(ev)
                rec["doc_id"] = d.id
                rec["doc_published"] = rec.get("doc_published") or published
                rec["url"] = rec.get("url") or d.url
                if rec["id"] in taken or rec["id"] in seen:  # an id used by another document: make it unique
                    rec["id"] = f"{rec['id']}~{hashlib.sha1(d.id.encode()).hexdigest()[:8]}"
                seen.add(rec["id"])
                item = dedup.item_for(rec)
                items.append(item)
                events.append(self._event_row(rec, item, places))
                actors.extend(self._actor_rows(rec))
        conn.execute(documents_t.insert(), docs)
        if places:
            have: set[str] = set()
            keys = list(places)
            for part in _chunks(keys):
                have.update(conn.execute(sa.select(places_t.c.id).where(places_t.c.id.in_(part))).scalars())
            new = [places[k] for k in keys if k not in have]
            if new:
                conn.execute(places_t.insert(), new)
        if events:
            conn.execute(events_t.insert(), events)
        if actors:
            conn.execute(actors_t.insert(), actors)
            words = {(w, r["event_id"]) for r in actors for w in name_words(r["name_lc"])}
            if words:
                conn.execute(words_t.insert(), [{"word": w, "event_id": i} for w, i in sorted(words)])
        return items

    def _link_incidents(self, conn: Connection, fresh: list[incidents.Article]) -> None:
        """Store the new documents' names and link them with stored documents of the same incident
        (:mod:`dateline.incidents`); merged incidents take the smallest id."""
        key_of = {n: incidents.name_key(n) for a in fresh for n in a.names}
        name_of = {k: n for n, k in key_of.items()}
        rows = [(key_of[n], dt.date.fromisoformat(a.published).toordinal() if a.published else 0, a.id)
                for a in fresh for n in a.names]  # undated documents (day 0) are never linked
        if rows:  # the driver's executemany: SQLAlchemy's per-row parameter processing cost a fifth of ingest
            conn.exec_driver_sql(_NAMES_INSERT[self.dialect], rows)
        d, nm = documents_t, names_t
        n_docs = conn.execute(sa.select(sa.func.count()).select_from(d)).scalar() or 0
        keys = sorted(name_of)
        df: dict[str, int] = {}
        for part in _chunks(keys):
            df.update((name_of[k], c) for k, c in conn.execute(
                sa.select(nm.c.name_key, sa.func.count()).where(nm.c.name_key.in_(part)).group_by(nm.c.name_key)))
        useful = [key_of[n] for n in sorted(df) if df[n] > 1 and incidents.weight(df[n], n_docs) > 0]
        days = sorted(dt.date.fromisoformat(a.published).toordinal() for a in fresh if a.published)
        if not useful or not days:
            return
        lo, hi = days[0] - incidents.WINDOW_DAYS, days[-1] + incidents.WINDOW_DAYS
        stored: dict[str, tuple[int, set[str]]] = {}
        for part in _chunks(useful):  # (name_key, day): an index range per name, no join
            for doc_id, key, day in conn.execute(sa.select(nm.c.doc_id, nm.c.name_key, nm.c.day)
                                                 .where(nm.c.name_key.in_(part), nm.c.day >= lo, nm.c.day <= hi)):
                stored.setdefault(doc_id, (day, set()))[1].add(name_of[key])
        arts = [incidents.Article(i, dt.date.fromordinal(day).isoformat(), frozenset(ns))
                for i, (day, ns) in stored.items()]
        links = incidents.edges(arts, df, n_docs, fresh={a.id for a in fresh})
        if not links:
            return
        linked = {i for pair in links for i in pair}
        current: dict[str, str] = {}
        for part in _chunks(sorted(linked)):
            current.update(conn.execute(sa.select(d.c.id, d.c.incident_id).where(d.c.id.in_(part))).all())
        current = {i: current.get(i) or i for i in linked}
        merged = incidents.components(linked, links, current)
        renames = {current[i]: inc for i, inc in merged.items() if current[i] != inc}
        if renames:
            conn.execute(d.update().where(d.c.incident_id == sa.bindparam("b_old"))
                         .values(incident_id=sa.bindparam("b_new")),
                         [{"b_old": old, "b_new": new} for old, new in sorted(renames.items())])

    @staticmethod
    def _event_row(rec: dict[str, Any], item: dedup.DedupItem, places: dict[str, dict[str, Any]]) -> dict[str, Any]:
        loc = rec.get("location") or None
        place_id = None
        if loc:
            place_id = _place_id(loc)
            places[place_id] = {"id": place_id, **{k: loc.get(k) for k in LOCATION_FIELDS}}
            places[place_id]["lat"], places[place_id]["lon"] = _num(loc.get("lat")), _num(loc.get("lon"))
        return {
            "id": rec["id"], "doc_id": rec["doc_id"], "doc_published": rec.get("doc_published"), "url": rec.get("url"),
            "sentence": rec.get("sentence"), "sentence_index": rec.get("sentence_index"), "type": rec.get("type"),
            "mode": rec.get("mode"), "context": json.dumps(rec.get("context") or []), "cameo": rec.get("cameo"),
            "goldstein": _num(rec.get("goldstein")), "quad_class": rec.get("quad_class"),
            "trigger": json.dumps(rec.get("trigger")) if rec.get("trigger") is not None else None,
            "date": rec.get("date"), "date_precision": rec.get("date_precision"), "date_text": rec.get("date_text"),
            "date_source": rec.get("date_source"), "date_start": item.start, "date_end": item.end, "place_id": place_id,
            "lat": _num(loc.get("lat")) if loc else None, "lon": _num(loc.get("lon")) if loc else None,
            "loc_country": loc.get("country") if loc else None, "status": rec.get("status"),
            "confidence": _num(rec.get("confidence")), "block_key": item.block, "group_id": rec["id"], "is_rep": True,
        }

    @staticmethod
    def _actor_rows(rec: dict[str, Any]) -> list[dict[str, Any]]:
        rows = []
        for role in ("source", "target"):
            for pos, a in enumerate(rec.get(role) or []):
                rows.append({
                    "event_id": rec["id"], "role": role, "position": pos, "text": a.get("text"),
                    "start": a.get("start"), "end": a.get("end"), "name": a.get("name"),
                    # an unresolved "they" names no one (dedup.actor_key): no key, so no node, partner or match
                    "name_lc": ((a.get("name") or a.get("text") or "").strip().casefold() or None)
                    if dedup.actor_key(a) is not None else None,
                    "country": a.get("country"), "sector": a.get("sector"), "actor_id": a.get("id"),
                    "phrase": a.get("phrase"),
                })
        return rows

    def _regroup(self, conn: Connection, new_items: list[dedup.DedupItem]) -> None:
        """Link new records with stored ones that report the same happening; rewrite the groups that changed."""
        e = events_t
        bounds: dict[str, tuple[str, str]] = {}
        for it in new_items:
            if it.block is None:
                continue
            lo, hi = bounds.get(it.block, (it.start, it.end))
            bounds[it.block] = (min(lo, it.start), max(hi, it.end))
        new_ids = {it.id for it in new_items}
        candidates: dict[str, dedup.DedupItem] = {it.id: it for it in new_items}
        old_group: dict[str, str] = {}
        for part in _chunks(sorted(bounds)):
            rows = conn.execute(
                sa.select(e.c.id, e.c.block_key, e.c.date_start, e.c.date_end, e.c.lat, e.c.lon, e.c.group_id)
                .where(e.c.block_key.in_(part))
            )
            for r in rows:
                lo, hi = bounds[r.block_key]
                if r.id not in new_ids and r.date_start <= hi and r.date_end >= lo:
                    candidates[r.id] = dedup.DedupItem(r.id, r.block_key, r.date_start, r.date_end, r.lat, r.lon)
                    old_group[r.id] = r.group_id
        links = dedup.group(candidates.values())
        # a component's id is the smallest id among its records and the stored groups it touches
        comp_ids: dict[str, set[str]] = {}
        for eid, root in links.items():
            comp_ids.setdefault(root, set()).add(old_group.get(eid, eid))
        new_gid: dict[str, str] = {root: min(ids) for root, ids in comp_ids.items()}
        affected: set[str] = set()
        retag_groups: dict[str, str] = {}  # stored group id -> merged group id
        retag_events: dict[str, list[str]] = {}  # merged group id -> new event ids
        for eid, root in links.items():
            gid = new_gid[root]
            affected.add(gid)
            if eid in new_ids:
                retag_events.setdefault(gid, []).append(eid)
            elif old_group[eid] != gid:
                retag_groups[old_group[eid]] = gid
        if retag_groups:
            conn.execute(e.update().where(e.c.group_id == sa.bindparam("b_old")).values(group_id=sa.bindparam("b_gid")),
                         [{"b_old": old, "b_gid": gid} for old, gid in retag_groups.items()])
        moved = [{"b_id": eid, "b_gid": gid} for gid, eids in retag_events.items() for eid in eids if eid != gid]
        if moved:  # new records were inserted as their own group
            conn.execute(e.update().where(e.c.id == sa.bindparam("b_id")).values(group_id=sa.bindparam("b_gid")),
                         moved)
        stale = sorted(set(retag_groups) | affected)
        for part in _chunks(stale):
            conn.execute(groups_t.delete().where(groups_t.c.id.in_(part)))
        self._write_groups(conn, sorted(affected))

    @staticmethod
    def _write_groups(conn: Connection, gids: list[str]) -> None:
        e, d = events_t, documents_t
        for part in _chunks(gids):
            rows = conn.execute(
                sa.select(e.c.id, e.c.group_id, e.c.confidence, e.c.date_precision, e.c.doc_id, e.c.is_rep,
                          e.c.reports, d.c.published, d.c.source)
                .join(d, d.c.id == e.c.doc_id).where(e.c.group_id.in_(part))
            ).mappings().all()
            members: dict[str, list[Any]] = {}
            for r in rows:
                members.setdefault(r["group_id"], []).append(r)
            out, reps, non_reps = [], [], []
            for gid, ms in members.items():
                rep = dedup.representative(ms)
                dates = sorted(m["published"] for m in ms if m["published"])
                sources = sorted({m["source"] for m in ms if m["source"]})  # named publishers only
                out.append({
                    "id": gid, "rep_event_id": rep["id"], "reports": len({m["doc_id"] for m in ms}),
                    "mentions": len(ms), "sources": json.dumps(sources),
                    "first_report": dates[0] if dates else None, "last_report": dates[-1] if dates else None,
                })
                if not rep["is_rep"] or rep["reports"] != out[-1]["reports"]:
                    reps.append({"b_id": rep["id"], "b_reports": out[-1]["reports"]})
                non_reps.extend(m["id"] for m in ms if m["id"] != rep["id"] and m["is_rep"])
            if out:
                conn.execute(groups_t.insert(), out)
            if reps:
                conn.execute(e.update().where(e.c.id == sa.bindparam("b_id"))
                             .values(is_rep=True, reports=sa.bindparam("b_reports")), reps)
            for p in _chunks(non_reps):
                conn.execute(e.update().where(e.c.id.in_(p)).values(is_rep=False, reports=None))

    # -- queries
    def query(self, query: Query | None = None, **fields: Any) -> Query:
        """``query`` (or a :class:`Query` of ``fields``, or ``query`` with ``fields`` replaced), checked; a bad value
        raises StoreError naming the option."""
        q = Query(**fields) if query is None else dataclasses.replace(query, **fields)
        try:
            return q.checked()
        except FilterError as exc:
            raise StoreError(str(exc)) from None

    def events(self, query: Query | None = None, **fields: Any) -> pd.DataFrame:
        """Event records (``groups=True``: one row per happening, with group fields) as a DataFrame (sides and location
        nested; :func:`dateline.export.flat_frame` gives the CSV's flat columns).

        Takes a :class:`dateline.query.Query` or its fields: ``actor`` matches an actor id or name (case-insensitive;
        ``*`` is a wildcard); ``country`` matches an actor's or the location's country; ``since``/``until`` (YYYY,
        YYYY-MM or YYYY-MM-DD) keep events whose date can fall in the range; ``near`` is (lat, lon, km); ``text`` needs
        every word in the sentence.  With groups, filters apply to the group's representative record and ``text`` to
        any of its records.  ``sort`` (one of ``SORT_KEYS``), ``descending``, ``limit`` (None: all), ``offset``.
        ``frame.attrs["total"]`` is the number of matching rows before the page was cut.
        """
        self._require_current()
        q = self.query(query, **fields)
        with self.engine.connect() as conn:
            rows = conn.execute(events_select(q, self)).mappings().all()
            frame = self._frame(conn, rows, q.groups)
            cut = q.offset or (q.limit is not None and len(rows) >= q.limit)
            frame.attrs["total"] = self._count(conn, q) if cut else len(rows)
        return frame

    def count(self, query: Query | None = None, **fields: Any) -> int:
        """How many rows match (events, or happenings with ``groups=True``), ignoring ``limit`` and ``offset``."""
        self._require_current()
        q = self.query(query, **fields)
        with self.engine.connect() as conn:
            return self._count(conn, q)

    def _count(self, conn: Connection, q: Query) -> int:
        whole = events_select(dataclasses.replace(q, limit=None, offset=0), self).order_by(None).subquery()
        return conn.execute(sa.select(sa.func.count()).select_from(whole)).scalar() or 0

    def iter_events(self, batch_size: int = 5000, query: Query | None = None, **fields: Any) -> Iterator[pd.DataFrame]:
        """Like :meth:`events` without a limit, a DataFrame at a time (for exports)."""
        q = self.query(query, **{**fields, "limit": None})
        offset = q.offset
        while True:
            frame = self.events(q, limit=batch_size, offset=offset)
            if frame.empty:
                return
            yield frame
            if len(frame) < batch_size:
                return
            offset += batch_size

    def data_version(self) -> int:
        """A number that changes whenever events are stored or removed: the web cache's version."""
        with self.engine.connect() as conn:
            return schema.data_version(conn)

    # -- aggregates (the web API's views; see dateline.store.aggregates)
    def stats(self, query: Query | None = None, pairs_limit: int = 50, **fields: Any) -> dict[str, Any]:
        """Counts of matching events: total, by type, by QuadClass, by day and QuadClass, by country pair."""
        return aggregates.stats(self, self.query(query, **fields), pairs_limit)

    def network(self, query: Query | None = None, max_edges: int = 80, **fields: Any) -> dict[str, Any]:
        """Actor network of matching events: edges source → target with counts and mean Goldstein score."""
        return aggregates.network(self, self.query(query, **fields), max_edges)

    def places(self, query: Query | None = None, limit: int = 1000, **fields: Any) -> list[dict[str, Any]]:
        """Map points: matching events grouped by coordinates, with counts and mean Goldstein score."""
        return aggregates.places(self, self.query(query, **fields), limit)

    def actors(self, f: ActorFilter | None = None) -> list[dict[str, Any]]:
        """Actors by number of distinct happenings they take part in (as source or target)."""
        return aggregates.actors(self, f or ActorFilter())

    def actor(self, key: str, partners_limit: int = 50) -> dict[str, Any] | None:
        """One actor (by dictionary id or name): counts, events per day, event types and partners."""
        return aggregates.actor(self, key, partners_limit)

    def document_text(self, doc_id: str) -> str | None:
        """The stored text of one document."""
        return aggregates.document_text(self, doc_id)

    def _frame(self, conn: Connection, rows: Sequence[Any], groups: bool) -> pd.DataFrame:
        ids = [r["id"] for r in rows]
        actors = self._actors_for(conn, ids)
        places = self._places_for(conn, {r["place_id"] for r in rows if r["place_id"]})
        records = [self._record(r, actors, places, groups) for r in rows]
        columns = list(EVENT_FIELDS) + (list(GROUP_FIELDS) if groups else ["group_id"])
        frame = pd.DataFrame.from_records(records, columns=columns)
        for col in ("sentence_index", "quad_class", "reports", "mentions"):
            if col in frame:
                frame[col] = frame[col].astype("Int64")
        return frame

    @staticmethod
    def _actors_for(conn: Connection, ids: Sequence[str]) -> dict[tuple[str, str], list[dict[str, Any]]]:
        out: dict[tuple[str, str], list[dict[str, Any]]] = {}
        a = actors_t
        for part in _chunks(list(ids)):
            q = sa.select(a).where(a.c.event_id.in_(part)).order_by(a.c.event_id, a.c.role, a.c.position)
            for r in conn.execute(q).mappings():
                actor = {"text": r["text"], "start": r["start"], "end": r["end"], "name": r["name"],
                         "country": r["country"], "sector": r["sector"], "id": r["actor_id"]}
                if r["phrase"]:
                    actor["phrase"] = r["phrase"]
                out.setdefault((r["event_id"], r["role"]), []).append(actor)
        return out

    @staticmethod
    def _places_for(conn: Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
        out = {}
        for part in _chunks(sorted(ids)):
            for r in conn.execute(sa.select(places_t).where(places_t.c.id.in_(part))).mappings():
                out[r["id"]] = {k: r[k] for k in LOCATION_FIELDS}
        return out

    @staticmethod
    def _record(r: Any, actors: dict, places: dict, groups: bool) -> dict[str, Any]:
        rec = {k: r[k] for k in EVENT_FIELDS if k not in ("source", "target", "location", "context", "trigger")}
        rec["context"] = json.loads(r["context"]) if r["context"] else []
        rec["trigger"] = json.loads(r["trigger"]) if r["trigger"] else None
        rec["source"] = actors.get((r["id"], "source"), [])
        rec["target"] = actors.get((r["id"], "target"), [])
        rec["location"] = places.get(r["place_id"]) if r["place_id"] else None
        rec["group_id"] = r["group_id"]
        if groups:
            rec.update({k: r[k] for k in ("reports", "mentions", "first_report", "last_report")})
            rec["sources"] = json.loads(r["sources"]) if r["sources"] else []
        return rec

    def event(self, id: str) -> dict[str, Any] | None:  # noqa: A002
        """One event record by event id or group id; groups carry ``provenance``: every report with its document."""
        self._require_current()
        e, g, d = events_t, groups_t, documents_t
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(e).where(e.c.id == id)).mappings().first()
            grow = conn.execute(sa.select(g).where(g.c.id == (row["group_id"] if row else id))).mappings().first()
            if grow is None:
                return None
            if row is None or row["id"] != id:
                row = conn.execute(sa.select(e).where(e.c.id == grow["rep_event_id"])).mappings().first()
            members = conn.execute(
                sa.select(e, d.c.title, d.c.source.label("doc_source"), d.c.incident_id)
                .join(d, d.c.id == e.c.doc_id).where(e.c.group_id == grow["id"])
                .order_by(e.c.doc_published, e.c.id)
            ).mappings().all()
            ids = [m["id"] for m in members]
            actors = self._actors_for(conn, ids)
            places = self._places_for(conn, {m["place_id"] for m in members if m["place_id"]})
            rec = self._record({**row, **{k: grow[k] for k in ("reports", "mentions", "sources", "first_report",
                                                               "last_report")}}, actors, places, True)
            rec["provenance"] = [
                {**self._record(m, actors, places, False), "title": m["title"], "doc_source": m["doc_source"],
                 "incident_id": m["incident_id"] or m["doc_id"]}
                for m in members
            ]
            rec["incident_id"] = next((p["incident_id"] for p in rec["provenance"] if p["id"] == rec["id"]),
                                      rec["provenance"][0]["incident_id"] if rec["provenance"] else None)
        return rec

    def incident(self, incident_id: str) -> dict[str, Any] | None:
        """The documents that report one incident (:mod:`dateline.incidents`), first report first, with their
        counts of events; None when no document has that incident."""
        self._require_current()
        d, e = documents_t, events_t
        with self.engine.connect() as conn:
            docs = conn.execute(
                sa.select(d.c.id, d.c.published, d.c.title, d.c.url, d.c.source,
                          sa.select(sa.func.count()).where(e.c.doc_id == d.c.id).scalar_subquery().label("events"))
                .where(d.c.incident_id == incident_id).order_by(d.c.published, d.c.id)
            ).mappings().all()
        if not docs:
            return None
        days = [r["published"] for r in docs if r["published"]]
        return {"id": incident_id, "documents": [dict(r) for r in docs], "reports": len(docs),
                "sources": sorted({r["source"] for r in docs if r["source"]}),
                "first_report": days[0] if days else None, "last_report": days[-1] if days else None}

    def summary(self) -> dict[str, Any]:
        """Counts: documents, events, groups, events by type, and the most frequent (source, target) actor pairs."""
        self._require_current()
        e, a = events_t, actors_t
        with self.engine.connect() as conn:
            count = lambda t: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()  # noqa: E731
            by_type = dict(conn.execute(sa.select(e.c.type, sa.func.count()).group_by(e.c.type)).all())
            s, t = a.alias("s"), a.alias("t")
            sname = sa.func.coalesce(s.c.name, s.c.text)
            tname = sa.func.coalesce(t.c.name, t.c.text)
            n = sa.func.count(sa.distinct(e.c.group_id)).label("n")
            pairs = conn.execute(
                sa.select(sname.label("src"), tname.label("tgt"), n)
                .select_from(e.join(s, sa.and_(s.c.event_id == e.c.id, s.c.role == "source"))
                             .join(t, sa.and_(t.c.event_id == e.c.id, t.c.role == "target")))
                .group_by(sname, tname).order_by(n.desc(), sname, tname).limit(10)
            ).all()
            return {
                "documents": count(documents_t), "events": count(events_t), "groups": count(groups_t),
                "by_type": {k: v for k, v in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0] or ""))},
                "top_pairs": [(p.src, p.tgt, p.n) for p in pairs],
            }
