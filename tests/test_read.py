"""Readers: every input form, bad records reported with file and line, the rest processed."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys

import pytest

from dateline.read import ReadStats, doc_id_for, read

REF = " date 2023-09-13 Kim Jong Un and Vladimir Putin met at a Russian spaceport on Wednesday.\n\nMore text."


def _read(paths, **kw):
    errors: list[str] = []
    stats = ReadStats()
    docs = list(read([str(p) for p in paths], on_error=errors.append, stats=stats, **kw))
    return docs, errors, stats


def test_reference_form(tmp_path):
    p = tmp_path / "ref.txt"
    p.write_text(REF, encoding="utf-8")
    docs, errors, _ = _read([p])
    assert errors == []
    assert len(docs) == 1
    d = docs[0]
    assert d.published == dt.date(2023, 9, 13)
    assert d.text.startswith("Kim Jong Un and Vladimir Putin met")
    assert d.text[d.text.index("met"):].startswith("met at")


def test_plain_text_needs_date(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Protesters marched in Paris on Monday.", encoding="utf-8")
    docs, errors, _ = _read([p], default_date=dt.date(2024, 1, 3))
    assert docs[0].published == dt.date(2024, 1, 3) and errors == []
    docs, errors, _ = _read([p])
    assert docs[0].published is None
    assert len(errors) == 1 and "story.txt:1" in errors[0] and "--date" in errors[0]


def test_jsonl_with_bad_lines(tmp_path):
    p = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": "a", "published": "2023-09-13T10:00:00Z", "title": "T", "text": "Russia attacked Kyiv."}),
        "{not json",
        json.dumps({"id": "b", "date": "2023-02-30", "text": "x"}),
        json.dumps({"id": "c", "text": 5}),
        json.dumps([1, 2]),
        "",
        json.dumps({"id": "d", "date": "2023-09-12", "text": "Iran protested.", "url": "http://x", "source": "AP"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, errors, stats = _read([p])
    assert [d.id for d in docs] == ["a", "d"]
    assert docs[0].published == dt.date(2023, 9, 13) and docs[1].source == "AP"
    assert stats.documents == 2 and stats.errors == 4
    assert [e.split(":")[1] for e in errors] == ["2", "3", "4", "5"]
    assert all(e.startswith(str(p)) for e in errors)
    assert "2023-02-30" in errors[1] and "'text'" in errors[2]


def test_csv_with_quotes_and_newlines(tmp_path):
    p = tmp_path / "docs.csv"
    p.write_text('id,date,text\n1,2020-01-02,"He said ""no"",\nthen left."\n2,bad-date,Text two\n3,2020-01-03,Three\n',
                 encoding="utf-8")
    docs, errors, _ = _read([p])
    assert [d.id for d in docs] == ["1", "3"]
    assert docs[0].text == 'He said "no",\nthen left.'
    assert len(errors) == 1 and ":4:" in errors[0]


def test_csv_without_text_column(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("id,body\n1,hello\n", encoding="utf-8")
    docs, errors, _ = _read([p])
    assert docs == [] and "bad.csv:1" in errors[0] and "text" in errors[0]


def test_gzip_folder_and_glob(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with gzip.open(folder / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "date": "2021-05-01", "text": "Israel struck Gaza."}) + "\n")
    (folder / "b.txt").write_text(" date 2021-05-02 Hamas fired rockets.", encoding="utf-8")
    (folder / "ignore.bin").write_bytes(b"\x00\x01")
    docs, errors, _ = _read([folder])
    assert sorted(d.published.isoformat() for d in docs) == ["2021-05-01", "2021-05-02"] and errors == []
    docs, errors, _ = _read([tmp_path / "in" / "*.txt"])
    assert len(docs) == 1
    docs, errors, _ = _read([tmp_path / "nothing*.txt"])
    assert docs == [] and "no file matches" in errors[0]


def test_invalid_utf8_and_utf16(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b" date 2020-01-01 ok\n\xff\xfe\xfa broken")
    docs, errors, _ = _read([bad])
    assert docs == [] and "bad.txt:2" in errors[0] and "UTF-8" in errors[0]
    u16 = tmp_path / "u16.txt"
    u16.write_bytes(" date 2020-01-01 Text in UTF-16.".encode("utf-16"))
    docs, errors, _ = _read([u16])
    assert docs[0].published == dt.date(2020, 1, 1) and errors == []


def test_missing_file_and_stable_ids(tmp_path):
    docs, errors, stats = _read([tmp_path / "nope.jsonl"])
    assert docs == [] and "no such file" in errors[0] and stats.documents == 0
    assert doc_id_for("abc") == doc_id_for("abc") != doc_id_for("abd")
    p = tmp_path / "ref.txt"
    p.write_text(REF, encoding="utf-8")
    assert _read([p])[0][0].id == _read([p])[0][0].id


def test_stdin_jsonl(monkeypatch):
    data = json.dumps({"id": "s", "date": "2022-02-24", "text": "Russia invaded Ukraine."}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    docs, errors, _ = _read(["-"])
    assert [d.id for d in docs] == ["s"] and errors == []


def test_stdin_reference_form(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REF.encode())))
    docs, _, _ = _read(["-"])
    assert docs[0].published == dt.date(2023, 9, 13)


@pytest.mark.parametrize("value", ["2023-02-30", "0000-01-01", "tomorrow", True, [2020]])
def test_impossible_dates_are_reported(tmp_path, value):
    p = tmp_path / "d.jsonl"
    p.write_text(json.dumps({"text": "t", "published": value}) + "\n", encoding="utf-8")
    docs, errors, _ = _read([p])
    assert docs == [] and errors and "d.jsonl:1" in errors[0] and "published" in errors[0]


def test_count_documents_gives_a_progress_total_or_none(tmp_path):
    from dateline.read import count_documents

    (tmp_path / "a.jsonl").write_text('{"text": "a"}\n\n  \n{"text": "b"}\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text("one story", encoding="utf-8")
    assert count_documents([str(tmp_path)]) == 3
    assert count_documents([str(tmp_path / "a.jsonl"), str(tmp_path / "missing.jsonl")]) == 2
    (tmp_path / "c.csv").write_text("text\nx\n", encoding="utf-8")
    assert count_documents([str(tmp_path)]) is None  # a CSV row may span lines: no cheap count
    assert count_documents(["-"]) is None
