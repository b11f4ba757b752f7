"""Gazetteer index: normalisation, lookups by name, alias and transliteration, demonyms."""

from __future__ import annotations

import pytest

from dateline.gazetteer import Gazetteer, get_gazetteer, is_generic, normalise, skeleton


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def test_normalise_strips_case_accents_articles_possessive() -> None:
    assert normalise("The Gambia") == "gambia"
    assert normalise("Russia’s") == "russia"
    assert normalise("Sant Julià de Lòria") == "sant julia de loria"
    assert normalise("U.S.") == "us"


def test_skeleton_joins_transliterations() -> None:
    assert skeleton(normalise("Khasan")) == skeleton(normalise("Hasan"))
    assert skeleton(normalise("Vostochnyy")) == skeleton(normalise("Vostochny"))


def test_get_gazetteer_is_cached() -> None:
    assert get_gazetteer() is get_gazetteer()


def test_country_and_aliases(gaz: Gazetteer) -> None:
    for name in ("United States", "U.S.", "America", "USA"):
        assert any(c.country == "USA" and c.feature == "A.PCLI" for c in gaz.lookup(name)), name
    uk = [c for c in gaz.lookup("Britain") if c.is_country]
    assert uk and uk[0].country == "GBR"


def test_country_points_follow_geonames(gaz: Gazetteer) -> None:
    usa = gaz.country("USA")
    assert usa is not None and abs(usa.lat - 39.76) < 0.01 and abs(usa.lon + 98.5) < 0.01


def test_transliteration_variants(gaz: Gazetteer) -> None:
    kyiv = {c.geonameid for c in gaz.lookup("Kyiv") if c.feature.startswith("P")}
    kiev = {c.geonameid for c in gaz.lookup("Kiev") if c.feature.startswith("P")}
    assert kyiv & kiev


def test_admin_word_is_stripped(gaz: Gazetteer) -> None:
    cands = gaz.lookup("Amur region")
    adm = [c for c in cands if c.is_admin1]
    assert adm and adm[0].country == "RUS" and adm[0].match == "admin"
    assert 48 < adm[0].lat < 56 and 120 < adm[0].lon < 135


def test_facilities_table(gaz: Gazetteer) -> None:
    sp = gaz.lookup("Vostochny spaceport")
    assert sp and sp[0].feature == "S.SPCE" and sp[0].country == "RUS"
    assert abs(sp[0].lat - 51.88) < 0.1 and abs(sp[0].lon - 128.33) < 0.1
    assert any(c.feature == "S.BLDG" and c.country == "USA" for c in gaz.lookup("the White House"))


def test_translated_alternate_names_filtered(gaz: Gazetteer) -> None:
    # "White House" is a GeoNames alternate name of Casablanca (a translation): not kept
    assert not any(c.name == "Casablanca" for c in gaz.lookup("White House"))


def test_demonyms_are_not_places(gaz: Gazetteer) -> None:
    assert gaz.demonym("Russian") == "RUS"
    assert gaz.demonym("North Korean") == "PRK"
    assert gaz.demonym("Moscow") is None


def test_generic_words(gaz: Gazetteer) -> None:
    assert is_generic("central") and not is_generic("middle east")
    assert gaz.lookup("Central") == []


def test_candidate_fields(gaz: Gazetteer) -> None:
    c = max(gaz.lookup("Blagoveshchensk"), key=lambda c: c.population)
    assert c.country == "RUS" and c.admin1 == "Amur Oblast" and c.geonameid and c.feature.startswith("P.")
