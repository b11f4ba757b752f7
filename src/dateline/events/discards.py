"""PETRARCH/TABARI discard files (``--discards FILE``): phrases that mark a sentence, or with a leading ``+`` a
whole story, as one that codes no event ("WORLD CUP" in a sports story, "+AUSTRALIAN OPEN" anywhere in a story).

The format is PETRARCH's ``Phoenix.discards.txt``: one phrase a line, ``#`` starts a comment, ``+`` marks a
story-level discard. Phrases match case-insensitively as whole words, any run of white space between their words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dateline.events.rulefile import rule_lines


class DiscardError(ValueError):
    """A discard file that cannot be read; the message names the file and line."""


def _pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = sorted({r"\s+".join(re.escape(w) for w in p.split()) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Discards:
    """The sentence-level and story-level phrases of one or more discard files."""

    sentence: re.Pattern[str] | None = None
    story: re.Pattern[str] | None = None
    phrases: int = 0

    @classmethod
    def load(cls, paths: Sequence[str | Path]) -> Discards:
        sentence: list[str] = []
        story: list[str] = []
        for path in paths:
            for n, text, line in rule_lines(path, "discard file", DiscardError):
                whole = text.startswith("+")
                phrase = text[1:].strip() if whole else text
                if not any(ch.isalnum() for ch in phrase):
                    raise DiscardError(f"{path}:{n}: no phrase to discard in {line!r}")
                (story if whole else sentence).append(phrase)
        return cls(_pattern(sentence), _pattern(story), len(sentence) + len(story))

    def story_discarded(self, text: str) -> bool:
        """Whether a story-level phrase occurs anywhere in the document's text."""
        return self.story is not None and self.story.search(text) is not None

    def sentence_discarded(self, text: str) -> bool:
        """Whether a sentence-level phrase occurs in the sentence."""
        return self.sentence is not None and self.sentence.search(text) is not None


@lru_cache(maxsize=8)
def get_discards(paths: tuple[str, ...]) -> Discards | None:
    """The discards of ``paths`` (loaded once per process), None when there are none."""
    return Discards.load(paths) if paths else None
