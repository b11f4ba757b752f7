#!/usr/bin/env python
"""Build the shipped actor dictionary ``src/dateline/data/actors/actors.json.gz``.

Sources (all MIT or CC BY, read from ``../shared/data``): Phoenix/PETRARCH actor files (countries, international,
non-state armed groups), NGEC ``PLOVER_agents.txt`` (PLOVER sectors; wins) and ``Phoenix.agents.txt`` (CAMEO codes
mapped to PLOVER), NGEC ``countries.csv`` (names, nationality adjectives), GeoNames ``countryInfo.txt`` (names,
capitals).  Usage: ``python scripts/build_actors.py [--shared ../shared] [-o OUT]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.actors.dictionary import (  # noqa: E402
    SHIPPED,
    Dictionary,
    Role,
    parse_petrarch_actors,
    parse_petrarch_agents,
    phrase_key,
)

SUPPLEMENT = ROOT / "src/dateline/data/actors/supplement.yaml"
LEADERS = ROOT / "src/dateline/data/actors/leaders.actors.txt"
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
    parse_petrarch_agents((data / "dictionaries/ngec/PLOVER_agents.txt").read_text(encoding="utf-8"), into=d)
    parse_petrarch_agents((phoenix / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace"), into=d)
    supplement = Dictionary.load(SUPPLEMENT)
    d.merge(supplement, override=False)
    for key in supplement.countries.keys() - supplement.demonyms.keys():
        d.demonyms.pop(key, None)  # "Ivory Coast" is listed among NGEC's nationalities
    merge_leaders(d, parse_petrarch_actors(LEADERS.read_text(encoding="utf-8")))
    return d


def clip_roles(old: list[Role], first: dt.date) -> list[Role]:
    """Phoenix roles kept up to the first office the curated list gives: later ones dropped, open ones closed."""
    out = []
    for r in old:
        if r.start is None and r.end is None:
            out.append(r)
        elif r.start is not None and r.start >= first:
            continue
        elif r.end is None or r.end >= first:
            out.append(Role(r.country, r.sector, r.code, r.start, first - dt.timedelta(days=1)))
        else:
            out.append(r)
    return out


def merge_leaders(d: Dictionary, leaders: Dictionary) -> None:
    """Curated 2014–2025 leaders win over Phoenix: the same person keeps its earlier Phoenix roles, all aliases
    point to it."""
    for idx, actor in enumerate(leaders.actors):
        keys = [k for k, i in leaders.phrases.items() if i == idx]
        surname = phrase_key(actor.name)[-1:]
        known = next((d.phrases[k] for k in keys if k in d.phrases and len(k) > 1
                      and phrase_key(d.actors[d.phrases[k]].name)[-1:] == surname), None)
        if known is None:
            target = len(d.actors)
            d.actors.append(actor)
        else:
            target = known
            starts = [r.start for r in actor.roles if r.start]
            old = clip_roles(d.actors[known].roles, min(starts)) if starts else []
            d.actors[known].roles = old + [r for r in actor.roles if r.start or r.end] + [
                r for r in actor.roles if not (r.start or r.end) and not any(
                    not (o.start or o.end) and o.sector == r.sector for o in old)]
        for k in keys:
            d.phrases[k] = target
            d._index(k)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("-o", "--out", default=str(SHIPPED))
    args = ap.parse_args()
    t0 = time.perf_counter()
    d = build(Path(args.shared))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    d.save(args.out)
    print(f"{len(d.actors)} actors, {len(d.phrases)} phrases, {len(d.agents)} agents, "
          f"{len(d.countries)} country names, {len(d.capitals)} capitals → {args.out} "
          f"({Path(args.out).stat().st_size / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
