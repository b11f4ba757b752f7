"""PETRARCH issue coding (``--issues``): each record lists the issues its sentence speaks of."""

from __future__ import annotations

import json

import pytest
from conftest import written

from dateline.cli import main
from dateline.events.issues import IssueFileError, Issues
from dateline.pipeline import Pipeline

ISSUES = """# a small issue file in Phoenix's format
<ISSUE CATEGORY="EDUCATION" TYPE="ALL">
n:teacher [TEACHERS]
pre+k [EARLY_CHILDHOOD_EDUCATION]
~a head start
head start [EARLY_CHILDHOOD_EDUCATION]
</ISSUE>
<ISSUE CATEGORY="ENERGY" TYPE="ALL">
oil
v:drill [DRILLING]
~olive oil
</ISSUE>
"""


@pytest.fixture(scope="module")
def issue_file(tmp_path_factory):
    return written(tmp_path_factory, "issues.txt", ISSUES)


def test_phrase_kinds(issue_file):
    i = Issues.load([issue_file])
    assert i.of("Teachers marched on Monday.") == ["TEACHERS"]  # n: takes the plural
    assert i.of("Funding for pre-k and Head Start grew.") == ["EARLY_CHILDHOOD_EDUCATION"]  # + joins with a hyphen
    assert i.of("Oil prices rose as firms drilled off the coast.") == ["DRILLING", "ENERGY"]  # no code: the category
    assert i.of("She cooked with olive oil to get a head start.") == []  # exclusions read first
    assert i.of("The toilet broke.") == []  # whole words only


def test_records_carry_their_sentence_s_issues(issue_file):
    pipe = Pipeline("fast", issue_files=[str(issue_file)])
    events = pipe.annotate_text("Russia attacked Ukraine's oil refineries on Monday. Teachers protested in Kyiv.").events
    by_sentence = {e.sentence_index: e.issues for e in events}
    assert by_sentence.get(0) == ["ENERGY"], [(e.type, e.sentence_index, e.issues) for e in events]
    assert all("issues" not in e.to_dict() for e in Pipeline("fast").annotate_text("Russia attacked Ukraine.").events)


def test_errors_name_file_and_line(tmp_path, capsys, issue_file):
    bad = tmp_path / "bad.txt"
    bad.write_text("strike [LABOR]\nwalkout\n", encoding="utf-8")
    with pytest.raises(IssueFileError, match=r"bad.txt:2: a phrase outside any"):
        Issues.load([bad])
    story = tmp_path / "s.txt"
    story.write_text("date 2024-03-01 Russia attacked Ukraine's oil refineries on Monday.\n", encoding="utf-8")
    assert main(["extract", str(story), "--fast", "--issues", str(bad)]) == 2
    assert "bad.txt:2" in capsys.readouterr().err
    assert main(["extract", str(story), "--fast", "--issues", str(issue_file)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all(r["issues"] == ["ENERGY"] for r in records)


def test_the_phoenix_issue_file_loads(shared):
    i = Issues.load([shared / "data" / "dictionaries" / "phoenix" / "Phoenix.IssueCoding.txt"])
    assert i.phrases > 3000 and "TEACHERS" in i.of("Teachers went on strike.")
    assert "ENERGY" not in i.of("Olive oil exports fell.")
