"""The web page in a real browser: Debian's Chromium, headless, driven over the Chrome DevTools protocol.

A uvicorn server runs on a free loopback port in the test process.  Screenshots go to ``test-output/``.  Chromium is
installed by ``scripts/install_chromium.sh`` (``make test`` runs it); without it these tests skip.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import make_annotation, make_event

CHROMIUM = Path("/usr/bin/chromium")
OUT = Path(__file__).resolve().parents[1] / "test-output"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--remote-debugging-port=0")

websockets_sync = pytest.importorskip("websockets.sync.client", reason="pip install websockets==15.0.1 (test extra)")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: run scripts/install_chromium.sh")


# ---- a small DevTools-protocol driver ----------------------------------------------------------------------------

class Browser:
    """Headless Chromium with one page, driven through the DevTools protocol (flattened sessions)."""

    def __init__(self, width: int = 1280, height: int = 900):
        self.profile = tempfile.mkdtemp(prefix="dl-chromium-")
        self.proc = subprocess.Popen([str(CHROMIUM), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = self._devtools_url()
        self.ws = websockets_sync.connect(url, max_size=64 * 1024 * 1024, open_timeout=30)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.resize(width, height)

    def _devtools_url(self) -> str:
        deadline = time.time() + 60
        assert self.proc.stderr is not None
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}")
            m = re.search(r"DevTools listening on (ws://\S+)", line)
            if m:
                threading.Thread(target=self._drain, daemon=True).start()
                return m.group(1)
        raise RuntimeError("chromium did not report a DevTools address")

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for _ in self.proc.stderr:
            pass

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.time() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.time())))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.send(method, params, self.session)

    def resize(self, width: int, height: int, mobile: bool = False) -> None:
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def js(self, expression: str) -> Any:
        """Evaluate an expression in the page (awaiting promises) and return its value."""
        res = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def wait(self, expression: str, timeout: float = 20) -> None:
        """Poll until ``expression`` is truthy in the page."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(f"!!({expression})"):
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def goto(self, url: str) -> None:
        """Load ``url`` afresh (by way of about:blank, so a change of hash alone reloads too)."""
        self.call("Page.navigate", {"url": "about:blank"})
        self.wait("location.href === 'about:blank'")
        self.call("Page.navigate", {"url": url})
        self.wait("document.readyState === 'complete' && document.body && document.body.dataset.ready")

    def ready_after(self, action: str) -> None:
        """Run ``action`` and wait for the page's next refresh to finish."""
        before = self.js("document.body.dataset.ready || ''")
        self.js(action)
        self.wait(f"document.body.dataset.ready && document.body.dataset.ready !== {json.dumps(before)}")

    def screenshot(self, name: str, full: bool = True) -> Path:
        OUT.mkdir(exist_ok=True)
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full})["data"]
        path = OUT / name
        path.write_bytes(base64.b64decode(data))
        return path

    def errors(self) -> list[str]:
        """Uncaught exceptions and console/log errors seen so far."""
        out = []
        for ev in self.events:
            if ev["method"] == "Runtime.exceptionThrown":
                out.append(json.dumps(ev["params"]["exceptionDetails"])[:500])
            elif ev["method"] == "Log.entryAdded" and ev["params"]["entry"]["level"] == "error":
                out.append(ev["params"]["entry"]["text"])
            elif ev["method"] == "Runtime.consoleAPICalled" and ev["params"]["type"] == "error":
                out.append(json.dumps(ev["params"]["args"])[:500])
        return out

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


# ---- server ----------------------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn serving ``create_app(db_url)`` on a free loopback port, in a thread."""

    def __init__(self, db_url: str):
        import uvicorn

        from dateline.web.app import create_app

        self.port = _free_port()
        config = uvicorn.Config(create_app(db_url, api_key=""), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


XSS_SENTENCE = ('Officials said <script>window.__xss = 1</script> and <img src=x onerror="window.__xss = 2"> '
                'met protesters.')

EVIL_PHRASE = "<i onmouseover=\"window.__xss=4\">the protesters</i> of Moscow"


def _hand_made_store(path: Path) -> str:
    url = f"sqlite:///{path}"
    from dateline.store import Store

    evil_actor = ('<img src=x onerror="window.__xss=3">', "RUS", "GOV")
    evil = make_event("e-xss", "d3", type="PROTEST", src=evil_actor, tgt=None, date="2023-09-15",
                      sentence=XSS_SENTENCE, goldstein=-6.5, place=("<b>Moscow</b>", 55.75, 37.62, "RUS"))
    evil.source[0]["phrase"] = EVIL_PHRASE  # the argument phrase is article text too
    anns = [
        make_annotation("d1", [make_event("e-kim", "d1")]),
        make_annotation("d2", [make_event("e-shoigu", "d2", type="COOPERATE", src=("Sergei Shoigu", "RUS", "MIL"),
                                          tgt=("Kim Jong Un", "PRK", "GOV"), date="2023-09-16",
                                          sentence="Sergei Shoigu met Kim Jong Un in Vladivostok.",
                                          place=("Vladivostok", 43.1, 131.9, "RUS"))], published="2023-09-16"),
        make_annotation("d3", [evil], published="2023-09-15"),
    ]
    with Store(url) as store:
        store.add(anns)
    return url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def hand_server(tmp_path_factory) -> Iterator[Server]:
    server = Server(_hand_made_store(tmp_path_factory.mktemp("web") / "hand.db"))
    yield server
    server.stop()


SAMPLE_DOCS = 24  # the reference article and the first VOA stories of the bundled sample: enough, and quick
SAMPLE_TIMEOUT = 900
_INGEST = """
import itertools, sys
from dateline.cli import sample_paths
from dateline.ingest import run_ingest
from dateline.read import read
from dateline.store import Store
voa, ref = sample_paths()
docs = itertools.chain(read([ref]), itertools.islice(read([voa]), int(sys.argv[2]) - 1))
with Store(sys.argv[1]) as store:
    print(run_ingest(docs, store, profile="fast", batch_size=8)[1])
"""


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory) -> Iterator[Server]:
    """A store made from the bundled sample by the real pipeline (fast profile), in a child process with a time limit."""
    try:
        import dateline.pipeline  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"pipeline not importable: {exc}")
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'sample.db'}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1] / "src"),
                                                         os.environ.get("PYTHONPATH", "")])}
    try:
        done = subprocess.run([sys.executable, "-c", _INGEST, url, str(SAMPLE_DOCS)], env=env, capture_output=True,
                              text=True, timeout=SAMPLE_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ingesting {SAMPLE_DOCS} sample documents took over {SAMPLE_TIMEOUT} s")
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.split()[-1]) > 0, "the bundled sample gave no events"
    server = Server(url)
    yield server
    server.stop()


# ---- tests -------------------------------------------------------------------------------------------------------

def _row_ids(b: Browser) -> list[str]:
    return b.js("[...document.querySelectorAll('#events tbody tr[data-id]')].map(r => r.dataset.id)")


def test_sample_page_filter_by_actor_and_open_event(browser: Browser, sample_server: Server):
    b = browser
    b.resize(1280, 900)
    b.goto(sample_server.url + "/")
    assert len(_row_ids(b)) > 0
    assert b.js("document.querySelectorAll('#timeline svg rect').length") > 0
    assert b.js("document.querySelectorAll('#network svg .node').length") > 1
    assert b.js("document.querySelector('#map svg path.land').getAttribute('d').length") > 1000
    b.screenshot("web-sample-laptop.png")
    # the busiest actor of the network, then filter the table by it with the form
    node = b.js("(() => { const n = [...document.querySelectorAll('#network .node')]"
                ".map(g => [g.dataset.id, +g.querySelector('title').textContent.match(/(\\d+) event/)[1]])"
                ".sort((a, b) => b[1] - a[1])[0]; return n[0]; })()")
    actor = json.loads(b.js(f"fetch('/api/actors/' + encodeURIComponent({json.dumps(node)})).then(r => r.text())"))
    name = actor["name"]
    b.ready_after(f"document.querySelector('#filters [name=actor]').value = {json.dumps(actor['id'])};"
                  "document.querySelector('#filters button[type=submit]').click()")
    ids = _row_ids(b)
    assert 0 < len(ids) <= actor["events"]
    table_text = b.js("document.querySelector('#events tbody').innerText")
    assert table_text.count(name) >= len(ids)  # the actor's name on every row
    assert f"actor={actor['id']}".replace(" ", "+") in b.js("decodeURIComponent(location.hash)").replace(" ", "+")
    # open the first event: its sentence with the trigger marked, and source/target/time/place fields
    b.js("document.querySelector('#events tbody tr[data-id]').click()")
    b.wait("document.querySelector('#event-sentence')")
    rec = json.loads(b.js(f"fetch('/api/events/' + encodeURIComponent({json.dumps(ids[0])})).then(r => r.text())"))
    assert b.js("document.querySelector('#event-sentence').textContent") == rec["sentence"]
    trig = b.js("(document.querySelector('#event-sentence mark.trigger') || {}).textContent")
    assert trig == rec["trigger"]["text"]
    labels = b.js("[...document.querySelectorAll('#event-view dt')].map(d => d.textContent)")
    assert {"Source", "Target", "Time", "Place"} <= set(labels)
    b.screenshot("web-sample-event.png")
    assert not b.errors()


def test_phone_width(browser: Browser, hand_server: Server):
    b = browser
    b.resize(390, 844, mobile=True)
    b.goto(hand_server.url + "/")
    assert len(_row_ids(b)) > 0
    # nothing wider than the screen: the page does not scroll sideways
    assert b.js("document.documentElement.scrollWidth") <= 390
    b.js("document.querySelector('#events tbody tr[data-id]').click()")
    b.wait("document.querySelector('#event-sentence mark.trigger')")
    b.screenshot("web-phone.png")
    b.resize(1280, 900)


def test_stored_xss_is_shown_as_text(browser: Browser, hand_server: Server):
    b = browser
    b.resize(1280, 900)
    b.goto(hand_server.url + "/#event=e-xss")
    b.wait("document.querySelector('#event-sentence')")
    b.wait("document.querySelectorAll('#events tbody tr[data-id]').length === 3")
    b.screenshot("web-xss.png")
    assert b.js("document.querySelector('#event-sentence').textContent") == XSS_SENTENCE
    assert "<script>" in b.js("document.querySelector('#events tbody').textContent")
    assert 'onerror="window.__xss=3"' in b.js("document.querySelector('#event-view').textContent")
    assert f"“{EVIL_PHRASE}”" in b.js("document.querySelector('#event-view').textContent")  # the phrase, as text
    assert "<b>Moscow</b>" in b.js("document.querySelector('#events tbody').textContent")
    # no element came out of article text, and nothing ran
    assert b.js("document.querySelectorAll('main img, main script, main b, main i').length") == 0
    assert b.js("typeof window.__xss") == "undefined"
    assert b.js("document.querySelector('#event-sentence mark.trigger').textContent") == "met"


def test_page_over_hand_made_store_links_views(browser: Browser, hand_server: Server):
    b = browser
    b.goto(hand_server.url + "/")
    assert sorted(_row_ids(b)) == ["e-kim", "e-shoigu", "e-xss"]
    # clicking an actor name in the table filters by that actor
    b.ready_after("[...document.querySelectorAll('#events button.actor')]"
                  ".find(x => x.textContent === 'Sergei Shoigu').click()")
    assert _row_ids(b) == ["e-shoigu"]
    assert b.js("document.querySelector('#summary').textContent").startswith("1 ")
    # a map point filters by place
    b.ready_after("document.querySelector('#filters #clear').click()")
    assert b.js("document.querySelectorAll('#map circle.place').length") == 3
    b.ready_after("[...document.querySelectorAll('#map circle.place')]"
                  ".find(c => c.querySelector('title').textContent.startsWith('Vladivostok')).dispatchEvent("
                  "new MouseEvent('click', {bubbles: true}))")
    assert _row_ids(b) == ["e-shoigu"]
    # a bad filter shows the API's message
    b.ready_after("document.querySelector('#filters [name=since]').value = 'soon';"
                  "document.querySelector('#filters button[type=submit]').click()")
    assert "since" in b.js("document.querySelector('#error').textContent")
    b.screenshot("web-hand-made.png")


def test_sort_sector_and_csv_download(browser: Browser, hand_server: Server):
    b = browser
    b.goto(hand_server.url + "/")
    assert _row_ids(b) == ["e-shoigu", "e-xss", "e-kim"]  # newest first by default (16, 15, 13 September)
    b.ready_after("const s = document.querySelector('#filters [name=sort]'); s.value = 'date';"
                  "s.dispatchEvent(new Event('change'))")
    assert _row_ids(b) == ["e-kim", "e-xss", "e-shoigu"]
    assert "sort=date" in b.js("location.hash")  # the order is part of the permalink
    b.ready_after("document.querySelector('#filters [name=sector]').value = 'MIL';"
                  "document.querySelector('#filters button[type=submit]').click()")
    assert _row_ids(b) == ["e-shoigu"]
    b.ready_after("document.querySelector('#filters [name=mode]').value = 'no-such-mode';"
                  "document.querySelector('#filters button[type=submit]').click()")
    assert _row_ids(b) == []  # the mode filter reaches the API
    b.ready_after("document.querySelector('#filters [name=mode]').value = '';"
                  "document.querySelector('#filters button[type=submit]').click()")
    href = b.js("document.querySelector('#csv').href")
    assert "format=csv" in href and "sector=MIL" in href and "sort=date" in href
    csv_text = b.js(f"fetch({json.dumps(href)}).then(r => r.text())")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("id,") and len(lines) == 2 and "Sergei Shoigu" in lines[1]
    jsonl_href = b.js("document.querySelector('#jsonl').href")
    jsonl = b.js(f"fetch({json.dumps(jsonl_href)}).then(r => r.text())")
    assert [json.loads(x)["id"] for x in jsonl.splitlines()] == ["e-shoigu"]
    # a column header sorts (a second click reverses); a type facet filters on click
    b.ready_after("document.querySelector('#filters #clear').click()")
    b.ready_after("document.querySelector('#events th[data-sort=type]').click()")
    assert _row_ids(b) == ["e-kim", "e-shoigu", "e-xss"]  # CONSULT, COOPERATE, PROTEST
    b.ready_after("document.querySelector('#events th[data-sort=type]').click()")
    assert _row_ids(b) == ["e-xss", "e-shoigu", "e-kim"]
    facets = b.js("[...document.querySelectorAll('#facets .facet[data-facet=type]')].map(x => x.textContent)")
    assert sorted(facets) == ["CONSULT 1", "COOPERATE 1", "PROTEST 1"]
    countries = b.js("[...document.querySelectorAll('#facets .facet[data-facet=country]')].map(x => x.textContent)")
    assert countries[0] == "RUS 3" and "PRK 2" in countries  # events with an actor of the country, either side
    b.ready_after("document.querySelector('#facets .facet[data-facet=type][data-value=PROTEST]').click()")
    assert _row_ids(b) == ["e-xss"] and b.js("document.querySelector('#filters [name=type]').value") == "PROTEST"
    b.ready_after("document.querySelector('#facets .facet[data-facet=type][data-value=PROTEST]').click()")
    b.ready_after("document.querySelector('#facets .facet[data-facet=sector][data-value=MIL]').click()")
    assert _row_ids(b) == ["e-shoigu"]
    b.ready_after("document.querySelector('#filters #clear').click()")
    quads = b.js("[...document.querySelectorAll('#facets .facet[data-facet=quad_class]')].map(x => x.textContent)")
    assert quads == ["verbal cooperation 3"]  # the hand-made records are all QuadClass 1
    b.ready_after("document.querySelector('#facets .facet[data-facet=quad_class][data-value=\"1\"]').click()")
    assert len(_row_ids(b)) == 3 and b.js("document.querySelector('#filters [name=quad_class]').value") == "1"


def test_the_map_fits_the_filtered_events_zooms_and_pans(browser: Browser, hand_server: Server):
    b = browser
    b.goto(hand_server.url + "/")

    def view() -> list[float]:
        return [float(v) for v in b.js("document.querySelector('#map svg').dataset.view").split(",")]

    whole = view()
    assert whole[2] < 720  # Moscow to Vladivostok, not the whole world
    b.ready_after("document.querySelector('#filters [name=actor]').value = 'Sergei Shoigu';"
                  "document.querySelector('#filters button[type=submit]').click()")
    one = view()
    assert one[2] < whole[2]  # one place: a region around it
    b.js("{ const r = document.querySelector('#map svg').getBoundingClientRect();"
         "document.querySelector('#map svg').dispatchEvent(new WheelEvent('wheel', {deltaY: -100, bubbles: true,"
         " cancelable: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2})) }")
    zoomed = view()
    assert zoomed[2] == pytest.approx(one[2] * 0.8)
    b.js("{ const s = document.querySelector('#map svg'); const r = s.getBoundingClientRect();"
         "s.dispatchEvent(new PointerEvent('pointerdown', {clientX: r.left + 10, clientY: r.top + 10, bubbles: true}));"
         "s.dispatchEvent(new PointerEvent('pointermove', {clientX: r.left + 60, clientY: r.top + 10, bubbles: true}));"
         "s.dispatchEvent(new PointerEvent('pointerup', {bubbles: true})) }")
    assert view()[0] < zoomed[0] and view()[2] == pytest.approx(zoomed[2])  # dragged right: the view moved left
    b.js("document.querySelector('#map-fit').click()")
    assert view() == pytest.approx(one)


def test_network_labels_never_overlap(browser: Browser, sample_server: Server):
    b = browser
    b.goto(sample_server.url + "/")
    boxes = b.js("[...document.querySelectorAll('#network text')].map(t => t.dataset.box.split(',').map(Number))")
    assert len(boxes) >= 3, "the sample's network labels its busiest actors"
    for i, a in enumerate(boxes):
        for c in boxes[i + 1:]:
            assert not (a[0] < c[2] and c[0] < a[2] and a[1] < c[3] and c[1] < a[3]), (a, c)
    nodes = b.js("document.querySelectorAll('#network g.node').length")
    assert nodes >= len(boxes)  # a label that fits nowhere is left out; its node keeps its tooltip


def test_timeline_brush_sets_the_date_filter(browser: Browser, hand_server: Server):
    b = browser
    b.goto(hand_server.url + "/")
    assert "per day" in b.js("document.querySelector('#timeline-h small').textContent")  # 13-16 September: days

    def drag(i: int, j: int) -> str:  # pointer events at the middle of bins i and j (4 bins: 13, 14, 15, 16)
        return ("{ const s = document.querySelector('#timeline svg'); const r = s.getBoundingClientRect();"
                "const k = r.width / s.viewBox.baseVal.width; const bw = (800 - 34 - 4) / 4 > 48 ? 48 : (800 - 38) / 4;"
                "const x = (n) => r.left + (34 + (n + 0.5) * bw) * k; const y = r.top + r.height / 2;"
                f"s.dispatchEvent(new PointerEvent('pointerdown', {{clientX: x({i}), clientY: y, bubbles: true}}));"
                f"s.dispatchEvent(new PointerEvent('pointermove', {{clientX: x({j}), clientY: y, bubbles: true}}));"
                f"s.dispatchEvent(new PointerEvent('pointerup', {{clientX: x({j}), clientY: y, bubbles: true}})) }}")

    b.ready_after(drag(0, 2))
    form = "document.querySelector('#filters [name={}]').value"
    assert (b.js(form.format("since")), b.js(form.format("until"))) == ("2023-09-13", "2023-09-15")
    assert sorted(_row_ids(b)) == ["e-kim", "e-xss"]
    b.ready_after("document.querySelector('#filters #clear').click()")
    b.ready_after(drag(3, 3))  # a click: one bin
    assert b.js(form.format("since")) == b.js(form.format("until")) == "2023-09-16"
    assert _row_ids(b) == ["e-shoigu"]


def test_actor_page_from_an_event(browser: Browser, hand_server: Server):
    """The event view links each named side to its actor page: counts, types, partners, and its events."""
    b = browser
    b.goto(hand_server.url + "/")
    b.js("document.querySelector('#events tbody tr[data-id=e-shoigu]').click()")
    b.wait("document.querySelector('#event-view .profile')")
    b.js("[...document.querySelectorAll('#event-view .profile')].find(x => x.textContent === 'Kim Jong Un').click()")
    b.wait("document.querySelector('#event-view .actor-name')")
    assert b.js("document.querySelector('#event-view .actor-name').textContent") == "Kim Jong Un"
    text = b.js("document.querySelector('#event-view').innerText")
    assert "2 (1 as source, 1 as target)" in text and "CONSULT 1" in text and "COOPERATE 1" in text
    partners = b.js("[...document.querySelectorAll('#event-view .partner')].map(x => x.textContent)")
    assert sorted(partners) == ["Sergei Shoigu", "Vladimir Putin"]
    b.js("[...document.querySelectorAll('#event-view .partner')].find(x => x.textContent === 'Sergei Shoigu').click()")
    b.wait("document.querySelector('#event-view .actor-name').textContent === 'Sergei Shoigu'")
    b.ready_after("document.querySelector('#actor-events').click()")
    assert _row_ids(b) == ["e-shoigu"]


@pytest.mark.skipif(os.environ.get("DATELINE_SKIP_DOCS_PAGE") == "1", reason="asked to skip")
def test_api_docs_page_renders_offline(browser: Browser, hand_server: Server):
    b = browser
    b.call("Page.navigate", {"url": hand_server.url + "/docs"})
    b.wait("document.querySelectorAll('.opblock').length > 5", timeout=30)
    assert "/api/events" in b.js("document.body.innerText")


def test_new_events_show_without_a_reload(browser: Browser, tmp_path):
    """Events stored while the page is open (by ``dateline watch`` or ingest) appear at its next poll of the store."""
    from dateline.store import Store

    url = _hand_made_store(tmp_path / "live.db")
    server = Server(url)
    try:
        b = browser
        b.goto(server.url + "/")
        assert sorted(_row_ids(b)) == ["e-kim", "e-shoigu", "e-xss"]
        with Store(url) as st:
            st.add([make_annotation("d-new", [make_event("e-new", "d-new", type="ASSAULT",
                                                         src=("Russia", "RUS", None), tgt=("Ukraine", "UKR", None),
                                                         sentence="Russia attacked Ukraine.")])])
        b.ready_after("watchStore()")  # what the page's timer calls every LIVE_EVERY_MS
        assert "e-new" in _row_ids(b)
        assert "updated" in b.js("document.querySelector('#live').textContent")
    finally:
        server.stop()
