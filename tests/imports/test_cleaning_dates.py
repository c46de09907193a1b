"""Date cells in the firm's date order."""

import datetime

import pytest

from imports.cleaning import clean_date
from imports.cleaning import dates as dates_module

D = datetime.date


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(dates_module, "_today", lambda: D(2026, 6, 15))


@pytest.mark.parametrize(
    ("raw", "mdy", "dmy"),
    [
        pytest.param("03/04/1980", D(1980, 3, 4), D(1980, 4, 3), id="ambiguous-slashes"),
        pytest.param("3/4/1980", D(1980, 3, 4), D(1980, 4, 3), id="no-leading-zeros"),
        pytest.param("03-04-1980", D(1980, 3, 4), D(1980, 4, 3), id="dashes"),
        pytest.param("03.04.1980", D(1980, 3, 4), D(1980, 4, 3), id="dots"),
        pytest.param("03 04 1980", D(1980, 3, 4), D(1980, 4, 3), id="spaces"),
        pytest.param("03041980", D(1980, 3, 4), D(1980, 4, 3), id="eight-digits-in-order"),
        pytest.param("1980-03-04", D(1980, 3, 4), D(1980, 3, 4), id="iso"),
        pytest.param("1980-3-4", D(1980, 3, 4), D(1980, 3, 4), id="iso-short"),
        pytest.param("1980-03-04 00:00:00", D(1980, 3, 4), D(1980, 3, 4), id="iso-with-time"),
        pytest.param("1980-03-04T10:30:00+02:00", D(1980, 3, 4), D(1980, 3, 4), id="iso-with-zone"),
        pytest.param("1980-03-04T10:30:00Z", D(1980, 3, 4), D(1980, 3, 4), id="iso-utc"),
        pytest.param("1980-03-04 10:30:00.123", D(1980, 3, 4), D(1980, 3, 4), id="iso-fraction"),
        pytest.param("19800304", D(1980, 3, 4), D(1980, 3, 4), id="compact-year-first"),
        pytest.param("1980/03/04", D(1980, 3, 4), D(1980, 3, 4), id="year-first-slashes"),
        pytest.param("03/04/1980 12:00 AM", D(1980, 3, 4), D(1980, 4, 3), id="with-12h-time"),
        pytest.param("03/04/1980 14:05", D(1980, 3, 4), D(1980, 4, 3), id="with-24h-time"),
        pytest.param("March 4, 1980", D(1980, 3, 4), D(1980, 3, 4), id="month-name-first"),
        pytest.param("4 March 1980", D(1980, 3, 4), D(1980, 3, 4), id="day-first-month-name"),
        pytest.param("4 Mar 1980", D(1980, 3, 4), D(1980, 3, 4), id="abbreviated-month"),
        pytest.param("Mar 4 1980", D(1980, 3, 4), D(1980, 3, 4), id="abbreviated-month-first"),
        pytest.param("4-Mar-1980", D(1980, 3, 4), D(1980, 3, 4), id="excel-style"),
        pytest.param("04-MAR-80", D(1980, 3, 4), D(1980, 3, 4), id="oracle-style-two-digit-year"),
        pytest.param("Sept. 4, 1980", D(1980, 9, 4), D(1980, 9, 4), id="sept"),
        pytest.param("Tuesday, March 4th, 1980", D(1980, 3, 4), D(1980, 3, 4), id="weekday-and-ordinal"),
        pytest.param("4th of March 1980", D(1980, 3, 4), D(1980, 3, 4), id="of"),
        pytest.param("1980 Mar 04", D(1980, 3, 4), D(1980, 3, 4), id="year-month-name-day"),
        pytest.param("13/04/1980", None, D(1980, 4, 13), id="day-over-12-only-fits-dmy"),
        pytest.param("04/13/1980", D(1980, 4, 13), None, id="day-over-12-only-fits-mdy"),
        pytest.param("02/29/2020", D(2020, 2, 29), None, id="leap-day"),
        pytest.param("29/02/2020", None, D(2020, 2, 29), id="leap-day-dmy"),
        pytest.param("02/30/2020", None, None, id="impossible-day"),
        pytest.param("02/29/2021", None, None, id="not-a-leap-year"),
        pytest.param("00/10/1980", None, None, id="month-zero"),
        pytest.param("2020-13-01", None, None, id="iso-month-13"),
    ],
)
def test_date_orders(raw, mdy, dmy):
    for order, expected in (("MDY", mdy), ("DMY", dmy)):
        value, problems = clean_date(raw, date_order=order)
        assert value == expected, order
        assert [p.code for p in problems] == ([] if expected else ["invalid_date"]), order


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("03/04/80", D(1980, 3, 4), id="eighties"),
        pytest.param("03-04-80", D(1980, 3, 4), id="dashes"),
        pytest.param("01/01/00", D(2000, 1, 1), id="year-2000"),
        pytest.param("01/01/05", D(2005, 1, 1), id="child-born-2005"),
        pytest.param("06/15/26", D(2026, 6, 15), id="today-is-not-future"),
        pytest.param("06/16/26", D(1926, 6, 16), id="tomorrow-goes-back-a-century"),
        pytest.param("01/01/27", D(1927, 1, 1), id="next-year-goes-back-a-century"),
        pytest.param("12/31/99", D(1999, 12, 31), id="ninety-nine"),
        pytest.param("March 4, 80", D(1980, 3, 4), id="month-name"),
    ],
)
def test_two_digit_years_never_make_a_future_date(raw, expected):
    assert clean_date(raw) == (expected, [])


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("not a date", id="words"),
        pytest.param("1980", id="year-only"),
        pytest.param("March 1980", id="month-and-year"),
        pytest.param("1980-03", id="iso-month"),
        pytest.param("29282", id="excel-serial"),
        pytest.param("03/04", id="no-year"),
        pytest.param("03/04/198", id="three-digit-year"),
        pytest.param("03/04-1980", id="mixed-separators"),
        pytest.param("about March 4, 1980", id="stray-word"),
        pytest.param("March 4 May 1980", id="two-months"),
        pytest.param("Marchh 4, 1980", id="misspelt-month"),
        pytest.param("123/04/1980", id="three-digit-first"),
        pytest.param("0000-01-01", id="year-zero"),
        pytest.param("²/4/1980", id="superscript-digit"),
    ],
)
def test_unreadable_dates_give_a_warning(raw):
    value, problems = clean_date(raw)
    assert value is None
    assert [p.code for p in problems] == ["invalid_date"]
    assert raw in problems[0].message


def test_message_names_the_expected_order():
    _, problems = clean_date("13/04/1980", date_order="MDY")
    assert "month/day/year" in problems[0].message
    _, problems = clean_date("soon", date_order="DMY")
    assert "day/month/year" in problems[0].message and "31/03/1980" in problems[0].message


def test_far_future_dates_are_parsed_the_caller_decides():
    assert clean_date("2090-01-01") == (D(2090, 1, 1), [])


def test_year_first_order():
    assert clean_date("1980/03/04", date_order="YMD") == (D(1980, 3, 4), [])
    assert clean_date("03/04/1980", date_order="YMD")[0] is None


@pytest.mark.parametrize("raw", ["", "   ", "\x00"])
def test_blank_is_no_date_and_no_warning(raw):
    assert clean_date(raw) == (None, [])


def test_unknown_date_order_is_a_programming_error():
    with pytest.raises(ValueError):
        clean_date("1980-03-04", date_order="XYZ")


def test_date_order_is_case_insensitive():
    assert clean_date("03/04/1980", date_order="dmy") == (D(1980, 4, 3), [])
