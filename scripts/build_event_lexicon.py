"""Build dateline's verb trigger lexicon from PETRARCH2's CAMEO verb dictionary (MIT).

Usage: python scripts/build_event_lexicon.py [../shared/data/dictionaries/phoenix/CAMEO.2.0.txt]

Writes src/dateline/data/events/verbs.json: {lemma: {"code": default CAMEO code or null,
"patterns": [[words…], code], …}}. A verb listed with its own code ("GREET [050]") keeps it; otherwise the block's
default code applies. Patterns "- * WORD (PREP NOUN) [code]" become lists of lower-case words that must follow the verb
in its clause. Synonym-set references (&NAME) and patterns with words before the verb are dropped: dateline finds the
arguments from the parse, not from word order.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SRC = ROOT.parent / "shared" / "data" / "dictionaries" / "phoenix" / "CAMEO.2.0.txt"
OUT = ROOT / "src" / "dateline" / "data" / "events" / "verbs.json"

BLOCK_RE = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
CODE_RE = re.compile(r"\[([0-9]{2,4}|---)(?::[0-9]{2,4})?\]")


def _code(raw: str) -> str | None:
    m = CODE_RE.search(raw)
    if not m or m.group(1) == "---":
        return None
    return m.group(1)


def _pattern_words(body: str) -> list[str] | None:
    """Words that follow the verb in a pattern body such as '* (WITH LEADERS)'; None if unusable."""
    if "*" not in body:
        return None
    before, after = body.split("*", 1)
    if before.strip():
        return None
    words = re.findall(r"[&^$%]?[A-Z][A-Z_'-]*", after)
    if not words or any(w[0] in "&^$%" for w in words):
        return None
    return [w.lower().replace("_", " ") for w in words]


def parse(lines: list[str]) -> dict[str, dict]:
    """Parse the verb dictionary into the lexicon structure."""
    lexicon: dict[str, dict] = {}
    block_code: str | None = None
    block_verbs: list[str] = []
    in_verbs = False
    for raw in lines:
        line = raw.split("#", 1)[0].rstrip()
        m = BLOCK_RE.match(line)
        if m:
            in_verbs = True
            block_code = _code(f"[{m.group(2)}]")
            block_verbs = []
            continue
        if not in_verbs or not line.strip():
            continue
        if line.startswith("- "):
            code = _code(line)
            words = _pattern_words(CODE_RE.sub("", line[2:]))
            if code is None or words is None:
                continue
            for verb in block_verbs:
                entry = lexicon.setdefault(verb, {"code": block_code, "patterns": []})
                if [words, code] not in entry["patterns"]:
                    entry["patterns"].append([words, code])
            continue
        token = line.strip()
        if token.startswith(("&", "+")) or not token[0].isalpha():
            continue
        verb = token.split()[0].lower()
        if "_" in verb:
            continue
        own = _code(token)
        block_verbs.append(verb)
        entry = lexicon.setdefault(verb, {"code": None, "patterns": []})
        entry["code"] = own or entry["code"] or block_code
    return {k: v for k, v in sorted(lexicon.items()) if v["code"] or v["patterns"]}


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    text = src.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("####### VERB"))
    end = next((i for i, line in enumerate(text) if line.startswith("######## TRANSFORMATIONS")), len(text))
    lexicon = parse(text[start:end])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(lexicon, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"{len(lexicon)} verbs -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
