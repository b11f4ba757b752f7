"""Property-based fuzzing of every reader: whatever the bytes, ``read`` yields clean Documents or one-line errors.

The property checked for every generated input (random bytes, invalid UTF-8, UTF-16 with a BOM, NUL bytes, truncated
JSON lines, wrong field types, impossible dates, empty text, deeply nested JSON, CSV with quotes and newlines in fields,
gzip, stdin): no exception escapes ``read``; each problem is reported once, on one line, naming the file (and the line
for record problems); every Document has non-empty text that the stores and JSON output accept (no NUL, no lone
surrogate), an id within the store's 255 characters, and a real date or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline import read as rd
from dateline.model import Document

EXAMPLES = int(os.environ.get("DATELINE_FUZZ_EXAMPLES", "150"))  # bench/soak_fuzz.py raises it
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
SURROGATE = re.compile("[\ud800-\udfff]")
DATES = st.sampled_from(["2023-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "99999-01-01", "2023-13-01",
                         "2023-9-1", "20230230", "2023-02-28T25:00", "-2023-01-01", "", " ", "yesterday", "1e9"])
ODD_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\ufeffBOM", "\u202eRTL", "é" * 50,
                     "line\nbreak", "\r\n", '"quoted", field', "<script>alert(1)</script>"]),
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), ODD_TEXT)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda kids: st.lists(kids, max_size=3)
                           | st.dictionaries(st.text(max_size=5), kids, max_size=3), max_leaves=8)
FIELDS = ("id", "published", "date", "title", "text", "url", "source", "dateline", "section", "author", "keywords")


def record() -> st.SearchStrategy[dict]:
    """A JSON record whose fields have the right or the wrong types."""
    return st.fixed_dictionaries({}, optional={
        "id": st.one_of(ODD_TEXT, st.integers(), JSON_VALUES, st.text(min_size=256, max_size=300)),
        "published": st.one_of(DATES, st.integers(), st.floats(), JSON_VALUES),
        "date": DATES,
        "title": st.one_of(ODD_TEXT, JSON_VALUES),
        "text": st.one_of(ODD_TEXT, ODD_TEXT, JSON_VALUES),
        "url": ODD_TEXT, "source": st.one_of(ODD_TEXT, st.text(min_size=256, max_size=300)),
        "section": JSON_VALUES, "keywords": JSON_VALUES,
    })


def _jsonl_line(draw) -> bytes:
    kind = draw(st.integers(0, 7))
    if kind == 0:  # truncated line
        full = json.dumps(draw(record()))
        return full[: draw(st.integers(0, len(full)))].encode("utf-8", "surrogatepass")
    if kind == 1:  # deeply nested
        depth = draw(st.sampled_from([50, 999, 5000, 100_000]))
        inner = "[" * depth + "]" * depth if draw(st.booleans()) else "[" * depth
        return ('{"text": "x", "section": ' + inner + "}").encode()
    if kind == 2:
        return draw(st.binary(max_size=60))
    if kind == 3:  # not an object
        return json.dumps(draw(JSON_VALUES)).encode()
    if kind == 4:  # huge integers (Python refuses over 4300 digits)
        return b'{"text": "a b", "id": ' + b"9" * draw(st.sampled_from([10, 4301, 6000])) + b"}"
    return json.dumps(draw(record()), ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@st.composite
def jsonl_bytes(draw) -> bytes:
    lines = draw(st.lists(st.builds(lambda: None), max_size=6))
    data = b"\n".join(_jsonl_line(draw) for _ in lines)
    return _encode(draw, data)


@st.composite
def csv_bytes(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(FIELDS + ("", " text ", "x")), min_size=0, max_size=5))
    if draw(st.booleans()):
        header.append("text")
    rows = draw(st.lists(st.lists(ODD_TEXT.filter(lambda s: not SURROGATE.search(s)), max_size=len(header) + 2),
                         max_size=5))
    buf = io.StringIO()
    w = csv.writer(buf, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])))
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    if draw(st.booleans()):  # cut anywhere: unterminated quotes, half rows
        data = data[: draw(st.integers(0, len(data)))]
    return _encode(draw, data)


@st.composite
def text_bytes(draw) -> bytes:
    head = draw(st.sampled_from(["", "date ", "  date ", "DATE "]))
    date = draw(DATES) if head else ""
    body = draw(ODD_TEXT)
    data = f"{head}{date}\n{body}".encode("utf-8", "surrogatepass")
    return _encode(draw, data)


def _encode(draw, data: bytes) -> bytes:
    """Sometimes re-encode (UTF-16 with BOM, UTF-8 BOM), splice NULs or random bytes in."""
    how = draw(st.integers(0, 5))
    if how == 1:
        try:
            return data.decode("utf-8").encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"])))
        except UnicodeError:
            return data
    if how == 2:
        return b"\xef\xbb\xbf" + data
    if how == 3 and data:
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from([b"\x00", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"])) \
            + data[at:]
    return data


def _check(path: str, docs: list[Document], errors: list[str], stats: rd.ReadStats) -> None:
    assert stats.documents == len(docs)
    assert stats.errors == len(errors)
    shown = re.escape(path)
    for msg in errors:
        assert "\n" not in msg and "\r" not in msg, msg
        assert re.match(rf"{shown}(:\d+)?: \S", msg), msg
        assert "Traceback" not in msg
    for d in docs:
        assert isinstance(d, Document)
        assert isinstance(d.text, str) and d.text.strip()
        for value in (d.id, d.text, d.title, d.url, d.source):
            if value is not None:
                assert isinstance(value, str)
                assert "\x00" not in value and not SURROGATE.search(value), repr(value[:80])
                value.encode("utf-8")  # storable and printable
        assert 0 < len(d.id) <= 255
        assert d.published is None or isinstance(d.published, dt.date)
        json.dumps(d.extra, default=str)


def _read(path: Path) -> tuple[list[Document], list[str], rd.ReadStats]:
    errors: list[str] = []
    stats = rd.ReadStats()
    docs = list(rd.read([str(path)], on_error=errors.append, stats=stats))
    _check(str(path), docs, errors, stats)
    return docs, errors, stats


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".jsonl", ".json", ".csv", ".txt", ".md", ""]))
def test_random_bytes_any_reader(tmp_path, data, suffix):
    p = tmp_path / f"random{suffix}"
    p.write_bytes(data)
    _read(p)


@FUZZ
@given(data=jsonl_bytes())
def test_jsonl_records(tmp_path, data):
    p = tmp_path / "in.jsonl"
    p.write_bytes(data)
    _read(p)


@FUZZ
@given(data=csv_bytes())
def test_csv_records(tmp_path, data):
    p = tmp_path / "in.csv"
    p.write_bytes(data)
    _read(p)


@FUZZ
@given(data=text_bytes())
def test_text_reference_form(tmp_path, data):
    p = tmp_path / "in.txt"
    p.write_bytes(data)
    _read(p)


@settings(max_examples=max(20, EXAMPLES // 3), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(jsonl_bytes(), csv_bytes(), text_bytes()), cut=st.integers(0, 200),
       suffix=st.sampled_from([".jsonl.gz", ".csv.gz", ".txt.gz"]))
def test_gzip_whole_and_truncated(tmp_path, data, cut, suffix):
    packed = gzip.compress(data)
    p = tmp_path / f"in{suffix}"
    p.write_bytes(packed if cut % 3 else packed[: max(0, len(packed) - cut)])
    _read(p)


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


@settings(max_examples=max(20, EXAMPLES // 2), deadline=None)
@given(data=st.one_of(jsonl_bytes(), text_bytes(), st.binary(max_size=200)))
def test_stdin(data):
    old = sys.stdin
    sys.stdin = _Stdin(data)
    try:
        errors: list[str] = []
        stats = rd.ReadStats()
        docs = list(rd.read(["-"], on_error=errors.append, stats=stats))
    finally:
        sys.stdin = old
    _check("stdin", docs, errors, stats)


# ---- targeted cases: each names what the property must hold for -------------------------------------------------

def _one(tmp_path: Path, name: str, data: bytes) -> tuple[list[Document], list[str]]:
    p = tmp_path / name
    p.write_bytes(data)
    docs, errors, _ = _read(p)
    return docs, errors


@pytest.mark.parametrize("date", ["2023-02-30", "0000-01-01", "2023-13-01", "99999-01-01", "9999-12-31", 1e12])
def test_impossible_dates_skip_the_record_with_line(tmp_path, date):
    data = (json.dumps({"id": "ok", "published": "2023-01-02", "text": "Fine."}) + "\n"
            + json.dumps({"id": "bad", "published": date, "text": "Bad date."}) + "\n").encode()
    docs, errors = _one(tmp_path, "d.jsonl", data)
    assert [d.id for d in docs] == ["ok"]
    assert len(errors) == 1 and errors[0].startswith(f"{tmp_path / 'd.jsonl'}:2: ")


def test_implausible_years_skip_the_record(tmp_path):
    data = "\n".join(json.dumps({"id": i, "published": d, "text": "Text."})
                     for i, d in enumerate(["9999-12-31", "0001-01-01", "2999-12-31", "1000-01-01"])).encode()
    docs, errors = _one(tmp_path, "d.jsonl", data)
    assert [d.published for d in docs] == [dt.date(2999, 12, 31), dt.date(1000, 1, 1)]
    assert [e.split(": ")[0][-2:] for e in errors] == [":1", ":2"] and "year 9999" in errors[0]


def test_reference_header_with_impossible_date(tmp_path):
    docs, errors = _one(tmp_path, "a.txt", b"date 2023-02-30\nKim met Putin.")
    assert not docs and len(errors) == 1 and ":1: impossible date" in errors[0]


def test_utf16_with_bom_reads_in_every_form(tmp_path):
    rec = {"id": "u16", "published": "2023-09-13", "text": "Kim Jong Un met Putin — ёжик."}
    for name, body in [("a.jsonl", json.dumps(rec, ensure_ascii=False)), ("a.txt", "date 2023-09-13\n" + rec["text"]),
                       ("a.csv", "id,published,text\nu16,2023-09-13," + rec["text"] + "\n")]:
        docs, errors = _one(tmp_path, name, body.encode("utf-16"))
        assert not errors, errors
        assert len(docs) == 1 and docs[0].text.strip() == rec["text"]
        assert docs[0].published == dt.date(2023, 9, 13)


def test_utf16_with_lone_surrogate_is_an_error_not_a_crash(tmp_path):
    docs, errors = _one(tmp_path, "a.txt", b"\xff\xfe" + "ok ".encode("utf-16-le") + b"\x00\xd8")
    assert not docs and len(errors) == 1


def test_invalid_utf8_names_the_line(tmp_path):
    docs, errors = _one(tmp_path, "a.jsonl", b'{"text": "one"}\n{"text": "tw\xff"}\n{"text": "three"}\n')
    assert [d.text for d in docs] == ["one", "three"] and len(errors) == 1
    assert errors and errors[0].startswith(f"{tmp_path / 'a.jsonl'}:2: ")


def test_nul_bytes_and_lone_surrogates_are_cleaned(tmp_path):
    rec = {"id": "a\x00b", "title": "t\x00\ud800", "text": "Kim\x00met \udc00Putin.", "source": "s\x00"}
    docs, errors = _one(tmp_path, "a.jsonl", json.dumps(rec).encode())
    assert not errors and len(docs) == 1
    assert len(docs[0].text) == len(rec["text"])  # offsets into the text stay valid


def test_wrong_field_types_skip_the_record(tmp_path):
    lines = [{"text": 5}, {"text": ["a"]}, {"text": "ok", "id": {"a": 1}}, {"text": "ok", "published": True},
             {"text": "ok", "published": [2023]}, {"text": "ok", "published": 1e300}, {"text": "ok", "title": [1]},
             [1, 2], "just a string", {"text": "fine", "id": 7}]
    docs, errors = _one(tmp_path, "a.jsonl", "\n".join(json.dumps(x) for x in lines).encode())
    assert [d.id for d in docs] == ["7"]
    where = str(tmp_path / "a.jsonl")
    assert [e.split(": ", 1)[0] for e in errors] == [f"{where}:{n}" for n in range(1, 10)]


def test_a_missing_path_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "g", "text": "Kept."}\n', encoding="utf-8")
    errors: list[str] = []
    docs = list(rd.read([str(tmp_path / "missing.jsonl"), str(good)], on_error=errors.append))
    assert [d.id for d in docs] == ["g"] and len(errors) == 1


def test_huge_integer_and_deep_nesting(tmp_path):
    data = b'{"text": "x", "id": ' + b"9" * 5000 + b'}\n' + b"[" * 200_000 + b"\n" \
        + b'{"text": "deep", "section": ' + b"[" * 3000 + b"]" * 3000 + b"}\n" + b'{"text": "last"}\n'
    docs, errors = _one(tmp_path, "a.jsonl", data)
    assert docs[-1].text == "last"
    assert len(docs) + len(errors) == 4


def test_overlong_id_is_refused_with_line(tmp_path):
    docs, errors = _one(tmp_path, "a.jsonl", json.dumps({"id": "x" * 300, "text": "t"}).encode())
    assert not docs and errors[0].startswith(f"{tmp_path / 'a.jsonl'}:1: field 'id'")


def test_csv_quotes_and_newlines_inside_fields(tmp_path):
    rows = [{"id": "q1", "published": "2023-09-13", "text": 'He said "no",\nthen left.\n\nNew paragraph, "quoted".'},
            {"id": "q2", "published": "2023-09-14", "text": "plain"}]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["id", "published", "text"])
    w.writeheader()
    w.writerows(rows)
    docs, errors = _one(tmp_path, "a.csv", buf.getvalue().encode())
    assert not errors
    assert [(d.id, d.text) for d in docs] == [(r["id"], r["text"]) for r in rows]


def test_csv_unterminated_quote_reports_and_keeps_earlier_rows(tmp_path):
    docs, errors = _one(tmp_path, "a.csv", b'id,text\na,"fine"\nb,"never closed\n')
    assert [d.id for d in docs] == ["a"] and len(errors) == 1 and ":3: malformed CSV" in errors[0]


def test_empty_inputs(tmp_path):
    for name in ("e.jsonl", "e.csv", "e.txt"):
        docs, errors = _one(tmp_path, name, b"")
        assert not docs
    docs, errors = _one(tmp_path, "w.txt", b"date 2023-01-01\n   \n")
    assert not docs and errors


def test_long_text_is_truncated_with_a_warning(tmp_path):
    text = "Russia imposed sanctions on Britain. " * (rd.MAX_TEXT // 30)
    docs, errors = _one(tmp_path, "big.jsonl", json.dumps({"id": "big", "text": text}).encode())
    assert len(docs) == 1 and len(docs[0].text) <= rd.MAX_TEXT
    assert text.startswith(docs[0].text)
    assert len(errors) == 1 and "truncated" in errors[0] and errors[0].startswith(f"{tmp_path / 'big.jsonl'}:1: ")


def test_max_text_within_the_parser_limit():
    from dateline import nlp

    assert rd.MAX_TEXT <= nlp.MAX_CHARS


def test_many_tiny_documents_stream(tmp_path):
    n = 20_000
    p = tmp_path / "many.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(f'{{"id": "t{i}", "text": "x{i}"}}\n')
    stats = rd.ReadStats()
    seen = sum(1 for _ in rd.read([str(p)], on_error=lambda m: None, stats=stats))
    assert seen == n == stats.documents and stats.errors == 0


def test_missing_paths_and_empty_globs(tmp_path):
    errors: list[str] = []
    stats = rd.ReadStats()
    docs = list(rd.read([str(tmp_path / "nope.jsonl"), str(tmp_path / "*.zzz")], on_error=errors.append, stats=stats))
    assert not docs and stats.errors == len(errors) >= 1
    assert all("\n" not in e for e in errors)
