"""The parts of an event record: its sides (actor dicts with their argument phrases), its stable id."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from spacy.tokens import Doc, Token

from dateline.events.phrase import argument_phrase
from dateline.lang import SIDE_PRONOUNS
from dateline.model import ActorMention, Place
from dateline.when.vocab import WEEKDAYS


def event_id(doc_id: str, start: int, ptype: str, source: Sequence[dict], target: Sequence[dict]) -> str:
    """Stable id: the same document, trigger, type and actors give the same id on every run."""
    key = "|".join([doc_id, str(start), ptype, ",".join(str(a.get("id") or a.get("text")) for a in source),
                    ",".join(str(a.get("id") or a.get("text")) for a in target)])
    return "e-" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _known(m: ActorMention) -> bool:
    """An actor worth recording: resolved to something, a name, or a personal pronoun ("they": the sentence's own
    word for someone, kept when coreference finds no antecedent); an unlinked "its" is not."""
    return bool(m.country or m.sector or m.id or (m.name and m.kind not in ("pronoun", "coref"))
                or (m.kind == "pronoun" and m.text.lower() in SIDE_PRONOUNS))


def _key(a: dict) -> str:
    return str(a.get("id") or a.get("name") or a.get("text")).lower()


def event_sides(mentions: Sequence[ActorMention], source: Sequence[int], target: Sequence[int]
                ) -> tuple[list[dict], list[dict]]:
    """Actor dicts of both sides: unresolved mentions dropped, an actor never its own target, no repeats."""
    src = list({_key(d): d for d in (mentions[k].to_dict() for k in source if _known(mentions[k]))}.values())
    seen = {_key(a) for a in src}
    tgt = list({_key(d): d for d in (mentions[k].to_dict() for k in target if _known(mentions[k]))
                if _key(d) not in seen}.values())
    return src, tgt


def _tokens_of(doc: Doc, side: Sequence[dict]) -> set[int]:
    out: set[int] = set()
    for a in side:
        span = doc.char_span(a["start"], a["end"], alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def with_phrases(doc: Doc, side: list[dict], other: list[dict], trigger: Token,
                 is_event: Callable[[Token], bool] = lambda t: False) -> list[dict]:
    """Each actor of a side with its argument phrase ("Germany" in "Germany's largest bank") when that is larger."""
    avoid = _tokens_of(doc, other) | {trigger.i}
    out = []
    for a in side:
        phrase = argument_phrase(doc, a["start"], a["end"], trigger, avoid, is_event)
        out.append({**a, "phrase": phrase} if phrase else a)
    return out


# syntactic roles in which a capital stands for its government ("Moscow warned Kyiv", "a Washington visit")
METONYMY_DEPS = {"nsubj", "nsubjpass", "dobj", "dative", "poss", "compound"}
# "NATO", "Israeli": a name the gazetteer also knows as a place is still who (a person's name is a place only where
# the where stage read it as one: after a locative word, or as the object of "visited")
ACTOR_ENTS = {"ORG", "NORP"}


def _place_only(doc: Doc, actor: dict, places: Sequence[Place]) -> bool:
    """Whether a side names only a place below a country ("its assault on Raqqa", "gathered in Paris"): its head word
    lies in a place the where stage found. A place is where, not who; a capital that is the subject, object or
    possessor of its clause, or where someone goes ("a visit to Ankara"), stands for its government."""
    span = doc.char_span(actor["start"], actor["end"], alignment_mode="expand")
    if span is None or not len(span):
        return False
    if len(span) > 1 and span[-1].lower_ in WEEKDAYS:
        span = span[:-1]  # "traveled to Edmonton Saturday", tagged as one organisation
    elif span.root.ent_type_ in ACTOR_ENTS:
        return False
    head = span.root
    place = next((p for p in places if p.start <= head.idx < p.end), None)
    if place is None or (place.feature or "").startswith("A.PCL"):
        return False
    host = head.dep_ == "pobj" and head.head.lower_ == "to"  # "a visit to Ankara": the host government
    return place.feature != "P.PPLC" or not (head.dep_ in METONYMY_DEPS or host)


def without_places(doc: Doc, side: list[dict], places: Sequence[Place]) -> list[dict]:
    """A side without the entries that only name a place (:func:`_place_only`)."""
    return [a for a in side if not _place_only(doc, a, places)]


def place_country(actor: dict, places: Sequence[Place]) -> dict:
    """An unresolved side that names a place ("eastern Ukraine") takes that place's country."""
    for p in places:
        if actor["start"] <= p.start < actor["end"] and p.country:
            return {**actor, "country": p.country}
    return actor


def one_per_happening(events: Sequence[Any]) -> list[Any]:
    """One record per happening: of the records of one sentence with the same type, status and sides ("has been
    attacking and fighting Kenyan troops"), the most confident stands for them; order is kept."""
    best: dict[tuple, Any] = {}
    for ev in events:
        key = (ev.sentence_index, ev.type, ev.status, tuple(sorted(_key(a) for a in ev.source)),
               tuple(sorted(_key(a) for a in ev.target)))
        if key not in best or ev.confidence > best[key].confidence:
            best[key] = ev
    kept = {id(ev) for ev in best.values()}
    return [ev for ev in events if id(ev) in kept]
