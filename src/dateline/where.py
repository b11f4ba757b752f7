"""Where: find toponyms in a parsed document, resolve them with the gazetteer in document context, and pick each
event's location.

Detection: spaCy GPE/LOC/FAC spans; gazetteer matches inside ORG/PERSON/other spans ("Edmonton Oilers",
"Kentucky State Police") and in capitalised token n-grams, with stricter priors outside GPE/LOC/FAC. Demonyms
("Russian") are not places. Resolution: a prior from feature class and population, plus context: countries and
first-level divisions named in the document, the dateline place, and distance to places already resolved.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from dateline.datelines import dateline_match
from dateline.gazetteer import ADMIN_WORDS, Candidate, Gazetteer, get_gazetteer, km, normalise
from dateline.model import Document, Place

PLACE_LABELS = ("GPE", "LOC", "FAC")
OTHER_LABELS = ("ORG", "PERSON", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW")
LOCATIVE = frozenset({"in", "at", "near", "from", "to", "into", "across", "outside", "inside", "toward", "towards",
                      "through", "via", "around", "throughout", "within", "on", "over", "between", "off"})
# verbs whose direct object is where one goes ("visited Shenyang", "toured Kherson"): the object is locative
PLACE_OBJECT_VERBS = frozenset({"visit", "tour", "reach", "enter"})
MAX_NGRAM = 5
# a span ending in one of these names a facility or a street: a city inside it is not the place
FACILITY_WORDS = frozenset({
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive", "way", "highway", "square",
    "school", "elementary", "middle", "high", "academy", "institute", "hospital", "clinic",
    "church", "cathedral", "basilica", "mosque", "temple", "synagogue", "club", "hotel", "inn", "library", "museum",
    "park", "stadium", "arena", "centre", "center", "mall", "canal", "bridge", "railroad", "railway", "township",
    "hall", "tower", "building", "plaza", "theatre", "theater", "restaurant", "gardens", "zoo", "prison",
    "jail", "racecourse", "airport", "station", "market", "company", "corporation", "inc", "ltd", "village",
})
# common nouns for kinds of place -> GeoNames feature prefixes, for "a Russian spaceport" -> the spaceport named later
KIND_FEATURES = {
    "spaceport": ("S.SPCE",), "cosmodrome": ("S.SPCE",), "launchpad": ("S.SPCE",), "airport": ("S.AIRP",),
    "base": ("S.AIRB", "S.NVB", "S.INSM", "L.MILB"), "airbase": ("S.AIRB",), "station": ("S.RSTN", "S.PSTB"),
    "crossing": ("S.PSTB",), "border": ("S.PSTB",), "plant": ("S.PS",), "reactor": ("S.PS", "S.INSM"),
    "capital": ("P.PPLC",), "city": ("P.PPL",), "town": ("P.PPL",), "village": ("P.PPL",), "port": ("P.PPL",),
    "sea": ("H.SEA",), "strait": ("H.STRT",), "gulf": ("H.GULF",), "region": ("A.ADM1", "L.RGN"),
    "province": ("A.ADM1",), "state": ("A.ADM1",), "peninsula": ("T.PEN",), "palace": ("S.PAL", "S.BLDG"),
}


@dataclass
class _Mention:
    text: str
    start: int
    end: int
    key: str
    candidates: list[Candidate]
    strong: bool  # from a GPE/LOC/FAC span or a locative context: weak priors are allowed
    chosen: Candidate | None = None
    score: float = 0.0
    tokens: tuple[int, int] = (0, 0)


@dataclass
class _Context:
    countries: Counter = field(default_factory=Counter)  # ISO2 -> weight
    admin1: Counter = field(default_factory=Counter)  # (ISO2, code) -> weight
    points: list[tuple[float, float]] = field(default_factory=list)
    within: Counter = field(default_factory=Counter)  # (ISO2, admin1 code) of the resolved places below it -> weight


# --------------------------------------------------------------------------------------------- detection
def _clean_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner and a trailing possessive from a token span."""
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].text in ("'s", "’s", "'", "’")):
        end -= 1
    return start, end


def _is_capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() or (tok.text[:1].isdigit() is False and tok.text.isupper() and len(tok.text) > 1)


def _strong_prior(c: Candidate, min_pop: int = 100_000) -> bool:
    """Entries safe to accept outside a GPE/LOC/FAC span."""
    if c.is_country or c.is_admin1 or c.feature == "L.CONT" or c.source != "geonames":
        return True
    return c.population >= min_pop


def _locative(doc: Doc, start: int) -> bool:
    """A name after a locative preposition ("in Paris"), or the object of a verb of going ("visited Shenyang")."""
    if start > 0 and doc[start - 1].lower_ in LOCATIVE:
        return True
    tok = doc[start]
    while tok.dep_ == "compound" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "dobj" and tok.head.lemma_.lower() in PLACE_OBJECT_VERBS


class _Detector:
    def __init__(self, doc: Doc, gaz: Gazetteer) -> None:
        self.doc, self.gaz = doc, gaz
        self.taken = [False] * len(doc)
        self.mentions: list[_Mention] = []

    def add(self, start: int, end: int, strong: bool, require_strong: bool, min_pop: int = 100_000,
            admin_only: bool = False, own_name: bool = False) -> bool:
        start, end = _clean_span(self.doc, start, end)
        if start >= end or any(self.taken[start:end]):
            return False
        span = self.doc[start:end]
        text = span.text
        if not any(ch.isalpha() for ch in text) or self.gaz.is_demonym(text):
            return False
        letters = [ch for ch in text if ch.isalpha()]
        if len(letters) <= 3 and not (text.isupper() or "." in text):
            return False  # "Ri", "Do": short names only as abbreviations ("UK", "B.C.")
        end = self._extend(start, end)
        span = self.doc[start:end]
        text = span.text
        cands = self.gaz.lookup(text)
        if not cands:
            return False
        if admin_only:
            cands = [c for c in cands if (c.is_country or c.is_admin1 or c.source != "geonames")]
        if require_strong:
            cands = [c for c in cands if _strong_prior(c, min_pop) and c.match != "fuzzy"]
        if own_name:  # an organisation's name is a town only as the town's own name ("Hamas" is not Hamm)
            key = normalise(text)
            cands = [c for c in cands if normalise(c.name) == key or c.is_country or c.is_admin1
                     or c.source != "geonames"]
        if not cands:
            return False
        trimmed = text.rstrip("-–—/,;:'’\"")
        self.mentions.append(_Mention(trimmed, span.start_char, span.start_char + len(trimmed), normalise(trimmed),
                                      cands, strong, tokens=(start, end)))
        for i in range(start, end):
            self.taken[i] = True
        return True

    def _extend(self, start: int, end: int) -> int:
        """Take in a following kind or admin word when the longer name is known: "Vostochny spaceport", "Amur region"."""
        if end < len(self.doc) and not self.taken[end]:
            nxt = self.doc[end].lower_
            if (nxt in KIND_FEATURES or nxt in ADMIN_WORDS) and self.gaz.lookup(self.doc[start:end + 1].text):
                return end + 1
        return end

    def scan(self, start: int, end: int, strong: bool, require_strong: bool, leading: bool = False,
             own_name: bool = False) -> None:
        """Longest gazetteer matches of capitalised n-grams within [start, end); with ``leading``, only at the
        start of the span or after "of"/"in" ("Edmonton Oilers", "University of Kentucky", not "Kremlin Pool");
        with ``own_name``, the whole span is a town only under the town's own name (see ``add``)."""
        i = start
        while i < end:
            if not _is_capitalised(self.doc[i]) or self.taken[i]:
                i += 1
                continue
            lead = not leading or i == start or self.doc[i - 1].lower_ in ("of", "in", "the", "for")
            for n in range(min(MAX_NGRAM, end - i), 0, -1):
                toks = self.doc[i:i + n]
                if not _is_capitalised(toks[-1]):
                    continue
                loc = _locative(self.doc, i)
                if self.add(i, i + n, strong or loc, require_strong and not loc, admin_only=not lead,
                            own_name=own_name and not loc and (i, i + n) == (start, end)):
                    i += n
                    break
            else:
                i += 1


def _detect(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    det = _Detector(doc, gaz)
    ents = list(doc.ents)
    for ent in ents:
        if ent.label_ in PLACE_LABELS:
            if not det.add(ent.start, ent.end, True, False) and ent[-1].lower_.rstrip(".") not in FACILITY_WORDS:
                det.scan(ent.start, ent.end, True, True)
    for ent in ents:
        if ent.label_ not in OTHER_LABELS:
            continue
        loc = _locative(doc, ent.start)
        if ent.label_ == "PERSON":
            # a person's name holds no place; a whole "person" span may be a mislabelled place
            if len(ent) > 1 or loc:
                det.add(ent.start, ent.end, loc, not loc)
            else:
                det.add(ent.start, ent.end, False, True, admin_only=True)
            continue
        short_name = len(ent) <= 2 and all(t.pos_ == "PROPN" for t in ent)
        # an organisation's acronym ("NATO", "UNHCR") is a place only as a country or a state ("UK", "NSW")
        acronym = ent.label_ == "ORG" and len(ent) == 1 and ent.text.isupper()
        if det.add(ent.start, ent.end, loc, not loc, min_pop=5_000 if short_name else 100_000, admin_only=acronym,
                   own_name=ent.label_ == "ORG" and not loc):
            continue
        if ent.label_ != "NORP" and ent[-1].lower_.rstrip(".") not in FACILITY_WORDS:
            det.scan(ent.start, ent.end, False, True, leading=True, own_name=ent.label_ == "ORG")
    ent_tokens = {i for e in ents for i in range(e.start, e.end)}
    i = 0
    while i < len(doc):
        if i in ent_tokens:
            i += 1
            continue
        j = i
        while j < len(doc) and j not in ent_tokens and _is_capitalised(doc[j]):
            j += 1
        if j == i + 1 and (doc[i].pos_ != "PROPN" or doc[i].is_stop):
            i = j
            continue
        if j > i and doc[j - 1].lower_.rstrip(".") not in FACILITY_WORDS:
            det.scan(i, j, False, True)
            i = j
        else:
            i += 1
    det.mentions.sort(key=lambda m: m.start)
    return det.mentions


# --------------------------------------------------------------------------------------------- resolution
def _prior(c: Candidate, key: str) -> float:
    if c.is_country:
        p = 10.0
    elif c.feature == "L.CONT":
        p = 8.5
    elif c.is_admin1:
        p = 6.5
    elif c.feature == "A.ADM2":
        p = 3.0
    elif c.source != "geonames":
        p = 7.0
    else:
        p = 2.0 * math.log10(max(c.population, 100)) - 6.0
        if c.feature == "P.PPLC":
            p += 1.5
    if normalise(c.name) == key:
        p += 0.5  # the place's own name, not an alternate
    if c.match == "admin":
        p += 3.0 if c.feature.startswith("A.ADM") else -3.0
    elif c.match == "fuzzy":
        p -= 2.5
    return p


def _context_bonus(c: Candidate, ctx: _Context) -> float:
    bonus = 0.0
    if c.country_code and ctx.countries[c.country_code]:
        bonus += 1.5 + min(ctx.countries[c.country_code], 3) * 0.5
    if c.admin1_code and not c.is_admin1 and ctx.admin1[(c.country_code, c.admin1_code)]:
        bonus += 2.5
    if ctx.points and not c.is_country and c.feature != "L.CONT":
        d = min(km(c.lat, c.lon, *p) for p in ctx.points)
        bonus += 2.0 if d < 100 else 1.0 if d < 300 else 0.0
    return bonus


def _homonym_bonus(c: Candidate, m: _Mention, ctx: _Context) -> float:
    """A first-level division named like a foreign country ("Georgia") when the story's places lie in it: the
    division (a story about Atlanta and Savannah means the state)."""
    if not c.is_admin1 or not ctx.within[(c.country_code, c.admin1_code)]:
        return 0.0
    rivals = [o for o in m.candidates if o.is_country and o.country_code != c.country_code]
    return 3.0 if rivals else 0.0


def _choose(m: _Mention, ctx: _Context) -> None:
    scored = sorted(((_prior(c, m.key) + _context_bonus(c, ctx) + _homonym_bonus(c, m, ctx), c)
                     for c in m.candidates), key=lambda t: -t[0])
    best, cand = scored[0]
    second = scored[1][0] if len(scored) > 1 else best - 6.0
    m.chosen = cand
    m.score = round(1.0 / (1.0 + math.exp(-(best - second) / 2.0)), 3)


def _add_context(ctx: _Context, c: Candidate, weight: int = 1) -> None:
    if c.country_code:
        ctx.countries[c.country_code] += weight
    if c.is_admin1:
        ctx.admin1[(c.country_code, c.admin1_code)] += weight
    elif not c.is_country and c.feature != "L.CONT":
        ctx.points.append((c.lat, c.lon))
        if c.admin1_code:
            ctx.within[(c.country_code, c.admin1_code)] += weight


def _demonym_countries(doc: Doc, gaz: Gazetteer) -> list[Candidate]:
    """The countries the story's demonyms name ("Israeli jets", "Ukrainian forces"), once each: its geography."""
    seen: dict[str, Candidate] = {}
    for tok in doc:
        if tok.ent_type_ == "NORP" and (iso3 := gaz.demonym(tok.text)) and iso3 not in seen:
            c = gaz.country(iso3)
            if c is not None:
                seen[iso3] = c
    return list(seen.values())


def _resolve(mentions: list[_Mention], seed: Candidate | None, demonyms: Sequence[Candidate] = ()) -> None:
    by_key: dict[str, list[_Mention]] = {}
    for m in mentions:
        by_key.setdefault(m.key, []).append(m)
    # pass 1: names with a clear reading (one candidate, or one far ahead of the rest) are the context
    clear: list[tuple[str, Candidate, int]] = []
    for key, ms in by_key.items():
        _choose(ms[0], _Context())
        if ms[0].score >= 0.8 or len(ms[0].candidates) == 1:
            clear.append((key, ms[0].chosen, len(ms)))
    # pass 2, then 3: every name in the context of the others (never its own reading); pass 3 also uses the
    # readings that pass 2 settled in context ("Lamar County" once Texas is known). One reading per name.
    for _ in range(2):
        for key, ms in by_key.items():
            ctx = _Context()
            if seed is not None:
                _add_context(ctx, seed, 2)
            for c in demonyms:
                _add_context(ctx, c)
                ctx.points.append((c.lat, c.lon))
            for other, cand, weight in clear:
                if other != key:
                    _add_context(ctx, cand, weight)
            _choose(ms[0], ctx)
            for m in ms[1:]:
                m.chosen, m.score = ms[0].chosen, ms[0].score
        clear = [(key, ms[0].chosen, len(ms)) for key, ms in by_key.items()
                 if ms[0].chosen is not None and ms[0].score >= 0.7]


def _to_place(m: _Mention) -> Place:
    c = m.chosen
    assert c is not None
    return Place(text=m.text, start=m.start, end=m.end, name=c.name, lat=round(c.lat, 5), lon=round(c.lon, 5),
                 country=c.country, admin1=c.admin1 if not c.is_admin1 else c.name, geonameid=c.geonameid,
                 feature=c.feature, score=m.score)


def _dateline_text(document: Document | None, text: str) -> tuple[str, int, int] | None:
    """The dateline place string and its offsets in ``text`` (offsets -1 when it comes from metadata)."""
    if document is not None and document.extra.get("dateline"):
        raw = str(document.extra["dateline"])
        head = re.split(r"\s*\(|,\s*[A-Z][a-z]{2,8}\.?\s+\d", raw)[0].strip()
        return head, -1, -1
    m = dateline_match(text)
    if not m:
        return None
    place = m.group("place").strip()
    return place, m.start("place"), m.start("place") + len(place)


def _dateline_candidate(gaz: Gazetteer, head: str) -> Candidate | None:
    parts = [p.strip() for p in head.split(",") if p.strip()]
    cands = gaz.lookup(parts[0]) if parts else []
    if not cands:
        return None
    ctx = _Context()
    for extra in parts[1:]:
        for c in gaz.lookup(extra)[:5]:
            _add_context(ctx, c)
    m = _Mention(parts[0], -1, -1, normalise(parts[0]), cands, True)
    _choose(m, ctx)
    return m.chosen


# --------------------------------------------------------------------------------------------- public API
def find_places(doc: Doc, document: Document | None = None) -> list[Place]:
    """Every toponym in ``doc`` with character offsets into ``doc.text``, resolved in document context."""
    gaz = get_gazetteer()
    mentions = _detect(doc, gaz)
    if not mentions:
        return []
    seed = None
    dl = _dateline_text(document, document.text if document is not None and document.text else doc.text)
    if dl is not None:
        seed = _dateline_candidate(gaz, dl[0])
    _within_following(mentions, doc.text)
    _resolve(mentions, seed, _demonym_countries(doc, gaz))
    return [_to_place(m) for m in mentions if m.chosen is not None]


def _within_following(mentions: list[_Mention], text: str) -> None:
    """"Dublin, Va.", "Paris, Texas", "Richmond, Kentucky": a name followed by a comma and a state or a country is a
    place inside it, when the gazetteer has one there (its other readings are dropped)."""
    for m, nxt in zip(mentions, mentions[1:], strict=False):
        if text[m.end:nxt.start].strip() != ",":
            continue
        areas = [c for c in nxt.candidates if c.is_admin1 or c.is_country]
        inside = [c for c in m.candidates if not c.is_country and any(
            c.country_code == a.country_code and (a.is_country or c.admin1_code == a.admin1_code) for a in areas)]
        if inside:
            m.candidates = inside
            nxt.candidates = [a for a in areas if any(c.country_code == a.country_code for c in inside)] or areas


def dateline_place(document: Document, places: list[Place]) -> Place | None:
    """The story's dateline place: ``document.extra["dateline"]``, else a leading "MOSCOW (AP) —" style dateline."""
    dl = _dateline_text(document, document.text)
    if dl is None:
        return None
    head, start, end = dl
    for p in places:
        if start >= 0 and p.start <= start < p.end:
            return p
    cand = _dateline_candidate(get_gazetteer(), head)
    if cand is None:
        return None
    first = head.split(",")[0].strip()
    m = _Mention(first, start, start + len(first) if start >= 0 else -1, normalise(first), [cand], True,
                 chosen=cand, score=0.9)
    return _to_place(m)


def _clause_head(tok: Token) -> Token:
    """The verb (or root) that heads ``tok``'s clause."""
    while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX") and tok.dep_ not in ("ROOT",):
        tok = tok.head
    return tok


def _in_clause(place_tok: Token, trigger: Token) -> bool:
    """True when the place hangs under the trigger without crossing into another clause."""
    tok = place_tok
    while tok.head.i != tok.i:
        if tok.head == trigger:
            return True
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") and tok != trigger:
            return False
    return False


def _place_root(doc: Doc, p: Place) -> Token | None:
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _kind_link(trigger: Token, sent: Span, document_places: list[Place], doc: Doc) -> Place | None:
    """'met at a Russian spaceport' -> a place of that kind named elsewhere in the document."""
    for tok in sent:
        feats = KIND_FEATURES.get(tok.lemma_.lower())
        if not feats or tok.pos_ != "NOUN" or not _in_clause(tok, trigger):
            continue
        gaz = get_gazetteer()
        country = next((gaz.demonym(ch.text) for ch in tok.children if ch.dep_ in ("amod", "compound")
                        and gaz.demonym(ch.text)), None)
        for p in document_places:
            if p.feature and p.feature.startswith(feats) and (country is None or p.country == country):
                return p
    return None


def there_place(trigger: Token, sents: Sequence[Span], i: int, places: Sequence[Place]) -> Place | None:
    """Locative anaphora: "There he was greeted …" takes the first specific place of the previous sentence in the
    same paragraph ("… arrived in Khasan, a station across North Korea's border")."""
    if i == 0 or not any(c.lower_ == "there" and c.dep_ == "advmod" for c in trigger.children):
        return None
    prev = sents[i - 1]
    if "\n" in trigger.doc.text[prev.end_char - 1 : sents[i].start_char + 1]:
        return None
    in_prev = [p for p in places if prev.start_char <= p.start < prev.end_char]
    specific = [p for p in in_prev if not (p.feature or "").startswith("A.PCL")]
    return (specific or in_prev or [None])[0]


def _home_of_person(doc: Doc, p: Place) -> bool:
    """A place that modifies a person's name or title ("Arizona Sen. John McCain", "Texas Gov. Greg Abbott"): the
    person's home, not where the event happened."""
    root = _place_root(doc, p)
    if root is None or root.dep_ not in ("compound", "amod", "nmod"):
        return False
    head, steps = root.head, 0
    while head.dep_ == "compound" and head.head.i != head.i and steps < 5:
        head, steps = head.head, steps + 1
    return head.ent_type_ == "PERSON"


def event_location(trigger: Token, places: list[Place], document_places: list[Place],
                   fallback: Place | None) -> Place | None:
    """The place in the event's clause, else the nearest in the sentence, else one linked through the document
    ("a Russian spaceport" -> the spaceport named later), else ``fallback`` (the dateline place), else None."""
    doc = trigger.doc
    sent = trigger.sent
    in_sent = [p for p in places if sent.start_char <= p.start and p.end <= sent.end_char]
    clause: list[tuple[int, Place]] = []
    for p in in_sent:
        root = _place_root(doc, p)
        if root is not None and _in_clause(root, trigger):
            clause.append((abs(root.i - trigger.i), p))
    if clause:
        # a place in the clause beats a person's home ("Arizona Sen. John McCain said in Roanoke"), a specific place a
        # country ("in Kharkiv, Ukraine")
        homes = {id(p) for p in in_sent if _home_of_person(doc, p)}
        clause.sort(key=lambda t: (id(t[1]) in homes, t[1].feature is not None and t[1].feature.startswith("A.PCL"),
                                   t[0]))
        if id(clause[0][1]) not in homes:
            return clause[0][1]
        in_sent = [p for p in in_sent if id(p) not in homes]
    linked = _kind_link(trigger, sent, document_places, doc)
    if linked is not None:
        return linked
    if in_sent:
        return min(in_sent, key=lambda p: abs(p.start - trigger.idx))
    return fallback


__all__ = ["find_places", "dateline_place", "event_location"]
