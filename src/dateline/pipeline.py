"""The one place that knows the order of the stages: read → nlp → actors → events → when → where.

``Pipeline.annotate`` turns Documents into Annotations (mentions, times, places, event records).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from spacy.tokens import Doc, Span, Token

from dateline import nlp, when, where
from dateline.actors import get_stage
from dateline.events.code import THRESHOLDS, Coded, code_sentence, main_candidate
from dateline.events.discards import get_discards
from dateline.events.extract import Candidate, find_candidates
from dateline.events.gate import GateInput, get_gate
from dateline.events.gate import features as gate_features
from dateline.events.issues import get_issues
from dateline.events.lexicon import get_lexicon
from dateline.events.record import (
    event_id,
    event_sides,
    one_per_happening,
    place_country,
    with_phrases,
    without_places,
)
from dateline.events.verbs import get_verbs
from dateline.model import ActorMention, Annotation, Document, Event, Place, TimeExpr
from dateline.when.dating import event_dating, event_time, narrative_times

PROFILES = ("accurate", "fast", "rules")


def _classifier(profile: str):
    if profile == "rules":
        return None
    from dateline.events.classify import get_classifier

    return get_classifier(profile)


def _skipped(document: Document, exc: Exception) -> None:
    print(f"{document.origin or document.id}: skipped: the pipeline failed on this document "
          f"({type(exc).__name__}: {exc}); it is not stored, a rerun retries it", file=sys.stderr)


class Pipeline:
    """Stages wired together; models and dictionaries load once per process."""

    def __init__(
        self,
        profile: str = "accurate",
        actors_files: Sequence[str] = (),
        agents_files: Sequence[str] = (),
        trigger_files: Sequence[str] = (),
        batch_size: int = 16,
        gate: bool = True,
        min_confidence: float | None = None,
        verb_files: Sequence[str] = (),
        discard_files: Sequence[str] = (),
        issue_files: Sequence[str] = (),
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
        self.profile = profile
        self.nlp = nlp.load()
        self.actors = get_stage(tuple(actors_files), tuple(agents_files))
        self.lexicon = get_lexicon(tuple(trigger_files))
        self.verbs = get_verbs(tuple(dict.fromkeys(verb_files)))  # user verb rules: before the lexicon
        self.discards = get_discards(tuple(dict.fromkeys(discard_files)))  # sentences and stories coding nothing
        self.issues = get_issues(tuple(dict.fromkeys(issue_files)))  # the issues a record's sentence speaks of
        self.classifier = _classifier(profile)
        self.thresholds = THRESHOLDS.get(profile, THRESHOLDS["accurate"])  # "rules": no classifier to weigh
        self.batch_size = batch_size
        self.gate = get_gate(profile) if gate and profile != "rules" else None
        # records under this confidence are not kept; None: the gate's own minimum (chosen for precision)
        self.min_confidence = min_confidence
        # a main trigger whose own words are of its type keeps it (events.code); the TF-IDF model gains nothing by it
        # (news_silver out of fold, fast: type 0.527 -> 0.525), so only the transformer does it
        self.type_own_words = profile == "accurate"
        self.gate_log: list[tuple[str, dict[str, Any], dict[str, float]]] | None = None  # training: gate inputs
        self.timings: dict[str, float] = defaultdict(float)  # seconds per stage, for bench/

    @contextmanager
    def _timed(self, stage: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] += time.perf_counter() - t0

    def _is_event_noun(self, tok: Token) -> bool:
        """A noun that is an event trigger of its own ("extradition", "decision")."""
        return bool(self.lexicon.nouns.get(tok.lemma_.lower()) or self.lexicon.nouns.get(tok.lower_))

    def annotate(self, docs: Iterable[Document]) -> Iterator[Annotation]:
        """Annotate documents lazily, parsing them in batches."""
        it = iter(docs)
        while batch := list(islice(it, self.batch_size * 4)):
            with self._timed("nlp"):
                parsed = list(self.nlp.pipe((d.text for d in batch), batch_size=self.batch_size))
            yield from self._annotate_batch(batch, parsed)

    def annotate_text(self, text: str, published: dt.date | None = None, doc_id: str = "text") -> Annotation:
        """Annotate one text (for evaluation and the Python API)."""
        return next(self.annotate([Document(id=doc_id, text=text, published=published)]))

    def _annotate_batch(self, batch: list[Document], parsed: list[Doc]) -> Iterator[Annotation]:
        found = []
        for document, sdoc in zip(batch, parsed, strict=True):
            try:
                with self._timed("actors"):
                    mentions = self.actors.find_mentions(sdoc, document.published)
                with self._timed("events"):
                    cands = find_candidates(sdoc, mentions, self.lexicon, self.verbs)
            except Exception as exc:  # one bad document never stops the run; it is named and skipped
                _skipped(document, exc)
                continue
            found.append((document, sdoc, mentions, cands))
        # the classifier runs once per batch, on sentences that hold a candidate event
        sentences = {(k, c.sentence.start): c.sentence.text for k, f in enumerate(found) for c in f[3]}
        keys = list(sentences)
        with self._timed("classify"):
            probs = dict(zip(keys, self.classifier.predict_with_none([sentences[k] for k in keys]), strict=True)) \
                if self.classifier and keys else {}
        per_doc: dict[int, dict[int, tuple[dict[str, float], float | None]]] = defaultdict(dict)
        for (j, start), p in probs.items():
            per_doc[j][start] = p
        for k, (document, sdoc, mentions, cands) in enumerate(found):
            try:
                yield self._finish(document, sdoc, mentions, cands, per_doc[k])
            except Exception as exc:
                _skipped(document, exc)

    def _finish(self, document: Document, sdoc: Doc, mentions: list[ActorMention], cands: list[Candidate],
                predicted: dict[int, tuple[dict[str, float], float | None]]) -> Annotation:
        probs = {start: types for start, (types, _) in predicted.items()}
        sents = list(sdoc.sents)
        with self._timed("when"):
            times = when.find_times(document.text, document.published, sdoc)
            narrative = narrative_times(sdoc, sents, times)
        with self._timed("where"):
            places = where.find_places(sdoc, document)
            fallback = where.dateline_place(document, places)
        sent_index = {s.start: i for i, s in enumerate(sents)}
        by_sentence: dict[int, list[Candidate]] = {}
        if self.discards is not None:  # the user's discard phrases: their sentence (story, with "+") codes nothing
            cands = [] if self.discards.story_discarded(document.text) else [
                c for c in cands if not self.discards.sentence_discarded(c.sentence.text)]
        for c in cands:
            by_sentence.setdefault(c.sentence.start, []).append(c)
        events: list[Event] = []
        gated: list[dict[str, float]] = []
        t0 = time.perf_counter()
        for start, group in by_sentence.items():
            coded = code_sentence(group, probs.get(start), self.thresholds, self._words_typer(mentions))
            i = sent_index[start]
            sent_places = [p for p in places if sents[i].start_char <= p.start < sents[i].end_char]
            main = main_candidate(group)
            for rank, c in enumerate(sorted(coded, key=lambda x: -x.confidence)):
                ev = self._event(document, sdoc, mentions, c, i, sents, times, narrative, sent_places, places,
                                 fallback)
                if not (ev.source or ev.target):
                    continue
                events.append(ev)
                if self.gate is not None or self.gate_log is not None:
                    gated.append(gate_features(GateInput(
                        sents[i], c.cand.trigger, ev.type, ev.cameo, ev.status, c.cand.pattern, c.cand.nominal,
                        c.cand is main, len(coded), rank, i, probs.get(start), predicted.get(start, ({}, None))[1],
                        ev.source, ev.target,
                        bool(c.cand.loose_source), bool(c.cand.loose_target), ev.date_text,
                        ev.location is not None, c.confidence)))
        events = one_per_happening(self._gate(document, events, gated))
        self.timings["coding"] += time.perf_counter() - t0
        return Annotation(
            doc=document,
            sentences=[{"text": s.text.rstrip(), "start": s.start_char, "end": s.start_char + len(s.text.rstrip())}
                       for s in sents],
            mentions=mentions, times=times, places=places, events=events,
        )

    def _words_typer(self, mentions: list[ActorMention]) -> Callable[[Candidate], str | None] | None:
        """The classifier's type for a candidate's own words (its trigger's phrase and its sides), None when they
        are the whole sentence (its type is the sentence's)."""
        if self.classifier is None or not self.type_own_words:
            return None

        def words_type(cand: Candidate) -> str | None:
            toks = list(cand.trigger.subtree)
            lo, hi = toks[0].idx, toks[-1].idx + len(toks[-1])
            for k in (*cand.source, *cand.target):
                lo, hi = min(lo, mentions[k].start), max(hi, mentions[k].end)
            words = cand.trigger.doc.text[lo:hi]
            if len(words) >= len(cand.sentence.text.strip()):
                return None
            own = self.classifier.predict([words])[0]
            return max(own, key=own.get)

        return words_type

    def _gate(self, document: Document, events: list[Event], feats: list[dict[str, float]]) -> list[Event]:
        """The gate's probability becomes each record's confidence. Records under ``min_confidence`` are dropped; by
        default, those the gate does not keep (:meth:`dateline.events.gate.Gate.keeps`)."""
        if self.gate_log is not None:
            self.gate_log.extend((document.id, e.to_dict(), f) for e, f in zip(events, feats, strict=True))
        probabilities = self.gate.probability(feats) if self.gate is not None else []
        if self.gate is not None:
            for ev, p in zip(events, probabilities, strict=True):
                ev.confidence = round(self.gate.confidence(p), 3)
        if self.min_confidence is not None:
            return [ev for ev in events if ev.confidence >= self.min_confidence]
        if self.gate is None:
            return events
        # the default: the gate's minimum, a lower one for records a curated trigger pattern coded (user-editable rules)
        return [ev for ev, f, p in zip(events, feats, probabilities, strict=True) if self.gate.keeps(p, f)]

    def _event(self, document: Document, sdoc: Doc, mentions: list[ActorMention], coded: Coded, i: int,
               sents: list[Span], times: list[TimeExpr], narrative: list[TimeExpr | None], sent_places: list[Place],
               places: list[Place], fallback: Place | None) -> Event:
        c = coded.cand
        sent = sents[i]
        if coded.fields["type"] == "REQUEST" and c.demanded_by and c.source:
            source, target = event_sides(mentions, c.demanded_by, c.source)  # the speaker asks it of the subject
        else:
            source, target = event_sides(mentions, c.source, c.target)
        if len(source) > 1 and not target and self.lexicon.is_symmetric(coded.fields["cameo"] or ""):
            source, target = source[:1], source[1:]  # "Trump and Putin met", typed by the classifier
        source, target = (with_phrases(sdoc, source, target, c.trigger, self._is_event_noun),
                          with_phrases(sdoc, target, source, c.trigger, self._is_event_noun))
        source, target = without_places(sdoc, source, sent_places), without_places(sdoc, target, sent_places)
        if not target and c.loose_target:
            target = without_places(sdoc, [place_country(m.to_dict(), places) for m in c.loose_target], sent_places)
        if not source and c.loose_source:
            source = without_places(sdoc, [place_country(m.to_dict(), places) for m in c.loose_source
                                           if all(m.text != t.get("text") for t in target)], sent_places)
        t, source_of_date = event_time(sdoc, sent, c.trigger, times), "sentence"
        if t is None and i > 0 and narrative[i - 1] is not None:
            t, source_of_date = narrative[i - 1], "narrative"
        published = document.published.isoformat() if document.published else None
        dating = event_dating(t, document.published, c.status, source_of_date)
        place = where.there_place(c.trigger, sents, i, places) or where.event_location(c.trigger, sent_places, places,
                                                                                   fallback)
        f = coded.fields
        return Event(
            id=event_id(document.id, c.trigger_span[0], f["type"], source, target),
            doc_id=document.id, doc_published=published, url=document.url,
            sentence=sent.text.strip(), sentence_index=i, type=f["type"], mode=f["mode"], context=f["context"],
            cameo=f["cameo"], goldstein=f["goldstein"], quad_class=f["quad_class"],
            trigger={"text": c.trigger.text, "start": c.trigger_span[0], "end": c.trigger_span[1]},
            source=source, target=target, date=dating.date, date_precision=dating.precision, date_text=dating.text,
            date_source=dating.source, location=place.location() if place else None, status=dating.status,
            confidence=coded.confidence, rule=c.rule,
            issues=self.issues.of(sent.text) if self.issues is not None else None,
        )


def pipeline_options(profile: str = "accurate", actors_files: Sequence[str] = (), agents_files: Sequence[str] = (),
                     trigger_files: Sequence[str] = (), min_confidence: float | None = None,
                     verb_files: Sequence[str] = (), discard_files: Sequence[str] = (),
                     issue_files: Sequence[str] = ()) -> dict[str, Any]:
    """The picklable arguments a worker process builds its :class:`Pipeline` from."""
    return {"profile": profile, "actors_files": tuple(actors_files), "agents_files": tuple(agents_files),
            "trigger_files": tuple(trigger_files), "min_confidence": min_confidence, "verb_files": tuple(verb_files),
            "discard_files": tuple(discard_files), "issue_files": tuple(issue_files)}


_WORKER: tuple[dict[str, Any], Pipeline] | None = None  # this process's pipeline and its options


def worker_pipeline(options: dict[str, Any] | None = None) -> Pipeline:
    """This process's pipeline for ``options``, built once (pool and Dask workers, and the local engine)."""
    global _WORKER
    if _WORKER is None or (options is not None and _WORKER[0] != options):
        _WORKER = (dict(options or {}), Pipeline(**(options or {})))
    return _WORKER[1]


def annotate_batch(batch: list[Document], options: dict[str, Any] | None = None) -> list[Annotation]:
    """Annotate one batch in this process with its worker pipeline."""
    return list(worker_pipeline(options).annotate(batch))
