"""Small helpers shared by the CRM pages."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator

from crm import selectors
from crm.models import CustomField, Firm
from crm.permissions import can_edit_clients

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page; a page number out of range or garbage gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def editor_context(request) -> dict:
    return {"can_edit": can_edit_clients(request.membership)}


def custom_value_rows(*, firm: Firm, applies_to: str, values: dict) -> list[dict]:
    """The record's custom values, labelled by the firm's fields, in the fields' order.

    Values are looked up by `str(field.pk)`; values of deleted fields are not shown.
    """
    rows = []
    for field in selectors.custom_fields(firm=firm, applies_to=applies_to):
        value = (values or {}).get(field.value_key)
        if value is None or value == "":
            continue
        rows.append({"label": field.name, "value": display_custom_value(field, value), "link": _link(field, value)})
    return rows


def display_custom_value(field: CustomField, value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.field_type == CustomField.Type.DATE and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%b %-d, %Y")
        except ValueError:
            return value
    return str(value)


def _link(field: CustomField, value) -> str:
    """An href only for values that are safe to link: http(s) URLs and email addresses."""
    text = str(value)
    if field.field_type == CustomField.Type.URL and text.lower().startswith(("http://", "https://")):
        return text
    if field.field_type == CustomField.Type.EMAIL and "@" in text and ":" not in text:
        return f"mailto:{text}"
    return ""
