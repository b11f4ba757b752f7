"""Hardening (issue 22 item 2): the response cache key cannot be poisoned by escaped separators; byte budget."""

from starlette.requests import Request

from dateline.web.cache import ResponseCache


def _req(qs: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/api/events", "query_string": qs.encode(), "headers": []})


def test_escaped_separators_do_not_collide():
    assert ResponseCache.key(_req("actor=Putin%26country%3DRUS")) != ResponseCache.key(_req("actor=Putin&country=RUS"))
    assert ResponseCache.key(_req("b=2&a=1")) == ResponseCache.key(_req("a=1&b=2"))


class _FakeStore:
    def data_version(self) -> int:
        return 1


def test_byte_budget_evicts_lru():
    from fastapi.responses import Response

    cache = ResponseCache(_FakeStore(), size=100, max_bytes=250)  # type: ignore[arg-type]
    for i in range(5):
        cache.get_or_make(_req(f"limit=1000&_={i}"), lambda: Response(b"x" * 100))
    assert cache.bytes <= 250 and len(cache.entries) == 2
