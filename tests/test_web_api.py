"""The HTTP API (FastAPI TestClient) over a store filled with hand-made annotations: every endpoint, bad parameters
(422 naming the field), keys (401/403), request caps."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import make_annotation, make_event
from fastapi.testclient import TestClient

from dateline.model import Document
from dateline.store import Store
from dateline.web.app import create_app

KEY = "s3cret-key"
E3_SENTENCE = "Russia met resistance when its troops met Ukraine's army and struck Ukraine."
E3_TRIGGER = E3_SENTENCE.index("met", 10)  # the second "met"


def _fill(url: str) -> None:
    anns = [
        make_annotation("d1", [make_event("e1", "d1", sentence="Kim Jong Un met Vladimir Putin at the spaceport.")],
                        source="Wire A"),
        # a second report of the same meeting (same group as e1)
        make_annotation("d2", [make_event("e2", "d2", sentence="Kim Jong Un met Vladimir Putin on Wednesday.")],
                        source="Wire B"),
        make_annotation("d3", [make_event("e3", "d3", type="ASSAULT", src=("Russia", "RUS", None),
                                          tgt=("Ukraine", "UKR", None), date="2023-09-20", goldstein=-10.0,
                                          cameo="190", sentence=E3_SENTENCE,
                                          place=("Kharkiv", 49.99, 36.23, "UKR"))], published="2023-09-20"),
        make_annotation("d4", [make_event("e4", "d4", type="ACCUSE", src=("Ukraine", "UKR", None),
                                          tgt=("Russia", "RUS", None), date="2023-09-21", goldstein=-2.0,
                                          status="negated", sentence="Ukraine did not accuse Russia.", place=None)],
                        published="2023-09-21"),
    ]
    # quad classes as the coder would give them
    anns[2].events[0].quad_class = 4
    anns[3].events[0].quad_class = 3
    anns[2].events[0].trigger = {"text": "met", "start": E3_TRIGGER, "end": E3_TRIGGER + 3}
    anns[3].events[0].trigger = {"text": "accuse", "start": 17, "end": 23}
    with Store(url) as store:
        store.add(anns)


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    _fill(url)
    return url


class FakeIngest:
    """Stands in for run_ingest: records what it was given."""

    def __init__(self):
        self.calls: list[tuple[list[Document], str]] = []

    def __call__(self, docs, store, *, profile="accurate", **_kw):
        docs = list(docs)
        self.calls.append((docs, profile))
        known = store.known_documents([d.id for d in docs])
        return len([d for d in docs if d.id not in known]), 0


@pytest.fixture
def fake() -> FakeIngest:
    return FakeIngest()


@pytest.fixture
def client(db, fake) -> TestClient:
    with TestClient(create_app(db, api_key=KEY, read_key="", ingest=fake, profile="fast")) as c:
        yield c


def _ids(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [e["id"] for e in resp.json()["events"]]


# ---- events --------------------------------------------------------------------------------------------------------

def test_events_groups_and_mentions(client):
    assert sorted(_ids(client.get("/api/events"))) == ["e1", "e3", "e4"]  # e1 and e2: one happening
    assert sorted(_ids(client.get("/api/events", params={"mentions": "true"}))) == ["e1", "e2", "e3", "e4"]
    rec = next(e for e in client.get("/api/events").json()["events"] if e["id"] == "e1")
    assert rec["reports"] == 2 and rec["sources"] == ["Wire A", "Wire B"]
    assert rec["source"][0]["name"] == "Kim Jong Un" and rec["location"]["name"] == "Vostochny Cosmodrome"
    assert rec["quad_class"] == 1 and isinstance(rec["quad_class"], int)


@pytest.mark.parametrize("params, expected", [
    ({"actor": "Putin"}, ["e1"]),
    ({"actor": "a-ukraine"}, ["e3", "e4"]),
    ({"actor": "vladimir*"}, ["e1"]),
    ({"country": "ukr"}, ["e3", "e4"]),
    ({"sector": "GOV"}, ["e1"]),
    ({"type": "assault"}, ["e3"]),
    ({"status": "negated"}, ["e4"]),
    ({"since": "2023-09-20"}, ["e3", "e4"]),
    ({"until": "2023-09"}, ["e1", "e3", "e4"]),
    ({"since": "2023-09-14", "until": "2023-09-20"}, ["e3"]),
    ({"near": "50,36,100"}, ["e3"]),
    ({"text": "troops struck"}, ["e3"]),
    ({"text": "wednesday"}, ["e1"]),  # matches the group through its other report
    ({"mode": "third-party", "type": "CONSULT"}, ["e1"]),
    ({"min_confidence": "0.95"}, []),
    ({"min_confidence": "0.9"}, ["e1", "e3", "e4"]),
    ({"date_source": "sentence"}, []),  # hand-made records carry no date_source
])
def test_event_filters(client, params, expected):
    assert sorted(_ids(client.get("/api/events", params=params))) == expected


def test_events_sort_and_paging(client):
    assert _ids(client.get("/api/events", params={"sort": "date"})) == ["e1", "e3", "e4"]
    assert _ids(client.get("/api/events", params={"sort": "-date"})) == ["e4", "e3", "e1"]
    assert _ids(client.get("/api/events", params={"sort": "goldstein"})) == ["e3", "e4", "e1"]
    page1 = client.get("/api/events", params={"sort": "date", "limit": 2}).json()
    assert [e["id"] for e in page1["events"]] == ["e1", "e3"] and page1["next_offset"] == 2
    page2 = client.get("/api/events", params={"sort": "date", "limit": 2, "offset": 2}).json()
    assert [e["id"] for e in page2["events"]] == ["e4"] and page2["next_offset"] is None
    assert client.get("/api/events", params={"limit": 0}).json()["events"] == []


def test_events_csv(client):
    r = client.get("/api/events", params={"format": "csv", "sort": "date"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["id"] for row in rows] == ["e1", "e3", "e4"]
    assert rows[1]["source_name"] == "Russia" and rows[1]["target_country"] == "UKR"
    assert rows[1]["location_name"] == "Kharkiv" and float(rows[1]["goldstein"]) == -10.0


def test_event_detail_with_reports_and_highlights(client):
    r = client.get("/api/events/e1")
    assert r.status_code == 200
    rec = r.json()
    assert rec["reports"] == 2 and {p["id"] for p in rec["provenance"]} == {"e1", "e2"}
    assert {p["doc_source"] for p in rec["provenance"]} == {"Wire A", "Wire B"}
    spans = {s["role"]: rec["sentence"][s["start"]:s["end"]] for s in rec["highlights"]}
    assert spans == {"source": "Kim Jong Un", "trigger": "met", "target": "Vladimir Putin"}
    # the group id finds the group too; the other report's id gives the same happening
    assert client.get("/api/events/e2").json()["group_id"] == rec["group_id"]
    # document offsets decide which "met" is the trigger: the second one here
    e3 = client.get("/api/events/e3").json()
    trig = next(s for s in e3["highlights"] if s["role"] == "trigger")
    assert (trig["start"], trig["end"]) == (E3_TRIGGER, E3_TRIGGER + 3)


def test_incident_of_a_report(client):
    """Each report names its document's incident; the incident lists its documents (here each its own: the
    hand-made documents name no people, so nothing links them)."""
    rec = client.get("/api/events/e1").json()
    assert {p["incident_id"] for p in rec["provenance"]} == {"d1", "d2"} and rec["incident_id"] == "d1"
    inc = client.get("/api/incidents/d3").json()
    assert [d["id"] for d in inc["documents"]] == ["d3"] and inc["documents"][0]["events"] == 1
    assert inc["first_report"] == "2023-09-20" and inc["reports"] == 1
    assert client.get("/api/incidents/nope").status_code == 404


def test_event_detail_404(client):
    r = client.get("/api/events/nope")
    assert r.status_code == 404 and "nope" in r.json()["detail"]


# ---- aggregates ----------------------------------------------------------------------------------------------------

def test_stats(client):
    s = client.get("/api/stats").json()
    assert s["events"] == 3
    assert s["by_type"] == {"ACCUSE": 1, "ASSAULT": 1, "CONSULT": 1}
    assert s["by_quad_class"] == {"1": 1, "3": 1, "4": 1}
    assert s["by_status"] == {"asserted": 2, "negated": 1} and s["by_country"]["RUS"] == 3 and s["by_country"]["UKR"] == 2
    assert s["by_sector"] == {"GOV": 1}  # events with an actor of the sector, either side
    days = {d["day"]: d for d in s["by_day"]}
    assert days["2023-09-13"]["1"] == 1 and days["2023-09-20"]["4"] == 1 and days["2023-09-21"]["3"] == 1
    pairs = {(p["source"], p["target"]): p for p in s["by_country_pair"]}
    assert pairs[("RUS", "UKR")]["events"] == 1 and pairs[("RUS", "UKR")]["goldstein"] == -10.0
    assert set(pairs) == {("PRK", "RUS"), ("RUS", "UKR"), ("UKR", "RUS")}
    assert client.get("/api/stats", params={"country": "UKR"}).json()["events"] == 2
    assert client.get("/api/stats", params={"mentions": "true"}).json()["events"] == 4


def test_network(client):
    net = client.get("/api/network").json()
    assert {n["label"] for n in net["nodes"]} == {"Kim Jong Un", "Vladimir Putin", "Russia", "Ukraine"}
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert edges[("a-russia", "a-ukraine")]["goldstein"] == -10.0
    assert edges[("a-kim-jong-un", "a-vladimir-putin")]["events"] == 1
    assert {e["quad_class"] for e in client.get("/api/events", params={"quad_class": "4"}).json()["events"]} == {4}
    net = client.get("/api/network", params={"type": "ASSAULT"}).json()
    assert [(e["source"], e["target"]) for e in net["edges"]] == [("a-russia", "a-ukraine")]


def test_places(client):
    places = client.get("/api/places").json()["places"]
    assert {p["name"]: p["events"] for p in places} == {"Vostochny Cosmodrome": 1, "Kharkiv": 1}
    assert client.get("/api/places", params={"mentions": "true"}).json()["places"][0]["events"] == 2


def test_actors(client):
    actors = client.get("/api/actors").json()["actors"]
    by_id = {a["id"]: a for a in actors}
    assert by_id["a-russia"]["events"] == 2 and by_id["a-russia"]["as_source"] == 1
    assert by_id["a-russia"]["as_target"] == 1 and by_id["a-kim-jong-un"]["sector"] == "GOV"
    assert actors[0]["events"] >= actors[-1]["events"]
    assert [a["id"] for a in client.get("/api/actors", params={"q": "jong"}).json()["actors"]] == ["a-kim-jong-un"]
    assert [a["id"] for a in client.get("/api/actors", params={"country": "ukr"}).json()["actors"]] == ["a-ukraine"]
    assert len(client.get("/api/actors", params={"limit": 1}).json()["actors"]) == 1


def test_actor_detail(client):
    a = client.get("/api/actors/a-russia").json()
    assert a["name"] == "Russia" and a["events"] == 2 and a["by_type"] == {"ACCUSE": 1, "ASSAULT": 1}
    assert [d["day"] for d in a["by_day"]] == ["2023-09-20", "2023-09-21"]
    assert [(p["id"], p["events"]) for p in a["partners"]] == [("a-ukraine", 2)]
    assert a["partners"][0]["goldstein"] == -6.0
    assert client.get("/api/actors/nobody").status_code == 404


def test_meta_and_health(client):
    meta = client.get("/api/meta").json()
    assert "CONSULT" in meta["types"] and "negated" in meta["statuses"]
    h = client.get("/api/health").json()
    assert h["status"] == "ok" and h["documents"] == 4 and h["writes"] is True
    assert isinstance(h["data_version"], int) and h["data_version"] > 0  # the page polls it to show new events


# ---- bad parameters ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, params, field", [
    ("/api/events", {"limit": "-1"}, "limit"),
    ("/api/events", {"limit": "many"}, "limit"),
    ("/api/events", {"limit": "100000"}, "limit"),
    ("/api/events", {"offset": "-5"}, "offset"),
    ("/api/events", {"type": "HUG"}, "type"),
    ("/api/events", {"status": "maybe"}, "status"),
    ("/api/events", {"quad_class": "7"}, "quad_class"),
    ("/api/events", {"since": "yesterday"}, "since"),
    ("/api/events", {"until": "2023-13"}, "until"),
    ("/api/events", {"near": "51,128"}, "near"),
    ("/api/events", {"near": "91,0,10"}, "near"),
    ("/api/events", {"country": "R-U-S"}, "country"),
    ("/api/events", {"sector": "x"}, "sector"),
    ("/api/events", {"sort": "colour"}, "sort"),
    ("/api/events", {"sort": "reports", "mentions": "true"}, "sort"),
    ("/api/events", {"format": "xml"}, "format"),
    ("/api/events", {"mentions": "perhaps"}, "mentions"),
    ("/api/stats", {"type": "HUG"}, "type"),
    ("/api/network", {"edges": "0"}, "edges"),
    ("/api/places", {"since": "x"}, "since"),
    ("/api/actors", {"country": "??"}, "country"),
    ("/api/actors", {"limit": "0"}, "limit"),
    ("/api/events", {"min_confidence": "1.5"}, "min_confidence"),
    ("/api/events", {"min_confidence": "nan"}, "min_confidence"),
    ("/api/events", {"date_source": "guess"}, "date_source"),
])
def test_bad_parameters_are_422_naming_the_field(client, path, params, field):
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert any(d["loc"][:2] == ["query", field] for d in detail), detail
    assert all(d["msg"] for d in detail)


# ---- writes and keys -----------------------------------------------------------------------------------------------

DOC = {"id": "n1", "published": "2024-05-01", "title": "T", "text": "Putin met Xi in Beijing on Monday."}


def test_post_documents_ingests_through_the_pipeline_entry(client, fake):
    r = client.post("/api/documents", json=[DOC, {**DOC, "id": "d1"}], headers={"Authorization": f"Bearer {KEY}"})
    assert r.status_code == 200, r.text
    assert r.json() == {"received": 2, "documents_added": 1, "events_added": 0, "skipped": 1}
    docs, profile = fake.calls[0]
    assert profile == "fast" and [d.id for d in docs] == ["n1", "d1"]
    assert docs[0].published.isoformat() == "2024-05-01" and docs[0].text == DOC["text"]
    # one object, {"documents": [...]} and JSON Lines are accepted too
    auth = {"Authorization": f"Bearer {KEY}"}
    assert client.post("/api/documents", json=DOC, headers=auth).json()["received"] == 1
    assert client.post("/api/documents", json={"documents": [DOC, DOC]}, headers=auth).json()["received"] == 2
    body = "\n".join(json.dumps({**DOC, "id": f"j{i}"}) for i in range(3))
    r = client.post("/api/documents", content=body, headers={**auth, "Content-Type": "application/x-ndjson"})
    assert r.json()["received"] == 3


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {KEY}"}])
def test_post_documents_needs_the_key(client, fake, headers):
    r = client.post("/api/documents", json=DOC, headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert fake.calls == []


def test_writes_refused_without_a_configured_key(db, fake, monkeypatch):
    monkeypatch.delenv("DATELINE_API_KEY", raising=False)
    with TestClient(create_app(db, ingest=fake)) as c:
        for headers in ({}, {"Authorization": "Bearer anything"}):
            r = c.post("/api/documents", json=DOC, headers=headers)
            assert r.status_code == 403 and "DATELINE_API_KEY" in r.json()["detail"]
    assert fake.calls == []


def test_key_from_environment(db, fake, monkeypatch):
    monkeypatch.setenv("DATELINE_API_KEY", "from-env")
    with TestClient(create_app(db, ingest=fake)) as c:
        assert c.post("/api/documents", json=DOC, headers={"Authorization": "Bearer from-env"}).status_code == 200


@pytest.mark.parametrize("body, field", [
    ([DOC, {"id": "x", "published": "2024-05-01"}], ["body", "documents", 1]),
    ([{**DOC, "published": "someday"}], ["body", "documents", 0]),
    ([{**DOC, "text": "   "}], ["body", "documents", 0]),
    ([DOC, 7], ["body", "documents", 1]),
    ([], ["body", "documents"]),
])
def test_post_bad_documents_are_422(client, fake, body, field):
    r = client.post("/api/documents", json=body, headers={"Authorization": f"Bearer {KEY}"})
    assert r.status_code == 422, r.text
    d = r.json()["detail"][0]
    assert d["loc"] == field and d["msg"]
    assert fake.calls == []


def test_post_not_json_and_size_caps(client, fake, monkeypatch):
    auth = {"Authorization": f"Bearer {KEY}"}
    r = client.post("/api/documents", content=b"{not json", headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"][0]["msg"]
    monkeypatch.setattr("dateline.web.app.MAX_BODY", 1000)
    big = [{**DOC, "id": f"b{i}"} for i in range(40)]
    assert client.post("/api/documents", json=big, headers=auth).status_code == 413
    monkeypatch.setattr("dateline.web.app.MAX_DOCS", 2)
    r = client.post("/api/documents", json=big[:3], headers=auth)
    assert r.status_code == 422 and "at most 2" in r.json()["detail"][0]["msg"]
    assert fake.calls == []


def test_read_key(db, fake):
    with TestClient(create_app(db, api_key=KEY, read_key="reader", ingest=fake)) as c:
        assert c.get("/api/events").status_code == 401
        assert c.get("/api/events", headers={"Authorization": "Bearer nope"}).status_code == 401
        assert c.get("/api/events", headers={"Authorization": "Bearer reader"}).status_code == 200
        assert c.get("/api/stats", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        for path in ("/api/events/e1", "/api/actors", "/api/actors/a-russia", "/api/stats", "/api/network",
                     "/api/places", "/api/meta", "/api/health"):
            assert c.get(path).status_code == 401, path
        # the read key does not write
        assert c.post("/api/documents", json=DOC, headers={"Authorization": "Bearer reader"}).status_code == 401
        assert c.get("/").status_code == 200  # the page itself holds no data


def test_real_ingest_through_post(tmp_path):
    """POST /api/documents with the real pipeline (fast profile) stores the document and its events."""
    pytest.importorskip("dateline.pipeline", reason="pipeline not importable")
    url = f"sqlite:///{tmp_path / 'real.db'}"
    doc = {"id": "real-1", "published": "2023-09-13",
           "text": "Russian President Vladimir Putin met North Korean leader Kim Jong Un on Wednesday."}
    with TestClient(create_app(url, api_key=KEY, profile="fast")) as c:
        r = c.post("/api/documents", json=[doc], headers={"Authorization": f"Bearer {KEY}"})
        assert r.status_code == 200, r.text
        assert r.json()["documents_added"] == 1
        again = c.post("/api/documents", json=[doc], headers={"Authorization": f"Bearer {KEY}"}).json()
        assert again["documents_added"] == 0 and again["skipped"] == 1
        assert c.get("/api/health").json()["documents"] == 1
        events = c.get("/api/events", params={"mentions": "true"}).json()["events"]
        assert len(events) == r.json()["events_added"]


def test_cache_serves_repeats_and_sees_new_events(client, db):
    first = client.get("/api/events", params={"sort": "date"})
    again = client.get("/api/events", params={"sort": "date"})
    assert first.headers["x-cache"] == "miss" and again.headers["x-cache"] == "hit" and first.json() == again.json()
    assert client.get("/api/stats").json()["events"] == 3
    # another process (here: another Store) adds an event; the next request sees it
    with Store(db) as other:
        other.add([make_annotation("d9", [make_event("e9", "d9", type="AID", src=("Japan", "JPN", "GOV"),
                                                      date="2023-10-01", place=None)], published="2023-10-01")])
    fresh = client.get("/api/events", params={"sort": "date"})
    assert fresh.headers["x-cache"] == "miss" and _ids(fresh) == ["e1", "e3", "e4", "e9"]
    assert client.get("/api/stats").json()["events"] == 4


def test_cache_off(db, fake):
    with TestClient(create_app(db, cache_size=0, ingest=fake)) as c:
        assert "x-cache" not in c.get("/api/events").headers
        assert _ids(c.get("/api/events", params={"sort": "date"})) == ["e1", "e3", "e4"]


# ---- page, docs, headers -------------------------------------------------------------------------------------------

def test_page_docs_and_assets(client):
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/static/app.js"' in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for asset in ("/static/app.js", "/static/app.css", "/static/world-110m.json", "/static/swagger/swagger-ui.css",
                  "/static/swagger/swagger-ui-bundle.js"):
        assert client.get(asset).status_code == 200, asset
    assert len(client.get("/static/world-110m.json").json()["rings"]) > 100
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "http" not in docs.text.replace("http-equiv", "")  # nothing from a CDN
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/actors", "/api/actors/{actor_id}", "/api/stats",
            "/api/documents", "/api/network", "/api/places"} <= set(paths)
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"actor", "country", "type", "since", "until", "near", "text", "limit", "offset", "format"} <= params


@pytest.mark.parametrize("offset", ["9223372036854775808", "99999999999999999999999"])
def test_huge_offsets_and_limits_are_422(client, offset):
    for name in ("offset", "limit"):
        r = client.get("/api/events", params={name: offset})
        assert r.status_code == 422, (name, r.status_code, r.text)
        assert name in r.text
