"""Small helpers shared by the CRM pages."""

from __future__ import annotations

import datetime

from crm import selectors
from crm.models import CustomField, Firm
from crm.permissions import can_edit_clients
from crm.saved_filters import may_delete

def list_context(request, list_kind: str, filter_form_class) -> dict:
    """What both client lists show around the table: the firm's saved filters (the one in use
    marked), the query string a new saved filter would keep, and the recent bulk deletions."""
    current_query = filter_form_class.kept_query(request.GET)
    saved = list(selectors.saved_filters(firm=request.membership.firm, list_kind=list_kind))
    for item in saved:
        item.is_current = item.query == current_query
        item.can_delete = may_delete(request.membership, item)
    return {
        "saved_filters": saved,
        "current_query": current_query,
        "list_kind": list_kind,
        "recent_deletions": selectors.recent_deletions(firm=request.membership.firm, list_kind=list_kind),
    }


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
