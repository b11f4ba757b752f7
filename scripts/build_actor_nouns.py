"""Build ``src/dateline/data/lang/actor_nouns.txt``: common nouns that can name an actor (a person or a group).

An event side that is a common-noun phrase ("returned asylum seekers", "the committee") is kept only when its head
noun is in this list; a thing, amount, place, weapon, activity or abstract noun ("the deal", "tear gas", "further
details", "the roadside bomb") is not an actor (issue 16, docs/events.md).

Source: WordNet 3.0 (Princeton University; the Debian package ``wordnet-base`` at development time; licence in NOTICE).
A lemma is an actor noun when one of its three most frequent noun senses is in the lexicographer files noun.person
(18) or noun.group (14) and its most frequent sense is not an act, event, communication, cognition, state or time
(so "meeting", "talk" and "issue" are out, "police", "committee" and "force" are in). Event nouns of dateline's
lexicon are removed (a "summit" is an event, not a side). Usage: python scripts/build_actor_nouns.py [--wordnet DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/dateline/data/lang/actor_nouns.txt"
PERSON, GROUP = 18, 14
NOT_FIRST = {4, 9, 10, 11, 26, 28}  # act, cognition, communication, event, state, time
# pronoun-like and collective words WordNet does not file as person or group nouns
SUPPLEMENT = ("other", "others", "people", "those", "anyone", "someone", "everyone", "nobody", "somebody", "militant",
              "jihadist", "insurgent", "gunman", "gunmen", "attacker", "assailant", "protester", "demonstrator",
              "extremist", "separatist", "loyalist", "civilian", "resident", "villager", "worker", "student",
              "lawmaker", "legislator", "official", "authority", "authorities", "rebel", "fighter", "soldier", "troop",
              "seeker", "detainee", "hostage", "prisoner", "victim", "suspect", "migrant", "refugee", "media",
              "innocent", "youth", "staff", "personnel", "crew", "force", "forces", "squad", "unit", "head", "chief",
              "delegation", "member", "counterpart", "presidency", "administration", "leadership",
              "alliance", "command", "establishment")
EXCLUDE = ("meeting", "session", "conference", "summit", "rally", "gathering", "ceremony", "party_game", "issue",
           "matter", "case", "deal", "market", "stock", "area", "region", "world", "network", "system", "series",
           "class", "kind", "set", "number", "lot", "range", "variety", "body_part", "line", "pair")


def lexnames(wordnet: Path) -> dict[str, list[int]]:
    """Each single-word noun lemma with the lexicographer file of each sense, most frequent first."""
    lex: dict[str, int] = {}
    with (wordnet / "data.noun").open(encoding="latin-1") as fh:
        for line in fh:
            if not line.startswith(" "):
                offset, filenum = line.split()[:2]
                lex[offset] = int(filenum)
    senses: dict[str, list[int]] = {}
    with (wordnet / "index.noun").open(encoding="latin-1") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            f = line.split()
            lemma, n_synsets = f[0], int(f[2])
            if "_" not in lemma and lemma.isalpha():
                senses[lemma] = [lex[o] for o in f[-n_synsets:]]
    return senses


def event_nouns() -> set[str]:
    """The nouns of the shipped trigger table that trigger an event."""
    data = yaml.safe_load((ROOT / "src/dateline/data/events/triggers.yaml").read_text(encoding="utf-8"))
    return {str(k).lower() for k, code in (data.get("nouns") or {}).items() if code is not None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"), help="WordNet 3.0 dict folder")
    args = ap.parse_args()
    senses = lexnames(args.wordnet)
    actors = {w for w, s in senses.items()
              if any(x in (PERSON, GROUP) for x in s[:3]) and s[0] not in NOT_FIRST}
    actors |= set(SUPPLEMENT)
    actors -= set(EXCLUDE) | event_nouns()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("# common nouns that can name an actor; built by scripts/build_actor_nouns.py from WordNet 3.0\n"
                   + "\n".join(sorted(actors)) + "\n", encoding="utf-8")
    print(f"{len(actors)} actor nouns -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
