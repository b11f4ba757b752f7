"""Where the trigger and the actors of an event are in its sentence (the spans the event view highlights)."""

from __future__ import annotations

import re
from typing import Any


def _sentence_start(doc_text: str | None, sentence: str, anchor: int | None) -> int | None:
    """Where ``sentence`` starts in the document: the occurrence that contains ``anchor`` (a document offset)."""
    if not doc_text or not sentence:
        return None
    found = [mt.start() for mt in re.finditer(re.escape(sentence), doc_text)]
    if anchor is not None:
        for s in found:
            if s <= anchor < s + len(sentence):
                return s
    return found[0] if found else None


def _locate(sentence: str, text: str | None, start: Any, base: int | None) -> tuple[int, int] | None:
    """A span's offsets in the sentence: from document offsets when they agree with the text, else by searching."""
    if not text:
        return None
    if base is not None and isinstance(start, int):
        rel = start - base
        if 0 <= rel and sentence[rel:rel + len(text)] == text:
            return rel, rel + len(text)
    hits = [mt.start() for mt in re.finditer(r"(?<!\w)" + re.escape(text) + r"(?!\w)", sentence)]
    if not hits:
        pos = sentence.find(text)
        return (pos, pos + len(text)) if pos >= 0 else None
    return hits[0], hits[0] + len(text)


def highlights(rec: dict[str, Any], doc_text: str | None) -> list[dict[str, Any]]:
    """Spans of the trigger and the actors in ``rec['sentence']`` (sentence offsets, sorted, non-overlapping)."""
    sentence = rec.get("sentence") or ""
    trig = rec.get("trigger") or {}
    base = _sentence_start(doc_text, sentence, trig.get("start") if isinstance(trig.get("start"), int) else None)
    spans: list[dict[str, Any]] = []
    wanted = [("trigger", trig)] + [(role, a) for role in ("source", "target") for a in rec.get(role) or []]
    for role, item in wanted:
        got = _locate(sentence, item.get("text"), item.get("start"), base)
        if got and all(got[1] <= s["start"] or got[0] >= s["end"] for s in spans):
            spans.append({"role": role, "start": got[0], "end": got[1]})
    return sorted(spans, key=lambda s: s["start"])
