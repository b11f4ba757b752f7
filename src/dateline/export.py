"""Exports of stored events: JSON Lines, CSV, Parquet, PLOVER JSON, GDELT 2.0 and ICEWS event TSV, GraphML network.

Every writer takes an iterable of event records (dicts in the contract shape, as :func:`records` makes them from
``Store.events`` frames) and a file; :func:`export` runs a query over a store and writes one format.  :func:`write_csv`
is the one CSV writer (``dateline events|export|extract --format csv`` and the web's ``format=csv``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from dateline import dedup
from dateline.events.ontology import cameo_name
from dateline.gazetteer import get_gazetteer
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
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
# GDELT 2.0's event table, its 61 columns in order (GDELT Event Codebook V2.0); written without a header, as GDELT's
GDELT_FIELDS = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
                *(f"Actor1{f}" for f in _ACTOR), *(f"Actor2{f}" for f in _ACTOR),
                "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                "NumMentions", "NumSources", "NumArticles", "AvgTone",
                *(f"Actor1Geo_{f}" for f in _GEO), *(f"Actor2Geo_{f}" for f in _GEO), *(f"ActionGeo_{f}" for f in _GEO),
                "DATEADDED", "SOURCEURL")
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


def _event_day(rec: dict[str, Any]) -> str:
    """The event's day as YYYY-MM-DD: its date when known to the day, else the first day its date can mean ("2023-07"
    → 2023-07-01), else its story's publication day."""
    date, precision = rec.get("date") or "", rec.get("date_precision")
    if precision in ("day", "hour", "minute") and len(date) >= 10:
        return date[:10]
    if len(date) >= 4 and date[:4].isdigit() and precision in ("month", "year", "week", "season", "decade"):
        month = date[5:7] if precision == "month" and date[5:7].isdigit() else "01"
        return f"{date[:4]}-{month}-01"
    return (rec.get("doc_published") or "")[:10]


def numeric_id(event_id: str) -> int:
    """A stable positive 60-bit integer for an event or group id (GDELT's GLOBALEVENTID is a number)."""
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


def _gdelt_actor(prefix: str, a: dict[str, Any]) -> dict[str, Any]:
    name = a.get("name") or a.get("text")
    return {f"{prefix}Code": _actor_code(a), f"{prefix}Name": name.upper() if name else None,
            f"{prefix}CountryCode": a.get("country"), f"{prefix}Type1Code": a.get("sector")}


def _gdelt_geo(loc: dict[str, Any]) -> dict[str, Any]:
    """ActionGeo_*: GDELT's type (1 country, 2 US state, 3 US city, 4 world city, 5 world state), FIPS 10-4 country
    and FIPS-country + division codes (GeoNames' division codes, which GDELT's follow for most countries)."""
    if not loc or loc.get("lat") is None:
        return {"ActionGeo_Type": 0}
    gaz = get_gazetteer()
    iso3 = loc.get("country") or ""
    fips = gaz.fips(iso3) if iso3 else None
    country = gaz.country_name(iso3) if iso3 else None
    country_only = loc.get("name") == country
    state_only = bool(loc.get("admin1")) and loc.get("name") == loc.get("admin1")
    kind = 1 if country_only else (2 if iso3 == "USA" else 5) if state_only else 3 if iso3 == "USA" else 4
    a1 = gaz.admin1_code(iso3, loc["admin1"]) if iso3 and loc.get("admin1") and not country_only else None
    return {
        "ActionGeo_Type": kind, "ActionGeo_FullName": ", ".join(
            x for x in dict.fromkeys((loc.get("name"), loc.get("admin1"), country or iso3)) if x),
        "ActionGeo_CountryCode": fips, "ActionGeo_ADM1Code": f"{fips}{a1}" if fips and a1 else fips,
        "ActionGeo_Lat": loc.get("lat"), "ActionGeo_Long": loc.get("lon"), "ActionGeo_FeatureID": loc.get("geonameid"),
    }


def to_gdelt(rec: dict[str, Any]) -> dict[str, Any]:
    """A GDELT 2.0 event row (61 columns). Actor codes are CAMEO-style country + sector ("RUSGOV"), actor country
    codes ISO3 as CAMEO's; geography in FIPS 10-4 as GDELT's; SQLDATE the event's day (see :func:`_event_day`);
    DATEADDED the first report's day at 000000 (dateline keeps no fetch time); the fields dateline does not code
    (known group, ethnicity, religion, second and third types, actor geography, ADM2, tone) are empty."""
    a1, a2 = _first(rec.get("source")), _first(rec.get("target"))
    code, base, root = _cameo_parts(rec.get("cameo"))
    day = _compact(_event_day(rec))
    frac = f"{int(day[:4]) + (int(day[4:6]) - 1) / 12 + (int(day[6:8]) - 1) / 365:.4f}" if len(day) == 8 else ""
    sources = rec.get("sources") or []
    added = _compact(rec.get("first_report") or rec.get("doc_published"))
    return {
        "GLOBALEVENTID": numeric_id(rec.get("group_id") or rec["id"]), "SQLDATE": day, "MonthYear": day[:6],
        "Year": day[:4], "FractionDate": frac, **_gdelt_actor("Actor1", a1), **_gdelt_actor("Actor2", a2),
        "IsRootEvent": 1 if rec.get("sentence_index") == 0 else 0,
        "EventCode": code, "EventBaseCode": base, "EventRootCode": root, "QuadClass": rec.get("quad_class"),
        "GoldsteinScale": rec.get("goldstein"), "NumMentions": rec.get("mentions") or 1,
        "NumSources": len(sources) or 1, "NumArticles": rec.get("reports") or 1, "AvgTone": "",
        "Actor1Geo_Type": 0, "Actor2Geo_Type": 0, **_gdelt_geo(rec.get("location") or {}),
        "DATEADDED": f"{added}000000" if added else "", "SOURCEURL": rec.get("url"),
    }


def _country_names(actors: list[dict[str, Any]] | None) -> str:
    gaz = get_gazetteer()
    names = []
    for a in actors or []:
        iso3 = a.get("country")
        name = (gaz.country_name(iso3) if iso3 else None) or iso3  # IGO, NGO and dictionary codes as written
        if name and name not in names:
            names.append(name)
    return "; ".join(names)


def to_icews(rec: dict[str, Any]) -> dict[str, Any]:
    """An ICEWS coded-event row: the event's day (YYYY-MM-DD), CAMEO's name of the code as Event Text, country
    names, sectors as PLOVER codes, Publisher the reporting sources (named publishers only)."""
    src, tgt = rec.get("source"), rec.get("target")
    loc = rec.get("location") or {}
    iso3 = loc.get("country")
    country = get_gazetteer().country_name(iso3) if iso3 else None
    return {
        "Event ID": numeric_id(rec.get("group_id") or rec["id"]), "Event Date": _event_day(rec),
        "Source Name": _names(src), "Source Sectors": _names(src, "sector"), "Source Country": _country_names(src),
        "Event Text": cameo_name(rec.get("cameo") or "") or rec.get("type"), "CAMEO Code": rec.get("cameo"),
        "Intensity": rec.get("goldstein"), "Target Name": _names(tgt), "Target Sectors": _names(tgt, "sector"),
        "Target Country": _country_names(tgt), "Story ID": rec.get("doc_id"),
        "Sentence Number": rec.get("sentence_index"), "Publisher": "; ".join(rec.get("sources") or []),
        "City": loc.get("name") if loc.get("name") not in (loc.get("admin1"), country) else None,
        "District": None, "Province": loc.get("admin1"), "Country": country or iso3, "Latitude": loc.get("lat"),
        "Longitude": loc.get("lon"),
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
                delimiter: str = ",", lineterminator: str = "\n", header: bool = True) -> int:
    writer = csv.DictWriter(out, fieldnames=fields, delimiter=delimiter, extrasaction="ignore",
                            lineterminator=lineterminator)
    if header:
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
                if not key or dedup.actor_key(a) is None:  # an unresolved "they" is no node
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
        return write_table(recs, out, GDELT_FIELDS, to_gdelt, "\t", header=False)  # GDELT's files have none
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
