"""English word lists the stages share (language data apart from code, as in spaCy's ``lang`` folders)."""

from __future__ import annotations

from importlib import resources

# verbs (lemmas) that report speech: the event is in their clause, and they date nothing of it
REPORTING = frozenset({"say", "tell", "report", "add", "announce", "state", "claim", "according", "note", "write",
                       "quote"})
MODALS = frozenset({"could", "might", "may", "would", "should", "must", "can", "ought"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})  # "wo" is spaCy's token of "won't"
NEG_WORDS = frozenset({"not", "n't", "never", "no"})
# pronouns that may stand for an actor; a side that is an unresolved "he" or "they" still names someone (the
# sentence's own words, as the annotation guide codes it), an unresolved "its" does not
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
ORG_PRONOUNS = frozenset({"its", "itself"})
SIDE_PRONOUNS = frozenset({"he", "him", "she", "her", "they", "them"})


def _word_list(name: str) -> frozenset[str]:
    text = (resources.files("dateline") / "data" / "lang" / name).read_text(encoding="utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


# common nouns that can name an actor (a person or a group: "police", "committee", "asylum seekers"); built from
# WordNet 3.0 by scripts/build_actor_nouns.py. A side whose head is another common noun is a thing, not an actor.
ACTOR_NOUNS = _word_list("actor_nouns.txt")
