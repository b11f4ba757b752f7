"""Event candidates from the dependency parse: arguments, voice, coordination, status, nominal events."""

from __future__ import annotations

import pytest

from dateline import nlp
from dateline.events.extract import find_candidates
from dateline.events.lexicon import get_lexicon
from dateline.model import ActorMention

ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def _cands(text: str):
    doc = nlp.parse(text)
    mentions = [ActorMention(e.text, e.start_char, e.end_char, name=e.text) for e in doc.ents
                if e.label_ in ACTOR_LABELS]
    out = []
    for c in find_candidates(doc, mentions, get_lexicon()):
        out.append((c.trigger.lemma_.lower(), c.cameo, [mentions[k].text for k in c.source],
                    [mentions[k].text for k in c.target], c.status))
    return out


def _sides_with(text: str, names: tuple[str, ...], lemma: str) -> tuple[list[str], list[str]]:
    """(source, target) texts of the ``lemma`` candidate when exactly ``names`` are the sentence's actor mentions."""
    doc = nlp.parse(text)
    mentions = [ActorMention(w, text.index(w), text.index(w) + len(w), name=w) for w in names]
    cand = next(c for c in find_candidates(doc, mentions, get_lexicon()) if c.trigger.lemma_ == lemma)
    return [mentions[k].text for k in cand.source], [mentions[k].text for k in cand.target]


def _find(cands, lemma):
    hits = [c for c in cands if c[0] == lemma]
    assert hits, f"no candidate for {lemma!r} in {cands}"
    return hits[0]


def test_coordinated_subject_of_symmetric_event_gives_both_sides():
    _, code, src, tgt, status = _find(_cands("Joe Biden and Xi Jinping met in Bali on Monday."), "meet")
    assert code.startswith("04") and src == ["Joe Biden"] and tgt == ["Xi Jinping"] and status == "asserted"


def test_active_and_passive_voice():
    _, _, src, tgt, _ = _find(_cands("Israel attacked Hamas positions in Gaza."), "attack")
    assert src == ["Israel"]
    _, _, src, tgt, _ = _find(_cands("Hamas was attacked by Israel."), "attack")
    assert src == ["Israel"] and tgt == ["Hamas"]


def test_negated_future_hypothetical():
    assert _find(_cands("Russia did not attack Ukraine."), "attack")[4] == "negated"
    assert _find(_cands("Emmanuel Macron will meet Olaf Scholz in Berlin."), "meet")[4] == "future"
    _, code, src, tgt, status = _find(_cands("China could impose sanctions on Japan."), "impose")
    assert code.startswith("16") and src == ["China"] and tgt == ["Japan"] and status == "hypothetical"
    c = _find(_cands("The United States warned Iran against supplying weapons to Russia."), "supply")
    assert c[4] == "hypothetical"


def test_threat_target_and_relative_clause_subject():
    _, code, src, tgt, _ = _find(_cands("The United States has repeatedly warned Iran against provocations."), "warn")
    assert code.startswith("13") and src == ["The United States"] and tgt == ["Iran"]
    _, code, src, tgt, _ = _find(_cands("Antony Blinken, who visited China in June, will travel again."), "visit")
    assert src == ["Antony Blinken"] and tgt == ["China"] and code.startswith("04")


@pytest.mark.parametrize("text,lemma", [("Russia's attack on Ukraine drew condemnation.", "attack"),
                                        ("Sanctions against Iran by France began.", "sanction")])
def test_nominal_events(text, lemma):
    cands = _cands(text)
    assert any(c[0] == lemma and c[2] for c in cands), cands


def test_reporting_verbs_are_not_events():
    cands = _cands("Vladimir Putin said on Tuesday that Russia needs peace.")
    assert all(c[0] not in ("say", "need") for c in cands)


def test_reported_must_clause_names_the_demanding_speaker():
    text = "Russia says Israel must end its attacks on Syria."
    doc = nlp.parse(text)
    mentions = [ActorMention(e.text, e.start_char, e.end_char, name=e.text) for e in doc.ents
                if e.label_ in ACTOR_LABELS]
    end = next(c for c in find_candidates(doc, mentions, get_lexicon()) if c.trigger.lemma_ == "end")
    assert [mentions[k].text for k in end.source] == ["Israel"]
    assert [mentions[k].text for k in end.demanded_by] == ["Russia"]
    # no modal of obligation: a plain report names no one who demands
    doc = nlp.parse("Russia says Israel ended its attacks on Syria.")
    mentions = [ActorMention(e.text, e.start_char, e.end_char, name=e.text) for e in doc.ents
                if e.label_ in ACTOR_LABELS]
    assert all(not c.demanded_by for c in find_candidates(doc, mentions, get_lexicon()))


def test_clause_complement_subject_is_the_target():
    _, _, src, tgt, _ = _find(_cands("Ethiopia said it would allow the World Food Programme to deliver food."), "allow")
    assert src == ["Ethiopia"] and tgt == ["the World Food Programme"]


def test_pronoun_subject_of_a_reported_clause_is_the_speaker():
    text = "Rebel fighters in Deraa said they will lay down their weapons."
    doc = nlp.parse(text)
    mentions = [ActorMention("Rebel fighters", 0, 14, name="rebel fighters"),
                ActorMention("they", text.index("they"), text.index("they") + 4, kind="pronoun")]
    lay = next(c for c in find_candidates(doc, mentions, get_lexicon()) if c.trigger.lemma_ == "lay")
    assert [mentions[k].text for k in lay.source] == ["Rebel fighters"]


def test_transfer_verb_targets_where_things_go():
    src, tgt = _sides_with("Kenya withdrew 200 peacekeepers from Somalia last year.",
                           ("Kenya", "200 peacekeepers", "Somalia"), "withdraw")
    # the peacekeepers are what moves; Somalia is whom the withdrawal concerns
    assert src == ["Kenya"]
    assert tgt == ["Somalia"]


def test_things_are_not_sides():
    """A thing, weapon, amount or abstract noun is never an event's side; a person or group noun is (issue 16)."""
    from dateline.events.extract import actor_head

    doc = nlp.parse("Pakistan denied the charges. Police seized drugs and weapons. The committee welcomed asylum seekers.")
    heads = {t.lower_: actor_head(t) for t in doc if t.pos_ in ("NOUN", "PROPN")}
    assert heads["pakistan"] and heads["police"] and heads["committee"] and heads["seekers"]
    assert not heads["charges"] and not heads["drugs"] and not heads["weapons"]
    doc = nlp.parse("Officials denied the charges and seized weapons.")
    cands = find_candidates(doc, [], get_lexicon())
    assert cands and all(not c.loose_target for c in cands)


def test_a_things_phrase_gives_the_actor_inside_it():
    """"a request from the prime minister": the side is the prime minister, not the request; a bare thing is none."""
    from dateline.events.extract import _phrase

    doc = nlp.parse("Officials rejected a request from the prime minister.")
    m = _phrase(next(t for t in doc if t.lower_ == "request"), named=False)
    assert m is not None and m.text == "prime minister"
    doc = nlp.parse("Officials rejected the report.")
    assert _phrase(next(t for t in doc if t.lower_ == "report"), named=False) is None


def test_a_main_trigger_whose_own_words_are_of_its_type_keeps_it():
    """The sentence's type retypes its main trigger unless the trigger's own words are of the trigger's type."""
    from dateline.events.code import code_sentence

    text = "During Shoigu's trip to Pyongyang, he saw missiles able to strike the United States."
    doc = nlp.parse(text)
    mentions = [ActorMention(e.text, e.start_char, e.end_char, name=e.text) for e in doc.ents
                if e.label_ in ACTOR_LABELS]
    cands = [c for c in find_candidates(doc, mentions, get_lexicon()) if c.trigger.lemma_ == "trip"]
    assert cands
    probs = {"ASSAULT": 0.9, "CONSULT": 0.1}  # what a sentence classifier says of the whole sentence
    retyped = code_sentence(cands, probs)
    assert [c.fields["type"] for c in retyped if c.cand.trigger.lemma_ == "trip"] == ["ASSAULT"]
    seen: list[str] = []
    kept = code_sentence(cands, probs, words_type=lambda c: seen.append(c.trigger.text) or "CONSULT")
    assert seen == ["trip"]
    assert [c.fields["type"] for c in kept if c.cand.trigger.lemma_ == "trip"] == ["CONSULT"]
    other = code_sentence(cands, probs, words_type=lambda c: "AID")  # own words of a third type: the sentence's
    assert [c.fields["type"] for c in other if c.cand.trigger.lemma_ == "trip"] == ["ASSAULT"]


def test_of_names_who_acts_for_a_visit_but_whom_for_an_invasion():
    _, _, src, tgt, _ = _find(_cands("The arrests followed the visit of Lal Krishna Advani."), "visit")
    assert src == ["Lal Krishna Advani"] and tgt == []
    _, _, src, tgt, _ = _find(_cands("The invasion of Ukraine by Russia began in February."), "invasion")
    assert src == ["Russia"] and tgt == ["Ukraine"]


def test_a_trigger_whose_sides_resolve_to_no_actor_is_still_a_candidate():
    doc = nlp.parse("Three managers responsible for the blast have been arrested.")
    cands = [c for c in find_candidates(doc, [], get_lexicon()) if c.trigger.lemma_ == "arrest"]
    assert cands and not cands[0].source and not cands[0].target
    assert [m.text.startswith("Three managers") for m in cands[0].loose_target] == [True]


def test_a_gerund_under_a_passive_verb_is_done_by_its_subject():
    _, _, src, tgt, _ = _find(_cands("Khalid Awan was convicted for providing money to the Khalistan Commando Force."),
                              "provide")
    assert src == ["Khalid Awan"]


def test_coordinated_verbs_share_their_object():
    _, _, src, tgt, _ = _find(_cands("Al-Shabab has been attacking and fighting Kenya since 2011."), "attack")
    assert src == ["Al-Shabab"] and tgt == ["Kenya"]


def test_a_nominal_event_in_a_circumstance_takes_its_clause_subject():
    """"hopes to resolve the pause during talks with X": whoever resolves holds the talks."""
    src, tgt = _sides_with("Marco Rubio said the United States hopes to resolve the pause during talks with Ukraine.",
                           ("Marco Rubio", "the United States", "Ukraine"), "talk")
    assert src == ["the United States"]
    assert tgt == ["Ukraine"]
