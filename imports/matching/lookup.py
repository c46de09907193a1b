"""One header on its own: preset override, label, role or custom field, synonym, or an unambiguous
fuzzy match (`match_header`); and what that meaning stands for in this file and kind of import."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from imports import presets
from imports.cleaning import looks_like_organisation
from imports.mapping import BUSINESS_ADDRESS_FIELDS, IGNORE, MAX_PEOPLE_PER_ROW, NAMED_FIELDS, person_prefix
from imports.matching.context import FieldSpec, _Context
from imports.matching.headers import _digits, _key, _sorted_key, normalize_header
from imports.matching.table import _compiled, detect_preset
from imports.presets import Synonym


# A fuzzy winner must score this much (0-100: the share of letters that need no edit, a swap of
# two letters being one edit) and beat the best candidate for any *other* target by this margin;
# anything less is a guess and the user decides. 87 allows one typo in a header of 8+ letters
# ("Frist Name", "Emial Address") and two from 16.
FUZZY_MIN_SCORE = 87
FUZZY_MIN_MARGIN = 8
FUZZY_MIN_LENGTH = 5  # shorter headers ("Stat", "Zp") have too many near neighbours to guess
CUSTOM_FIELD_NAME_MAX = 100  # crm.CustomField.name


_NEW_CUSTOM = ("account.custom", "contact.custom")


def _lookup(header: str, ctx: _Context) -> tuple[Synonym | None, str, float]:
    """(meaning, field, score) of one header before the file's context is applied."""
    key = _key(header)
    if not key:
        return None, "", 0.0
    table = _compiled()
    override = table.overrides.get(ctx.preset, {}).get(key)
    if override is not None:
        return (override if override.target else None), "", 100.0
    if key in table.labels:
        return table.synonyms[key], "", 100.0
    if key in ctx.roles:
        return Synonym("account.role"), ctx.roles[key], 100.0
    if key in ctx.custom:
        spec = ctx.custom[key]
        return Synonym(f"{spec.applies_to}.custom"), spec.name, 100.0
    if key in table.synonyms:
        return table.synonyms[key], "", 100.0
    return _fuzzy(key, normalize_header(header), ctx)


def _similarity(key: str, sorted_key: str, choice: str, choice_sorted: str) -> float:
    """0-100; a typo (swap, missing or extra letter) costs one edit, word order costs nothing."""
    return 100 * max(OSA.normalized_similarity(key, choice), OSA.normalized_similarity(sorted_key, choice_sorted))


def _fuzzy(key: str, spaced: str, ctx: _Context) -> tuple[Synonym | None, str, float]:
    """The one clearly closest synonym, or nothing: a typo is fixed, a guess is not made."""
    if len(key) < FUZZY_MIN_LENGTH:
        return None, "", 0.0
    sorted_key = _sorted_key(spaced)
    table = _compiled()
    shortlist = {i for _, _, i in process.extract(key, table.fuzzy_keys, scorer=fuzz.ratio, limit=20, score_cutoff=60)}
    shortlist |= {
        i for _, _, i in process.extract(sorted_key, table.fuzzy_sorted, scorer=fuzz.ratio, limit=20, score_cutoff=60)
    }
    wanted = _digits(spaced)
    candidates: list[tuple[float, tuple[str, str], Synonym, str]] = []
    for i in shortlist:
        if _digits(table.fuzzy_spaced[i]) != wanted:  # "Person 6", "Address 2": the number means something
            continue
        synonym = table.synonyms[table.fuzzy_keys[i]]
        score = _similarity(key, sorted_key, table.fuzzy_keys[i], table.fuzzy_sorted[i])
        candidates.append((score, (synonym.target, ""), synonym, ""))
    named = [(k, Synonym("account.role"), role) for k, role in ctx.roles.items()]
    named += [(k, Synonym(f"{spec.applies_to}.custom"), spec.name) for k, spec in ctx.custom.items()]
    for choice, synonym, name in named:
        score = 100 * OSA.normalized_similarity(key, choice)
        candidates.append((score, (synonym.target, name), synonym, name))
    if not candidates:
        return None, "", 0.0
    candidates.sort(key=lambda c: -c[0])
    best_score, best_identity, synonym, name = candidates[0]
    runner_up = next((c[0] for c in candidates if c[1] != best_identity), 0.0)
    if best_score >= FUZZY_MIN_SCORE and best_score - runner_up >= FUZZY_MIN_MARGIN:
        return synonym, name, best_score
    return None, "", 0.0


def _resolve(synonym: Synonym | None, name: str, values: list[str], ctx: _Context) -> tuple[str, str] | None:
    """(target, field) a meaning stands for in this file and this kind; None when nothing fits here.

    The target is IGNORE for columns that are recognised but have no place in this kind of import.
    """
    if synonym is None:
        return None
    target = synonym.target
    if target == presets.NAME:
        # A bare "Name" names the client in an accounts file, or where its values are
        # organisations; next to first/last-name columns (a contacts export) it is the person's.
        if ctx.kind == "accounts" or (ctx.kind != "contacts" and not ctx.has_person_name
                                      and _looks_like_organisations(values)):
            target = "account.name"
        else:
            target = "contact.full_name"
    elif target == presets.TITLE:
        filled = [v for v in values if v]
        target = "contact.custom" if filled and not all(_is_honorific(v) for v in filled) else "contact.prefix"
    elif target == presets.PREPARER:
        role = _preparer_role(ctx.role_names) if ctx.kind != "contacts" else None
        target, name = ("account.role", role) if role else ("account.assignees", "")
    elif target.startswith("person"):
        record, _, attribute = target.partition(".")
        index = int(record.removeprefix("person")) + (0 if ctx.shift_people else 1)
        if index > MAX_PEOPLE_PER_ROW:
            return None
        target = f"{person_prefix(index)}.{attribute}"
    fitted = _fit_to_kind(target, ctx.kind)
    if fitted is None:
        return None
    return fitted, (name if fitted.split(".", 1)[-1] in NAMED_FIELDS else "")


def _fit_to_kind(target: str, kind: str) -> str | None:
    if target == IGNORE or kind == "accounts-and-contacts":
        return target
    record, _, attribute = target.partition(".")
    if kind == "contacts":
        if record != "account":
            return target
        if attribute == "tags":
            return "contact.tags"
        if attribute == "tax_id":
            return IGNORE  # a business's number has no place on a person, nor in a field shown in full
        return "contact.custom" if attribute == "custom" else None  # kept as the contact's custom field
    if record == "account":
        return target
    if attribute == "tags":
        return "account.tags"
    if attribute in BUSINESS_ADDRESS_FIELDS:  # an accounts-only file's business address is the account's
        return f"account.{attribute.removeprefix('business_')}"
    if attribute in ("notes", "custom"):  # notes in an accounts file are about the account
        return "account.custom"
    return IGNORE  # a person's field: an accounts-only import never touches contacts


def match_header(
    header: str,
    *,
    kind: str = "accounts-and-contacts",
    custom_fields: Sequence[FieldSpec] = (),
    roles: Sequence[str] = (),
) -> tuple[str, str] | None:
    """(target, field) for one header on its own, or None when nothing fits.

    target is a key of `imports.mapping.all_targets()`, or "ignore" for a header that is
    recognised but has no place in this kind of import (export plumbing such as Google's
    "Phone 1 - Label", a contact's field in an accounts-only import). field is the role or
    custom field name for `account.role` / `*.custom` (for a new custom field: the header).
    Without the rest of the file, a bare "Name" is the person's and "Title" a courtesy title.
    """
    ctx = _Context.build(kind, custom_fields, roles, detect_preset([header]))  # "*ContactName" is Xero's
    synonym, name, _ = _lookup(header, ctx)
    resolved = _resolve(synonym, name, [], ctx)
    if resolved is None:
        return None
    target, name = resolved
    if target in _NEW_CUSTOM and not name:
        name = _custom_field_name(header, 0)
    return target, name


def _custom_field_name(header: str, index: int) -> str:
    name = " ".join(header.replace("\ufeff", "").split()).lstrip("*").strip()
    return (name or f"Column {index + 1}")[:CUSTOM_FIELD_NAME_MAX]


def _looks_like_organisations(values: list[str]) -> bool:
    """Do most of a column's values name organisations (`imports.cleaning.looks_like_organisation`)?"""
    filled = [v for v in values if v]
    return bool(filled) and sum(looks_like_organisation(v) for v in filled) * 2 > len(filled)


_HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord", "hon", "fr",
    "mr and mrs", "mr mrs", "dr and mrs", "messrs", "madam", "mme", "mlle", "herr", "frau", "sr", "sra",
}


def _is_honorific(value: str) -> bool:
    return normalize_header(value) in _HONORIFICS


def _preparer_role(roles: Sequence[str]) -> str | None:
    by_key = {_key(r): r for r in roles}
    for wanted in ("taxpreparer", "preparer"):
        if wanted in by_key:
            return by_key[wanted]
    return next((r for r in roles if "preparer" in _key(r)), None)
