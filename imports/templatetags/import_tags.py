"""Labels and small filters of the import pages and the finish email."""

from __future__ import annotations

from django import template

from imports.cleaning.codes import code_title
from imports.report import COUNTER_LABELS

register = template.Library()

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
