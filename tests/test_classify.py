"""Sentence-level PLOVER event-type classifier: both profiles, the YIELD split, caching and fallback."""

from __future__ import annotations

import shutil

import pytest

from dateline.events.classify import MODELS, EventClassifier, get_classifier, split_yield
from dateline.events.ontology import PLOVER_TYPES

HAS_ACCURATE = (MODELS / "event_minilm_int8.onnx").exists()
PROFILES = ["fast", pytest.param("accurate", marks=pytest.mark.skipif(not HAS_ACCURATE, reason="no ONNX model"))]

# Sentences written for this test (not from any training set), each with one unambiguous event type.
CLEAR = [
    ("Government troops shelled rebel positions outside the city, killing at least twenty fighters.", "ASSAULT"),
    ("Police arrested dozens of opposition activists and detained two journalists on Monday.", "COERCE"),
    ("Thousands of workers marched through the capital to demonstrate against the new pension law.", "PROTEST"),
    ("The foreign minister accused the neighbouring government of violating the border agreement.", "ACCUSE"),
    ("The European Union imposed new sanctions on the country's central bank and froze its assets.", None),
    ("The two presidents met in Geneva on Tuesday and held talks on trade.", "CONSULT"),
]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Israeli forces withdrew from the town on Friday.", "RETREAT"),
    ("The rebels released 12 hostages.", "RETREAT"),
    ("The army pulled its troops back from the border.", "RETREAT"),
    ("Both sides agreed to a ceasefire.", "RETREAT"),
    ("The government lifted the curfew in the capital.", "CONCEDE"),
    ("The court eased restrictions on the press.", "CONCEDE"),
])
def test_split_yield(sentence, expected):
    assert split_yield(sentence) == expected


@pytest.mark.parametrize("profile", PROFILES)
def test_predict_gives_a_distribution_over_16_types(profile):
    clf = get_classifier(profile)
    out = clf.predict([s for s, _ in CLEAR] + [""])
    assert len(out) == len(CLEAR) + 1
    for d in out:
        assert set(d) == set(PLOVER_TYPES)
        assert sum(d.values()) == pytest.approx(1.0, abs=1e-4)
        assert min(d.values()) >= 0.0
    assert d["CONCEDE"] == 0.0 or d["RETREAT"] == 0.0  # YIELD mass goes to one of them


@pytest.mark.parametrize("profile", PROFILES)
def test_a_model_with_a_none_class_says_how_likely_no_event_is(profile):
    """Models trained with news sentences that hold no event (NONE) give that probability apart; the 16 types
    still sum to 1, and an event sentence is less likely "none" than a market report."""
    clf = get_classifier(profile)
    if "NONE" not in clf.model.labels:
        pytest.skip(f"the {profile} model has no NONE class (trained on event sentences only)")
    (types, p_event), (_, p_market) = clf.predict_with_none(
        [CLEAR[0][0], "Shares of the company fell 1.1 percent in early trading on Tuesday."])
    assert sum(types.values()) == pytest.approx(1.0, abs=1e-4) and "NONE" not in types
    assert 0.0 <= p_event < p_market <= 1.0


@pytest.mark.parametrize("profile", PROFILES)
def test_clear_sentences_mostly_right(profile):
    clf = get_classifier(profile)
    top = clf.top([s for s, _ in CLEAR])
    right = sum(t == e for (t, _), (_, e) in zip(top, CLEAR, strict=True) if e)
    assert right >= 4, top
    assert top[0][0] == "ASSAULT"


@pytest.mark.parametrize("profile", PROFILES)
def test_batch_equals_one_by_one(profile):
    """Padding and batch composition barely move the probabilities."""
    clf = get_classifier(profile)
    texts = [s for s, _ in CLEAR]
    batch = clf.predict(texts)
    for text, row in zip(texts, batch, strict=True):
        single = clf.predict([text])[0]
        for t in PLOVER_TYPES:
            assert single[t] == pytest.approx(row[t], abs=1e-4)


def test_get_classifier_is_cached_and_profiles_are_checked():
    assert get_classifier("fast") is get_classifier("fast")
    assert get_classifier("fast").profile == "fast"
    assert get_classifier("fast").predict([]) == []
    with pytest.raises(ValueError):
        EventClassifier("huge")


def test_accurate_falls_back_to_fast_when_model_missing(tmp_path):
    shutil.copy(MODELS / "event_tfidf.npz", tmp_path / "event_tfidf.npz")
    with pytest.warns(RuntimeWarning):
        clf = EventClassifier("accurate", models_dir=tmp_path)
    assert clf.profile == "fast"
    assert clf.top(["Soldiers opened fire on protesters."])[0][0] in PLOVER_TYPES
