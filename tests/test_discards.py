"""PETRARCH discard files (``--discards``): a phrase silences its sentence; with "+", its whole story."""

from __future__ import annotations

import json

import pytest
from conftest import written

from dateline.cli import main
from dateline.events.discards import DiscardError, Discards
from dateline.pipeline import Pipeline

DISCARDS = """# Story-level discards are indicated with a '+'.
WORLD CUP   # sport
+GRAND  SLAM
1914
"""
ATTACK = "Russia attacked Ukraine on Monday."


@pytest.fixture(scope="module")
def discard_file(tmp_path_factory):
    return written(tmp_path_factory, "my.discards.txt", DISCARDS)


def test_phrases_match_whole_words_in_any_case(discard_file):
    d = Discards.load([discard_file])
    assert d.phrases == 3
    assert d.sentence_discarded("France beat Germany at the world cup final.")
    assert not d.sentence_discarded("The World Cupboard was empty.")
    assert d.story_discarded("She won a Grand\nSlam title.") and not d.sentence_discarded("She won a Grand Slam.")
    assert d.sentence_discarded("In 1914 Germany invaded Belgium.") and not d.sentence_discarded("In 19145 ...")


def test_a_discarded_sentence_codes_nothing_and_a_story_phrase_silences_the_story(discard_file):
    plain = Pipeline("fast")
    pipe = Pipeline("fast", discard_files=[str(discard_file)])
    text = f"{ATTACK} Brazil attacked Argentina at the World Cup on Sunday."
    kept = {e.sentence_index for e in plain.annotate_text(text).events}
    assert kept == {0, 1}, "both sentences code an event without discards"
    assert {e.sentence_index for e in pipe.annotate_text(text).events} == {0}
    assert pipe.annotate_text(f"{ATTACK} She later won a Grand Slam title.").events == []


def test_a_bad_discard_line_names_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("WORLD CUP\n+   # nothing after the plus\n", encoding="utf-8")
    with pytest.raises(DiscardError, match=r"bad.txt:2: no phrase"):
        Discards.load([bad])
    story = tmp_path / "s.txt"
    story.write_text(f"date 2024-03-01 {ATTACK}\n", encoding="utf-8")
    assert main(["extract", str(story), "--fast", "--discards", str(bad)]) == 2
    assert "bad.txt:2" in capsys.readouterr().err


def test_extract_with_discards(tmp_path, discard_file, capsys):
    story = tmp_path / "s.txt"
    story.write_text(f"date 2024-03-01 {ATTACK} Brazil attacked Argentina at the World Cup.\n", encoding="utf-8")
    assert main(["extract", str(story), "--fast", "--discards", str(discard_file)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all("World Cup" not in r["sentence"] for r in records)


def test_the_phoenix_discards_load(shared):
    d = Discards.load([shared / "data" / "dictionaries" / "phoenix" / "Phoenix.discards.txt"])
    assert d.phrases > 400 and d.story_discarded("Andre Agassi won in Melbourne.")
    assert d.sentence_discarded("He won the bronze medal.") and not d.sentence_discarded("Russia attacked Ukraine.")
