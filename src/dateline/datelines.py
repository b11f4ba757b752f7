"""News datelines: the "MOSCOW (AP) --" or "ALGIERS, Algeria -" prefix that says where a story was filed.

The prefix names a place, not an actor of the story; the actors and events stages skip what lies in it, and the where
stage reads it as the story's fallback location.
"""

from __future__ import annotations

import re

AGENCIES = r"AP|Reuters|AFP|Xinhua|UPI|dpa|DPA|Yonhap|Kyodo|TASS|Tass|Interfax|ANI|PTI|IANS|CNN|BBC|Bloomberg|VOA|CNA"
DATELINE = re.compile(
    r"^\s*(?:date \d{4}-\d{2}-\d{2}\s+)?(?P<place>[A-Z][A-Za-z.'’\- ]{1,40}?(?:,\s*[A-Z][A-Za-z.'’ ]{1,30}?)?)"
    r"\s*(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:\s*,\s*\d{4})?))?\s*"
    r"(?:\((?:" + AGENCIES + r")[^)]{0,20}\)\s*)?[-—–:]{1,2}\s")


def dateline_match(text: str) -> re.Match[str] | None:
    """The leading dateline of a story, when its city is in capitals ("ALGIERS, Algeria -") or an agency follows."""
    m = DATELINE.match(text[:200])
    if not m or not (m.group("place").split(",")[0].strip().isupper() or "(" in m.group(0)):
        return None
    return m


def dateline_end(text: str) -> int:
    """Character offset where the story proper starts after its dateline (0 when there is none)."""
    m = dateline_match(text)
    return m.end() if m else 0
