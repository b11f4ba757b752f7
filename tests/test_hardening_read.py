"""Issue 22, items 3, 4, 5 and 8, each from its reproduction: a CSV reader that dropped every record after a stray
quote, run-on text that cost minutes, compressed input without a memory bound, and invisible characters.

No test asserts a time: the run-on tests check the sentence cap (the cause of the cost) and that a 40k-character
chain completes with events; the bomb tests check the budget's error, streaming and cheap blank lines by structure.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from dateline import decode, nlp
from dateline import read as rd


def _read(path: Path, **kw) -> tuple[list, list[str], rd.ReadStats]:
    errors: list[str] = []
    stats = rd.ReadStats()
    docs = list(rd.read([str(path)], on_error=errors.append, stats=stats, **kw))
    assert stats.documents == len(docs) and stats.errors == len(errors)
    for msg in errors:
        assert msg.startswith(f"{path}:") and "\n" not in msg and "Traceback" not in msg, msg
    return docs, errors, stats


# ---- 3. CSV: a bad record costs only itself ----------------------------------------------------------------------

def test_csv_stray_quote_keeps_every_later_record(tmp_path):
    """The issue's file yielded only ``a`` (one 'record skipped' line, exit 0)."""
    p = tmp_path / "q.csv"
    p.write_text('id,published,text\na,2023-01-01,Macron visited Berlin.\nb,2023-01-01,"Biden "called" Xi."\n'
                 "c,2023-01-01,Kim met Putin.\nd,2023-01-01,Xi met Lula.\n", encoding="utf-8")
    docs, errors, _ = _read(p)
    assert [d.id for d in docs] == ["a", "b", "c", "d"]
    # the stray quotes are read as the literal quotes their writer meant, with a note naming the line
    assert docs[1].text == 'Biden "called" Xi.'
    assert len(errors) == 1 and errors[0].startswith(f"{p}:3: ") and "stray quote" in errors[0]
    assert [d.origin for d in docs] == [f"{p}:{n}" for n in (2, 3, 4, 5)]


def test_csv_unreadable_records_are_reported_and_the_next_ones_read(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text('id,published,text\n'
                 'a,2023-01-01,Macron visited Berlin.\n'
                 'b,2023-01-01,"Biden never closed his quote\n'  # 3: its quote is closed by d's, then garbage
                 'c,2023-01-01,Kim met Putin.\n'
                 'd,2023-01-01,"Xi met\n\nLula."\n'  # 5-7: a quoted field over three lines
                 'e,2023-01-01,"Bad "quote", here"\n'  # 8: no lenient reading has three fields
                 'f,2023-01-01,Erdogan called Zelensky.\n'
                 'g,2023-01-01,"never closed at all\n'  # 10: runs to the end of the file
                 'h,2023-01-01,Modi visited Cairo.\n', encoding="utf-8")
    docs, errors, _ = _read(p)
    assert [d.id for d in docs] == ["a", "c", "d", "f", "h"]
    assert docs[2].text == "Xi met\n\nLula." and docs[2].origin == f"{p}:5"
    assert [e.split(": ", 1)[0] for e in errors] == [f"{p}:3", f"{p}:8", f"{p}:10"]
    assert all("malformed CSV" in e and "record skipped" in e for e in errors)


def test_csv_blank_lines_bare_cr_and_invalid_utf8_cost_one_record(tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_bytes(b"id,published,text\r\n\r\n\r\n"
                  b"a,2023-01-01,Kim met Putin.\r\n"
                  b"b,2023-01-01,bad \xff byte\r\n"
                  b"c,2023-01-01,old Mac line end\rd,2023-01-01,Xi met Lula.\r")
    docs, errors, _ = _read(p)
    assert [(d.id, d.origin) for d in docs] == [("a", f"{p}:4"), ("c", f"{p}:6"), ("d", f"{p}:7")]
    assert len(errors) == 1 and errors[0].startswith(f"{p}:5: invalid UTF-8")


def test_csv_record_over_the_limit_is_skipped_and_reading_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(rd, "MAX_LINE", 1000)
    p = tmp_path / "long.csv"
    p.write_text('id,text\na,"' + "x" * 600 + "\n" + "y" * 600 + '"\nb,Kim met Putin.\n', encoding="utf-8")
    docs, errors, _ = _read(p)
    assert [d.id for d in docs] == ["b"]
    assert errors[0].startswith(f"{p}:2: malformed CSV") and "MAX_LINE" in errors[0]


# ---- 4. run-on text: bounded sentences, so bounded cost ----------------------------------------------------------

CLAUSES = ("the minister said that the army attacked the town", "the rebels burned the bridge near the border",
           "the president accused the opposition of treason", "police arrested protesters in the capital")


def _runon(n: int) -> str:
    parts = [CLAUSES[i % len(CLAUSES)] for i in range(n // 40 + 1)]
    text = ", and ".join(parts)
    return (text[0].upper() + text[1:])[:n]


def test_no_sentence_after_the_parser_exceeds_the_cap():
    """A clause chain without a full stop was one sentence of ~8,000 tokens at 40k characters, and the stages'
    work grows with the square of a sentence's length (10 s at 10k characters, minutes at 40k)."""
    doc = nlp.parse(_runon(40_000))
    lengths = [len(s) for s in doc.sents]
    assert len(doc) > 5 * nlp.MAX_SENT_TOKENS
    assert max(lengths) <= nlp.MAX_SENT_TOKENS
    assert sum(lengths) == len(doc) and doc.text == _runon(40_000)
    # cut after a comma (the clause boundary), not mid-clause
    assert all(doc[s.start - 1].text == "," for s in list(doc.sents)[1:])


def test_the_cap_leaves_normal_text_exactly_as_parsed():
    text = (Path(rd.__file__).parent / "data" / "sample" / "kim-putin-vostochny.txt").read_text(encoding="utf-8")
    text += "\n\n" + " ".join(["Officials said that the talks, which lasted for hours, covered trade"] * 8) + "."
    capped = nlp.parse(text)
    with nlp.load().select_pipes(disable=["dateline_sentence_cap"]):
        plain = nlp.load()(text)
    assert max(len(s) for s in plain.sents) <= nlp.MAX_SENT_TOKENS  # a long sentence, but under the cap
    assert [(t.head.i, t.dep_, t.is_sent_start, t.ent_type_) for t in capped] == \
        [(t.head.i, t.dep_, t.is_sent_start, t.ent_type_) for t in plain]


def test_split_points_prefer_full_stops_then_commas():
    doc = nlp.load().make_doc(" ".join(["word"] * 150 + [";"] + ["word"] * 100 + [","] + ["word"] * 300))
    cuts = nlp.split_points(doc, 0, len(doc), 200)
    assert cuts[0] == 151  # after the semicolon, the last stop in the first 200 tokens
    pieces = [b - a for a, b in zip([0, *cuts], [*cuts, len(doc)], strict=True)]
    assert max(pieces) <= 200 and min(pieces[:-1]) >= 100


def test_a_40k_run_on_document_completes_with_events():
    from dateline.model import Document
    from dateline.pipeline import Pipeline

    doc = Document(id="runon", text=_runon(40_000), published=dt.date(2023, 9, 13))
    ann = next(Pipeline("rules").annotate([doc]))
    assert len(ann.events) > 100
    assert max(s["end"] - s["start"] for s in ann.sentences) < 2_000


# ---- 5. compressed input: streamed within a budget ---------------------------------------------------------------

def _gz(path: Path, *parts: bytes, repeat: int = 1) -> Path:
    with gzip.open(path, "wb") as fh:
        fh.write(parts[0])
        for _ in range(repeat):
            fh.write(parts[1])
        for part in parts[2:]:
            fh.write(part)
    return path


@pytest.mark.parametrize("name", ["b.jsonl.gz", "b.csv.gz", "b.txt.gz"])
def test_compression_bomb_stops_with_one_line_naming_the_file(tmp_path, monkeypatch, name):
    """1-2 MB files that expanded to ~1 GB were decompressed whole (3-6 GB RSS; a MemoryError traceback)."""
    monkeypatch.setattr(decode, "RATIO_AFTER", 1 << 20)
    first = {"b.jsonl.gz": b'{"id": "first", "text": "Kim met Putin."}\n', "b.csv.gz": b"id,text\nfirst,Kim met Putin.\n",
             "b.txt.gz": b"date 2023-09-13\nKim met Putin."}[name]
    p = _gz(tmp_path / name, first, b"\n" * (1 << 20), repeat=8)
    docs, errors, _ = _read(p)
    assert len(errors) == 1 and "compression bomb" in errors[0] and "MAX_RATIO" in errors[0]
    # streamed: what came before the budget ran out is kept (a text file is one document: it is refused)
    assert [d.id for d in docs] == ([] if name.endswith(".txt.gz") else ["first"])


def test_decompressed_size_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_INFLATED", 3 << 20)
    line = json.dumps({"text": "Kim met Putin. " + "x" * 1000}).encode() + b"\n"
    p = _gz(tmp_path / "big.jsonl.gz", b"", line, repeat=4000)  # ~4 MB
    docs, errors, _ = _read(p)
    assert 2000 < len(docs) < 4000
    assert len(errors) == 1 and "MAX_INFLATED" in errors[0] and errors[0].startswith(f"{p}:")


def test_json_line_over_the_limit_is_skipped_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(rd, "MAX_LINE", 10_000)
    p = tmp_path / "long.jsonl"
    p.write_bytes(b'{"id": "a", "text": "one"}\n{"id": "huge", "text": "' + b"y" * 50_000 + b'"}\n'
                  b'{"id": "c", "text": "three"}\n' + b"z" * 30_000)
    docs, errors, _ = _read(p)
    assert [d.id for d in docs] == ["a", "c"]
    assert [e.split(": ", 1)[0] for e in errors] == [f"{p}:2", f"{p}:4"] and "MAX_LINE" in errors[0]


def test_blank_lines_are_cheap_and_counted(tmp_path):
    """1 GB of blank lines was still being read after 240 s; a run of blank lines is now one item per block."""
    items = list(rd._lines([b"\n" * 3_000_000, b" \r\n" * 1000, b'{"x": 1}\n', b"\n\n"], rd.MAX_LINE))
    assert len(items) <= 5
    assert [(n, blank) for n, _, blank in items if not blank] == [(3_001_001, False)]
    p = _gz(tmp_path / "blank.jsonl.gz", b"", b"\n" * 100_000, b'{"id": "last", "text": "Xi met Lula."}\n', repeat=20)
    docs, errors, _ = _read(p)
    assert [(d.id, d.origin) for d in docs] == [("last", f"{p}:2000001")] and not errors


def test_long_text_file_is_read_in_bounded_memory_and_reports_its_length(tmp_path, monkeypatch):
    monkeypatch.setattr(rd, "MAX_LINE", 50_000)
    p = _gz(tmp_path / "long.txt.gz", b"date 2023-09-13\n", b"Kim met Putin. " * 1000, repeat=100)
    docs, errors, _ = _read(p)
    assert len(docs) == 1 and len(docs[0].text) <= rd.MAX_TEXT
    assert len(errors) == 1 and "text of 1500000 characters truncated" in errors[0]


# ---- 8. invisible characters: removed at the reader, offsets consistent ------------------------------------------

def test_zero_width_and_direction_marks_are_removed_and_text_is_nfc(tmp_path):
    recs = [{"id": "zw", "text": "Pu\u200btin met Kim\u2060 Jong\u200d Un.\ufeff", "title": "Pu\u200btin"},
            {"id": "flood", "text": "Kim." + "\u200b" * 50_000},
            {"id": "bidi", "text": "\u202eXi\u202c met \u2066Lula\u2069 \u200e\u200f.", "source": "Pu\u200btin"},
            {"id": "nfc", "text": "Erdog\u0306an met Macron in Ame\u0301rica."}]
    p = tmp_path / "zw.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    docs, errors, _ = _read(p)
    assert not errors
    assert [d.text for d in docs] == ["Putin met Kim Jong Un.", "Kim.", "Xi met Lula .",
                                      "Erdoğan met Macron in América."]
    assert docs[0].title == "Putin" and docs[2].source == "Pu\u200btin"  # only text and title are normalised


@pytest.mark.parametrize("name", ["a.txt", "a.csv"])
def test_invisible_characters_in_text_and_csv_files(tmp_path, name):
    body = "Kim\u200b Jong\u200b Un met Pu\u200btin."
    p = tmp_path / name
    p.write_text(f"date 2023-09-13\n{body}" if name.endswith(".txt") else f"id,text\nk,{body}\n", encoding="utf-8")
    docs, _, _ = _read(p)
    assert docs[0].text.strip() == "Kim Jong Un met Putin."


def test_an_actor_behind_a_zero_width_space_resolves_with_consistent_offsets(tmp_path):
    """``Pu\\u200btin`` did not resolve; ``Kim.`` plus 50,000 zero-width spaces became a 50,004-character name."""
    from dateline.pipeline import Pipeline

    p = tmp_path / "zw.jsonl"
    p.write_text(json.dumps({"id": "zw", "published": "2023-09-13",
                             "text": "Pu\u200btin met Kim Jong Un in Vladivostok. Kim." + "\u200b" * 50_000}),
                 encoding="utf-8")
    docs, _, _ = _read(p)
    ann = next(Pipeline("rules").annotate(docs))
    names = {m.name for m in ann.mentions}
    assert "Vladimir Putin" in names and "Kim Jong Un" in names
    for m in ann.mentions:
        assert docs[0].text[m.start:m.end] == m.text and len(m.text) < 50
