"""Form helpers without the database: custom-field values, phones, lists."""

import datetime
from decimal import Decimal

import pytest

from crm.forms import _json_value, normalise_phone, split_list
from crm.models import CustomField


@pytest.mark.parametrize(
    "value,stored",
    [
        (Decimal("12"), 12),
        (Decimal("12.50"), 12.5),
        (datetime.date(2024, 2, 29), "2024-02-29"),
        (True, True),
        (False, False),
        (None, None),
        ("", None),
        ("  text  ", "text"),
    ],
)
def test_custom_values_are_stored_as_json(value, stored):
    assert _json_value(CustomField(field_type="text"), value) == stored


@pytest.mark.parametrize(
    "raw,country,expected",
    [
        ("(212) 555-0199", "US", "+12125550199"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+33 1 23 45 67 89", "US", "+33123456789"),
        ("call the office", "US", "call the office"),
        ("12", "US", "12"),
    ],
)
def test_phones_become_e164_or_stay_as_typed(raw, country, expected):
    assert normalise_phone(raw, country) == expected


def test_split_list_accepts_lines_commas_and_semicolons():
    assert split_list("a@x.example, b@x.example\n\nc@x.example;d@x.example ") == [
        "a@x.example", "b@x.example", "c@x.example", "d@x.example"
    ]
