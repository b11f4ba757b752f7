"""User verb dictionaries: PETRARCH 2 and TABARI verb patterns that decide an event's CAMEO code and sides.

A dictionary holds verb families (``--- NAME [code] ---`` then the verbs, one a line, with irregular forms in
``{...}`` and an optional own ``[code]``; ``+ASK_FOR`` / ``RE_+ARREST`` compounds), synsets (``&NAME`` then
``+member`` lines) and patterns (``- words * words [code]``): ``*`` is the verb, ``$`` the source, ``+`` the
target, ``%`` a compound source (both sides), ``^`` any phrase, ``&NAME`` any member of a synset, ``(PREP ...)`` a
prepositional phrase, ``{A B}`` a noun phrase (PETRARCH) or ``{ A | B }`` alternatives (TABARI), ``A_B`` consecutive
words. Codes: ``[042]``, ``[042:043]`` (the first code; equal codes mean a mutual event), ``[:173]`` (the target
acts on the source), ``[---]`` / ``[###]`` (no event). TABARI files (no family headers: each ``VERB [code]`` line
opens its own family) treat words as stems unless they end in ``_``.

Matching runs on dateline's parse (:func:`VerbDictionary.match`): the trigger's lemma or form finds its families;
the words after ``*`` must appear in the verb's subtree after it, in order, with other words between them allowed
(``_`` forbids that); a slot must hold an actor mention; the longest (most specific) pattern wins, then the one
listed first; with none, the verb's own code. Not supported: PETRARCH's transformations (``~`` lines), discards
and issues files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from dateline.events.ontology import cameo_name

MAX_SPAN = 30  # tokens after the verb that a pattern may reach
NP_GAP = 2  # words of a {noun phrase} may have this many words between them ("mock air attack")
NULL_CODES = frozenset({"", "---", "###"})
_AFTER_SKIP = frozenset({"conj", "cc", "punct", "advcl", "parataxis"})  # another clause, not the verb's words
_BEFORE_SKIP = frozenset({"conj", "cc", "punct", "advcl", "parataxis", "mark"})
_FAMILY = re.compile(r"^---+\s*([^\s\[\]-][^\s\[\]]*)\s*(?:\[([^\]]*)\])?[\s-]*$")
_VERB_LINE = re.compile(r"^([^\s\[\]{}]+)\s*(\{[^{}]*\})?\s*(?:\[([^\]]*)\])?$")
_CODE_AT_END = re.compile(r"\[([^\[\]]*)\]\s*$")
_TOKEN = re.compile(r"[(){}|*]|[^\s(){}|*]+")
_CODE_TEXT = re.compile(r"^[A-Za-z0-9!.:_-]*$")


class VerbDictionaryError(ValueError):
    """A verb dictionary line that cannot be read; the message names the file and line."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path, self.line = str(path), line


# ---- the dictionary's parts ----------------------------------------------------------------------------------------

def _singular(word: str) -> str:
    """A cheap singular of a dictionary noun ("rallies" -> "rally", "sanctions" -> "sanction")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Word:
    """One word of a pattern; matches a token by its form or lemma (a TABARI stem: by its start)."""

    text: str
    stem: bool = False
    forms: frozenset[str] = frozenset()

    @staticmethod
    def of(text: str, stem: bool = False) -> Word:
        text = text.lower()
        return Word(text, stem, frozenset({text, _singular(text)}))

    def matches(self, tok: Any) -> bool:
        lower = tok.lower_
        return lower in self.forms or tok.lemma_.lower() in self.forms or (self.stem and lower.startswith(self.text))


@dataclass(frozen=True)
class Words:
    """Consecutive words, or alternatives of them (a synset, TABARI's ``{ A | B }``)."""

    options: tuple[tuple[Word, ...], ...]
    gap: int | None = None  # most tokens between the element before and this one (None: any)

    @cached_property
    def size(self) -> int:
        """Words the shortest option needs (a pattern's specificity)."""
        return min(len(o) for o in self.options)

    @cached_property
    def singles(self) -> frozenset[str]:
        """Forms of the one-word options (tested at once); the others are in ``rest``."""
        return frozenset(f for o in self.options if len(o) == 1 and not o[0].stem for f in o[0].forms)

    @cached_property
    def rest(self) -> tuple[tuple[Word, ...], ...]:
        return tuple(o for o in self.options if len(o) > 1 or o[0].stem)

    @cached_property
    def first_forms(self) -> frozenset[str] | None:
        """Forms one of which a sentence must hold for this to match (None: a TABARI stem, no quick test)."""
        if any(w.stem for o in self.options for w in o):
            return None
        return frozenset(f for o in self.options for f in o[0].forms)


@dataclass(frozen=True)
class Slot:
    """``$`` source, ``+`` target, ``%`` a compound source standing for both sides, ``^`` any phrase (skipped)."""

    role: str
    gap: int | None = None


@dataclass(frozen=True)
class Prep:
    """A prepositional phrase ``(PREP ...)``: a preposition among the verb's words whose phrase holds ``inner``;
    an empty ``(PREP)`` needs an actor in its phrase, who becomes the target."""

    word: Word
    inner: tuple[Element, ...] = ()
    gap: int | None = None


Element = Words | Slot | Prep


@dataclass(frozen=True)
class Code:
    """A pattern's or verb's code: the CAMEO code as written (None: no event), whether it names the target's act
    on the source (``[:173]``) and whether it is mutual (``[042:042]``)."""

    value: str | None
    reverse: bool = False
    mutual: bool = False


@dataclass
class Pattern:
    """One ``- ... * ... [code]`` line."""

    before: tuple[Element, ...]
    after: tuple[Element, ...]
    code: Code
    file: str
    line: int
    text: str
    verb_gap: int | None = None  # ``WAS_*``: most tokens between the last word before the verb and the verb
    score: int = 0  # how specific: words, slots and phrases it needs
    anchors: tuple[frozenset[str], ...] = ()  # for a quick test: word sets of which the sentence must hold one each
    says_by: bool = False  # the pattern spells out a "by" (then a passive verb's agent is left as it says)

    @property
    def rule(self) -> str:
        return f"{Path(self.file).name}:{self.line}"


@dataclass
class VerbForm:
    """A verb of a family as its line lists it (``word`` is the index key); compounds need their other words."""

    word: str
    family: int
    code: Code | None  # its own code; None: the family's
    file: str
    line: int
    front: tuple[str, ...] = ()  # "re" of RE_+ARREST: right before the verb
    back: tuple[str, ...] = ()  # "for" of +ASK_FOR: right after it
    stem: bool = False  # TABARI: any verb that starts with ``word``


@dataclass
class VerbFamily:
    """A block of synonymous verbs sharing their patterns."""

    name: str
    code: Code
    file: str
    line: int
    verbs: list[VerbForm] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)  # most specific first
    by_word: dict[str, list[int]] = field(default_factory=dict)  # a form of a pattern's first anchor → its patterns
    free: list[int] = field(default_factory=list)  # patterns with no anchor (slots, stems only)

    def index_patterns(self) -> None:
        """Sort the patterns, most specific first (equal ones keep the file's order), and index them by word."""
        self.patterns.sort(key=lambda p: -p.score)
        self.by_word, self.free = {}, []
        for i, p in enumerate(self.patterns):
            if not p.anchors:
                self.free.append(i)
            for form in (p.anchors[0] if p.anchors else ()):
                self.by_word.setdefault(form, []).append(i)

    def candidates(self, words: set[str]) -> list[int]:
        """The patterns whose first anchor the sentence's words hold, and those with none, in order."""
        found = set(self.free)
        for w in words:
            found.update(self.by_word.get(w, ()))
        return sorted(found)


@dataclass(frozen=True)
class VerbMatch:
    """What a dictionary says about one trigger: its code (None: no event), the sides the rule names (None: the
    parse's), the rule's location ("my_verbs.txt:123")."""

    code: str | None
    source: list[int] | None
    target: list[int] | None
    rule: str
    mutual: bool = False
    pattern: Pattern | None = None  # None: the verb's own code


# ---- reading --------------------------------------------------------------------------------------------------------

def _strip_comments(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of the lines that hold something: ``<!-- -->``, ``#`` and ``;`` comments removed."""
    out: list[tuple[int, str]] = []
    in_xml = False
    for n, raw in enumerate(lines, 1):
        text = raw
        if in_xml:
            if "-->" not in text:
                continue
            text, in_xml = text.split("-->", 1)[1], False
        while "<!--" in text:
            head, _, rest = text.partition("<!--")
            if "-->" in rest:
                text = head + rest.split("-->", 1)[1]
            else:
                text, in_xml = head, True
        text = re.split(r"[#;]", text, maxsplit=1)[0].rstrip()
        if text.strip():
            out.append((n, text))
    return out


def parse_code(text: str, path: str, line: int) -> Code:
    """``042``, ``042:043``, ``:173``, ``---`` → :class:`Code`."""
    text = text.strip()
    if not _CODE_TEXT.match(text):
        raise VerbDictionaryError(path, line, f"cannot read the code [{text}]")
    if ":" not in text:
        return Code(None if text in NULL_CODES else text)
    first, _, second = (s.strip() for s in text.partition(":"))
    if first not in NULL_CODES:
        return Code(first, mutual=first == second)
    return Code(None if second in NULL_CODES else second, reverse=second not in NULL_CODES)


_VOWELS = frozenset("aeiou")


def regular_forms(verb: str) -> list[str]:
    """The regular inflections of a verb, as PETRARCH makes them for a verb listed without ``{forms}`` ("glorpify"
    -> glorpifies, glorpified, glorpifying); a final consonant after one vowel is also doubled ("ban" -> banned)."""
    v = verb
    if len(v) < 2:
        return []
    cy = v.endswith("y") and v[-2] not in _VOWELS
    forms = [v[:-1] + "ies" if cy else v + "es" if v.endswith(("s", "x", "z", "ch", "sh")) else v + "s",
             v + "d" if v.endswith("e") else v[:-1] + "ied" if cy else v + "ed",
             v[:-2] + "ying" if v.endswith("ie") else v[:-1] + "ing" if v.endswith("e") and not v.endswith("ee")
             else v + "ing"]
    if len(v) >= 3 and v[-1] not in _VOWELS | {"w", "x", "y"} and v[-2] in _VOWELS and v[-3] not in _VOWELS:
        forms += [v + v[-1] + "ed", v + v[-1] + "ing"]
    return forms


def _verb_spec(spec: str, stem_mode: bool) -> tuple[str, tuple[str, ...], tuple[str, ...], bool]:
    """``+ASK_FOR`` → ("ask", (), ("for",), exact): the verb word, the words before and after it."""
    parts = spec.lower().split("_")
    exact = parts[-1] == "" or not stem_mode
    parts = [p for p in parts if p]
    at = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
    words = [p.lstrip("+") for p in parts]
    return words[at], tuple(words[:at]), tuple(words[at + 1:]), not exact


class _Reader:
    """One file: synsets first (they may be defined anywhere), then families and patterns."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = _strip_comments(text.splitlines())
        self.tabari = not any(t.startswith("---") for _, t in self.lines)
        self.synsets: dict[str, tuple[tuple[Word, ...], ...]] = {}
        self.families: list[VerbFamily] = []
        self.warnings: list[str] = []
        self.transformations = 0

    def error(self, line: int, message: str) -> VerbDictionaryError:
        return VerbDictionaryError(self.path, line, message)

    def read(self) -> _Reader:
        self._read_synsets()
        in_synset = False
        for n, text in self.lines:
            head = text.lstrip()
            if head.startswith("&"):
                in_synset = True
            elif head.startswith("+") and in_synset:
                continue
            elif head.startswith("~"):
                self.transformations += 1
            elif head.startswith("---"):
                in_synset = False
                self._family_header(n, head)
            elif head.startswith("-"):
                self._pattern(n, head[1:])
            else:
                in_synset = False
                self._verb_line(n, head)
        return self

    def _read_synsets(self) -> None:
        name = None
        members: dict[str, list[tuple[Word, ...]]] = {}
        for _, text in self.lines:
            head = text.strip()
            if head.startswith("&"):
                name = head.split()[0].upper()
                members.setdefault(name, [])
            elif head.startswith("+") and name is not None:
                phrase = head[1:].replace("_", " ").split()
                if phrase:
                    members[name].append(tuple(Word.of(w, self.tabari) for w in phrase))
            else:
                name = None
        self.synsets = {k: tuple(v) for k, v in members.items()}

    def _family_header(self, n: int, text: str) -> None:
        m = _FAMILY.match(text)
        if not m:
            raise self.error(n, f"cannot read the verb family header {text.strip()!r} (expected '--- NAME [code] ---')")
        code = parse_code(m.group(2) or "---", self.path, n)
        self.families.append(VerbFamily(m.group(1), code, self.path, n))

    def _verb_line(self, n: int, text: str) -> None:
        text = text.strip()
        m = _VERB_LINE.match(text)
        if not m:
            raise self.error(n, f"cannot read the verb line {text!r} (expected 'VERB {{FORMS}} [code]')")
        code = parse_code(m.group(3), self.path, n) if m.group(3) is not None else None
        if self.tabari:  # each TABARI verb opens its own family
            self.families.append(VerbFamily(m.group(1).strip("+_").upper(), code or Code(None), self.path, n))
            code = None
        if not self.families:
            raise self.error(n, f"verb {m.group(1)!r} before any '--- NAME [code] ---' family header")
        family = len(self.families) - 1
        specs = [m.group(1)] + (m.group(2)[1:-1].replace(",", " ").split() if m.group(2) else [])
        for k, spec in enumerate(specs):
            word, front, back, stem = _verb_spec(spec, self.tabari)
            if not word or not re.match(r"^[\w'.-]+$", word):
                raise self.error(n, f"cannot read the verb {spec!r}")
            regular = regular_forms(word) if k == 0 and not m.group(2) and not stem else []
            for w in (word, *regular):  # the index finds a verb by its lemma or by its form
                self.families[family].verbs.append(VerbForm(w, family, code, self.path, n, front, back, stem))

    def _pattern(self, n: int, body: str) -> None:
        if not self.families:
            raise self.error(n, "pattern before any verb family")
        m = _CODE_AT_END.search(body)
        if not m:
            raise self.error(n, "pattern without a [code] at the end of the line")
        code = parse_code(m.group(1), self.path, n)
        body = body[: m.start()].replace("**", "*")
        if "[" in body or "]" in body:
            raise self.error(n, "stray '[' or ']' in the pattern (the code must come last)")
        parser = _Parser(_tokens(body), self.synsets, self.tabari)
        try:
            elements = parser.sequence(None)
        except _Undefined as exc:
            self.warnings.append(f"{self.path}:{n}: undefined synset {exc.args[0]}: pattern skipped")
            return
        except ValueError as exc:  # PETRARCH reads such lines without complaint: skip the one pattern, say where
            self.warnings.append(f"{self.path}:{n}: {exc}: pattern {body.strip()!r} skipped")
            return
        verbs = [i for i, e in enumerate(elements) if e is _VERB]
        if len(verbs) != 1:
            raise self.error(n, f"a pattern needs one '*' for the verb, found {len(verbs)} in {body.strip()!r}")
        at = verbs[0]
        before, after = tuple(elements[:at]), tuple(elements[at + 1:])
        if any(e is _VERB for e in _walk(before + after)):
            raise self.error(n, "'*' inside a phrase")
        pattern = Pattern(before, after, code, self.path, n, body.strip(), parser.verb_gap)
        _finish(pattern)
        self.families[-1].patterns.append(pattern)


class _Undefined(Exception):
    pass


class _VerbMark:
    """The ``*`` of a pattern (a sentinel element)."""


_VERB = _VerbMark()


def _tokens(body: str) -> list[tuple[str, bool, bool]]:
    """Pattern tokens with two flags: glued to the one before by ``_`` (``*_OF``, ``WAS_*``, ``DEBT_RELIEF``), and
    followed by ``_`` (TABARI: a whole word, not a stem). ``*`` stands alone even when written against a word."""
    out: list[tuple[str, bool, bool]] = []
    last_end, last_underscore = -1, False
    for m in _TOKEN.finditer(body):
        tok = m.group()
        touching = m.start() == last_end and (last_underscore or tok.startswith("_"))
        last_end, last_underscore = m.end(), tok.endswith("_")
        if tok.startswith("&") or tok in "(){}|*":
            out.append((tok, touching and tok == "*", False))
            continue
        parts = tok.split("_")
        first = True
        for i, part in enumerate(parts):
            if part:
                out.append((part, i > 0 or (first and touching), i + 1 < len(parts)))
                first = False
    return out


class _Parser:
    """Recursive descent over pattern tokens: words, slots, synsets, ``(PREP ...)``, ``{...}``."""

    def __init__(self, tokens: list[tuple[str, bool, bool]], synsets: dict[str, tuple[tuple[Word, ...], ...]],
                 tabari: bool) -> None:
        self.tokens, self.pos, self.synsets, self.tabari = tokens, 0, synsets, tabari
        self.verb_gap: int | None = None  # ``WAS_*``: the verb is glued to the word before it

    def sequence(self, until: str | None) -> list[Any]:
        out: list[Any] = []
        while self.pos < len(self.tokens):
            tok, glued, exact = self.tokens[self.pos]
            if tok == until:
                self.pos += 1
                return out
            if tok in (")", "}", "|"):
                raise ValueError(f"unexpected {tok!r}")
            self.pos += 1
            gap = 0 if glued else None
            if tok == "(":
                out.append(self._prep(gap))
            elif tok == "{":
                out.extend(self._braces(gap))
            else:
                out.append(self._atom(tok, gap, exact))
        if until is not None:
            raise ValueError(f"missing {until!r}")
        return out

    def _atom(self, tok: str, gap: int | None, exact: bool) -> Any:
        if tok == "*":
            if gap == 0:
                self.verb_gap = 0
            return _VERB
        if tok in ("$", "+", "%", "^"):
            return Slot(tok, gap)
        if tok.startswith("&"):
            name = tok.strip("{}()").upper()
            if name not in self.synsets:
                raise _Undefined(name)
            return _synset_words(self.synsets[name], gap)
        return Words(((Word.of(tok, self.tabari and not exact),),), gap)

    def _prep(self, gap: int | None) -> Prep:
        if self.pos >= len(self.tokens) or self.tokens[self.pos][0] in "(){}|":
            raise ValueError("a '(' must open with its preposition")
        word = Word.of(self.tokens[self.pos][0])
        self.pos += 1
        inner = self.sequence(")")
        if any(e is _VERB for e in inner):
            raise ValueError("'*' inside a prepositional phrase")
        return Prep(word, tuple(inner), gap)

    def _braces(self, gap: int | None) -> list[Any]:
        depth_tokens: list[tuple[str, bool, bool]] = []
        while self.pos < len(self.tokens) and self.tokens[self.pos][0] != "}":
            if self.tokens[self.pos][0] in "({":
                raise ValueError("a phrase inside '{...}'")
            depth_tokens.append(self.tokens[self.pos])
            self.pos += 1
        if self.pos >= len(self.tokens):
            raise ValueError("missing '}'")
        self.pos += 1
        if any(t == "|" for t, _, _ in depth_tokens):  # TABARI alternatives: { WAS | WERE }
            options: list[tuple[Word, ...]] = []
            current: list[Word] = []
            for t, _, _ in [*depth_tokens, ("|", False, False)]:
                if t == "|":
                    if current:
                        options.append(tuple(current))
                    current = []
                else:
                    current.append(Word.of(t, self.tabari))
            return [Words(tuple(options), gap)]
        inner = _Parser(depth_tokens, self.synsets, self.tabari).sequence(None)
        out: list[Any] = []
        for i, e in enumerate(inner):  # {MOCK ATTACK}: a noun phrase, its words close together
            if e is _VERB:
                raise ValueError("'*' inside '{...}'")
            out.append(_with_gap(e, gap if i == 0 else (e.gap if e.gap == 0 else NP_GAP)))
        return out


_SHARED: dict[tuple[int, int | None], Words] = {}  # while a file is read: one element per synset and gap


def _synset_words(options: tuple[tuple[Word, ...], ...], gap: int | None) -> Words:
    """One shared element per synset use (its quick-test forms are computed once)."""
    key = (id(options), gap)
    if key not in _SHARED:
        _SHARED[key] = Words(options, gap)
    return _SHARED[key]


def _with_gap(e: Any, gap: int | None) -> Any:
    if isinstance(e, Words):
        return _synset_words(e.options, gap) if len(e.options) > 1 else Words(e.options, gap)
    if isinstance(e, Slot):
        return Slot(e.role, gap)
    return Prep(e.word, e.inner, gap)


def _walk(elements: Sequence[Any]):
    for e in elements:
        yield e
        if isinstance(e, Prep):
            yield from _walk(e.inner)


def _finish(p: Pattern) -> None:
    """Score and quick-test anchors of a parsed pattern."""
    score, anchors = 0, []
    for e in _walk(p.before + p.after):
        if isinstance(e, Words):  # a word says more than a slot: "* (AGAINST)" beats "$ * +"
            score += 2 * e.size
            if e.first_forms is not None:
                anchors.append(e.first_forms)
            p.says_by = p.says_by or (e.size == 1 and "by" in e.first_forms if e.first_forms else False)
        elif isinstance(e, Prep):
            score += 2 + (not e.inner)  # an empty (PREP) also needs its actor
            anchors.append(e.word.forms)
            p.says_by = p.says_by or e.word.text == "by"
        elif e.role != "^":
            score += 1
    p.score, p.anchors = score, tuple(anchors)


def read_verb_file(path: str | Path) -> _Reader:
    """Parse one file; :class:`VerbDictionaryError` names the line of the first problem."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise VerbDictionaryError(path, 0, f"cannot read the verb dictionary ({exc.strerror or exc})") from exc
    try:
        return _Reader(str(path), text).read()
    finally:
        _SHARED.clear()


def is_verb_dictionary(path: str | Path) -> bool:
    """Whether a file looks like a PETRARCH or TABARI verb dictionary (a family header, or a pattern line with
    ``*`` and a code), not a YAML trigger table or an actor dictionary."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(200_000)
    except OSError:
        return False
    return bool(re.search(r"^---\s+\S+.*---\s*$", head, re.M)
                or re.search(r"^-\s[^\n]*\*[^\n]*\[[^\]\n]*\]\s*(?:[#;][^\n]*)?$", head, re.M))


# ---- the dictionary ---------------------------------------------------------------------------------------------------

@dataclass
class VerbDictionary:
    """Verb families of one or more files, indexed by verb word."""

    families: list[VerbFamily] = field(default_factory=list)
    index: dict[str, list[VerbForm]] = field(default_factory=dict)
    stems: dict[str, list[VerbForm]] = field(default_factory=dict)  # TABARI: matched as the start of a verb
    files: list[str] = field(default_factory=list)
    synsets: int = 0
    transformations: int = 0  # PETRARCH transformation lines, read and not applied
    warnings: list[str] = field(default_factory=list)

    @staticmethod
    def load(paths: Sequence[str | Path]) -> VerbDictionary:
        d = VerbDictionary()
        for path in paths:
            d.add(read_verb_file(path))
        return d

    def add(self, reader: _Reader) -> None:
        offset = len(self.families)
        for fam in reader.families:
            fam.index_patterns()
            for v in fam.verbs:
                v.family += offset
                (self.stems if v.stem else self.index).setdefault(v.word, []).append(v)
            self.families.append(fam)
        self.files.append(reader.path)
        self.synsets += len(reader.synsets)
        self.transformations += reader.transformations
        self.warnings += reader.warnings

    @property
    def patterns(self) -> int:
        return sum(len(f.patterns) for f in self.families)

    def codes(self) -> set[str]:
        """Every code the dictionary gives (families, verbs, patterns)."""
        out = {f.code.value for f in self.families} | {v.code.value for f in self.families for v in f.verbs if v.code}
        out |= {p.code.value for f in self.families for p in f.patterns}
        return {c for c in out if c}

    # ---- matching ----

    def forms(self, verb: Any) -> list[VerbForm]:
        """The dictionary's verbs this token is (compounds whose other words stand next to it first)."""
        lemma, lower = verb.lemma_.lower(), verb.lower_
        found = list(self.index.get(lemma, ()))
        if lower != lemma:
            found += [v for v in self.index.get(lower, ()) if v not in found]
        if self.stems:
            for n in range(len(lower), 2, -1):
                found += [v for v in self.stems.get(lower[:n], ()) if v not in found]
        ok = [v for v in found if _compound_ok(verb, v)]
        return sorted(ok, key=lambda v: not (v.front or v.back))

    def match(self, verb: Any, index: Sequence[int | None],
              sides: Callable[[], tuple[list[int], list[int]]]) -> VerbMatch | None:
        """The best rule for a verb token: its most specific matching pattern, else its own code; None when the
        dictionary does not know the verb or gives it no code. ``index`` maps each token to its mention (None);
        ``sides()`` gives the parse's (source, target), used where a pattern's slot before the verb has no actor
        of its own (a relative pronoun, an inherited subject) and for the sides it does not name."""
        if verb.dep_ in ("prep", "agent"):  # "according to", "following the attack": a preposition, not an act
            return None
        forms = self.forms(verb)
        if not forms:
            return None
        before, after = _regions(verb)
        words = {w for t in (*before, *after) for w in (t.lower_, t.lemma_.lower())}
        best: tuple[Pattern, dict[str, list[int]]] | None = None
        for fam in dict.fromkeys(v.family for v in forms):
            family = self.families[fam]
            for i in family.candidates(words):
                p = family.patterns[i]
                if best is not None and p.score <= best[0].score:
                    break  # sorted by score: nothing later in this family beats it
                if any(a.isdisjoint(words) for a in p.anchors[1:]):
                    continue
                filled = _match_pattern(p, verb, before, after, index, sides)
                if filled is not None:
                    best = (p, filled)
                    break
        if best is not None:
            return _result(best[0].code, best[1], best[0].rule, sides, best[0])
        form = next((v for v in forms if v.code is not None), forms[0])
        code = form.code or self.families[form.family].code
        if code.value is None:
            return None
        return _result(code, {}, f"{Path(form.file).name}:{form.line}", sides, None)


def _compound_ok(verb: Any, v: VerbForm) -> bool:
    """A compound's other words stand right next to the verb ("asked for", "re-arrest"; a particle child too)."""
    doc = verb.doc
    i = verb.i + 1
    for w in v.back:
        if i < len(doc) and doc[i].lower_ == w:
            i += 1
        elif len(v.back) == 1 and any(c.dep_ == "prt" and c.lower_ == w for c in verb.children):
            return True
        else:
            return False
    i = verb.i - 1
    for w in reversed(v.front):
        while i >= 0 and doc[i].text == "-":
            i -= 1
        if i < 0 or doc[i].lower_ != w:
            return False
        i -= 1
    return True


def _regions(verb: Any) -> tuple[list[Any], list[Any]]:
    """The verb's own words before and after it (its subtree without other clauses), in order."""
    before: list[Any] = []
    after: list[Any] = []
    for c in verb.children:
        if c.i < verb.i and c.dep_ not in _BEFORE_SKIP:
            before.extend(c.subtree)
        elif c.i > verb.i and c.dep_ not in _AFTER_SKIP:
            after.extend(t for t in c.subtree if t.i - verb.i <= MAX_SPAN)
    return sorted(before, key=lambda t: t.i), sorted(after, key=lambda t: t.i)


def _mention_group(tok: Any, index: Sequence[int | None]) -> list[int]:
    """The mentions a slot's token stands for: its own (or the group it refers to) and its conjuncts'."""
    k = index[tok.i]
    if k is None:
        return []
    group = getattr(index, "group", lambda j: [j])
    out = list(group(k))
    head = tok
    while head.head.i != head.i and index[head.head.i] == k:
        head = head.head
    for c in head.conjuncts:
        kc = index[c.i]
        if kc is not None:
            out += [g for g in group(kc) if g not in out]
    return out


@dataclass
class _State:
    """What a match has filled so far: role → mentions (``$``, ``+``, ``%``, and ``+?`` for an empty prep)."""

    slots: dict[str, list[int]] = field(default_factory=dict)


def _seq(elements: Sequence[Any], toks: list[Any], pos: int, prev: int | None, index: Sequence[int | None],
         state: _State, end: tuple[int, int | None] | None = None) -> bool:
    """Match ``elements`` in order over ``toks[pos:]`` (``prev``: doc index of the token before); ``end`` = (verb
    index, gap): the last element must end within gap of the verb. Backtracks; fills ``state`` on success."""
    if not elements:
        return end is None or end[1] is None or (prev is not None and end[0] - prev - 1 <= end[1])
    e, rest = elements[0], elements[1:]
    if isinstance(e, Slot) and e.role == "^":
        return _seq(rest, toks, pos, prev, index, state, end)
    for j in range(pos, len(toks)):
        t = toks[j]
        if e.gap is not None and prev is not None and t.i - prev - 1 > e.gap:
            break
        for nxt, last, filled in _element_at(e, toks, j, index):
            saved = {k: list(v) for k, v in state.slots.items()} if filled else None
            for role, ks in filled.items():
                state.slots[role] = state.slots.get(role, []) + [k for k in ks if k not in state.slots.get(role, [])]
            if _seq(rest, toks, nxt, last, index, state, end):
                return True
            if saved is not None:
                state.slots = saved
    return False


def _element_at(e: Any, toks: list[Any], j: int, index: Sequence[int | None]):
    """Ways ``e`` matches starting at ``toks[j]``: (next position, doc index of its last token, slots filled)."""
    t = toks[j]
    if isinstance(e, Words):
        if e.singles and (t.lower_ in e.singles or t.lemma_.lower() in e.singles):
            yield j + 1, t.i, {}
        for option in e.rest:
            end = j + len(option)
            if end <= len(toks) and all(toks[j + n].i == t.i + n and w.matches(toks[j + n])
                                        for n, w in enumerate(option)):
                yield end, toks[end - 1].i, {}
    elif isinstance(e, Slot):
        k = index[t.i]
        if k is None or (j > 0 and index[toks[j - 1].i] == k and toks[j - 1].i == t.i - 1):
            return  # not an actor, or not the start of one
        group = _mention_group(t, index)
        if e.role == "%" and len(group) < 2:
            return
        end = j
        while end < len(toks) and index[toks[end].i] == k:
            end += 1
        yield end, toks[end - 1].i, {e.role: group}
    elif isinstance(e, Prep):
        if not e.word.matches(t) or not (t.pos_ == "ADP" or t.dep_ in ("prep", "agent", "dative")):
            return
        right = t.right_edge.i
        inner = [x for x in toks[j + 1:] if x.i <= right]
        nxt = j + 1 + len(inner)
        if not e.inner:  # (WITH): the phrase's object is an actor, who is the target ("a Russian spaceport" is not)
            for x in t.children:
                if x.dep_ == "pobj" and index[x.i] is not None:
                    yield nxt, right, {"+?": _mention_group(x, index)}
                    return
            return
        sub = _State()
        if _seq(e.inner, inner, 0, t.i, index, sub):
            yield nxt, right, sub.slots


def _match_pattern(p: Pattern, verb: Any, before: list[Any], after: list[Any], index: Sequence[int | None],
                   sides: Callable[[], tuple[list[int], list[int]]]) -> dict[str, list[int]] | None:
    """Slots filled by pattern ``p`` around ``verb`` (role → mention indices), or None when it does not match."""
    state = _State()
    if p.after and not _seq(p.after, after, 0, verb.i, index, state):
        return None
    if p.before:
        pre = _State()
        if not _seq(p.before, before, 0, None, index, pre, (verb.i, p.verb_gap)):
            # a slot with no actor of its own before the verb ("who", an inherited subject): the parse's sides
            bare = tuple(e for e in p.before if not isinstance(e, Slot))
            if len(bare) == len(p.before) or (bare and not _seq(bare, before, 0, None, index, pre,
                                                               (verb.i, p.verb_gap))):
                return None
            parse_source, parse_target = sides()
            for e in p.before:
                if isinstance(e, Slot) and e.role in ("$", "%"):
                    if not parse_source or (e.role == "%" and len(parse_source) < 2):
                        return None
                    pre.slots[e.role] = list(parse_source)
                elif isinstance(e, Slot) and e.role == "+":
                    if not parse_target:
                        return None
                    pre.slots["+"] = list(parse_target)
        for role, ks in pre.slots.items():
            state.slots[role] = state.slots.get(role, []) + [k for k in ks if k not in state.slots.get(role, [])]
    if not p.says_by and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        _passive_roles(verb, index, state)
    return state.slots


def _passive_roles(verb: Any, index: Sequence[int | None], state: _State) -> None:
    """A passive verb's roles: the "by" agent acts and the passive subject is acted on, whichever slot of a pattern
    written for the active voice ("$ * +") they filled."""
    def mentions(deps: tuple[str, ...]) -> set[int]:
        return {k for c in verb.children if c.dep_ in deps for t in c.subtree if (k := index[t.i]) is not None}

    agent, patient = mentions(("agent",)), mentions(("nsubjpass",))
    filled = [k for role in ("$", "+", "+?") for k in state.slots.get(role, [])]
    if not any(k in agent or k in patient for k in filled):
        return
    for role in ("$", "+", "+?"):
        state.slots[role] = [k for k in state.slots.get(role, []) if k not in agent and k not in patient]
    state.slots["$"] += [k for k in dict.fromkeys(filled) if k in agent]
    state.slots["+"] += [k for k in dict.fromkeys(filled) if k in patient]


def _result(code: Code, slots: dict[str, list[int]], rule: str,
            sides: Callable[[], tuple[list[int], list[int]]], pattern: Pattern | None) -> VerbMatch:
    source = slots.get("$") or None
    target = slots.get("+") or slots.get("+?") or None
    mutual = code.mutual
    if slots.get("%"):
        group = slots["%"]
        source, target, mutual = group[:1], target or group[1:], True
    if code.reverse:  # [:173]: the target acts on the source
        parse_source, parse_target = sides()
        source, target = (target if target is not None else parse_target), \
            (source if source is not None else parse_source)
    return VerbMatch(code.value, source, target, rule, mutual, pattern)


@lru_cache(maxsize=8)
def get_verbs(paths: tuple[str, ...]) -> VerbDictionary | None:
    """The verb dictionaries of ``paths`` (cached per tuple); None for none."""
    return VerbDictionary.load(paths) if paths else None


def outside_cameo(code: str) -> bool:
    """A code the CAMEO code list does not name (kept as written in the record's ``cameo``)."""
    return cameo_name(code) is None


def summary(d: VerbDictionary) -> dict[str, Any]:
    """What a dictionary holds, for ``dateline dictionary import``."""
    codes = d.codes()
    return {"files": d.files, "families": len(d.families), "verbs": sum(len(f.verbs) for f in d.families),
            "patterns": d.patterns, "synsets": d.synsets, "codes": len(codes),
            "outside_cameo": sorted(c for c in codes if outside_cameo(c)),
            "transformations_skipped": d.transformations, "warnings": list(d.warnings)}
