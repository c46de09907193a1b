"""Date cells in the firm's date order."""

import datetime

import pytest

from imports.cleaning import clean_date

D = datetime.date


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
        pytest.param("12/31/99", D(1999, 12, 31), id="ninety-nine"),
        pytest.param("March 4, 80", D(1980, 3, 4), id="month-name"),
    ],
)
def test_two_digit_years_never_make_a_future_date(raw, expected):
    assert clean_date(raw) == (expected, [])


def two_digit(day: datetime.date) -> str:
    return day.strftime("%m/%d/%y")


def test_a_two_digit_year_is_this_century_up_to_today_and_the_last_one_after():
    # Read against the real clock: the boundary moves with it.
    today = D.today()
    tomorrow = today + datetime.timedelta(days=1)
    next_new_year = D(today.year + 1, 1, 1)
    assert clean_date(two_digit(today)) == (today, [])
    assert clean_date(two_digit(tomorrow)) == (tomorrow.replace(year=tomorrow.year - 100), [])
    assert clean_date(two_digit(next_new_year)) == (next_new_year.replace(year=next_new_year.year - 100), [])


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


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("0/0/00", id="outlook"),
        pytest.param("0/0/0000", id="zeros-four-digit-year"),
        pytest.param("00/00/0000", id="padded-zeros"),
        pytest.param("00-00-00", id="dashes"),
        pytest.param("00.00.0000", id="dots"),
        pytest.param("0000-00-00", id="iso-zeros"),
        pytest.param("0000/00/00", id="year-first-zeros"),
        pytest.param("00000000", id="compact-zeros"),
        pytest.param("1/0/00", id="excel-day-zero"),
        pytest.param("1/0/1900", id="excel-day-zero-four-digit-year"),
        pytest.param("0/1/00", id="excel-day-zero-day-first"),
        pytest.param("1900-01-00", id="excel-day-zero-iso"),
        pytest.param("0/0/00 0:00", id="with-time"),
        pytest.param("1/0/1900 12:00:00 AM", id="excel-with-time"),
        pytest.param(" 0/0/00 ", id="padded"),
    ],
)
@pytest.mark.parametrize("order", ["MDY", "DMY", "YMD"])
def test_how_programs_write_no_date_is_blank(raw, order):
    assert clean_date(raw, date_order=order) == (None, [])


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("00/00/1980", id="year-only-known"),
        pytest.param("01/00/1980", id="day-zero-real-year"),
        pytest.param("0000-01-01", id="year-zero-real-day"),
        pytest.param("2/0/00", id="february-day-zero"),
        pytest.param("0/0/01", id="zeros-in-2001"),
        pytest.param("1/1/0000", id="year-zero"),
    ],
)
def test_partly_zero_dates_still_warn(raw):
    value, problems = clean_date(raw)
    assert value is None
    assert [p.code for p in problems] == ["invalid_date"]


@pytest.mark.parametrize(
    ("raw", "order", "says", "never_says"),
    [
        pytest.param("2020-13-01", "MDY", "read as year-month-day (ISO) (there is no month 13)", "month/day/year", id="iso-month"),
        pytest.param("2021-02-29", "DMY", "read as year-month-day (ISO) (2021 is not a leap year)", "day/month/year", id="iso-leap"),
        pytest.param("2020-04-31", "MDY", "read as year-month-day (ISO) (April has no day 31)", "month/day/year", id="iso-day"),
        pytest.param("2020-04-31T10:00:00", "MDY", "year-month-day (ISO)", "month/day/year", id="iso-with-time"),
        pytest.param("2020/04/31", "MDY", "read as year/month/day (April has no day 31)", "month/day/year", id="year-first"),
        pytest.param("02/30/2020", "MDY", "read as month/day/year (February has no day 30)", "ISO", id="mdy"),
        pytest.param("30/02/2020", "DMY", "read as day/month/year (February has no day 30)", "ISO", id="dmy"),
        pytest.param("13/04/1980", "MDY", "read as month/day/year (there is no month 13)", "ISO", id="mdy-month"),
        pytest.param("March 32, 1980", "MDY", "(March has no day 32)", "month/day/year", id="month-name"),
    ],
)
def test_impossible_date_message_says_how_it_was_read(raw, order, says, never_says):
    value, problems = clean_date(raw, date_order=order)
    assert value is None
    assert says in problems[0].message and never_says not in problems[0].message
    assert problems[0].message.startswith(f'"{raw}" is not a real date')


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
