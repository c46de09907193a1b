"""Custom-field values checked against the field's type: a bad value is a warning, not a skip."""

import json

import pytest

from imports.cleaning import FIELD_TYPES, clean_custom_value


OPTIONS = ["Monthly", "Quarterly", "Annual Review"]


@pytest.mark.parametrize(
    ("raw", "field_type", "kwargs", "expected"),
    [
        pytest.param(" Some text ", "text", {}, "Some text", id="text"),
        pytest.param("Line 1\r\nLine 2", "text", {}, "Line 1\nLine 2", id="text-keeps-line-breaks"),
        pytest.param("1,234.5", "number", {}, 1234.5, id="number"),
        pytest.param("42", "number", {}, 42, id="integer"),
        pytest.param("03/04/1980", "date", {}, "1980-03-04", id="date-mdy"),
        pytest.param("03/04/1980", "date", {"date_order": "DMY"}, "1980-04-03", id="date-dmy"),
        pytest.param("Yes", "yes_no", {}, True, id="yes"),
        pytest.param("0", "yes_no", {}, False, id="no"),
        pytest.param("quarterly", "dropdown", {"options": OPTIONS}, "Quarterly", id="dropdown-case-insensitive"),
        pytest.param("annual  review", "dropdown", {"options": OPTIONS}, "Annual Review", id="dropdown-spaces"),
        pytest.param("Jane@Example.com", "email", {}, "Jane@example.com", id="email"),
        pytest.param("(312) 555-0100", "phone", {}, "+13125550100", id="phone"),
        pytest.param("020 7946 0958", "phone", {"default_country": "GB"}, "+442079460958", id="phone-gb"),
        pytest.param("www.example.com", "url", {}, "https://www.example.com", id="url"),
    ],
)
def test_clean_custom_value(raw, field_type, kwargs, expected):
    value, problems = clean_custom_value(raw, field_type=field_type, **kwargs)
    assert (value, problems) == (expected, [])
    assert json.loads(json.dumps(value)) == value


@pytest.mark.parametrize("field_type", ["text", "number", "date", "yes_no", "dropdown", "email", "phone", "url"])
@pytest.mark.parametrize("raw", ["", "   "])
def test_blank_custom_value_is_none(raw, field_type):
    assert clean_custom_value(raw, field_type=field_type, options=OPTIONS) == (None, [])


@pytest.mark.parametrize(
    ("raw", "field_type", "code"),
    [
        pytest.param("lots", "number", "invalid_number", id="number"),
        pytest.param("02/30/2020", "date", "invalid_date", id="date"),
        pytest.param("maybe", "yes_no", "invalid_yes_no", id="yes-no"),
        pytest.param("Weekly", "dropdown", "invalid_option", id="dropdown"),
        pytest.param("jane(at)example", "email", "invalid_custom_value", id="email"),
        pytest.param("not a site", "url", "invalid_url", id="url"),
    ],
)
def test_bad_custom_value_is_a_warning_and_no_value(raw, field_type, code):
    value, problems = clean_custom_value(raw, field_type=field_type, options=OPTIONS)
    assert value is None
    assert [p.code for p in problems] == [code]


def test_bad_custom_phone_is_kept_as_typed():
    assert clean_custom_value("555-0100", field_type="phone")[0] == "555-0100"


def test_dropdown_warning_names_the_options():
    _, problems = clean_custom_value("Weekly", field_type="dropdown", options=OPTIONS)
    assert "Monthly, Quarterly, Annual Review" in problems[0].message


def test_dropdown_warning_abbreviates_many_options():
    options = [f"Option {n}" for n in range(1, 31)]
    _, problems = clean_custom_value("Nope", field_type="dropdown", options=options)
    assert "Option 8 and 22 more" in problems[0].message
    assert "Option 9" not in problems[0].message


FILING_STATUSES = [
    "Single", "Married filing jointly", "Married filing separately", "Head of household", "Qualifying surviving spouse",
]


@pytest.mark.parametrize(
    ("raw", "options", "expected"),
    [
        pytest.param("S", FILING_STATUSES, "Single", id="s"),
        pytest.param("single", FILING_STATUSES, "Single", id="single-lower"),
        pytest.param("MFJ", FILING_STATUSES, "Married filing jointly", id="mfj"),
        pytest.param("mfj", FILING_STATUSES, "Married filing jointly", id="mfj-lower"),
        pytest.param("Married Filing Joint", FILING_STATUSES, "Married filing jointly", id="lacerte-joint"),
        pytest.param("Married-Joint", FILING_STATUSES, "Married filing jointly", id="married-hyphen-joint"),
        pytest.param("MFJ - Married filing jointly", FILING_STATUSES, "Married filing jointly", id="code-and-wording"),
        pytest.param("Married filing jointly (MFJ)", FILING_STATUSES, "Married filing jointly", id="wording-and-code"),
        pytest.param("MFS", FILING_STATUSES, "Married filing separately", id="mfs"),
        pytest.param("Married Filing Separate", FILING_STATUSES, "Married filing separately", id="mfs-wording"),
        pytest.param("HOH", FILING_STATUSES, "Head of household", id="hoh"),
        pytest.param("QW", FILING_STATUSES, "Qualifying surviving spouse", id="qw"),
        pytest.param("QSS", FILING_STATUSES, "Qualifying surviving spouse", id="qss"),
        pytest.param("QSS/QW", FILING_STATUSES, "Qualifying surviving spouse", id="qss-qw"),
        pytest.param("Qualifying widow(er)", FILING_STATUSES, "Qualifying surviving spouse", id="old-irs-wording"),
        pytest.param("Married filing jointly", ["S", "MFJ", "MFS"], "MFJ", id="wording-to-code-option"),
        pytest.param("QSS", ["Single", "Qualifying widow(er)"], "Qualifying widow(er)", id="old-option-spelling"),
        pytest.param("MFJ", ["MFJ - Married filing jointly"], "MFJ - Married filing jointly", id="combined-option"),
    ],
)
def test_dropdown_understands_filing_status_abbreviations(raw, options, expected):
    assert clean_custom_value(raw, field_type="dropdown", options=options) == (expected, [])


@pytest.mark.parametrize(
    ("raw", "options"),
    [
        pytest.param("MFJ", ["Single", "Head of household"], id="option-missing"),
        pytest.param("S", OPTIONS, id="not-a-filing-status-field"),
        pytest.param("HOH", ["Individual", "Joint"], id="no-fuzzy-joint"),
        pytest.param("Married", FILING_STATUSES, id="married-alone-is-ambiguous"),
        pytest.param("MFJ/MFS", FILING_STATUSES, id="two-statuses"),
        pytest.param("Married filing jointly", ["Married"], id="option-ambiguous"),
    ],
)
def test_filing_status_without_a_matching_option_is_still_rejected(raw, options):
    value, problems = clean_custom_value(raw, field_type="dropdown", options=options)
    assert value is None
    assert [p.code for p in problems] == ["invalid_option"]
    assert f'"{raw}" is not one of the choices' in problems[0].message


def test_dropdown_without_options():
    value, problems = clean_custom_value("Gold", field_type="dropdown")
    assert value is None and "no options" in problems[0].message


def test_custom_email_keeps_the_first_and_says_so():
    value, problems = clean_custom_value("a@x.com, b@y.com", field_type="email")
    assert value == "a@x.com"
    assert [p.code for p in problems] == ["invalid_custom_value"]
    assert "b@y.com" in problems[0].message


def test_unknown_field_type_is_a_programming_error():
    with pytest.raises(ValueError):
        clean_custom_value("x", field_type="color")


def test_custom_field_types_match_the_mapping_document():
    from imports import mapping

    assert set(FIELD_TYPES) == set(mapping.FIELD_TYPES)

