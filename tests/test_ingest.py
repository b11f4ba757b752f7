"""Ingest: idempotent re-runs, and the same events from 1 process, N processes and the Dask engine."""

from __future__ import annotations

import json

import pytest

from dateline.cli import main
from dateline.store import Store

STORIES = [
    {"id": "s1", "published": "2024-03-04", "text": "Israel attacked Hamas positions in Gaza on Sunday. "
     "Egypt condemned the strikes."},
    {"id": "s2", "published": "2024-03-05", "text": "Joe Biden and Xi Jinping met in Beijing on Monday. "
     "China warned Taiwan against independence moves."},
    {"id": "s3", "published": "2024-03-06", "text": "Protesters rallied in Paris against the French government. "
     "Police arrested dozens of demonstrators."},
    {"id": "s4", "published": "2024-03-07", "text": "Russia imposed sanctions on Britain on Wednesday."},
]


@pytest.fixture()
def corpus(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps(s) for s in STORIES) + "\n", encoding="utf-8")
    return p


def _events(db: str) -> list[tuple]:
    store = Store(db)
    try:
        df = store.events(groups=False, limit=10_000)
    finally:
        store.close()
    return sorted(zip(df["id"], df["type"], df["date"], strict=True))


def _ingest(corpus, db, *extra) -> int:
    return main(["ingest", str(corpus), "--db", db, "--profile", "rules", "--batch-size", "2", *extra])


def test_reingest_adds_nothing(corpus, tmp_path, capsys):
    db = f"sqlite:///{tmp_path}/a.db"
    assert _ingest(corpus, db) == 0
    first = _events(db)
    assert first, "the corpus yields events"
    assert _ingest(corpus, db) == 0
    assert "stored 0 new documents, 0 events" in capsys.readouterr().err
    assert _events(db) == first


def test_reingesting_a_corrected_story_replaces_it(corpus, tmp_path, capsys):
    """A story stored before, read again under its id with a new text, is a new version: its old events go."""
    db = f"sqlite:///{tmp_path}/a.db"
    assert _ingest(corpus, db) == 0
    before = {e for e in _events(db) if e[1] == "CONSULT"}
    assert before, "the corpus yields the Biden-Xi meeting"
    fixed = [dict(s, text="China warned Taiwan against independence moves.") if s["id"] == "s2" else s for s in STORIES]
    corpus.write_text("\n".join(json.dumps(s) for s in fixed) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert _ingest(corpus, db) == 0
    assert "stored 1 new documents" in capsys.readouterr().err
    after = _events(db)
    assert not {e for e in after if e[1] == "CONSULT"} and Store(db).summary()["documents"] == len(STORIES)


def test_nothing_read_exits_2(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n", encoding="utf-8")
    assert _ingest(bad, f"sqlite:///{tmp_path}/b.db") == 2


def test_workers_and_dask_give_the_same_events(corpus, tmp_path):
    local = f"sqlite:///{tmp_path}/local.db"
    two = f"sqlite:///{tmp_path}/two.db"
    dask = f"sqlite:///{tmp_path}/dask.db"
    assert _ingest(corpus, local) == 0
    assert _ingest(corpus, two, "--workers", "2") == 0
    assert _ingest(corpus, dask, "--engine", "dask", "--workers", "1") == 0
    expected = _events(local)
    assert expected
    assert _events(two) == expected
    assert _events(dask) == expected


def test_one_failing_document_is_named_and_skipped(corpus, monkeypatch, capsys):
    from dateline import where

    real = where.find_places

    def fragile(doc, document=None):
        if "Russia" in doc.text:
            raise RuntimeError("boom")
        return real(doc, document)

    monkeypatch.setattr(where, "find_places", fragile)
    assert main(["extract", str(corpus), "--profile", "rules"]) == 0
    out, err = capsys.readouterr()
    docs = {json.loads(line)["doc_id"] for line in out.splitlines()}
    assert "s4" not in docs and {"s1", "s2"} <= docs
    assert "c.jsonl:4: skipped" in err and "boom" in err
