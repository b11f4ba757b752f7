"""The store's tables, indexes and migrations, and the engine with its dialect settings (SQLite or PostgreSQL).

Tables: ``documents`` (with the incident each reports), ``document_names`` (the names incidents are linked by),
``places``, ``events`` (one row per event record, with a copy of its location's coordinates for
filtering), ``event_actors`` (source/target actor lists), ``actor_words``, ``event_groups`` (one row per happening, see
:mod:`dateline.dedup`) and ``meta`` (schema version).  Full-text search on sentences uses an FTS5 table on SQLite and a
generated ``tsvector`` column on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from dateline import dedup

SCHEMA_VERSION = 6  # 1: tables; 2: full-text index on sentences; 3: sort and actor indexes re-keyed;
# 4: the argument phrase of each event side; 5: where each event's date comes from; 6: incidents of documents

metadata = sa.MetaData()
meta_t = sa.Table("meta", metadata, sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text))
documents_t = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("published", sa.String(10)),
    sa.Column("title", sa.Text), sa.Column("url", sa.Text), sa.Column("source", sa.String(255)),
    sa.Column("origin", sa.Text), sa.Column("text", sa.Text), sa.Column("extra", sa.Text),
    sa.Column("ingested_at", sa.String(32)),
    sa.Column("incident_id", sa.String(255), index=True),  # the incident it reports (dateline.incidents; schema 6)
)
names_t = sa.Table(  # the names each document's incident is told by (dateline.incidents.article_names; schema 6):
    # a name's 64-bit hash (incidents.name_key) and the publication day's ordinal (0: undated) keep the rows small;
    # one B-tree keyed by (name_key, day, doc_id), SQLite WITHOUT ROWID, so ingest writes each row once and linking
    # reads a name's documents of a period from the key alone
    "document_names", metadata,
    sa.Column("name_key", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("day", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("doc_id", sa.String(255), primary_key=True),
    sqlite_with_rowid=False,
)
places_t = sa.Table(
    "places", metadata,
    sa.Column("id", sa.String(20), primary_key=True),
    sa.Column("text", sa.Text), sa.Column("name", sa.Text), sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(8)), sa.Column("admin1", sa.Text), sa.Column("geonameid", sa.BigInteger),
)
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
    sa.Column("date_source", sa.String(16)),
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


def missing_file(url: str) -> str | None:
    """The path of a SQLite file URL whose file does not exist (opening it would create it), else None."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if Path(parsed.database).is_file() else parsed.database


def _sqlite_km(lat1, lon1, lat2, lon2):  # registered as dl_km on SQLite connections
    if None in (lat1, lon1, lat2, lon2):
        return None
    return dedup.km(lat1, lon1, lat2, lon2)


BUSY_TIMEOUT_S = 60  # how long a SQLite writer waits for another writer's transaction to end
WRITER_LOCK = 7291  # the PostgreSQL advisory lock that serialises dateline's writers (schema, documents, groups)


def _use_wal(cur: sqlite3.Cursor) -> None:
    """Switch a file database to WAL (a setting the file keeps).  The switch does not wait on the busy timeout: on a
    new file that other processes open at the same moment it fails with "database is locked", so it is retried."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def make_engine(url: str) -> Engine:
    """An engine with dialect settings: SQLite gets WAL, a busy timeout, foreign keys and a ``dl_km`` function, and
    the driver's own transaction handling is switched off so that :func:`writing` can begin ``IMMEDIATE``."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN, not the driver
            dbapi_conn.create_function("dl_km", 4, _sqlite_km, deterministic=True)
            cur = dbapi_conn.cursor()
            if url not in ("sqlite://", "sqlite:///:memory:"):
                _use_wal(cur)
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache (default 2): index inserts stay in memory longer
            cur.execute("PRAGMA temp_store=MEMORY")  # sorts of a page's ties: type+month p95 at 1M 209 -> 177 ms
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # a write transaction takes the write lock at BEGIN (waiting up to the busy timeout), so what it reads
            # before its first INSERT ("already stored?") is what it writes against; reads stay deferred
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("dl_write") else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction that no other dateline writer interleaves with: SQLite ``BEGIN IMMEDIATE``, PostgreSQL
    the advisory lock :data:`WRITER_LOCK` (held to commit).  A second writer waits for the first, then continues."""
    with engine.execution_options(dl_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK})
        yield conn


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


def _migrate_4_to_5(conn: Connection) -> None:
    """Version 5 stores where each event's date comes from (``date_source``; NULL for events stored before)."""
    if "date_source" not in {c["name"] for c in sa.inspect(conn).get_columns("events")}:
        conn.execute(sa.text("ALTER TABLE events ADD COLUMN date_source VARCHAR(16)"))


def _migrate_5_to_6(conn: Connection) -> None:
    """Version 6 links documents that report one incident (``documents.incident_id``, ``document_names``). Documents
    stored before keep their own incident: their names were not stored, so only documents ingested from now on link."""
    if "incident_id" not in {c["name"] for c in sa.inspect(conn).get_columns("documents")}:
        conn.execute(sa.text("ALTER TABLE documents ADD COLUMN incident_id VARCHAR(255)"))
    for index in documents_t.indexes:
        index.create(conn, checkfirst=True)
    names_t.create(conn, checkfirst=True)
    conn.execute(documents_t.update().where(documents_t.c.incident_id.is_(None)).values(incident_id=documents_t.c.id))


MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4, 4: _migrate_4_to_5, 5: _migrate_5_to_6}


def create_schema_v1(conn: Connection) -> None:
    """The version-1 schema (tables and indexes, no full-text index); migrations take it to the current one."""
    metadata.create_all(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(_PG_KM))
    conn.execute(meta_t.insert().values(key="schema_version", value="1"))


def prepare(engine: Engine) -> int:
    """The schema version of the database; an empty database gets the current schema first, created once even when
    several processes open it at the same moment (the check is repeated inside the write lock)."""
    with engine.connect() as conn:
        version = get_version(conn)
    if version is not None:
        return version
    with writing(engine) as conn:
        version = get_version(conn)
        if version is None:
            create_schema_v1(conn)
            version = upgrade(conn)
    return version


def upgrade(conn: Connection) -> int:
    """Migrate an older schema to the current version; returns the new version."""
    version = get_version(conn) or SCHEMA_VERSION
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](conn)
        version += 1
    _set_version(conn, version)
    return version


def last_pk(conn: Connection) -> int:
    """The largest event row id (0 when empty): it grows with every stored event."""
    return conn.execute(sa.select(sa.func.max(events_t.c.pk))).scalar() or 0


def deletions(conn: Connection) -> int:
    """How many times documents were removed from the store (0 when never)."""
    value = conn.execute(sa.select(meta_t.c.value).where(meta_t.c.key == "deletions")).scalar()
    return int(value) if value else 0


def count_deletion(conn: Connection) -> None:
    """Record one removal (in the removing transaction), so the store's data version changes with it."""
    n = deletions(conn)
    if n:
        conn.execute(meta_t.update().where(meta_t.c.key == "deletions").values(value=str(n + 1)))
    else:
        conn.execute(meta_t.insert().values(key="deletions", value="1"))


def data_version(conn: Connection) -> int:
    """A number that changes whenever events are stored (the largest event row id grows) or removed (the removal
    count, in the high bits)."""
    return (deletions(conn) << 40) + last_pk(conn)


def get_version(conn: Connection) -> int | None:
    """The stored schema version, None before the schema exists."""
    if not sa.inspect(conn).has_table("meta"):
        return None
    value = conn.execute(sa.select(meta_t.c.value).where(meta_t.c.key == "schema_version")).scalar()
    return int(value) if value is not None else None


def _set_version(conn: Connection, version: int) -> None:
    conn.execute(meta_t.update().where(meta_t.c.key == "schema_version").values(value=str(version)))


def name_words(name: str | None) -> list[str]:
    """Lower-cased words of an actor name: the ``actor_words`` rows, so ``--actor Putin`` finds "Vladimir Putin"."""
    if not name:
        return []
    return [w for w in "".join(c if c.isalnum() else " " for c in name.casefold()).split() if len(w) <= 255]
