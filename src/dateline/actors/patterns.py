"""Resolve a token sequence ("Russian Defense Minister Sergei Shoigu") to an actor: dictionary phrases,
country names / nationality adjectives / capitals, and role nouns (agents) combined into name, country, sector."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateline.actors.dictionary import Dictionary, norm_token, slug

_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:\.(?=\s|$))?|'s|’s|[^\w\s]")
NAME_ABBREV = re.compile(r"^[A-Z][a-z]{0,3}\.$")


@dataclass
class Atom:
    """A dictionary match over tokens ``[start, end)``; ``kind`` is actor | country | capital | agent."""

    start: int
    end: int
    kind: str
    value: object


@dataclass
class Resolution:
    """What a token span resolves to."""

    name: str | None = None
    country: str | None = None
    sector: str | None = None
    id: str | None = None
    code: str | None = None
    kind: str = "description"  # name | description | country

    @property
    def resolved(self) -> bool:
        return self.country is not None or self.sector is not None


def tokenize(text: str) -> list[str]:
    """A light tokenizer close to spaCy's for short actor descriptions (no model needed)."""
    out: list[str] = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group(0)
        if tok.endswith(".") and len(tok) > 2 and not NAME_ABBREV.match(tok) and tok.count(".") == 1:
            tok = tok[:-1]
        out.append(tok)
    return out


def is_cap(tok: str) -> bool:
    return tok[:1].isupper() or tok[:1].isdigit()


def match_atoms(norms: list[str], caps: list[bool], d: Dictionary, upper: list[bool] | None = None) -> list[Atom]:
    """Greedy longest match, left to right, over normalised tokens (empty norms are skipped by the caller).
    Names need a capitalised first token; a one-word name of three letters or fewer ("UN", "AP") needs ``upper``."""
    out: list[Atom] = []
    n, i = len(norms), 0
    while i < n:
        longest = min(d.maxlen.get(norms[i], 0), n - i)
        found = None
        for ln in range(longest, 0, -1):
            key = tuple(norms[i:i + ln])
            if caps[i] and not (ln == 1 and len(key[0]) <= 3 and upper is not None and not upper[i]):
                if key in d.capitals:
                    found = Atom(i, i + ln, "capital", d.capitals[key])
                elif key in d.phrases:
                    found = Atom(i, i + ln, "actor", d.phrases[key])
                elif key in d.countries:
                    found = Atom(i, i + ln, "country", d.countries[key])
            if found is None and key in d.agents:
                found = Atom(i, i + ln, "agent", d.agents[key])
            if found is not None:
                break
        if found is not None:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out


def resolve_atoms(atoms: list[Atom], tokens: list[str], d: Dictionary, day: dt.date | None,
                  name: str | None = None, head: int | None = None) -> Resolution:
    """Combine the atoms of one noun phrase into a resolution. ``head``: index of the head token (default last)."""
    head = len(tokens) - 1 if head is None else head
    res = Resolution()
    atoms = [as_country(a, d, day) for a in atoms]
    actor_atoms = [a for a in atoms if a.kind == "actor"]
    # a dictionary actor with a sector (person, organisation): the one nearest the head wins
    best = None
    for a in actor_atoms:
        actor = d.actors[a.value]  # type: ignore[index]
        role = actor.role_on(day)
        if role is None:
            continue
        if role.sector is None and role.country and len(actor_atoms) > 1:
            continue  # a country alias; a more specific actor is present
        if best is None or abs(head - (a.end - 1)) <= abs(head - (best[0].end - 1)):
            best = (a, actor, role)
    agents = [a for a in atoms if a.kind == "agent"]
    agent = max(agents, key=lambda a: (a.end - a.start, a.end)) if agents else None
    countries = [a for a in atoms if a.kind in ("country", "capital")]
    if best is not None:
        a, actor, role = best
        override = [c for c in countries if c.end <= a.start]
        if override and role.sector and str(override[-1].value) != role.country:
            # "South Korea's Joint Chiefs of Staff": the stated country beats a generic institution's default
            res.country, res.sector, res.kind = str(override[-1].value), role.sector, "description"
            res.name = name or " ".join(tokens[a.start:a.end])
            res.id = slug(name) if name else f"{res.country}{res.sector}"
            if name:
                res.kind = "name"
            return res
        res.country, res.sector, res.code = role.country, role.sector, role.code
        if role.sector is None:  # a country (or country alias such as a province)
            res.kind, res.id = "country", role.country
            res.name = actor.name
            if agent is not None:
                res.sector, res.kind = str(agent.value), "description"
                res.id = f"{res.country}{res.sector}"
        else:
            res.kind, res.name, res.id = "name", actor.name, actor.id
            if agent is not None and role.country in ("IGO", "NGO") and agent.start >= a.end:
                res.sector = str(agent.value)  # "UN peacekeepers" → IGO MIL
            if name and a.end - 1 != head:
                # "Kremlin spokesperson Dmitry Peskov": the person, with the organisation's country and sector
                res.name, res.id = name, slug(name)
        if name and res.kind != "name":
            res.name, res.kind, res.id = name, "name", slug(name)
        return res
    if countries:
        before = [c for c in countries if agent is None or c.start < agent.end]
        c = (before or countries)[-1]
        res.country = str(c.value)
        if c.kind == "capital" and len(atoms) == 1 and c.end - c.start == len(tokens):
            res.sector = "GOV"  # "Moscow said": the capital stands for the government
    if agent is not None:
        res.sector = str(agent.value)
    if name and not res.country:
        surname = by_surname(name, d, day)
        if surname is not None:
            return surname
    if name:
        res.name, res.kind, res.id = name, "name", slug(name)
    elif agent is not None:
        res.kind = "description"
        res.name = " ".join(tokens[agent.start:agent.end]).lower()
        res.id = f"{res.country or ''}{res.sector}"
    elif res.country:
        res.kind, res.id = "country", res.country
        res.name = " ".join(tokens[countries[-1].start:countries[-1].end])
    return res


def as_country(atom: Atom, d: Dictionary, day: dt.date | None) -> Atom:
    """A dictionary actor that is only a country (or a province/city alias of one) counts as a country atom."""
    if atom.kind != "actor":
        return atom
    role = d.actors[atom.value].role_on(day)  # type: ignore[index]
    if role is not None and role.sector is None and role.country:
        return Atom(atom.start, atom.end, "country", role.country)
    return atom


def norms_of(tokens: list[str]) -> tuple[list[str], list[int]]:
    """Normalised tokens without the empty ones, and the index of each in ``tokens``."""
    norms: list[str] = []
    index: list[int] = []
    for i, t in enumerate(tokens):
        n = norm_token(t)
        if n in ("S",) and t.lower() in ("'s", "’s"):
            continue
        if n:
            for part in n.split():
                norms.append(part)
                index.append(i)
    return norms, index


def resolve_text(text: str, d: Dictionary, day: dt.date | None = None) -> Resolution:
    """Resolve a short actor description without a parser."""
    tokens = tokenize(text.strip())
    if not tokens:
        return Resolution(kind="description")
    norms, index = norms_of(tokens)
    caps = [is_cap(tokens[i]) for i in index]
    atoms = match_atoms(norms, caps, d, [tokens[i].replace(".", "").isupper() for i in index])
    # map atom positions back to token positions
    mapped = [Atom(index[a.start], index[a.end - 1] + 1, a.kind, a.value) for a in atoms]
    covered = {i for a in mapped for i in range(a.start, a.end)}
    name = guess_name(tokens, covered)
    return resolve_atoms(mapped, tokens, d, day, name=name)


def guess_name(tokens: list[str], covered: set[int]) -> str | None:
    """A proper name at the end of a description: the trailing run of capitalised tokens no dictionary matched."""
    run: list[str] = []
    for i in range(len(tokens) - 1, -1, -1):
        t = tokens[i]
        if i in covered or not (t[:1].isupper() and t[:1].isalpha()):
            break
        run.append(t)
    if not run or len(run) == len(tokens) and len(run) == 1 and tokens[0].isupper() and len(tokens[0]) <= 3:
        return None if not run else run[0]
    return " ".join(reversed(run))


def by_surname(name: str, d: Dictionary, day: dt.date | None) -> Resolution | None:
    """"Mugabe" → Robert Mugabe when one dictionary person has that surname (or only one is in office on ``day``)."""
    words = name.upper().replace(".", "").split()
    if not words:
        return None
    cands = d.surname_index().get(words[-1], [])
    if len(words) > 1:
        cands = [i for i in cands if d.actors[i].name.upper().replace(".", "").split()[0] == words[0]]
    if len(cands) > 1 and day is not None:
        cands = [i for i in cands if any(r.covers(day) and r.specificity() and r.sector for r in d.actors[i].roles)]
    if len(cands) != 1:
        return None
    actor = d.actors[cands[0]]
    role = actor.role_on(day)
    if role is None:
        return None
    return Resolution(actor.name, role.country, role.sector, actor.id, role.code, "name")
