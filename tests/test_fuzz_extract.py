"""Fuzzing ``dateline extract`` / ``annotate`` end to end (``--profile rules``): hostile text, odd dates, empty and huge
inputs, many tiny documents.  Every run ends with an exit code (0 when anything was read, 2 when nothing was), valid
JSON Lines on stdout and one-line problems on stderr naming file and line: never a traceback, never a hang.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline import read as rd
from dateline.cli import main
from dateline.model import PLOVER_TYPES

EXAMPLES = int(os.environ.get("DATELINE_FUZZ_EXAMPLES_EXTRACT", "60"))
SENTENCES = ["Russia imposed sanctions on Britain on Wednesday.", "Joe Biden and Xi Jinping met in Beijing on Monday.",
             "Israel attacked Hamas positions in Gaza yesterday.", "Police arrested dozens of protesters in Paris.",
             "Kim Jong Un will meet Vladimir Putin next year.", "China did not attack Taiwan tomorrow."]
HOSTILE = st.sampled_from([
    "", " ", "\n\n\n", ".", "?!" * 200, "\x00\x01\x02", "\u202e" + SENTENCES[0], "\ufeff" + SENTENCES[1],
    "<script>alert('x')</script> Russia attacked Ukraine.", "'; DROP TABLE events; --", "a" * 5000,
    "Russia " * 2000, "\t" * 100 + SENTENCES[2], "🇷🇺 attacked 🇺🇦 🚀🚀", "Путин встретился с Ким Чен Ыном.",
    "في يوم الأربعاء فرضت روسيا عقوبات", "Robert'); DROP TABLE Students;--", "%s %d {0} {text}", "\\N \\x00",
    "January 32, 2023. February 30 the 31st of April, 0000, the year 99999.", "\u0301\u0301\u0301 combining",
    "met met met met met met", "\r\n".join(SENTENCES), "...".join(SENTENCES),
])
TEXTS = st.lists(st.one_of(HOSTILE, st.sampled_from(SENTENCES), st.text(max_size=120)), min_size=1, max_size=4) \
    .map(" ".join)
DATES = st.sampled_from([None, "2023-09-13", "0001-01-01", "9999-12-31", "1970-01-01", "2023-02-30", 0, -1, 1e11,
                         "2999-12-31", "1000-01-01",
                         "", "next week"])
PROBLEM = re.compile(r"^(\S.*?(:\d+)?: \S.*|read \d+ documents .*|dateline \w+: \S.*)$")


def _records(draw_texts: list[str], dates: list) -> list[dict]:
    recs = []
    for i, (t, d) in enumerate(zip(draw_texts, dates, strict=False)):
        rec = {"id": f"f{i}", "text": t}
        if d is not None:
            rec["published"] = d
        recs.append(rec)
    return recs


def _run(argv: list[str], capsys) -> tuple[int, list[str], list[str]]:
    code = main(argv)
    out, err = capsys.readouterr()
    # JSON Lines split on "\n" only: str.splitlines() would also split inside strings at U+0085, U+2028, …
    return code, [line for line in out.split("\n") if line], [line for line in err.split("\n") if line.strip()]


def _check_output(code: int, out: list[str], err: list[str], readable: bool) -> None:
    assert code == (0 if readable else 2), (code, err)
    for line in err:
        assert "Traceback" not in line and PROBLEM.match(line), line
    for line in out:
        ev = json.loads(line)
        assert ev["type"] in PLOVER_TYPES


def _expected_readable(recs: list[dict], tmp: Path) -> bool:
    p = tmp / "probe.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    stats = rd.ReadStats()
    list(rd.read([str(p)], on_error=lambda m: None, stats=stats))
    return stats.documents > 0


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
@given(texts=st.lists(TEXTS, min_size=1, max_size=4), dates=st.lists(DATES, min_size=4, max_size=4))
def test_extract_never_crashes(tmp_path, capsys, texts, dates):
    recs = _records(texts, dates)
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    code, out, err = _run(["extract", str(p), "--profile", "rules"], capsys)
    _check_output(code, out, err, _expected_readable(recs, tmp_path))
    ids = {r["id"] for r in recs}
    assert all(json.loads(line)["doc_id"] in ids for line in out)


@settings(max_examples=max(5, EXAMPLES // 3), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".jsonl", ".csv", ".txt"]))
def test_annotate_random_bytes(tmp_path, capsys, data, suffix):
    p = tmp_path / f"in{suffix}"
    p.write_bytes(data)
    stats = rd.ReadStats()
    list(rd.read([str(p)], on_error=lambda m: None, stats=stats, default_date=None))
    code, out, err = _run(["annotate", str(p), "--profile", "rules", "--date", "2023-09-13"], capsys)
    assert code == (0 if stats.documents else 2)
    for line in err:
        assert "Traceback" not in line and PROBLEM.match(line), line
    assert len(out) == stats.documents
    for line in out:
        json.loads(line)


EDGE_TEXT = ("Russia imposed sanctions on Britain tomorrow. Kim Jong Un met Vladimir Putin yesterday. "
             "China will attack Taiwan next year. Israel attacked Hamas last year. They met next month and last week.")


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_extreme_publication_dates_are_refused_by_the_reader(tmp_path, capsys, published):
    p = tmp_path / "edge.jsonl"
    p.write_text(json.dumps({"id": "edge", "published": published, "text": EDGE_TEXT}), encoding="utf-8")
    code, out, err = _run(["extract", str(p), "--profile", "rules"], capsys)
    _check_output(code, out, err, False)
    assert any(line.startswith(f"{p}:1: ") and "year" in line for line in err)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_extreme_date_option_is_refused(tmp_path, capsys, value):
    p = tmp_path / "edge.txt"
    p.write_text(EDGE_TEXT, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(p), "--profile", "rules", "--date", value])
    assert exc.value.code == 2 and "year outside" in capsys.readouterr().err


@pytest.mark.parametrize("anchor", ["9999-12-31", "0001-01-01"])
def test_when_survives_calendar_edges(anchor):
    import datetime as dt

    from dateline import when

    times = when.find_times(EDGE_TEXT, dt.date.fromisoformat(anchor))
    assert times, "the expressions are still found"
    assert all(t.start < t.end for t in times)


def test_nothing_readable_exits_2_with_one_line_per_problem(tmp_path, capsys):
    (tmp_path / "a.jsonl").write_bytes(b'{"text": 5}\n{broken\n\xff\xfe\n')
    (tmp_path / "b.csv").write_text("id,title\n1,no text column\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("date 2023-02-30\nKim met Putin.", encoding="utf-8")
    code, out, err = _run(["extract", str(tmp_path), str(tmp_path / "missing.jsonl"), "--profile", "rules"], capsys)
    assert code == 2 and not out
    assert len(err) >= 5
    _check_output(code, out, err, False)


def test_one_good_record_among_bad_ones_exits_0(tmp_path, capsys):
    p = tmp_path / "mix.jsonl"
    p.write_bytes(b'{"text": 5}\n{"id": "ok", "published": "2024-03-07", "text": "Russia imposed sanctions on Britain."}'
                  b'\n[[[[\n')
    code, out, err = _run(["extract", str(p), "--profile", "rules"], capsys)
    _check_output(code, out, err, True)
    assert {json.loads(line)["doc_id"] for line in out} == {"ok"}
    assert any(line.startswith(f"{p}:1: ") for line in err) and any(line.startswith(f"{p}:3: ") for line in err)


def test_ten_megabyte_single_paragraph(tmp_path, capsys, monkeypatch):
    """A 10 MB paragraph is cut to ``read.MAX_TEXT`` characters with a warning, then processed like any text.

    The cut is lowered here to keep the test fast; bench/soak_inputs.py runs the same input with the real limit.
    """
    monkeypatch.setattr(rd, "MAX_TEXT", 20_000)
    sentence = SENTENCES[0] + " "  # sentences without a line break: one paragraph
    text = (sentence * (10_000_000 // len(sentence) + 1))[:10_000_000]
    p = tmp_path / "big.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "big", "published": "2024-03-07", "text": text}) + "\n")
        fh.write(json.dumps({"id": "small", "published": "2024-03-07", "text": SENTENCES[1]}) + "\n")
    code, out, err = _run(["extract", str(p), "--profile", "rules"], capsys)
    _check_output(code, out, err, True)
    assert any("big.jsonl:1: text of 10000000 characters truncated" in line for line in err), err
    assert {json.loads(line)["doc_id"] for line in out} == {"big", "small"}


def test_many_tiny_documents(tmp_path, capsys):
    n = 1500
    p = tmp_path / "tiny.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"t{i}", "published": "2024-01-01", "text": f"Item {i}."}) + "\n")
    code, out, err = _run(["annotate", str(p), "--profile", "rules"], capsys)
    assert code == 0
    assert [json.loads(line)["doc_id"] for line in out] == [f"t{i}" for i in range(n)]


def test_stdout_closed_early_is_not_a_crash(tmp_path):
    import subprocess
    import sys

    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(json.dumps({"id": f"s{i}", "published": "2024-01-01", "text": " ".join(SENTENCES)})
                           for i in range(200)), encoding="utf-8")
    src = str(Path(__file__).resolve().parents[1] / "src")
    proc = subprocess.Popen([sys.executable, "-m", "dateline.cli", "extract", str(p), "--profile", "rules"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": src})
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) in (0, 1, 120, -13)
    assert "Traceback" not in err, err
