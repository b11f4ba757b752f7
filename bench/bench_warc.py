"""Throughput of the WARC reader alone: read + extract (trafilatura) + language check, on one core.

Usage: python bench/bench_warc.py [--pages 2000] [--gzip] [--modes precision,fast,default] [--pin]

Builds a WARC of synthetic news pages in a temporary folder (each page: a navigation bar of 120 links, CSS and scripts, a
sidebar, related stories, 6-9 paragraphs of article text, a comment section and a footer, about 58 KB of HTML;
every tenth page in German), then times, in the same run:

- the baseline: warcio iterating the records and reading every body (what any WARC reader pays),
- ``dateline.pages.read_warc`` (the reader, as ``dateline ingest`` runs it) with trafilatura's options of each mode.

Prints pages/s for each and the reader's time as a multiple of the baseline's, and the extraction quality of each
mode against the article text the pages were built from (exact text, boilerplate leaked). The issue's bar: at least
200 pages/s on one core. ``--pin`` keeps the process on one CPU.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline import pages  # noqa: E402

SUBJECTS = ["The foreign minister", "The prime minister", "The defence secretary", "Opposition leaders",
            "The interior ministry", "Union representatives", "The European Commission", "Police officials",
            "The finance minister", "Senior diplomats", "The central bank", "Local councillors"]
VERBS = ["met", "criticised", "welcomed", "rejected", "visited", "accused", "praised", "warned", "called on",
         "signed an agreement with"]
OBJECTS = ["their counterparts from Kenya", "the government in Warsaw", "protesters outside parliament",
           "the new trade deal", "officials in Brussels", "the delegation from Japan", "farmers in the north",
           "the leaders of the coalition", "business groups in Leeds", "the election commission"]
TAILS = ["on Tuesday, according to a statement released after the meeting",
         "after weeks of talks that had stalled over the question of funding",
         "in a speech broadcast on national television late on Wednesday",
         "saying further steps would follow before the end of the month",
         "as thousands gathered in the capital to demand new elections",
         "despite warnings from economists that the plan would raise prices"]
GERMAN = ("Die Ministerin hat am Dienstag Dresden besucht und neue Schutzanlagen gegen das Hochwasser eröffnet. "
          "Sie versprach weitere Investitionen für die Städte in Sachsen, die im vergangenen Winter betroffen waren. ")
BOILERPLATE = ("Sign up for our newsletter", "All rights reserved", "Most read", "Comments", "Cookie settings")


def article(rng: random.Random, n: int) -> list[str]:
    paras = []
    for _ in range(rng.randint(6, 9)):
        sentences = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
                     for _ in range(rng.randint(2, 4))]
        paras.append(" ".join(sentences))
    paras[0] = f"Report number {n}: " + paras[0]
    return paras


def page(rng: random.Random, n: int, german: bool) -> tuple[str, list[str]]:
    """A page as news sites serve them: head metadata (Open Graph, author, section, tags, JSON-LD), inline CSS and
    scripts, a navigation bar of 120 links, the article, a sidebar and related stories with teasers, comments, a
    footer of 40 links: about 58 KB of HTML."""
    paras = [GERMAN * 2] * 4 if german else article(rng, n)
    title = f"Story {n}: {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    url = f"https://news.example.com/2024/story-{n}"
    nav = "".join(f'<li class="nav-item"><a class="nav-link" href="/section/{i}">Section {i}</a></li>'
                  for i in range(120))
    side = "".join(f'<li><a href="/2024/story-{n + i}">Most read story {n + i} of the day</a></li>' for i in range(10))
    related = "".join(f'<div class="teaser"><a href="/2024/story-{n + i}"><img src="/img/{n + i}.jpg" alt="">'
                      f"<h4>Related story {n + i}</h4></a><p>{rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
                      f"{rng.choice(OBJECTS)}.</p></div>" for i in range(12))
    comments = "".join(f'<div class="comment"><p>Comment {i}: I do not agree with this at all, '
                       f'the minister should resign.</p></div>' for i in range(8))
    foot = "".join(f'<a href="/about/{i}">About link {i}</a> ' for i in range(40))
    css = "<style>" + "".join(f".c{i}{{margin:{i}px;padding:{i}px;color:#{i:03x}}}" for i in range(400)) + "</style>"
    script = "<script>window.dataLayer = window.dataLayer || [];" + "var x=1;" * 1500 + "</script>"
    dated = n % 5 != 0  # every fifth page has no date metadata: the capture time dates it
    day = f"2024-03-{1 + n % 28:02d}T09:30:00Z"
    meta = (f'<meta property="article:published_time" content="{day}">'
            f'<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":"{title}","datePublished":"{day}","author":{{"@type":"Person","name":"Staff Reporter"}}}}'
            f"</script>") if dated else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    html = (f'<!DOCTYPE html><html lang="{"de" if german else "en"}"><head><meta charset="utf-8">'
            f"<title>{title} | Example News</title>{meta}{css}"
            f'<meta property="og:site_name" content="Example News"><meta property="og:title" content="{title}">'
            f'<meta name="author" content="Staff Reporter"><meta property="article:section" content="World">'
            f'<meta property="article:tag" content="politics"><link rel="canonical" href="{url}">{script}</head>'
            f'<body><header><nav><ul>{nav}</ul></nav><div class="promo">Sign up for our newsletter</div></header>'
            f'<main><article><h1>{title}</h1><p class="byline">By Staff Reporter</p>{body}</article>'
            f'<aside><h3>Most read</h3><ul>{side}</ul></aside><section class="related">{related}</section>'
            f'<section class="comments" id="comments"><h3>Comments</h3>{comments}</section></main>'
            f"<footer><p>{foot}</p><p>Copyright 2024 Example News. All rights reserved. Privacy | Cookie settings"
            f"</p></footer>{script}</body></html>")
    return html, paras


def build(path: Path, n: int, gz: bool) -> dict[str, list[str]]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(20)
    truth = {}
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for i in range(n):
            german = i % 10 == 9
            html, paras = page(rng, i, german)
            url = f"https://news.example.com/2024/story-{i}"
            if not german:
                truth[url] = paras
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-20T08:00:00Z"}))
    return truth


def baseline(path: Path) -> tuple[int, float]:
    """warcio alone: iterate the records and read every body."""
    from warcio.archiveiterator import ArchiveIterator

    t0 = time.perf_counter()
    n = 0
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                record.content_stream().read()
                n += 1
    return n, time.perf_counter() - t0


MODES = {  # trafilatura's options; dateline's own (pages.EXTRACT_OPTIONS) are "precision"
    "precision": {"fast": True, "favor_precision": True},
    "fast": {"fast": True, "favor_precision": False},
    "default": {"fast": False, "favor_precision": False},
}


def reader(path: Path, truth: dict[str, list[str]], options: dict) -> tuple[int, float, dict]:
    saved = dict(pages.EXTRACT_OPTIONS)
    pages.EXTRACT_OPTIONS.update(options)
    try:
        seen = pages.Seen()
        t0 = time.perf_counter()
        docs = list(pages.read_warc(str(path), lambda m: None, seen=seen))
        elapsed = time.perf_counter() - t0
    finally:
        pages.EXTRACT_OPTIONS.clear()
        pages.EXTRACT_OPTIONS.update(saved)
    exact = sum(d.text == "\n\n".join(truth.get(d.url, [])) for d in docs)
    leaked = sum(any(b in d.text for b in BOILERPLATE) for d in docs)
    return len(docs) + sum(seen.skipped.values()), elapsed, {"documents": len(docs), "exact": exact,
                                                              "leaked": leaked, "skipped": dict(seen.skipped)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--gzip", action="store_true", help="write a .warc.gz (default: uncompressed .warc)")
    ap.add_argument("--modes", default="precision,fast,default")
    ap.add_argument("--pin", action="store_true", help="keep the process on one CPU")
    args = ap.parse_args()
    if args.pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("bench.warc.gz" if args.gzip else "bench.warc")
        truth = build(path, args.pages, args.gzip)
        print(f"WARC: {args.pages} pages, {path.stat().st_size / 2**20:.1f} MB ({path.name})")
        pages.language("warm up: load the language model once")
        list(pages.read_warc(str(path), lambda m: None))  # warm the caches (imports, lxml, htmldate)
        n, base = baseline(path)
        print(f"baseline (warcio, read every body): {n / base:8.0f} pages/s")
        for mode in args.modes.split(","):
            n, elapsed, q = reader(path, truth, MODES[mode])
            print(f"reader, trafilatura {mode:9s}: {n / elapsed:8.0f} pages/s  ({elapsed / base:5.1f} x the baseline's "
                  f"time)  {q['documents']} documents, {q['exact']} with exactly the article text, "
                  f"{q['leaked']} with boilerplate; skipped {q['skipped']}")
    print("bar: 200 pages/s on one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
