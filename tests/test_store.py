"""Store: schema, transactional idempotent ingest, dedup groups, queries — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import make_annotation, make_event

from dateline.export import flat_frame
from dateline.store import SCHEMA_VERSION, Store, StoreError


def _corpus():
    """Two documents reporting the same meeting, plus an unrelated assault and a negated meeting."""
    a1 = make_annotation("doc-a", [
        make_event("e-a1", "doc-a"),
        make_event("e-a2", "doc-a", type="ASSAULT", src=("Russian military", "RUS", "MIL"), tgt=("Ukraine", "UKR", "GOV"),
                   place=("Kharkiv", 49.99, 36.23, "UKR"), sentence="Russian forces shelled Kharkiv.", goldstein=-10,
                   cameo="190"),
    ], source="AFP")
    a2 = make_annotation("doc-b", [
        make_event("e-b1", "doc-b", date="2023-09", precision="month", place=None, confidence=0.7,
                   sentence="The two leaders held talks at the spaceport."),
        make_event("e-b2", "doc-b", status="negated", sentence="Kim did not meet Putin in Moscow."),
    ], source="Xinhua", published="2023-09-14")
    return [a1, a2]


def test_schema_created_with_version(store_url):
    st = Store(store_url)
    assert st.version == SCHEMA_VERSION
    assert st.summary() == {"documents": 0, "events": 0, "groups": 0, "by_type": {}, "top_pairs": []}
    st.close()
    assert Store(store_url).version == SCHEMA_VERSION  # reopening keeps the schema


def test_add_is_idempotent_and_groups(store_url):
    st = Store(store_url)
    assert st.add(_corpus()) == (2, 4)
    assert st.add(_corpus()) == (0, 0)  # re-ingest stores nothing twice
    assert st.known_documents(["doc-a", "doc-x", "doc-b"]) == {"doc-a", "doc-b"}
    s = st.summary()
    assert (s["documents"], s["events"], s["groups"]) == (2, 4, 3)
    assert s["by_type"] == {"CONSULT": 3, "ASSAULT": 1}
    assert s["top_pairs"][0] == ("Kim Jong Un", "Vladimir Putin", 2)  # asserted + negated meeting groups
    df = st.events(type="consult", status="asserted")
    assert len(df) == 1
    row = df.iloc[0]
    assert (row["group_id"], row["reports"], row["mentions"]) == ("e-a1", 2, 2)
    assert row["sources"] == ["AFP", "Xinhua"]
    assert (row["first_report"], row["last_report"]) == ("2023-09-13", "2023-09-14")
    assert row["id"] == "e-a1"  # representative: highest confidence
    assert row["source"][0]["name"] == "Kim Jong Un" and row["target"][0]["country"] == "RUS"
    assert row["location"]["name"] == "Vostochny Cosmodrome"
    assert row["trigger"] == {"text": "met", "start": 16, "end": 19} and row["context"] == ["diplomatic"]
    assert len(st.events(groups=False)) == 4
    flat = flat_frame(st.events(type="consult", status="asserted"))  # the CSV's columns, one value a cell
    assert flat.iloc[0]["source_name"] == "Kim Jong Un" and flat.iloc[0]["target_country"] == "RUS"
    assert flat.iloc[0]["location_name"] == "Vostochny Cosmodrome" and flat.iloc[0]["sources"] == "AFP; Xinhua"
    assert "source" not in flat.columns and flat.attrs["total"] == 1
    st.close()


def test_same_counts_whatever_the_batching_and_order(store_url, tmp_path):
    docs = _corpus()
    st = Store(store_url)
    for ann in reversed(docs):
        st.add([ann])
    ref = Store(f"sqlite:///{tmp_path / 'ref.db'}")
    ref.add(docs)
    assert st.summary() == ref.summary()
    cols = ["id", "group_id", "reports"]
    assert st.events().sort_values("id")[cols].values.tolist() == ref.events().sort_values("id")[cols].values.tolist()


def test_failed_batch_commits_nothing(store_url, monkeypatch):
    st = Store(store_url)
    st.add(_corpus()[:1])

    def boom(*_a, **_k):  # fails after documents, events and actors were inserted
        raise RuntimeError("crash in the middle of a batch")

    monkeypatch.setattr(Store, "_regroup", boom)
    with pytest.raises(RuntimeError):
        st.add(_corpus()[1:])
    monkeypatch.undo()
    s = st.summary()
    assert (s["documents"], s["events"], s["groups"]) == (1, 2, 2)
    assert st.add(_corpus()) == (1, 2)
    assert st.summary()["groups"] == 3


def test_event_with_provenance(store_url):
    st = Store(store_url)
    st.add(_corpus())
    rec = st.event("e-b1")
    assert rec["id"] == "e-b1" and rec["group_id"] == "e-a1" and rec["reports"] == 2
    assert [p["doc_id"] for p in rec["provenance"]] == ["doc-a", "doc-b"]
    assert rec["provenance"][1]["doc_source"] == "Xinhua"
    assert st.event("e-a1")["id"] == "e-a1"
    assert st.event("nope") is None


def test_argument_phrase_round_trips(store_url):
    st = Store(store_url)
    ev = make_event("e-p1", "doc-p", tgt=("Germany", "DEU", None))
    ev.target[0]["phrase"] = "Germany's largest bank"
    st.add([make_annotation("doc-p", [ev])])
    rec = st.event("e-p1")
    assert rec["target"][0]["phrase"] == "Germany's largest bank" and rec["target"][0]["text"] == "Germany"
    assert "phrase" not in rec["source"][0]  # no phrase larger than the mention: the key is absent


def test_filters(store_url):
    st = Store(store_url)
    st.add(_corpus())
    ids = lambda **kw: sorted(st.events(groups=False, **kw)["id"])  # noqa: E731
    assert ids(actor="vladimir putin") == ["e-a1", "e-b1", "e-b2"]
    assert ids(actor="a-ukraine") == ["e-a2"]
    assert ids(actor="*russian*") == ["e-a2"]
    assert ids(actor="Putin") == ["e-a1", "e-b1", "e-b2"]  # one word of the name
    assert ids(actor="russian") == ["e-a2"] and ids(actor="putin vladimir") == []
    assert ids(country="UKR") == ["e-a2"]
    assert ids(sector="mil") == ["e-a2"]
    assert ids(country="UKR", sector="mil") == ["e-a2"]  # any actor of each (sector tested per event)
    assert ids(actor="putin", sector="mil") == [] and ids(country="RUS", sector="MIL") == ["e-a2"]
    assert ids(status="negated") == ["e-b2"]
    assert ids(since="2023-09-14") == ["e-b1"]  # month precision overlaps
    assert ids(until="2023-09-12") == ["e-b1"]
    assert ids(since="2023", until="2023-09") == ["e-a1", "e-a2", "e-b1", "e-b2"]
    assert ids(near=(51.9, 128.3, 50)) == ["e-a1", "e-b2"]
    assert ids(near=(50.0, 36.0, 10)) == []
    assert ids(near=(50.0, 36.0, 30)) == ["e-a2"]
    assert ids(text="shelled") == ["e-a2"]
    assert ids(text="leaders talks") == ["e-b1"]
    assert ids(text='spaceport" OR "x') == []  # user text is never query syntax
    assert list(st.events(groups=False, sort="goldstein")["id"])[0] == "e-a2"
    assert list(st.events(groups=False, sort="date", descending=True, limit=1)["id"]) == ["e-b2"]
    assert list(st.events(groups=False, sort="date", limit=1)["id"]) == ["e-b1"]  # 2023-09 starts first
    assert len(st.events(groups=False, limit=2, offset=3)) == 1
    # groups: text matches any report of the group
    assert list(st.events(text="leaders")["group_id"]) == ["e-a1"]


@pytest.mark.parametrize("kw,option", [
    ({"type": "PARTY"}, "type"), ({"status": "maybe"}, "status"), ({"since": "13/09/2023"}, "since"),
    ({"until": "2023-13"}, "until"), ({"near": (100, 0, 5)}, "near"), ({"near": "x"}, "near"),
    ({"sort": "sentence; drop table events"}, "sort"), ({"country": "R'US"}, "country"), ({"limit": -1}, "limit"),
    ({"text": "  "}, "text"),
])
def test_bad_filters_name_the_option(tmp_path, kw, option):
    st = Store(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(StoreError, match=f"^{option}:"):
        st.events(**kw)


def test_event_id_clash_across_documents_is_kept(store_url):
    st = Store(store_url)
    st.add([make_annotation("d1", [make_event("e-same", "d1")])])
    st.add([make_annotation("d2", [make_event("e-same", "d2", type="AID")])])
    df = st.events(groups=False)
    assert len(df) == 2 and df["id"].nunique() == 2


def test_upgrade_from_version_1(tmp_path):
    from dateline import store as store_mod

    url = f"sqlite:///{tmp_path / 'old.db'}"
    eng = store_mod.make_engine(url)
    with eng.begin() as conn:
        store_mod.create_schema_v1(conn)
    eng.dispose()
    st = Store(url)
    assert st.version == 1
    with pytest.raises(StoreError, match="db upgrade"):
        st.events()
    # an older database holding data: insert through a v1-compatible path
    st.version = SCHEMA_VERSION
    st.add(_corpus())
    st.version = 1
    with eng.begin() as conn:
        conn.execute(sa.text("UPDATE meta SET value='1'"))
    with eng.begin() as conn:  # a version-2 sort index, re-keyed by the upgrade to version 3
        conn.execute(sa.text("CREATE INDEX ix_events_date ON events (date_start, is_rep)"))
        conn.execute(sa.text("ALTER TABLE event_actors DROP COLUMN phrase"))  # added by the upgrade to version 4
    assert st.upgrade() == SCHEMA_VERSION
    assert "phrase" in {c["name"] for c in sa.inspect(st.engine).get_columns("event_actors")}
    names = {ix["name"] for ix in sa.inspect(st.engine).get_indexes("events")}
    assert "ix_events_sort_date" in names and "ix_events_date" not in names
    assert sorted(st.events(groups=False, text="shelled")["id"]) == ["e-a2"]
    assert Store(url).version == SCHEMA_VERSION


def test_frequent_text_probe_gives_the_same_events(tmp_path, monkeypatch):
    """A common word is tested row by row in sort order (SQLite); results equal the expanded-hits plan."""
    import dateline.store.select as store_mod
    st = Store(f"sqlite:///{tmp_path / 'f.db'}")
    st.add(_corpus())
    queries = [dict(text="leaders"), dict(text="shelled", groups=False), dict(text="leaders talks", groups=False),
               dict(text="the", sort="date", descending=True), dict(text="the", type="CONSULT", groups=False),
               dict(text="nowhere")]
    expanded = [list(st.events(**q)["id"]) for q in queries]
    assert not store_mod._frequent_text(st, '"leaders"')
    monkeypatch.setattr(store_mod, "FREQUENT_TEXT_MIN_EVENTS", 0)
    monkeypatch.setattr(store_mod, "FREQUENT_TEXT", 0.0)
    assert store_mod._frequent_text(st, '"leaders"')
    assert [list(st.events(**q)["id"]) for q in queries] == expanded
    assert expanded[0] == ["e-a1"] and expanded[1] == ["e-a2"] and expanded[-1] == []


def test_an_unresolved_pronoun_side_is_no_actor_of_the_aggregates(tmp_path):
    """A record whose source is an unresolved "they" is stored with its words, but names no node or partner."""
    st = Store(f"sqlite:///{tmp_path / 'x.db'}")
    ev = make_event("e-they", "d1", type="ASSAULT", tgt=("Ukraine", "UKR", "GOV"), sentence="They attacked Ukraine.")
    ev.source = [{"text": "They", "start": 0, "end": 4, "name": None, "country": None, "sector": None, "id": None}]
    st.add([make_annotation("d1", [ev])])
    assert st.events(limit=None)["source"][0][0]["text"] == "They"
    assert {a["name"] for a in st.actors()} == {"Ukraine"}
    assert st.events(limit=None, actor="they").empty
    assert all(n["label"].casefold() != "they" for n in st.network()["nodes"])
