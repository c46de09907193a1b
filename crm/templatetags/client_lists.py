"""The client lists' and pages' display helpers: sortable column headers and phone numbers."""

from __future__ import annotations

import phonenumbers
from django import template
from django.utils.html import format_html
from phonenumbers import NumberParseException, PhoneNumberFormat

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, css: str = ""):
    """A column header linking to the list sorted by `key`: ascending first, then descending;
    the current sort is marked with aria-sort and an arrow. Filters stay; the page resets."""
    request = context["request"]
    current = request.GET.get("sort", "") or context.get("default_sort", "name")
    query = request.GET.copy()
    for paging in ("page", "after", "before"):
        query.pop(paging, None)
    if current == key:
        query["sort"], state, arrow = f"-{key}", "ascending", "▲"
    elif current == f"-{key}":
        query["sort"], state, arrow = key, "descending", "▼"
    else:
        query["sort"], state, arrow = key, "", ""
    attrs = format_html(' aria-sort="{}"', state) if state else ""
    return format_html(
        '<th scope="col"{}{}><a class="sort-link" href="?{}" data-sort="{}">{}<span class="sort-arrow" '
        'aria-hidden="true">{}</span></a></th>',
        attrs, format_html(' class="{}"', css) if css else "", query.urlencode(), key, label, arrow,
    )


@register.filter
def phone(value: str, country: str = "US"):
    """A stored phone for reading: the firm's own country's numbers in national format, others
    international, the E.164 kept in a title and data attribute. A value that is not a valid
    number (an import keeps what it could not read as typed) is shown muted as "not a phone"."""
    text = str(value or "").strip()
    if not text:
        return ""
    region = (country or "US").upper()
    try:
        number = phonenumbers.parse(text.replace(";ext=", " ext. "), region)
    except NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return format_html('<span class="muted not-a-phone">not a phone: {}</span>', text)
    same_country = phonenumbers.region_code_for_number(number) == region
    shown = phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if same_country else PhoneNumberFormat.INTERNATIONAL)
    return format_html('<span class="phone" title="{}" data-e164="{}">{}</span>', text, text, shown)
