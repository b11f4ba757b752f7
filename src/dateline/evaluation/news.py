"""Scoring the whole record on whole news stories: ``dateline eval news FOLDER`` (the news_silver layout).

A folder holds ``stories.jsonl`` (``id`` = ``corpus|doc_id``, ``published``, ``title``, ``text``), ``sentences.jsonl``
(``sid`` = ``corpus|doc_id|start|end``) and ``annotations.jsonl`` (``sid``, ``codable``, ``events``). dateline runs on
every story; an event belongs to the annotated sentence whose span holds its trigger's start, and events in sentences
that were not annotated are not judged. Measures, per corpus and overall:

* precision of asserted events: in a sentence that holds a gold event (``in_event_sentence``), with a gold event of the
  same type (``type``), and of the same type with both sides matching (``type_and_sides``: a side matches at token F1
  >= 0.5 against the gold span or its resolution, or both are empty; a mutual gold event lists both actors as source);
* recall of gold asserted events: a predicted asserted event of the same type with one side matching;
* status and date accuracy of predicted events matched to a gold event of the same type; a confusion table of
  predicted asserted types against the sentence's gold type (``none`` for a sentence without events);
* calibration: the share of asserted events with the right type per confidence band;
* ``after_publication``: asserted or historical events (of the whole story) dated after the story's publication.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.evaluation.events import token_f1, tokens
from dateline.when.intervals import date_interval

MATCH_F1 = 0.5
BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


@dataclass
class GoldNewsSentence:
    """One annotated sentence of a story: its span and its gold events (dicts as in ``annotations.jsonl``)."""

    sid: str
    story: str
    start: int
    end: int
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def corpus(self) -> str:
        return self.story.split("|", 1)[0]


@dataclass
class NewsGold:
    """Stories and their annotated sentences."""

    stories: list[dict[str, Any]]
    sentences: dict[str, list[GoldNewsSentence]]  # story id -> its annotated sentences


def _jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None


def load_news(folder: str | Path) -> NewsGold:
    """Read a news_silver-style folder."""
    root = Path(folder)
    for name in ("stories.jsonl", "annotations.jsonl"):
        if not (root / name).is_file():
            raise ValueError(f"{root}: no {name} (expected the news_silver layout, see dateline.evaluation.news)")
    stories = list(_jsonl(root / "stories.jsonl"))
    sentences: dict[str, list[GoldNewsSentence]] = defaultdict(list)
    for row in _jsonl(root / "annotations.jsonl"):
        story, start, end = row["sid"].rsplit("|", 2)
        sentences[story].append(GoldNewsSentence(row["sid"], story, int(start), int(end), list(row.get("events") or [])))
    return NewsGold(stories, dict(sentences))


def _texts(side: Sequence[dict[str, Any]]) -> list[list[str]]:
    """The ways a predicted side may be read: its argument phrases, its mentions."""
    phrases = list(dict.fromkeys(a.get("phrase") or a.get("text") or "" for a in side))
    mentions = list(dict.fromkeys(a.get("text") or "" for a in side))
    return [phrases, mentions]


def side_match(gold_text: str | None, gold_resolved: str | None, pred: Sequence[dict[str, Any]]) -> bool:
    """A predicted side matches a gold one: both empty, or token F1 >= 0.5 against the gold span or its resolution."""
    golds = [g for g in (gold_text, gold_resolved) if g]
    if not golds:
        return not pred
    if not pred:
        return False
    return any(token_f1([g], texts) >= MATCH_F1 for g in golds for texts in _texts(pred))


def _within(gold: str | None, pred: Sequence[dict[str, Any]]) -> bool:
    """Every word of every predicted mention is a word of the gold span ("Putin" within "Trump and Putin")."""
    words = set(tokens(gold or ""))
    return bool(words) and all(set(tokens(a.get("text") or "")) <= words for a in pred)


def sides_match(gold: dict[str, Any], ev: dict[str, Any]) -> bool:
    """Both sides right; a mutual gold event whose source names both parties ("Trump and Putin met", no target) may
    be predicted as source and target, each of them within the gold source."""
    src, tgt = ev.get("source") or [], ev.get("target") or []
    if side_match(gold.get("source"), gold.get("source_resolved"), src) and \
            side_match(gold.get("target"), gold.get("target_resolved"), tgt):
        return True
    return not gold.get("target") and not gold.get("target_resolved") and bool(src) and bool(tgt) and \
        _within(gold.get("source"), tgt) and side_match(gold.get("source"), gold.get("source_resolved"), [*src, *tgt])


def one_side_match(gold: dict[str, Any], ev: dict[str, Any]) -> bool:
    """At least one gold side that is not empty is matched by the prediction (either role for a mutual event)."""
    src, tgt = ev.get("source") or [], ev.get("target") or []
    if gold.get("source") and side_match(gold["source"], gold.get("source_resolved"), src):
        return True
    if gold.get("target") and side_match(gold["target"], gold.get("target_resolved"), tgt):
        return True
    if not gold.get("source") and not gold.get("target"):
        return True
    return not gold.get("target") and bool(tgt) and side_match(gold.get("source"), gold.get("source_resolved"), tgt)


def _date_right(gold: str | None, pred: str | None) -> bool:
    if not gold:
        return True  # nothing to check against
    return bool(pred) and (pred == gold or pred.startswith(gold))


def _sentence_of(sents: Sequence[GoldNewsSentence], offset: int) -> GoldNewsSentence | None:
    return next((s for s in sents if s.start <= offset < s.end), None)


class _Tally:
    """Counters of one corpus (or of all)."""

    def __init__(self) -> None:
        self.c: Counter[str] = Counter()
        self.confusion: dict[str, Counter[str]] = defaultdict(Counter)
        self.bands: dict[int, Counter[str]] = defaultdict(Counter)

    def result(self) -> dict[str, Any]:
        c = self.c
        n = c["asserted"]

        def ratio(a: str, b: str) -> float | None:
            return round(c[a] / c[b], 3) if c[b] else None

        bands = {}
        for k in sorted(self.bands):
            b = self.bands[k]
            bands[f"{BANDS[k]:.1f}-{min(BANDS[k + 1], 1.0):.1f}"] = {
                "n": b["n"], "type_right": round(b["right"] / b["n"], 3) if b["n"] else None}
        return {
            "stories": c["stories"], "sentences": c["sentences"], "event_sentences": c["event_sentences"],
            "events": c["events"], "asserted": n,
            "precision": {"in_event_sentence": ratio("in_event", "asserted"), "type": ratio("type", "asserted"),
                          "type_and_sides": ratio("type_sides", "asserted")},
            "recall": ratio("recalled", "gold_asserted"), "gold_asserted": c["gold_asserted"],
            "status_accuracy": ratio("status_right", "matched"), "date_accuracy": ratio("date_right", "matched"),
            "matched": c["matched"], "after_publication": c["after_publication"],
            "confusion": {p: dict(g) for p, g in sorted(self.confusion.items())},
            "confidence_bands": bands,
        }


def _band(conf: float) -> int:
    return next(i for i in range(len(BANDS) - 1) if conf < BANDS[i + 1])


def judge_event(ev: dict[str, Any], gold_events: Sequence[dict[str, Any]]) -> dict[str, bool]:
    """How one predicted event fares against the gold events of its sentence."""
    same = [g for g in gold_events if g.get("type") == ev.get("type")]
    return {"in_event": bool(gold_events), "type": bool(same), "type_sides": any(sides_match(g, ev) for g in same)}


def score(gold: NewsGold, events: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Score predicted event dicts (``Event.to_dict()`` shape) per story id against ``gold``."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for story in gold.stories:
        sid = story["id"]
        sents = gold.sentences.get(sid, [])
        corpus = sid.split("|", 1)[0]
        per_sentence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        published = (story.get("published") or "")[:10]
        for ev in events.get(sid, []):
            span = date_interval(ev.get("date")) if published else None
            if ev.get("status") in ("asserted", "historical") and span is not None and span[0] > published:
                for t in (tallies[corpus], tallies["all"]):
                    t.c["after_publication"] += 1
            s = _sentence_of(sents, int(ev["trigger"]["start"]))
            if s is not None:
                per_sentence[s.sid].append(ev)
        for t in (tallies[corpus], tallies["all"]):
            t.c["stories"] += 1
        for s in sents:
            preds = per_sentence.get(s.sid, [])
            asserted = [e for e in preds if e.get("status") == "asserted"]
            gold_asserted = [g for g in s.events if g.get("status", "asserted") == "asserted"]
            for t in (tallies[corpus], tallies["all"]):
                c = t.c
                c["sentences"] += 1
                c["event_sentences"] += bool(s.events)
                c["events"] += len(preds)
                c["asserted"] += len(asserted)
                for ev in asserted:
                    j = judge_event(ev, s.events)
                    c["in_event"] += j["in_event"]
                    c["type"] += j["type"]
                    c["type_sides"] += j["type_sides"]
                    t.confusion[ev["type"]][_gold_type(ev, s.events)] += 1
                    b = t.bands[_band(float(ev.get("confidence") or 0.0))]
                    b["n"] += 1
                    b["right"] += j["type"]
                c["gold_asserted"] += len(gold_asserted)
                c["recalled"] += sum(any(e["type"] == g.get("type") and one_side_match(g, e) for e in asserted)
                                     for g in gold_asserted)
                for ev in preds:
                    same = [g for g in s.events if g.get("type") == ev.get("type")]
                    if same:
                        g = next((g for g in same if sides_match(g, ev)), same[0])
                        c["matched"] += 1
                        c["status_right"] += g.get("status", "asserted") == ev.get("status")
                        c["date_right"] += _date_right(g.get("date"), ev.get("date"))
    return {k: tallies[k].result() for k in sorted(tallies, key=lambda k: (k != "all", k))}


def _gold_type(ev: dict[str, Any], gold_events: Sequence[dict[str, Any]]) -> str:
    if not gold_events:
        return "none"
    types = [g.get("type") for g in gold_events]
    return ev["type"] if ev["type"] in types else str(types[0])


def predict(stories: Sequence[dict[str, Any]], profile: str = "accurate", **pipeline_options: Any
            ) -> dict[str, list[dict[str, Any]]]:
    """Run the pipeline on the stories (their text as given, so gold offsets hold); event dicts per story id."""
    from dateline.evaluation import documents
    from dateline.pipeline import Pipeline

    pipe = Pipeline(profile=profile, **pipeline_options)
    return {ann.doc.id: [e.to_dict() for e in ann.events] for ann in pipe.annotate(documents(stories))}


def evaluate(paths: list[str], profile: str = "accurate", limit: int = 0, **options: Any) -> dict[str, Any]:
    """Run dateline on each folder's stories and score them; ``limit`` keeps the first N stories."""
    result: dict[str, Any] = {"profile": profile, "folders": {}}
    for path in paths:
        gold = load_news(path)
        if limit:
            gold.stories = gold.stories[:limit]
        result["folders"][str(path)] = score(gold, predict(gold.stories, profile))
    return result


def report(result: dict[str, Any]) -> str:
    """A plain-text summary of :func:`evaluate`'s result."""
    lines = [f"news ({result.get('profile')} profile)"]
    for path, per_corpus in result["folders"].items():
        lines.append(f"{path}")
        for corpus, r in per_corpus.items():
            p = r["precision"]
            lines.append(f"  {corpus}: {r['stories']} stories, {r['sentences']} sentences, {r['asserted']} asserted "
                         f"events; precision in-event {p['in_event_sentence']}, type {p['type']}, "
                         f"type+sides {p['type_and_sides']}; recall {r['recall']} (of {r['gold_asserted']}); "
                         f"status {r['status_accuracy']}, date {r['date_accuracy']} (of {r['matched']} matched); "
                         f"{r['after_publication']} asserted/historical events dated after publication")
        r = per_corpus["all"]
        lines.append("  confidence band: n, share with the right type")
        lines += [f"    {k}: {v['n']}, {v['type_right']}" for k, v in r["confidence_bands"].items()]
        lines.append("  most frequent predicted -> gold type (asserted):")
        pairs = sorted(((n, p, g) for p, row in r["confusion"].items() for g, n in row.items() if g != p),
                       reverse=True)[:10]
        lines += [f"    {p} -> {g}: {n}" for n, p, g in pairs]
    return "\n".join(lines)
