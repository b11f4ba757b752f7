"""Actor evaluation over the shipped case set, and the actors CLI."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from dateline.cli import build_parser
from dateline.evaluation.actors import evaluate, report

CASES = Path(__file__).resolve().parent / "data" / "actor_cases.csv"


def test_case_set_accuracy():
    res = evaluate([str(CASES)])
    g = res["groups"]["all"]
    assert g["n"] >= 300
    assert g["accuracy"] >= 0.75, report(res)
    assert "country" in report(res)


def _parser() -> argparse.ArgumentParser:
    return build_parser()


def test_cli_resolve_text(capsys):
    args = _parser().parse_args(["actors", "resolve", "the White House", "--date", "2023-09-13"])
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["country"], out["sector"], out["text"]) == ("USA", "GOV", "the White House")


def test_cli_resolve_stdin(capsys, monkeypatch):
    lines = '{"text": "Vladimir Putin", "date": "1995-01-01"}\n{"text": "Vladimir Putin", "date": "2020-01-01"}\n'
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    args = _parser().parse_args(["actors", "resolve", "-"])
    assert args.func(args) == 0
    outs = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["sector"] for o in outs] == ["ELI", "GOV"]


def test_cli_resolve_stdin_reads_written_dates_and_goes_on_after_a_bad_line(capsys, monkeypatch):
    """Issue 17: one line whose date reads "12 April 2022" stopped the batch; a bad date is now one error line."""
    lines = ('{"text": "Vladimir Putin", "date": "12 April 1995"}\n{"text": "Kim", "date": "never"}\n'
             '{"text": "Vladimir Putin", "date": "January 2020"}\n')
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    args = _parser().parse_args(["actors", "resolve", "-"])
    assert args.func(args) == 1
    out, err = capsys.readouterr()
    assert [json.loads(x)["sector"] for x in out.splitlines()] == ["ELI", "GOV"]
    assert "stdin:2: date 'never'" in err


def test_cli_dictionary_import(tmp_path):
    src = tmp_path / "x.actors.txt"
    src.write_text("ACME_CORP_\n+ACME\n\t[FRABUS]\n", encoding="utf-8")
    out = tmp_path / "x.json.gz"
    args = _parser().parse_args(["dictionary", "import", str(src), "-o", str(out)])
    assert args.func(args) == 0
    from dateline.actors.dictionary import Dictionary

    assert Dictionary.load(out).actors[0].roles[0].country == "FRA"
