"""The when stage: normalisation against an anchor, detection in text, tense, governing expression."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import REFERENCE

from dateline.when import find_times, governing_time, normalise

WED = dt.date(2023, 9, 13)  # a Wednesday


@pytest.mark.parametrize(
    ("expression", "value", "type_", "precision"),
    [
        ("on Wednesday", "2023-09-13", "DATE", "day"),
        ("early on Tuesday local time", "2023-09-12", "DATE", "day"),
        ("earlier Wednesday", "2023-09-13", "DATE", "day"),
        ("in 1991", "1991", "DATE", "year"),
        ("last week", "2023-W36", "DATE", "week"),
        ("this week", "2023-W37", "DATE", "week"),
        ("two days ago", "2023-09-11", "DATE", "day"),
        ("three years ago", "2020", "DATE", "year"),
        ("next month", "2023-10", "DATE", "month"),
        ("last month", "2023-08", "DATE", "month"),
        ("this year", "2023", "DATE", "year"),
        ("next year", "2024", "DATE", "year"),
        ("Sept. 12, 2023", "2023-09-12", "DATE", "day"),
        ("September 12th, 2023", "2023-09-12", "DATE", "day"),
        ("12 September 2023", "2023-09-12", "DATE", "day"),
        ("12 September", "2023-09-12", "DATE", "day"),
        ("2023-09-12", "2023-09-12", "DATE", "day"),
        ("9/12/2023", "2023-09-12", "DATE", "day"),
        ("March 2020", "2020-03", "DATE", "month"),
        ("yesterday", "2023-09-12", "DATE", "day"),
        ("today", "2023-09-13", "DATE", "day"),
        ("tomorrow", "2023-09-14", "DATE", "day"),
        ("tonight", "2023-09-13TNI", "TIME", "day"),
        ("Tuesday morning", "2023-09-12TMO", "TIME", "day"),
        ("5 p.m.", "2023-09-13T17:00", "TIME", "hour"),
        ("10:30 a.m. Tuesday", "2023-09-12T10:30", "TIME", "minute"),
        ("the 1990s", "199", "DATE", "decade"),
        ("the '90s", "199", "DATE", "decade"),
        ("the 20th century", "19", "DATE", "century"),
        ("the second quarter of 2022", "2022-Q2", "DATE", "quarter"),
        ("Q3 2022", "2022-Q3", "DATE", "quarter"),
        ("summer 2021", "2021-SU", "DATE", "season"),
        ("June last year", "2022-06", "DATE", "month"),
        ("now", "PRESENT_REF", "DATE", None),
        ("recently", "PAST_REF", "DATE", None),
        ("formerly", "PAST_REF", "DATE", None),
        ("three years", "P3Y", "DURATION", None),
        ("the past decade", "P10Y", "DURATION", None),
        ("six months", "P6M", "DURATION", None),
        ("24 hours", "PT24H", "DURATION", None),
        ("every week", "P1W", "SET", None),
        ("daily", "P1D", "SET", None),
        ("twice a year", "P1Y", "SET", None),
    ],
)
def test_normalise(expression: str, value: str, type_: str, precision: str | None) -> None:
    t = normalise(expression, WED)
    assert (t.value, t.type, t.precision) == (value, type_, precision)
    assert (t.start, t.end, t.text) == (0, len(expression), expression)


def test_boundaries_get_mods_and_do_not_date() -> None:
    since = normalise("since 2019", WED)
    assert (since.value, since.mod) == ("2019", "START")
    assert normalise("until May", WED).mod == "END"
    assert normalise("by 2030", WED).mod == "END"
    assert normalise("late 2019", WED).value == "2019"


def test_tense_places_weekdays_and_months() -> None:
    assert normalise("Friday", WED, "past").value == "2023-09-08"
    assert normalise("Friday", WED, "future").value == "2023-09-15"
    assert normalise("Wednesday", WED, "past").value == "2023-09-13"
    assert normalise("Wednesday", WED, "future").value == "2023-09-13"
    assert normalise("in July", WED, "past").value == "2023-07"
    assert normalise("in July", WED, "future").value == "2024-07"
    assert normalise("last Friday", WED).value == "2023-09-08"
    assert normalise("next Friday", WED).value == "2023-09-15"


def test_find_times_offsets_and_cue_tense() -> None:
    text = "Officials met on Friday and will meet again on Friday. Talks resume at 5 p.m. since 2019 or so."
    times = find_times(text, WED)
    for t in times:
        assert text[t.start:t.end] == t.text
    fridays = [t.value for t in times if "Friday" in t.text]
    assert fridays == ["2023-09-08", "2023-09-15"]
    assert any(t.value == "2023-09-13T17:00" and t.type == "TIME" for t in times)
    assert any(t.mod == "START" and t.value == "2019" for t in times)


def test_numbers_that_are_not_years() -> None:
    text = "The firm sold 2000 cars and earned $1999 as prices rose 2010% in 2015."
    assert [t.value for t in find_times(text, WED)] == ["2015"]


def test_ages_are_not_durations_and_no_anchor_gives_none() -> None:
    assert find_times("A 6-year-old boy was found.", WED) == []
    [t] = find_times("They met yesterday.", None)
    assert t.value is None and t.type == "DATE"


def test_year_ago_follows_the_quarter_just_mentioned() -> None:
    text = "Third-quarter profit rose to $5 million from $3 million a year earlier."
    values = [t.value for t in find_times(text, dt.date(1989, 10, 26))]
    assert values == ["1989-Q3", "1988-Q3"]


@pytest.fixture(scope="module")
def nlp():
    from dateline import nlp as nlp_module

    return nlp_module.load()


def test_governing_time_with_parse(nlp) -> None:
    text = ("Russian Defense Minister Sergei Shoigu, who visited North Korea in July, will also join the talks, "
            "the Kremlin said Tuesday. Kim said his visit, his first since 2019, came after three years of isolation.")
    doc = nlp(text)
    times = find_times(text, WED, doc)
    by_text = {t.text: t for t in times}
    assert by_text["in July"].value == "2023-07"
    assert by_text["Tuesday"].value == "2023-09-12"
    tok = {t.text: t for t in doc}
    assert governing_time(tok["visited"], times).value == "2023-07"
    assert governing_time(tok["join"], times).value == "2023-09-12"  # the saying's date, not the relative clause's
    came = [t for t in doc if t.text == "came"][0]
    assert governing_time(came, times) is None  # "since 2019" and "three years" never date an event


def test_future_tense_from_parse(nlp) -> None:
    text = "The two leaders will meet on Friday. They met on Monday."
    doc = nlp(text)
    values = [t.value for t in find_times(text, WED, doc)]
    assert values == ["2023-09-15", "2023-09-11"]


def test_reference_article(nlp) -> None:
    raw = REFERENCE.read_text(encoding="utf-8")
    text = raw.split("2023-09-13", 1)[1]
    doc = nlp(text)
    times = find_times(text, WED, doc)
    by_text = {t.text: t for t in times}
    assert by_text["on Wednesday"].value == "2023-09-13"
    assert by_text["early on Tuesday local time"].value == "2023-09-12"
    assert by_text["Tuesday"].value == "2023-09-12"  # "the Kremlin said Tuesday"
    assert by_text["in July"].value == "2023-07" and by_text["in July"].precision == "month"
    assert by_text["earlier Wednesday"].value == "2023-09-13"
    assert by_text["in 1991"].value == "1991"
    three = [t for t in times if "three years" in t.text][0]
    assert (three.type, three.value) == ("DURATION", "P3Y")
    since = [t for t in times if "2019" in t.text][0]
    assert (since.value, since.mod) == ("2019", "START")

    def date_of(word: str, nth: int = 0):
        tok = [t for t in doc if t.text == word][nth]
        g = governing_time(tok, times)
        return g.value if g else None

    assert date_of("met") == "2023-09-13"
    assert date_of("arrived", 2) == "2023-09-12"  # Kim's train arrived in Khasan
    assert date_of("visited", 1) == "2023-07"  # Shoigu visited North Korea in July
    assert date_of("firing") == "2023-09-13"
    from dateline.when.dating import event_time

    meeting = [t for t in doc if t.text == "meeting" and t.nbor(-1).text == "Kim"][0]  # "The Putin-Kim meeting came as
    # North Korea continued its tests, firing two missiles ... earlier Wednesday": the adverbial clause's time
    assert event_time(doc, meeting.sent, meeting, times).value == "2023-09-13"
    join = [t for t in doc if t.text == "join"][0]  # not the relative clause's "in July"
    assert (event_time(doc, join.sent, join, times) or times[0]).text != "in July"


def test_anaphora_follows_the_last_mentioned_date() -> None:
    text = ("He fled to Florida in June 1998 and returned to Cuba later that year. On May 22, 1995, he was promoted, "
            "and the following year he was posted abroad. The rally was held on Oct. 23, 1999. Earlier that day, "
            "police arrived; three days later they left. Officials met on Friday.")
    by_text = {t.text: t.value for t in find_times(text, WED)}
    assert by_text["later that year"] == "1998"
    assert by_text["the following year"] == "1996"
    assert by_text["Earlier that day"] == "1999-10-23"
    assert by_text["three days later"] == "1999-10-26"
    assert by_text["on Friday"] == "2023-09-08"  # plain weekdays stay on the publication date
    assert [t.value for t in find_times("They met that year.", WED)] == ["2023"]  # no date before: the anchor


def test_reporting_periods_follow_the_period_just_mentioned() -> None:
    anchor = dt.date(1989, 11, 2)
    text = ("Third-quarter net rose to $5 million from $3 million in the year-ago period. Sales in the latest "
            "period rose, compared with $9 million last year. In the 1988 quarter, costs fell. Sales rose 43% in "
            "February compared to the same period last year.")
    values = [(t.text, t.value) for t in find_times(text, anchor)]
    assert values == [("Third-quarter", "1989-Q3"), ("in the year-ago period", "1988-Q3"),
                      ("in the latest period", "1989-Q3"), ("last year", "1988-Q3"),
                      ("In the 1988 quarter", "1988-Q3"), ("in February", "1989-02"),
                      ("the same period last year", "1988-02")]


def test_named_days_vague_references_and_two_digit_decades() -> None:
    anchor = dt.date(2000, 1, 7)
    text = ("Elian was found on Thanksgiving Day; his father came last Thanksgiving and will come at Easter. "
            "Sales for the full year rose, and the deal should close by year-end. Prices will rise in coming "
            "months and soon after that, but were soon cut. The cars of the 70s and 80s were boxy; he is in his 70s.")
    got = {t.text: t.value for t in find_times(text, anchor)}
    assert got["on Thanksgiving Day"] == "1999-11-25"
    assert got["last Thanksgiving"] == "1999-11-25"
    assert got["at Easter"] == "2000-04-23"
    assert got["the full year"] == "2000"
    assert got["by year-end"] == "2000"
    assert got["in coming months"] == "FUTURE_REF"
    assert got["the 70s"] == "197" and got["80s"] == "198"
    assert "soon" not in got and "his 70s" not in " ".join(got)  # "soon after", "were soon cut", an age


def test_day_anaphora_and_the_year_before() -> None:
    anchor = dt.date(2009, 2, 24)
    text = ("February 24, 2009. Stocks fell on Monday to end the day at 7,114. Costs fell to $118 billion in 2007, "
            "$19 billion less than the year previous. The loss in 2005 was $8 billion for the entire year.")
    got = {t.text: t.value for t in find_times(text, anchor)}
    assert got["on Monday"] == "2009-02-23" and got["the day"] == "2009-02-23"
    assert got["the year previous"] == "2006"
    assert got["the entire year"] == "2005"


def test_streaks_headlines_and_late_in_the_day() -> None:
    anchor = dt.date(2008, 9, 18)
    text = ("Markets to remain closed until Friday\nSeptember 18, 2008\nTrading was suspended for a second "
            "consecutive day on Wednesday and resumed late in the day after falling 2%, after two consecutive "
            "quarters of losses.")
    got = {t.text: (t.value, t.type) for t in find_times(text, anchor)}
    assert got["until Friday"][0] == "2008-09-19"  # the headline's weekday is not merged into the date line
    assert got["September 18, 2008"] == ("2008-09-18", "DATE")
    assert got["a second consecutive day"] == ("2008-09-18", "DATE")
    assert got["late in the day"] == ("2008-09-17", "DATE")  # the day just mentioned (Wednesday)
    assert got["after two consecutive quarters"] == ("P2Q", "DURATION")


def test_tense_cue_from_the_sentence_when_the_clause_has_none() -> None:
    anchor = dt.date(1989, 11, 2)
    text = "Mr. Smith stepped down as chairman, president and chief executive in March for health reasons."
    assert [t.value for t in find_times(text, anchor)] == ["1989-03"]
    text = "The company will pay $2 a share, payable Dec. 7 to holders of record Nov. 20."
    assert [t.value for t in find_times(text, anchor)] == ["1989-12-07", "1989-11-20"]


def test_spelled_and_named_years_and_bare_centuries() -> None:
    anchor = dt.date(1998, 2, 5)
    got = [(t.text, t.value) for t in find_times("By the year two thousand, a 20th century democrat built an "
                                                 "11th-century temple.", anchor)]
    assert got == [("By the year two thousand", "2000"), ("20th century", "19"), ("11th-century", "10")]


def test_todays_era_is_the_present() -> None:
    got = [(t.text, t.value) for t in find_times("Today's meeting matters for today's youth and today's GM.", WED)]
    assert got == [("Today", "2023-09-13"), ("today", "PRESENT_REF"), ("today", "PRESENT_REF")]


def test_until_then_and_later_than_planned_take_the_date_just_mentioned() -> None:
    anchor = dt.date(1989, 10, 30)
    text = ("Conversion rights terminate on Nov. 30. Until then, the stock remains convertible. The plane arrives "
            "on Dec. 11, three days later than originally planned. Then he left.")
    got = [(t.text, t.value) for t in find_times(text, anchor)]
    assert got == [("on Nov. 30", "1989-11-30"), ("Until then", "1989-11-30"), ("on Dec. 11", "1989-12-11"),
                   ("three days later", "1989-12-11")]
