"""Inputs and fields the CRM forms share: the write-only input, the date picker, and the fields whose
values go through the import's cleaners (`FirmDateField`, `CleanedField`; `_refuse` for the rest)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

# The rules for values live once, in the import's cleaners (pure functions, no database): a
# value typed here is stored as an import of the same text stores it, and what an import would
# warn about is refused here with the same words.
from imports import cleaning


class WriteOnlyInput(forms.TextInput):
    """A text input that never renders a value: what is stored (or was typed) stays out of the
    HTML, so a sensitive number cannot leak through a page, its cache or a screenshot."""

    def format_value(self, value):
        return None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _refuse(problems) -> None:
    """The cleaners' problems as this field's errors, without what an import would do about them."""
    if problems:
        raise ValidationError([problem.reason for problem in problems])


class FirmDateField(forms.DateField):
    """A date read as the import reads it (`cleaning.clean_date`): ISO (what the date picker
    sends) always, other writings in the firm's date order, so 03/04/1980 means the same date
    here and in the firm's files."""

    date_order = "MDY"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        date, problems = cleaning.clean_date(str(value), date_order=self.date_order)
        _refuse(problems)
        return date


class CleanedField(forms.CharField):
    """A text input whose value goes through one of the import's cleaners: `rule(text)` gives
    (value, problems), as every cleaner in imports/cleaning does."""

    def __init__(self, *, rule, **kwargs):
        self.rule = rule
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return ""
        cleaned, problems = self.rule(text)
        _refuse(problems)
        return cleaned
