"""Acceptance: the same stories from three sources give one group each with reports = 3, in any order, on any backend."""

from __future__ import annotations

import random

import pytest
from conftest import PG_SKIP, PG_URL, _pg_database, make_annotation, make_event

from dateline.store import Store

TYPES = ("CONSULT", "ASSAULT", "AID", "ACCUSE", "PROTEST", "THREATEN")
COUNTRIES = (("Russia", "RUS", 55.75, 37.62), ("Ukraine", "UKR", 50.45, 30.52), ("China", "CHN", 39.90, 116.40),
             ("France", "FRA", 48.86, 2.35), ("Japan", "JPN", 35.68, 139.69), ("Brazil", "BRA", -15.79, -47.88))


def stories(n: int = 40, seed: int = 7) -> list[list[dict]]:
    """``n`` stories, each a list of distinct happenings (type, actors, day, place)."""
    rnd = random.Random(seed)
    out, used = [], set()
    for s in range(n):
        events = []
        for _ in range(rnd.randint(1, 4)):
            while True:
                t = rnd.choice(TYPES)
                a, b = rnd.sample(COUNTRIES, 2)
                day = f"2023-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
                if (t, a, b, day[:7]) not in used:  # distinct happenings never share type, actors and month
                    used.add((t, a, b, day[:7]))
                    break
            events.append({"type": t, "src": a, "tgt": b, "day": day, "story": s})
        out.append(events)
    return out


def copies(story_list, n_copies: int = 3, seed: int = 1):
    """Each story reported by ``n_copies`` sources with small edits: wording, confidence, date precision, place."""
    rnd = random.Random(seed)
    anns = []
    for c in range(n_copies):
        for s, events in enumerate(story_list):
            doc = f"s{s}-src{c}"
            evs = []
            for k, h in enumerate(events):
                name, code, lat, lon = h["src"]
                tname, tcode, *_ = h["tgt"]
                date, prec, place = h["day"], "day", (f"{name} capital", lat, lon, code)
                edit = rnd.randrange(4)
                if edit == 1:
                    date, prec = h["day"][:7], "month"  # a vaguer report of the same date
                elif edit == 2:
                    place = None  # place unknown in this report
                elif edit == 3:
                    place = (f"near {name} capital", lat + 0.2, lon + 0.2, code)  # ~25 km off
                evs.append(make_event(
                    f"e-{doc}-{k}", doc, type=h["type"], src=(name, code, "GOV"), tgt=(tname, tcode, "GOV"),
                    date=date, precision=prec, place=place, confidence=round(rnd.uniform(0.5, 0.95), 2),
                    sentence=f"Report {c}: {name} and {tname} ({h['type'].lower()}) story {s}."))
            anns.append(make_annotation(doc, evs, source=f"source-{c}", published=f"2023-12-{1 + c:02d}"))
    return anns


def _groups(st: Store):
    df = st.events(limit=None)
    return sorted((r.type, r.source[0]["name"], r.target[0]["name"], int(r.reports)) for r in df.itertuples())


def test_three_sources_same_groups_as_one(tmp_path):
    single = copies(stories(), 1)
    triple = copies(stories(), 3)
    a = Store(f"sqlite:///{tmp_path / 'one.db'}")
    a.add(single)
    b = Store(f"sqlite:///{tmp_path / 'three.db'}")
    rnd = random.Random(3)
    rnd.shuffle(triple)
    for i in range(0, len(triple), 7):  # several batches, shuffled order
        b.add(triple[i:i + 7])
    sa, sb = a.summary(), b.summary()
    assert sb["events"] == 3 * sa["events"]
    assert sb["groups"] == sa["groups"] == sa["events"]
    groups = _groups(b)
    assert all(n == 3 for *_, n in groups)
    assert [g[:3] for g in groups] == [g[:3] for g in _groups(a)]
    assert all(len(s) == 3 for s in b.events(limit=None)["sources"])


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP)
def test_sqlite_and_postgresql_agree(tmp_path):
    anns = copies(stories(25, seed=11), 3, seed=5)
    lite = Store(f"sqlite:///{tmp_path / 'x.db'}")
    lite.add(anns[:30])
    lite.add(anns[30:])
    gen = _pg_database(PG_URL)
    url = next(gen)
    try:
        pg = Store(url)
        for i in range(0, len(anns), 10):
            pg.add(anns[i:i + 10][::-1])
        assert pg.add(anns) == (0, 0)
        assert pg.summary() == lite.summary()
        cols = ["id", "group_id", "reports", "mentions", "first_report", "last_report"]
        assert (pg.events(limit=None, sort="id")[cols].values.tolist()
                == lite.events(limit=None, sort="id")[cols].values.tolist())
        for kw in ({"country": "RUS"}, {"type": "AID", "since": "2023-06"}, {"near": (55.7, 37.6, 60)},
                   {"text": "story"}, {"actor": "france", "groups": False}):
            assert sorted(pg.events(limit=None, **kw)["id"]) == sorted(lite.events(limit=None, **kw)["id"]), kw
        gone = [a.doc.id for a in anns[::4]]
        assert pg.delete_documents(gone) == lite.delete_documents(gone)
        assert pg.summary() == lite.summary()
        assert (pg.events(limit=None, sort="id")[cols].values.tolist()
                == lite.events(limit=None, sort="id")[cols].values.tolist())
        pg.close()
    finally:
        gen.close()


def test_deleting_a_source_leaves_the_groups_of_the_others(tmp_path):
    """Removing every story of one source gives the store the other two sources would have built alone."""
    triple = copies(stories(20, seed=3), 3)
    full = Store(f"sqlite:///{tmp_path / 'full.db'}")
    full.add(triple)
    gone = [a.doc.id for a in triple if a.doc.source == "source-1"]
    n_events = sum(len(a.events) for a in triple if a.doc.source == "source-1")
    assert full.delete_documents([*gone, "no-such-document"]) == (len(gone), n_events)
    two = Store(f"sqlite:///{tmp_path / 'two.db'}")
    two.add([a for a in triple if a.doc.source != "source-1"])
    assert full.summary() == two.summary()
    assert _groups(full) == _groups(two)
    assert all(n == 2 for *_, n in _groups(full))
    assert not any(d.endswith("-src1") for d in full.events(limit=None, groups=False)["doc_id"])


def test_removing_the_bridge_splits_a_group(tmp_path):
    """A near B near C (each under 50 km) are one happening; without B, A and C (70 km apart) are two."""
    st = Store(f"sqlite:///{tmp_path / 'x.db'}")
    places = {"a": 51.88, "b": 52.19, "c": 52.51}  # ~35 km steps north
    st.add([make_annotation(k, [make_event(f"e-{k}", k, place=(k, lat, 128.33, "RUS"))]) for k, lat in places.items()])
    assert st.summary()["groups"] == 1
    before = st.data_version()
    st.delete_documents(["b"])
    assert st.data_version() != before  # the web's cached answers are stale now
    df = st.events(limit=None)
    assert sorted(df["reports"]) == [1, 1] and df["group_id"].nunique() == 2


def test_a_changed_story_replaces_its_stored_version(tmp_path):
    """The same id with a new text (a corrected story) replaces the old one and its events; unchanged, it is skipped."""
    st = Store(f"sqlite:///{tmp_path / 'x.db'}")
    first = make_annotation("story", [make_event("e-old", "story", sentence="Kim Jong Un met Vladimir Putin.")])
    other = make_annotation("other", [make_event("e-other", "other", sentence="Kim Jong Un met Vladimir Putin.")])
    assert st.add([first, other]) == (2, 2)
    assert st.events(limit=None)["reports"].tolist() == [2]  # one happening, two reports
    assert st.add([first]) == (0, 0)
    fixed = make_annotation("story", [make_event("e-new", "story", type="ASSAULT",
                                                 sentence="Kim Jong Un attacked Vladimir Putin.")])
    assert st.changed_documents([fixed.doc]) == {"story"}
    assert st.add([fixed]) == (1, 1)
    df = st.events(limit=None, sort="id")
    assert df["id"].tolist() == ["e-new", "e-other"] and df["reports"].tolist() == [1, 1]
    assert st.summary()["documents"] == 2
    assert st.document_text("story") == fixed.doc.text
