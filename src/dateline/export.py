"""Exports of stored events: JSON Lines, CSV, Parquet, PLOVER JSON, GDELT-like and ICEWS-like TSV, GraphML network.

Every writer takes an iterable of event records (dicts in the contract shape, as :func:`records` makes them from
``Store.events`` frames) and a file; :func:`export` runs a query over a store and writes one format.  :func:`write_csv`
is the one CSV writer (``dateline events|export|extract --format csv`` and the web's ``format=csv``).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from dateline.model import GROUP_FIELDS

if TYPE_CHECKING:  # pandas and the store load only when a store is read (``dateline --help`` stays quick)
    import pandas as pd

    from dateline.query import Query
    from dateline.store import Store

FORMATS = ("jsonl", "csv", "parquet", "plover", "gdelt", "icews", "graphml")
BINARY_FORMATS = ("parquet",)
CSV_FIELDS = ("id", "doc_id", "doc_published", "date", "date_precision", "date_text", "date_source", "type", "mode", "cameo",
              "goldstein", "quad_class", "status", "confidence", "source_name", "source_country", "source_sector",
              "target_name", "target_country", "target_sector", "trigger", "location_name", "lat", "lon",
              "location_country", "sentence", "group_id", "reports", "mentions", "sources", "first_report",
              "last_report", "source_phrase", "target_phrase")
RECORD_CSV_FIELDS = tuple(f for f in CSV_FIELDS if f not in GROUP_FIELDS)  # event records, not groups (extract)
GDELT_FIELDS = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
                "Actor1CountryCode", "Actor1Type1Code", "Actor2Code", "Actor2Name", "Actor2CountryCode",
                "Actor2Type1Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone", "ActionGeo_Type",
                "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_Lat", "ActionGeo_Long",
                "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL", "PloverType", "EventMode")
ICEWS_FIELDS = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
                "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
                "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude")


# ---- records -------------------------------------------------------------------------------------------------------

def _clean(value: Any) -> Any:
    """Plain Python values: NaN/NA → None, numpy scalars → Python scalars."""
    pandas = sys.modules.get("pandas")  # pd.NA exists only once pandas is loaded
    if value is None or (pandas is not None and value is pandas.NA):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            return _clean(value.item())
        except (ValueError, AttributeError):
            return value
    return value


def records(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """Rows of a ``Store.events`` frame as contract-shaped dicts with plain Python values."""
    for row in frame.to_dict("records"):
        yield {k: _clean(v) for k, v in row.items()}


def _names(actors: list[dict[str, Any]] | None, field: str = "name") -> str:
    vals = []
    for a in actors or []:
        v = a.get(field) or (a.get("text") if field == "name" else None)
        if v and v not in vals:
            vals.append(v)
    return "; ".join(vals)


def _first(actors: list[dict[str, Any]] | None) -> dict[str, Any]:
    return (actors or [{}])[0]


def flat(rec: dict[str, Any]) -> dict[str, Any]:
    """One CSV row; several actors on a side are joined with "; "."""
    loc = rec.get("location") or {}
    row = {k: rec.get(k) for k in CSV_FIELDS if k in rec}
    row.update({
        "source_name": _names(rec.get("source")), "source_country": _names(rec.get("source"), "country"),
        "source_sector": _names(rec.get("source"), "sector"), "target_name": _names(rec.get("target")),
        "target_country": _names(rec.get("target"), "country"), "target_sector": _names(rec.get("target"), "sector"),
        "source_phrase": _names(rec.get("source"), "phrase"), "target_phrase": _names(rec.get("target"), "phrase"),
        "trigger": (rec.get("trigger") or {}).get("text"), "location_name": loc.get("name"), "lat": loc.get("lat"),
        "lon": loc.get("lon"), "location_country": loc.get("country"),
    })
    if isinstance(row.get("sources"), list):
        row["sources"] = "; ".join(row["sources"])
    return row


def flat_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``Store.events`` frame with the CSV's flat columns (one value a cell: sides joined with "; ", the location
    as name, lat, lon, country), for tools that want no nested values: ``flat_frame(store.events(...))``."""
    import pandas as pd

    rows = [flat(rec) for rec in records(frame)]
    out = pd.DataFrame(rows, columns=[f for f in CSV_FIELDS if any(f in r for r in rows)] if rows else None)
    out.attrs.update(frame.attrs)
    return out


def _plover_entity(a: dict[str, Any]) -> dict[str, Any]:
    return {"raw_text": a.get("text"), "entity_name": a.get("name"), "entity_id": a.get("id"),
            "country_code": a.get("country"), "sector_code": a.get("sector"), "other_sector_codes": ""}


def to_plover(rec: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER JSON record: ``actor``/``recipient`` entity lists, ``event`` list, ``event_loc`` (Mordecai-style)."""
    loc = rec.get("location")
    out: dict[str, Any] = {
        "id": rec.get("group_id") or rec["id"], "has_event": True, "date": rec.get("date"),
        "date_precision": rec.get("date_precision"),
        "actor": [_plover_entity(a) for a in rec.get("source") or []],
        "recipient": [_plover_entity(a) for a in rec.get("target") or []],
        "event": [rec.get("type")], "mode": [rec["mode"]] if rec.get("mode") else [],
        "context": list(rec.get("context") or []), "quad_code": rec.get("quad_class"),
        "event_scale": rec.get("goldstein"), "cameo_code": rec.get("cameo"), "status": rec.get("status"),
        "event_text": [(rec.get("trigger") or {}).get("text")], "text": rec.get("sentence"),
        "text_info": {"story_id": rec.get("doc_id"), "sentence_num": rec.get("sentence_index"),
                      "start": (rec.get("trigger") or {}).get("start"), "end": (rec.get("trigger") or {}).get("end")},
        "cite_info": {"url": rec.get("url"), "publication": "; ".join(rec.get("sources") or []) or None,
                      "coder": "dateline"},
        "event_loc": None, "confidence": rec.get("confidence"),
    }
    if loc:
        out["event_loc"] = {"extracted_place": loc.get("text"), "resolved_place": loc.get("name"),
                            "geonameid": loc.get("geonameid"), "lat": loc.get("lat"), "lon": loc.get("lon"),
                            "province": loc.get("admin1"), "country_code": loc.get("country")}
    if rec.get("group_id"):
        out["link"] = rec["group_id"]
        out["num_reports"] = rec.get("reports")
        out["event_ids"] = [rec["id"]]
    return out


def _compact(day: str | None) -> str:
    return (day or "")[:10].replace("-", "")


def _cameo_parts(code: str | None) -> tuple[str, str, str]:
    code = (code or "").strip()
    return code, code[:3] if len(code) > 3 else code, code[:2]


def _actor_code(a: dict[str, Any]) -> str:
    return f"{a.get('country') or ''}{a.get('sector') or ''}"


def to_gdelt(rec: dict[str, Any]) -> dict[str, Any]:
    """A GDELT 1.0-like row (country codes are ISO3; actor codes are country + sector)."""
    a1, a2 = _first(rec.get("source")), _first(rec.get("target"))
    loc = rec.get("location") or {}
    code, base, root = _cameo_parts(rec.get("cameo"))
    day = _compact(rec.get("date") if rec.get("date_precision") in ("day", "hour", "minute") else None) or \
        _compact(rec.get("doc_published"))
    year = day[:4]
    frac = ""
    if len(day) == 8:
        frac = f"{int(year) + (int(day[4:6]) - 1) / 12 + (int(day[6:8]) - 1) / 365:.4f}"
    geo_type = 0
    if loc:
        geo_type = 1 if loc.get("name") and loc.get("name") == loc.get("country") else 4 if loc.get("lat") else 1
    sources = rec.get("sources") or []
    return {
        "GLOBALEVENTID": rec.get("group_id") or rec["id"], "SQLDATE": day, "MonthYear": day[:6], "Year": year,
        "FractionDate": frac, "Actor1Code": _actor_code(a1), "Actor1Name": a1.get("name") or a1.get("text"),
        "Actor1CountryCode": a1.get("country"), "Actor1Type1Code": a1.get("sector"), "Actor2Code": _actor_code(a2),
        "Actor2Name": a2.get("name") or a2.get("text"), "Actor2CountryCode": a2.get("country"),
        "Actor2Type1Code": a2.get("sector"), "IsRootEvent": 1 if rec.get("sentence_index") == 0 else 0,
        "EventCode": code, "EventBaseCode": base, "EventRootCode": root, "QuadClass": rec.get("quad_class"),
        "GoldsteinScale": rec.get("goldstein"), "NumMentions": rec.get("mentions") or 1,
        "NumSources": len(sources) or 1, "NumArticles": rec.get("reports") or 1, "AvgTone": "",
        "ActionGeo_Type": geo_type, "ActionGeo_FullName": ", ".join(
            x for x in (loc.get("name"), loc.get("admin1"), loc.get("country")) if x),
        "ActionGeo_CountryCode": loc.get("country"), "ActionGeo_ADM1Code": loc.get("admin1"),
        "ActionGeo_Lat": loc.get("lat"), "ActionGeo_Long": loc.get("lon"), "ActionGeo_FeatureID": loc.get("geonameid"),
        "DATEADDED": _compact(rec.get("first_report") or rec.get("doc_published")), "SOURCEURL": rec.get("url"),
        "PloverType": rec.get("type"), "EventMode": rec.get("mode"),
    }


def to_icews(rec: dict[str, Any]) -> dict[str, Any]:
    """An ICEWS-like row (countries are ISO3 codes; Event Text is the PLOVER type and mode)."""
    src, tgt = rec.get("source"), rec.get("target")
    loc = rec.get("location") or {}
    return {
        "Event ID": rec.get("group_id") or rec["id"], "Event Date": rec.get("date") or rec.get("doc_published"),
        "Source Name": _names(src), "Source Sectors": _names(src, "sector"), "Source Country": _names(src, "country"),
        "Event Text": " ".join(x for x in (rec.get("type"), rec.get("mode")) if x), "CAMEO Code": rec.get("cameo"),
        "Intensity": rec.get("goldstein"), "Target Name": _names(tgt), "Target Sectors": _names(tgt, "sector"),
        "Target Country": _names(tgt, "country"), "Story ID": rec.get("doc_id"),
        "Sentence Number": rec.get("sentence_index"), "Publisher": "; ".join(rec.get("sources") or []),
        "City": loc.get("name"), "District": None, "Province": loc.get("admin1"), "Country": loc.get("country"),
        "Latitude": loc.get("lat"), "Longitude": loc.get("lon"),
    }


# ---- writers -------------------------------------------------------------------------------------------------------

def write_jsonl(recs: Iterable[dict[str, Any]], out: IO[str], convert: Callable | None = None) -> int:
    n = 0
    for rec in recs:
        out.write(json.dumps(convert(rec) if convert else rec, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula (OWASP CSV injection)


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` (numbers are left alone)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def write_table(recs: Iterable[dict[str, Any]], out: IO[str], fields: tuple[str, ...], convert: Callable,
                delimiter: str = ",", lineterminator: str = "\n") -> int:
    writer = csv.DictWriter(out, fieldnames=fields, delimiter=delimiter, extrasaction="ignore",
                            lineterminator=lineterminator)
    writer.writeheader()
    n = 0
    for rec in recs:
        row = convert(rec)
        if delimiter == "\t":  # TSV: no tabs or newlines inside fields
            row = {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in row.items()}
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
        n += 1
    return n


def write_csv(recs: Iterable[dict[str, Any]], out: IO[str], fields: tuple[str, ...] = CSV_FIELDS,
              lineterminator: str = "\n") -> int:
    """Flat CSV rows (:func:`flat`); ``extract`` writes :data:`RECORD_CSV_FIELDS` with "\\r\\n" line ends, as it
    always has."""
    return write_table(recs, out, fields, flat, lineterminator=lineterminator)


def write_parquet(recs: Iterable[dict[str, Any]], out: IO[bytes] | str) -> int:
    """Parquet with nested columns (source/target as lists of structs, location as a struct)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(recs)
    for r in rows:  # free-form JSON values become strings so the schema is stable
        if r.get("trigger") is not None:
            r["trigger"] = json.dumps(r["trigger"], ensure_ascii=False)
    table = pa.Table.from_pylist(rows) if rows else pa.table({"id": pa.array([], pa.string())})
    pq.write_table(table, out)
    return len(rows)


def write_graphml(recs: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Actor network: a node per actor, a directed edge source → target with weight = events, Goldstein sum."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], list[float]] = {}
    for rec in recs:
        keys = {}
        for side in ("source", "target"):
            keys[side] = []
            for a in rec.get(side) or []:
                key = a.get("id") or (a.get("name") or a.get("text") or "").strip()
                if not key:
                    continue
                keys[side].append(key)
                nodes.setdefault(key, {"name": a.get("name") or a.get("text"), "country": a.get("country"),
                                       "sector": a.get("sector")})
        for s in dict.fromkeys(keys["source"]):
            for t in dict.fromkeys(keys["target"]):
                if s == t:
                    continue
                w = edges.setdefault((s, t), [0, 0.0])
                w[0] += 1
                w[1] += rec.get("goldstein") or 0.0
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
              '  <key id="name" for="node" attr.name="name" attr.type="string"/>\n'
              '  <key id="country" for="node" attr.name="country" attr.type="string"/>\n'
              '  <key id="sector" for="node" attr.name="sector" attr.type="string"/>\n'
              '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>\n'
              '  <key id="goldstein" for="edge" attr.name="goldstein" attr.type="double"/>\n'
              '  <graph id="actors" edgedefault="directed">\n')
    for key, attrs in nodes.items():
        data = "".join(f'<data key="{k}">{escape(str(v))}</data>' for k, v in attrs.items() if v)
        out.write(f"    <node id={quoteattr(key)}>{data}</node>\n")
    for (s, t), (n, g) in edges.items():
        out.write(f'    <edge source={quoteattr(s)} target={quoteattr(t)}><data key="weight">{n}</data>'
                  f'<data key="goldstein">{g:g}</data></edge>\n')
    out.write("  </graph>\n</graphml>\n")
    return len(edges)


def write(fmt: str, recs: Iterable[dict[str, Any]], out: IO) -> int:
    """Write records in ``fmt`` to an open file (binary for parquet); returns rows (GraphML: edges) written."""
    if fmt == "jsonl":
        return write_jsonl(recs, out)
    if fmt == "plover":
        return write_jsonl(recs, out, to_plover)
    if fmt == "csv":
        return write_csv(recs, out)
    if fmt == "gdelt":
        return write_table(recs, out, GDELT_FIELDS, to_gdelt, "\t")
    if fmt == "icews":
        return write_table(recs, out, ICEWS_FIELDS, to_icews, "\t")
    if fmt == "parquet":
        return write_parquet(recs, out)
    if fmt == "graphml":
        return write_graphml(recs, out)
    raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def export(store: Store, fmt: str, path: str | None = None, query: Query | None = None, **filters: Any) -> int:
    """Run a query (a :class:`Query` or its fields) over the whole store (no limit) and write it in ``fmt`` to
    ``path`` (None or "-": stdout)."""
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    recs = (r for frame in store.iter_events(query=query, **filters) for r in records(frame))
    binary = fmt in BINARY_FORMATS
    if path in (None, "-"):
        out = sys.stdout.buffer if binary else sys.stdout
        n = write(fmt, recs, out)
        out.flush()
        return n
    with open(path, "wb" if binary else "w", encoding=None if binary else "utf-8",
              newline=None if binary else "") as fh:
        return write(fmt, recs, fh)
