"""Actor dictionaries: PETRARCH/Phoenix parsing, our CSV/YAML formats, the compact shipped format, role dates.

A :class:`Dictionary` maps normalised token sequences (upper case, no dots or apostrophes, hyphens split off) to
actors (people, organisations, countries), agents (role nouns → PLOVER sector) and country names / nationality
adjectives (→ ISO3).  Actors carry date-bounded roles (``[USAGOV 010120-090120]``).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dateline.model import SECTORS

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
SHIPPED = DATA_DIR / "actors.json.gz"
# shipped apart, under its own licence (CC BY-SA 4.0, see NOTICE): merged after SHIPPED, which wins
SHIPPED_IGOS = DATA_DIR / "igos_supraverden.tsv"
FORMAT_VERSION = 1

# PLOVER sector codes (PLOVER manual, "Sector Codes") plus the non-state "country" codes used as sectors: the
# record contract's list (dateline.model.SECTORS)
PLOVER_SECTORS = frozenset(SECTORS)
# CAMEO/Phoenix agent codes that PLOVER renamed or folded (MED was media, HLH was medical in CAMEO).
CAMEO_TO_PLOVER = {
    "MED": "JRN", "HLH": "MED", "INS": "REB", "SEP": "REB", "CIV": "CVL", "PPL": "CVL", "HRI": "NGO",
    "ENV": "SOC", "DEV": "SOC", "MOS": "REL", "MUS": "REL", "CHR": "REL", "JEW": "REL", "BUD": "REL",
    "HIN": "REL", "CTH": "REL", "PRO": "REL", "RAD": "REB", "IMG": "REB", "UIS": "UNK", "MNC": "BUS",
}
# Leading codes that are not countries (Phoenix codes entities with these instead of a country).
NON_STATE = {"IGO": "IGO", "NGO": "NGO", "IMG": "REB", "MNC": "BUS", "ISM": "SOC", "UNO": "IGO", "EUR": "IGO"}
# CAMEO country codes that differ from ISO 3166 alpha-3.
CAMEO_COUNTRY = {"JAP": "JPN", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "BUR": "MMR", "KKL": "PAK",
                 "GMY": "DEU", "SER": "SRB", "YUG": "SRB", "SCG": "SRB", "ANG": "AGO"}
# Actor codes whose first chunk is a country even though it is also a CAMEO agent code (CIV: Côte d'Ivoire), and
# those that are a country only when an agent code follows (MUSGOV: Mauritius' government; MUS alone: Muslims).
COUNTRY_NOT_AGENT = {"CIV"}
COUNTRY_BEFORE_AGENT = {"MUS"}
# A government code refined by one of these is that branch (USAGOVLEG: a legislature or a legislator; GOVJUD stays
# GOV: Phoenix gives it to justice ministers).
GOV_BRANCHES = {"LEG"}
# Phoenix regional pseudo-countries (Middle East, West Africa, ...): a country named in the phrase is more precise.
REGIONAL = frozenset("INT WEU SAS MEA SEA EAF SAF NMR EEU SAM ASA AFR CAS LAM NAF WAF CFR EIN FRN CRB".split())
# Agents that name a role but no sector of their own (the organisation's sector applies).
NEUTRAL_AGENTS = {"SPOKESPERSON", "SPOKESMAN", "SPOKESWOMAN", "SPOKESMEN", "SPOKESWOMEN", "SPOKESPEOPLE"}
# Agent entries that name places or things rather than actors.
NOT_ACTORS = {(w,) for w in "REGION REGIONS CONTINENT CONTINENTS LAND LANDS".split()}
TITLE_ABBREVIATIONS = {
    "GOV": "GOVERNOR", "SEN": "SENATOR", "REP": "REPRESENTATIVE", "GEN": "GENERAL", "COL": "COLONEL",
    "LT": "LIEUTENANT", "MAJ": "MAJOR", "ADM": "ADMIRAL", "PRES": "PRESIDENT", "SGT": "SERGEANT",
    "CAPT": "CAPTAIN", "CMDR": "COMMANDER", "SECY": "SECRETARY", "AMB": "AMBASSADOR", "PM": "PRIME MINISTER",
}

# Offices a description can name without naming the holder ("the US president", "North Korean leader"): each
# office and the titles that name it, as normalised words. Roles built from Wikidata carry the office.
OFFICE_TITLES: dict[str, tuple[str, ...]] = {
    "president": ("PRESIDENT",),
    "prime minister": ("PRIME MINISTER", "PREMIER", "PRESIDENT OF THE GOVERNMENT"),
    "chancellor": ("CHANCELLOR", "FEDERAL CHANCELLOR"),
    "leader": ("LEADER", "SUPREME LEADER"),
    "foreign minister": ("FOREIGN MINISTER", "FOREIGN SECRETARY", "SECRETARY OF STATE", "TOP DIPLOMAT",
                         "MINISTER OF FOREIGN AFFAIRS", "MINISTER FOR FOREIGN AFFAIRS", "MINISTER OF EXTERNAL AFFAIRS"),
    "defence minister": ("DEFENCE MINISTER", "DEFENSE MINISTER", "DEFENSE SECRETARY", "DEFENCE SECRETARY",
                         "SECRETARY OF DEFENSE", "MINISTER OF DEFENCE", "MINISTER OF DEFENSE", "MINISTER FOR DEFENCE"),
    "finance minister": ("FINANCE MINISTER", "TREASURY SECRETARY", "SECRETARY OF THE TREASURY", "MINISTER OF FINANCE",
                         "CHANCELLOR OF THE EXCHEQUER", "MINISTER FOR FINANCE"),
    "interior minister": ("INTERIOR MINISTER", "HOME SECRETARY", "HOME MINISTER", "MINISTER OF THE INTERIOR",
                          "MINISTER OF INTERIOR", "MINISTER OF HOME AFFAIRS"),
}
# capitals that, standing alone for an actor, name a body seated there rather than their own government
# ("Brussels condemned ..." is the EU)
CAPITAL_BODIES: dict[tuple[str, ...], tuple[str, ...]] = {("BRUSSELS",): ("EUROPEAN", "UNION")}
# a word that begins this many Wikidata people's names is a given name (Dictionary.given_names)
GIVEN_NAME_MIN = 5
# the reach of the office holders' data (Wikidata snapshots of 2022-2024): no holder is named for a later day
OFFICES_KNOWN_TO = dt.date(2024, 12, 31)
_TITLE_INDEX = sorted(((tuple(t.split()), office) for office, titles in OFFICE_TITLES.items() for t in titles),
                      key=lambda x: -len(x[0]))
NOT_THE_HOLDER = frozenset({"VICE", "DEPUTY", "ASSISTANT", "UNDER", "FORMER", "EX", "LATE", "FUTURE", "NEXT",
                            "INCOMING", "OUTGOING", "ACTING", "INTERIM", "OPPOSITION", "PARTY", "SHADOW"})


def _in_office(r: Role, day: dt.date) -> bool:
    """A dated office role covers ``day``; a term with no end that began before ``OFFICES_KNOWN_TO`` only up to
    that day (the data ends there, whoever came next is not in it), one that began after it (the curated list's
    "# office:" roles) with no bound."""
    if r.start is None or not r.covers(day):
        return False
    return r.end is not None or day <= OFFICES_KNOWN_TO or r.start > OFFICES_KNOWN_TO


def office_in(words: Sequence[str]) -> tuple[str, int, int] | None:
    """The office a run of normalised words names, with its word span (the longest title; None when a word such as
    "vice", "former" or "opposition" says it is not the holder, or none is named)."""
    for title, office in _TITLE_INDEX:
        n = len(title)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) == title:
                return None if NOT_THE_HOLDER & set(words[:i]) else (office, i, i + n)
    return None


_STRIP = str.maketrans("", "", ".'’`\"()")
_CODE_RE = re.compile(r"\[([^\]]*)\]")


def fold(text: str) -> str:
    """Text without its diacritics ("Côte" → "Cote", "Khürelsükh" → "Khurelsukh")."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def norm_token(text: str) -> str:
    """Normalise one token for dictionary lookup ("U.S." → "US", "Gov." → "GOVERNOR", "Côte" → "COTE")."""
    up = fold(text).upper()
    if up.endswith(".") and up[:-1] in TITLE_ABBREVIATIONS:
        return TITLE_ABBREVIATIONS[up[:-1]]
    return up.translate(_STRIP)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """Key of a dictionary phrase such as ``PRESIDENT_VLADIMIR_V._PUTIN_`` or ``Ban Ki-moon``."""
    out: list[str] = []
    for part in re.split(r"[\s_\-–]+", phrase):
        if part.startswith("(") and part.endswith(")"):
            continue
        tok = norm_token(part)
        if tok:
            out.extend(tok.split())
    return tuple(out)


def parse_date(text: str | None) -> dt.date | None:
    """PETRARCH dates: ``YYMMDD`` (pivot 1930: the files date from 2014) or ``YYYYMMDD``; None when malformed."""
    if not text:
        return None
    text = text.strip()
    try:
        if len(text) == 6:
            yy = int(text[:2])
            return dt.date(2000 + yy if yy < 30 else 1900 + yy, int(text[2:4]), int(text[4:6]))
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


def split_code(code: str) -> tuple[str | None, str | None]:
    """CAMEO/Phoenix code → (country, PLOVER sector): ``USAGOVLEG`` → (USA, GOV), ``IGOUNO`` → (IGO, IGO)."""
    code = code.strip().lstrip("~").upper()
    if not code:
        return None, None
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    country: str | None = None
    first = chunks[0]
    if first in NON_STATE:
        country, rest = first, chunks[1:]
        sector = NON_STATE[first]
        for c in rest:
            s = CAMEO_TO_PLOVER.get(c, c)
            if s in PLOVER_SECTORS and s not in ("IGO", "NGO"):
                sector = s if first == "IMG" else sector
                break
        return country, sector
    before_agent = first in COUNTRY_BEFORE_AGENT and len(chunks) > 1 and sector_code(chunks[1]) not in (None, "REL")
    if (sector_code(first) is None or first in COUNTRY_NOT_AGENT or before_agent) and len(first) == 3:
        country, chunks = CAMEO_COUNTRY.get(first, first), chunks[1:]
    sectors = [s for s in map(sector_code, chunks) if s]
    if not sectors:
        return country, None
    if sectors[0] == "GOV" and len(sectors) > 1 and sectors[1] in GOV_BRANCHES:
        return country, sectors[1]
    return country, sectors[0]


def sector_code(chunk: str, plover: bool = False) -> str | None:
    """One 3-letter CAMEO agent chunk (or, with ``plover``, a PLOVER sector code as NGEC writes them, where MED is
    health, not media) → PLOVER sector, or None."""
    s = chunk if plover else CAMEO_TO_PLOVER.get(chunk, chunk)
    return s if s in PLOVER_SECTORS else None


@dataclass
class Role:
    """A code in force between two dates (either may be open)."""

    country: str | None
    sector: str | None
    code: str
    start: dt.date | None = None
    end: dt.date | None = None
    office: str | None = None  # the office held, where known: one of OFFICES ("president", "foreign minister")

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def specificity(self) -> int:
        return (self.start is not None) + (self.end is not None)


class Actor:
    """A named actor with its date-bounded roles. Roles loaded from JSON stay raw rows (``raw``) until first read:
    most of the 54,000 actors are never looked at in a run, and building their roles was most of the load time."""

    __slots__ = ("id", "name", "_roles", "raw")

    def __init__(self, id: str, name: str, roles: list[Role] | None = None,  # noqa: A002
                 raw: list[list[Any]] | None = None) -> None:
        self.id, self.name = id, name
        self._roles = None if roles is None and raw is not None else list(roles or [])
        self.raw = raw if self._roles is None else None

    def __repr__(self) -> str:
        return f"Actor(id={self.id!r}, name={self.name!r}, roles={self.roles!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Actor) and (self.id, self.name, self.roles) == (other.id, other.name, other.roles)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    @property
    def roles(self) -> list[Role]:
        if self._roles is None:
            iso = dt.date.fromisoformat
            self._roles = [Role(c, s, code, iso(a) if a else None, iso(b) if b else None, *office)
                           for code, c, s, a, b, *office in self.raw or []]
            self.raw = None
        return self._roles

    @roles.setter
    def roles(self, value: list[Role]) -> None:
        self._roles, self.raw = list(value), None

    def has_sector(self) -> bool:
        """Whether any role gives a sector (without building the roles)."""
        return any(r[2] for r in self.raw) if self._roles is None else any(r.sector for r in self._roles)

    def offices(self) -> set[tuple[str, str]]:
        """(country, office) of the roles that name an office (without building the roles)."""
        if self._roles is None:
            return {(r[1], r[5]) for r in self.raw or [] if len(r) > 5 and r[1]}
        return {(r.country, r.office) for r in self._roles if r.office and r.country}

    def role_on(self, day: dt.date | None) -> Role | None:
        """The role in force on ``day`` (the most specific covering role); the current one when ``day`` is None."""
        if not self.roles:
            return None
        if day is None:
            # undated: the role the actor is known for (an office rather than "former official"), latest first
            office = [r for r in self.roles if r.sector and r.sector != "ELI"]
            open_roles = [r for r in (office or self.roles) if r.end is None]
            pool = open_roles or office or self.roles
            return max(pool, key=lambda r: (r.start or dt.date.min, r.specificity()))
        covering = [r for r in self.roles if r.covers(day)]
        if covering:
            return max(covering, key=lambda r: (r.specificity(), r.start or dt.date.min))

        def distance(r: Role) -> int:
            if r.end is not None and r.end < day:
                return (day - r.end).days
            return (r.start - day).days if r.start else 0

        return min(self.roles, key=distance)


def is_qid(text: str) -> bool:
    """A Wikidata item id ("Q7747")."""
    return len(text) > 1 and text[0] == "Q" and text[1:].isdigit()


def slug(text: str) -> str:
    """Stable id slug: ``VLADIMIR_PUTIN_`` → ``vladimir-putin``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("_", " ")).strip("-")


class Dictionary:
    """Phrase tables with first-token indexes for fast longest-match lookup over token sequences."""

    def __init__(self) -> None:
        self.actors: list[Actor] = []
        self.phrases: dict[tuple[str, ...], int] = {}
        self.agents: dict[tuple[str, ...], str] = {}
        self.countries: dict[tuple[str, ...], str] = {}
        self.capitals: dict[tuple[str, ...], str] = {}
        self.demonyms: dict[tuple[str, ...], str] = {}  # nationality words: "a" adjective, "p" plural noun
        self.country_names: dict[str, str] = {}  # ISO3 → the name people read ("Côte d'Ivoire")
        self.maxlen: dict[str, int] = {}
        self._surnames: dict[str, list[int]] | None = None
        self._codes: frozenset[str] | None = None
        self._offices: dict[tuple[str, str], list[Actor]] | None = None
        self._given: frozenset[str] | None = None

    # -- building -------------------------------------------------------------------------------
    def add_actor(self, name: str, aliases: Iterable[str], roles: Sequence[Role], override: bool = False) -> int:
        """Add an actor and its aliases; existing phrases win unless ``override``."""
        idx = len(self.actors)
        self.actors.append(Actor(slug(name), display_name(name), list(roles)))
        for alias in [name, *aliases]:
            key = phrase_key(alias)
            if key and key[0] == "THE" and len(key) > 1:
                key = key[1:]
            if key and (override or key not in self.phrases):
                self.phrases[key] = idx
                self._index(key)
        return idx

    def add_agent(self, phrase: str, sector: str, override: bool = False) -> None:
        key = phrase_key(phrase)
        if key and (override or key not in self.agents):
            self.agents[key] = sector
            self._index(key)

    def add_country(self, phrase: str, iso3: str, capital: bool = False, demonym: str | None = None) -> None:
        """A country name, nationality word (``demonym`` "a"/"p") or capital (→ ISO3)."""
        key = phrase_key(phrase)
        if not key:
            return
        if demonym:
            self.demonyms.setdefault(key, demonym)
        table = self.capitals if capital else self.countries
        table.setdefault(key, iso3)
        self._index(key)

    def _index(self, key: tuple[str, ...]) -> None:
        if self.maxlen.get(key[0], 0) < len(key):
            self.maxlen[key[0]] = len(key)

    def merge(self, other: Dictionary, override: bool) -> None:
        """Add ``other``'s entries; with ``override`` its phrases replace ours (user dictionaries win)."""
        self._surnames = self._codes = self._offices = self._given = None
        offset = len(self.actors)
        self.actors.extend(other.actors)
        for key, idx in other.phrases.items():
            if override or key not in self.phrases:
                self.phrases[key] = idx + offset
                self._index(key)
        for key, sec in other.agents.items():
            if override or key not in self.agents:
                self.agents[key] = sec
                self._index(key)
        for key, kind in other.demonyms.items():
            self.demonyms.setdefault(key, kind)
        for iso, name in other.country_names.items():
            if override or iso not in self.country_names:
                self.country_names[iso] = name
        for attr in ("countries", "capitals"):
            mine = getattr(self, attr)
            for key, iso in getattr(other, attr).items():
                if override or key not in mine:
                    mine[key] = iso
                    self._index(key)

    def given_names(self) -> frozenset[str]:
        """Words that begin the names of at least ``GIVEN_NAME_MIN`` Wikidata people ("ABDULLAH", "ALBERT", "JEAN"):
        alone, such a word names no one in particular (built lazily)."""
        if self._given is None:
            counts: dict[str, int] = {}
            for a in self.actors:
                if is_qid(a.id) and len(parts := a.name.split(maxsplit=1)) == 2:  # Wikidata people only
                    first = norm_token(parts[0])
                    counts[first] = counts.get(first, 0) + 1
            self._given = frozenset(w for w, n in counts.items() if n >= GIVEN_NAME_MIN)
        return self._given

    def holders(self, country: str, office: str, day: dt.date) -> list[Actor]:
        """The actors holding ``office`` of ``country`` on ``day`` (from their dated roles, see ``_in_office``)."""
        if self._offices is None:
            self._offices = {}
            for a in self.actors:
                for key in a.offices():
                    self._offices.setdefault(key, []).append(a)
        return [a for a in self._offices.get((country, office), []) if any(r.office == office and r.country == country and _in_office(r, day)
                                        for r in a.roles)]

    def country_codes(self) -> frozenset[str]:
        """Every ISO3 code the country tables map to (built lazily)."""
        if self._codes is None:
            self._codes = frozenset(self.countries.values()) | frozenset(self.capitals.values())
        return self._codes

    def surname_index(self) -> dict[str, list[int]]:
        """Last word of multi-word actor names → actor indexes (built lazily, for "President Mugabe"). Actors known
        only from Wikidata's office holders (id a QID) count for a surname only when no dictionary or curated actor
        bears it: thousands of ministers must not make "President Mugabe" ambiguous."""
        if self._surnames is None:
            main: dict[str, list[int]] = {}
            extra: dict[str, list[int]] = {}
            for i, a in enumerate(self.actors):
                words = a.name.upper().replace(".", "").split()
                if len(words) >= 2 and len(words[-1]) > 2 and a.has_sector():
                    (extra if is_qid(a.id) else main).setdefault(words[-1], []).append(i)
            self._surnames = {**extra, **main}
        return self._surnames

    # -- storage --------------------------------------------------------------------------------
    def to_json(self) -> dict:
        def d(x: dt.date | None) -> str | None:
            return x.isoformat() if x else None

        return {
            "version": FORMAT_VERSION,
            "actors": [[a.id, a.name, [[r.code, r.country, r.sector, d(r.start), d(r.end), *([r.office] if r.office
                                                                                           else [])]
                                       for r in a.roles]]
                       for a in self.actors],
            "phrases": {" ".join(k): v for k, v in self.phrases.items()},
            "agents": {" ".join(k): v for k, v in self.agents.items()},
            "countries": {" ".join(k): v for k, v in self.countries.items()},
            "capitals": {" ".join(k): v for k, v in self.capitals.items()},
            "demonyms": {" ".join(k): v for k, v in self.demonyms.items()},
            "country_names": self.country_names,
        }

    def save(self, path: str | Path) -> None:
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
            json.dump(self.to_json(), fh, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: dict) -> Dictionary:
        self = cls()
        for aid, name, roles in data["actors"]:
            self.actors.append(Actor(aid, name, raw=roles))
        for attr in ("phrases", "agents", "countries", "capitals"):
            table = getattr(self, attr)
            for k, v in data.get(attr, {}).items():
                key = tuple(k.split())
                table[key] = v
                if self.maxlen.get(key[0], 0) < len(key):
                    self.maxlen[key[0]] = len(key)
        self.demonyms = {tuple(k.split()): v for k, v in data.get("demonyms", {}).items()}
        self.country_names = dict(data.get("country_names", {}))
        return self

    @classmethod
    def load(cls, path: str | Path = SHIPPED) -> Dictionary:
        """Load a dictionary: our gzip JSON, PETRARCH/Phoenix ``.txt``, or our CSV/YAML formats."""
        path = Path(path)
        name = path.name.lower()
        if name.endswith(".json.gz") or name.endswith(".json"):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as fh:
                return cls.from_json(json.load(fh))
        if name.endswith((".csv", ".tsv")):
            return load_csv(path)
        if name.endswith((".yaml", ".yml")):
            return load_yaml(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        return parse_petrarch_agents(text) if looks_like_agents(text) else parse_petrarch_actors(text)


KEEP_UPPER = frozenset({"US", "UK", "UN", "EU", "AU", "USA", "UAE", "NATO", "IMF", "WHO", "OPEC", "ASEAN", "ICC",
                        "ISIS", "FBI", "CIA", "KGB", "FSB", "ANC", "PLO", "IAEA", "OSCE", "DPRK", "PRC", "ROK", "II",
                        "III", "IV"})
LOWER_PARTICLES = frozenset({"of", "the", "and", "for", "de", "del", "la", "al", "el", "bin", "van", "von", "du", "des",
                             "on", "in", "to"})


def display_name(raw: str) -> str:
    """``VLADIMIR_PUTIN_`` → ``Vladimir Putin``, ``US_SECRETARY_OF_STATE`` → ``US Secretary of State`` (acronyms stay
    upper-case, short ones only in front ("UN Security Council" but "Kim Jong Un"), particles lower-case; mixed-case
    names are kept as they are)."""
    text = re.sub(r"\s+", " ", raw.replace("_", " ")).strip()
    if text.isupper():
        words = []
        for i, w in enumerate(text.split()):
            if re.fullmatch(r"(\w\.)+\w?", w) or (w.strip(".,") in KEEP_UPPER and (i == 0 or len(w) > 3)):
                words.append(w)
            elif i and w.lower() in LOWER_PARTICLES:
                words.append(w.lower())
            else:
                words.append("-".join(p.capitalize() for p in w.split("-")))
        text = " ".join(words)
    return text


def looks_like_agents(text: str) -> bool:
    """PETRARCH agents files code nouns with ``[~XXX]``."""
    lines = [ln for ln in text.splitlines() if "[" in ln and not ln.lstrip().startswith("#")]
    return bool(lines) and sum("[~" in ln for ln in lines) > len(lines) / 2


def _roles_from_codes(text: str) -> list[Role]:
    roles: list[Role] = []
    for inner in _CODE_RE.findall(text):
        parts = inner.split()
        if not parts:
            continue
        code = parts[0].lstrip("~")
        start = end = None
        if len(parts) > 1:
            span = parts[1]
            if span.startswith(">"):
                start = parse_date(span[1:])
            elif span.startswith("<"):
                end = parse_date(span[1:])
            elif "-" in span:
                a, b = span.split("-", 1)
                start, end = parse_date(a), parse_date(b)
        country, sector = split_code(code)
        roles.append(Role(country, sector, code, start, end))
    return roles


def _office_comment(comment: str) -> str | None:
    """The office a role line's comment names ("# office: prime minister"), if it is one of OFFICE_TITLES."""
    key, _, value = comment.partition(":")
    office = value.strip().lower()
    return office if key.strip().lower() == "office" and office in OFFICE_TITLES else None


def parse_petrarch_actors(text: str) -> Dictionary:
    """Parse a PETRARCH/Phoenix ``.actors`` file (``NAME [CODE]``, ``+ALIAS``, tab-indented ``[CODE dates]``)."""
    out = Dictionary()
    pending: list[tuple[str, list[str], list[Role]]] = []
    current: tuple[str, list[str], list[Role]] | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            pending.append(current)
        current = None

    for raw in text.splitlines():
        line, _, comment = raw.partition("#")
        line = line.rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("["):  # role line of the current actor; "# office: president" names its office
            if current is not None:
                office = _office_comment(comment)
                current[2].extend(dataclasses.replace(r, office=office) if office else r
                                  for r in _roles_from_codes(stripped))
            continue
        if stripped.startswith("+"):
            if current is not None:
                for alias in stripped[1:].split("+"):  # a few lines hold several "+ALIAS"
                    name = _CODE_RE.sub("", alias).strip()
                    if name:
                        current[1].append(name)
                if "[" in stripped:
                    current[2].extend(_roles_from_codes(stripped))
            continue
        # a new actor, possibly a bare alias line (Phoenix lists "UN_ [IGOUNO]" style one-liners)
        flush()
        name = _CODE_RE.sub("", stripped).strip()
        current = (name, [], _roles_from_codes(stripped))
    flush()
    # an actor without roles takes the roles of the next actor (Phoenix groups "NAME\n+ALIAS\n[CODE]")
    next_roles: list[Role] = []
    for _name, _aliases, roles in reversed(pending):
        if roles:
            next_roles = roles
        elif next_roles:
            roles.extend(next_roles)
    for name, aliases, roles in pending:
        if roles and name:
            out.add_actor(name, aliases, roles)
    return out


def expand_agent_phrases(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    """Expand ``!PERSON!`` macros, ``{PLURAL}`` forms and regular plurals of an agents-file noun phrase."""
    plural = None
    m = re.search(r"\{([^}]*)\}", phrase)
    if m:
        plural = m.group(1).strip()
        phrase = phrase[: m.start()] + phrase[m.end():]
    phrase = phrase.strip()
    forms = [phrase]
    for macro, values in macros.items():
        if f"!{macro}!" in phrase:
            forms = [f.replace(f"!{macro}!", v) for f in forms for v in values]
    out: list[str] = []
    for f in forms:
        f = f.strip().rstrip("_")
        out.append(f)
        if plural is None:
            out.append(pluralise(f))
    if plural:
        out.append(plural)
    return out


def pluralise(phrase: str) -> str:
    """Regular English plural of the last word of an underscore phrase."""
    words = phrase.split("_")
    w = words[-1]
    if w.endswith("MAN"):
        w = w[:-3] + "MEN"
    elif w.endswith("Y") and len(w) > 1 and w[-2] not in "AEIOU":
        w = w[:-1] + "IES"
    elif w.endswith("S") and not w.endswith("SS"):
        pass  # already plural ("SUPPORTERS")
    elif w.endswith(("S", "X", "CH", "SH")):
        w = w + "ES"
    else:
        w = w + "S"
    return "_".join(words[:-1] + [w])


def parse_petrarch_agents(text: str, override: bool = False, into: Dictionary | None = None,
                          plover_codes: bool = False) -> Dictionary:
    """Parse a PETRARCH agents file (``NOUN [~AGENT]``, ``!MACRO! = A, B``) into role noun → sector; its codes are
    CAMEO's unless ``plover_codes`` (NGEC's PLOVER_agents.txt)."""
    out = into or Dictionary()
    macros: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"!(\w+)!\s*=\s*(.+)", line)
        if m:
            macros[m.group(1)] = [v.strip() for v in m.group(2).split(",") if v.strip()]
            continue
        cm = _CODE_RE.search(line)
        if not cm:
            continue
        code = cm.group(1).strip().lstrip("~")
        if code in ("JNK", "NON") or not code:
            continue
        sector = next((s for s in (sector_code(code[i:i + 3], plover_codes) for i in range(0, len(code), 3)) if s),
                      None)
        if not sector:
            continue
        for form in expand_agent_phrases(line[: cm.start()], macros):
            key = phrase_key(form)
            if key and key[-1] not in NEUTRAL_AGENTS and key not in NOT_ACTORS:
                out.add_agent(form, sector, override=override)
    return out


def add_agent_forms(d: Dictionary, noun: str, sector: str) -> None:
    """A user role noun and its regular plural."""
    d.add_agent(noun, sector, override=True)
    d.add_agent(pluralise("_".join(phrase_key(noun))), sector, override=True)


def load_csv(path: Path) -> Dictionary:
    """Our CSV format. Actors: ``name,country,sector[,aliases][,start][,end]`` (aliases ``|``-separated);
    agents: ``noun,sector`` (header ``noun`` or ``agent``)."""
    out = Dictionary()
    delim = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=delim))
    for row in rows:
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if "noun" in row or "agent" in row:
            sec = row.get("sector", "").upper()
            if sec:
                add_agent_forms(out, row.get("noun") or row.get("agent", ""), sec)
            continue
        name = row.get("name", "")
        if not name:
            continue
        aliases = [a for a in row.get("aliases", "").split("|") if a.strip()]
        role = Role(row.get("country") or None, (row.get("sector") or "").upper() or None,
                    (row.get("code") or f"{row.get('country', '')}{row.get('sector', '')}").upper(),
                    parse_date(row.get("start")), parse_date(row.get("end")))
        out.add_actor(name, aliases, [role], override=True)
    return out


def load_yaml(path: Path) -> Dictionary:
    """Our YAML format: ``actors: [{name, aliases, country, sector, roles: [{country, sector, start, end}]}]``,
    ``agents: {noun: sector}``."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = Dictionary()
    for iso, names in (data.get("countries") or {}).items():
        for n in names or []:
            out.add_country(str(n), str(iso))
    for iso, names in (data.get("demonyms") or {}).items():
        for n in names or []:
            out.add_country(str(n), str(iso), demonym="p" if str(n).endswith("s") else "a")
    for noun, sec in (data.get("agents") or {}).items():
        add_agent_forms(out, str(noun), str(sec).upper())
    for item in data.get("actors") or []:
        roles = []
        for r in item.get("roles") or [item]:
            code = str(r.get("code") or f"{r.get('country') or ''}{r.get('sector') or ''}").upper()
            country, sector = r.get("country"), r.get("sector")
            if (country is None or sector is None) and r.get("code"):
                c2, s2 = split_code(code)
                country, sector = country or c2, sector or s2
            roles.append(Role(country, (sector or "").upper() or None, code,
                              parse_date(str(r["start"])) if r.get("start") else None,
                              parse_date(str(r["end"])) if r.get("end") else None))
        out.add_actor(str(item["name"]), [str(a) for a in item.get("aliases") or []], roles, override=True)
    return out
