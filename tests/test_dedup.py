"""Dedup: pure grouping of event records that report the same happening."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import dedup
from dateline.dedup import DedupItem


def test_date_interval_widens_to_precision():
    assert dedup.date_interval("2023-09-13", "day") == ("2023-09-13", "2023-09-13")
    assert dedup.date_interval("2023-09", "month") == ("2023-09-01", "2023-09-30")
    assert dedup.date_interval("2024-02") == ("2024-02-01", "2024-02-29")
    assert dedup.date_interval("2023-09-13", "month") == ("2023-09-01", "2023-09-30")
    assert dedup.date_interval("2023-W36") == ("2023-09-04", "2023-09-10")
    assert dedup.date_interval("2023-Q3") == ("2023-07-01", "2023-09-30")
    assert dedup.date_interval("2023") == ("2023-01-01", "2023-12-31")
    assert dedup.date_interval("199X") == ("1990-01-01", "1999-12-31")
    assert dedup.date_interval("19XX") == ("1900-01-01", "1999-12-31")
    assert dedup.date_interval("2023-WI") == ("2023-12-01", "2024-02-29")
    assert dedup.date_interval("P3Y") is None
    assert dedup.date_interval("2023-02-30") is None
    assert dedup.date_interval(None) is None


def test_actor_keys_prefer_ids_then_names():
    assert dedup.actor_key({"id": "Q1", "name": "X"}) == "id:q1"
    assert dedup.actor_key({"id": None, "name": "Vladimir Putin"}) == "n:vladimir putin"
    assert dedup.side_key([{"name": "B"}, {"name": "a"}, {"name": "A"}]) == ("n:a", "n:b")
    assert dedup.actor_key({"text": "They", "name": None}) is None  # an unresolved pronoun identifies no one
    assert dedup.block_key("ASSAULT", "asserted", [{"text": "they"}], []) is None
    assert dedup.block_key("CONSULT", "asserted", [], []) is None
    k = dedup.block_key("CONSULT", "asserted", [{"id": "x"}], [{"id": "y"}])
    assert k == dedup.block_key("CONSULT", "asserted", [{"id": "x", "name": "other"}], [{"id": "y"}])
    assert k != dedup.block_key("CONSULT", "asserted", [{"id": "y"}], [{"id": "x"}])  # sides matter
    assert k != dedup.block_key("CONSULT", "negated", [{"id": "x"}], [{"id": "y"}])
    assert k != dedup.block_key("ASSAULT", "asserted", [{"id": "x"}], [{"id": "y"}])


def test_km():
    assert abs(dedup.km(55.7558, 37.6173, 59.9343, 30.3351) - 634) < 5  # Moscow - St Petersburg


def test_same_happening_rules():
    a = DedupItem("a", "k", "2023-09-13", "2023-09-13", 51.88, 128.33)
    assert dedup.same_happening(a, DedupItem("b", "k", "2023-09-01", "2023-09-30", None, None))  # month contains day
    assert dedup.same_happening(a, DedupItem("b", "k", "2023-09-13", "2023-09-13", 52.0, 128.5))  # ~17 km
    assert not dedup.same_happening(a, DedupItem("b", "k", "2023-09-13", "2023-09-13", 55.75, 37.61))  # Moscow
    assert not dedup.same_happening(a, DedupItem("b", "k", "2023-09-14", "2023-09-14", 51.88, 128.33))
    assert not dedup.same_happening(a, DedupItem("b", "j", "2023-09-13", "2023-09-13", 51.88, 128.33))
    assert not dedup.same_happening(DedupItem("a", None, "2023-09-13", "2023-09-13"),
                                    DedupItem("b", None, "2023-09-13", "2023-09-13"))


def test_group_links_components_with_smallest_id():
    items = [
        DedupItem("e3", "k", "2023-09-13", "2023-09-13"),
        DedupItem("e1", "k", "2023-09-01", "2023-09-30"),  # a month: joins the one day-dated group it matches
        DedupItem("e2", "k", "2023-09-13", "2023-09-13"),
        DedupItem("e4", "k", "2023-10-02", "2023-10-02"),
        DedupItem("e5", None, "2023-09-13", "2023-09-13"),
    ]
    got = dedup.group(items)
    assert got == {"e1": "e1", "e2": "e1", "e3": "e1", "e4": "e4", "e5": "e5"}


def test_a_vague_record_never_bridges_two_happenings():
    """"131 people wounded this year" matches two shootings of different days: it joins neither."""
    items = [DedupItem("a", "k", "2023-03-01", "2023-03-01"), DedupItem("b", "k", "2023-07-09", "2023-07-09"),
             DedupItem("y", "k", "2023-01-01", "2023-12-31"), DedupItem("z", "k", "2023-01-01", "2023-12-31")]
    got = dedup.group(items)
    assert got["a"] != got["b"]
    assert (got["y"], got["z"]) == ("y", "z")  # matching several happenings, a vague record stays alone
    assert dedup.group(items[2:])["z"] == "y"  # vague records that match no dated record may meet each other
    assert dedup.group(items[:1] + items[2:3])["y"] == "a"  # with one dated happening, the vague one joins it


def test_generic_records_need_one_day_and_places():
    """Two shootings of "a man" on one day merge only when both are placed near each other."""
    key = dedup.block_key("ASSAULT", "asserted", [], [{"id": "USACVL"}])
    assert key.startswith(dedup.GENERIC_BLOCK) and len(key) == 20  # the store column holds 20 characters
    assert not dedup.block_key("ASSAULT", "asserted", [], [{"id": "Q22686"}]).startswith(dedup.GENERIC_BLOCK)
    here = DedupItem("a", key, "2016-05-01", "2016-05-01", 38.0, -77.0)
    assert dedup.same_happening(here, DedupItem("b", key, "2016-05-01", "2016-05-01", 38.1, -77.1))
    assert not dedup.same_happening(here, DedupItem("b", key, "2016-05-01", "2016-05-01"))  # no place
    assert not dedup.same_happening(here, DedupItem("b", key, "2016-05-01", "2016-05-31", 38.0, -77.0))  # a month


def test_item_for_falls_back_to_publication_day():
    rec = {"id": "x", "type": "AID", "status": "asserted", "source": [{"name": "A"}], "target": [],
           "date": None, "doc_published": "2020-01-02", "location": {"lat": 1.0, "lon": 2.0}}
    it = dedup.item_for(rec)
    assert (it.start, it.end, it.lat, it.lon) == ("2020-01-02", "2020-01-02", 1.0, 2.0)
    assert dedup.item_for({**rec, "doc_published": None}).block is None


def test_representative_is_deterministic():
    ms = [{"id": "b", "confidence": 0.9, "date_precision": "month"},
          {"id": "c", "confidence": 0.9, "date_precision": "day"},
          {"id": "a", "confidence": 0.5, "date_precision": "day"}]
    assert dedup.representative(ms)["id"] == "c"
    assert dedup.representative(list(reversed(ms)))["id"] == "c"


_item = st.builds(
    lambda i, blk, day, span, place: DedupItem(
        f"e{i:03d}", blk, f"2023-01-{day:02d}", f"2023-01-{min(28, day + span):02d}",
        *(place if place else (None, None))),
    st.integers(0, 999), st.sampled_from(["a", "b", None]), st.integers(1, 28), st.integers(0, 3),
    st.one_of(st.none(), st.tuples(st.floats(50, 51), st.floats(10, 11))),
)


def _brute_force(items):
    """The grouping rule written the slow way: components of day-dated pairs; each vague record joins the one
    component it matches, or, matching none, the components of such vague records."""
    parent = {i.id: i.id for i in items}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)

    exact = [i for i in items if not dedup.is_vague(i)]
    vague = [i for i in items if dedup.is_vague(i)]
    for a in exact:
        for b in exact:
            if a.id < b.id and dedup.same_happening(a, b):
                union(a.id, b.id)
    matches = {v.id: {find(m.id) for m in exact if dedup.same_happening(v, m)} for v in vague}
    for v in vague:
        if len(matches[v.id]) == 1:
            union(v.id, next(iter(matches[v.id])))
    alone = [v for v in vague if not matches[v.id]]
    for a in alone:
        for b in alone:
            if a.id < b.id and dedup.same_happening(a, b):
                union(a.id, b.id)
    return {i.id: find(i.id) for i in items}


@settings(max_examples=60, deadline=None)
@given(st.lists(_item, max_size=40, unique_by=lambda i: i.id), st.randoms())
def test_group_is_order_independent_and_matches_brute_force(items, rnd):
    got = dedup.group(items)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert dedup.group(shuffled) == got
    assert got == _brute_force(items)


def test_group_scales_roughly_linearly():
    rnd = random.Random(1)
    items = [DedupItem(f"e{i}", f"k{rnd.randrange(500)}", f"2023-{rnd.randrange(1, 13):02d}-01",
                       f"2023-{rnd.randrange(1, 13):02d}-01") for i in range(20000)]
    items = [DedupItem(i.id, i.block, min(i.start, i.end), max(i.start, i.end)) for i in items]
    got = dedup.group(items)
    assert len(got) == 20000


def test_eval_dedup_scores_article_groups():
    from dateline.evaluation import dedup as evaluation

    gold = {"a": "i1", "b": "i1", "c": "i2", "d": "i2", "e": "i3"}
    groups = {"a": {"g1"}, "b": {"g1"}, "c": {"g2"}, "d": set(), "e": {"g2"}}  # c and e wrongly together
    r = evaluation.score(groups, gold)
    assert r["pairwise"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "predicted_pairs": 2, "gold_pairs": 2}
    assert r["bcubed"]["precision"] == pytest.approx((1 + 1 + 0.5 + 1 + 0.5) / 5, abs=1e-3)
    assert r["alone"]["pairwise"]["f1"] == 0.0
    assert (r["incidents_whole"], r["incidents_multi"], r["articles_without_records"]) == (1, 2, 1)
    assert r["largest_groups"][0]["articles"] == 2


def test_eval_dedup_groups_records_across_articles():
    from dateline.evaluation import dedup as evaluation

    ev = {"id": "x", "type": "ASSAULT", "status": "asserted", "source": [], "target": [{"name": "Jo Smith"}],
          "date": "2016-05-01", "date_precision": "day"}
    events = {"a": [ev], "b": [{**ev, "id": "y"}], "c": [{**ev, "id": "z", "type": "AID"}]}
    got = evaluation.article_groups(events)
    assert got["a"] == got["b"] == {"x"} and got["c"] == set()  # AID is not scored
