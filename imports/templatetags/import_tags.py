"""Labels and small filters of the import pages and the finish email."""

from __future__ import annotations

from django import template

from imports.cleaning.codes import code_title
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
