"""The lines of a user's PETRARCH-style rule file (discards, issues): ``#`` starts a comment, blank lines skipped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def rule_lines(path: str | Path, what: str, error: type[ValueError]) -> Iterator[tuple[int, str, str]]:
    """(line number, text without its comment, the whole line) of every line that holds something; ``error``
    (naming the file and ``what`` it is) when the file cannot be read."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror or exc})") from exc
    for n, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if text:
            yield n, text, line.strip()
