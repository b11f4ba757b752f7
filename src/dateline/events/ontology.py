"""PLOVER v2.0 / CAMEO tables: type, mode and context of a CAMEO code, Goldstein score, QuadClass.

Tables ship in ``dateline/data/plover/`` (see ``dateline/data/README.md`` for sources and licences):
``CAMEO2PLOVER-2021.txt`` (CAMEO code -> PLOVER type, mode, context), ``CAMEO.goldsteinscale.txt`` (GDELT's
Goldstein scale), ``CAMEO_codefile.txt`` (CAMEO code names) and ``PLOVER_structured_codebook.csv`` (v2.0 modes).

dateline choices, documented here because PLOVER leaves them open:

* CAMEO 01 (public statement) is dropped by PLOVER: :func:`cameo_to_plover` returns ``None`` for it.
* CAMEO 02 (appeal) is dropped by PLOVER too; dateline codes appeals as REQUEST (same meaning, verbal), with no mode.
* A code missing from the table falls back to its longest known prefix ("0315" -> "031"), then to the root.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dateline.model import PLOVER_TYPES  # defined once, in the model

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "plover"


# Older PLOVER / PLV names -> v2.0 names. YIELD has no single v2.0 name (CONCEDE or RETREAT): see classify.split_yield.
OLD_NAMES: dict[str, str] = {
    "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE",
}

# The most typical CAMEO code of each type (the generic code of its main CAMEO root).
DEFAULT_CAMEO: dict[str, str] = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070", "CONCEDE": "080",
    "RETREAT": "084", "REQUEST": "100", "ACCUSE": "112", "REJECT": "120", "THREATEN": "130", "PROTEST": "140",
    "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170", "ASSAULT": "190",
}

# CAMEO root -> PLOVER type for roots the conversion table does not list (01 dropped, 02 appeal -> REQUEST).
_ROOT_TYPE: dict[str, str | None] = {"01": None, "02": "REQUEST"}

_LINE = re.compile(r"^\s*(\d{2,4})\s*:\s*([A-Z]+)\s*,([^#]*)(?:#(.*))?$")


@dataclass(frozen=True)
class CameoEntry:
    """One row of CAMEO2PLOVER: a CAMEO code coded in PLOVER."""

    code: str
    type: str
    mode: str
    context: tuple[str, ...]
    description: str = ""


@dataclass
class _Tables:
    entries: dict[str, CameoEntry] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    goldstein: dict[str, float] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    modes: dict[str, list[str]] = field(default_factory=dict)


def _read(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def _parse_cameo2plover(text: str) -> tuple[dict[str, CameoEntry], list[str]]:
    entries: dict[str, CameoEntry] = {}
    order: list[str] = []
    for line in text.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        code, ptype, rest, desc = m.group(1), m.group(2), m.group(3), (m.group(4) or "").strip()
        parts = rest.split(",", 1)
        mode = parts[0].strip()
        ctx_field = parts[1] if len(parts) > 1 else ""
        context = tuple(c.strip() for c in ctx_field.split(";") if c.strip())
        if code not in entries:
            order.append(code)
        entries[code] = CameoEntry(code, ptype, mode, context, desc)
    return entries, order


def _parse_goldstein(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = float(parts[1])
    return out


def _parse_names(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"^LABELi?:\s*(\d+)\s*=\s*(.+)$", line.strip())
        if m:
            out.setdefault(m.group(1), m.group(2).strip())
        m = re.match(r"^//(\d{2}):\s*(.+)$", line.strip())
        if m:
            out.setdefault(m.group(1), m.group(2).strip().capitalize())
    return out


def _parse_modes(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {t: [] for t in PLOVER_TYPES}
    for row in csv.DictReader(text.splitlines()):
        mode = (row.get("mode") or "").strip()
        modes = out.setdefault(row["event"].strip(), [])
        if mode and mode not in modes:
            modes.append(mode)
    return out


@lru_cache(maxsize=1)
def tables() -> _Tables:
    """Load the shipped tables once."""
    entries, order = _parse_cameo2plover(_read("CAMEO2PLOVER-2021.txt"))
    return _Tables(entries, order, _parse_goldstein(_read("CAMEO.goldsteinscale.txt")),
                   _parse_names(_read("CAMEO_codefile.txt")), _parse_modes(_read("PLOVER_structured_codebook.csv")))


def _norm(code: str) -> str:
    code = str(code).strip()
    if not code.isdigit() or not 2 <= len(code) <= 4:
        raise ValueError(f"not a CAMEO event code: {code!r}")
    return code


def _lookup(table: dict[str, Any], code: str) -> Any:
    """Value of the longest prefix of ``code`` in ``table`` (codes "0", "01" excluded below 2 digits)."""
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def cameo_to_plover(code: str) -> tuple[str, str, list[str]] | None:
    """PLOVER ``(type, mode, context)`` of a CAMEO code; ``None`` for codes PLOVER drops (01 statements)."""
    code = _norm(code)
    entries = tables().entries
    entry = _lookup(entries, code) or entries.get(code[:2] + "0")  # "08" / "0899" -> the root's "080"
    if entry is not None:
        return entry.type, entry.mode.strip(), list(entry.context)
    ptype = _ROOT_TYPE.get(code[:2])
    return (ptype, "", []) if ptype else None


def cameo_name(code: str) -> str | None:
    """CAMEO's name for a code ("190" -> "Use conventional military force"); None for a code CAMEO does not name
    (a user dictionary's own "903" or "ABC")."""
    return tables().names.get(str(code).strip())


def goldstein(cameo: str) -> float:
    """GDELT Goldstein score (-10 conflict .. +10 cooperation) of a CAMEO code, by longest known prefix."""
    code = _norm(cameo)
    value = _lookup(tables().goldstein, code)
    if value is None:
        raise KeyError(f"no Goldstein score for CAMEO {code}")
    return float(value)


def quad_class(cameo: str) -> int:
    """QuadClass: 1 verbal cooperation (01-05), 2 material cooperation (06-09), 3 verbal conflict (10-14),
    4 material conflict (15-20)."""
    root = int(_norm(cameo)[:2])
    if not 1 <= root <= 20:
        raise ValueError(f"CAMEO root out of range: {cameo!r}")
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def plover_modes(ptype: str) -> list[str]:
    """PLOVER v2.0 modes of an event type (from the structured codebook), in codebook order."""
    ptype = _type(ptype)
    return list(tables().modes.get(ptype, []))


def _type(ptype: str) -> str:
    name = OLD_NAMES.get(ptype.strip().upper(), ptype.strip().upper())
    if name not in PLOVER_TYPES:
        raise ValueError(f"not a PLOVER v2.0 event type: {ptype!r}")
    return name


def default_cameo(plover_type: str, mode: str | None = None) -> str:
    """The most typical CAMEO code of a PLOVER type; with ``mode``, the first code of that type and mode."""
    ptype = _type(plover_type)
    if mode:
        t = tables()
        for code in t.order:
            e = t.entries[code]
            if e.type == ptype and e.mode.strip() == mode.strip():
                return code
    return DEFAULT_CAMEO[ptype]


def code_event(plover_type: str, cameo: str | None = None, mode: str | None = None) -> dict[str, Any]:
    """Complete coding of an event: ``dict(type, mode, context, cameo, goldstein, quad_class)``.

    ``cameo`` is kept when given and consistent with the type (else replaced by the type's default code); mode and
    context come from the CAMEO table unless ``mode`` is given.
    """
    ptype = _type(plover_type)
    code = _norm(cameo) if cameo else None
    coded = cameo_to_plover(code) if code else None
    if code is None or coded is None or coded[0] != ptype:
        code = default_cameo(ptype, mode)
        coded = cameo_to_plover(code)
    assert coded is not None
    _, table_mode, context = coded
    return {"type": ptype, "mode": (mode or table_mode or None), "context": context, "cameo": code,
            "goldstein": goldstein(code), "quad_class": quad_class(code)}
