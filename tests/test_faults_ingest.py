"""Faults during ``dateline ingest``: kill -9 at random points, a full disk, a database locked by another writer and a
PostgreSQL restart.  Each ends with a consistent store (committed batches whole, nothing half-written) and, after a
rerun, every document exactly once with the same events as an uninterrupted run.  The killed ingests run as
subprocesses (``python -m dateline.cli ingest``); clean runs and reruns run in this process to save model loading.

``DATELINE_FAULT_TRIALS`` sets the number of kill -9 trials (default 3; bench/soak_faults.py runs many more).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PG_SKIP, PG_URL

from dateline.cli import main
from dateline.store import Store, normalise_url

ROOT = Path(__file__).resolve().parents[1]
TRIALS = int(os.environ.get("DATELINE_FAULT_TRIALS", "3"))
SENTENCES = ["Russia imposed sanctions on Britain on {day}.", "Joe Biden and Xi Jinping met in Beijing on {day}.",
             "Israel attacked Hamas positions in Gaza on {day}.", "Police arrested dozens of protesters in Paris.",
             "Egypt condemned the strikes on {day}.", "China warned Taiwan against independence moves.",
             "Germany agreed to send aid to Ukraine on {day}.", "Iran accused Israel of sabotage."]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def write_corpus(path: Path, n: int = 40, seed: int = 7) -> list[str]:
    """``n`` short stories (JSON Lines) with events; returns their ids."""
    rng = random.Random(seed)
    ids = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(rng.sample(SENTENCES, 3)).format(day=rng.choice(DAYS))
            rec = {"id": f"doc{i:05d}", "published": f"2024-03-{1 + i % 28:02d}", "source": f"wire{i % 3}",
                   "text": text}
            fh.write(json.dumps(rec) + "\n")
            ids.append(rec["id"])
    return ids


def ingest_argv(corpus: Path, url: str, batch: int = 2) -> list[str]:
    return ["ingest", str(corpus), "--db", url, "--profile", "rules", "--batch-size", str(batch)]


def spawn_ingest(corpus: Path, url: str, batch: int = 2) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, "-m", "dateline.cli", *ingest_argv(corpus, url, batch)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(ROOT))


_POLL: dict[str, sa.Engine] = {}


def doc_count(url: str) -> int:
    """Documents committed so far (0 before the schema exists); never blocks the writer."""
    if url not in _POLL:
        args = {"connect_args": {"timeout": 5}} if url.startswith("sqlite") else {"pool_pre_ping": True}
        _POLL[url] = sa.create_engine(normalise_url(url), **args)
    try:
        with _POLL[url].connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM documents")).scalar() or 0
    except sa.exc.SQLAlchemyError:
        return 0


def snapshot(url: str) -> dict:
    """Documents (each id once), events (id, doc, type, date, status) and group count of a store."""
    engine = sa.create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            if not {"documents", "events", "event_actors", "event_groups"} <= tables:
                # stopped while creating the schema (SQLite runs DDL outside the transaction): nothing stored yet
                assert "documents" not in tables or not conn.execute(sa.text("SELECT count(*) FROM documents")).scalar()
                return {"documents": [], "events": [], "groups": 0}
            docs = [r[0] for r in conn.execute(sa.text("SELECT id FROM documents ORDER BY id"))]
            events = [tuple(r) for r in conn.execute(sa.text(
                "SELECT id, doc_id, type, date, status FROM events ORDER BY id"))]
            orphans = conn.execute(sa.text(
                "SELECT count(*) FROM events e LEFT JOIN documents d ON d.id = e.doc_id WHERE d.id IS NULL")).scalar()
            actors = conn.execute(sa.text(
                "SELECT count(*) FROM event_actors a LEFT JOIN events e ON e.id = a.event_id WHERE e.id IS NULL"
            )).scalar()
            ungrouped = conn.execute(sa.text("SELECT count(*) FROM events WHERE group_id IS NULL")).scalar()
            groups = conn.execute(sa.text("SELECT count(*) FROM event_groups")).scalar()
            integrity = conn.execute(sa.text("PRAGMA integrity_check")).scalar() if url.startswith("sqlite") else "ok"
    finally:
        engine.dispose()
    assert orphans == 0 and actors == 0 and ungrouped == 0 and integrity == "ok"
    return {"documents": docs, "events": events, "groups": groups}


def assert_complete(url: str, clean: dict, ids: list[str]) -> None:
    got = snapshot(url)
    assert got["documents"] == sorted(ids), "every document exactly once"
    assert got["events"] == clean["events"]
    assert got["groups"] == clean["groups"]


def assert_prefix_consistent(url: str, clean: dict) -> None:
    """After a fault: whatever is stored is whole: each stored document has exactly the events a clean run gives it."""
    got = snapshot(url)
    stored = set(got["documents"])
    assert got["events"] == [e for e in clean["events"] if e[1] in stored]


def assert_clean_stderr(err: str) -> None:
    assert "Traceback" not in err, err
    for line in err.splitlines():
        assert line.startswith(("dateline ", "read ")) or ": " in line, line


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The corpus and an uninterrupted run of it (in this process)."""
    base = tmp_path_factory.mktemp("faults")
    corpus = base / "corpus.jsonl"
    ids = write_corpus(corpus, n=100)
    url = f"sqlite:///{base / 'clean.db'}"
    assert main(ingest_argv(corpus, url)) == 0
    clean = snapshot(url)
    assert clean["documents"] == sorted(ids) and clean["events"], "the corpus gives events"
    return corpus, ids, clean


def _kill_at_random_points(url: str, corpus: Path, ids: list[str], clean: dict, seed: int,
                           fresh=None) -> tuple[str, list[int]]:
    """Kill ingests of ``corpus`` into ``url`` at random points; when a store is complete and ``fresh`` is given,
    check it and go on with ``fresh()``. Returns the last store's URL and the document counts at each kill."""
    rng = random.Random(seed)
    killed_at = []
    for trial in range(TRIALS):
        if fresh is not None and doc_count(url) == len(ids):
            assert_complete(url, clean, ids)
            url = fresh()
        # the first trial dies during start-up or schema creation, the others after a random number of documents
        # (counted from what is already stored: a rerun skips stored documents)
        done = doc_count(url)
        if trial == 0:
            target = 0
        elif done >= len(ids) - 1:
            target = len(ids)  # let this one finish; the next trial starts on a fresh store
        else:
            target = done + rng.randrange(1, len(ids) - done)
        proc = spawn_ingest(corpus, url, batch=1)
        deadline = time.monotonic() + 300
        while proc.poll() is None and doc_count(url) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.02))
        proc.kill()  # SIGKILL
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        killed_at.append(doc_count(url))
        assert_prefix_consistent(url, clean)
    print(f"kill -9 trials: documents committed when killed: {killed_at}", file=sys.__stdout__, flush=True)
    return url, killed_at


def test_kill_9_at_random_points_then_rerun_sqlite(reference, tmp_path, capsys):
    corpus, ids, clean = reference
    stores = iter(range(1, 10_000))
    url = f"sqlite:///{tmp_path / 'killed0.db'}"
    url, _ = _kill_at_random_points(url, corpus, ids, clean, seed=int(os.environ.get("DATELINE_FAULT_SEED", "1")),
                                    fresh=lambda: f"sqlite:///{tmp_path / f'killed{next(stores)}.db'}")
    assert main(ingest_argv(corpus, url)) == 0
    assert_complete(url, clean, ids)
    assert main(ingest_argv(corpus, url)) == 0  # and once more: nothing new
    assert "stored 0 new documents, 0 events" in capsys.readouterr().err
    assert_complete(url, clean, ids)


def test_kill_9_at_random_points_then_rerun_postgresql(reference, pg_url, capsys):
    corpus, ids, clean = reference
    _kill_at_random_points(pg_url, corpus, ids, clean, seed=2)
    assert main(ingest_argv(corpus, pg_url)) == 0
    assert_complete(pg_url, clean, ids)


# ---- disk full -----------------------------------------------------------------------------------------------------

@contextlib.contextmanager
def small_filesystem(base: Path, size: str = "16m"):
    """A size-limited tmpfs (root) at ``base``; skips with the reason when it cannot be mounted."""
    base.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("disk-full test needs root to mount a size-limited tmpfs")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(base)], capture_output=True,
                         text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs: {res.stderr.strip()}")
    try:
        yield base
    finally:
        subprocess.run(["umount", "-l", str(base)], check=False)


def _fill(base: Path, leave: int) -> Path:
    """Fill the file system until ``leave`` bytes are free."""
    filler = base / "filler"
    st = os.statvfs(base)
    free = st.f_bavail * st.f_frsize
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.parametrize("leave", [0, 300_000, 1_500_000])
def test_disk_full_mid_ingest_then_rerun(reference, tmp_path, capsys, leave):
    corpus, ids, clean = reference
    with small_filesystem(tmp_path / "small") as small:
        url = f"sqlite:///{small / 'full.db'}"
        filler = _fill(small, leave)
        code = main(ingest_argv(corpus, url))
        err = capsys.readouterr().err
        assert code in (0, 1), err
        assert_clean_stderr(err)
        if code == 1:
            assert "full" in err.lower() or "space" in err.lower(), err
        filler.unlink()
        stored = doc_count(url) if (small / "full.db").exists() else 0
        print(f"disk full (free {leave} bytes): exit {code}, {stored} documents committed before the failure",
              file=sys.__stdout__, flush=True)
        if (small / "full.db").exists():
            assert_prefix_consistent(url, clean)
        assert main(ingest_argv(corpus, url)) == 0
        assert_complete(url, clean, ids)


# ---- a database locked by another writer -----------------------------------------------------------------------

def _hold_write_lock(path: Path, seconds: float, started: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta(key, value) VALUES ('lock-test', 'x')")
    started.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def test_locked_database_waits_for_the_other_writer(reference, tmp_path):
    corpus, ids, clean = reference
    path = tmp_path / "locked.db"
    Store(f"sqlite:///{path}").close()
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 3.0, started))
    holder.start()
    started.wait(30)
    try:
        assert main(ingest_argv(corpus, f"sqlite:///{path}")) == 0
    finally:
        holder.join()
    assert_complete(f"sqlite:///{path}", clean, ids)


def test_locked_database_past_the_timeout_is_a_clear_error(reference, tmp_path, capsys, monkeypatch):
    """The writer gives up after the busy timeout (shortened here) with one line, exit 1; a rerun completes."""
    from dateline.store import schema as store_mod

    corpus, ids, clean = reference
    path = tmp_path / "locked.db"
    url = f"sqlite:///{path}"
    Store(url).close()
    real = store_mod.make_engine

    def short_timeout(u: str):
        engine = real(u)
        sa.event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=300"))
        return engine

    monkeypatch.setattr(store_mod, "make_engine", short_timeout)
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 4.0, started))
    holder.start()
    started.wait(30)
    try:
        code = main(ingest_argv(corpus, url))
    finally:
        holder.join()
    err = capsys.readouterr().err
    assert code == 1, err
    assert_clean_stderr(err)
    assert "locked" in err
    assert len([line for line in err.splitlines() if line.startswith("dateline ingest")]) == 1
    assert_prefix_consistent(url, clean)
    monkeypatch.setattr(store_mod, "make_engine", real)
    assert main(ingest_argv(corpus, url)) == 0
    assert_complete(url, clean, ids)


# ---- PostgreSQL restarted mid-ingest -----------------------------------------------------------------------------

def _restart_postgres(url: str) -> None:
    engine = sa.create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            data = conn.execute(sa.text("SHOW data_directory")).scalar()
            bindir = conn.execute(sa.text("SELECT setting FROM pg_config WHERE name = 'BINDIR'")).scalar()
    finally:
        engine.dispose()
    log = str(Path(data).parent / "server.log")  # without -l the server would keep our stdout pipe open
    cmd = [f"{bindir}/pg_ctl", "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60", "restart"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120)
    assert res.returncode == 0, res.stderr


@pytest.fixture
def restart_pg_url():
    """A fresh database on the test server whose teardown survives a server restart (fresh connections)."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    import uuid

    base = normalise_url(PG_URL)
    name = "dl_restart_" + uuid.uuid4().hex[:10]

    def admin(sql: str) -> None:
        engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(sql))
        finally:
            engine.dispose()

    admin(f'CREATE DATABASE "{name}"')  # generated name, not user input
    yield base.rsplit("/", 1)[0] + "/" + name
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_restart_mid_ingest_then_rerun(reference, restart_pg_url):
    pg_url = restart_pg_url
    corpus, ids, clean = reference
    proc = spawn_ingest(corpus, pg_url, batch=1)
    deadline = time.monotonic() + 300
    while proc.poll() is None and doc_count(pg_url) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    _restart_postgres(pg_url)
    out, err = proc.communicate(timeout=600)
    err = err.decode()
    print(f"PostgreSQL restart: ingest exit {proc.returncode}, {doc_count(pg_url)} documents stored; {err.strip()}")
    assert proc.returncode in (0, 1), err
    assert_clean_stderr(err)
    assert_prefix_consistent(pg_url, clean)
    assert main(ingest_argv(corpus, pg_url)) == 0
    assert_complete(pg_url, clean, ids)
