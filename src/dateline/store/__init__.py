"""The event store, the only package that knows SQL: :class:`Store` (:mod:`.core`), its tables and migrations
(:mod:`.schema`), the filters as SQL (:mod:`.select`) and the web's aggregates (:mod:`.aggregates`)."""

from __future__ import annotations

# DatabaseError: what a failing database raises (locked, gone, disk full), for callers that report it
from sqlalchemy.exc import SQLAlchemyError as DatabaseError

from dateline import DEFAULT_URL
from dateline.query import SORT_KEYS, check_choice, parse_day
from dateline.store.core import CHUNK, EVENT_FIELDS, GROUP_FIELDS, Store, StoreError
from dateline.store.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    actors_t,
    create_schema_v1,
    documents_t,
    events_t,
    groups_t,
    make_engine,
    meta_t,
    metadata,
    normalise_url,
    places_t,
    words_t,
)

__all__ = [
    "CHUNK", "DEFAULT_URL", "EVENT_FIELDS", "GROUP_FIELDS", "MIGRATIONS", "SCHEMA_VERSION", "SORT_KEYS",
    "DatabaseError", "Store", "StoreError", "actors_t", "check_choice", "create_schema_v1", "documents_t", "events_t",
    "groups_t", "make_engine", "meta_t", "metadata", "normalise_url", "parse_day", "places_t", "words_t",
]
