"""A small response cache for the read endpoints, invalidated whenever the store gains events.

Ingest appends documents and events and regroups them in the same transaction, and a removal (``dateline db
delete``, a replaced story) is counted in the store's meta table, so ``Store.data_version()`` (the largest event row
id plus the removal count) is a sound version: two indexed lookups per request tell whether a cached body is still
current, also when another process (``dateline ingest``) writes to the same database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi.responses import Response

from dateline.store import Store


@dataclass
class _Entry:
    version: int
    body: bytes
    media_type: str | None
    headers: dict[str, str]


class ResponseCache:
    """LRU of successful GET response bodies, checked against the store version.

    The key is built from what the endpoint validated (its name and the parsed :class:`dateline.query.Query`, limits,
    ids), never from the raw query string: two spellings of one request share an entry, and a value holding ``&`` or
    ``=`` cannot collide with another request.  Unknown parameters are refused before the cache is reached.
    """

    def __init__(self, store: Store, size: int = 512, max_body: int = 2 * 1024 * 1024,
                 max_bytes: int = 64 * 1024 * 1024):
        self.store, self.size, self.max_body, self.max_bytes = store, size, max_body, max_bytes
        self.bytes = 0
        self.entries: OrderedDict[str, _Entry] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    @staticmethod
    def key(parts: tuple[Any, ...]) -> str:
        """The JSON of validated values (dataclasses as their fields, dates as ISO strings)."""
        return json.dumps(parts, default=_plain, sort_keys=True, separators=(",", ":"))

    def get_or_make(self, parts: tuple[Any, ...], make: Callable[[], Response]) -> Response:
        """The cached response for the request described by ``parts``, or ``make()`` (stored when it is a 200 of
        reasonable size)."""
        if self.size <= 0:
            return make()
        key, version = self.key(parts), self.store.data_version()
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None and entry.version == version:
                self.entries.move_to_end(key)
                self.hits += 1
                return Response(entry.body, media_type=entry.media_type, headers={**entry.headers, "X-Cache": "hit"})
            self.misses += 1
        response = make()
        if response.status_code == 200 and len(response.body) <= self.max_body:
            headers = {k: v for k, v in response.headers.items() if k.lower() == "content-disposition"}
            with self.lock:
                old = self.entries.pop(key, None)
                if old is not None:
                    self.bytes -= len(old.body)
                self.entries[key] = _Entry(version, bytes(response.body), response.media_type, headers)
                self.bytes += len(response.body)
                while self.entries and (len(self.entries) > self.size or self.bytes > self.max_bytes):
                    _, gone = self.entries.popitem(last=False)
                    self.bytes -= len(gone.body)
        response.headers["X-Cache"] = "miss"
        return response


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"cache key: cannot encode {type(value).__name__}")
