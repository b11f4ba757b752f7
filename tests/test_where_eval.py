"""The toponym evaluation: scoring rules on small hand-made gold, and the readers on the shared gold."""

from __future__ import annotations

import pytest
from conftest import SHARED

from dateline.evaluation.places import GoldDoc, GoldToponym, _reanchor, read_gold, report, score_doc
from dateline.model import Place

GEO = SHARED / "data" / "gold" / "geo"


def test_score_doc_counts() -> None:
    text = "Talks in Paris and Lyon; Russian troops."
    gold = GoldDoc("g", text, [GoldToponym("Paris", 9, 14, 48.85, 2.35), GoldToponym("Lyon", 19, 23, 45.75, 4.85),
                               GoldToponym("Russian", 25, 32, 60.0, 100.0)])
    pred = [Place("Paris", 9, 14, lat=48.86, lon=2.35), Place("Lyon", 19, 23, lat=33.0, lon=-97.0),
            Place("Talks", 0, 5, lat=1.0, lon=1.0)]
    c = score_doc(gold, pred)
    assert c["gold"] == 2  # the demonym is left out
    assert c["detected"] == 2 and c["correct"] == 1
    assert c["pred"] == 3 and c["tp_pred"] == 2
    assert score_doc(gold, pred, include_demonyms=True)["gold"] == 3


def test_reanchor_shifted_span() -> None:
    text = "xx Ankara, the Turkish capital"
    t = _reanchor(text, GoldToponym("Ankara", 2, 8, 39.9, 32.8))
    assert (t.start, t.end) == (3, 9)


def test_report_formats() -> None:
    fig = {"docs": 1, "gold": 2, "recall": 1.0, "precision": 0.5, "accuracy_161km": 0.5, "strict_161km": 0.5}
    text = report({"files": {"x.xml": fig}, "all": fig, "km": 161.0})
    assert "x.xml" in text and "ALL" in text


@pytest.mark.skipif(not GEO.exists(), reason="../shared/data/gold/geo is absent")
@pytest.mark.parametrize("name", ["GWN.xml", "TR-News.xml", "GeoVirus.xml"])
def test_read_gold_formats(name: str) -> None:
    docs = list(read_gold(GEO / name))
    assert len(docs) > 100
    tops = [t for d in docs for t in d.toponyms if t.lat is not None]
    assert len(tops) > 1000
    anchored = sum(d.text[t.start:t.end] == t.phrase for d in docs for t in d.toponyms if t.lat is not None)
    assert anchored / len(tops) > 0.97
