"""Build ``src/dateline/data/actors/igos_supraverden.tsv`` from the Supraverden list of intergovernmental bodies.

    python scripts/build_igos.py [--shared ../shared]

Reads ``data/dictionaries/open_kb/supraverden/general_list.yaml`` (CC BY-SA 4.0, Confirmordeny) at development time;
the TSV it writes is shipped as a separate data file under that licence (see NOTICE) and merged into the actor
dictionary at load time after the shipped one, so a body the dictionary already knows keeps its entry. Each body is
an IGO actor (a court or tribunal IGO/JUD, a parliament IGO/LEG), by its English name and its abbreviation.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/dateline/data/actors/igos_supraverden.tsv"
SECTORS = ((re.compile(r"\b(court|tribunal)\b", re.I), "JUD"), (re.compile(r"\bparliament\b", re.I), "LEG"))


def sector(name: str) -> str:
    return next((s for pattern, s in SECTORS if pattern.search(name)), "IGO")


def rows(general_list: Path) -> list[dict[str, str]]:
    data = yaml.load(general_list.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    out = []
    for key, item in data.items():
        name = str(item.get("Name_en") or key).strip()
        abbrev = str(item.get("Abbreviation_en") or "").strip()
        aliases = [a for a in (str(key).strip(), abbrev) if a and a != name and (a != abbrev or len(a) >= 3)]
        out.append({"name": name, "country": "IGO", "sector": sector(name), "aliases": "|".join(dict.fromkeys(aliases))})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()
    found = rows(Path(args.shared) / "data/dictionaries/open_kb/supraverden/general_list.yaml")
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, ["name", "country", "sector", "aliases"], delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(found)
    print(f"{len(found)} bodies → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
