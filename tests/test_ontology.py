"""PLOVER/CAMEO tables: mapping, Goldstein, QuadClass, defaults and modes."""

from __future__ import annotations

import pytest

from dateline.events import ontology
from dateline.events.ontology import (
    PLOVER_TYPES,
    cameo_to_plover,
    code_event,
    default_cameo,
    goldstein,
    plover_modes,
    quad_class,
)
from dateline.model import PLOVER_TYPES as MODEL_TYPES


def test_types_match_model_contract():
    assert set(PLOVER_TYPES) == set(MODEL_TYPES) and len(PLOVER_TYPES) == 16


@pytest.mark.parametrize(("code", "expected"), [
    ("044", ("CONSULT", "third-party", [])),
    ("0874", ("RETREAT", "disarm", ["military"])),
    ("1124", ("ACCUSE", "allege", ["military", "legal"])),
    ("163", ("COERCE", "restrict", ["diplomatic"])),  # PLOVER moves sanctions to COERCE
    ("1712", ("ASSAULT", "seize", ["human_security"])),
    ("083", ("CONCEDE", "", ["political_institutions"])),
])
def test_cameo_to_plover_table_rows(code, expected):
    assert cameo_to_plover(code) == expected


def test_cameo_fallbacks_and_dropped_codes():
    assert cameo_to_plover("19")[0] == "ASSAULT"  # root -> its generic code
    assert cameo_to_plover("0399")[0] == "AGREE"  # unknown leaf -> longest known prefix
    assert cameo_to_plover("010") is None  # statements are dropped by PLOVER
    assert cameo_to_plover("0231")[0] == "REQUEST"  # appeals coded as requests (documented choice)
    with pytest.raises(ValueError):
        cameo_to_plover("abc")


def test_every_table_code_has_goldstein_and_known_type():
    for code, entry in ontology.tables().entries.items():
        assert entry.type in PLOVER_TYPES, code
        assert -10.0 <= goldstein(code) <= 10.0


def test_goldstein_values():
    assert goldstein("190") == -10.0
    assert goldstein("044") == 2.5
    assert goldstein("0874") > goldstein("080") > 0


@pytest.mark.parametrize(("code", "q"), [("010", 1), ("057", 1), ("061", 2), ("0874", 2), ("093", 2), ("100", 3),
                                         ("145", 3), ("150", 4), ("190", 4), ("2042", 4)])
def test_quad_class(code, q):
    assert quad_class(code) == q


def test_default_cameo_round_trips_for_every_type():
    for t in PLOVER_TYPES:
        code = default_cameo(t)
        assert cameo_to_plover(code)[0] == t
    assert default_cameo("CONSULT", "visit") in ("042", "043")
    assert default_cameo("DEMAND") == default_cameo("REQUEST")  # old GSR name
    with pytest.raises(ValueError):
        default_cameo("NOPE")


def test_plover_modes_from_codebook():
    assert plover_modes("CONSULT")[:2] == ["visit", "third-party"]
    assert "withdraw" in plover_modes("RETREAT")
    assert plover_modes("AGREE") == []


def test_code_event_keeps_consistent_cameo_and_replaces_inconsistent_one():
    e = code_event("CONSULT", "044")
    assert e == {"type": "CONSULT", "mode": "third-party", "context": [], "cameo": "044", "goldstein": 2.5,
                 "quad_class": 1}
    e = code_event("ASSAULT", "044")  # CAMEO of another type -> the type's default
    assert e["type"] == "ASSAULT" and cameo_to_plover(e["cameo"])[0] == "ASSAULT" and e["quad_class"] == 4
    assert code_event("PROTEST")["quad_class"] == 3
