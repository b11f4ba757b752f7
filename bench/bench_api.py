"""Loopback load test of ``GET /api/events``: N concurrent keep-alive clients for T seconds against a uvicorn server
in its own process; prints p50/p95/p99 latency and requests per second.

    PYTHONPATH=src .venv/bin/python bench/bench_api.py                  # store from the bundled sample (fast profile)
    PYTHONPATH=src .venv/bin/python bench/bench_api.py --store synthetic --events 5000
    PYTHONPATH=src .venv/bin/python bench/bench_api.py --store sqlite:///dateline.db

The requests cycle through what the page asks for: the first page, later pages, an actor, a type, a country, a date
range and a text search (each with limit 50).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))


def sample_store(url: str, limit: int | None) -> None:
    import itertools

    from dateline.cli import sample_paths
    from dateline.ingest import run_ingest
    from dateline.read import read
    from dateline.store import Store

    with Store(url) as store:
        docs, events = run_ingest(itertools.islice(read(sample_paths()), limit), store, profile="fast")
    print(f"store: bundled sample, {docs} documents, {events} events (fast profile)")


def synthetic_store(url: str, n: int, seed: int = 7) -> None:
    """Hand-made events: 40 actors, 16 types, 30 places, dates over a year, 3 reports per document on average."""
    from conftest import make_annotation, make_event

    from dateline.model import PLOVER_TYPES
    from dateline.store import Store

    rng = random.Random(seed)
    countries = ["RUS", "UKR", "PRK", "KOR", "CHN", "USA", "IRN", "ISR", "SYR", "IRQ"]
    actors = [(f"Actor {i}", countries[i % len(countries)], rng.choice(["GOV", "MIL", None])) for i in range(40)]
    places = [(f"Place {i}", rng.uniform(-50, 70), rng.uniform(-170, 170), rng.choice(countries)) for i in range(30)]
    anns, k = [], 0
    while k < n:
        d = f"doc{len(anns)}"
        evs = []
        for _ in range(rng.randint(1, 5)):
            src, tgt = rng.sample(actors, 2)
            day = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            evs.append(make_event(f"e{k}", d, type=rng.choice(PLOVER_TYPES), src=src, tgt=tgt, date=day,
                                  place=rng.choice(places + [None]), goldstein=round(rng.uniform(-10, 10), 1),
                                  sentence=f"{src[0]} met {tgt[0]} about issue {rng.randint(1, 50)} in talks."))
            k += 1
        anns.append(make_annotation(d, evs, published=evs[0].date))
    with Store(url) as store:
        for i in range(0, len(anns), 500):
            store.add(anns[i:i + 500])
        s = store.summary()
    print(f"store: synthetic, {s['documents']} documents, {s['events']} events, {s['groups']} groups")


def request_paths(url: str) -> list[str]:
    from dateline.store import Store

    with Store(url) as store:
        s = store.summary()
    actors = [p[0] for p in s["top_pairs"][:5]] or ["Putin"]
    types = list(s["by_type"])[:4] or ["CONSULT"]
    qs = [{}, {"offset": 50}, {"offset": 100}, {"sort": "date"}, {"country": "RUS"}, {"since": "2023-01", "until": "2023-06"},
          {"text": "met"}]
    qs += [{"actor": a} for a in actors] + [{"type": t} for t in types]
    return ["/api/events?" + urllib.parse.urlencode({"limit": 50, **q}) for q in qs]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, cache: int) -> subprocess.Popen:
    code = ("import uvicorn; from dateline.web.app import create_app; "
            f"uvicorn.run(create_app({url!r}, cache_size={cache}), host='127.0.0.1', port={port}, "
            "log_level='warning', access_log=False)")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


async def client(port: int, paths: list[str], until: float, lat: list[float], errors: list[str], seed: int) -> None:
    """One keep-alive HTTP/1.1 client sending requests back to back."""
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            path = rng.choice(paths)
            t0 = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = head.split(b" ", 2)[1]
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            lat.append(time.perf_counter() - t0)
            if status != b"200":
                errors.append(f"{status.decode()} {path}")
    finally:
        writer.close()


async def load(port: int, paths: list[str], clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    lat: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(client(port, paths, start + seconds, lat, errors, i) for i in range(clients)))
    return lat, errors, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", default="sample", help="sample | synthetic | a database URL (default sample)")
    ap.add_argument("--events", type=int, default=2000, help="events of the synthetic store")
    ap.add_argument("--docs", type=int, help="only the first N documents of the sample")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--cache", type=int, default=512, help="response cache entries; 0 measures every query uncached")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="dl-bench-")
    if args.store in ("sample", "synthetic"):
        url = f"sqlite:///{tmp}/bench.db"
        sample_store(url, args.docs) if args.store == "sample" else synthetic_store(url, args.events)
    else:
        url = args.store
    paths = request_paths(url)
    port = free_port()
    server = start_server(url, port, args.cache)
    try:
        asyncio.run(load(port, paths, 2, 2))  # warm up
        lat, errors, wall = asyncio.run(load(port, paths, args.clients, args.seconds))
    finally:
        server.terminate()
        server.wait(10)
    ms = sorted(x * 1000 for x in lat)
    q = statistics.quantiles(ms, n=100)
    print(f"GET /api/events, {args.clients} clients, {wall:.1f} s, {len(paths)} query shapes (limit 50), "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, response cache {args.cache or 'off'}")
    print(f"requests {len(ms)}  errors {len(errors)}  req/s {len(ms) / wall:.1f}")
    print(f"latency ms  p50 {q[49]:.1f}  p95 {q[94]:.1f}  p99 {q[98]:.1f}  max {ms[-1]:.1f}")
    if errors:
        print("first errors:", errors[:5])
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
