"""One source row + the mapping -> a CleanRow (`extract_row`): every mapped cell cleaned, then the
row's people, its account (named, typed, addressed) and its skip reason decided."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imports.extraction.accounts import (
    _decide_account_type,
    _extract_account_cell,
    _name_account_after_person,
    _name_after_own_person,
)
from imports.extraction.addresses import _place_business_address
from imports.extraction.context import ExtractionContext
from imports.extraction.data import (
    MISSING_ACCOUNT_NAME,
    MISSING_CONTACT_IDENTITY,
    UNREADABLE_ROW,
    AccountData,
    CleanRow,
    PersonData,
)
from imports.extraction.people import (
    _apply_full_name,
    _extract_person_cell,
    _person_from_account_name,
    _separate_shared_emails,
)
from imports.extraction.tax_ids import _place_business_tax_id
from imports.extraction.values import _FORMULA, _formula_problem
from imports.problems import Problem

if TYPE_CHECKING:  # the package imports every reader (clevercsv too): a cleaning worker needs none
    from imports.reading import SourceRow


def extract_row(source: SourceRow, ctx: ExtractionContext) -> CleanRow:
    """Cleans every mapped cell of the row and decides the row's account and people."""
    return _extract(source, ctx).seal()


def _extract(source: SourceRow, ctx: ExtractionContext) -> CleanRow:
    row = CleanRow(number=source.number, cells=source.cells)
    if source.error:
        row.skip = Problem(UNREADABLE_ROW, source.error)
        return row
    kind = ctx.mapping.kind
    account = AccountData(name="") if kind != "contacts" else None
    people: dict[str, PersonData] = {}
    full_names: dict[str, str] = {}
    warnings = row.warnings

    for col in ctx.columns:
        raw = source.cells[col.index]
        if not raw or raw.isspace():
            continue
        if col.record == "account":
            _extract_account_cell(account, col, raw, ctx, warnings)
            continue
        person = people.get(col.record)
        if person is None:
            slot = 1 if col.record == "contact" else int(col.record[len("contact"):])
            person = people[col.record] = PersonData(slot=slot)
        if col.attribute == "full_name":
            full_names[col.record] = raw
            if _FORMULA.match(raw.strip()):
                warnings.append(_formula_problem(raw.strip()).at(col.header, raw))
        else:
            _extract_person_cell(person, col, raw, ctx, warnings)

    for record, raw in full_names.items():
        _apply_full_name(people, record, raw)
    if kind == "accounts-and-contacts" and account.name:
        _person_from_account_name(account, people, ctx)
    if source.extra:
        warnings.append(
            Problem("extra_cells", "The row has more cells than the header; the extra values were not imported.",
                    value=" | ".join(source.extra))
        )

    row.people = sorted((p for p in people.values() if p.is_identifiable), key=lambda p: p.slot)
    _separate_shared_emails(row.people, warnings)
    if kind == "contacts":
        _place_business_address(row.people, None)
        if not row.people or row.people[0].slot != 1:
            row.skip = Problem(MISSING_CONTACT_IDENTITY, "The row has neither a name nor a valid email for the contact.")
        return row
    if kind == "accounts":
        row.people = []
        if not account.name:
            row.skip = Problem(MISSING_ACCOUNT_NAME, "The row has no account name.")
            return row
    elif not account.name:
        _name_account_after_person(row, account, ctx)
        if row.skip:
            return row
    elif row.people:
        _name_after_own_person(account, row.people[0], ctx)
    _decide_account_type(account, row.people, ctx.mapping.account_type)
    _place_business_address(row.people, account)
    _place_business_tax_id(row.people, account)
    row.account = account
    return row
