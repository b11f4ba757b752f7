"""Data model shared by every stage: documents, mentions, time expressions, places and event records.

Field names of :class:`Event` (and its ``to_dict``) are the public contract described in
``docs/ARCHITECTURE.md``; change them only with a version bump and a changelog note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1
STATUSES = ("asserted", "negated", "future", "hypothetical", "historical")
# the fields a stored happening (a group of event records) adds to its representative record
GROUP_FIELDS = ("group_id", "reports", "mentions", "sources", "first_report", "last_report")
# where an event's date comes from: a time expression of its own sentence, the story's narrative time (an expression
# of an earlier sentence of the paragraph), or the publication day (nothing in the story dates it)
DATE_SOURCES = ("sentence", "narrative", "publication")
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
QUAD_CLASSES = {"1": "verbal cooperation", "2": "material cooperation", "3": "verbal conflict",
                "4": "material conflict"}
# PLOVER sector codes and how a generic actor of that sector reads ("Russia government")
SECTOR_LABELS = {"GOV": "government", "MIL": "military", "COP": "police", "REB": "rebels", "OPP": "opposition",
                 "PTY": "party", "JUD": "judiciary", "LEG": "legislature", "JRN": "media", "BUS": "business",
                 "CVL": "civilians", "ELI": "elites", "SPY": "intelligence", "REL": "religious", "EDU": "education",
                 "MED": "health", "LAB": "labour", "HRI": "human rights groups", "REF": "refugees", "CRM": "criminals",
                 "AGR": "farmers", "ENV": "environmental groups", "UAF": "armed group"}
# every sector code a record may carry: the generic ones above, intergovernmental and non-governmental bodies, unknown,
# and the other PLOVER agent codes the actor dictionaries accept (PRM, PRE, SOC)
SECTORS = (*SECTOR_LABELS, "IGO", "NGO", "UNK", "PRM", "PRE", "SOC")


@dataclass
class Document:
    """One news story. ``published`` anchors relative time expressions."""

    id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None  # "file:line" the record came from, for error messages and provenance
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ActorRef:
    """A canonical actor a mention resolves to."""

    name: str | None
    country: str | None  # ISO 3166 alpha-3 (or the dictionary's code, e.g. IGO)
    sector: str | None  # PLOVER sector code: GOV, MIL, COP, REB, ...
    id: str | None
    code: str | None = None  # raw CAMEO/Phoenix code when known, e.g. "RUSGOV"


@dataclass
class ActorMention:
    """An actor mention in a document (character offsets into ``Document.text``)."""

    text: str = field(metadata={"side": True})
    start: int = field(metadata={"side": True})
    end: int = field(metadata={"side": True})
    name: str | None = field(default=None, metadata={"side": True})
    country: str | None = field(default=None, metadata={"side": True})
    sector: str | None = field(default=None, metadata={"side": True})
    id: str | None = field(default=None, metadata={"side": True})
    # the argument's noun phrase when larger than the mention ("Germany's largest bank"); set on event sides only
    phrase: str | None = field(default=None, metadata={"side": True})
    kind: str = "name"  # name | description | country | pronoun | coref
    # indices into the document's mention list this mention refers to (coreference); two for "the two men"
    antecedents: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The event-side dict: the fields in ``SIDE_FIELDS``, ``phrase`` only when there is one."""
        out = {k: getattr(self, k) for k in SIDE_FIELDS}
        if out["phrase"] is None:
            del out["phrase"]
        return out


SIDE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ActorMention) if f.metadata.get("side"))


@dataclass
class TimeExpr:
    """A time expression normalised to a TimeML value (``2023-09-13``, ``2023-07``, ``2023-W36``, ``P3Y``)."""

    text: str
    start: int
    end: int
    value: str | None
    type: str = "DATE"  # DATE | TIME | DURATION | SET
    precision: str | None = None  # minute | hour | day | week | month | quarter | year | decade | century
    mod: str | None = None  # START (since, from) | END (until) | APPROX ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def is_datable(self) -> bool:
        """True when this expression can date an event (a point or period, not a duration or set)."""
        return self.type in ("DATE", "TIME") and bool(self.value) and self.value[:1].isdigit()


@dataclass
class Place:
    """A toponym resolved with the gazetteer."""

    text: str = field(metadata={"location": True})
    start: int
    end: int
    name: str | None = field(default=None, metadata={"location": True})
    lat: float | None = field(default=None, metadata={"location": True})
    lon: float | None = field(default=None, metadata={"location": True})
    country: str | None = field(default=None, metadata={"location": True})  # ISO3
    admin1: str | None = field(default=None, metadata={"location": True})
    geonameid: int | None = field(default=None, metadata={"location": True})
    feature: str | None = None  # GeoNames feature class/code, e.g. "P.PPL", "A.ADM1", "S.SPCE"
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def location(self) -> dict[str, Any]:
        """The event-record ``location`` object (``LOCATION_FIELDS``)."""
        return {k: getattr(self, k) for k in LOCATION_FIELDS}


LOCATION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Place) if f.metadata.get("location"))


@dataclass
class Event:
    """One event record: who did what to whom, when and where, traced to its sentence."""

    id: str
    doc_id: str
    sentence: str
    sentence_index: int
    type: str
    trigger: dict[str, Any]
    source: list[dict[str, Any]] = field(default_factory=list)
    target: list[dict[str, Any]] = field(default_factory=list)
    doc_published: str | None = None
    url: str | None = None
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    cameo: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    date: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_source: str | None = None  # one of DATE_SOURCES; None when there is no date
    location: dict[str, Any] | None = None
    status: str = "asserted"
    confidence: float = 0.5
    # the user verb-dictionary rule that coded it ("my_verbs.txt:123", ``--verbs``); None (and absent from
    # ``to_dict``) otherwise. Not stored: ``dateline extract``/``annotate`` output only
    rule: str | None = None
    # the issues its sentence speaks of (``--issues FILE``, PETRARCH issue coding: ["ENERGY", "TEACHERS"]); None
    # (and absent from ``to_dict``) without an issue file. Not stored either
    issues: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for optional in ("rule", "issues"):
            if out[optional] is None:
                del out[optional]
        return out


@dataclass
class Annotation:
    """Everything dateline found in one document."""

    doc: Document
    sentences: list[dict[str, Any]] = field(default_factory=list)  # {"text","start","end"}
    mentions: list[ActorMention] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc.id,
            "title": self.doc.title,
            "url": self.doc.url,
            "published": self.doc.published.isoformat() if self.doc.published else None,
            "published_from": self.doc.extra.get("published_from"),  # page | capture | feed | default (web pages)
            "sentences": self.sentences,
            "mentions": [m.to_dict() for m in self.mentions],
            "times": [t.to_dict() for t in self.times],
            "places": [p.to_dict() for p in self.places],
            "events": [e.to_dict() for e in self.events],
        }
