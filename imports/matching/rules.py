"""The whole-file rules that settle what one header alone cannot: one address block and the street
among free-form lines, one column per single target, organisations naming accounts, tax IDs by
their shape, custom fields by meaning; each works on the file's `_Claim`s."""

from __future__ import annotations

from dataclasses import dataclass

from imports import presets
from imports.cleaning import looks_like_ein, looks_like_tax_id
from imports.cleaning.addresses import looks_like_street_line, split_city_line
from imports.mapping import (
    ADDRESS_FIELDS,
    BUSINESS_ADDRESS_FIELDS,
    IGNORE,
    MAX_PEOPLE_PER_ROW,
    MULTI_FIELDS,
    person_prefix,
)
from imports.matching.context import _Context
from imports.matching.field_types import _PLACEHOLDERS
from imports.matching.headers import _key
from imports.matching.lookup import _NEW_CUSTOM, _fit_to_kind
from imports.matching.table import BUSINESS_BLOCK, DERIVED_RANK


ADDRESS_ATTRIBUTES = ADDRESS_FIELDS


_BLOCK_ORDER = {block: order for order, (block, _) in enumerate(presets.ADDRESS_BLOCKS)}


@dataclass
class _Claim:
    """What one column is about to feed, while the whole file is being settled."""

    index: int
    header: str
    target: str = ""  # "" = nothing fits (a new custom field if the column has data)
    field: str = ""
    rank: int = 0
    score: float = 100.0
    block: str = ""
    line: int = 0
    has_data: bool = False
    # A new custom field's name and type when its meaning decides them (presets.FIELD_MEANINGS).
    new_name: str = ""
    new_type: str = ""
    offered: bool = False  # offered in the field table, not created (presets.BOOKKEEPING)

    @property
    def record(self) -> str:
        return self.target.split(".", 1)[0] if "." in self.target else ""

    @property
    def makes_new_field(self) -> bool:
        return not self.target or (self.target in _NEW_CUSTOM and not self.field)

    @property
    def attribute(self) -> str:
        return self.target.split(".", 1)[1] if "." in self.target else ""


def _is_address(claim: _Claim) -> bool:
    return claim.record == "contact" and claim.attribute in ADDRESS_ATTRIBUTES


def _block_order(block: str) -> int:
    return _BLOCK_ORDER.get(block, len(_BLOCK_ORDER))


def _is_business_address(claim: _Claim) -> bool:
    return claim.record == "contact" and claim.attribute in BUSINESS_ADDRESS_FIELDS


def _choose_address_block(claims: list[_Claim], ctx: _Context) -> None:
    """The contact's address comes from one block, the most preferred one that has data (home
    before business), so street and city never come from two addresses. A business block is
    kept beside a preferred one under its own targets (contact.business_*): row by row it
    fills the contact's address where that block is empty, and it is a company account's
    address (docs/import-rules.md, "Client status and addresses"). Each other block with data
    becomes one text custom field on the contact ("Other address": "9 Oak St, Salem, MA, 01970"),
    not a field per part."""
    address = [c for c in claims if _is_address(c) or _is_business_address(c)]
    blocks = sorted({c.block for c in address}, key=_block_order)
    if len(blocks) < 2:
        return
    with_data = [b for b in blocks if any(c.has_data for c in address if c.block == b)]
    chosen = (with_data or blocks)[0]
    for claim in address:
        kept_business = claim.block == BUSINESS_BLOCK and _block_order(chosen) <= _block_order(BUSINESS_BLOCK)
        if claim.block != chosen and not kept_business:
            block = claim.block
            _demote(claim, ctx)
            if claim.makes_new_field:
                claim.new_name, claim.new_type = _block_field_name(block), "text"


def _block_field_name(block: str) -> str:
    """The custom field an address block that is not the contact's address is kept in."""
    names = {"": "Address", "address1": "Address 1", "address2": "Address 2", "address3": "Address 3",
             "physical": "Street address", "po": "Postal address"}
    return names.get(block) or f"{block.capitalize()} address"


def _place_address_lines(claims: list[_Claim], values: list[list[str]], ctx: _Context) -> None:
    """Free-form address lines ("Bill to 1".."5"): the street is the line that reads like one.

    QuickBooks puts the name or company on the first lines and "City, ST 12345" on a later one,
    depending on the customer. With sample values: the first street-like line is the street, the
    line after it (unless it is the city line) the second street line, and the "City, ST ZIP" line
    goes to city for cleaning to split. Without samples: lines 1 and 2. Other lines are kept as
    custom fields.
    """
    lines = sorted((c for c in claims if c.line and _is_address(c)), key=lambda c: c.line)
    if not lines:
        return
    structured = {c.attribute for c in claims if _is_address(c) and not c.line and c.block == lines[0].block}
    placed: dict[int, str] = {}
    if not any(c.has_data for c in lines):
        placed = {lines[0].index: "street"}
        if len(lines) > 1:
            placed[lines[1].index] = "street2"
    else:
        kinds = [_line_kind(values[c.index]) for c in lines]
        street = next((i for i, k in enumerate(kinds) if k == "street"), None)
        if street is not None:
            placed[lines[street].index] = "street"
            if street + 1 < len(lines) and kinds[street + 1] == "other":
                placed[lines[street + 1].index] = "street2"
            city = next((i for i in range(street + 1, len(lines)) if kinds[i] == "city"), None)
            if city is not None:
                placed[lines[city].index] = "city"
    for claim in lines:
        attribute = placed.get(claim.index)
        if attribute and attribute not in structured:
            claim.target = f"contact.{attribute}"
        else:
            _demote(claim, ctx)


def _line_kind(values: list[str]) -> str:
    filled = [v for v in values if v]
    if not filled:
        return "empty"
    if sum(split_city_line(v) is not None for v in filled) * 2 >= len(filled):
        return "city"
    if sum(looks_like_street_line(v) for v in filled) * 2 >= len(filled):
        return "street"
    return "other"


def _settle_single_targets(claims: list[_Claim], ctx: _Context) -> None:
    """One column per single-column target: the one with data, then the best ranked, then the first."""
    groups: dict[tuple[str, str], list[_Claim]] = {}
    for claim in claims:
        if claim.target and claim.target != IGNORE and claim.attribute not in MULTI_FIELDS:
            groups.setdefault((claim.target, claim.field), []).append(claim)
    for group in groups.values():
        if len(group) > 1:
            group.sort(key=lambda c: (not c.has_data, c.rank, -c.score, c.index))
            for loser in group[1:]:
                _demote(loser, ctx)


def is_organisation_header(header: str) -> bool:
    """Does this header name a person's organisation ("Company", "Organization 1 - Name")?"""
    return _key(header) in _ORGANISATION_KEYS


_ORGANISATION_KEYS = frozenset(_key(header) for header in presets.ORGANISATION_HEADERS)


def _organisation_names_accounts(claims: list[_Claim], ctx: _Context) -> None:
    """With no column that names the client, a column that names the person's organisation
    does: rows of one company are one company account with its people as contacts, and rows
    without a company are each person's own account (docs/import-rules.md, "Matching")."""
    if ctx.kind != "accounts-and-contacts" or any(c.target == "account.name" for c in claims):
        return
    organisation = next((c for c in claims if c.target == "account.company_name" and c.has_data
                         and is_organisation_header(c.header)), None)
    if organisation is not None:
        organisation.target = "account.name"


def _tax_ids_by_shape(claims: list[_Claim], values: list[list[str]], ctx: _Context) -> None:
    """A column nothing else claimed whose every value is written like an SSN or EIN is a tax ID,
    whatever its header says: a new custom field would show it in full everywhere. A column of
    EINs only (12-3456789) is the account's EIN when no other column is; any other takes the
    first person without one. With no place left (or SSNs in an accounts-only import, which
    keeps no people) it is not imported."""
    taken = {c.target for c in claims}
    for claim in claims:
        if claim.target and not (claim.target in _NEW_CUSTOM and not claim.field):
            continue
        filled = [v for v in values[claim.index] if v and v.casefold() not in _PLACEHOLDERS]
        if not filled or not all(looks_like_tax_id(v) for v in filled):
            continue
        slots = [f"{person_prefix(n)}.tax_id" for n in range(1, MAX_PEOPLE_PER_ROW + 1)]
        if all(looks_like_ein(v) for v in filled) and ctx.kind != "contacts":
            slots.insert(0, "account.tax_id")
        free = next((t for t in slots if t not in taken), None)
        claim.target = (_fit_to_kind(free, ctx.kind) if free else None) or IGNORE
        claim.field = ""
        taken.add(claim.target)


def _custom_fields_by_meaning(claims: list[_Claim], ctx: _Context) -> None:
    """Existing fields first: a column about to make a new custom field whose header has a known
    meaning ("Position", "Organization 1 - Title") feeds the firm's field of that meaning
    ("Occupation") when no other column of the file does; else the first such column proposes one
    field named after the meaning ("Job title"), typed by it. A second column of a meaning already
    taken keeps its own header as a new field's name, so no two columns fill one field."""
    fed = {(c.record, _key(c.field)) for c in claims if c.attribute == "custom" and c.field}
    proposed: set[str] = set()
    for claim in claims:
        if not claim.makes_new_field or not claim.has_data:
            continue
        meaning = ctx.meaning_of(claim.header)
        if meaning is None:
            continue
        spec = ctx.meaning_fields.get(meaning.name)
        if spec is not None:
            if (spec.applies_to, _key(spec.name)) not in fed:
                claim.target, claim.field = f"{spec.applies_to}.custom", spec.name
                fed.add((spec.applies_to, _key(spec.name)))
        elif meaning.name not in proposed:
            proposed.add(meaning.name)
            claim.target = _fit_to_kind(f"{meaning.side}.custom", ctx.kind) or IGNORE
            claim.new_name, claim.new_type, claim.offered = meaning.name, meaning.field_type, meaning.offered


def _demote(claim: _Claim, ctx: _Context) -> None:
    """Move a column off a target another column keeps, without losing what it holds."""
    if claim.attribute == "email":
        claim.target = f"{claim.record}.additional_emails"
    elif claim.rank >= DERIVED_RANK:
        claim.target = IGNORE  # it only restated the columns that won
    else:
        side = "contact" if claim.record == "contact" else "account"
        claim.target = _fit_to_kind(f"{side}.custom", ctx.kind) or IGNORE
    claim.field, claim.block, claim.line = "", "", 0
