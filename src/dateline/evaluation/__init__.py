"""Accuracy measurement per stage (``dateline eval KIND GOLD…``).

Each module ``dateline.evaluation.<kind>`` provides ``evaluate(paths: list[str], **options) -> dict``
and ``report(result: dict) -> str``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

KINDS = ("actors", "time", "places", "events", "news", "dedup")


def documents(stories: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Gold stories (``id``, ``text``, ``title``, ``url``, ``published``) as pipeline documents."""
    from dateline.model import Document

    return [Document(id=s["id"], text=s["text"], title=s.get("title"), url=s.get("url"),
                     published=dt.date.fromisoformat(s["published"][:10]) if s.get("published") else None)
            for s in stories]
