"""When: find time expressions, normalise them to TimeML values against the publication date, date events.

Detection (``detect``) is one compiled regular expression of "atoms" (``vocab``: weekdays, month-day forms, years,
relative expressions, durations, sets, times of day ...); adjacent atoms merge ("10 p.m. Wednesday", "Friday, Sept.
12"), and the words to their left add a modifier ("since 2019" → mod START, "until"/"by" → END, "early"/"late" →
EARLY/LATE). Values (``values``) are TimeML: ``2023-09-13``, ``2023-07``, ``2023-W36``, ``2023-Q3``, ``2023-SU``,
``199`` (the 1990s), ``P3Y``, ``2023-09-13T17:00``, ``2023-09-12TNI``, ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``;
sets keep a period value (``P1W``). Underspecified expressions (weekdays, months without a year, quarters, seasons)
are placed past or future of the anchor by the tense of the governing verb (``tense``: from a spaCy parse when given,
else from cue words in the sentence), and by the nearest occurrence when the tense says nothing; ``discourse`` gives
anaphoric expressions their reference. dateparser is used only as a fallback for explicit date strings the rules
cannot read. ``dating`` picks the expression that dates an event. This module only re-exports.
"""

from dateline.when.dating import governing_time
from dateline.when.times import _cached, _normalised, find_times, normalise
from dateline.when.vocab import BOUNDARY_MODS

__all__ = ["find_times", "normalise", "governing_time", "BOUNDARY_MODS", "_cached", "_normalised"]
