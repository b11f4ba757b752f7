"""Which articles report the same real incident (pure functions, no SQL; the store keeps the result).

Records of one happening are grouped by :mod:`dateline.dedup`; that needs the same actors on each side, which two
local reports of one shooting rarely give ("a 2-year-old boy" and the boy's name; the victim as source in one).
Articles are therefore also linked as wholes: two articles published within ``WINDOW_DAYS`` of each other report one
incident when the rare names they share weigh at least ``MIN_SCORE``. An article's names are the words of its named
people and organisations (mentions resolved to a name, not to a country or sector code) and its places below a state
(towns, counties). A name's weight is its inverse document frequency scaled to [0, 1] by the number of documents
(``log(N / df) / log(N)``: 1 for a name no other document has; N at least ``MIN_DOCS``), so the rule reads the same
in a store of 200 articles and of a million; names found in more than ``MAX_SHARE`` of the documents weigh nothing.
In effect two articles need about two rare names in common (the victim's first and last name, the shooter and the
town). Incidents are the
connected components of that relation; an incident's id is the smallest document id in it.

Tuned on gvc_dev in 5-fold cross-validation by incident (``docs/store.md``, "Incidents").
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dateline.dedup import UnionFind
from dateline.model import Annotation

WINDOW_DAYS = 30
MIN_SCORE = 1.2
MAX_SHARE = 0.02
MIN_DOCS = 200  # a smaller collection is weighed as one of this size (in a store of 3 documents no name is rare)
_WORD = re.compile(r"[a-z0-9]+")
# words of a name that say nothing of who it is ("Sheriff John Smith", "the City of Flint")
_GENERIC = frozenset({"the", "and", "of", "for", "police", "officer", "officers", "county", "city", "sheriff", "man",
                      "woman", "boy", "girl", "teen", "department", "office", "state", "news", "school"})
_NOT_BELOW_STATE = ("A.PCL", "A.ADM1")  # countries and states name too many incidents to link any


@dataclass(frozen=True)
class Article:
    """What incident linking needs of one document."""

    id: str
    published: str | None  # ISO day
    names: frozenset[str]


def article_names(ann: Annotation) -> frozenset[str]:
    """The names an article's incident is told by: words of its named actors (``p:``) and places below a state
    (``g:``)."""
    out: set[str] = set()
    for m in ann.mentions:
        if m.kind == "name" and m.id and not m.id.isupper():  # a person or body by name, not "USA" or "USACOP"
            out.update(f"p:{w}" for w in _WORD.findall(m.text.lower()) if len(w) > 2 and w not in _GENERIC)
    for p in ann.places:
        if p.feature and not p.feature.startswith(_NOT_BELOW_STATE):
            out.add(f"g:{(p.name or p.text).lower()}")
    return frozenset(out)


def article_for(ann: Annotation) -> Article:
    published = ann.doc.published.isoformat() if ann.doc.published else None
    return Article(ann.doc.id, published, article_names(ann))


def weight(df: int, n_docs: int) -> float:
    """A shared name's weight: its inverse document frequency scaled to [0, 1]; 0 when too common to tell (in more
    than ``MAX_SHARE`` of the documents, and in more than two)."""
    n = max(n_docs, MIN_DOCS)
    if df <= 0 or df > max(2.0, MAX_SHARE * n):
        return 0.0
    return max(math.log(n / df) / math.log(n), 0.0)


def name_key(name: str) -> int:
    """A name's signed 64-bit key (the store indexes names by it)."""
    return int.from_bytes(hashlib.sha1(name.encode("utf-8", "surrogatepass")).digest()[:8], "big", signed=True)


def _day(a: Article) -> int | None:
    return dt.date.fromisoformat(a.published[:10]).toordinal() if a.published else None


def edges(articles: Iterable[Article], df: Mapping[str, int], n_docs: int,
          fresh: set[str] | None = None) -> list[tuple[str, str]]:
    """Pairs of articles that report one incident: both dated, published within ``WINDOW_DAYS`` of each other, and
    sharing names whose weights (:func:`weight`) sum to ``MIN_SCORE`` or more; with ``fresh``, only pairs with a fresh
    article in them (incremental linking on ingest). ``df``: in how many documents each name occurs and ``n_docs``:
    how many there are, over the whole collection. Blocking: only articles that share a name able to weigh anything
    and lie within the window of each other are compared (per name, a sweep over publication days)."""
    arts = {a.id: a for a in articles if a.published}
    days = {i: _day(a) or 0 for i, a in arts.items()}
    weights = {n: w for n in {n for a in arts.values() for n in a.names} if (w := weight(df.get(n, 0), n_docs)) > 0}
    by_name: dict[str, list[tuple[int, str]]] = {}
    for i, a in arts.items():
        for n in a.names:
            if n in weights:
                by_name.setdefault(n, []).append((days[i], i))
    for members in by_name.values():
        members.sort()
    found: set[tuple[str, str]] = set()
    starts = fresh if fresh is not None else set(arts)
    for x in sorted(i for i in starts if i in arts):
        day = days[x]
        score: dict[str, float] = {}  # the weight of the names x shares with each article of its window
        for n in arts[x].names:
            members = by_name.get(n)
            if members is None or len(members) < 2:
                continue
            w = weights[n]
            for day2, y in members[bisect.bisect_left(members, (day - WINDOW_DAYS, "")):]:
                if day2 > day + WINDOW_DAYS:
                    break
                if y != x:
                    score[y] = score.get(y, 0.0) + w
        found.update((x, y) if x < y else (y, x) for y, total in score.items() if total >= MIN_SCORE)
    return sorted(found)


def components(ids: Iterable[str], links: Iterable[tuple[str, str]],
               current: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each id's incident: the smallest id of its connected component under ``links``, where ``current`` (id →
    incident already known) joins each id to the members of its incident first."""
    uf = UnionFind()
    ids = list(ids)
    for i in ids:
        uf.find(i)
    for i, inc in (current or {}).items():
        uf.union(i, inc)
    for a, b in links:
        uf.union(a, b)
    return {i: uf.find(i) for i in ids}


def link(articles: Iterable[Article], df: Mapping[str, int], n_docs: int) -> dict[str, str]:
    """Each article's incident id over one whole collection (``dateline eval dedup``)."""
    arts = list(articles)
    return components([a.id for a in arts], edges(arts, df, n_docs))


def document_frequencies(articles: Iterable[Article]) -> Counter[str]:
    """In how many of ``articles`` each name occurs."""
    return Counter(n for a in articles for n in a.names)
