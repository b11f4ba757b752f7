"""Toponym detection, resolution in context, dateline place and event location."""

from __future__ import annotations

from conftest import REFERENCE

from dateline import nlp
from dateline.gazetteer import km
from dateline.model import Document, Place
from dateline.where import dateline_place, event_location, find_places


def _places(text: str, **extra: object) -> tuple[object, list[Place]]:
    doc = nlp.parse(text)
    return doc, find_places(doc, Document(id="t", text=text, extra=dict(extra)))


def _by_text(places: list[Place], text: str) -> Place:
    found = [p for p in places if p.text == text]
    assert found, f"{text!r} not found in {[p.text for p in places]}"
    return found[0]


def test_offsets_point_into_text() -> None:
    text = "Protesters gathered in Kyiv and Lviv on Sunday, while talks continued in Geneva."
    _, places = _places(text)
    assert {p.text for p in places} >= {"Kyiv", "Lviv", "Geneva"}
    for p in places:
        assert text[p.start:p.end] == p.text
        assert p.lat is not None and p.country and p.score is not None


def test_demonyms_are_not_places() -> None:
    _, places = _places("Russian and Chinese officials met in Beijing.")
    assert [p.text for p in places] == ["Beijing"]
    assert places[0].country == "CHN"


def test_demonyms_set_the_story_geography() -> None:
    """"Israeli jets … Gaza": the Gaza of the Middle East, not the Mozambican province of that name."""
    _, places = _places("Israeli jets struck targets in Gaza on Sunday, the army said.")
    assert _by_text(places, "Gaza").country == "PSE"
    _, places = _places("Floods hit Gaza province in southern Mozambique, the Mozambican government said.")
    assert _by_text(places, "Gaza province").country == "MOZ"


def test_a_state_named_like_a_country_in_a_story_set_in_it() -> None:
    """"Georgia" beside Atlanta is the US state; beside Tbilisi, the country."""
    _, places = _places("Storms hit Savannah and Atlanta. Georgia officials said schools would close.")
    assert (_by_text(places, "Georgia").country, _by_text(places, "Georgia").feature) == ("USA", "A.ADM1")
    _, places = _places("Russian troops entered Georgia in 2008, officials in Tbilisi said.")
    assert _by_text(places, "Georgia").country == "GEO"


def test_an_organisation_is_a_town_only_by_the_town_s_own_name() -> None:
    """"Hamas" is an alternate name of Hamm in GeoNames; the organisation is no place."""
    _, places = _places("Hamas said on Monday it had fired rockets at Israel.")
    assert [p.text for p in places] == ["Israel"]


def test_paris_texas_in_a_texas_story() -> None:
    text = ("Storms hit northeast Texas on Monday. In Paris, the county seat of Lamar County, officials in Texas "
            "closed schools, and residents of Paris were told to stay home.")
    _, places = _places(text)
    paris = _by_text(places, "Paris")
    assert paris.country == "USA" and paris.admin1 == "Texas"


def test_paris_france_by_default() -> None:
    _, places = _places("The president flew to Paris for talks with European leaders.")
    assert _by_text(places, "Paris").country == "FRA"


def test_country_and_admin1_features() -> None:
    _, places = _places("Fighting spread from Syria into Iraq, and aid arrived in Alberta and Queensland.")
    assert _by_text(places, "Syria").feature == "A.PCLI"
    assert _by_text(places, "Alberta").feature == "A.ADM1"
    assert _by_text(places, "Queensland").country == "AUS"


def test_place_inside_organisation_name() -> None:
    _, places = _places("The Kentucky State Police said the Edmonton Oilers bus was not involved.")
    names = {p.name for p in places}
    assert "Kentucky" in names


def test_dateline_from_metadata() -> None:
    text = "Russian prosecutors have opened a corruption probe against a former commander."
    doc = Document(id="d", text=text, extra={"dateline": "MOSCOW, April 1 , 1997 (AFP)"})
    place = dateline_place(doc, find_places(nlp.parse(text), doc))
    assert place is not None and place.country == "RUS" and place.feature == "P.PPLC"


def test_dateline_from_text() -> None:
    text = "PYONGYANG, Sept 12 (Reuters) - North Korea fired two missiles into the sea, officials said."
    doc = Document(id="d", text=text)
    places = find_places(nlp.parse(text), doc)
    place = dateline_place(doc, places)
    assert place is not None and place.name == "Pyongyang" and place.start == 0
    text2 = "North Korea fired two missiles into the sea, officials said."
    assert dateline_place(Document(id="e", text=text2), []) is None


def test_event_location_clause_and_fallback() -> None:
    text = "The ministers met in Vienna on Monday. Later they signed the accord."
    doc, places = _places(text)
    met = next(t for t in doc if t.text == "met")
    signed = next(t for t in doc if t.text == "signed")
    assert event_location(met, places, places, None).text == "Vienna"
    fallback = Place(text="GENEVA", start=0, end=0, name="Geneva", lat=46.2, lon=6.14, country="CHE")
    assert event_location(signed, places, places, fallback) is fallback
    assert event_location(signed, places, places, None) is None


def test_event_location_linked_through_document() -> None:
    text = ("The two leaders met at a Russian spaceport on Wednesday. Reporters later gathered at the "
            "Vostochny Cosmodrome in the Amur region.")
    doc, places = _places(text)
    met = next(t for t in doc if t.text == "met")
    loc = event_location(met, places, places, None)
    assert loc is not None and loc.feature == "S.SPCE" and loc.country == "RUS"


def test_reference_article() -> None:
    raw = REFERENCE.read_text(encoding="utf-8").lstrip()
    text = raw.split(" ", 2)[2] if raw.startswith("date ") else raw
    doc, places = _places(text)
    vostochny = [p for p in places if p.feature == "S.SPCE"]
    assert vostochny and km(vostochny[0].lat, vostochny[0].lon, 51.88, 128.33) < 150
    khasan = _by_text(places, "Khasan")
    assert khasan.country == "RUS" and km(khasan.lat, khasan.lon, 42.43, 130.64) < 50
    blag = _by_text(places, "Blagoveshchensk")
    assert km(blag.lat, blag.lon, 50.26, 127.53) < 50
    pyongyang = _by_text(places, "Pyongyang")
    assert pyongyang.country == "PRK" and km(pyongyang.lat, pyongyang.lon, 39.03, 125.75) < 50
    amur = [p for p in places if p.text.startswith("Amur")]
    assert amur and amur[0].feature == "A.ADM1" and amur[0].country == "RUS"
    met = next(t for t in doc if t.text == "met")
    loc = event_location(met, [p for p in places if p.start < met.sent.end_char], places, None)
    assert loc is not None and km(loc.lat, loc.lon, 51.88, 128.33) < 150
    arrived = next(t for t in doc if t.text == "arrived" and "train" in t.sent.text)
    assert event_location(arrived, places, places, None).text == "Khasan"


def test_an_organisations_acronym_is_no_place() -> None:
    doc, places = _places("Top NATO commanders gathered in Paris on Tuesday.")
    assert "NATO" in {e.text for e in doc.ents if e.label_ == "ORG"}, "the test needs spaCy to read NATO as an ORG"
    assert [p.text for p in places] == ["Paris"]


def test_a_countrys_name_in_the_nationality_list_is_still_a_place():
    """"United States", "U.S." and "US" are names (the nationality list holds them too); "American" is no place."""
    import datetime as dt

    from dateline import where
    from dateline.gazetteer import get_gazetteer
    from dateline.model import Document

    gaz = get_gazetteer()
    assert gaz.is_demonym("American") and not gaz.is_demonym("United States") and not gaz.is_demonym("U.S.")
    for text, name in (("He returned to the United States on Monday.", "United States"),
                       ("Prices rose across the U.S. last year.", "U.S."), ("Troops left the US in May.", "US")):
        doc = nlp.parse(text)
        places = where.find_places(doc, Document(id="x", text=text, published=dt.date(2020, 1, 1)))
        assert [(p.text, p.country) for p in places] == [(name, "USA")], text
    doc = nlp.parse("American officials said the talks failed.")
    assert where.find_places(doc) == []


def test_a_name_followed_by_its_state_is_inside_it():
    """"Dublin, Va." is the Virginia town, not Ireland's capital; "Paris, France" stays the capital."""
    import datetime as dt

    from dateline import where
    from dateline.model import Document

    for text, want in (("Officials in Dublin, Va., said the fire was out.", ("USA", "Virginia")),
                       ("Leaders met in London, Ontario.", ("CAN", "Ontario")),
                       ("She flew to Paris, France, on Monday.", ("FRA", "Île-de-France"))):
        places = where.find_places(nlp.parse(text), Document(id="x", text=text, published=dt.date(2020, 1, 1)))
        assert (places[0].country, places[0].admin1) == want, text


def test_a_persons_home_state_is_not_where_the_event_happened():
    import datetime as dt

    from dateline.pipeline import Pipeline

    pipe = Pipeline("fast", min_confidence=0.0)
    ev = next(e for e in pipe.annotate_text("Arizona Sen. John McCain criticized the president in Roanoke on Monday.",
                                            dt.date(2016, 1, 1)).events if e.trigger["text"] == "criticized")
    assert ev.location and ev.location["name"] == "Roanoke"
    ev = next(e for e in pipe.annotate_text("A Moscow court sentenced the journalist on Monday.",
                                            dt.date(2016, 1, 1)).events if e.trigger["text"] == "sentenced")
    assert ev.location and ev.location["name"] == "Moscow"  # a place modifying a body is still where it acts
