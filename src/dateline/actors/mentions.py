"""Find actor mentions in a parsed document: noun phrases whose head is a dictionary actor, a country, a role
noun, a named person/organisation or a personal pronoun; possessors and names inside other noun phrases."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from dateline.actors.dictionary import Dictionary, norm_token
from dateline.actors.patterns import HYPHENS, Atom, Resolution, as_country, match_atoms, resolve_atoms
from dateline.datelines import dateline_end
from dateline.lang import ORG_PRONOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS
from dateline.model import ActorMention

NAME_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
ORG_LEMMAS = {
    "government", "ministry", "army", "military", "navy", "police", "agency", "media", "council", "committee",
    "parliament", "court", "administration", "regime", "cabinet", "force", "delegation", "party", "office",
    "department", "house", "guard", "band", "company", "bank", "state", "authority", "service", "group", "union",
    "organization", "organisation", "assembly", "coalition", "alliance", "movement", "board", "commission",
}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
MODIFIER_DEPS = {"amod", "compound", "nmod"}
LOCATIVE_PREPS = {"of", "in", "from"}
# Verbs whose "by"/"with" object belongs to the party of their subject ("accompanied by Foreign Minister X").
ENTOURAGE_VERBS = {"accompany", "join", "flank", "escort", "attend", "assist", "lead", "head"}


@dataclass
class Cand:
    """A mention with what coreference needs to know about it."""

    mention: ActorMention
    sent: int
    person: bool = False
    plural: bool = False
    definite: bool = False
    subject: bool = False
    name_words: tuple[str, ...] = ()
    count: int = 0  # "the two men" → 2
    extra: dict = field(default_factory=dict)


def sentence_atoms(doc: Doc, sent: Span, d: Dictionary, ents: list[Span] | None = None) -> list[Atom]:
    """Dictionary atoms of one sentence, in token indexes of the document (``ents``: the sentence's entities)."""
    norms: list[str] = []
    index: list[int] = []
    for tok in sent:
        if tok.lower_ in ("'s", "’s"):
            continue
        if tok.text in HYPHENS and not tok.whitespace_ and tok.i > 0 and not doc[tok.i - 1].whitespace_:
            continue  # a hyphen inside a word: dictionary keys drop it ("Lai Ching-te", "Kassym-Jomart Tokayev")
        n = norm_token(tok.text)
        if n:
            for part in n.split():
                norms.append(part)
                index.append(tok.i)
    caps = [doc[i].text[:1].isupper() or doc[i].text[:1].isdigit() for i in index]
    upper = [doc[i].text.replace(".", "").isupper() for i in index]
    atoms = [Atom(index[a.start], index[a.end - 1] + 1, a.kind, a.value) for a in match_atoms(norms, caps, d, upper)]
    people = [e for e in (sent.ents if ents is None else ents) if e.label_ == "PERSON"]
    # a dictionary word inside a person's name ("Un" of "Kim Jong Un") is not that actor
    return [a for a in atoms if not any(e.start < a.start < e.end and a.end <= e.end for e in people)]


def candidate_spans(doc: Doc, sent: Span, atoms: list[Atom], chunks: list[tuple[int, int]],
                    ents: list[Span]) -> list[tuple[int, int]]:
    """Noun chunks extended over dictionary phrases that cross them ("Joint Chiefs of Staff"), plus entities and
    dictionary actors outside any chunk; overlapping spans merged."""
    spans = list(chunks)
    spans += [(e.start, e.end) for e in ents if e.label_ in NAME_ENTS]
    spans += [(a.start, a.end) for a in atoms if a.kind != "agent"]
    spans = sorted(extend_left(doc, sent.start, s, e) for s, e in spans)
    merged: list[list[int]] = []
    for s, e in spans:
        for a in atoms:  # extend over a phrase that starts inside and ends outside
            if s <= a.start < e < a.end:
                e = a.end
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


LEFT_DEPS = {"compound", "amod", "nmod", "poss", "det", "nummod", "case", "quantmod", "npadvmod"}


def extend_left(doc: Doc, floor: int, s: int, e: int) -> tuple[int, int]:
    """Take in titles and nationalities the parser attached to the span ("North Korean leader" + "Kim Jong Un")."""
    while s > floor and doc[s - 1].dep_ in LEFT_DEPS and s <= doc[s - 1].head.i < e and not doc[s - 1].is_punct:
        s -= 1
    return s, e


def span_root(doc: Doc, s: int, e: int) -> int:
    """The token of ``[s, e)`` whose head lies outside the span (the last such one)."""
    root = e - 1
    for i in range(s, e):
        h = doc[i].head.i
        if h < s or h >= e or h == i:
            root = i
    return root


def trim(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Drop trailing possessive markers and punctuation, leading punctuation."""
    while e > s and (doc[e - 1].lower_ in ("'s", "’s", "'", "’") or doc[e - 1].is_punct):
        e -= 1
    while s < e and doc[s].is_punct:
        s += 1
    return s, e


class MentionFinder:
    """Finds and resolves mentions; coreference is left to :mod:`dateline.actors.coref`."""

    def __init__(self, d: Dictionary):
        self.d = d
        self._ents: list[Span] = []
        self._text = ""

    def find(self, doc: Doc, published: dt.date | None) -> list[Cand]:
        cands: list[Cand] = []
        self._text = doc.text  # Doc.text joins every token: build it once
        chunks: dict[int, list[tuple[int, int]]] = {}
        sents = list(doc.sents)
        # Doc.ents walks the whole document on every call (so does Span.ents): collect them once
        by_sent: dict[int, list[Span]] = {}
        starts = [s.start for s in sents]
        for e in doc.ents:
            by_sent.setdefault(starts[bisect.bisect_right(starts, e.start) - 1], []).append(e)
        if doc.has_annotation("DEP"):
            for c in doc.noun_chunks:
                chunks.setdefault(doc[c.start].sent.start, []).append((c.start, c.end))
        filed_at = dateline_end(self._text[:200])  # "ALGIERS, Algeria - Police …": the dateline is no actor
        for si, sent in enumerate(sents):
            self._ents = by_sent.get(sent.start, [])
            atoms = sentence_atoms(doc, sent, self.d, self._ents)
            for s, e in candidate_spans(doc, sent, atoms, chunks.get(sent.start, []), self._ents):
                while s < e and doc[s].idx < filed_at:
                    s += 1
                if s >= e:
                    continue
                for cs, ce in self.actor_spans(doc, s, e, atoms):
                    cand = self.make(doc, cs, ce, si, atoms, published)
                    if cand is not None:
                        cands.append(cand)
        cands.sort(key=lambda c: c.mention.start)
        return cands

    def is_actor_head(self, doc: Doc, root: int, atoms: list[Atom]) -> bool:
        tok = doc[root]
        if tok.lower_ in PERSON_PRONOUNS or tok.lower_ in PLURAL_PRONOUNS or tok.lower_ in ORG_PRONOUNS:
            return True
        if tok.ent_type_ in NAME_ENTS and not (tok.ent_type_ == "NORP" and tok.dep_ == "amod"):
            return tok.dep_ not in ("amod",) or tok.pos_ == "PROPN"
        return any(a.start <= root < a.end for a in atoms)

    def actor_spans(self, doc: Doc, s: int, e: int, atoms: list[Atom]) -> list[tuple[int, int]]:
        """The span itself when its head is an actor, else the possessors and names inside it."""
        root = span_root(doc, s, e)
        if self.is_actor_head(doc, root, atoms) or (doc[root].pos_ == "PROPN" and (
                any(t.ent_type_ == "PERSON" for t in doc[s:e])
                # a name after its role, whatever the tagger made of it ("ministry spokesperson Randhir Jaiswal")
                or any(a.kind == "agent" and s <= a.start and a.end <= root for a in atoms))):
            ts, te = trim(doc, s, e)
            return [(ts, te)] if te > ts else []
        out: list[tuple[int, int]] = []
        taken: set[int] = set()
        for i in range(s, e):
            tok = doc[i]
            if tok.dep_ == "poss" and i not in taken:
                left = max(s, tok.left_edge.i)
                ts, te = trim(doc, left, i + 1)
                sub_root = span_root(doc, ts, te) if te > ts else i
                if te > ts and self.is_actor_head(doc, sub_root, atoms):
                    out.append((ts, te))
                    taken.update(range(ts, te + 1))
        for i in range(s, e):  # "Indian proposal", "Israeli army bulldozers": an actor modifying a non-actor noun
            tok = doc[i]
            if i in taken or tok.dep_ not in MODIFIER_DEPS or tok.head.i != root:
                continue
            ts, te = trim(doc, max(s, tok.left_edge.i), i + 1)
            inner = [a for a in atoms if ts <= a.start and a.end <= te]
            if te > ts and not any(x in taken for x in range(ts, te)) and any(
                    a.start <= i < a.end for a in inner) and any(a.kind != "agent" for a in inner):
                out.append((ts, te))
                taken.update(range(ts, te))
        for ent in self._ents:
            if ent.start >= s and ent.end <= e and ent.start not in taken and (
                    ent.label_ == "PERSON" or ent.label_ in ("ORG", "GPE") and any(
                        ent.start <= a.start < ent.end and a.kind != "agent" for a in atoms)):
                ts, te = trim(doc, ent.start, ent.end)
                if te > ts and not any(a <= ts < b or a < te <= b for a, b in out):
                    out.append((ts, te))
        return sorted(out)

    def make(self, doc: Doc, s: int, e: int, si: int, atoms: list[Atom], day: dt.date | None) -> Cand | None:
        root = span_root(doc, s, e)
        tok = doc[root]
        text = self._text[doc[s].idx: doc[e - 1].idx + len(doc[e - 1].text)]
        start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        subject = tok.dep_ in SUBJECT_DEPS
        low = tok.lower_
        if e - s == 1 and (low in PERSON_PRONOUNS or low in PLURAL_PRONOUNS or low in ORG_PRONOUNS):
            m = ActorMention(text=text, start=start, end=end, kind="pronoun")
            org = low in ORG_PRONOUNS  # kept only when coreference finds its country or organisation
            return Cand(m, si, person=low in PERSON_PRONOUNS, plural=low in PLURAL_PRONOUNS, subject=subject,
                        extra={"org": True, "tentative": True} if org else {})
        inner = [a for a in atoms if s <= a.start and a.end <= e]
        tokens = [t.text for t in doc[s:e]]
        name = self.name_in(doc, s, e, inner)
        res: Resolution = resolve_atoms([Atom(a.start - s, a.end - s, a.kind, a.value) for a in inner], tokens,
                                        self.d, day, name=name, head=root - s)
        if res.kind == "name" and name is None and tok.ent_type_ not in ("PERSON", "ORG") and not inner:
            return None
        if not res.resolved and (name is None or tok.ent_type_ not in ("PERSON", "ORG")):
            if e - s == 1 and tok.pos_ == "PROPN" and tok.text[:1].isupper():
                # maybe a surname the model mislabelled ("Shoigu’s" as GPE): kept only if coreference links it
                m = ActorMention(text=text, start=start, end=end, name=tok.text, kind="name")
                return Cand(m, si, person=True, subject=subject, name_words=(norm_token(tok.text),),
                            extra={"tentative": True})
            return None
        if tok.dep_ == "amod" and inner and all(as_country(a, self.d, day).kind in ("country", "capital")
                                                for a in inner) and (
                res.kind == "description" and res.sector == "GOV" and name is None):
            res.sector, res.kind, res.id = None, "country", res.country  # "an Indian proposal": no sector
        if res.country is None and res.sector:
            res.country = self.stated_country(doc, tok, atoms)
            if res.country and res.kind == "description":
                res.id = f"{res.country}{res.sector}"
        m = ActorMention(text=text, start=start, end=end, name=res.name, country=res.country, sector=res.sector,
                         id=res.id, kind=res.kind)
        count = next((int(c.like_num and c.text.isdigit() and c.text or {"two": 2, "three": 3, "both": 2}.get(
            c.lower_, 0)) for c in tok.children if c.dep_ == "nummod" or c.lower_ == "both"), 0)
        person = tok.ent_type_ == "PERSON" or (res.kind == "name" and any(t.ent_type_ == "PERSON" for t in doc[s:e]))
        if not person and res.sector and tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() not in ORG_LEMMAS:
            person = any(a.kind == "agent" and a.start <= root < a.end for a in inner) or (
                name is not None and tok.ent_type_ != "ORG")
        if res.kind == "country" or tok.ent_type_ in ("GPE", "ORG"):
            person = person and tok.ent_type_ == "PERSON"
        if person and not name:
            name = " ".join(t.text for t in doc[s:e] if t.ent_type_ == "PERSON" and t.lower_ not in ("'s", "’s"))
        words = tuple(norm_token(w) for w in (name or "").split()) if person else ()
        det = next((c.lower_ for c in tok.children if c.dep_ == "det"), "")
        extra: dict = {"indefinite": det in ("a", "an")}
        poss = next((c.lower_ for c in tok.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        if poss in ORG_PRONOUNS or poss in PERSON_PRONOUNS:
            extra["poss"] = "org" if poss in ORG_PRONOUNS else "person"  # "its troops", "his government"
        gov = governor(tok)
        if gov is not None:
            extra["gov"], extra["gov_rel"] = gov[0].idx, gov[1]
        return Cand(m, si, person=person, plural=tok.tag_ in ("NNS", "NNPS") or count > 1,
                    definite=det in ("the", "this", "that", "these", "those"),
                    subject=subject, name_words=words, count=count, extra=extra)

    def stated_country(self, doc: Doc, tok, atoms: list[Atom]) -> str | None:
        """"the president of Armenia", "rebels in the Ivory Coast": a country or capital the head's preposition
        takes."""
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE_PREPS:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                for a in atoms:
                    if a.kind in ("country", "capital") and obj.left_edge.i <= a.start and a.end <= obj.i + 1:
                        return str(a.value)
                    if a.kind == "actor" and a.start <= obj.i < a.end:
                        role = self.d.actors[a.value].role_on(None)  # type: ignore[index]
                        if role is not None and role.sector is None and role.country:
                            return role.country
        return None

    def name_in(self, doc: Doc, s: int, e: int, inner: list[Atom]) -> str | None:
        """A person or organisation name inside the span that no dictionary phrase covers."""
        covered = {i for a in inner for i in range(a.start, a.end)}
        for ent in self._ents:
            if ent.start >= s and ent.end <= e and ent.label_ in ("PERSON", "ORG"):
                toks = [t for t in ent if t.i not in covered and t.lower_ not in ("'s", "’s")]
                if toks and all(t.i >= ent.start for t in toks):
                    last = toks[-1].i + 1
                    while last < e and doc[last].pos_ == "PROPN" and doc[last].text[:1].isupper():
                        last += 1  # the model often cuts Korean names short ("Choe Sun" + "Hui")
                    ts, te = trim(doc, toks[0].i, last)
                    if te > ts and (ent.label_ == "PERSON" or not covered):
                        return self._text[doc[ts].idx: doc[te - 1].idx + len(doc[te - 1].text)]
        return None


def governor(tok) -> tuple | None:
    """The token whose party a mention belongs to: the first member of its list or apposition ("appos"/"list"),
    or the subject a "accompanied by …" phrase depends on ("by")."""
    t, rel = tok, None
    for _ in range(6):
        if t.dep_ in ("conj", "appos") and t.head.i != t.i:
            rel = "appos" if t.dep_ == "appos" and rel is None else rel or "list"
            t = t.head
            continue
        break
    if t.dep_ == "pobj" and t.head.lower_ in ("by", "with") and t.head.head.lemma_ in ENTOURAGE_VERBS:
        verb = t.head.head
        if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head, "by"
        holder = verb.head if verb.dep_ in ("advcl", "xcomp", "conj") else verb
        subj = next((c for c in holder.children if c.dep_ in SUBJECT_DEPS), None)
        return (subj, "by") if subj is not None else None
    return (t, rel) if rel else None


def dominant_country(cands: list[Cand]) -> str | None:
    """The country most mentioned in the document (the context for descriptions that name none)."""
    counts = Counter(c.mention.country for c in cands if c.mention.country and len(c.mention.country) == 3
                     and c.mention.country not in ("IGO", "NGO", "IMG", "MNC"))
    return counts.most_common(1)[0][0] if counts else None
