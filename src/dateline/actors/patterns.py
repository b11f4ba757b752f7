"""Resolve a token sequence ("Russian Defense Minister Sergei Shoigu") to an actor: dictionary phrases,
country names / nationality adjectives / capitals, and role nouns (agents) combined into name, country, sector."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateline.actors.dictionary import (
    CAPITAL_BODIES,
    REGIONAL,
    Dictionary,
    norm_token,
    office_in,
    phrase_key,
    slug,
)

HYPHENS = ("-", "–")
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:\.(?=\s|$))?|'s|’s|[^\w\s]")
NAME_ABBREV = re.compile(r"^[A-Z][a-z]{0,3}\.$")
# Lower-case particles that may open a dictionary name ("al-Bashir", "bin Laden", "van Rompuy").
PARTICLES = {"AL", "EL", "BIN", "IBN", "VAN", "VON", "DE", "DA", "DU", "LE", "LA", "DEL", "DI", "ABU"}
# Modifiers that make an office holder a former one (PLOVER ELI).
FORMER = {"former", "ousted", "ex", "deposed", "exiled", "toppled", "overthrown", "onetime", "erstwhile"}
OFFICE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY"}
# party words that, before a legislator's title with no stated country, say whose legislature it is
# ("Republican Representative Michael McCaul", "Democratic senators", "GOP lawmakers"): the US parties' only
LEGISLATOR_PARTIES = {"republican": "USA", "republicans": "USA", "democratic": "USA", "democrat": "USA",
                      "democrats": "USA", "gop": "USA"}
# Words that open a post-modifier: the head of "rebels in the Ivory Coast" is "rebels".
POSTMOD = {"of", "in", "at", "from", "for", "on", "with", "based", "operating", "living", "loyal", "ordered", "who",
           "which", "that", "near", "inside", "outside", "across", "to", "against", "into", "under", ",", "("}


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
        cap = caps[i] or norms[i] in PARTICLES and i + 1 < n and caps[i + 1]
        for ln in range(longest, 0, -1):
            key = tuple(norms[i:i + ln])
            if cap and ln > (not caps[i]) and not (ln == 1 and len(key[0]) <= 3 and upper is not None and not upper[i]):
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
    atoms = [as_country(a, d, day) for a in atoms]
    atoms = [a for a in atoms if not (a.kind in ("country", "capital") and (after_pro(tokens, a.start)
                                                                             or backing(tokens, a)))]
    res = resolve_core(atoms, tokens, d, day, name, head)
    if res.sector in OFFICE_SECTORS and any(t.lower() in FORMER for t in tokens[:head + 1]):
        res.sector = "ELI"  # "ousted President Askar Akayev", "former prime minister"
        if res.kind == "description":
            res.id = f"{res.country or ''}ELI"
    if res.country is None and res.sector in ("IGO", "NGO"):
        res.country = res.sector  # "human rights group" → NGO
    elif res.sector == "IGO" and res.country not in (None, "IGO", "NGO"):
        res.sector = "GOV"  # "Iran's U.N. ambassador", "China's mission to the EU": a state's envoy to a body
        if res.kind == "description":
            res.id = f"{res.country}GOV"
    if day is not None and name is None and res.sector == "GOV" and res.country and names_an_office(res, atoms, tokens):
        holder = office_holder(tokens[:head + 1], res.country, d, day)
        if holder is not None:
            return holder  # "the US president" in a 2019 story: the president on that day
    if res.sector == "LEG" and res.country is None:
        party = next((LEGISLATOR_PARTIES[t.lower()] for t in tokens[:head + 1] if t.lower() in LEGISLATOR_PARTIES),
                     None)
        if party is not None:
            res.country = party
            if res.kind == "description":
                res.id = f"{party}LEG"
    if res.sector in ("PTY", "LEG") and any(t.lower() == "opposition" for t in tokens[:head + 1]):
        res.sector = "OPP"  # "opposition parties", "the Conservative opposition party"
        if res.kind == "description":
            res.id = f"{res.country or ''}OPP"
    return res


def names_an_office(res: Resolution, atoms: list[Atom], tokens: list[str]) -> bool:
    """A description of an office, or a dictionary entry that is an office ("President of the United States", or
    Phoenix's "German Chancellor"); never a person the phrase names ("Defence Minister Sergei Shoigu")."""
    if res.kind == "description" or office_in(phrase_key(res.name or "")) is not None:
        return True
    return any(a.kind == "actor" and office_in(phrase_key(" ".join(tokens[a.start:a.end]))) is not None for a in atoms)


def office_holder(tokens: list[str], country: str, d: Dictionary, day: dt.date) -> Resolution | None:
    """The one person who held the office the words name ("president", "foreign minister") in ``country`` on
    ``day``, from the dictionary's dated roles; None when no office is named or the holder is not known for sure."""
    words = [part for t in tokens for part in norm_token(t).split() if part not in HYPHENS]
    found = office_in(words)
    if found is None:
        return None
    holders = d.holders(country, found[0], day)
    if len(holders) != 1:
        return None
    role = holders[0].role_on(day)
    if role is None:
        return None
    return Resolution(holders[0].name, role.country, role.sector, holders[0].id, role.code, "name")


# "-led" is not among them: the "Saudi-led coalition" is coded as the country that leads it
BACKING = ("backed", "allied", "aligned", "supported", "funded", "sponsored", "trained", "armed")


def backing(tokens: list[str], a: Atom) -> bool:
    """A country in "U.S.-backed Syrian Democratic Forces", "Iranian-backed militias" names a patron, not the actor's
    nationality."""
    last = tokens[a.end - 1].lower()
    if any(last.endswith("-" + w) for w in BACKING):
        return True
    nxt = tokens[a.end:a.end + 2]
    return len(nxt) == 2 and nxt[0] in HYPHENS and nxt[1].lower() in BACKING


def after_pro(tokens: list[str], i: int) -> bool:
    """A country in "pro-Iranian", "anti-Syria" names a stance, not the actor's nationality."""
    j = i - 1 if i > 0 and tokens[i - 1] not in HYPHENS else i - 2
    return j >= 0 and tokens[j].lower() in ("pro", "anti")


def pick_agent(agents: list[Atom], head: int) -> Atom | None:
    """The role noun at the head, else the nearest one before it, else the longest."""
    if not agents:
        return None
    pre = [a for a in agents if a.start <= head]
    if pre:
        return max(pre, key=lambda a: (a.start <= head < a.end, a.end, a.end - a.start))
    return max(agents, key=lambda a: (a.end - a.start, a.end))


def demonym_sector(c: Atom, tokens: list[str], d: Dictionary, head: int) -> str | None:
    """A nationality word heading its phrase: an adjective used as a noun ("the Hungarian said") stands for the
    government, a plural noun ("Libyans") for the people."""
    if not c.start <= head < c.end:
        return None
    kind = d.demonyms.get(phrase_key(" ".join(tokens[c.start:c.end])))
    return {"a": "GOV", "p": "CVL"}.get(kind or "")


def lone_given_name(a: Atom, tokens: list[str], d: Dictionary) -> bool:
    """A one-word dictionary person that is a common given name standing alone ("Albert", "Abdullah"): it names no
    one in particular, not a monarch."""
    return a.kind == "actor" and a.end - a.start == 1 and len(tokens) == 1 and \
        norm_token(tokens[a.start]) in d.given_names()


def resolve_core(atoms: list[Atom], tokens: list[str], d: Dictionary, day: dt.date | None,
                 name: str | None, head: int) -> Resolution:
    res = Resolution()
    actor_atoms = [a for a in atoms if a.kind == "actor" and not lone_given_name(a, tokens, d)]
    agents = [a for a in atoms if a.kind == "agent"]
    agent = pick_agent(agents, head)
    countries = [a for a in atoms if a.kind in ("country", "capital")]
    at_head = next((c for c in countries if c.start <= head < c.end), None)
    # a dictionary actor with a sector (person, organisation): the one nearest the head wins
    best = None
    if at_head is None or agent is not None and agent.start <= head < agent.end:
        for a in actor_atoms:
            actor = d.actors[a.value]  # type: ignore[index]
            role = actor.role_on(day)
            if role is None:
                continue
            if role.sector is None and role.country and len(actor_atoms) > 1:
                continue  # a country alias; a more specific actor is present
            if best is None or abs(head - (a.end - 1)) <= abs(head - (best[0].end - 1)):
                best = (a, actor, role)
    if best is not None:
        a, actor, role = best
        override = [c for c in countries if c.end <= a.start]
        override += [c for c in countries if c.start > a.end and tokens[c.start - 1].lower() == "of"]
        if override and role.sector and str(override[-1].value) != role.country:
            # "South Korea's Joint Chiefs of Staff", "King Hassan of Morocco": the stated country wins
            res.country, res.sector, res.kind = str(override[-1].value), role.sector, "description"
            res.name = name or " ".join(tokens[a.start:a.end])
            res.id = slug(name) if name else f"{res.country}{res.sector}"
            if name:
                res.kind = "name"
            return res
        res.country, res.sector, res.code = role.country, role.sector, role.code
        if role.country in REGIONAL:
            inner = country_inside(tokens[a.start:a.end], d) or (str(countries[-1].value) if countries else None)
            res.country = inner or res.country  # "Palestinian Islamic Jihad" (Phoenix: Middle East)
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
            elif role.sector == "ELI" and agent is not None and agent.end <= a.start and str(agent.value) == "LEG":
                # "Senator Jeanne Shaheen": a legislator now, though the dictionary knows only her past office
                # (it lists few legislators); "longtime leader Robert Mugabe" stays a former leader
                res.sector = "LEG"
            if name and a.end - 1 != head:
                # "Kremlin spokesperson Dmitry Peskov": the person, with the organisation's country and sector
                res.name, res.id = name, slug(name)
        if name and res.kind != "name":
            res.name, res.kind, res.id = name, "name", slug(name)
        return res
    if countries:
        if at_head is not None and (agent is None or agent.end <= at_head.start):
            c = at_head
        else:
            before = [c for c in countries if agent is None or c.start < agent.end]
            c = (before or countries)[-1]
        res.country = str(c.value)
        if c.kind == "capital" and len(atoms) == 1 and c.end - c.start == len(tokens):
            body = d.phrases.get(CAPITAL_BODIES.get(phrase_key(" ".join(tokens[c.start:c.end])), ()))
            role = d.actors[body].role_on(day) if body is not None else None
            if body is not None and role is not None:  # "Brussels condemned": the EU
                return Resolution(d.actors[body].name, role.country, role.sector, d.actors[body].id, role.code,
                                  "name")
            res.sector = "GOV"  # "Moscow said": the capital stands for the government
        elif agent is None or agent.end <= c.start:
            res.sector = demonym_sector(c, tokens, d, head)
    if agent is not None and (at_head is None or agent.start >= at_head.start or agent.start <= head < agent.end):
        res.sector = str(agent.value)
    if name and not res.country:
        surname = by_surname(name, d, day)
        if surname is not None:
            return surname
    if name:
        res.name, res.kind, res.id = name, "name", slug(name)
    elif agent is not None and res.sector == str(agent.value):
        res.kind = "description"
        res.name = " ".join(tokens[agent.start:agent.end]).lower()
        res.id = f"{res.country or ''}{res.sector}"
    elif res.country:
        c = at_head or countries[-1]
        res.kind, res.id = ("country", res.country) if res.sector is None else ("description",
                                                                                 f"{res.country}{res.sector}")
        res.name = " ".join(tokens[c.start:c.end])
    return res


def country_inside(tokens: list[str], d: Dictionary) -> str | None:
    """A country name or nationality word among ``tokens`` (inside a dictionary phrase)."""
    for t in tokens:
        iso = d.countries.get((norm_token(t),))
        if iso:
            return iso
    return None


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
        if n in ("S",) and t.lower() in ("'s", "’s") or n in HYPHENS:
            continue  # dictionary keys drop hyphens too ("Ching-te", "al-Sharaa")
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
    mapped = [a for a in mapped if not part_of_longer_name(a, tokens, covered, d)]
    mapped = [a for a in mapped if not agent_in_name(a, tokens, mapped)]
    covered = {i for a in mapped for i in range(a.start, a.end)}
    head = text_head(tokens, covered)
    name = guess_name(tokens[:head + 1], covered)
    return resolve_atoms(mapped, tokens, d, day, name=name, head=head)


def text_head(tokens: list[str], covered: set[int]) -> int:
    """The head of a description without a parser: the last token before a post-modifier ("rebels in …")."""
    for i in range(1, len(tokens)):
        if tokens[i].lower() in POSTMOD and i not in covered:
            return i - 1
    return len(tokens) - 1


def part_of_longer_name(a: Atom, tokens: list[str], covered: set[int], d: Dictionary) -> bool:
    """A one-word dictionary person inside an unknown longer name ("Omar Hassan al-Bashir" is not "Hassan")."""
    if a.kind != "actor" or a.end - a.start != 1:
        return False
    role = d.actors[a.value].role_on(None)  # type: ignore[index]
    if role is None or role.sector is None:
        return False

    def name_word(i: int) -> bool:
        return 0 <= i < len(tokens) and i not in covered and tokens[i][:1].isupper() and tokens[i].isalpha()

    return name_word(a.start - 1) or name_word(a.end)


def agent_in_name(a: Atom, tokens: list[str], atoms: list[Atom]) -> bool:
    """A one-word religion word that is a word of a person's name ("Christian Lindner", "Mohammed Shia al-Sudani"):
    it is capitalised and touches another capitalised word that no role or country atom covers. (Titles such as
    "Ambassador" before a name are roles, so only religion words, which double as given names, are checked.)"""
    if a.kind != "agent" or a.value != "REL" or a.end - a.start != 1 or not tokens[a.start][:1].isupper():
        return False
    roles = {i for b in atoms if b.kind in ("agent", "country", "capital") for i in range(b.start, b.end)}

    def name_word(i: int) -> bool:
        return 0 <= i < len(tokens) and i not in roles and tokens[i][:1].isupper() and tokens[i].isalpha()

    return name_word(a.start - 1) or name_word(a.end)


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
    if not words or len(words) == 1 and norm_token(words[0]) in d.given_names():
        return None  # "Felipe" alone is not whoever bears it as a surname
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
