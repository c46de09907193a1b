"""The whole-file suggestion, `suggest_mapping`: every header looked up, the whole-file rules
applied, and each column's `ColumnMapping`, a new custom field named and typed from its values."""

from __future__ import annotations

import re
from collections.abc import Sequence

from imports import presets
from imports.mapping import IGNORE, AccountTypeChoice, ColumnMapping, Mapping
from imports.matching.context import FieldSpec, _Context
from imports.matching.field_types import _NOTHING_ENTERED, guess_field_type
from imports.matching.headers import _key, normalize_header
from imports.matching.lookup import _custom_field_name, _lookup, _resolve
from imports.matching.rules import (
    _choose_address_block,
    _Claim,
    _custom_fields_by_meaning,
    _organisation_names_accounts,
    _place_address_lines,
    _settle_single_targets,
    _tax_ids_by_shape,
)
from imports.matching.table import _compiled, detect_preset
from imports.presets import Synonym


_PRIMARY_IDENTITY = {"contact.first_name", "contact.last_name", "contact.full_name", "contact.email"}


def suggest_mapping(
    headers: list[str],
    sample_rows: list[list[str]],
    *,
    kind: str = "accounts-and-contacts",
    custom_fields: Sequence[FieldSpec] = (),
    roles: Sequence[str] = (),
    column_samples: Sequence[Sequence[str]] | None = None,
) -> Mapping:
    """A complete mapping for a file: one ColumnMapping per header, in header order.

    `sample_rows` are the first data rows (the more, the better the type guesses and the
    address choices). `column_samples`, when given, are each column's values gathered from the
    whole file (the upload's column profile) and are used instead: whether a column is synced
    and what type a new custom field gets are then decided from the whole column, so a column
    empty in its first rows is kept. Sets `Mapping.preset` for a recognised export, and the
    account type to "column" when a column maps to account.type ("auto" otherwise).
    """
    preset = detect_preset(headers)
    ctx = _Context.build(kind, custom_fields, roles, preset)
    if column_samples is not None:
        if len(column_samples) != len(headers):
            raise ValueError("column_samples needs one list of values per header")
        values = [[str(value).strip() for value in column] for column in column_samples]
    else:
        values = [_column_values(sample_rows, i) for i in range(len(headers))]
    looked_up = [_lookup(h, ctx) for h in headers]

    # What the file says about its people, which a bare "Name" and Xero's "Person N" depend on.
    plain = [(s.target if s else "") for s, _, _ in looked_up]
    ctx.has_person_name = any(t in ("contact.first_name", "contact.last_name", "contact.full_name") for t in plain)
    ctx.shift_people = any(t.startswith("person") for t in plain) and not any(t in _PRIMARY_IDENTITY for t in plain)

    claims = []
    taken: set[tuple[str, str]] = set()
    for i, (header, (synonym, name, score)) in enumerate(zip(headers, looked_up)):
        twin = ctx.contact_twins.get(_key(header))
        if twin and synonym and synonym.target == "account.custom" and (synonym.target, name) in taken:
            synonym, name = Synonym("contact.custom"), twin.name
        if synonym:
            taken.add((synonym.target, name))
        claim = _Claim(index=i, header=header, score=score, has_data=_has_data(values[i]))
        resolved = _resolve(synonym, name, values[i], ctx)
        if resolved is not None:
            claim.target, claim.field = resolved
            claim.rank, claim.block, claim.line = synonym.rank, synonym.block, synonym.line
        claims.append(claim)
    if tuple(headers[-2:]) == presets.SKIPPED_ROWS_COLUMNS:  # our skipped-rows file, fixed and back
        for claim in claims[-2:]:
            claim.target, claim.field = IGNORE, ""

    _choose_address_block(claims, ctx)
    _place_address_lines(claims, values, ctx)
    _settle_single_targets(claims, ctx)
    _organisation_names_accounts(claims, ctx)
    _tax_ids_by_shape(claims, values, ctx)
    _custom_fields_by_meaning(claims, ctx)

    columns = [_column_mapping(claim, values[claim.index], ctx) for claim in claims]
    mapping = Mapping(kind=kind, columns=columns, preset=preset)
    if any(c.target == "account.type" for c in columns):
        mapping.account_type = AccountTypeChoice(mode="column")
    return mapping


def _has_data(values: list[str]) -> bool:
    return any(value and value.casefold() not in _NOTHING_ENTERED for value in values)


def _column_values(rows: list[list[str]], index: int) -> list[str]:
    return [str(row[index]).strip() if row[index] is not None else "" for row in rows if index < len(row)]


def _column_mapping(claim: _Claim, values: list[str], ctx: _Context) -> ColumnMapping:
    target = claim.target
    if target == IGNORE:
        return ColumnMapping(column=claim.header)
    if claim.makes_new_field:
        if not claim.has_data:
            return ColumnMapping(column=claim.header)  # nothing to keep
        side = target.split(".")[0] if target else _custom_side(claim.header, ctx.kind)
        guessed = guess_field_type(values)
        if guessed == "number" and set(normalize_header(claim.header).split()) & _IDENTIFIER_WORDS:
            guessed = "text"  # "Company Number", "SAPostalCode": digits that are not amounts
        new = ColumnMapping(
            column=claim.header,
            target=f"{side}.custom",
            field=claim.new_name or _custom_field_name(claim.header, claim.index),
            field_type=claim.new_type or guessed,
        )
        if claim.offered or _key(claim.header) in _compiled().bookkeeping:
            # The exporting system's bookkeeping: offered in the field table, not created.
            new.offer, new.target = new.target, IGNORE
        return new
    return ColumnMapping(column=claim.header, target=target, field=claim.field)


_IDENTIFIER_WORDS = {"id", "code", "number", "no", "num", "zip", "postal", "postcode", "ref", "reference", "account"}


_OTHER_PERSON = re.compile(r"\b(?:spouse|spouses|partner|secondary|co client|(?:contact|person|client) [2-5])\b")
_PERSON_WORDS = {
    "title", "position", "department", "nickname", "gender", "sex", "occupation", "profession",
    "marital", "anniversary", "license", "licence", "passport", "phonetic", "maiden", "pager", "linkedin",
    "twitter", "facebook", "skype", "im", "language", "initials", "personal", "home", "mobile", "cell",
    "birthplace", "citizenship", "nationality", "drivers", "driver", "age", "hobby", "children", "employer",
    "relationship", "taxpayer", "yomi",
}


def _custom_side(header: str, kind: str) -> str:
    """Where a new custom field for this column lives: about the person, or about the account."""
    if kind != "accounts-and-contacts":
        return "contact" if kind == "contacts" else "account"
    words = normalize_header(header)
    if _OTHER_PERSON.search(words):
        return "account"  # a spouse's detail would be wrong on the primary contact; keep it on the account
    return "contact" if set(words.split()) & _PERSON_WORDS else "account"
