"""The firm's custom fields on a form: one typed input per field (`CustomFieldsMixin`), its name
(`custom_field_name`) and the JSON value stored for what was typed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms

from crm import selectors
from crm.forms.fields import CleanedField, DateInput, FirmDateField
from crm.models import CustomField, Firm
from imports import cleaning


def custom_field_name(field: CustomField) -> str:
    return f"cf_{field.pk}"


def _custom_form_field(field: CustomField, stored, firm: Firm) -> forms.Field:
    common = {"label": field.name, "required": False}
    kind = field.field_type
    if kind == CustomField.Type.NUMBER:
        return forms.DecimalField(**common, widget=forms.NumberInput(attrs={"step": "any"}))
    if kind == CustomField.Type.DATE:
        date_field = FirmDateField(**common, widget=DateInput())
        date_field.date_order = firm.date_order
        return date_field
    if kind == CustomField.Type.YES_NO:
        widget = forms.NullBooleanSelect()
        widget.choices = [("unknown", "—"), ("true", "Yes"), ("false", "No")]
        return forms.NullBooleanField(**common, widget=widget)
    if kind == CustomField.Type.DROPDOWN:
        options = [str(option) for option in field.options]
        if stored not in (None, "") and str(stored) not in options:
            # An imported value outside the options is shown, not silently dropped on save.
            options.append(str(stored))
        return forms.ChoiceField(**common, choices=[("", "—")] + [(option, option) for option in options])
    if kind in (CustomField.Type.EMAIL, CustomField.Type.URL, CustomField.Type.PHONE):
        def rule(text, kind=str(kind)):
            return cleaning.clean_custom_value(text, field_type=kind, default_country=firm.default_country)

        # A text input for web addresses: a browser's URL input refuses "www.example.com", which
        # the import takes.
        widget = {CustomField.Type.EMAIL: forms.EmailInput(),
                  CustomField.Type.PHONE: forms.TextInput(attrs={"type": "tel"})}.get(kind, forms.TextInput())
        return CleanedField(**common, rule=rule, max_length=1000, widget=widget)
    return forms.CharField(**common, max_length=1000)


def _json_value(field: CustomField, value):
    """The JSON-able value stored for a cleaned form value; None means "no value"."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    return value


class CustomFieldsMixin:
    """Adds one typed input per firm custom field and merges the values into `custom_values`."""

    def add_custom_fields(self, *, firm: Firm, applies_to: str, values: dict) -> None:
        self.custom_field_rows = list(selectors.custom_fields(firm=firm, applies_to=applies_to))
        self._stored_custom_values = dict(values or {})
        for field in self.custom_field_rows:
            stored = self._stored_custom_values.get(field.value_key)
            name = custom_field_name(field)
            self.fields[name] = _custom_form_field(field, stored, firm)
            self.initial.setdefault(name, stored)

    def custom_fields_bound(self):
        return [self[custom_field_name(field)] for field in self.custom_field_rows]

    def custom_values(self) -> dict:
        """The stored values with this form's fields applied; keys of other fields are kept."""
        values = dict(self._stored_custom_values)
        for field in self.custom_field_rows:
            value = _json_value(field, self.cleaned_data.get(custom_field_name(field)))
            if value is None:
                values.pop(field.value_key, None)
            else:
                values[field.value_key] = value
        return values
