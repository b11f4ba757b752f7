"""``dateline watch`` against feeds and pages served from 127.0.0.1: new items stored within one poll, conditional
requests, robots.txt, back-off, folders, and a ``kill -9`` restart that loses nothing and stores nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dateline.store import Store
from dateline.watch import Fetcher, Watcher

SRC = Path(__file__).resolve().parents[1] / "src"
CITIES = ["Nairobi", "Lagos", "Accra", "Dakar", "Kampala", "Lusaka", "Harare", "Maputo"]


def article(n: int) -> str:
    city = CITIES[n % len(CITIES)]
    para = (f"The foreign minister of Kenya met the president of Ghana in {city} on Tuesday to discuss trade and "
            f"security along the coast, officials said. Story number {n} was filed from {city}. ")
    body = "".join(f"<p>{para * 2}</p>" for _ in range(3))
    return (f"<html><head><title>Ministers meet in {city} ({n})</title>"
            f'<meta property="article:published_time" content="2024-05-{n + 1:02d}T09:00:00Z"></head>'
            f"<body><nav>Home | World | Sport</nav><article><h1>Ministers meet in {city}</h1>{body}</article>"
            f"<footer>Copyright Example News</footer></body></html>")


class Site:
    """A news site on a free loopback port: a feed, its pages, robots.txt; records every request."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.slow: dict[str, float] = {}  # path → seconds to wait before answering
        self.status: dict[str, int] = {}  # path → forced status
        self.robots = "User-agent: *\nDisallow: /private/\n"
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                time.sleep(site.slow.get(self.path, 0))
                status, headers, body = site.answer(self.path, self.headers)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed(self) -> bytes:
        entries = "".join(
            f"<item><title>Ministers meet ({n})</title><link>{self.url}/{'private/' if n == 99 else ''}news/{n}.html"
            f"?utm_source=rss</link><pubDate>{formatdate(1714550400 + n * 86400, usegmt=True)}</pubDate>"
            f"<description>{article(n).split('<p>')[1].split('</p>')[0]}</description></item>"
            for n in self.items)
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>'
                f"<link>{self.url}/</link>{entries}</channel></rss>").encode()

    def answer(self, path: str, headers) -> tuple[int, dict[str, str], bytes]:
        if path in self.status:
            return self.status[path], {}, b""
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, self.robots.encode()
        if path.startswith("/feed"):
            body = self.feed()
            etag = f'"{len(self.items)}-{hash(body) & 0xffff}"'
            if headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, body
        if "/news/" in path:
            n = int(path.split("/news/")[1].split(".")[0])
            return 200, {"Content-Type": "text/html; charset=utf-8"}, article(n).encode()
        return 404, {}, b""

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture()
def site():
    s = Site()
    yield s
    s.stop()


def _watcher(tmp_path, feeds=(), folders=(), interval=60.0, timeout=5.0, log=None):
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    lines: list[str] = [] if log is None else log
    w = Watcher(store, tmp_path / "state.json", list(feeds), list(folders), interval,
                Fetcher(delay=0, timeout=timeout), options={"profile": "rules"}, log=lines.append)
    return w, store, lines


def _docs(store: Store) -> list[tuple[str, str]]:
    df = store.events(limit=None, groups=False)
    with store.engine.connect() as conn:
        import sqlalchemy as sa

        from dateline.store.schema import documents_t
        rows = conn.execute(sa.select(documents_t.c.url, documents_t.c.published)).all()
    assert df is not None
    return sorted((r.url, r.published) for r in rows)


def test_new_items_are_stored_within_one_poll_with_conditional_requests(site, tmp_path):
    site.items = [1, 2]
    w, store, log = _watcher(tmp_path, feeds=[site.url + "/feed.xml"])
    assert w.poll(now=1000.0) == 2
    assert _docs(store) == [(f"{site.url}/news/1.html", "2024-05-02"), (f"{site.url}/news/2.html", "2024-05-03")]
    site.items.append(3)
    assert w.poll(now=1000.0) == 0  # not due before the interval
    assert w.poll(now=1061.0) == 1
    assert [u for u, _ in _docs(store)][-1] == f"{site.url}/news/3.html"
    assert w.poll(now=1122.0) == 0  # unchanged: the server answers 304 to the ETag it gave
    feed_requests = [h for p, h in site.requests if p == "/feed.xml"]
    assert "if-none-match" not in feed_requests[0] and feed_requests[-1].get("if-none-match")
    assert sum(p.startswith("/news/") for p, _ in site.requests) == 3  # each page fetched once
    assert any("3 items, 1 new, 1 stored" in line for line in log)


def test_robots_txt_is_obeyed(site, tmp_path):
    site.items = [1, 99]  # item 99 links under /private/
    w, store, log = _watcher(tmp_path, feeds=[site.url + "/feed.xml"])
    w.poll(now=0.0)
    assert not any(p.startswith("/private/") for p, _ in site.requests)
    assert any("robots.txt disallows the page" in line for line in log)
    urls = [u for u, _ in _docs(store)]
    assert f"{site.url}/news/1.html" in urls  # the allowed page is stored; the other only from the feed's own text


def test_a_failing_or_stalled_feed_backs_off_and_does_not_stop_the_others(site, tmp_path):
    site.items = [1]
    site.status["/feed-broken.xml"] = 500
    site.slow["/feed-stalled.xml"] = 3.0
    feeds = [site.url + "/feed-broken.xml", site.url + "/feed-stalled.xml", site.url + "/feed.xml"]
    w, store, log = _watcher(tmp_path, feeds=feeds, interval=10.0, timeout=0.5)
    assert w.poll(now=0.0) == 1
    broken, stalled = (w.state.feeds[f] for f in feeds[:2])
    assert broken.failures == 1 and "HTTP 500" in broken.last_error and broken.next_poll == 10.0
    assert stalled.failures == 1 and "timed out" in stalled.last_error
    w.poll(now=10.0)
    assert broken.failures == 2 and broken.next_poll == 30.0  # 10 s, then 20 s: doubling back-off
    del site.status["/feed-broken.xml"]
    w.poll(now=30.0)
    assert broken.failures == 0 and broken.last_error is None
    assert any("retry in 20 s (failure 2)" in line for line in log)


def test_folders_are_scanned_for_new_and_changed_files(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    story = {"id": "s1", "published": "2024-03-04", "text": "Israel attacked Hamas positions in Gaza on Sunday."}
    (inbox / "a.jsonl").write_text(json.dumps(story) + "\n", encoding="utf-8")
    w, store, log = _watcher(tmp_path, folders=[str(inbox)])
    assert w.poll() == 1
    assert w.poll() == 0  # nothing new: the file is not read again
    more = {"id": "s2", "published": "2024-03-05", "text": "Egypt condemned the strikes on Monday."}
    (inbox / "b.jsonl").write_text(json.dumps(more) + "\n", encoding="utf-8")
    assert w.poll() == 1
    assert store.summary()["documents"] == 2


def test_the_state_file_survives_a_restart(site, tmp_path):
    site.items = [1, 2]
    w, store, _ = _watcher(tmp_path, feeds=[site.url + "/feed.xml"])
    w.poll(now=0.0)
    store.close()
    w2, store2, _ = _watcher(tmp_path, feeds=[site.url + "/feed.xml"])
    assert w2.state.feeds[site.url + "/feed.xml"].etag
    site.items.append(3)
    assert w2.poll(now=100.0) == 1
    assert sum(p.startswith("/news/") for p, _ in site.requests) == 3


def _watch_process(site: Site, tmp_path: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "watch", site.url + "/feed.xml", "--db", f"sqlite:///{tmp_path}/k.db",
         "--state", str(tmp_path / "k.json"), "--profile", "rules", "--interval", "0.2", "--delay", "0", *extra],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_kill_9_and_restart_loses_nothing_and_stores_nothing_twice(site, tmp_path):
    site.items = list(range(1, 7))
    for n in site.items:
        site.slow[f"/news/{n}.html?utm_source=rss"] = 0.4
    proc = _watch_process(site, tmp_path)
    db = Store(f"sqlite:///{tmp_path}/k.db")
    deadline = time.time() + 120
    while time.time() < deadline and not any(p.startswith("/news/6") for p, _ in site.requests):
        time.sleep(0.05)
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of its first batch, or just after it
    proc.wait(10)
    site.items += [7, 8]  # and the feed moves on meanwhile
    done = _watch_process(site, tmp_path, "--rounds", "1")
    assert done.wait(120) == 0, done.stderr.read() if done.stderr else ""
    urls = [u for u, _ in _docs(db)]
    assert urls == sorted(f"{site.url}/news/{n}.html" for n in range(1, 9))
    events = db.events(limit=None, groups=False)
    events["at"] = [t["start"] for t in events["trigger"]]
    assert len(events) and not events.duplicated(["doc_id", "at", "type"]).any()
    assert not events["id"].str.contains("~").any()  # no record stored again under another document's id
