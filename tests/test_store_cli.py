"""`dateline events`, `dateline export`, `dateline db upgrade` through the real command line."""

from __future__ import annotations

import json

import pytest
from conftest import make_annotation, make_event

from dateline.store import Store


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    st = Store(url)
    st.add([make_annotation("d1", [make_event("e1", "d1"), make_event("e2", "d1", type="AID", place=None)]),
            make_annotation("d2", [make_event("e3", "d2")], source="Other")])
    st.close()
    return url


def run(argv):
    from dateline.cli import main

    return main(argv)


def test_events_jsonl_groups_and_mentions(db, capsys):
    assert run(["events", "--db", db, "--format", "jsonl", "--type", "consult"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1 and rows[0]["reports"] == 2 and rows[0]["source"][0]["country"] == "PRK"
    assert run(["events", "--db", db, "--format", "jsonl", "--mentions", "--sort=-id"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["e3", "e2", "e1"]
    assert run(["events", "--db", db, "--format", "jsonl", "--mentions", "--sort", "id", "--desc", "--limit", "1"]) == 0
    assert [json.loads(x)["id"] for x in capsys.readouterr().out.splitlines()] == ["e3"]


def test_events_table_and_csv(db, capsys, tmp_path):
    assert run(["events", "--db", db, "--actor", "putin"]) == 0
    out = capsys.readouterr().out  # stdout is a pipe here: tab-separated lines, one per row, never wrapped
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[0][:2] == ["date", "type"] and {row[1] for row in lines[1:]} >= {"CONSULT", "AID"}
    assert all(len(row) == len(lines[0]) for row in lines)
    path = tmp_path / "x.csv"
    assert run(["events", "--db", db, "--format", "csv", "-o", str(path), "--near", "51.9,128.3,20"]) == 0
    assert path.read_text().count("\n") == 2  # header + the meeting group


@pytest.mark.parametrize("argv,option", [
    (["--near", "1,2"], "--near"), (["--type", "PARTY"], "--type"), (["--since", "yesterday"], "--since"),
    (["--status", "x"], "--status"), (["--limit", "-3"], "--limit"), (["--sort", "name"], "--sort"),
    (["--country", "R;U"], "--country"), (["--min-confidence", "2"], "--min-confidence"),
    (["--date-source", "guess"], "--date-source"),
])
def test_bad_filter_values_exit_2_naming_the_option(db, capsys, argv, option):
    with pytest.raises(SystemExit) as exc:
        run(["events", "--db", db, *argv])
    assert exc.value.code == 2
    assert option in capsys.readouterr().err


def test_min_confidence_and_date_source_filters(db, capsys):
    assert run(["events", "--db", db, "--format", "jsonl", "--mentions", "--min-confidence", "0.5"]) == 0
    everything = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert everything and all(r["confidence"] >= 0.5 for r in everything)
    assert run(["events", "--db", db, "--format", "jsonl", "--mentions", "--min-confidence", "1"]) == 0
    assert [json.loads(x) for x in capsys.readouterr().out.splitlines()] == \
        [r for r in everything if r["confidence"] >= 1]
    assert run(["events", "--db", db, "--format", "jsonl", "--date-source", "publication"]) == 0


def test_export_and_upgrade(db, capsys, tmp_path):
    out = tmp_path / "net.graphml"
    assert run(["export", "graphml", "--db", db, "-o", str(out)]) == 0
    assert "<graphml" in out.read_text()
    assert run(["export", "gdelt", "--db", db, "--type", "AID"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1  # one event, no header (as GDELT's files)
    assert run(["db", "upgrade", "--db", db]) == 0
    assert "is current" in capsys.readouterr().err


def test_db_delete_removes_a_document_and_regroups(db, capsys):
    assert run(["db", "delete", "d2", "--db", db]) == 0
    assert "removed 1 of 1 documents, 1 events" in capsys.readouterr().err
    assert run(["events", "--db", db, "--format", "jsonl", "--type", "consult"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["reports"]) for r in rows] == [("e1", 1)]
    assert run(["db", "delete", "d2", "--db", db]) == 1  # nothing left to remove: says so, with a non-zero exit
    assert "removed 0 of 1 documents" in capsys.readouterr().err


def test_driver_warnings_stay_off_stderr(db, capsys):
    """A lost PostgreSQL connection is reported by dateline in one line; psycopg's own multi-line warning about it
    (logged through Python's last-resort handler) must not reach stderr."""
    import logging
    assert run(["events", "--db", db, "--limit", "1"]) == 0
    capsys.readouterr()
    logging.getLogger("psycopg").warning("error ignored terminating %r: %s", "pipeline", "server closed\n\tdetail")
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv", [["events"], ["export", "csv"], ["db", "upgrade"], ["db", "delete", "x"], ["serve"]])
def test_read_commands_refuse_a_missing_store_and_create_nothing(tmp_path, capsys, argv):
    missing = tmp_path / "mistyped.db"
    assert run([*argv, "--db", f"sqlite:///{missing}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such database" in err[0] and str(missing) in err[0]
    assert list(tmp_path.iterdir()) == []  # not even an empty file or a -wal beside it


def test_read_commands_refuse_a_file_that_is_not_a_store_and_leave_it_alone(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    assert run(["events", "--db", f"sqlite:///{text}"]) == 2
    assert "not a dateline store" in capsys.readouterr().err
    assert text.read_text() == "not a database\n" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    other = tmp_path / "other.db"
    import sqlite3

    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert run(["events", "--db", f"sqlite:///{other}"]) == 2
    assert "no dateline schema" in capsys.readouterr().err


def test_open_refuses_a_missing_store_unless_asked_to_create(tmp_path):
    import dateline
    from dateline.store import StoreError

    with pytest.raises(StoreError, match="no such database"):
        dateline.open(f"sqlite:///{tmp_path / 'x.db'}")
    assert not (tmp_path / "x.db").exists()
    with dateline.open(f"sqlite:///{tmp_path / 'x.db'}", create=True) as db:
        assert db.summary()["events"] == 0


def test_a_cut_page_says_how_many_match_and_limit_0_gives_all(db, capsys):
    assert run(["events", "--db", db, "--format", "jsonl", "--mentions", "--limit", "2"]) == 0
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 2 and "showing 2 of 3" in out.err
    assert run(["events", "--db", db, "--format", "jsonl", "--mentions", "--limit", "0"]) == 0
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 3 and "showing" not in out.err
    with Store(db, create=False) as st:
        frame = st.events(groups=False, limit=1, offset=1)
        assert len(frame) == 1 and frame.attrs["total"] == 3 == st.count(groups=False)
        assert st.events(groups=False).attrs["total"] == 3


def test_country_names_demonyms_and_sector_readings_filter_like_codes(db, capsys):
    by_code = run(["events", "--db", db, "--format", "jsonl", "--country", "PRK"]), capsys.readouterr().out
    for name in ("North Korea", "North Korean", "prk"):
        assert (run(["events", "--db", db, "--format", "jsonl", "--country", name]), capsys.readouterr().out) == by_code
    assert by_code[1].strip()
    for argv, said in ((["--country", "Narnialand"], "no country named 'Narnialand'"),
                       (["--sector", "GOVV"], "did you mean GOV?"),
                       (["--type", "CONSLUT"], "did you mean CONSULT?")):
        with pytest.raises(SystemExit) as exc:
            run(["events", "--db", db, *argv])
        assert exc.value.code == 2 and said in capsys.readouterr().err
    from dateline.query import parse_sector

    assert parse_sector("police", "sector") == "COP" and parse_sector("mil", "sector") == "MIL"


def test_a_missing_input_is_refused_before_any_model_loads(tmp_path, capsys, monkeypatch):
    import dateline.cli as cli

    def no_models(*a, **k):
        raise AssertionError("a model was loaded for a missing input")

    monkeypatch.setattr(cli, "make_pipeline", no_models)
    db = tmp_path / "new.db"
    assert run(["ingest", str(tmp_path / "missing.jsonl"), "--db", f"sqlite:///{db}"]) == 2
    assert "missing.jsonl: no such file or directory" in capsys.readouterr().err and not db.exists()
    assert run(["extract", str(tmp_path)]) == 2
    assert "holds no input files" in capsys.readouterr().err
