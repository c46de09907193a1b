"""The column profile and the cleaners it relies on: table-driven, no database."""

import datetime

import pytest

from imports.cleaning import clean_custom_value, clean_date_time, clean_number, number_format_evidence, year_only
from imports.profiling import PROFILE_MAX_ROWS, profile_columns
from imports.reading import SourceRow


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.000,00", "comma"), ("1.234,5", "comma"), ("12,5", "comma"), ("1.234.567", "comma"), ("€ 2.500,00", "comma"),
        ("1,000.00", "point"), ("12.5", "point"), ("1,234,567", "point"), ("($1,234.50)", "point"),
        ("1,234", None), ("1.234", None), ("1000", None), ("31.12.1980", None), ("abc", None), ("", None),
    ],
)
def test_number_format_evidence(value, expected):
    assert number_format_evidence(value) == expected


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        ("1.000,00", "comma", 1000), ("1.234", "comma", 1234), ("1,5", "comma", 1.5), ("-1.000,5", "comma", -1000.5),
        ("1,234", "point", 1234), ("1.234", "point", 1.234), ("1,000.00", "point", 1000),
        ("1,234", None, 1234), ("1.234,50", None, 1234.5),  # no format: each value on its own
        ("12,5", "point", None), ("1,000.00", "comma", None),  # only the other format reads them
    ],
)
def test_clean_number_in_a_column_format(value, number_format, expected):
    number, problems = clean_number(value, number_format=number_format)
    assert number == expected
    if expected is None:
        assert problems[0].code == "invalid_number" and "this column's numbers" in problems[0].message


@pytest.mark.parametrize(
    ("value", "order", "date", "time"),
    [
        ("2024-03-05 14:30", "MDY", datetime.date(2024, 3, 5), "14:30"),
        ("03/05/2024 2:30 PM", "MDY", datetime.date(2024, 3, 5), "14:30"),
        ("05/03/2024 14:30:05", "DMY", datetime.date(2024, 3, 5), "14:30:05"),
        ("2024-03-05T09:00:00+0200", "MDY", datetime.date(2024, 3, 5), "09:00+02:00"),
        ("2024-03-05T09:00Z", "MDY", datetime.date(2024, 3, 5), "09:00Z"),
        ("2024-03-05 00:00:00", "MDY", datetime.date(2024, 3, 5), ""),  # midnight: a plain date
        ("3/5/2024 12:00 AM", "MDY", datetime.date(2024, 3, 5), ""),
        ("2024-03-05", "MDY", datetime.date(2024, 3, 5), ""),
    ],
)
def test_clean_date_time_keeps_the_time(value, order, date, time):
    assert clean_date_time(value, date_order=order) == (date, time, [])


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024-03-05 14:30", "2024-03-05T14:30"), ("2024-03-05 00:00", "2024-03-05"), ("1985", "1985"),
     ("2019.", "2019"), ("85", None), ("13/13/2020", None)],
)
def test_a_date_custom_field_keeps_times_and_years(value, expected):
    stored, _problems = clean_custom_value(value, field_type="date")
    assert stored == expected


def test_year_only():
    assert [year_only(v) for v in ("1985", " 2019 ", "0985", "1985-03", "12345")] == ["1985", "2019", "", "", ""]


def rows(values):
    return (SourceRow(number=i + 2, cells=cells, extra=[]) for i, cells in enumerate(values))


def test_the_profile_reads_the_whole_column():
    values = [["", "1.234"]] * 40 + [["15/03/1968", "1.000,50"], ["16/03/1968", "2.000,75"]]
    profile = profile_columns(rows(values), 2)
    dates, numbers = profile.columns
    assert (dates.filled, dates.samples, dates.field_type, dates.date_order) == (2, ["15/03/1968", "16/03/1968"],
                                                                                 "date", "DMY")
    assert numbers.number_format is None  # 2 proofs among 42 numbers: not a tenth of the column
    assert profile.rows_read == 42 and profile.complete


def test_the_profile_is_bounded_and_its_sample_spread_over_the_column():
    values = ([[f"a{i}"]] for i in range(PROFILE_MAX_ROWS + 10))
    profile = profile_columns((SourceRow(number=i, cells=cells, extra=[]) for i, [cells] in enumerate(values)), 1)
    column = profile.columns[0]
    assert profile.rows_read == PROFILE_MAX_ROWS and not profile.complete
    assert column.samples == ["a0", "a1", "a2", "a3", "a4"]
    assert len(column.values) == 200 and max(int(v[1:]) for v in column.values) > PROFILE_MAX_ROWS // 2


def test_tax_ids_are_stored_masked():
    profile = profile_columns(rows([["123-45-6789"]]), 1)
    assert profile.columns[0].samples == ["•••-••-6789"]
