"""``dateline watch``: follow news feeds and folders and ingest what is new, as it comes.

Feeds are HTTP(S) URLs of RSS/Atom feeds, polled every ``interval`` seconds with conditional requests (ETag,
Last-Modified); each new item's page is fetched (robots.txt obeyed, at most one request per ``delay`` seconds a
host) and read like a saved page (:mod:`dateline.pages`); an item whose page cannot be had is stored from the feed's
own text when that holds the article. Folders are scanned for new or changed files, read like ``dateline ingest``
reads them. A source that fails is retried with exponential back-off and never stops the others.

The state (a JSON file: each feed's validators and back-off, the items and files already ingested) is written
atomically after each stored batch. A restart, even after ``kill -9``, resumes where it stopped: what was stored but
not yet marked is fetched again and the store skips it (same id, same text), so nothing is lost or stored twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dateline import pages
from dateline.ingest import run_ingest
from dateline.model import Document
from dateline.read import ReadError, expand_paths, read_path

USER_AGENT = "dateline-watch (+https://github.com/dateline; news event coding)"
TIMEOUT = 20.0  # seconds a request may take (a stalled server is an error, retried later)
MAX_BACKOFF = 3600.0  # seconds: the longest wait after repeated failures
ITEM_TRIES = 5  # fetches of one item's page before the item is given up (and logged)
Log = Callable[[str], None]


@dataclass
class FeedState:
    """What the watcher remembers of one feed."""

    etag: str | None = None
    modified: str | None = None
    failures: int = 0
    next_poll: float = 0.0  # wall-clock time (time.time()) of the next poll
    last_error: str | None = None


@dataclass
class WatchState:
    """Everything a restart needs: feeds, item URLs stored (canonical), files stored (path → [mtime, size])."""

    feeds: dict[str, FeedState] = field(default_factory=dict)
    items: dict[str, float] = field(default_factory=dict)  # canonical item URL → when it was stored
    tries: dict[str, int] = field(default_factory=dict)  # item URL → failed page fetches so far
    files: dict[str, list[float]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> WatchState:
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(feeds={u: FeedState(**f) for u, f in raw.get("feeds", {}).items()},
                       items=dict(raw.get("items", {})), tries=dict(raw.get("tries", {})),
                       files={p: list(v) for p, v in raw.get("files", {}).items()})
        except (ValueError, TypeError, AttributeError) as exc:
            raise ReadError(f"{path}: not a dateline watch state file ({exc}); move it away to start afresh") from exc

    def save(self, path: Path) -> None:
        """Write the state atomically (a crash leaves the old file or the new one, never half of one)."""
        tmp = path.with_name(path.name + ".tmp")
        data = {"feeds": {u: asdict(f) for u, f in self.feeds.items()}, "items": self.items, "tries": self.tries,
                "files": self.files}
        tmp.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Fetcher:
    """HTTP GETs that obey robots.txt and wait ``delay`` seconds between two requests to one host."""

    def __init__(self, delay: float = 1.0, timeout: float = TIMEOUT, user_agent: str = USER_AGENT,
                 sleep: Callable[[float], None] = time.sleep):
        self.delay, self.timeout, self.user_agent, self.sleep = delay, timeout, user_agent, sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | bool] = {}

    def _wait(self, host: str) -> None:
        wait = self._last.get(host, -1e9) + self.delay - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last[host] = time.monotonic()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """One GET (304 and HTTP errors are responses, network failures raise OSError)."""
        self._wait(urlsplit(url).netloc.lower())
        req = urllib.request.Request(url, headers={"User-Agent": self.user_agent, **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:  # noqa: S310 (http/https only, checked)
                return Response(res.status, {k.lower(): v for k, v in res.headers.items()}, res.read(pages.MAX_PAGE))
        except urllib.error.HTTPError as exc:
            return Response(exc.code, {k.lower(): v for k, v in (exc.headers or {}).items()}, b"")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (RFC 9309: a missing file allows all; an unreachable one, none)."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(host)
        if rules is None:
            try:
                res = self.get(host + "/robots.txt")
            except OSError:
                return False  # not cached: asked again at the next poll
            if 400 <= res.status < 500:
                rules = True
            elif res.status >= 500:
                return False
            else:
                rules = urllib.robotparser.RobotFileParser()
                rules.parse(res.body.decode("utf-8", "replace").splitlines())
            self._robots[host] = rules
        return rules is True or rules.can_fetch(self.user_agent, url)


def check_url(url: str) -> str:
    """A feed URL the watcher may follow (http or https), else a ReadError naming it."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ReadError(f"{url}: not an http(s) URL of a feed")
    return url


@dataclass
class Watcher:
    """Polls feeds and folders and stores what is new in ``store`` (see the module's docstring)."""

    store: Any
    state_path: Path
    feeds: Sequence[str] = ()
    folders: Sequence[str] = ()
    interval: float = 300.0
    fetcher: Fetcher = field(default_factory=Fetcher)
    options: dict[str, Any] = field(default_factory=dict)  # run_ingest's keyword arguments (profile, …)
    log: Log = print
    state: WatchState = field(init=False)
    seen: pages.Seen = field(init=False, default_factory=pages.Seen)  # one article under two URLs is read once

    def __post_init__(self) -> None:
        for url in self.feeds:
            check_url(url)
        self.state = WatchState.load(self.state_path)

    # -- one round
    def poll(self, now: float | None = None) -> int:
        """Poll every source that is due; returns the documents stored."""
        now = time.time() if now is None else now
        stored = 0
        for url in self.feeds:
            st = self.state.feeds.setdefault(url, FeedState())
            if st.next_poll <= now:
                stored += self._poll_feed(url, st, now)
        for folder in self.folders:
            stored += self._scan_folder(folder)
        return stored

    def run(self, rounds: int | None = None, stop: Callable[[], bool] = lambda: False) -> None:
        """Poll until ``stop()`` (or ``rounds`` rounds), sleeping until the next source is due."""
        n = 0
        while not stop() and (rounds is None or n < rounds):
            self.poll()
            n += 1
            due = min([f.next_poll for f in self.state.feeds.values()] or [time.time() + self.interval])
            if self.folders:
                due = min(due, time.time() + self.interval)
            end = max(due, time.time() + 0.05)
            while not stop() and time.time() < end and (rounds is None or n < rounds):
                time.sleep(min(0.5, max(end - time.time(), 0)))

    # -- feeds
    def _poll_feed(self, url: str, st: FeedState, now: float) -> int:
        headers = {k: v for k, v in (("If-None-Match", st.etag), ("If-Modified-Since", st.modified)) if v}
        try:
            if not self.fetcher.allowed(url):
                raise OSError("robots.txt disallows it (or cannot be read)")
            res = self.fetcher.get(url, headers)
            if res.status == 304:
                return self._succeeded(st, now, 0)
            if res.status != 200:
                raise OSError(f"HTTP {res.status}")
            items = pages.feed_pages(res.body, url)
        except (OSError, ReadError, ValueError) as exc:
            return self._failed(url, st, now, exc)
        new = [p for p in items if p.url and pages.canonical_url(p.url) not in self.state.items]
        docs: list[Document] = []
        done: list[str] = []
        for item in new:
            doc, finished = self._item_document(item)
            docs.extend([doc] if doc is not None else [])
            done.extend([pages.canonical_url(item.url or "")] if finished else [])
        stored = self._store(docs, items=done)
        st.etag, st.modified = res.headers.get("etag"), res.headers.get("last-modified")
        self.log(f"{url}: {len(items)} items, {len(new)} new, {stored} stored")
        return self._succeeded(st, now, stored)

    def _item_document(self, item: pages.Page) -> tuple[Document | None, bool]:
        """The item's page as a document (its feed text when the page cannot be had or holds no article), and
        whether the item is done (False: its page is fetched again at the next poll)."""
        url = item.url or ""
        today = dt.datetime.now(dt.UTC).date()
        try:
            if not self.fetcher.allowed(url):
                self.log(f"{url}: robots.txt disallows the page; the feed's text is used")
                return pages.item_document(item, today, self.seen, self.log), True
            res = self.fetcher.get(url)
            if res.status != 200:
                raise OSError(f"HTTP {res.status}")
            page = pages.fetched_page(res.body, item, today)
            if page is None:
                self.log(f"{url}: the page holds no article text; the feed's text is used")
                return pages.item_document(item, today, self.seen, self.log), True
            return pages.to_document(page, self.seen, self.log), True
        except (OSError, ReadError) as exc:
            key = pages.canonical_url(url)
            tries = self.state.tries[key] = self.state.tries.get(key, 0) + 1
            if tries < ITEM_TRIES:
                self.log(f"{url}: page not fetched ({exc}); tried again at the next poll ({tries} of {ITEM_TRIES})")
                return None, False
            self.log(f"{url}: page not fetched after {tries} tries ({exc}); the feed's text is used")
            return pages.item_document(item, today, self.seen, self.log), True

    def _succeeded(self, st: FeedState, now: float, stored: int) -> int:
        st.failures, st.last_error, st.next_poll = 0, None, now + self.interval
        self.state.save(self.state_path)
        return stored

    def _failed(self, url: str, st: FeedState, now: float, exc: Exception) -> int:
        st.failures += 1
        wait = min(self.interval * 2 ** (st.failures - 1), MAX_BACKOFF)
        st.last_error, st.next_poll = str(exc), now + wait
        self.log(f"{url}: failed ({exc}); retry in {wait:.0f} s (failure {st.failures})")
        self.state.save(self.state_path)
        return 0

    # -- folders
    def _scan_folder(self, folder: str) -> int:
        try:
            paths = list(expand_paths([folder]))
        except ReadError as exc:
            self.log(str(exc))
            return 0
        changed = []
        for p in paths:
            try:
                stat = os.stat(p)
            except OSError:
                continue
            if self.state.files.get(p) != [stat.st_mtime, stat.st_size]:
                changed.append((p, [stat.st_mtime, stat.st_size]))
        stored = 0
        for p, sig in changed:
            try:
                docs = list(read_path(p, self.log))
            except (ReadError, OSError) as exc:
                self.log(f"{p}: cannot be read ({exc}); tried again when it changes")
                self.state.files[p] = sig
                continue
            added = self._store(docs, files={p: sig})
            stored += added
            self.log(f"{p}: {len(docs)} documents read, {added} stored")
        return stored

    # -- the store
    def _store(self, docs: Iterable[Document], items: Sequence[str] = (),
               files: dict[str, list[float]] | None = None) -> int:
        """Ingest ``docs`` (committed), then mark the feed items and files they came from done in the saved state."""
        docs = list(docs)
        added = run_ingest(docs, self.store, **self.options)[0] if docs else 0
        stamp = time.time()
        for url in items:
            self.state.items[url] = stamp
            self.state.tries.pop(url, None)
        self.state.files.update(files or {})
        self.state.save(self.state_path)
        return added

