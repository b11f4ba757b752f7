"""Argument phrases of event sides, speakers who demand, and classifier-typed mutual events."""

from __future__ import annotations

import pytest

from dateline import nlp
from dateline.evaluation.events import side_texts
from dateline.events.phrase import argument_phrase
from dateline.pipeline import Pipeline


def _phrase(text: str, mention: str, trigger: str, avoid_words: tuple[str, ...] = ()) -> str | None:
    doc = nlp.parse(text)
    start = text.index(mention)
    trig = next(t for t in doc if t.text == trigger)
    avoid = {t.i for t in doc if t.text in avoid_words}
    return argument_phrase(doc, start, start + len(mention), trig, avoid)


@pytest.mark.parametrize("text, mention, trigger, expected", [
    ("The court fined Germany's largest bank for fraud.", "Germany", "fined", "Germany's largest bank"),
    ("Police arrested the son of former Prime Minister Vladimir Filat.", "Vladimir Filat", "arrested",
     "son of former Prime Minister Vladimir Filat"),
    ("Police dispersed protesters in southern Nepal.", "protesters", "dispersed", "protesters in southern Nepal"),
    # a negative determiner stays: the phrase must not say the opposite of the sentence
    ("Police arrested no constitutional experts of the council.", "no constitutional experts", "arrested",
     "no constitutional experts of the council"),
])
def test_phrase_grows_to_the_noun_phrase(text, mention, trigger, expected):
    assert _phrase(text, mention, trigger) == expected


@pytest.mark.parametrize("text, mention, trigger", [
    # an act of its own: the mention is that act's argument, not the whole phrase
    ("France condemned Germany's decision to close the border.", "Germany", "condemned"),
    # a time is not part of the argument
    ("Israeli troops raided Jenin on Sunday.", "Jenin", "raided"),
    # an aside (apposition) is not either
    ("Police arrested Gul Rahman, a suspected militant, in Kabul.", "Gul Rahman", "arrested"),
    # an amount is not the actor inside it
    ("China gave 9.9 million US dollars to Nepal.", "US", "gave"),
    # the mention itself less its article adds nothing
    ("The court fined the local government.", "the local government", "fined"),
])
def test_phrase_stays_at_the_mention(text, mention, trigger):
    assert _phrase(text, mention, trigger) is None


def test_phrase_never_swallows_the_other_side_or_the_trigger():
    # "Trump and Putin met": Trump's phrase must not hold Putin, who is the other side
    assert _phrase("Trump and Putin met in Helsinki.", "Trump", "met", ("Putin",)) is None
    # "Russia's attack on Kyiv": the trigger noun is not part of Russia's phrase
    assert _phrase("Russia's attack on Kyiv killed five.", "Russia", "attack") is None


def test_coordination_is_one_phrase_counted_once():
    text = "Police detained Syrians, Iraqis and Afghans at the border."
    assert _phrase(text, "Iraqis", "detained") == "Syrians, Iraqis and Afghans"
    side = [{"text": "Syrians", "phrase": "Syrians, Iraqis and Afghans"},
            {"text": "Iraqis", "phrase": "Syrians, Iraqis and Afghans"}, {"text": "Ankara"}]
    assert side_texts(side) == ["Syrians, Iraqis and Afghans", "Ankara"]


@pytest.fixture(scope="module")
def fast() -> Pipeline:
    return Pipeline("fast")


def _names(side: list[dict]) -> list[str]:
    return [a.get("name") or a["text"] for a in side]


def test_reported_demand_is_the_speakers_request(fast):
    events = fast.annotate_text("Russia says Israel must end its attacks on Syria.").events
    requests = [e for e in events if e.type == "REQUEST"]
    if not requests:
        pytest.skip(f"the fast classifier did not type this sentence as REQUEST ({[e.type for e in events]})")
    top = requests[0]
    assert "Russia" in " ".join(_names(top.source)) and "Israel" in " ".join(_names(top.target))


def test_event_sides_carry_the_phrase(fast):
    ann = fast.annotate_text("Israeli jets bombed Hamas training camps in Gaza on Sunday.")
    sides = [a for e in ann.events for a in e.target if a.get("phrase")]
    assert sides, [(e.type, e.target) for e in ann.events]
    assert all(a["text"] in a["phrase"] for a in sides)


def test_an_unresolved_personal_pronoun_is_still_a_side(fast):
    """The sentence's own word for someone is kept when nothing earlier says who ("They called on China")."""
    ann = fast.annotate_text("They attacked a police station in Kabul on Monday.")
    sides = [([a["text"] for a in e.source], e.type) for e in ann.events]
    assert (["They"], "ASSAULT") in sides, [(e.type, e.source, e.target) for e in ann.events]
    its = fast.annotate_text("Its forces attacked the town of Kobani on Monday.")
    assert all(a["text"].lower() != "its" for e in its.events for a in (*e.source, *e.target))
