"""Two ``dateline ingest`` processes writing the same files into one new store (issue 22, item 1).

Before the fix the second writer failed with ``UNIQUE constraint failed: documents.id`` (its "already stored?" check ran
before SQLite's write transaction began) or ``table meta already exists`` / ``duplicate key … pg_type_typname_nsp_index``
(two processes creating the schema).  Now both exit 0 and the store equals a single run.

``DATELINE_RACE_TRIALS`` sets the number of trials per backend (default 3; the closing note of issue 22 reports 20).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_faults_ingest import ROOT, ingest_argv, snapshot, write_corpus

from dateline.cli import main
from dateline.store import Store

TRIALS = int(os.environ.get("DATELINE_RACE_TRIALS", "3"))


@pytest.fixture(scope="module")
def race_reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("race")
    corpus = base / "corpus.jsonl"
    ids = write_corpus(corpus, n=12, seed=11)
    url = f"sqlite:///{base / 'single.db'}"
    assert main(ingest_argv(corpus, url, batch=1)) == 0
    return corpus, ids, snapshot(url)


def _two_ingests(corpus: Path, url: str) -> list[tuple[int, str]]:
    """Start two ingests of ``corpus`` into ``url`` at once; (exit code, stderr) of each."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    argv = [sys.executable, "-m", "dateline.cli", *ingest_argv(corpus, url, batch=1)]
    procs = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                              cwd=str(ROOT)) for _ in range(2)]
    return [(p.wait(timeout=300), p.stderr.read()) for p in procs]


def _check(results: list[tuple[int, str]], url: str, ids: list[str], single: dict) -> None:
    for rc, err in results:
        assert rc == 0, err
        assert "Traceback" not in err, err
    got = snapshot(url)
    assert got["documents"] == sorted(ids), "every document exactly once"
    assert got["events"] == single["events"]
    assert got["groups"] == single["groups"]


def test_two_ingests_into_a_new_sqlite_store(race_reference, tmp_path):
    corpus, ids, single = race_reference
    for trial in range(TRIALS):
        url = f"sqlite:///{tmp_path / f'race{trial}.db'}"
        _check(_two_ingests(corpus, url), url, ids, single)


def test_two_ingests_into_a_new_postgresql_store(race_reference, pg_url):
    corpus, ids, single = race_reference
    # one fresh database per test (the fixture); later trials start by dropping what the previous one stored
    import sqlalchemy as sa

    from dateline.store import normalise_url
    for _trial in range(TRIALS):
        engine = sa.create_engine(normalise_url(pg_url))
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        _check(_two_ingests(corpus, pg_url), pg_url, ids, single)


def test_stores_opened_at_once_on_a_new_file_create_the_schema_once(tmp_path):
    """Several threads (as `serve --workers` processes do) open a store on a new file at the same moment."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def open_store() -> None:
        try:
            barrier.wait()
            Store(url).close()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Store(url) as db:
        assert db.summary()["events"] == 0
