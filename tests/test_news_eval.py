"""The whole-story measures (``dateline eval news``) on a small hand-made folder, and the event gate's contract."""

from __future__ import annotations

import json

import pytest

from dateline.evaluation import news
from dateline.events.gate import Gate


def _folder(tmp_path):
    text = "Kim met Putin in Vostochny. The weather was fine. Rebels attacked the town."
    stories = [{"id": "c|1", "published": "2023-09-13", "title": "t", "text": text}]
    ann = [
        {"sid": "c|1|0|27", "codable": True, "events": [
            {"type": "CONSULT", "source": "Kim", "source_resolved": None, "target": "Putin", "target_resolved": None,
             "status": "asserted", "date": "2023-09-13"}]},
        {"sid": "c|1|28|49", "codable": False, "events": []},
        {"sid": "c|1|50|75", "codable": True, "events": [
            {"type": "ASSAULT", "source": "Rebels", "source_resolved": None, "target": "the town",
             "target_resolved": None, "status": "asserted", "date": "2023-09-13"}]},
    ]
    (tmp_path / "stories.jsonl").write_text("\n".join(json.dumps(s) for s in stories))
    (tmp_path / "annotations.jsonl").write_text("\n".join(json.dumps(a) for a in ann))
    return news.load_news(tmp_path), text


def _ev(text, trigger, etype, source, target, status="asserted", conf=0.9):
    start = text.index(trigger)
    def side(w):
        return ([{"text": w, "start": text.index(w), "end": text.index(w) + len(w)}] if w else [])
    return {"type": etype, "trigger": {"text": trigger, "start": start, "end": start + len(trigger)},
            "source": side(source), "target": side(target), "status": status, "date": "2023-09-13",
            "confidence": conf}


def test_score_precision_recall_and_confusion(tmp_path):
    gold, text = _folder(tmp_path)
    events = {"c|1": [
        _ev(text, "met", "CONSULT", "Kim", "Putin"),               # right in type and sides
        _ev(text, "was", "AID", "weather", None, conf=0.3),         # a non-event
        _ev(text, "attacked", "COERCE", "Rebels", "town"),          # event sentence, wrong type
        _ev(text, "attacked", "ASSAULT", "town", None, status="future"),  # not asserted: not in precision
    ]}
    r = news.score(gold, events)["all"]
    assert r["asserted"] == 3
    assert r["precision"] == {"in_event_sentence": round(2 / 3, 3), "type": round(1 / 3, 3),
                              "type_and_sides": round(1 / 3, 3)}
    assert r["recall"] == 0.5  # CONSULT found; ASSAULT only as a future event
    assert r["confusion"]["AID"] == {"none": 1} and r["confusion"]["COERCE"] == {"ASSAULT": 1}
    assert r["status_accuracy"] == 0.5  # the matched CONSULT is right, the future ASSAULT is not
    assert r["confidence_bands"]["0.0-0.5"] == {"n": 1, "type_right": 0.0}


def test_mutual_event_may_list_both_sides(tmp_path):
    gold = {"type": "CONSULT", "source": "Kim and Putin", "target": None}
    ev = {"source": [{"text": "Kim"}], "target": [{"text": "Putin"}]}
    assert news.sides_match(gold, ev)
    assert not news.sides_match({"type": "CONSULT", "source": "Xi", "target": None}, ev)


def test_a_thing_as_target_is_not_a_mutual_side():
    """A gold event with no target is not matched by a record that adds a thing as target ("denied the charges")."""
    gold = {"type": "REJECT", "source": "Pakistan", "target": None}
    assert not news.sides_match(gold, {"source": [{"text": "Pakistan"}], "target": [{"text": "charges"}]})
    assert news.sides_match(gold, {"source": [{"text": "Pakistan"}], "target": []})
    implicit = {"type": "AGREE", "source": "the president", "target": None, "target_resolved": "George W. Bush"}
    assert not news.sides_match(implicit, {"source": [{"text": "the president"}], "target": [{"text": "invitation"}]})


def test_load_news_names_a_bad_line(tmp_path):
    (tmp_path / "stories.jsonl").write_text("{}\n")
    (tmp_path / "annotations.jsonl").write_text('{"sid": "a|1|0|3"}\nnot json\n')
    with pytest.raises(ValueError, match=r"annotations.jsonl:2"):
        news.load_news(tmp_path)


def test_gate_probability_is_a_logistic_of_hashed_features():
    import numpy as np

    from dateline.events.gate import N_FEATURES, hash_features

    coef = np.zeros(N_FEATURES)
    col = hash_features([{"type=ASSAULT": 1.0}]).indices[0]
    coef[col] = 2.0
    g = Gate(coef, -1.0, 0.5)
    p_assault, p_other = g.probability([{"type=ASSAULT": 1.0}, {"type=AID": 1.0}])
    assert p_assault == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert p_other == pytest.approx(1 / (1 + np.exp(1.0)))
    assert g.probability([]) == []


def test_gate_keeps_pattern_records_down_to_their_own_floor(tmp_path):
    import numpy as np

    from dateline.events.gate import N_FEATURES

    g = Gate(np.zeros(N_FEATURES), 0.0, 0.5, pattern_minimum=0.05)
    assert g.keeps(0.5, {}) and not g.keeps(0.49, {})
    assert g.keeps(0.06, {"pattern=True": 1.0}) and not g.keeps(0.04, {"pattern=True": 1.0})
    path = tmp_path / "gate.npz"
    g.save(path)
    with np.load(path) as z:
        assert float(z["pattern_minimum"][0]) == pytest.approx(0.05)
