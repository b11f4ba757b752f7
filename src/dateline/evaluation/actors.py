"""Actor resolution accuracy (``dateline eval actors GOLD…``): country and sector of short descriptions.

GOLD files: our case CSV (``text,date,country,sector[,origin]``) or PLOVER GSR JSON (source/target actor text + code +
sector). Sector is scored only where the gold gives one. ``python -m dateline.evaluation.actors --build-cases SHARED``
rebuilds ``tests/data/actor_cases.csv`` from the GSR gold and the shipped dictionaries.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from dateline.actors.dictionary import CAMEO_COUNTRY, Dictionary, sector_code


def gsr_cases(path: str | Path) -> list[dict]:
    """Actor spans of the PLOVER GSR file as cases (codes mapped to ISO3 / PLOVER sectors)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out, seen = [], set()
    for rec in data:
        for side in ("source", "target"):
            for a in rec.get(side) or []:
                if not isinstance(a, dict):
                    continue
                text, code = (a.get("actorText") or "").strip(), (a.get("code") or "").strip().upper()
                if not text or not code or "..." in text:
                    continue
                sec = (a.get("sector") or "")[:3].upper()
                # GSR "date" is a placeholder (2000-01-01 throughout), so cases are undated
                case = {"text": text, "date": "", "country": CAMEO_COUNTRY.get(code, code),
                        "sector": sector_code(sec) or "", "origin": "gsr"}
                key = tuple(case.values())
                if key not in seen:
                    seen.add(key)
                    out.append(case)
    return out


def gsr_context_cases(path: str | Path) -> list[dict]:
    """GSR actor spans with their sentence: ``start``/``end`` locate the span in ``sentence`` (first occurrence)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for rec in data:
        text = rec.get("text") or ""
        for side in ("source", "target"):
            for a in rec.get(side) or []:
                if not isinstance(a, dict):
                    continue
                span, code = (a.get("actorText") or "").strip(), (a.get("code") or "").strip().upper()
                at = text.find(span) if span else -1
                if not code or at < 0 or "..." in span:
                    continue
                sec = (a.get("sector") or "")[:3].upper()
                out.append({"text": span, "sentence": text, "start": at, "end": at + len(span),
                            "country": CAMEO_COUNTRY.get(code, code), "sector": sector_code(sec) or "",
                            "origin": "gsr-context"})
    return out


def resolve_in_context(cases: list[dict], stage) -> list:
    """For each case, the mention of ``find_mentions`` over its sentence that best overlaps the gold span."""
    from dateline import nlp
    from dateline.model import ActorRef

    sentences = sorted({c["sentence"] for c in cases})
    mentions = {s: stage.find_mentions(doc, None) for s, doc in zip(sentences, nlp.pipe(sentences), strict=True)}
    refs = []
    for c in cases:
        best, overlap = None, 0
        for m in mentions[c["sentence"]]:
            ov = min(m.end, c["end"]) - max(m.start, c["start"])
            if ov > overlap or ov == overlap and best is not None and ov > 0 and m.end == c["end"]:
                best, overlap = m, ov
        refs.append(ActorRef(best.name, best.country, best.sector, best.id) if best else ActorRef(None, None, None, None))
    return refs


def read_cases(path: str | Path) -> list[dict]:
    p = Path(path)
    if p.suffix.lower() == ".csv":
        with p.open(encoding="utf-8", newline="") as fh:
            return [dict(r, origin=r.get("origin") or p.stem) for r in csv.DictReader(fh)]
    return gsr_cases(p)


def evaluate(paths: list[str], **options) -> dict:
    """Resolve every case; count country and sector agreement overall and per origin."""
    from dateline.actors import get_stage

    stage = get_stage(options.get("actors", ()), options.get("agents", ()))
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors = []
    for path in paths:
        cases = read_cases(path)
        if options.get("context") and not str(path).lower().endswith(".csv"):
            cases = gsr_context_cases(path)
            refs = resolve_in_context(cases, stage)
        else:
            refs = [stage.resolve(c["text"], dt.date.fromisoformat(c["date"]) if c.get("date") else None)
                    for c in cases]
        for case, ref in zip(cases, refs, strict=True):
            c_ok = (ref.country or "") == (case.get("country") or "")
            s_gold = case.get("sector") or ""
            s_ok = (ref.sector or "") == s_gold if s_gold else None
            both = c_ok and (s_ok is not False)
            for key in ("all", case.get("origin") or "?"):
                t = tally[key]
                t["n"] += 1
                t["country"] += c_ok
                t["both"] += both
                if s_ok is not None:
                    t["sector_n"] += 1
                    t["sector"] += s_ok
            if not both:
                errors.append({**case, "got_country": ref.country, "got_sector": ref.sector})
    groups = {k: {"n": v["n"], "country_acc": v["country"] / v["n"] if v["n"] else 0.0,
                  "sector_acc": v["sector"] / v["sector_n"] if v["sector_n"] else None,
                  "sector_n": v["sector_n"], "accuracy": v["both"] / v["n"] if v["n"] else 0.0}
              for k, v in tally.items()}
    return {"kind": "actors", "groups": groups, "errors": errors}


def report(result: dict) -> str:
    lines = ["actors: accuracy = country right and (sector right where the gold has one)",
             f"{'set':<12}{'n':>6}{'country':>9}{'sector':>9}{'(n)':>6}{'both':>8}"]
    for k, g in sorted(result["groups"].items(), key=lambda kv: kv[0] != "all"):
        sec = f"{g['sector_acc']:.3f}" if g["sector_acc"] is not None else "-"
        lines.append(f"{k:<12}{g['n']:>6}{g['country_acc']:>9.3f}{sec:>9}{g['sector_n']:>6}{g['accuracy']:>8.3f}")
    return "\n".join(lines)


def build_cases(shared: Path, out: Path, seed: int = 7) -> int:
    """GSR actor spans + nationality × role-noun patterns + dated dictionary people → ``out`` CSV."""
    cases = gsr_cases(shared / "data/gold/events/plover_gsr/PLOVER_GSR_CAMEO.txt")
    d = Dictionary.load()
    rng = random.Random(seed)
    adjs = sorted((" ".join(w.title() for w in k), v) for k, v in d.countries.items()
                  if len(k) <= 2 and k[-1].endswith(("AN", "ESE", "ISH", "I")))
    nouns = [("troops", "MIL"), ("police", "COP"), ("foreign minister", "GOV"), ("lawmakers", "LEG"),
             ("rebels", "REB"), ("protesters", "CVL"), ("judges", "JUD"), ("government", "GOV"), ("army", "MIL"),
             ("officials", "GOV"), ("journalists", "JRN"), ("students", "EDU"), ("refugees", "REF"),
             ("businessmen", "BUS"), ("doctors", "MED"), ("warplanes", "MIL"), ("president", "GOV")]
    for _ in range(150):
        (adj, iso), (noun, sec) = rng.choice(adjs), rng.choice(nouns)
        cases.append({"text": f"{adj} {noun}", "date": "2015-06-01", "country": iso, "sector": sec,
                      "origin": "pattern"})
    people = [(a, r) for a in d.actors for r in a.roles if r.start and r.end and r.sector and r.country
              and len(r.country) == 3 and len(a.name.split()) >= 2]
    for a, r in rng.sample(people, 150):
        mid = r.start + (r.end - r.start) / 2
        cases.append({"text": a.name, "date": mid.isoformat(), "country": r.country, "sector": r.sector,
                      "origin": "dictionary"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["text", "date", "country", "sector", "origin"])
        w.writeheader()
        w.writerows(cases)
    return len(cases)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--build-cases":
        shared = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[4] / "shared"
        target = Path(__file__).resolve().parents[3] / "tests/data/actor_cases.csv"
        print(build_cases(shared, target), "cases →", target)
    else:
        args = [a for a in sys.argv[1:] if a != "--context"]
        res = evaluate(args, context="--context" in sys.argv)
        print(report(res))
