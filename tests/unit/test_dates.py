"""Dates as precise as their source: parsing, ordering and labels."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.model.format.dates import FuzzyDate, parse_date


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        (2017, "year", date(2017, 1, 1), date(2017, 12, 31)),
        ("2017", "year", date(2017, 1, 1), date(2017, 12, 31)),
        ("2017-09", "month", date(2017, 9, 1), date(2017, 9, 30)),
        ("2017-9", "month", date(2017, 9, 1), date(2017, 9, 30)),
        ("2016-02", "month", date(2016, 2, 1), date(2016, 2, 29)),  # leap year
        ("2017-02", "month", date(2017, 2, 1), date(2017, 2, 28)),
        ("2017-09-14", "day", date(2017, 9, 14), date(2017, 9, 14)),
        ("2016-02-29", "day", date(2016, 2, 29), date(2016, 2, 29)),
        ("2004-2008", "range", date(2004, 1, 1), date(2008, 12, 31)),
        ("2004–2008", "range", date(2004, 1, 1), date(2008, 12, 31)),
        ("2004 to 2008", "range", date(2004, 1, 1), date(2008, 12, 31)),
        ("2004..2008", "range", date(2004, 1, 1), date(2008, 12, 31)),
        ("2017-09 to 2018-03", "range", date(2017, 9, 1), date(2018, 3, 31)),
        ("late 1990s to 2004", "range", date(1995, 1, 1), date(2004, 12, 31)),
        ("2017-2017", "range", date(2017, 1, 1), date(2017, 12, 31)),
        ("1990s", "decade", date(1990, 1, 1), date(1999, 12, 31)),
        # Parts of a decade overlap: "mid" and "late" are vague, and sources use them loosely.
        ("early 1990s", "decade", date(1990, 1, 1), date(1994, 12, 31)),
        ("mid 1990s", "decade", date(1993, 1, 1), date(1997, 12, 31)),
        ("late 1990s", "decade", date(1995, 1, 1), date(1999, 12, 31)),
        ("Late  1990s", "decade", date(1995, 1, 1), date(1999, 12, 31)),
        ("early 2010", "part", date(2010, 1, 1), date(2010, 4, 30)),
        ("mid 2010", "part", date(2010, 5, 1), date(2010, 8, 31)),
        ("late 2010", "part", date(2010, 9, 1), date(2010, 12, 31)),
    ],
)
def test_parse_date(text, precision: str, start: date, end: date) -> None:
    parsed = parse_date(text)
    assert (parsed.precision, parsed.start, parsed.end) == (precision, start, end)
    assert parsed.start <= parsed.end


def test_whitespace_is_normalised_in_the_kept_text() -> None:
    assert parse_date("  late   1990s ").text == "late 1990s"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2017-13", "'2017-13' is not a real date (bad month number 13; must be 1-12)"),
        ("2017-0", "'2017-0' is not a real date (bad month number 0; must be 1-12)"),
        ("2017-02-29", "'2017-02-29' is not a real date (day is out of range for month)"),
        ("2017-09-31", "'2017-09-31' is not a real date (day is out of range for month)"),
        ("2017-09-00", "'2017-09-00' is not a real date (day is out of range for month)"),
        ("0000", "'0000' is not a real date (year 0 is out of range)"),
        ("2017-13 to 2018", "'2017-13 to 2018' is not a real date (bad month number 13"),
        ("2008-2004", "range '2008-2004' ends before it starts"),
        ("2018-03 to 2017-09", "range '2018-03 to 2017-09' ends before it starts"),
        ("2010s to late 1990s", "range '2010s to late 1990s' ends before it starts"),
        ("sometime", "'sometime' is not a date: write a date as 2017, 2017-09"),
        ("", "'' is not a date"),
        ("20170", "'20170' is not a date"),
        ("2017-09-14-", "'2017-09-14-' is not a date"),
        ("1995s", "'1995s' is not a date"),
        ("late", "'late' is not a date"),
        ("2004-", "'2004-' is not a date"),
    ],
)
def test_invalid_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_date(text)
    assert str(raised.value).startswith(message)


def test_sort_order_of_mixed_precisions() -> None:
    texts = ["2017", "late 2010", "late 1990s", "2004-2008", "1990s", "2017-09", "2017-09-14"]
    ordered = sorted((parse_date(t) for t in texts), key=lambda d: d.sort_key)
    # By start, then end: the 1990s start before the late 1990s; 2017 (Jan-Dec) before Sep 2017.
    assert [d.text for d in ordered] == [
        "1990s",
        "late 1990s",
        "2004-2008",
        "late 2010",
        "2017",
        "2017-09",
        "2017-09-14",
    ]


def test_brief_order_late_1990s_range_late_2010_year() -> None:
    keys = [parse_date(t).sort_key for t in ("late 1990s", "2004-2008", "late 2010", 2017)]
    assert keys == sorted(keys)
    assert len(set(keys)) == 4


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("2017", "2017", "2017年"),
        (2017, "2017", "2017年"),
        ("2017-09", "Sep 2017", "2017年9月"),
        ("2017-9", "Sep 2017", "2017年9月"),
        ("2017-09-04", "4 Sep 2017", "2017年9月4日"),
        ("2004-2008", "2004–2008", "2004–2008年"),
        ("2004 to 2008", "2004–2008", "2004–2008年"),
        ("2017-09 to 2018-03", "Sep 2017–Mar 2018", "2017年9月–2018年3月"),
        ("late 1990s", "late 1990s", "1990年代末"),
        ("Late 1990s", "late 1990s", "1990年代末"),
        ("early 1990s", "early 1990s", "1990年代初"),
        ("mid 1990s", "mid 1990s", "1990年代中期"),
        ("1990s", "1990s", "1990年代"),
        ("early 2010", "early 2010", "2010年初"),
        ("mid 2010", "mid 2010", "2010年中"),
        ("late 2010", "late 2010", "2010年末"),
        ("late 1990s to 2004", "late 1990s–2004", "1990年代末–2004年"),
    ],
)
def test_labels_are_never_more_precise_than_the_input(text, en: str, zh: str) -> None:
    parsed = parse_date(text)
    assert parsed.label("en") == en
    assert parsed.label("zh") == zh


@pytest.mark.parametrize("text", ["2017", "late 1990s", "1990s", "early 2010", "2004-2008"])
def test_vague_dates_never_get_a_day_or_month_in_their_label(text: str) -> None:
    for lang in ("en", "zh"):
        label = parse_date(text).label(lang)
        assert "月" not in label
        assert "日" not in label
        assert not any(month in label for month in ("Jan", "Sep", "Dec"))


def test_equality_ignores_spelling_but_not_meaning() -> None:
    assert parse_date("2004-2008") == parse_date("2004 to 2008")
    assert hash(parse_date("2004-2008")) == hash(parse_date("2004 to 2008"))
    assert parse_date("2017") != parse_date("2017-2017")  # year vs range precision
    assert parse_date("2017") != "2017"
    assert repr(parse_date("late 1990s")) == "FuzzyDate('late 1990s')"


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_any_real_day_parses_to_itself(day: date) -> None:
    parsed = parse_date(day.isoformat())
    assert (parsed.start, parsed.end, parsed.precision) == (day, day, "day")
    assert parsed.label("zh") == f"{day.year}年{day.month}月{day.day}日"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_parse_date_only_ever_raises_value_error(text: str) -> None:
    try:
        parsed = parse_date(text)
    except ValueError as error:
        assert str(error)
    else:
        assert isinstance(parsed, FuzzyDate)
        assert parsed.start <= parsed.end
        assert parsed.label("en")
        assert parsed.label("zh")
