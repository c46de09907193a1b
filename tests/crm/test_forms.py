"""Form helpers without the database: custom-field values."""

import datetime
from decimal import Decimal

import pytest

from crm.forms import _json_value
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
