"""Query latency on a store of N synthetic events (default 1 million): prints load rate and p50/p95 per query kind.

    PYTHONPATH=src .venv/bin/python bench/bench_query.py [--n 1000000] [--db PATH_OR_URL] [--repeat 20]

The store is built through ``Store.add`` (batches of 1,000 documents, dedup and incident linking included) unless
``--db`` already holds events; happenings are reported 1-3 times by different sources so groups are real, and each
document names its actors (mentions), so incident linking has names to index and compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dateline.model import PLOVER_TYPES, ActorMention, Annotation, Document, Event  # noqa: E402
from dateline.store import Store  # noqa: E402

SECTORS = ("GOV", "MIL", "COP", "REB", "OPP", "BUS", "MED", "CVL", "JUD", "LEG")
WORDS = ("talks border ceasefire troops protest minister aid sanctions election police rebels summit oil trade "
         "missile attack village capital refugees agreement negotiation embassy strike court parliament army "
         "drone harbour port convoy hostage delegation investigation").split()
SYL = ("ka ri to ma su ne lo vi an de po ra mi zu el or ta ki no ba").split()


def _name(rnd: random.Random) -> str:
    return " ".join("".join(rnd.choice(SYL) for _ in range(rnd.randint(2, 3))).title() for _ in range(2))


def synthetic(n_events: int, seed: int = 1):
    """Yield annotations (5 events a document on average) totalling about ``n_events`` events."""
    rnd = random.Random(seed)
    countries = ["".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)) for _ in range(150)]
    actors = [(_name(rnd), rnd.choice(countries), rnd.choice(SECTORS)) for _ in range(20000)]
    places = [(f"Place {i}", rnd.uniform(-60, 70), rnd.uniform(-180, 180), rnd.choice(countries)) for i in range(5000)]
    start = dt.date(2000, 1, 1)
    made, doc_n = 0, 0
    later: dict[int, list[tuple]] = {}  # document number -> reports of earlier happenings it carries
    while made < n_events:
        doc_id = f"doc{doc_n}"
        reports = later.pop(doc_n, [])
        while len(reports) < rnd.randint(3, 7):  # new happenings, each reported again by 0-2 later documents
            t = rnd.choice(PLOVER_TYPES)
            a, b = rnd.sample(actors, 2)
            day = start + dt.timedelta(days=rnd.randrange(9000))
            place = rnd.choice(places) if rnd.random() < 0.8 else None
            words = " ".join(rnd.choice(WORDS) for _ in range(12))
            h = (t, a, b, day, place, words)
            reports.append(h)
            for _ in range(rnd.choice((0, 0, 1, 2))):
                later.setdefault(doc_n + rnd.randint(1, 500), []).append(h)
        events = []
        for k, (t, a, b, day, place, words) in enumerate(reports):
            loc = {"text": place[0], "name": place[0], "lat": place[1], "lon": place[2], "country": place[3],
                   "admin1": None, "geonameid": None} if place else None
            events.append(Event(
                id=f"e{doc_n}-{k}", doc_id=doc_id, sentence=f"{a[0]} {words} {b[0]}.", sentence_index=k, type=t,
                trigger={"text": words.split()[0], "start": 0, "end": 5},
                source=[{"text": a[0], "start": 0, "end": 5, "name": a[0], "country": a[1], "sector": a[2],
                         "id": "a-" + a[0].lower().replace(" ", "-")}],
                target=[{"text": b[0], "start": 0, "end": 5, "name": b[0], "country": b[1], "sector": b[2],
                         "id": "a-" + b[0].lower().replace(" ", "-")}],
                mode=None, cameo="040", goldstein=round(rnd.uniform(-10, 10), 1), quad_class=rnd.randint(1, 4),
                date=day.isoformat(), date_precision="day", location=loc, status="asserted",
                confidence=round(rnd.random(), 2)))
        made += len(events)
        names = {a["name"]: a["id"] for ev in events for a in (*ev.source, *ev.target)}
        mentions = [ActorMention(text=nm, start=0, end=len(nm), name=nm, id=i, kind="name") for nm, i in names.items()]
        yield Annotation(doc=Document(id=doc_id, text="", published=start + dt.timedelta(days=doc_n % 9000),
                                      source=f"src{rnd.randrange(40)}"), events=events, mentions=mentions)
        doc_n += 1


def load(store: Store, n: int, batch: int = 1000) -> None:
    t0, docs, events, buf = time.perf_counter(), 0, 0, []
    for ann in synthetic(n):
        buf.append(ann)
        if len(buf) >= batch:
            d, e = store.add(buf)
            docs, events, buf = docs + d, events + e, []
            if docs % 20000 == 0:
                rate = events / (time.perf_counter() - t0)
                print(f"  loaded {events:,} events ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    if buf:
        d, e = store.add(buf)
        docs, events = docs + d, events + e
    secs = time.perf_counter() - t0
    print(f"load: {docs:,} documents, {events:,} events in {secs:.0f} s ({events / secs:,.0f} events/s)")


def queries(store: Store, rnd: random.Random):
    """(kind, kwargs) pairs drawn from values present in the store."""
    sample = store.events(groups=False, limit=200, offset=rnd.randrange(1000), sort="id")
    recs = sample.to_dict("records")
    r = lambda: rnd.choice(recs)  # noqa: E731
    word = lambda: rnd.choice(WORDS)  # noqa: E731
    month = lambda: f"{rnd.randint(2000, 2023)}-{rnd.randint(1, 12):02d}"  # noqa: E731
    return [
        ("latest 100 groups", {"sort": "date", "descending": True}),
        ("actor name", {"actor": r()["source"][0]["name"]}),
        ("actor word", {"actor": r()["target"][0]["name"].split()[0]}),
        ("actor id, mentions", {"actor": r()["source"][0]["id"], "groups": False}),
        ("country", {"country": r()["source"][0]["country"]}),
        ("country+sector+since", {"country": r()["source"][0]["country"], "sector": "MIL", "since": "2015"}),
        ("type+month", {"type": r()["type"], "since": (m := month()), "until": m}),
        ("near 50 km", {"near": ((loc := r()["location"] or {"lat": 10.0, "lon": 10.0})["lat"], loc["lon"], 50)}),
        ("text 1 word", {"text": word()}),
        ("text 2 words + type", {"text": f"{word()} {word()}", "type": r()["type"]}),
        ("by goldstein, offset 1000", {"sort": "goldstein", "offset": 1000}),
        ("by reports desc", {"sort": "reports", "descending": True}),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--db", default=None, help="store URL or SQLite path (default /tmp/dateline-bench-N.db)")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    url = args.db or f"sqlite:////tmp/dateline-bench-{args.n}.db"
    store = Store(url)
    s = store.summary()
    if s["events"] == 0:
        load(store, args.n)
        s = store.summary()
    print(f"store: {s['documents']:,} documents, {s['events']:,} events, {s['groups']:,} groups ({url})")
    rnd = random.Random(5)
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for kind, kw in queries(store, rnd):
            t0 = time.perf_counter()
            df = store.events(**kw)
            times.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
            assert len(df) <= 100
    every = sorted(x for v in times.values() for x in v)
    p95 = lambda v: sorted(v)[max(0, int(round(0.95 * len(v))) - 1)]  # noqa: E731
    print(f"{'query':28s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}")
    for kind, v in times.items():
        print(f"{kind:28s} {statistics.median(v):8.1f} {p95(v):8.1f} {max(v):8.1f}")
    print(f"{'ALL':28s} {statistics.median(every):8.1f} {p95(every):8.1f} {max(every):8.1f}  "
          f"({len(every)} queries)")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
