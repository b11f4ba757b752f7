"""Event evaluation: gold loaders, token F1, YIELD scoring, classifier-only and pipeline runs."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED

from dateline.evaluation.events import (
    GoldSentence,
    Prediction,
    _score_file,
    evaluate,
    load_conflibert,
    load_gold,
    load_gsr,
    load_plv,
    report,
    token_f1,
)

GOLD = SHARED / "data" / "gold" / "events"


@pytest.fixture
def gold_files(tmp_path):
    plv = tmp_path / "plv.csv"
    plv.write_text(
        "text,label,meta,context,source,target\n"
        '"Rebels attacked an army base near the border, killing four soldiers.",ASSAULT,'
        "PLOVER event record.|PLV|split=train|sentence_id=1,,Rebels,army base\n"
        '"The army withdrew its troops from the disputed town.",YIELD,x|sentence_id=2,,army,\n', encoding="utf-8")
    gsr = tmp_path / "gsr.txt"
    gsr.write_text(json.dumps([
        {"id": "DOC", "event": "DOCUMENT", "eventText": "doc"},
        {"id": "G1", "event": "DEMAND", "text": "Protesters demanded the resignation of the prime minister.",
         "source": [{"actorText": "Protesters"}], "target": [{"actorText": "prime minister"}]},
        {"id": "G2", "event": "FIGHT", "text": "Government forces clashed with rebels in the north.",
         "source": [{"actorText": "Government forces"}], "target": ""},
    ]), encoding="utf-8")
    cb = tmp_path / "cb.tsv"
    cb.write_text("Troops fired on the crowd.\t4\nThe minister said the talks went well.\t0\n", encoding="utf-8")
    return plv, gsr, cb


def test_loaders(gold_files):
    plv, gsr, cb = gold_files
    rows = load_plv(plv)
    assert [r.label for r in rows] == ["ASSAULT", "YIELD"]
    assert rows[0].source == ["Rebels"] and rows[1].target == [] and rows[1].group == "plv:2"
    g = load_gsr(gsr)
    assert [r.label for r in g] == ["REQUEST", "ASSAULT"]  # old names mapped to v2.0, DOCUMENT skipped
    assert g[0].target == ["prime minister"] and g[1].target == []
    c = load_conflibert(cb)
    assert [r.quad for r in c] == [4, 0] and c[0].label is None
    assert [type(load_gold(p)[0]) for p in (plv, gsr, cb)] == [GoldSentence] * 3


def test_token_f1():
    assert token_f1(["The U.S. Supreme Court"], ["U.S. Supreme Court"]) == 1.0
    assert token_f1(["Kim Jong Un"], ["Kim"]) == pytest.approx(0.5)
    assert token_f1(["Russia"], []) == 0.0
    assert token_f1([], []) == 1.0


def test_yield_counts_as_concede_or_retreat_and_confusion():
    rows = [GoldSentence("a", "YIELD"), GoldSentence("b", "YIELD"), GoldSentence("c", "ASSAULT"),
            GoldSentence("d", "ASSAULT", source=["Rebel fighters"])]
    preds = [Prediction("RETREAT"), Prediction("CONCEDE"), Prediction("COERCE"), Prediction("ASSAULT", ["rebel"])]
    r = _score_file(rows, preds, with_roles=True)
    assert r["type"]["accuracy"] == 0.75
    assert r["type"]["confusion"]["ASSAULT"] == {"COERCE": 1, "ASSAULT": 1}
    assert r["type"]["f1"]["YIELD"] == 1.0
    assert r["source_token_f1"] == pytest.approx(2 / 3, abs=1e-3) and r["source_n"] == 1
    # where gold has CONCEDE/RETREAT (GSR), they are distinct
    r = _score_file([GoldSentence("a", "RETREAT")], [Prediction("CONCEDE")], with_roles=False)
    assert r["type"]["accuracy"] == 0.0


def test_missing_event_is_wrong():
    r = _score_file([GoldSentence("a", "AID")], [Prediction(None)], with_roles=False)
    assert r["type"]["accuracy"] == 0.0 and r["type"]["confusion"] == {"AID": {"NONE": 1}}


def test_evaluate_classifier_only(gold_files):
    result = evaluate([str(p) for p in gold_files], profile="fast", classifier_only=True)
    assert set(result["files"]) == {str(p) for p in gold_files}
    plv = result["files"][str(gold_files[0])]
    assert plv["type"]["n"] == 2 and 0.0 <= plv["type"]["accuracy"] <= 1.0
    assert "source_token_f1" not in plv
    cb = result["files"][str(gold_files[2])]
    assert cb["quad_class"]["n"] == 1  # class 0 (statements) not scored
    text = report(result)
    assert "type accuracy" in text and "QuadClass" in text


def test_evaluate_with_pipeline(gold_files):
    pytest.importorskip("dateline.pipeline")
    result = evaluate([str(gold_files[0])], profile="fast")
    r = result["files"][str(gold_files[0])]
    assert r["type"]["n"] == 2
    assert 0.0 <= r["source_token_f1"] <= 1.0 and r["source_n"] == 2
    assert "source token F1" in report(result)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared (gold events) not available")
def test_fast_classifier_on_plover_gsr_sample():
    result = evaluate([str(GOLD / "plover_gsr" / "PLOVER_GSR_CAMEO.txt")], profile="fast", classifier_only=True,
                      limit=60)
    t = result["files"][str(GOLD / "plover_gsr" / "PLOVER_GSR_CAMEO.txt")]["type"]
    assert t["n"] == 60 and t["accuracy"] > 0.5
