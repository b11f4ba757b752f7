"""The actors stage: one :class:`ActorStage` per set of dictionary files, cached per process."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from dateline.actors.coref import resolve_coreference
from dateline.actors.dictionary import SHIPPED, SHIPPED_IGOS, Dictionary
from dateline.actors.mentions import MentionFinder
from dateline.actors.patterns import resolve_text
from dateline.model import SECTOR_LABELS, ActorMention, ActorRef

GENERIC_ID = re.compile(r"[A-Z]{3}(?:[A-Z]{3})?")


class ActorStage:
    """Resolves actor descriptions and finds actor mentions; user dictionaries win over the shipped one."""

    def __init__(self, actors_files: Sequence[str | Path] = (), agents_files: Sequence[str | Path] = ()):
        d = Dictionary()
        for path in [*actors_files, *agents_files]:
            d.merge(Dictionary.load(path), override=True)
        d.merge(Dictionary.load(SHIPPED), override=False)
        if SHIPPED_IGOS.is_file():
            d.merge(Dictionary.load(SHIPPED_IGOS), override=False)
        self.dictionary = d
        self.finder = MentionFinder(d)
        self._country_names: dict[str, str] = {}
        for words, code in d.countries.items():  # the first name listed is the country's own ("RUSSIA")
            self._country_names.setdefault(code, d.country_names.get(code) or " ".join(words).title())

    def canonical_name(self, actor_id: str | None, country: str | None, sector: str | None, name: str | None) -> str | None:
        """One name per generic actor id: "Russian", "officials" and "Moscow" as RUSGOV all read "Russia government"."""
        if not actor_id or not country or not GENERIC_ID.fullmatch(actor_id) or country not in self._country_names:
            return name
        base = self._country_names[country]
        return f"{base} {SECTOR_LABELS.get(sector, sector)}" if sector else base

    def resolve(self, text: str, date: dt.date | None = None) -> ActorRef:
        """Resolve a short description ("North Korea's foreign minister") to name, country, sector, id."""
        r = resolve_text(text, self.dictionary, date)
        if not r.resolved:
            return ActorRef(None, None, None, None)
        return ActorRef(self.canonical_name(r.id, r.country, r.sector, r.name), r.country, r.sector, r.id, r.code)

    def find_mentions(self, doc: Doc, published: dt.date | None) -> list[ActorMention]:
        """Every actor mention of ``doc`` sorted by start, non-overlapping, coreference resolved."""
        cands = self.finder.find(doc, published)
        resolve_coreference(cands)
        keep = [i for i, c in enumerate(cands) if not (c.extra.get("tentative") and not c.mention.antecedents)]
        new_index = {old: new for new, old in enumerate(keep)}
        out = []
        for i in keep:
            m = cands[i].mention
            m.antecedents = [new_index[a] for a in m.antecedents if a in new_index]
            m.name = self.canonical_name(m.id, m.country, m.sector, m.name)
            out.append(m)
        return out


@lru_cache(maxsize=16)
def _stage(actors_files: tuple[str, ...], agents_files: tuple[str, ...]) -> ActorStage:
    return ActorStage(actors_files, agents_files)


def get_stage(actors_files: Sequence[str | Path] = (), agents_files: Sequence[str | Path] = ()) -> ActorStage:
    """The stage for these dictionary files, cached: dictionaries load once per process."""
    return _stage(tuple(str(p) for p in actors_files), tuple(str(p) for p in agents_files))
