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
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.actors.dictionary import (  # noqa: E402
    SHIPPED,
    Dictionary,
    parse_petrarch_actors,
    parse_petrarch_agents,
)

SUPPLEMENT = ROOT / "src/dateline/data/actors/supplement.yaml"
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")


def add_countries(d: Dictionary, data: Path) -> None:
    """Country names and nationality adjectives (NGEC), names and capitals (GeoNames)."""
    with (data / "dictionaries/ngec/countries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            iso = row["CCA3"].strip()
            d.add_country(row["Name"], iso)
            for adj in row["Nationality"].split(","):
                if adj.strip():
                    d.add_country(adj.strip(), iso)
    for line in (data / "gazetteer/countryInfo.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) > 5 and cols[1] and cols[1] != "ISO3":
            d.add_country(cols[4], cols[1])
            if cols[5]:
                d.add_country(cols[5], cols[1], capital=True)


def build(shared: Path) -> Dictionary:
    data = shared / "data"
    phoenix = data / "dictionaries/phoenix"
    d = Dictionary()
    add_countries(d, data)
    for name in ACTOR_FILES:
        d.merge(parse_petrarch_actors((phoenix / name).read_text(encoding="utf-8", errors="replace")), override=False)
    parse_petrarch_agents((data / "dictionaries/ngec/PLOVER_agents.txt").read_text(encoding="utf-8"), into=d)
    parse_petrarch_agents((phoenix / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace"), into=d)
    d.merge(Dictionary.load(SUPPLEMENT), override=False)
    return d


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
