"""Toponym evaluation over gold with coordinates: GeoWebNews (``GWN.xml``), TR-News and GeoVirus formats.

Figures: detection recall and precision (span overlap), accuracy within 161 km on detected toponyms, and the strict
figure (correct / all gold toponyms, misses count as wrong). Gold offsets that do not match the text (GeoVirus is
off by one, some TR-News spans are shifted) are re-anchored on the phrase's nearest occurrence.

By default gold demonyms ("Russian", "European") are left out: dateline does not treat demonyms as places
(``include_demonyms=True`` keeps them in). Predicted spans that overlap a gold span without coordinates (a demonym,
a non-toponym marked by the annotators) are neither right nor wrong.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dateline.gazetteer import km
from dateline.model import Document, Place

KM = 161.0


@dataclass
class GoldToponym:
    phrase: str
    start: int
    end: int
    lat: float | None
    lon: float | None


@dataclass
class GoldDoc:
    id: str
    text: str
    toponyms: list[GoldToponym]


def _f(x: str | None) -> float | None:
    try:
        return float(x) if x not in (None, "") else None
    except ValueError:
        return None


def _reanchor(text: str, t: GoldToponym) -> GoldToponym:
    if text[t.start:t.end] == t.phrase or not t.phrase:
        return t
    hits, i = [], text.find(t.phrase)
    while i >= 0:
        hits.append(i)
        i = text.find(t.phrase, i + 1)
    if not hits:
        return t
    s = min(hits, key=lambda h: abs(h - t.start))
    return GoldToponym(t.phrase, s, s + len(t.phrase), t.lat, t.lon)


def read_gold(path: str | Path) -> Iterator[GoldDoc]:
    """Documents with toponyms from any of the three formats."""
    root = ET.parse(path).getroot()
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        tops: list[GoldToponym] = []
        for t in art.iter("toponym"):
            gaz = t.find("gaztag")
            if gaz is not None:  # TR-News
                tops.append(GoldToponym(t.findtext("phrase") or "", int(t.findtext("start")), int(t.findtext("end")),
                                        _f(gaz.findtext("lat")), _f(gaz.findtext("lon"))))
            elif t.find("extractedName") is not None:  # GeoWebNews
                tops.append(GoldToponym(t.findtext("extractedName") or "", int(t.findtext("start")),
                                        int(t.findtext("end")), _f(t.findtext("latitude")), _f(t.findtext("longitude"))))
            else:  # TR-News toponym without gaztag
                tops.append(GoldToponym(t.findtext("phrase") or "", int(t.findtext("start") or 0),
                                        int(t.findtext("end") or 0), None, None))
        for loc in art.iter("location"):  # GeoVirus
            tops.append(GoldToponym(loc.findtext("name") or "", int(loc.findtext("start")), int(loc.findtext("end")),
                                    _f(loc.findtext("lat")), _f(loc.findtext("lon"))))
        doc_id = art.get("docid") or art.get("file") or str(n)
        yield GoldDoc(doc_id, text, [_reanchor(text, t) for t in tops])


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _is_demonym(phrase: str) -> bool:
    from dateline.gazetteer import get_gazetteer

    return get_gazetteer().is_demonym(phrase)


def score_doc(gold: GoldDoc, pred: list[Place], include_demonyms: bool = False) -> dict[str, int]:
    """Counts for one document."""
    scored = [t for t in gold.toponyms if t.lat is not None and (include_demonyms or not _is_demonym(t.phrase))]
    unscored = [t for t in gold.toponyms if t not in scored]
    c = {"gold": len(scored), "pred": 0, "tp_pred": 0, "detected": 0, "correct": 0}
    for p in pred:
        hit = any(_overlap((p.start, p.end), (t.start, t.end)) for t in scored)
        ignored = not hit and any(_overlap((p.start, p.end), (t.start, t.end)) for t in unscored)
        if ignored:
            continue
        c["pred"] += 1
        c["tp_pred"] += hit
    for t in scored:
        match = [p for p in pred if _overlap((p.start, p.end), (t.start, t.end))]
        if not match:
            continue
        c["detected"] += 1
        best = min(match, key=lambda p: abs(p.start - t.start) + abs(p.end - t.end))
        if best.lat is not None and km(best.lat, best.lon, t.lat, t.lon) <= KM:
            c["correct"] += 1
    return c


def evaluate(paths: list[str], limit: int | None = None, include_demonyms: bool = False,
             progress: Callable[[int], None] | None = None, **_: object) -> dict:
    """Run ``find_places`` over gold files; figures per file and over all."""
    from dateline import nlp
    from dateline.where import find_places

    out: dict = {"files": {}, "km": KM, "include_demonyms": include_demonyms}
    total = {"gold": 0, "pred": 0, "tp_pred": 0, "detected": 0, "correct": 0, "docs": 0}
    for path in paths:
        counts = {k: 0 for k in total}
        docs = list(read_gold(path))[:limit]
        for gd, sdoc in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
            places = find_places(sdoc, Document(id=gd.id, text=gd.text))
            for k, v in score_doc(gd, places, include_demonyms).items():
                counts[k] += v
            counts["docs"] += 1
            if progress:
                progress(1)
        out["files"][Path(path).name] = _figures(counts)
        for k in total:
            total[k] += counts[k]
    out["all"] = _figures(total)
    return out


def _figures(c: dict[str, int]) -> dict:
    div = lambda a, b: round(a / b, 4) if b else 0.0  # noqa: E731
    return {**c, "recall": div(c["detected"], c["gold"]), "precision": div(c["tp_pred"], c["pred"]),
            "accuracy_161km": div(c["correct"], c["detected"]), "strict_161km": div(c["correct"], c["gold"])}


def report(result: dict) -> str:
    """A plain-text table of ``evaluate``'s result."""
    rows = [f"{'file':<16}{'docs':>6}{'gold':>7}{'recall':>8}{'prec':>8}{'acc@161':>9}{'strict':>8}"]
    for name, f in [*result["files"].items(), ("ALL", result["all"])]:
        rows.append(f"{name:<16}{f['docs']:>6}{f['gold']:>7}{f['recall']:>8.3f}{f['precision']:>8.3f}"
                    f"{f['accuracy_161km']:>9.3f}{f['strict_161km']:>8.3f}")
    note = "demonyms included" if result.get("include_demonyms") else "gold demonyms left out"
    return "\n".join(rows) + f"\n(accuracy within {result['km']:.0f} km on detected toponyms; {note})"
