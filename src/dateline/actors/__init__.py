"""Actors stage: who acts. Dictionaries (shipped Phoenix/PETRARCH + NGEC conversion, user files), nationality and
role-noun patterns, and document-level coreference.

>>> stage = get_stage()
>>> stage.resolve("Russian Defense Minister Sergei Shoigu").country
'RUS'
"""

from dateline.actors.dictionary import Dictionary
from dateline.actors.stage import ActorStage, get_stage

__all__ = ["ActorStage", "get_stage", "Dictionary"]
