"""Build the shipped actor dictionary ``src/dateline/data/actors/actors.json.gz`` (``dateline actors build``).

Sources (all MIT, CC BY or CC0, read from ``../shared/data``): Phoenix/PETRARCH actor files (countries, international,
non-state armed groups), Wikidata office holders with their terms (``dictionaries/open_kb``, CC0: heads of state and
government, ministers, military chiefs, speakers, judges, governors, ambassadors of 166 countries to 2022–2024), NGEC ``PLOVER_agents.txt`` (PLOVER sectors; wins) and ``Phoenix.agents.txt`` (CAMEO codes
mapped to PLOVER), NGEC ``countries.csv`` (names, nationality adjectives), GeoNames ``countryInfo.txt`` (names,
capitals), UCDP armed groups, Party Facts parties.  Usage: ``dateline actors build [--shared ../shared] [-o OUT]``
(or ``python scripts/build_actors.py``, the same).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path

from dateline.actors.dictionary import (
    DATA_DIR,
    SHIPPED,
    Actor,
    Dictionary,
    Role,
    is_qid,
    office_in,
    parse_petrarch_actors,
    parse_petrarch_agents,
    phrase_key,
)

SUPPLEMENT = DATA_DIR / "supplement.yaml"
LEADERS = DATA_DIR / "leaders.actors.txt"
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")


def add_countries(d: Dictionary, data: Path) -> None:
    """Country names and nationality adjectives (NGEC), names and capitals (GeoNames)."""
    with (data / "dictionaries/ngec/countries.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    info = [ln.split("\t") for ln in (data / "gazetteer/countryInfo.txt").read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    names = {row["Name"].strip().lower() for row in rows} | {c[4].strip().lower() for c in info if len(c) > 4}
    for row in rows:
        iso = row["CCA3"].strip()
        d.add_country(row["Name"], iso)
        d.country_names.setdefault(iso, readable_name(row["Name"], row["Nationality"].split(",")))
        adjs = [a.strip() for a in row["Nationality"].split(",") if a.strip()]
        for adj in adjs:
            d.add_country(adj, iso, demonym=demonym_kind(adj, adjs, names))
    for line in (data / "gazetteer/countryInfo.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) > 5 and cols[1] and cols[1] != "ISO3":
            d.add_country(cols[4], cols[1])
            if cols[5]:
                d.add_country(cols[5], cols[1], capital=True)


def readable_name(name: str, variants: list[str]) -> str:
    """The country's name with its diacritics where a listed variant has them ("Cote d'Ivoire" → "Côte d'Ivoire")."""
    plain = phrase_key(name)
    for v in variants:
        v = v.strip().replace("’", "'")
        if not v.isascii() and phrase_key(v) == plain:
            return v
    return name.strip()


def demonym_kind(word: str, same: list[str], names: set[str]) -> str | None:
    """"p" for a plural nationality noun ("Libyans"), "a" for an adjective ("Libyan"), None for a name or acronym
    listed among the nationalities ("Ivory Coast", "DPRK")."""
    low = word.lower()
    if low in names or word.isupper() or " of " in low or not word[:1].isupper():
        return None
    singular = {s.lower() for s in same}
    if low.endswith("s") and (low[:-1] in singular or low[:-2] in singular):
        return "p"
    return None if low.endswith("s") and len(word.split()) > 1 else "a"


def build(shared: Path) -> Dictionary:
    data = shared / "data"
    phoenix = data / "dictionaries/phoenix"
    d = Dictionary()
    add_countries(d, data)
    for name in ACTOR_FILES:
        d.merge(parse_petrarch_actors((phoenix / name).read_text(encoding="utf-8", errors="replace")), override=False)
    parse_petrarch_agents((data / "dictionaries/ngec/PLOVER_agents.txt").read_text(encoding="utf-8"), into=d,
                          plover_codes=True)  # PLOVER codes: MED is health there
    parse_petrarch_agents((phoenix / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace"), into=d)
    supplement = Dictionary.load(SUPPLEMENT)
    d.merge(supplement, override=False)
    for key in supplement.countries.keys() - supplement.demonyms.keys():
        d.demonyms.pop(key, None)  # "Ivory Coast" is listed among NGEC's nationalities
    merge_leaders(d, open_kb_holders(data, d))
    d.merge(ucdp_groups(data, d), override=False)
    d.merge(party_facts(data, d), override=False)
    merge_leaders(d, parse_petrarch_actors(LEADERS.read_text(encoding="utf-8")), rename=True)  # curated wins
    one_id_per_body(d)
    return d


# the sector an office gives its holder (PLOVER: ministers, governors, central bankers and ambassadors are GOV)
OFFICE_SECTORS = (
    (re.compile(r"\b(minister|secretary of state|attorney general|ambassador|governor|mayor|premier)\b"), "GOV"),
    (re.compile(r"\b(chief of (the )?(general |defen[cs]e |army |naval |air )?staff|commander|chief of (the )?"
                r"(army|navy|air force|armed forces|defen[cs]e)|chief of general staff|army|navy|air force|"
                r"armed forces|marshal|admiral|general\b)"), "MIL"),
    (re.compile(r"\b(intelligence|security service)\b"), "SPY"),
    (re.compile(r"\b(police|gendarmerie)\b"), "COP"),
    (re.compile(r"\b(justice|judge|court)\b"), "JUD"),
    (re.compile(r"\b(speaker|parliament|senate|assembly|congress|legislat|member of|senator|deputy of)\b"), "LEG"),
)


def office_sector(position: str) -> str:
    """The PLOVER sector of an office's holder, by its label (GOV unless a military, security, judicial or
    legislative word says otherwise; the first matching rule wins, so "Minister of Justice" is GOV)."""
    label = position.lower()
    for pattern, sector in OFFICE_SECTORS:
        if pattern.search(label):
            return sector
    return "GOV"


def _term(text: str, last: bool) -> dt.date | None:
    """An ISO date of any precision ("2007", "2016-03", "2016-03-01") as its first (or ``last``) day."""
    from dateline.when.intervals import date_interval

    span = date_interval(text.strip()) if text and text.strip() else None
    return dt.date.fromisoformat(span[1 if last else 0]) if span else None


def open_kb_holders(data: Path, d: Dictionary) -> Dictionary:
    """Wikidata office holders as actors: one per person (id: the Wikidata QID), a dated role per term in the
    office's country and sector, and ELI ("former official") after the last term ends."""
    kb = data / "dictionaries/open_kb"
    iso: dict[str, str] = {}
    with (kb / "world_leaders_2021.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = d.countries.get(phrase_key(row["country"]))
            if code:
                iso[row["countryid"]] = code
    office_country: dict[tuple[str, str], str] = {}
    source_votes: dict[str, Counter[str]] = {}
    with (kb / "positions.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["country"] in iso:
                office_country[(row["source"], row["position"])] = iso[row["country"]]
                source_votes.setdefault(row["source"], Counter())[iso[row["country"]]] += 1
    # a scraper covers one country ("bulgaria-cabinet"): its offices without a position row ("President") are there
    source_country = {src: votes.most_common(1)[0][0] for src, votes in source_votes.items()}
    terms: dict[str, list[tuple[str, Role]]] = {}

    def add_term(qid: str, name: str, country: str | None, position: str, start: str, end: str) -> None:
        name = name.strip()
        if not country or len(phrase_key(name)) < 2 or qid == name:
            return  # unknown country, a one-word name (too ambiguous to match alone), or no label
        sector = office_sector(position)
        terms.setdefault(qid, []).append((name, Role(country, sector, country + sector, _term(start, False),
                                                     _term(end, True), label_office(position, country, d))))

    with (kb / "officeholders.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            country = office_country.get((row["source"], row["position"])) or source_country.get(row["source"]) \
                or d.countries.get(phrase_key(row["source"].rsplit("-", 1)[0]))
            add_term(row["personID"], row["person"], country, row["position"], row["start"], row["end"])
    with (kb / "world_leaders_2021.csv").open(encoding="utf-8") as fh:  # heads of state and government to 2024
        for row in csv.DictReader(fh):
            held = terms.get(row["officeholder"], [])
            if not any(r.start and r.start.year == int(row["start_year"] or 0) and r.country == iso.get(row["countryid"])
                       for _, r in held):
                add_term(row["officeholder"], row["officeholderLabel"], iso.get(row["countryid"]),
                         row["positionLabel"], row["start_year"], row["end_year"])
    out = Dictionary()
    for qid, held in terms.items():
        roles = sorted((r for _, r in held), key=lambda r: r.start or dt.date.min)
        ends = [r.end for r in roles]
        if all(e is not None for e in ends):  # out of every office: a former official afterwards
            last = max(ends)
            roles.append(Role(roles[-1].country, "ELI", roles[-1].country + "ELI", last + dt.timedelta(days=1)))
        idx = out.add_actor(held[0][0], [], roles)
        out.actors[idx].id = qid
        out.actors[idx].name = held[0][0]  # the Wikidata label as written ("Khaltmaagiin Battulga", diacritics kept)
    return out


def _name_words(name: str) -> tuple[str, ...]:
    """A name's dictionary key as it is indexed (a leading "the" dropped: "The Union" is one word)."""
    key = phrase_key(name)
    return key[1:] if key[:1] == ("THE",) else key


def _location_country(location: str, d: Dictionary) -> str | None:
    """ISO3 of the first country of a UCDP location ("Cambodia (Kampuchea), Thailand" → KHM)."""
    first = re.sub(r"\s*\(.*?\)", "", location.split(",")[0]).strip()
    return d.countries.get(phrase_key(first)) if first else None


def ucdp_groups(data: Path, d: Dictionary) -> Dictionary:
    """UCDP armed groups (organisation type 1: rebel groups) as REB actors of the country they fight in first; a
    name already in the dictionary keeps its entry (merged without override)."""
    out = Dictionary()
    with (data / "dictionaries/open_kb/ucdp-actor-221.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            country = _location_country(row["Location"], d)
            if row["Org"] != "1" or not country:
                continue
            names = [n.strip() for n in (row["NameOrigFullEng"], row["NameData"], row["NewNameFullEng"],
                                          row["NewName"]) if n.strip() and n.strip() != "n/a"]
            # a one-word short name must be an acronym of three letters or more ("BLA"), not a common word, and not
            # a country's or a role's ("PRC" is China before it is the Popular Resistance Committees)
            names = [n for n in names if len(_name_words(n)) > 1 or n.isupper() and len(n) >= 3
                     and not {phrase_key(n)} & (d.countries.keys() | d.capitals.keys() | d.agents.keys())]
            if names:
                idx = out.add_actor(names[0], names[1:], [Role(country, "REB", country + "REB")])
                out.actors[idx].id = f"ucdp-{row['ActorId']}"
    return out


PARTY_WORDS = frozenset("PARTY PARTI PARTIDO PARTEI ALLIANCE FRONT MOVEMENT CONGRESS LEAGUE COALITION BLOC FORUM "
                        "RALLY UNION DEMOCRATS REPUBLICANS SOCIALISTS CONSERVATIVES LIBERALS GREENS".split())


def _party_name(name: str, d: Dictionary) -> bool:
    """A name that reads as a party's: a party word that is not a union of some trade ("Nigerian Union of
    Teachers", "Serbian Workers' Union" are in Party Facts but are unions), or no role word at all."""
    key = phrase_key(name)
    roles = [w for w in key if (w,) in d.agents and d.agents[(w,)] not in ("PTY", "OPP")]
    return not roles or bool(set(key) & PARTY_WORDS - {"UNION"})


def party_facts(data: Path, d: Dictionary) -> Dictionary:
    """Party Facts core parties as PTY actors of their country, by their full names (two words or more); a name
    that parties of several countries share ("Labour Party") and short names (acronyms recur across countries) are
    left out."""
    rows = []
    with (data / "dictionaries/open_kb/partyfacts-core-parties.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = [n.strip() for field in ("name_english", "name") for n in (row[field] or "").split(" / ")]
            names = list(dict.fromkeys(n for n in names if len(_name_words(n)) > 1 and _party_name(n, d)))
            if names and len(row["country"]) == 3:
                rows.append((row, names))
    countries: dict[tuple[str, ...], set[str]] = {}
    for row, names in rows:
        for n in names:
            countries.setdefault(phrase_key(n), set()).add(row["country"])
    out = Dictionary()
    for row, names in rows:
        names = [n for n in names if len(countries[phrase_key(n)]) == 1]
        if names:
            idx = out.add_actor(names[0], names[1:], [Role(row["country"], "PTY", row["country"] + "PTY")])
            out.actors[idx].id = f"partyfacts-{row['partyfacts_id']}"
    return out


def label_office(position: str, country: str, d: Dictionary) -> str | None:
    """The office (dictionary.OFFICE_TITLES) a Wikidata position label names: the bare title ("President") or the
    title of the term's own country ("Prime Minister of Japan"); "President of the Senate", "Premier of Ontario"
    and "Deputy Prime Minister" are not the office."""
    words = list(phrase_key(position))
    found = office_in(words)
    if found is None:
        return None
    office, begin, end = found
    if begin:
        return None  # "Senior Advisor to the President" is not the office
    rest = words[end:]
    while rest[:1] in (["OF"], ["THE"]):
        rest = rest[1:]
    return office if not rest or d.countries.get(tuple(rest)) == country else None


def _overlap(a: Role, b: Role) -> bool:
    return (a.start or dt.date.min) <= (b.end or dt.date.max) and (b.start or dt.date.min) <= (a.end or dt.date.max)


def office_roles(old: list[Role], new: list[Role]) -> list[Role]:
    """Wikidata office roles that the curated list's roles replace but agree with (same country and sector, dates
    that overlap): kept beside them, for the office they name ("the US president" on a date), and ending no later
    than the curated role (the curated list knows of terms that ended after the Wikidata snapshot)."""
    out = []
    for o in old:
        agree = [r for r in new if r.country == o.country and r.sector == o.sector and _overlap(r, o)]
        # the curated term that ends last (a minister who became chancellor has both terms overlapping his office)
        match = max(agree, key=lambda r: r.end or dt.date.max) if agree else None
        if o.office and o.start and match is not None:
            end = match.end if match.end and (o.end is None or o.end > match.end) else o.end
            out.append(dataclasses.replace(o, end=end))
    return out


def clip_roles(old: list[Role], first: dt.date) -> list[Role]:
    """Phoenix roles kept up to the first office the curated list gives: later ones dropped, open ones closed."""
    out = []
    for r in old:
        if r.start is None and r.end is None:
            out.append(r)
        elif r.start is not None and r.start >= first:
            continue
        elif r.end is None or r.end >= first:
            out.append(dataclasses.replace(r, end=first - dt.timedelta(days=1)))
        else:
            out.append(r)
    return out


def _same_countries(a: Actor, b: Actor) -> bool:
    """Whether two actors of one name can be one person: a country in common, or no country on one side."""
    ca, cb = {r.country for r in a.roles if r.country}, {r.country for r in b.roles if r.country}
    return not ca or not cb or bool(ca & cb)


def merge_leaders(d: Dictionary, leaders: Dictionary, rename: bool = False) -> None:
    """Dated leaders (Wikidata office holders, then the curated list) win over Phoenix: the same person keeps its
    earlier roles and its id, all aliases point to it; ``rename``: the display name becomes the merged list's (the
    curated list spells names as the news does: "Kim Jong Un", not Wikidata's "Kim Jong-un")."""
    for idx, actor in enumerate(leaders.actors):
        keys = [k for k, i in leaders.phrases.items() if i == idx]
        surname = phrase_key(actor.name)[-1:]
        known = next((d.phrases[k] for k in keys if k in d.phrases and len(k) > 1
                      and phrase_key(d.actors[d.phrases[k]].name)[-1:] == surname), None)
        if known is not None and not rename and not _same_countries(d.actors[known], actor):
            continue  # a namesake in another country ("Fernando Gomes"): the name stays with the known actor
        if known is None:
            target = len(d.actors)
            d.actors.append(actor)
        else:
            target = known
            if rename:
                d.actors[known].name = actor.name
            starts = [r.start for r in actor.roles if r.start]
            before = d.actors[known].roles
            dated = [r for r in actor.roles if r.start or r.end]
            old = clip_roles(before, min(starts)) + office_roles(before, dated) if starts else []
            d.actors[known].roles = old + dated + [
                r for r in actor.roles if not (r.start or r.end) and not any(
                    not (o.start or o.end) and o.sector == r.sector for o in old)]
        for k in keys:
            d.phrases[k] = target
            d._index(k)


# words a body's name may add to its country and its sector noun and still be that country's generic body
# ("Israel Defence Forces" is ISRMIL); metonyms that stand for a government or its military
GENERIC_FILLERS = frozenset("THE OF NATIONAL ARMED DEFENCE DEFENSE FEDERAL STATE ROYAL".split())
METONYMS = frozenset({("KREMLIN",), ("WHITE", "HOUSE"), ("PENTAGON",), ("DOWNING", "STREET"), ("ELYSEE",),
                      ("ELYSEE", "PALACE"), ("BLUE", "HOUSE"), ("ZHONGNANHAI",)})


def one_id_per_body(d: Dictionary) -> int:
    """A dictionary body that is only its country's generic actor of a sector ("United States Military", "Israel
    Defence Forces", "Kremlin") takes the generic id ("USAMIL", "ISRMIL", "RUSGOV"), so one body has one id
    whether a story names it or describes it. Returns how many ids changed."""
    changed = 0
    for a in d.actors:
        if len(a.roles) != 1 or a.id.startswith(("ucdp-", "partyfacts-")) or is_qid(a.id):
            continue  # one role only; an id from an open data set is already the body's own
        r = a.roles[0]
        if r.start or r.end or r.country in (None, "IGO", "NGO") or not r.sector or r.code != r.country + r.sector:
            continue
        words = phrase_key(a.name)
        sector_words = {w for w in words if d.agents.get((w,)) == r.sector}
        rest = tuple(w for w in words if w not in sector_words and w not in GENERIC_FILLERS)
        generic = bool(sector_words) and bool(rest) and d.countries.get(rest) == r.country
        if generic or words in METONYMS:
            a.id, changed = r.code, changed + 1
    return changed


def build_file(shared: Path, out: Path = SHIPPED) -> str:
    """Build the dictionary from ``shared`` (the folder holding ``data/dictionaries``) into ``out``; a summary."""
    t0 = time.perf_counter()
    d = build(Path(shared))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    d.save(out)
    return (f"{len(d.actors)} actors, {len(d.phrases)} phrases, {len(d.agents)} agents, "
            f"{len(d.countries)} country names, {len(d.capitals)} capitals → {out} "
            f"({out.stat().st_size / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s)")
