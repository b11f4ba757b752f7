"""User verb dictionaries (PETRARCH 2 / TABARI): parsing, errors, and coding through the real pipeline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dateline.cli import main
from dateline.events.ontology import cameo_to_plover
from dateline.events.verbs import VerbDictionary, VerbDictionaryError, is_verb_dictionary, regular_forms
from dateline.model import PLOVER_TYPES
from dateline.pipeline import Pipeline

# Invented verbs (spaCy still parses them as verbs) and real ones; every pattern kind once. Line numbers matter:
# the tests check the rule each record names.
PETRARCH = """\
# a small custom dictionary in PETRARCH 2 syntax
&ENVOY
+ENVOY
+AMBASSADOR_

---  GLORPIFY   [---]  ---
GLORPIFY  [0874]
ZORBLE {ZORBLES ZORBLED ZORBLING}
- * SANCTIONS                 [163]    # verb + object word
- * &ENVOY                    [1212]   # a synset
- $ * +                       [903]    # source and target slots; a code outside CAMEO
- * (AGAINST)                 [112]    # a prepositional phrase whose object is an actor
- * COMPLAINT OF +            [1041]   # words, then the target after "of"
- * INCIDENTS                 [---]    # the null code: not an event

---  REBUKE   [---]  ---
CRITICISE  [057]
CONDEMN  [XYZ9]

---  SNUB   [---]  ---
BLORK
- * +                         [:1212]  # the target acts on the source
"""
RULE = {"plain": "my_verbs.txt:7", "object": "my_verbs.txt:9", "synset": "my_verbs.txt:10",
        "slots": "my_verbs.txt:11", "prep": "my_verbs.txt:12", "of": "my_verbs.txt:13",
        "criticise": "my_verbs.txt:17", "condemn": "my_verbs.txt:18", "reverse": "my_verbs.txt:22"}

TABARI = """\
GLORPIF  [---] ;a TABARI stem: glorpify, glorpified ...
- * SANCTION_ AGAINST_ +  [163] ;ab 1 Jan 2000
- + * BY_ $  [0874]
ZORBL [1123]
"""


@pytest.fixture(scope="module")
def verb_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("verbs") / "my_verbs.txt"
    path.write_text(PETRARCH, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fast(verb_file) -> Pipeline:
    return Pipeline("fast", verb_files=[str(verb_file)])


def _one(pipe: Pipeline, text: str):
    events = [e for e in pipe.annotate_text(text).events if e.rule]
    assert events, f"no rule-coded record for {text!r}: {pipe.annotate_text(text).events}"
    return events[0]


def _names(side: list[dict]) -> list[str]:
    return [a.get("name") or a["text"] for a in side]


def _plover(code: str) -> str:
    coded = cameo_to_plover(code)
    assert coded is not None
    return coded[0]


# ---- reading -----------------------------------------------------------------------------------------------------

def test_reads_families_verbs_patterns_and_codes(verb_file):
    d = VerbDictionary.load([verb_file])
    assert [f.name for f in d.families] == ["GLORPIFY", "REBUKE", "SNUB"]
    glorp = d.families[0]
    assert len(glorp.patterns) == 6 and d.patterns == 7 and d.synsets == 1
    assert {"glorpify", "glorpified", "zorble", "zorbled"} <= set(d.index)  # regular forms are made, listed ones kept
    assert "zorbleed" not in d.index
    assert {"903", "XYZ9", "0874"} <= d.codes()
    assert not d.warnings
    assert is_verb_dictionary(verb_file)


def test_regular_forms():
    assert regular_forms("glorpify") == ["glorpifies", "glorpified", "glorpifying"]
    assert {"banned", "banning"} <= set(regular_forms("ban"))


def test_tabari_dictionary_loads(tmp_path):
    path = tmp_path / "old.verbs"
    path.write_text(TABARI, encoding="utf-8")
    d = VerbDictionary.load([path])
    assert [f.name for f in d.families] == ["GLORPIF", "ZORBL"]  # each TABARI verb opens its family
    assert set(d.stems) == {"glorpif", "zorbl"} and not d.index
    assert is_verb_dictionary(path)


@pytest.mark.parametrize("text, line, what", [
    ("---  GLORP   [---]  ---\nGLORP\n- * SANCTIONS\n", 3, "without a [code]"),
    ("---  GLORP   [---]  ---\nGLORP\n- SANCTIONS [163]\n", 3, "one '*'"),
    ("GLORP [---]\n---  X  [---]  ---\n", 1, "before any"),
    ("---  GLORP   [---]  ---\nGLORP\n- * (AGAINST [112]\n- * FOO [1 2]\n", 4, "cannot read the code"),
])
def test_malformed_line_names_file_and_line(tmp_path, text, line, what):
    path = tmp_path / "bad_verbs.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VerbDictionaryError, match=rf"bad_verbs\.txt:{line}: .*{re.escape(what)}") as err:
        VerbDictionary.load([path])
    assert err.value.line == line


def test_unbalanced_phrase_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("---  GLORP   [---]  ---\nGLORP\n- * (AGAINST [112]\n- * &NOPE [110]\n", encoding="utf-8")
    d = VerbDictionary.load([path])
    assert d.patterns == 0 and len(d.warnings) == 2
    assert d.warnings[0].startswith(f"{path}:3:") and "&NOPE" in d.warnings[1]


def test_shipped_phoenix_dictionary_loads(shared):
    path = shared / "data" / "dictionaries" / "phoenix" / "CAMEO.2.0.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    d = VerbDictionary.load([path])
    assert len(d.families) > 350 and d.patterns > 4500 and len(d.index) > 2000
    assert all(":" in w for w in d.warnings)  # a few sloppy lines are skipped, each named


# ---- coding through the pipeline ------------------------------------------------------------------------------------

def test_plain_verb_codes_its_own_code(fast):
    ev = _one(fast, "Poland glorpified on Monday.")
    assert ev.cameo == "0874" and ev.type == _plover("0874") and ev.rule == RULE["plain"]


def test_verb_and_object_word(fast):
    ev = _one(fast, "Russia glorpified sanctions on Ukraine.")
    assert (ev.cameo, ev.rule, ev.type) == ("163", RULE["object"], _plover("163"))
    assert _names(ev.source) == ["Russia"] and "Ukraine" in " ".join(_names(ev.target))


def test_synset_member(fast):
    ev = _one(fast, "Russia glorpified the ambassador on Tuesday.")
    assert (ev.cameo, ev.rule) == ("1212", RULE["synset"])


def test_source_and_target_slots_keep_a_code_outside_cameo(fast):
    ev = _one(fast, "Russia glorpified Ukraine.")
    assert (ev.cameo, ev.rule) == ("903", RULE["slots"])  # verbatim; the classifier gives the PLOVER type
    assert ev.type in PLOVER_TYPES
    assert _names(ev.source) == ["Russia"] and _names(ev.target) == ["Ukraine"]


def test_passive_voice_swaps_the_slots(fast):
    ev = _one(fast, "Ukraine was glorpified by Russia.")
    assert ev.rule == RULE["slots"] and _names(ev.source) == ["Russia"] and _names(ev.target) == ["Ukraine"]


def test_prepositional_pattern(fast):
    ev = _one(fast, "France zorbled against Germany.")  # a synonym line: the family's patterns apply
    assert (ev.cameo, ev.rule, ev.type) == ("112", RULE["prep"], "ACCUSE")
    assert _names(ev.source) == ["France"] and _names(ev.target) == ["Germany"]


def test_words_then_target(fast):
    ev = _one(fast, "Russia glorpified the complaint of Ukraine.")
    assert (ev.cameo, ev.rule) == ("1041", RULE["of"]) and _names(ev.target) == ["Ukraine"]


def test_null_code_pattern_says_no_event(fast):
    assert not [e for e in fast.annotate_text("Russia glorpified the incidents on Monday.").events
                if e.trigger["text"] == "glorpified"]


def test_reverse_code_swaps_the_sides(fast):
    ev = _one(fast, "Russia blorked Ukraine.")
    assert (ev.cameo, ev.rule) == ("1212", RULE["reverse"])
    assert _names(ev.source) == ["Ukraine"] and _names(ev.target) == ["Russia"]


def test_user_pattern_beats_the_shipped_lexicon(fast):
    text = "Germany criticised France over the deal."
    plain = [e for e in Pipeline("fast").annotate_text(text).events if e.trigger["text"] == "criticised"]
    assert plain and plain[0].cameo != "057" and plain[0].rule is None
    ev = _one(fast, text)
    assert (ev.cameo, ev.type, ev.rule) == ("057", _plover("057"), RULE["criticise"])  # not lexicon, not classifier


def test_own_code_is_kept_verbatim(fast):
    ev = _one(fast, "Germany condemned France over the deal.")
    assert ev.cameo == "XYZ9" and ev.rule == RULE["condemn"] and ev.type in PLOVER_TYPES


def test_tabari_stems_and_passive_pattern(tmp_path):
    path = tmp_path / "old.verbs"
    path.write_text(TABARI, encoding="utf-8")
    pipe = Pipeline("fast", verb_files=[str(path)])
    ev = _one(pipe, "Russia glorpified sanctions against Ukraine.")
    assert ev.cameo == "163" and ev.rule == "old.verbs:2" and _names(ev.target) == ["Ukraine"]
    ev = _one(pipe, "Ukraine was glorpified by Russia.")
    assert ev.cameo == "0874" and _names(ev.source) == ["Russia"] and _names(ev.target) == ["Ukraine"]


def test_no_rule_field_without_verbs():
    events = Pipeline("fast").annotate_text("Germany criticised France over the deal.").events
    assert events and all("rule" not in e.to_dict() for e in events)


def test_verb_files_reach_the_workers_through_the_pipeline_options(verb_file):
    from dateline.pipeline import pipeline_options, worker_pipeline

    pipe = worker_pipeline(pipeline_options("fast", verb_files=[str(verb_file)]))  # how ingest's workers get them
    assert pipe.verbs is not None and pipe.verbs.patterns == 7


# ---- the command line -----------------------------------------------------------------------------------------------

def test_extract_with_verbs(tmp_path, verb_file, capsys):
    story = tmp_path / "story.txt"
    story.write_text("date 2024-03-01 France zorbled against Germany on Friday.\n", encoding="utf-8")
    assert main(["extract", str(story), "--fast", "--verbs", str(verb_file)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any(r.get("rule") == RULE["prep"] and r["cameo"] == "112" for r in records)


def test_dictionary_import_reports_a_verb_dictionary(verb_file, capsys):
    assert main(["dictionary", "import", str(verb_file)]) == 0
    out = capsys.readouterr().out
    assert "3 verb families" in out and "7 patterns" in out and "outside CAMEO" in out and "XYZ9" in out


def test_dictionary_import_names_the_bad_line(tmp_path, capsys):
    path = tmp_path / "bad_verbs.txt"
    path.write_text("---  GLORP   [---]  ---\nGLORP\n- * SANCTIONS\n", encoding="utf-8")
    assert main(["dictionary", "import", "--kind", "verbs", str(path)]) == 2
    assert "bad_verbs.txt:3:" in capsys.readouterr().err


def test_ingest_with_verbs_stores_the_rules_code(tmp_path, verb_file):
    from dateline.store import Store

    story = tmp_path / "story.txt"
    story.write_text("date 2024-03-01 France zorbled against Germany on Friday.\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'v.db'}"
    assert main(["ingest", str(story), "--fast", "--verbs", str(verb_file), "--db", url]) == 0
    store = Store(url)
    try:
        frame = store.events()
    finally:
        store.close()
    assert "112" in set(frame["cameo"])  # the rule's code is stored; the rule itself is not (no schema change)
