"""PETRARCH issue coding (``--issues FILE``): the issues a record's sentence speaks of, from a phrase list such as
Phoenix's ``Phoenix.IssueCoding.txt``.

The format: ``<ISSUE CATEGORY="ENERGY" TYPE="ALL">`` … ``</ISSUE>`` blocks of phrases, one a line, each with its
issue code in brackets (``n:kindergarten [EARLY_CHILDHOOD_EDUCATION]``; a phrase without one codes the block's
category). ``n:`` marks a noun (its plural matches too), ``v:`` a verb (its -s, -ed and -ing forms), ``+`` joins two
words written together, hyphenated or apart (``pre+k``), and a line ``~PHRASE`` is an exclusion: its words are not
read as any issue ("~olive oil" keeps "oil" from coding ENERGY there). ``#`` starts a comment. Matching is
case-insensitive, on whole words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dateline.events.rulefile import rule_lines

_BLOCK = re.compile(r'<ISSUE\s+CATEGORY="([^"]+)"[^>]*>', re.IGNORECASE)
_CODE = re.compile(r"\[([^\]]*)\]\s*$")


class IssueFileError(ValueError):
    """An issue file that cannot be read; the message names the file and line."""


def _word(token: str) -> str:
    kind, _, word = token.rpartition(":") if re.match(r"^[a-z]:", token) else ("", "", token)
    parts = [re.escape(p) for p in word.split("+") if p]
    body = r"(?:-|\s*)".join(parts)
    if kind == "n":
        return body + r"(?:s|es)?"
    if kind == "v":
        return body + r"(?:s|es|d|ed|ing)?"
    return body


def _phrase(text: str) -> str:
    return r"\s+".join(_word(t) for t in text.split())


@dataclass(frozen=True)
class Issues:
    """Issue phrases (code → one pattern) and the exclusions read before them."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()
    exclusions: re.Pattern[str] | None = None
    phrases: int = 0

    @classmethod
    def load(cls, paths: Sequence[str | Path]) -> Issues:
        by_code: dict[str, list[str]] = {}
        excluded: list[str] = []
        for path in paths:
            category = None
            for n, text, line in rule_lines(path, "issue file", IssueFileError):
                if m := _BLOCK.match(text):
                    category = m.group(1)
                    continue
                if text.upper().startswith("</ISSUE"):
                    category = None
                    continue
                if text.startswith("~"):
                    if text[1:].strip():
                        excluded.append(_phrase(text[1:].strip()))
                    continue
                code = _CODE.search(text)
                phrase = text[: code.start()].strip() if code else text
                issue = (code.group(1).strip() if code else "") or category
                if not issue:
                    raise IssueFileError(f"{path}:{n}: a phrase outside any <ISSUE CATEGORY=…> block and without "
                                         f"a [CODE]: {line!r}")
                if not any(ch.isalnum() for ch in phrase):
                    raise IssueFileError(f"{path}:{n}: no phrase before the code in {line!r}")
                by_code.setdefault(issue, []).append(_phrase(phrase))

        def compiled(alternatives: list[str]) -> re.Pattern[str]:
            ordered = sorted(set(alternatives), key=len, reverse=True)
            return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)

        return cls(tuple((code, compiled(ps)) for code, ps in sorted(by_code.items())),
                   compiled(excluded) if excluded else None, sum(len(ps) for ps in by_code.values()) + len(excluded))

    def of(self, text: str) -> list[str]:
        """The issue codes ``text`` speaks of, sorted; the exclusions' words first blanked out."""
        if self.exclusions is not None:
            text = self.exclusions.sub(lambda m: " " * len(m.group()), text)
        return [code for code, pattern in self.patterns if pattern.search(text)]


@lru_cache(maxsize=8)
def get_issues(paths: tuple[str, ...]) -> Issues | None:
    """The issues of ``paths`` (loaded once per process), None when there are none."""
    return Issues.load(paths) if paths else None
