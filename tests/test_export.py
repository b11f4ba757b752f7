"""Exports: every format from a small store."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyarrow.parquet as pq
import pytest
from conftest import make_annotation, make_event

from dateline import export
from dateline.store import Store


@pytest.fixture
def store(tmp_path):
    st = Store(f"sqlite:///{tmp_path / 'x.db'}")
    st.add([
        make_annotation("d1", [make_event("e1", "d1"),
                               make_event("e2", "d1", type="ASSAULT", src=("Russia", "RUS", "MIL"),
                                          tgt=("Ukraine", "UKR", "GOV"), place=None, goldstein=-10, cameo="1951",
                                          sentence="Russia\tshelled\nUkraine.")], source="AFP"),
        make_annotation("d2", [make_event("e3", "d2", confidence=0.5)], source="Xinhua"),
    ])
    yield st
    st.close()


def _text(store, fmt, **kw):
    buf = io.StringIO()
    n = export.write(fmt, (r for f in store.iter_events(**kw) for r in export.records(f)), buf)
    return n, buf.getvalue()


def test_jsonl_keeps_contract_shape(store):
    n, text = _text(store, "jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert n == 2 and len(rows) == 2
    meet = next(r for r in rows if r["type"] == "CONSULT")
    assert meet["reports"] == 2 and meet["sources"] == ["AFP", "Xinhua"] and meet["quad_class"] == 1
    assert meet["source"][0]["name"] == "Kim Jong Un" and meet["location"]["lat"] == 51.88
    assert set(meet) >= {"id", "doc_id", "sentence", "trigger", "date_precision", "status", "confidence"}
    _, text = _text(store, "jsonl", groups=False)
    assert len(text.splitlines()) == 3


def test_csv_and_tsv(store):
    _, text = _text(store, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["type"] for r in rows} == {"CONSULT", "ASSAULT"}
    _, text = _text(store, "gdelt")
    lines = text.splitlines()
    assert len(lines) == 2  # no header, as GDELT's files; tabs and newlines inside fields are flattened
    assert all(len(line.split("\t")) == 61 for line in lines)  # GDELT 2.0's 61 columns
    rows = list(csv.DictReader(io.StringIO(text), fieldnames=export.GDELT_FIELDS, delimiter="\t"))
    g = {r["EventRootCode"]: r for r in rows}
    assert g["19"]["EventCode"] == "1951" and g["19"]["EventBaseCode"] == "195"
    assert g["19"]["Actor1Code"] == "RUSMIL" and g["19"]["Actor1Name"] == "RUSSIA"
    assert g["04"]["NumArticles"] == "2" and g["04"]["NumSources"] == "2" and g["04"]["GLOBALEVENTID"].isdigit()
    assert g["04"]["SQLDATE"] == "20230913" and g["04"]["ActionGeo_Lat"] == "51.88"
    assert g["04"]["ActionGeo_CountryCode"] == "RS" and g["04"]["ActionGeo_Type"] == "4"  # FIPS, a world city
    assert g["04"]["DATEADDED"] == "20230913000000"
    _, text = _text(store, "icews")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    i = {r["CAMEO Code"]: r for r in rows}
    assert i["040"]["Event Text"] == export.cameo_name("040") and i["040"]["Source Country"] == "North Korea"
    assert i["040"]["Target Country"] == "Russia" and i["040"]["Publisher"] == "AFP; Xinhua"
    assert i["040"]["Event Date"] == "2023-09-13" and i["040"]["Country"] == "Russia"


def test_an_event_dated_to_a_month_is_placed_on_its_first_day():
    rec = {"id": "e", "date": "2023-07", "date_precision": "month", "doc_published": "2023-09-13"}
    assert export.to_icews(rec)["Event Date"] == "2023-07-01" and export.to_gdelt(rec)["SQLDATE"] == "20230701"
    assert export.to_gdelt({"id": "e", "date": None, "doc_published": "2023-09-13"})["SQLDATE"] == "20230913"


def test_plover(store):
    _, text = _text(store, "plover")
    recs = [json.loads(line) for line in text.splitlines()]
    meet = next(r for r in recs if r["event"] == ["CONSULT"])
    assert meet["actor"][0]["entity_name"] == "Kim Jong Un" and meet["recipient"][0]["country_code"] == "RUS"
    assert meet["event_loc"]["resolved_place"] == "Vostochny Cosmodrome" and meet["quad_code"] == 1
    assert meet["mode"] == ["third-party"] and meet["date"] == "2023-09-13"


def test_parquet(store, tmp_path):
    path = tmp_path / "x.parquet"
    assert export.export(store, "parquet", str(path)) == 2
    table = pq.read_table(path)
    assert table.num_rows == 2
    rows = table.to_pylist()
    assert {r["source"][0]["name"] for r in rows} == {"Kim Jong Un", "Russia"}


def test_graphml(store):
    n, text = _text(store, "graphml")
    assert n == 2
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(text)
    edges = root.findall(".//g:edge", ns)
    weights = {(e.get("source"), e.get("target")): [d.text for d in e.findall("g:data", ns)] for e in edges}
    assert weights[("a-kim-jong-un", "a-vladimir-putin")] == ["1", "2.5"]  # one happening, two reports
    assert weights[("a-russia", "a-ukraine")] == ["1", "-10"]
    assert len(root.findall(".//g:node", ns)) == 4


def test_bad_format(store):
    with pytest.raises(ValueError, match="format"):
        export.export(store, "xml")


def test_csv_carries_argument_phrases():
    rec = {"id": "e1", "source": [{"text": "Russia", "name": "Russia"}],
           "target": [{"text": "Germany", "name": "Germany", "phrase": "Germany's largest bank"}]}
    row = export.flat(rec)
    assert row["target_phrase"] == "Germany's largest bank" and row["source_phrase"] == ""
    assert list(export.CSV_FIELDS)[-2:] == ["source_phrase", "target_phrase"]  # appended: old columns keep places


def test_extract_csv_has_the_export_columns(tmp_path, capsys):
    """`dateline extract --format csv` writes the export's record columns (no group counts), phrases included."""
    from dateline.cli import main
    from dateline.store import GROUP_FIELDS as GROUP_COLUMNS
    p = tmp_path / "a.txt"
    p.write_text(" date 2023-09-13 Police in Kabul arrested Germany's ambassador and three Afghan officials.\n")
    assert main(["extract", str(p), "--profile", "rules", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows, "no event"
    assert list(rows[0]) == [f for f in export.CSV_FIELDS if f not in GROUP_COLUMNS]


def test_csv_cells_that_spreadsheets_run_are_prefixed(tmp_path):
    st = Store(f"sqlite:///{tmp_path / 'f.db'}")
    st.add([make_annotation("d9", [make_event("e9", "d9", src=("=HYPERLINK(\"http://x\")", "RUS", "GOV"),
                                              sentence="@SUM(A1) +1 -2", goldstein=-5.0)])])
    _, text = _text(st, "csv")
    st.close()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["source_name"] == "'=HYPERLINK(\"http://x\")"
    assert rows[0]["sentence"] == "'@SUM(A1) +1 -2"
    assert float(rows[0]["goldstein"]) == -5.0  # numbers are not text: left alone
    for row in rows:
        texts = [v for k, v in row.items() if v and k not in ("goldstein", "confidence", "lat", "lon")]
        assert not any(v.startswith(export.FORMULA_STARTS) for v in texts), row
