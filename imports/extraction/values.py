"""Cells that accounts and people share: tags, custom-field values, and the warning for a value
that looks like a spreadsheet formula."""

from __future__ import annotations

import re

from crm.normalize import normalize_name_key
from imports import cleaning
from imports.extraction.context import ExtractionContext, _Column
from imports.problems import Problem


def _extend_tags(tags: list[str], raw: str) -> list[Problem]:
    problems = []
    seen = {normalize_name_key(tag) for tag in tags}
    for name in cleaning.split_list(raw):
        name, tag_problems = cleaning.clean_text(name, max_length=100)
        problems.extend(tag_problems)
        key = normalize_name_key(name)
        if key and key not in seen:
            seen.add(key)
            tags.append(name)
    return problems


def _extract_custom(values: dict, col: _Column, raw: str, ctx: ExtractionContext) -> list[Problem]:
    spec = ctx.custom_spec(col)
    if spec.collects_options:
        # A dropdown this import creates takes its choices from the file itself.
        value, problems = cleaning.clean_text(raw, max_length=100)
    else:
        value, problems = cleaning.clean_custom_value(
            raw, field_type=spec.field_type, options=list(spec.options),
            date_order=ctx.date_order_of(col), number_format=ctx.number_format_of(col),
            default_country=ctx.default_country,
        )
    if value is not None and value != "":
        earlier = values.get(spec.key)
        if spec.field_type == "text" and isinstance(earlier, str) and earlier and value != earlier:
            value = f"{earlier}, {value}"  # several columns feed one text field: all are kept, in order
        values[spec.key] = value
    return problems


# A name that is a spreadsheet formula ("=HYPERLINK(...)", "=cmd|' /C calc'!A0"): a broken
# export, or a booby trap. It is kept as text, which exports guard, and the firm is told.
_FORMULA = re.compile(r"[=+\-@]\s*[A-Za-z_][\w.]*\s*[(|!]")


def _formula_problem(value: str) -> Problem:
    return Problem("formula_text", f"{value[:60]!r} looks like a spreadsheet formula; it was imported as plain text.")
