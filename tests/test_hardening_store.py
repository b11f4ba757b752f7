"""Hardening (issue 22 item 2): the API's response cache cannot be poisoned, unknown parameters are refused, the
cache has a byte budget, and a posted document over the text budget is a 413."""

import pytest
from fastapi.responses import Response
from fastapi.testclient import TestClient
from test_web_api import KEY, _fill

from dateline.read import MAX_TEXT
from dateline.web.app import create_app
from dateline.web.cache import ResponseCache


@pytest.fixture
def client(tmp_path):
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    _fill(url)
    with TestClient(create_app(url, api_key=KEY, ingest=lambda docs, store, **kw: (0, 0))) as c:
        yield c


def test_an_escaped_separator_cannot_poison_the_two_parameter_answer(client):
    # the reproduction: one parameter whose value holds "&" and "=" is asked first and answers nothing ...
    one = client.get("/api/events?actor=Putin%26country%3DRUS")
    assert one.status_code == 200 and one.json()["events"] == []
    # ... then the two-parameter question must still get its own (non-empty) answer, not the cached empty one
    two = client.get("/api/events?actor=Putin&country=RUS")
    assert two.status_code == 200, two.text
    assert two.headers["X-Cache"] == "miss"
    assert {e["id"] for e in two.json()["events"]} >= {"e1"}


def test_two_spellings_of_one_question_share_an_entry(client):
    assert client.get("/api/events?type=CONSULT&country=RUS").headers["X-Cache"] == "miss"
    again = client.get("/api/events?country=rus&type=consult")  # other order and case: the same validated query
    assert again.status_code == 200 and again.headers["X-Cache"] == "hit"


@pytest.mark.parametrize("path", ["/api/events", "/api/stats", "/api/network", "/api/places", "/api/actors",
                                  "/api/events/e1", "/api/health"])
def test_unknown_parameters_are_422_naming_them(client, path):
    r = client.get(path, params={"_": "1", "limit": "10"} if path in ("/api/events", "/api/actors") else {"_": "1"})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert [d["loc"] for d in detail] == [["query", "_"]]
    assert "unknown parameter" in detail[0]["msg"]


def test_cache_bust_parameters_do_not_grow_the_cache(client):
    cache = client.app.state.cache
    before = len(cache.entries)
    for i in range(50):
        assert client.get(f"/api/events?limit=1000&_={i}").status_code == 422
    assert len(cache.entries) == before


class _FakeStore:
    def data_version(self) -> int:
        return 1


def test_byte_budget_evicts_lru():
    cache = ResponseCache(_FakeStore(), size=100, max_bytes=250)  # type: ignore[arg-type]
    for i in range(5):
        cache.get_or_make(("events", i), lambda: Response(b"x" * 100))
    assert cache.bytes <= 250 and len(cache.entries) == 2
    assert list(cache.entries) == [ResponseCache.key(("events", 3)), ResponseCache.key(("events", 4))]


def test_a_document_over_the_text_budget_is_413_naming_it(client):
    docs = [{"id": "ok", "published": "2024-05-01", "text": "Putin met Xi."},
            {"id": "big", "published": "2024-05-01", "text": "Kim met Putin and " * (MAX_TEXT // 10)}]
    r = client.post("/api/documents", json=docs, headers={"Authorization": f"Bearer {KEY}"})
    assert r.status_code == 413, r.text
    assert "documents[1]" in r.json()["detail"] and str(MAX_TEXT) in r.json()["detail"]
