"""English word lists the stages share (language data apart from code, as in spaCy's ``lang`` folders)."""

from __future__ import annotations

# verbs (lemmas) that report speech: the event is in their clause, and they date nothing of it
REPORTING = frozenset({"say", "tell", "report", "add", "announce", "state", "claim", "according", "note", "write",
                       "quote"})
MODALS = frozenset({"could", "might", "may", "would", "should", "must", "can", "ought"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})  # "wo" is spaCy's token of "won't"
NEG_WORDS = frozenset({"not", "n't", "never", "no"})
