"""Labels and small filters of the import pages and the finish email."""

from __future__ import annotations

from django import template

from imports.models import COUNTER_NAMES, ROWS_IN_FILE

register = template.Library()

# The counters of DESIGN §2, as the results page, the history and the email name them.
COUNTER_LABELS = {
    "rows_total": "Rows in the file",
    "rows_imported": "Rows imported",
    "rows_skipped": "Rows skipped",
    "accounts_created": "Accounts created",
    "accounts_updated": "Accounts updated",
    "contacts_created": "Contacts created",
    "contacts_updated": "Contacts updated",
    "custom_fields_created": "Custom fields created",
    "tags_created": "Tags created",
    "warnings": "Warnings",
}
assert set(COUNTER_LABELS) == set(COUNTER_NAMES)

# Short titles of the skip reasons and warnings (DESIGN §3.4); the engine's message explains.
CODE_TITLES = {
    "missing_account_name": "No account name",
    "missing_contact_identity": "No name and no email",
    "unreadable_row": "Row could not be read",
    "conflicting_account_type": "Conflicting account type",
    "account_not_found": "Account does not exist",
    "ambiguous_account": "Several accounts have this name",
    "same_name": "Another client has this name",
    "account_named_after_email": "Account named after an email",
    "shared_email": "Email shared by two people",
    "formula_text": "Name looks like a formula",
    "extra_cells": "More cells than columns",
    "text_truncated": "Text too long",
    "invalid_email": "Invalid email",
    "invalid_phone": "Phone not understood",
    "invalid_date": "Date not understood",
    "unknown_account_type": "Unknown account type",
    "unknown_status": "Unknown client status",
    "invalid_yes_no": "Not a yes/no value",
    "invalid_number": "Not a number",
    "invalid_url": "Invalid web address",
    "invalid_option": "Not a dropdown option",
    "invalid_custom_value": "Value does not fit the field",
    "invalid_tax_id": "SSN/TIN looks wrong",
    "unknown_team_member": "Unknown team member",
    "time_dropped": "Time left out of a date of birth",
    "partial_date": "Year only: kept in the notes",
}


def code_title(code: str) -> str:
    return CODE_TITLES.get(code) or code.replace("_", " ").capitalize()


def counter_rows(counts: dict) -> list[tuple[str, str, int]]:
    """(name, label, number) for every counter, in the order of COUNTER_NAMES.

    After a cancel the counters cover the rows reached, not the file: the file's count comes
    first as "Rows in the file", and `rows_total` is "Rows reached"."""
    counts = counts or {}
    labels = dict(COUNTER_LABELS)
    rows = []
    if ROWS_IN_FILE in counts:
        rows.append((ROWS_IN_FILE, labels["rows_total"], int(counts[ROWS_IN_FILE])))
        labels["rows_total"] = "Rows reached"
    return rows + [(name, labels[name], int(counts.get(name, 0))) for name in COUNTER_NAMES]


register.filter("code_title", code_title)


@register.filter
def counter_label(name: str) -> str:
    return COUNTER_LABELS.get(name, name)


@register.filter
def filesize(size) -> str:
    """1536 -> "1.5 KB": as people read file sizes."""
    size = float(size or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}".replace(".0 ", " ")
        size /= 1024
    return ""


@register.filter
def delimiter_name(value: str) -> str:
    return {",": "Comma", ";": "Semicolon", "\t": "Tab", "|": "Pipe"}.get(value or "", value or "—")


@register.filter
def encoding_name(value: str) -> str:
    from imports.forms import encoding_label

    return encoding_label(value or "") or "—"


@register.filter
def get_item(mapping: dict, key):
    return (mapping or {}).get(key)


@register.filter
def percent(part, whole) -> int:
    try:
        return max(0, min(100, int(int(part) * 100 / int(whole))))
    except (TypeError, ValueError, ZeroDivisionError):
        return 0
