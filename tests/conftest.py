"""Shared fixtures and paths.

``store_url``: a fresh SQLite file, and a fresh PostgreSQL database when DATELINE_TEST_PG_URL is set. ``REFERENCE``: the
reference article, from the package data (always present). ``SHARED`` / ``shared``: the development-time ``../shared``
folder (gold sets, dictionaries), absent on a clean clone: tests that need it skip with a reason.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_SKIP = "../shared (gold sets and source data, development only) is absent"
REFERENCE = Path(__file__).resolve().parents[1] / "src" / "dateline" / "data" / "sample" / "kim-putin-vostochny.txt"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ``../shared`` folder; skips the test when it is absent."""
    if not SHARED.exists():
        pytest.skip(SHARED_SKIP)
    return SHARED

PG_URL = os.environ.get("DATELINE_TEST_PG_URL", "").strip()
PG_SKIP = "DATELINE_TEST_PG_URL is not set (start a server with scripts/pg_test_server.sh)"


def _pg_database(base: str):
    """Create a throwaway database on the test server; yields its URL and drops it afterwards."""
    import sqlalchemy as sa

    from dateline.store import normalise_url

    base = normalise_url(base)
    name = "dl_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # name is generated here, not user input
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database URL (skips without a test server)."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    yield from _pg_database(PG_URL)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh store URL for each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        if not PG_URL:
            pytest.skip(PG_SKIP)
        yield from _pg_database(PG_URL)


def make_event(eid: str, doc_id: str, *, type: str = "CONSULT", src=("Kim Jong Un", "PRK", "GOV"),  # noqa: A002
               tgt=("Vladimir Putin", "RUS", "GOV"), date: str | None = "2023-09-13", precision: str | None = "day",
               place=("Vostochny Cosmodrome", 51.88, 128.33, "RUS"), sentence: str = "Kim Jong Un met Vladimir Putin.",
               status: str = "asserted", confidence: float = 0.9, goldstein: float = 2.5, cameo: str = "040"):
    """A hand-built event record; ``src``/``tgt`` are (name, country, sector) triples or None, ``place`` may be None."""
    from dateline.model import Event

    def actor(t):
        if t is None:
            return []
        name, country, sector = t
        return [{"text": name, "start": 0, "end": len(name), "name": name, "country": country, "sector": sector,
                 "id": "a-" + name.lower().replace(" ", "-")}]

    loc = None
    if place is not None:
        loc = {"text": place[0], "name": place[0], "lat": place[1], "lon": place[2], "country": place[3],
               "admin1": None, "geonameid": None}
    return Event(id=eid, doc_id=doc_id, sentence=sentence, sentence_index=0, type=type,
                 trigger={"text": "met", "start": 16, "end": 19}, source=actor(src), target=actor(tgt),
                 mode="third-party", context=["diplomatic"], cameo=cameo, goldstein=goldstein,
                 quad_class=1, date=date, date_precision=precision, date_text="on Wednesday", location=loc,
                 status=status, confidence=confidence)


def make_annotation(doc_id: str, events, *, published: str = "2023-09-13", source: str | None = "Wire"):
    """An Annotation of one document holding ``events``."""
    import datetime as dt

    from dateline.model import Annotation, Document

    doc = Document(id=doc_id, text=" ".join(e.sentence for e in events) or "text", source=source,
                   published=dt.date.fromisoformat(published), url=f"https://example.org/{doc_id}")
    for e in events:
        e.doc_id = doc_id
    return Annotation(doc=doc, events=list(events))


def written(factory, name: str, text: str) -> Path:
    """A file holding ``text`` in a fresh folder of ``tmp_path_factory`` (a module's shared input file)."""
    path = factory.mktemp("in") / name
    path.write_text(text, encoding="utf-8")
    return path
