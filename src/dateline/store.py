"""The event store: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL. The only module that knows SQL.

Tables: ``documents``, ``places``, ``events`` (one row per event record, with a copy of its location's coordinates for
filtering), ``event_actors`` (source/target actor lists), ``event_groups`` (one row per happening, see
:mod:`dateline.dedup`) and ``meta`` (schema version).  Full-text search on sentences uses an FTS5 table on SQLite and a
generated ``tsvector`` column on PostgreSQL.  Each :meth:`Store.add` call is one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from dateline import dedup
from dateline.model import PLOVER_TYPES, STATUSES, Annotation, Event

SCHEMA_VERSION = 4  # 1: tables; 2: full-text index on sentences; 3: sort and actor indexes re-keyed;
# 4: the argument phrase of each event side
CHUNK = 500
SORT_KEYS = ("date", "published", "type", "goldstein", "confidence", "id", "reports")
EVENT_FIELDS = (
    "id", "doc_id", "doc_published", "url", "sentence", "sentence_index", "type", "mode", "context", "cameo",
    "goldstein", "quad_class", "trigger", "source", "target", "date", "date_precision", "date_text", "location",
    "status", "confidence",
)
GROUP_FIELDS = ("group_id", "reports", "mentions", "sources", "first_report", "last_report")
ACTOR_FIELDS = ("text", "start", "end", "name", "country", "sector", "id", "phrase")
LOCATION_FIELDS = ("text", "name", "lat", "lon", "country", "admin1", "geonameid")


_EVENT_ATTRS = tuple(f.name for f in dataclasses.fields(Event))


class StoreError(RuntimeError):
    """A store that cannot be used as asked (schema too old or too new, bad filter value)."""


metadata = sa.MetaData()
meta_t = sa.Table("meta", metadata, sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text))
documents_t = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("published", sa.String(10)),
    sa.Column("title", sa.Text), sa.Column("url", sa.Text), sa.Column("source", sa.String(255)),
    sa.Column("origin", sa.Text), sa.Column("text", sa.Text), sa.Column("extra", sa.Text),
    sa.Column("ingested_at", sa.String(32)),
)
places_t = sa.Table(
    "places", metadata,
    sa.Column("id", sa.String(20), primary_key=True),
    sa.Column("text", sa.Text), sa.Column("name", sa.Text), sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(8)), sa.Column("admin1", sa.Text), sa.Column("geonameid", sa.BigInteger),
)
# "+column" orders by the column without letting SQLite pick its index (constants: no SQL is built from input)
_UNINDEXED_KEYS = {"date_start": "+events.date_start", "doc_published": "+events.doc_published", "type": "+events.type",
                   "goldstein": "+events.goldstein", "confidence": "+events.confidence", "id": "+events.id",
                   "reports": "+events.reports"}
FREQUENT_TEXT = 0.02  # share of events a full-text query must match to be tested row by row in sort order
FREQUENT_TEXT_MIN_EVENTS = 1000  # below this every store is small enough to expand the hits
SORT_INDEXES = {
    "ix_events_sort_date": ("date_start", "id", "is_rep"),
    "ix_events_sort_published": ("doc_published", "id", "is_rep"),
    "ix_events_sort_goldstein": ("goldstein", "id", "is_rep"),
    "ix_events_sort_confidence": ("confidence", "id", "is_rep"),
    "ix_events_sort_reports": ("reports", "id", "is_rep"),
}
events_t = sa.Table(
    "events", metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(255), nullable=False, unique=True),
    sa.Column("doc_id", sa.String(255), sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("doc_published", sa.String(10)), sa.Column("url", sa.Text),
    sa.Column("sentence", sa.Text), sa.Column("sentence_index", sa.Integer),
    sa.Column("type", sa.String(32)), sa.Column("mode", sa.String(64)), sa.Column("context", sa.Text),
    sa.Column("cameo", sa.String(8)), sa.Column("goldstein", sa.Float), sa.Column("quad_class", sa.Integer),
    sa.Column("trigger", sa.Text),
    sa.Column("date", sa.String(32)), sa.Column("date_precision", sa.String(16)), sa.Column("date_text", sa.Text),
    sa.Column("date_start", sa.String(10)), sa.Column("date_end", sa.String(10)),
    sa.Column("place_id", sa.String(20), sa.ForeignKey("places.id")),
    sa.Column("lat", sa.Float), sa.Column("lon", sa.Float), sa.Column("loc_country", sa.String(8)),
    sa.Column("status", sa.String(16)), sa.Column("confidence", sa.Float),
    sa.Column("block_key", sa.String(20)), sa.Column("group_id", sa.String(255)),
    sa.Column("is_rep", sa.Boolean, nullable=False, default=True),
    sa.Column("reports", sa.Integer),  # copy of the group's reports on its representative row (sort key)
    # sort keys: (key, id) is the ORDER BY (ties broken by id), so a page is read in order without sorting every
    # row of a tied key; is_rep rides along so groups (is_rep) and mentions (all rows) both use the same scan
    *(sa.Index(name, *cols) for name, cols in SORT_INDEXES.items()),
    sa.Index("ix_events_type_date", "type", "date_start"),
    sa.Index("ix_events_block", "block_key", "date_start"),
    sa.Index("ix_events_group", "group_id"),
    sa.Index("ix_events_latlon", "lat", "lon"),
    sa.Index("ix_events_loc_country", "loc_country"),
)
actors_t = sa.Table(
    "event_actors", metadata,
    sa.Column("event_id", sa.String(255), sa.ForeignKey("events.id"), nullable=False, index=True),
    sa.Column("role", sa.String(8), nullable=False), sa.Column("position", sa.Integer, nullable=False),
    sa.Column("text", sa.Text), sa.Column("start", sa.Integer), sa.Column("end", sa.Integer),
    sa.Column("name", sa.Text), sa.Column("name_lc", sa.Text, index=True),
    sa.Column("country", sa.String(8)), sa.Column("sector", sa.String(16)),
    sa.Column("actor_id", sa.String(255), index=True),
    sa.Column("phrase", sa.Text),  # the argument's noun phrase when larger than the mention (schema 4)
    # covering: "events with a Russian actor" reads event ids from the index alone, never the actor rows
    sa.Index("ix_event_actors_country_event", "country", "event_id"),
    sa.Index("ix_event_actors_sector_event", "sector", "event_id"),
)
words_t = sa.Table(  # single words of actor names ("putin"), so --actor Putin finds "Vladimir Putin" via an index
    "actor_words", metadata,
    sa.Column("word", sa.String(255), nullable=False), sa.Column("event_id", sa.String(255), nullable=False),
    sa.Index("ix_actor_words_word", "word", "event_id"),
)
groups_t = sa.Table(
    "event_groups", metadata,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("rep_event_id", sa.String(255)), sa.Column("reports", sa.Integer), sa.Column("mentions", sa.Integer),
    sa.Column("sources", sa.Text), sa.Column("first_report", sa.String(32)), sa.Column("last_report", sa.String(32)),
)


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` use the installed psycopg 3 driver; a bare path means SQLite."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if "://" not in url:
        return "sqlite:///" + url
    return url


def _sqlite_km(lat1, lon1, lat2, lon2):  # registered as dl_km on SQLite connections
    if None in (lat1, lon1, lat2, lon2):
        return None
    return dedup.km(lat1, lon1, lat2, lon2)


def make_engine(url: str) -> Engine:
    """An engine with dialect settings: SQLite gets WAL, a busy timeout, foreign keys and a ``dl_km`` function."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.create_function("dl_km", 4, _sqlite_km, deterministic=True)
            cur = dbapi_conn.cursor()
            if url not in ("sqlite://", "sqlite:///:memory:"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache (default 2): index inserts stay in memory longer
            cur.execute("PRAGMA temp_store=MEMORY")  # sorts of a page's ties: type+month p95 at 1M 209 -> 177 ms
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


# ---- schema creation and migrations ------------------------------------------------------------------------------

_PG_KM = """
CREATE OR REPLACE FUNCTION dl_km(lat1 double precision, lon1 double precision,
                                 lat2 double precision, lon2 double precision) RETURNS double precision AS $$
  SELECT 2 * 6371.0088 * asin(least(1.0, sqrt(
    power(sin(radians(lat2 - lat1) / 2), 2) +
    cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
$$ LANGUAGE sql IMMUTABLE
"""
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(sentence, content='events', content_rowid='pk',"
    " tokenize='porter unicode61')",
    "CREATE TRIGGER IF NOT EXISTS events_fts_ai AFTER INSERT ON events BEGIN"
    " INSERT INTO events_fts(rowid, sentence) VALUES (new.pk, new.sentence); END",
    "CREATE TRIGGER IF NOT EXISTS events_fts_ad AFTER DELETE ON events BEGIN"
    " INSERT INTO events_fts(events_fts, rowid, sentence) VALUES ('delete', old.pk, old.sentence); END",
    "CREATE TRIGGER IF NOT EXISTS events_fts_au AFTER UPDATE OF sentence ON events BEGIN"
    " INSERT INTO events_fts(events_fts, rowid, sentence) VALUES ('delete', old.pk, old.sentence);"
    " INSERT INTO events_fts(rowid, sentence) VALUES (new.pk, new.sentence); END",
    "INSERT INTO events_fts(events_fts) VALUES ('rebuild')",
)
_PG_FTS = (
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS tsv tsvector"
    " GENERATED ALWAYS AS (to_tsvector('english', coalesce(sentence, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_events_tsv ON events USING gin (tsv)",
)


def _migrate_1_to_2(conn: Connection) -> None:
    """Version 2 adds full-text search on event sentences (and indexes what is already stored)."""
    for stmt in _SQLITE_FTS if conn.dialect.name == "sqlite" else _PG_FTS:
        conn.execute(sa.text(stmt))


_V2_INDEX_DROPS = tuple("DROP INDEX IF EXISTS " + name for name in (
    "ix_events_date", "ix_events_published", "ix_events_goldstein", "ix_events_confidence", "ix_events_reports",
    "ix_event_actors_country", "ix_event_actors_sector"))


def _migrate_2_to_3(conn: Connection) -> None:
    """Version 3 re-keys the sort indexes as (key, id, is_rep) and makes the actor country/sector indexes cover
    event ids (a 1-million-event store: sort by reports 360 -> 7 ms, country filter 145 -> 95 ms)."""
    for stmt in _V2_INDEX_DROPS:
        conn.execute(sa.text(stmt))
    for table in (events_t, actors_t):
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def _migrate_3_to_4(conn: Connection) -> None:
    """Version 4 stores each event side's argument phrase ("Germany's largest bank" for the actor Germany)."""
    if "phrase" not in {c["name"] for c in sa.inspect(conn).get_columns("event_actors")}:
        conn.execute(sa.text("ALTER TABLE event_actors ADD COLUMN phrase TEXT"))


MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4}


def create_schema_v1(conn: Connection) -> None:
    """The version-1 schema (tables and indexes, no full-text index); migrations take it to the current one."""
    metadata.create_all(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(_PG_KM))
    conn.execute(meta_t.insert().values(key="schema_version", value="1"))


def _get_version(conn: Connection) -> int | None:
    if not sa.inspect(conn).has_table("meta"):
        return None
    value = conn.execute(sa.select(meta_t.c.value).where(meta_t.c.key == "schema_version")).scalar()
    return int(value) if value is not None else None


def _set_version(conn: Connection, version: int) -> None:
    conn.execute(meta_t.update().where(meta_t.c.key == "schema_version").values(value=str(version)))


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


def _words(name: str | None) -> list[str]:
    """Lower-cased words of an actor name, for the one-word actor filter."""
    if not name:
        return []
    return [w for w in "".join(c if c.isalnum() else " " for c in name.casefold()).split() if len(w) <= 255]


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
    """An event store. ``Store(url)`` creates the schema when the database is empty."""

    def __init__(self, url: str = "sqlite:///dateline.db"):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self.dialect = self.engine.dialect.name
        with self.engine.begin() as conn:
            version = _get_version(conn)
            if version is None:
                create_schema_v1(conn)
                for v in range(1, SCHEMA_VERSION):
                    MIGRATIONS[v](conn)
                _set_version(conn, SCHEMA_VERSION)
                version = SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise StoreError(f"database schema version {version} is newer than this dateline ({SCHEMA_VERSION})")
        self.version = version

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
        with self.engine.begin() as conn:
            version = _get_version(conn) or SCHEMA_VERSION
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                version += 1
            _set_version(conn, version)
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

    def add(self, annotations: Sequence[Annotation]) -> tuple[int, int]:
        """Store annotated documents in one transaction, skipping documents already stored, and update event groups.

        Returns (documents added, events added).
        """
        self._require_current()
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":  # serialise writers so concurrent ingests cannot split a group
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7291)"))
            known: set[str] = set()
            ids = [a.doc.id for a in annotations]
            for part in _chunks(list(dict.fromkeys(ids))):
                known.update(conn.execute(sa.select(documents_t.c.id).where(documents_t.c.id.in_(part))).scalars())
            fresh: list[Annotation] = []
            for ann in annotations:
                if ann.doc.id not in known:
                    known.add(ann.doc.id)
                    fresh.append(ann)
            if not fresh:
                return 0, 0
            items = self._insert(conn, fresh)
            self._regroup(conn, items)
        if self.dialect == "sqlite":  # keep planner statistics fresh (cheap when nothing needs analysing)
            with self.engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")
                conn.exec_driver_sql("PRAGMA optimize(0x10002)")
        return len(fresh), len(items)

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
                "ingested_at": now,
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
            words = {(w, r["event_id"]) for r in actors for w in _words(r["name_lc"])}
            if words:
                conn.execute(words_t.insert(), [{"word": w, "event_id": i} for w, i in sorted(words)])
        return items

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
            "date_start": item.start, "date_end": item.end, "place_id": place_id,
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
                    "name_lc": (a.get("name") or a.get("text") or "").strip().casefold() or None,
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
                sources = sorted({m["source"] or m["doc_id"] for m in ms})
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
    def events(self, *, actor: str | None = None, country: str | None = None, sector: str | None = None,
               type: str | None = None, mode: str | None = None, status: str | None = None,  # noqa: A002
               since: str | dt.date | None = None, until: str | dt.date | None = None,
               near: tuple[float, float, float] | None = None, text: str | None = None, groups: bool = True,
               sort: str = "date", descending: bool = False, limit: int | None = 100, offset: int = 0) -> pd.DataFrame:
        """Event records (``groups=True``: one row per happening, with group fields) as a DataFrame.

        ``actor`` matches an actor id or name (case-insensitive; ``*`` is a wildcard); ``country`` matches an actor's
        or the location's country; ``since``/``until`` (YYYY, YYYY-MM or YYYY-MM-DD) keep events whose date can fall in
        the range; ``near`` is (lat, lon, km); ``text`` needs every word in the sentence.  With groups, filters apply
        to the group's representative record and ``text`` to any of its records.
        """
        self._require_current()
        stmt = self.select(actor=actor, country=country, sector=sector, type_=type, mode=mode, status=status,
                            since=since, until=until, near=near, text=text, groups=groups, sort=sort,
                            descending=descending, limit=limit, offset=offset)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
            return self._frame(conn, rows, groups)

    def iter_events(self, batch_size: int = 5000, **filters: Any) -> Iterator[pd.DataFrame]:
        """Like :meth:`events` without a limit, a DataFrame at a time (for exports)."""
        filters.pop("limit", None)
        offset = filters.pop("offset", 0)
        while True:
            frame = self.events(limit=batch_size, offset=offset, **filters)
            if frame.empty:
                return
            yield frame
            if len(frame) < batch_size:
                return
            offset += batch_size

    def select(self, *, actor, country, sector, type_, mode, status, since, until, near, text, groups, sort,
               descending, limit, offset) -> sa.Select:
        """The SELECT behind :meth:`events` (filters, sort, paging), for callers that aggregate over it."""
        # NUL can never match stored text (the readers remove it) and PostgreSQL refuses it in parameters:
        # U+FFFD keeps such a filter non-matching on both backends
        actor, country, sector, type_, mode, status = (
            v.replace("\x00", "\ufffd") if isinstance(v, str) else v
            for v in (actor, country, sector, type_, mode, status))
        e, a, g = events_t, actors_t, groups_t
        conds: list[Any] = []
        if actor:
            value = str(actor).strip()
            if "*" in value:
                pattern = value.casefold().replace("%", r"\%").replace("_", r"\_").replace("*", "%")
                match = sa.or_(a.c.name_lc.like(pattern, escape="\\"), a.c.actor_id.like(value.replace("*", "%")))
            else:
                match = sa.or_(a.c.name_lc == value.casefold(), a.c.actor_id == value)
            cond = e.c.id.in_(sa.select(a.c.event_id).where(match))
            if "*" not in value and len(_words(value)) == 1:
                w = words_t
                cond = sa.or_(cond, e.c.id.in_(sa.select(w.c.event_id).where(w.c.word == _words(value)[0])))
            conds.append(cond)
        if country:
            code = _check_code(country, "country")
            conds.append(sa.or_(e.c.loc_country == code,
                                e.c.id.in_(sa.select(a.c.event_id).where(a.c.country == code))))
        if sector:
            code = _check_code(sector, "sector")
            if country or actor:
                # the other filter picks few events: test each for the sector (covering index) instead of listing
                # every event of a common sector first (country + sector at 1M events: 370 -> 55 ms)
                inner = actors_t.alias("sa")
                conds.append(sa.exists(sa.select(sa.literal(1)).select_from(inner)
                                       .where(inner.c.event_id == e.c.id, inner.c.sector == code)))
            else:
                conds.append(e.c.id.in_(sa.select(a.c.event_id).where(a.c.sector == code)))
        if type_:
            conds.append(e.c.type == check_choice(type_, PLOVER_TYPES, "type"))
        if mode:
            conds.append(e.c.mode == str(mode))
        if status:
            conds.append(e.c.status == check_choice(status, STATUSES, "status"))
        if since:
            conds.append(e.c.date_end >= parse_day(since, "since")[0])
        if until:
            conds.append(e.c.date_start <= parse_day(until, "until")[1])
        if near is not None:
            conds.extend(_near_conditions(near))
        if text:
            conds.append(self._text_condition(text, groups))
        if groups:
            conds.append(e.c.is_rep.is_(True))
        if sort not in SORT_KEYS or (sort == "reports" and not groups):
            raise StoreError(f"sort: expected one of {', '.join(SORT_KEYS)} (reports only with groups), got {sort!r}")
        cols = [e]
        stmt = sa.select(*cols)
        if groups:
            stmt = sa.select(e, g.c.reports, g.c.mentions, g.c.sources, g.c.first_report, g.c.last_report)
            stmt = stmt.join(g, g.c.id == e.c.group_id)
        key = {"date": e.c.date_start, "published": e.c.doc_published, "type": e.c.type, "goldstein": e.c.goldstein,
               "confidence": e.c.confidence, "id": e.c.id, "reports": e.c.reports}[sort]
        if near is not None and self.dialect == "sqlite":
            # a radius is selective: read its bounding box from the lat/lon index and sort that. SQLite's planner
            # would otherwise walk the whole sort index checking every row (1.5 s instead of 15 ms at 1M events);
            # "+column" keeps the ordering and hides the index
            key = sa.literal_column(_UNINDEXED_KEYS[key.name])
        order = [key.desc() if descending else key.asc()]
        if sort != "id":
            order.append(e.c.id.desc() if descending else e.c.id.asc())
        stmt = stmt.where(*conds).order_by(*order)
        if limit is not None:
            if int(limit) < 0:
                raise StoreError("limit: must be zero or more")
            stmt = stmt.limit(int(limit))
        if offset:
            if int(offset) < 0:
                raise StoreError("offset: must be zero or more")
            stmt = stmt.offset(int(offset))
        return stmt

    def _text_condition(self, text: str, groups: bool) -> Any:
        e = events_t
        cleaned = "".join(" " if (ch < " " or ch == '"') else ch for ch in str(text))  # no NUL/controls in MATCH
        words = [w for w in cleaned.split() if w]
        if not words:
            raise StoreError("text: give at least one word")
        if self.dialect == "sqlite":
            q = " ".join(f'"{w}"' for w in words)  # each word quoted: FTS5 syntax in user text is not interpreted
            fts = sa.table("events_fts", sa.column("rowid"))
            match = sa.text("events_fts MATCH :q").bindparams(q=q)
            if self._frequent_text(q):
                # a common word: walk the events in the requested order and test each against the index (a page of
                # 100 needs a few hundred probes) rather than expanding every hit first (1 s at 1M events, 30 ms)
                def probe(row: Any) -> Any:
                    return sa.exists(sa.select(sa.literal(1)).select_from(fts).where(fts.c.rowid == row.c.pk, match))
                if not groups:
                    return probe(e)
                m = events_t.alias("m")
                return sa.exists(sa.select(sa.literal(1)).select_from(m).where(m.c.group_id == e.c.group_id, probe(m)))
            hits = sa.select(fts.c.rowid).where(match)
            matched = sa.select(e.c.group_id).where(e.c.pk.in_(hits)) if groups else None
            return e.c.group_id.in_(matched) if groups else e.c.pk.in_(hits)
        cond = sa.literal_column("events.tsv").op("@@")(sa.func.plainto_tsquery("english", " ".join(words)))
        if groups:
            inner = events_t.alias("m")
            cond_inner = sa.literal_column("m.tsv").op("@@")(sa.func.plainto_tsquery("english", " ".join(words)))
            return e.c.group_id.in_(sa.select(inner.c.group_id).where(cond_inner))
        return cond

    def _frequent_text(self, q: str) -> bool:
        """Whether an FTS5 query matches at least FREQUENT_TEXT of the stored events (counting hits is cheap)."""
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.max(events_t.c.pk))).scalar() or 0
            if total < FREQUENT_TEXT_MIN_EVENTS:
                return False
            hits = conn.exec_driver_sql("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", (q,)).scalar()
        return hits >= FREQUENT_TEXT * total

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
                sa.select(e, d.c.title, d.c.source.label("doc_source"))
                .join(d, d.c.id == e.c.doc_id).where(e.c.group_id == grow["id"])
                .order_by(e.c.doc_published, e.c.id)
            ).mappings().all()
            ids = [m["id"] for m in members]
            actors = self._actors_for(conn, ids)
            places = self._places_for(conn, {m["place_id"] for m in members if m["place_id"]})
            rec = self._record({**row, **{k: grow[k] for k in ("reports", "mentions", "sources", "first_report",
                                                               "last_report")}}, actors, places, True)
            rec["provenance"] = [
                {**self._record(m, actors, places, False), "title": m["title"], "doc_source": m["doc_source"]}
                for m in members
            ]
        return rec

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


# ---- filter validation (shared with the command line) --------------------------------------------------------------

def check_choice(value: str, choices: Sequence[str], option: str) -> str:
    """Case-insensitive choice; raises StoreError naming the option."""
    up = {c.upper(): c for c in choices}
    got = up.get(str(value).strip().upper())
    if got is None:
        raise StoreError(f"{option}: expected one of {', '.join(choices)}, got {value!r}")
    return got


def _check_code(value: str, option: str) -> str:
    code = str(value).strip().upper()
    if not code.isalnum() or not 2 <= len(code) <= 8:
        raise StoreError(f"{option}: expected a code such as RUS or GOV, got {value!r}")
    return code


def parse_day(value: str | dt.date, option: str) -> tuple[str, str]:
    """The first and last day of YYYY, YYYY-MM or YYYY-MM-DD; raises StoreError naming the option."""
    if isinstance(value, dt.date):
        return _date_value(value), _date_value(value)
    text = str(value).strip()
    parts = text.split("-")
    interval = None
    if 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        interval = dedup.date_interval(text)
    if interval is None:
        raise StoreError(f"{option}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return interval


def _near_conditions(near: Any) -> list[Any]:
    try:
        lat, lon, radius = (float(x) for x in near)
    except (TypeError, ValueError):
        raise StoreError(f"near: expected (lat, lon, km), got {near!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius > 0):
        raise StoreError(f"near: latitude -90..90, longitude -180..180 and a positive radius, got {near!r}")
    e = events_t
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
