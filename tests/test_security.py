"""Hostile input against the query paths and the HTTP API.

- No SQL is built by string formatting: a scan of the package's source for SQL text made from f-strings, ``%`` or
  ``.format``, and hostile filter, sort and search values through ``Store.events``, ``dateline events`` and the API,
  after which every table is intact and nothing matched by accident.
- The API refuses writes without the key, caps request size, serves no file outside its static folder, and the page
  inserts article text as text (no ``innerHTML``), under a Content-Security-Policy.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import make_annotation, make_event

from dateline.cli import main
from dateline.store import Store, StoreError

SRC = Path(__file__).resolve().parents[1] / "src" / "dateline"
HOSTILE = [
    "x' OR '1'='1", "x\" OR \"1\"=\"1", "'; DROP TABLE events; --", "1; DELETE FROM documents", "%", "_", "*",
    "\\", "' UNION SELECT id, text FROM documents --", "Putin' --", "\x00", "NEAR(a b)", "a OR b", "\"unbalanced",
    "sentence:met", "^met", "met*", "-met", "(((", "Kim\u202eJong", "a" * 10_000, "$(rm -rf /)", "{0}{1}%s%d",
    "events_fts MATCH 'x'", "1e308", "NaN", "../../../etc/passwd",
]
SQL_SINKS = {"text", "exec_driver_sql", "execute", "executemany", "literal_column", "executescript"}


# ---- no SQL from string formatting -------------------------------------------------------------------------------

def _formatted(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return isinstance(node.left, ast.Constant | ast.JoinedStr) and isinstance(node.left, ast.JoinedStr) or (
            isinstance(node.left, ast.Constant) and isinstance(node.left.value, str))
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def test_no_sql_text_built_by_string_formatting():
    """Every argument of sa.text / exec_driver_sql / execute / literal_column in the package is a constant or a
    variable holding one: no f-string, ``%`` or ``.format`` reaches the database."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in SQL_SINKS and _formatted(node.args[0]):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not offenders, "\n".join(offenders)


# ---- hostile values through the Store API and the command line ---------------------------------------------------

@pytest.fixture
def filled(store_url):
    st = Store(store_url)
    anns = [make_annotation(f"doc{i}", [make_event(f"e{i}", f"doc{i}", sentence=s)])
            for i, s in enumerate(["Kim Jong Un met Vladimir Putin.", "Putin's men said 'no' at 100% effort.",
                                   "He met the press; DROP stayed."])]
    st.add(anns)
    before = st.summary()
    yield st, before
    st.close()


def _intact(st: Store, before: dict) -> None:
    assert st.summary() == before
    assert len(st.events(groups=False, limit=None)) == before["events"]


@pytest.mark.parametrize("field", ["actor", "mode", "text", "country", "sector", "type", "status", "since", "until"])
def test_hostile_filter_values_store_api(filled, field):
    st, before = filled
    for value in HOSTILE:
        try:
            frame = st.events(**{field: value}, groups=field != "mode")
        except StoreError:
            continue
        if field == "actor" and value in ("%", "_", "*"):
            continue  # "*" is the documented wildcard; % and _ are escaped literals
        named = any(w in value.lower() for w in ("putin", "kim", "jong"))  # one-word actor match, by design
        assert len(frame) == 0 or field == "text" or named, (field, value, len(frame))
    _intact(st, before)


def test_nul_in_text_search(tmp_path):
    st = Store(f"sqlite:///{tmp_path / 'n.db'}")
    st.add([make_annotation("doc1", [make_event("e1", "doc1")])])
    try:
        frame = st.events(text="met\x00")  # the NUL is a word break: the search is for "met"
        assert len(frame) <= 1
    except StoreError as exc:
        assert "text" in str(exc)
    finally:
        st.close()


def test_hostile_actor_wildcards_are_literal(filled):
    st, before = filled
    assert len(st.events(actor="%")) == 0 and len(st.events(actor="_")) == 0
    assert len(st.events(actor="*")) == before["groups"]


@pytest.mark.parametrize("value", ["date; DROP TABLE events", "id desc", "date --", "(select 1)", "1", "", "-",
                                   "reports,id", "DATE"])
def test_hostile_sort_keys(filled, value):
    st, before = filled
    try:
        st.events(sort=value)
    except StoreError:
        pass
    _intact(st, before)


def test_hostile_limits(filled):
    st, before = filled
    for kw in ({"limit": -1}, {"offset": -5}, {"near": ("1", "x", "3")}, {"near": (91, 0, 1)}, {"near": (0, 0, -1)}):
        with pytest.raises(StoreError):
            st.events(**kw)
    _intact(st, before)


def test_hostile_values_through_the_cli(filled, capsys):
    st, before = filled
    url = st.url
    options = ["--actor", "--text", "--mode", "--country", "--sector", "--type", "--status", "--since", "--until",
               "--near", "--sort", "--limit", "--offset"]
    for option in options:
        for value in HOSTILE[:12]:
            try:
                code = main(["events", "--db", url, option, value, "--format", "jsonl"])
            except SystemExit as exc:  # argparse refused the value: exit 2 with a usage line
                code = exc.code
            out, err = capsys.readouterr()
            assert code in (0, 2), (option, value, err)
            assert "Traceback" not in err
            if code == 0 and option in ("--actor", "--country", "--sector"):
                named = any(w in value.lower() for w in ("putin", "kim", "jong"))
                assert out.strip() == "" or value in ("%", "_", "*") or named, (option, value, out[:200])
    _intact(st, before)


# ---- the web API ---------------------------------------------------------------------------------------------------

def _app(db_url: str, **kw):
    try:
        from fastapi.testclient import TestClient

        from dateline.web.app import create_app
    except ImportError as exc:
        pytest.skip(f"web API not available: {exc}")
    calls: list[int] = []

    def fake_ingest(docs, store, **_kw):
        calls.append(len(docs))
        return len(docs), 0

    return TestClient(create_app(db_url, ingest=fake_ingest, **kw)), calls


DOC = {"id": "w1", "published": "2024-01-02", "text": "Russia imposed sanctions on Britain."}


@pytest.mark.parametrize("key", [None, "s3cret"])
def test_api_refuses_writes_without_the_key(tmp_path, key):
    client, calls = _app(f"sqlite:///{tmp_path / 'w.db'}", api_key=key or "")
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"},
                    {"Authorization": "Bearer "}, {"Authorization": "Basic czNjcmV0"}, {"X-API-Key": "s3cret"}):
        r = client.post("/api/documents", json=DOC, headers=headers)
        assert r.status_code in (401, 403), (headers, r.status_code)
    assert calls == []
    if key:
        r = client.post("/api/documents", json=DOC, headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200 and calls == [1]


def test_api_caps_request_size(tmp_path):
    from dateline.web import app as web_app

    client, calls = _app(f"sqlite:///{tmp_path / 'w.db'}", api_key="k")
    auth = {"Authorization": "Bearer k"}
    big = json.dumps({**DOC, "text": "a " * (web_app.MAX_BODY // 2 + 10)})
    r = client.post("/api/documents", content=big, headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 413
    r = client.post("/api/documents", content=iter([big[i:i + 65536].encode() for i in range(0, len(big), 65536)]),
                    headers={**auth, "Content-Type": "application/json"})  # chunked: no Content-Length
    assert r.status_code == 413
    many = [{"id": f"d{i}", "text": "x"} for i in range(web_app.MAX_DOCS + 1)]
    r = client.post("/api/documents", json=many, headers=auth)
    assert r.status_code in (413, 422)
    assert calls == []


@pytest.mark.parametrize("body", [b"", b"{", b"[[[[" * 10000, b"\xff\xfe\x00", b'{"text": 5}', b"null", b"[]",
                                  b'{"documents": "x"}', b'{"text": "\\ud800 ok", "id": "' + b"x" * 300 + b'"}'])
def test_api_bad_bodies_are_4xx(tmp_path, body):
    client, calls = _app(f"sqlite:///{tmp_path / 'w.db'}", api_key="k")
    r = client.post("/api/documents", content=body,
                    headers={"Authorization": "Bearer k", "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500, (body[:40], r.status_code, r.text[:200])
    assert calls == []


def test_api_hostile_query_values_are_never_500(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    st = Store(url)
    st.add([make_annotation("doc1", [make_event("e1", "doc1")])])
    before = st.summary()
    client, _ = _app(url)
    params = ["actor", "text", "mode", "country", "sector", "type", "status", "since", "until", "near", "sort",
              "limit", "offset", "format", "q"]
    for path in ("/api/events", "/api/stats", "/api/network", "/api/places", "/api/actors"):
        for name in params:
            for value in HOSTILE[:14]:
                r = client.get(path, params={name: value})
                assert r.status_code < 500, (path, name, value, r.status_code, r.text[:200])
    for value in ("x' OR '1'='1", "..%2F..%2Fetc%2Fpasswd", "%00", "a" * 300):
        assert client.get(f"/api/events/{value}").status_code in (404, 422)
        assert client.get(f"/api/actors/{value}").status_code in (404, 422)
    assert st.summary() == before
    st.close()


def test_api_serves_no_file_outside_static(tmp_path):
    client, _ = _app(f"sqlite:///{tmp_path / 'r.db'}")
    for path in ("/static/../../../../etc/passwd", "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
                 "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static//etc/passwd", "/..%2f..%2fetc/passwd",
                 "/static/../app.py", "/static/%2e%2e/app.py"):
        r = client.get(path)
        assert r.status_code in (400, 404, 405), (path, r.status_code)
        assert "root:" not in r.text and "create_app" not in r.text


def test_page_inserts_article_text_as_text(tmp_path):
    static = SRC / "web" / "static"
    if not static.exists():
        pytest.skip("no web page yet (src/dateline/web/static)")
    for js in ("app.js", "docs.js"):
        p = static / js
        if p.exists():
            code = p.read_text(encoding="utf-8")
            for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
                assert sink not in code, f"{js} uses {sink}"
    client, _ = _app(f"sqlite:///{tmp_path / 'r.db'}")
    r = client.get("/")
    csp = r.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
