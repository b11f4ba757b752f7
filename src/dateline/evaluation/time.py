"""Time-expression accuracy over TimeML gold (``dateline eval time GOLD…``).

Reads TimeML ``.tml`` files (TimeBank, AQUAINT: ``TIMEX3`` elements inline in ``<TEXT>``) and MEANTIME CAT XML
(tokens plus ``TIMEX3`` elements anchored on token ids). The document creation time (``functionInDocument=
"CREATION_TIME"``) is the anchor and is excluded from scoring. Scores: detection precision, recall and F1 by overlap,
and value accuracy of gold expressions (a gold expression counts as right when an overlapping prediction has its value;
missed ones count as wrong), overall and type by type.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.model import TimeExpr

TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass
class GoldTimex:
    """One gold TIMEX3 with character offsets into its document's text."""

    text: str
    start: int
    end: int
    value: str
    type: str


@dataclass
class GoldDoc:
    """A gold document: its text, anchor (creation time) and scored time expressions."""

    path: str
    text: str
    anchor: dt.date | None
    timexes: list[GoldTimex] = field(default_factory=list)
    ignored: list[tuple[int, int]] = field(default_factory=list)  # spans not scored (the creation time)
    scored_end: int | None = None  # text after this offset was not annotated (MEANTIME: first sentences only)


def _date(value: str | None) -> dt.date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def read_tml(path: str | Path) -> GoldDoc:
    """Read a TimeML file: the text of ``<TEXT>`` with its TIMEX3 spans; the DCT as anchor."""
    root = ET.parse(path).getroot()
    anchor = None
    for tx in root.iter("TIMEX3"):
        if tx.get("functionInDocument") == "CREATION_TIME":
            anchor = _date(tx.get("value"))
            break
    body = root.find("TEXT")
    doc = GoldDoc(str(path), "", anchor)
    parts: list[str] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el is not body:
            text = "".join(parts)[start:pos]
            if el.get("functionInDocument") == "CREATION_TIME":
                doc.ignored.append((start, pos))
            elif text.strip():
                doc.timexes.append(GoldTimex(text, start, pos, el.get("value") or "", el.get("type") or "DATE"))

    if body is not None:
        walk(body)
    doc.text = "".join(parts)
    return doc


_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|'S|n't|'re|'ve|'ll|'d|'m|''|\"$)")
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "#"}


def read_meantime(path: str | Path) -> GoldDoc:
    """Read a MEANTIME CAT XML file; tokens are joined into text (one line per sentence, light detokenisation)."""
    root = ET.parse(path).getroot()
    offsets: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    pos = 0
    prev_sentence = None
    prev_token = ""
    for tok in root.iter("token"):
        word = tok.text or ""
        sentence = tok.get("sentence")
        if parts:
            if sentence != prev_sentence:
                sep = "\n"
            elif _NO_SPACE_BEFORE.match(word) or prev_token in _NO_SPACE_AFTER:
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            pos += len(sep)
        offsets[tok.get("t_id", "")] = (pos, pos + len(word))
        parts.append(word)
        pos += len(word)
        prev_sentence, prev_token = sentence, word
    text = "".join(parts)
    anchor = None
    doc = GoldDoc(str(path), text, None)
    markables = root.find("Markables")
    for tx in (markables if markables is not None else root).iter("TIMEX3"):
        ids = [a.get("t_id", "") for a in tx.findall("token_anchor")]
        spans = [offsets[i] for i in ids if i in offsets]
        if tx.get("functionInDocument") == "CREATION_TIME":
            anchor = anchor or _date(tx.get("value"))
            if spans:
                doc.ignored.append((min(s for s, _ in spans), max(e for _, e in spans)))
            continue
        if not spans:
            continue  # empty (implicit) TIMEX3
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        doc.timexes.append(GoldTimex(text[start:end], start, end, tx.get("value") or "", tx.get("type") or "DATE"))
    if anchor is None:  # a few files do not mark the creation time: the date line (sentence 1) holds it
        line = " ".join(tok.text or "" for tok in root.iter("token") if tok.get("sentence") == "1")
        try:
            anchor = dt.datetime.strptime(re.sub(r"\s*,\s*", ", ", line.strip()), "%B %d, %Y").date()
        except ValueError:
            anchor = None
        if anchor is not None:
            first = [offsets[t.get("t_id", "")] for t in root.iter("token") if t.get("sentence") == "1"]
            doc.ignored.append((first[0][0], first[-1][1]))
            doc.timexes = [t for t in doc.timexes if not any(_overlaps((t.start, t.end), s) for s in doc.ignored)]
    doc.anchor = anchor
    # MEANTIME annotates the title, date line and first few sentences only: score the sentences holding markables
    sentence_of = {tok.get("t_id", ""): int(tok.get("sentence") or 0) for tok in root.iter("token")}
    marked = [sentence_of.get(a.get("t_id", ""), -1) for a in root.iter("token_anchor")]
    last = max(marked, default=-1)
    ends = [offsets[t][1] for t, s in sentence_of.items() if s == last and t in offsets]
    doc.scored_end = max(ends) if ends else None
    return doc


def read_gold(path: str | Path) -> GoldDoc:
    """Read one gold file, TimeML (``.tml``) or MEANTIME (``.xml``)."""
    return read_tml(path) if str(path).endswith(".tml") else read_meantime(path)


def gold_files(paths: list[str]) -> list[Path]:
    """Expand files and folders into the gold files they hold (``.tml``, MEANTIME ``.xml``), sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += [f for f in p.rglob("*") if f.suffix == ".tml" or (f.suffix == ".xml" and _is_cat(f))]
        elif p.exists():
            found.append(p)
    return sorted(set(found))


def _is_cat(path: Path) -> bool:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return "<Document" in fh.read(400)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _norm_value(value: str | None) -> str:
    """Compare values on what they state: unspecified trailing parts (``1949-XX``, ``198X``), seconds ``:00`` and a
    part-of-day suffix (``2000-01-05TEV`` / ``TNI``: annotators disagree on it) and an unpadded week number
    (``2000-W7``) are not differences."""
    v = (value or "").strip()
    v = re.sub(r"T(\d\d:\d\d)(:00)?$", r"T\1", v)
    v = re.sub(r"T(?:MO|AF|EV|NI|DT)$", "", v)
    v = re.sub(r"(?:-XX)+$|(?<=\d)X+$", "", v)
    return re.sub(r"-W(\d)(?!\d)", r"-W0\1", v)  # "2000-W7" is "2000-W07"


def _same_value(predicted: str | None, gold: str) -> bool:
    """Equal after :func:`_norm_value`; an ``X`` inside a gold value (``1989-WXX``: unspecified) matches any digit."""
    p, g = _norm_value(predicted), _norm_value(gold)
    if p == g:
        return True
    return "X" in g and len(p) == len(g) and all(a == b or (b == "X" and a.isdigit()) for a, b in zip(p, g, strict=True))


def score_document(gold: GoldDoc, predicted: list[TimeExpr], counts: dict[str, Counter], errors: list[dict]) -> None:
    """Add one document's detection and value counts (by type and ``ALL``) to ``counts``."""
    preds = [p for p in predicted if not any(_overlaps((p.start, p.end), span) for span in gold.ignored)
             and (gold.scored_end is None or p.start < gold.scored_end)]
    matched_pred: set[int] = set()
    for g in gold.timexes:
        over = [i for i, p in enumerate(preds) if _overlaps((p.start, p.end), (g.start, g.end))]
        for key in (g.type, "ALL"):
            c = counts.setdefault(key, Counter())
            c["gold"] += 1
            if over:
                c["gold_found"] += 1
            if any(_same_value(preds[i].value, g.value) for i in over):
                c["value_ok"] += 1
            if over and any(preds[i].type == g.type for i in over):
                c["type_ok"] += 1
        matched_pred.update(over)
        if not any(_same_value(preds[i].value, g.value) for i in over):
            errors.append({"file": gold.path, "gold": g.text, "type": g.type, "value": g.value,
                           "predicted": [(preds[i].text, preds[i].value) for i in over],
                           "context": gold.text[max(0, g.start - 60):g.end + 40].replace("\n", " ")})
    for i, p in enumerate(preds):
        for key in (p.type, "ALL"):
            c = counts.setdefault(key, Counter())
            c["pred"] += 1
            if any(_overlaps((p.start, p.end), (g.start, g.end)) for g in gold.timexes):
                c["pred_ok"] += 1
        if i not in matched_pred:
            errors.append({"file": gold.path, "spurious": p.text, "predicted_value": p.value,
                           "context": gold.text[max(0, p.start - 60):p.end + 40].replace("\n", " ")})


def _figures(c: Counter) -> dict[str, float | int]:
    p = c["pred_ok"] / c["pred"] if c["pred"] else 0.0
    r = c["gold_found"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": c["gold"], "predicted": c["pred"], "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f, 4), "value_accuracy": round(c["value_ok"] / c["gold"], 4) if c["gold"] else 0.0,
            "type_accuracy": round(c["type_ok"] / c["gold_found"], 4) if c["gold_found"] else 0.0}


def evaluate(paths: list[str], use_doc: bool = False, errors: bool = False, **options: Any) -> dict:
    """Score :func:`dateline.when.find_times` on gold files or folders.

    ``use_doc`` parses each text with spaCy and passes the parse (slower); ``errors`` keeps the list of misses.
    Returns ``{"files": n, "by_type": {TYPE|ALL: figures}, "errors": [...]}``; figures hold ``precision``, ``recall``,
    ``f1`` (detection by overlap) and ``value_accuracy`` (of gold expressions).
    """
    from dateline.when import find_times

    counts: dict[str, Counter] = {}
    errs: list[dict] = []
    files = gold_files(paths)
    for path in files:
        gold = read_gold(path)
        doc = None
        if use_doc:
            from dateline import nlp

            doc = nlp.parse(gold.text)
        predicted = find_times(gold.text, gold.anchor, doc)
        score_document(gold, predicted, counts, errs)
    result: dict[str, Any] = {"files": len(files), "by_type": {k: _figures(v) for k, v in sorted(counts.items())}}
    if errors:
        result["errors"] = errs
    return result


def report(result: dict) -> str:
    """A plain-text table of the figures."""
    lines = [f"{result['files']} files",
             f"{'type':<9}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}{'value':>8}{'type ok':>9}"]
    for key in (*TYPES, "ALL"):
        f = result["by_type"].get(key)
        if f:
            lines.append(f"{key:<9}{f['gold']:>6}{f['predicted']:>6}{f['precision']:>8.3f}{f['recall']:>8.3f}"
                         f"{f['f1']:>8.3f}{f['value_accuracy']:>8.3f}{f['type_accuracy']:>9.3f}")
    return "\n".join(lines)
