"""Trigger lexicon: verb and noun lemmas → CAMEO codes, with object patterns.

Two layers: ``verbs.json`` mined from PETRARCH2's CAMEO verb dictionary (``scripts/build_event_lexicon.py``) and the
hand-curated ``triggers.yaml``, which wins. Users add their own YAML of the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

DATA = resources.files("dateline") / "data" / "events"


@dataclass
class VerbEntry:
    """A verb's default CAMEO code (None: trigger only through a pattern) and its object patterns."""

    code: str | None
    patterns: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)


@dataclass
class Lexicon:
    """Everything the event extractor looks up."""

    verbs: dict[str, VerbEntry]
    nouns: dict[str, str | None]
    light_verbs: frozenset[str]
    symmetric: tuple[str, ...]
    curated: set[str] = field(default_factory=set)  # lemmas from triggers.yaml / user tables: trusted codes
    agent_of: frozenset[str] = frozenset()  # nouns whose "of" object acts ("the visit of X")

    def verb_code(self, lemma: str, following: set[str]) -> tuple[str | None, bool]:
        """CAMEO code for a verb given the words that follow it in its clause; (code, matched a pattern)."""
        entry = self.verbs.get(lemma)
        if entry is None:
            return None, False
        best: tuple[int, str] | None = None
        for words, code in entry.patterns:
            if all(w in following for w in words) and (best is None or len(words) > best[0]):  # longest wins
                best = (len(words), code)
        if best:
            return best[1], True
        return entry.code, lemma in self.curated

    def is_symmetric(self, code: str) -> bool:
        return any(code.startswith(p) for p in self.symmetric)


FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for with from into over under about against as up out off down back away".split()
)


def _useful(words: tuple[str, ...]) -> bool:
    """Mined patterns made only of prepositions and particles ("* (AT)") say nothing about the event."""
    return any(w not in FUNCTION_WORDS for w in words)


def _apply_yaml(lex: Lexicon, data: dict) -> None:
    for lemma, spec in (data.get("verbs") or {}).items():
        entry = lex.verbs.setdefault(str(lemma), VerbEntry(None))
        lex.curated.add(str(lemma))
        if isinstance(spec, dict):  # {code: "041", patterns: [[[for], "020"], …]}: curated patterns come first
            entry.code = None if spec.get("code") is None else str(spec["code"])
            curated = [(tuple(str(w).lower() for w in words), None if c is None else str(c))
                       for words, c in spec.get("patterns") or []]
            entry.patterns = curated + [p for p in entry.patterns if p[0] not in {c[0] for c in curated}]
            continue
        entry.code = None if spec is None else str(spec)
        if spec is None:  # null: never a trigger, not even through a mined pattern
            entry.patterns = []
    for lemma, code in (data.get("nouns") or {}).items():
        lex.nouns[str(lemma)] = None if code is None else str(code)
    if data.get("light_verbs"):
        lex.light_verbs = lex.light_verbs | frozenset(map(str, data["light_verbs"]))
    if data.get("agent_of"):
        lex.agent_of = lex.agent_of | frozenset(map(str, data["agent_of"]))
    if data.get("symmetric"):
        lex.symmetric = tuple(dict.fromkeys((*lex.symmetric, *map(str, data["symmetric"]))))


def load_yaml(path: str | Path) -> dict:
    """Read a trigger YAML file; a clear error names the file when it is malformed."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read trigger table ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: trigger table must be a mapping with verbs/nouns keys")
    return data


@lru_cache(maxsize=8)
def get_lexicon(user_files: Sequence[str] = ()) -> Lexicon:
    """The shipped lexicon plus user trigger tables (cached per file tuple)."""
    raw = json.loads((DATA / "verbs.json").read_text(encoding="utf-8"))
    verbs = {
        lemma: VerbEntry(v["code"], [(tuple(w), c) for w, c in v["patterns"] if _useful(tuple(w))]) for lemma, v in raw.items()
    }
    lex = Lexicon(verbs=verbs, nouns={}, light_verbs=frozenset(), symmetric=())
    _apply_yaml(lex, yaml.safe_load((DATA / "triggers.yaml").read_text(encoding="utf-8")))
    for path in user_files:
        _apply_yaml(lex, load_yaml(path))
    return lex
