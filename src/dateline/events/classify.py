"""Learned sentence-level PLOVER event-type classifier (16 v2.0 types), in two profiles.

* ``accurate`` (default): all-MiniLM-L6-v2 fine-tuned end to end on PLV (+ PLOVER GSR), exported to ONNX int8 and run
  with ``onnxruntime`` + ``tokenizers`` (no PyTorch at run time).
* ``fast``: TF-IDF (word 1-2 grams + char_wb 3-5 grams) + logistic regression, stored pickle-free in an ``.npz``.

Both models are trained by ``scripts/train_event_classifier.py`` on 15 classes: PLV's YIELD stands for PLOVER v2.0's
CONCEDE (verbal or policy yielding) and RETREAT (material yielding). At run time :func:`split_yield` gives YIELD's
probability to RETREAT when the sentence has a lexical cue of material yielding (withdraw, retreat, pull out/back,
evacuate, release, free, return, hand over, ceasefire/truce, surrender, disarm, demobilise, resign, step down) and to
CONCEDE otherwise.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from dateline.events.ontology import PLOVER_TYPES

MODELS = Path(__file__).resolve().parents[1] / "data" / "models"
PROFILES = ("accurate", "fast")

_RETREAT_CUE = re.compile(
    r"\b(withdr[ae]w\w*|retreat\w*|pull(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?(?:out|back)|evacuat\w*|releas\w*|"
    r"(?:set|sets|setting)\s+(?:\w+\s+){0,3}?free|freed|frees|return(?:s|ed|ing)?|hand(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?"
    r"(?:over|back)|cease-?fires?|truces?|surrender\w*|disarm\w*|demobili[sz]\w*|resign\w*|"
    r"st(?:ep|eps|epped|epping)\s+down)\b",
    re.IGNORECASE)


def split_yield(sentence: str) -> str:
    """RETREAT when ``sentence`` has a lexical cue of material yielding (see module doc), else CONCEDE."""
    return "RETREAT" if _RETREAT_CUE.search(sentence) else "CONCEDE"


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


NONE = "NONE"  # the class of a model trained with news sentences that hold no event


def _to_types(probs: np.ndarray, labels: Sequence[str], sentences: Sequence[str]
              ) -> list[tuple[dict[str, float], float | None]]:
    """Rows of class probabilities (15 classes with YIELD, maybe NONE) -> (dict over the 16 PLOVER types summing to
    1, the probability of no event or None when the model has no such class)."""
    out = []
    none_col = list(labels).index(NONE) if NONE in labels else None
    for row, sentence in zip(probs, sentences, strict=True):
        d = dict.fromkeys(PLOVER_TYPES, 0.0)
        for label, p in zip(labels, row, strict=True):
            if label != NONE:
                d[split_yield(sentence) if label == "YIELD" else label] += float(p)
        p_none = float(row[none_col]) if none_col is not None else None
        if p_none is not None:
            total = sum(d.values()) or 1.0
            d = {k: v / total for k, v in d.items()}
        out.append((d, p_none))
    return out


_WORD = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s\s+")


def word_ngrams(text: str) -> list[str]:
    """scikit-learn's ``analyzer="word"``, ``ngram_range=(1, 2)``, lower-cased."""
    toks = _WORD.findall(text.lower())
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]


def char_wb_ngrams(text: str, lo: int = 3, hi: int = 5) -> list[str]:
    """scikit-learn's ``analyzer="char_wb"`` n-grams (lower-cased, words padded with one space)."""
    out: list[str] = []
    for w in _SPACES.sub(" ", text.lower()).split():
        w = f" {w} "
        for n in range(lo, hi + 1):
            if len(w) <= n:
                out.append(w)  # a short word counts once, as in scikit-learn
                break
            out.extend(w[i:i + n] for i in range(len(w) - n + 1))
    return out


class _FastModel:
    """TF-IDF + logistic regression from ``event_tfidf.npz`` (vocabularies, idf, coefficients; no pickle).

    The TF-IDF transform (sublinear tf, idf, l2 norm per analyzer) is computed here with numpy, so scikit-learn
    is needed only for training.
    """

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        self.labels = [str(c) for c in arrays["classes"]]
        coef = arrays["coef"].T.astype(np.float32)  # features x classes
        self.intercept = arrays["intercept"].astype(np.float32)
        self.parts = []
        offset = 0
        for prefix, analyzer in (("word", word_ngrams), ("char", char_wb_ngrams)):
            terms = arrays[f"{prefix}_terms"].tolist()
            vocab = {t: i for i, t in enumerate(terms)}
            self.parts.append((analyzer, vocab, arrays[f"{prefix}_idf"].astype(np.float32),
                               coef[offset:offset + len(terms)]))
            offset += len(terms)

    def probs(self, sentences: Sequence[str]) -> np.ndarray:
        z = np.tile(self.intercept, (len(sentences), 1))
        for analyzer, vocab, idf, coef in self.parts:
            rows: list[int] = []
            cols: list[int] = []
            tfs: list[float] = []
            for r, sentence in enumerate(sentences):
                counts: dict[int, int] = {}
                for gram in analyzer(sentence):
                    j = vocab.get(gram)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                rows += [r] * len(counts)
                cols += counts.keys()
                tfs += counts.values()
            if not cols:
                continue
            row = np.array(rows, dtype=np.int64)
            col = np.array(cols, dtype=np.int64)
            w = (1.0 + np.log(np.array(tfs, dtype=np.float64))) * idf[col]  # sublinear tf x idf
            norm = np.sqrt(np.bincount(row, weights=w * w, minlength=len(sentences)))
            w = w / norm[row]  # l2 per sentence
            contrib = coef[col] * w[:, None].astype(np.float32)
            for c in range(z.shape[1]):
                z[:, c] += np.bincount(row, weights=contrib[:, c], minlength=len(sentences))
        return _softmax(z)


class _OnnxModel:
    """Fine-tuned MiniLM in ONNX int8: ``event_minilm_int8.onnx`` + tokenizer + ``event_minilm.json``.

    Dynamic int8 quantisation scales activations over the whole batch, so a sentence's probabilities shift a little
    (up to ~0.06 seen) with the other sentences of its batch. The default ``batch_size=1`` keeps results independent of
    batching (the same article always gets the same types and event ids) at ~25 % less throughput than 32.
    """

    def __init__(self, directory: Path, batch_size: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer
        meta = json.loads((directory / "event_minilm.json").read_text())
        self.labels = list(meta["labels"])
        self.tokenizer = Tokenizer.from_file(str(directory / "event_minilm_tokenizer.json"))
        self.tokenizer.enable_truncation(int(meta.get("max_len", 96)))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(directory / "event_minilm_int8.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self.batch_size = batch_size

    def probs(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(sentences), len(self.labels)), dtype=np.float32)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))  # similar lengths pad less
        for b in range(0, len(order), self.batch_size):
            idx = order[b:b + self.batch_size]
            enc = self.tokenizer.encode_batch([sentences[i] for i in idx])
            feeds = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                     "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64)}
            out[idx] = _softmax(self.session.run(["logits"], feeds)[0])
        return out


class EventClassifier:
    """Probability of each PLOVER v2.0 type for a sentence. ``profile``: "accurate" (default) or "fast".

    If the accurate model files are missing, falls back to the fast model with a warning.
    """

    def __init__(self, profile: str = "accurate", models_dir: Path | None = None) -> None:
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
        directory = models_dir or MODELS
        if profile == "accurate" and not (directory / "event_minilm_int8.onnx").exists():
            warnings.warn("accurate event model missing; using the fast profile", RuntimeWarning, stacklevel=2)
            profile = "fast"
        self.profile = profile
        self.model = _OnnxModel(directory) if profile == "accurate" else _FastModel(directory / "event_tfidf.npz")

    @property
    def types(self) -> tuple[str, ...]:
        return PLOVER_TYPES

    def predict(self, sentences: Sequence[str]) -> list[dict[str, float]]:
        """One dict per sentence: PLOVER type -> probability (the 16 values sum to 1)."""
        return [types for types, _ in self.predict_with_none(sentences)]

    def predict_with_none(self, sentences: Sequence[str]) -> list[tuple[dict[str, float], float | None]]:
        """Per sentence: the type probabilities (as :meth:`predict`) and the probability that the sentence holds no
        event (None for a model trained on event sentences only)."""
        sentences = [s if s.strip() else "." for s in sentences]
        if not sentences:
            return []
        return _to_types(self.model.probs(sentences), self.model.labels, sentences)

    def top(self, sentences: Sequence[str]) -> list[tuple[str, float]]:
        """The most probable type of each sentence, with its probability."""
        return [max(d.items(), key=lambda kv: kv[1]) for d in self.predict(sentences)]


@lru_cache(maxsize=4)
def get_classifier(profile: str = "accurate") -> EventClassifier:
    """A process-wide cached :class:`EventClassifier` for ``profile``."""
    return EventClassifier(profile)
