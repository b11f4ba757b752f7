"""Scoring cross-article grouping: ``dateline eval dedup FOLDER`` (the gvc_dev layout).

A folder holds ``docs.jsonl`` (``id``, ``published``, ``title``, ``text``) and ``gold.json`` (``{document id: incident
id}``). dateline annotates every article, groups its records of the scored types (ASSAULT and COERCE by default) with
:func:`dateline.dedup.group` (the store's own grouping), and links the articles themselves with
:func:`dateline.incidents.link` (the store's incident of each document); an article belongs to the groups of its
records and to its incident. Two articles are predicted to report one incident when they share a group. Measures:

* pairwise precision, recall and F1 over article pairs;
* B-cubed precision, recall and F1 over articles (an article's predicted cluster: itself and every article it shares
  a group with);
* the same for "every article alone" (the floor grouping has to beat);
* incidents with two or more articles whose articles all share one group;
* the largest groups (articles and incidents each spans) and the articles with no scored record.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from dateline import dedup, incidents

TYPES = ("ASSAULT", "COERCE")


def load_gold(folder: str | Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The articles and the document → incident map; a bad line names its file and line."""
    folder = Path(folder)
    docs = []
    with (folder / "docs.jsonl").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    docs.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{folder / 'docs.jsonl'}:{n}: not JSON ({exc.msg})") from exc
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return [d for d in docs if d.get("id") in gold], {str(k): str(v) for k, v in gold.items()}


def article_groups(events: Mapping[str, Sequence[Mapping[str, Any]]], types: Sequence[str] = TYPES
                   ) -> dict[str, set[str]]:
    """Each article's group ids: its records of ``types`` grouped across all articles by :func:`dedup.group`."""
    items, owner = [], {}
    for doc_id, evs in events.items():
        for ev in evs:
            if ev.get("type") in types:
                items.append(dedup.item_for(ev))
                owner[ev["id"]] = doc_id
    out: dict[str, set[str]] = {doc_id: set() for doc_id in events}
    for event_id, group_id in dedup.group(items).items():
        out[owner[event_id]].add(group_id)
    return out


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 3) if p + r else 0.0


def score_clusters(clusters: Mapping[str, set[str]], gold: Mapping[str, str]) -> dict[str, Any]:
    """Pairwise and B-cubed figures; ``clusters``: each article's predicted same-incident articles (itself too)."""
    ids = sorted(clusters)
    pred = {(a, b) for a, b in combinations(ids, 2) if b in clusters[a]}
    true = {(a, b) for a, b in combinations(ids, 2) if gold[a] == gold[b]}
    p = len(pred & true) / len(pred) if pred else 0.0
    r = len(pred & true) / len(true) if true else 0.0
    members: dict[str, set[str]] = defaultdict(set)
    for a in ids:
        members[gold[a]].add(a)
    bp = sum(len(clusters[a] & members[gold[a]]) / len(clusters[a]) for a in ids) / len(ids) if ids else 0.0
    br = sum(len(clusters[a] & members[gold[a]]) / len(members[gold[a]]) for a in ids) / len(ids) if ids else 0.0
    return {"pairwise": {"precision": round(p, 3), "recall": round(r, 3), "f1": _f1(p, r),
                         "predicted_pairs": len(pred), "gold_pairs": len(true)},
            "bcubed": {"precision": round(bp, 3), "recall": round(br, 3), "f1": _f1(bp, br)}}


def score(groups: Mapping[str, set[str]], gold: Mapping[str, str], largest: int = 5) -> dict[str, Any]:
    """Score each article's group ids against the gold incidents."""
    by_group: dict[str, set[str]] = defaultdict(set)
    for doc_id, gids in groups.items():
        for g in gids:
            by_group[g].add(doc_id)
    clusters = {a: {a} | {b for g in groups[a] for b in by_group[g]} for a in groups}
    result = score_clusters(clusters, gold)
    result["alone"] = score_clusters({a: {a} for a in groups}, gold)
    incidents: dict[str, list[str]] = defaultdict(list)
    for a in groups:
        incidents[gold[a]].append(a)
    multi = [docs for docs in incidents.values() if len(docs) > 1]
    result["incidents_whole"] = sum(bool(set.intersection(*(groups[a] for a in docs))) for docs in multi)
    result["incidents_multi"] = len(multi)
    result["articles"] = len(groups)
    result["articles_without_records"] = sum(not g for g in groups.values())
    result["largest_groups"] = [
        {"group": g, "articles": len(docs), "incidents": len({gold[a] for a in docs})}
        for g, docs in sorted(by_group.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:largest]]
    return result


def predict(docs: Sequence[Mapping[str, Any]], profile: str = "accurate"
            ) -> tuple[dict[str, list[dict[str, Any]]], list[incidents.Article]]:
    """Annotate the articles: event dicts per document id, and each article's names for incident linking."""
    from dateline.evaluation import documents
    from dateline.pipeline import Pipeline

    pipe = Pipeline(profile=profile)
    out: dict[str, list[dict[str, Any]]] = {d["id"]: [] for d in docs}
    articles = []
    for ann in pipe.annotate(documents(docs)):
        out[ann.doc.id] = [e.to_dict() for e in ann.events]
        articles.append(incidents.article_for(ann))
    return out, articles


def incident_groups(articles: Sequence[incidents.Article]) -> dict[str, set[str]]:
    """Each article's incident as a group id ("i:" + the incident's id)."""
    linked = incidents.link(articles, incidents.document_frequencies(articles), len(articles))
    return {doc_id: {"i:" + inc} for doc_id, inc in linked.items()}


def with_incidents(groups: Mapping[str, set[str]], by_incident: Mapping[str, set[str]]) -> dict[str, set[str]]:
    return {doc_id: set(g) | by_incident.get(doc_id, set()) for doc_id, g in groups.items()}


def evaluate(paths: list[str], profile: str = "accurate", limit: int = 0) -> dict[str, Any]:
    """Annotate each folder's articles, group their records and score the groups."""
    result: dict[str, Any] = {"profile": profile, "types": list(TYPES), "folders": {}}
    for path in paths:
        docs, gold = load_gold(path)
        if limit:
            docs = docs[:limit]
        events, articles = predict(docs, profile)
        records = article_groups(events)
        alone = score(records, gold)
        result["folders"][str(path)] = r = score(with_incidents(records, incident_groups(articles)), gold)
        r["records_only"] = {k: alone[k] for k in ("pairwise", "bcubed")}
        r["articles_without_records"] = alone["articles_without_records"]
    return result


def report(result: dict[str, Any]) -> str:
    lines = [f"dedup ({result['profile']}; records of {', '.join(result['types'])}; an article belongs to the groups "
             "of its records and to its incident)"]
    for path, r in result["folders"].items():
        pw, bc, alone = r["pairwise"], r["bcubed"], r["alone"]
        lines += [
            f"{path}: {r['articles']} articles, {r['articles_without_records']} without a scored record",
            f"  pairwise P/R/F1 {pw['precision']:.3f} / {pw['recall']:.3f} / {pw['f1']:.3f} "
            f"({pw['predicted_pairs']} predicted pairs, {pw['gold_pairs']} gold)",
            f"  B-cubed  P/R/F1 {bc['precision']:.3f} / {bc['recall']:.3f} / {bc['f1']:.3f} "
            f"(every article alone: B-cubed F1 {alone['bcubed']['f1']:.3f})",
            f"  incidents with 2+ articles all in one group: {r['incidents_whole']} of {r['incidents_multi']}",
            f"  records' groups alone (no article linking): pairwise F1 {r['records_only']['pairwise']['f1']:.3f}, "
            f"B-cubed F1 {r['records_only']['bcubed']['f1']:.3f}",
            "  largest groups: " + ", ".join(f"{g['articles']} articles / {g['incidents']} incidents"
                                             for g in r["largest_groups"]),
        ]
    return "\n".join(lines)
