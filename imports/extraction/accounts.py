"""The row's account: its cells (name, type, tags, team members, roles, status, address, EIN), its
name when the file gives none or names the row's own person, and its type (individual or company)."""

from __future__ import annotations

import re

from crm.normalize import account_name_key, normalize_name_key
from imports import cleaning
from imports.extraction.addresses import _extract_address_cell
from imports.extraction.context import ExtractionContext, _Column
from imports.extraction.data import MISSING_ACCOUNT_NAME, AccountData, CleanRow, PersonData
from imports.extraction.status import clean_status
from imports.extraction.values import _FORMULA, _extend_tags, _extract_custom, _formula_problem
from imports.mapping import ADDRESS_FIELDS as ADDRESS_ATTRIBUTES
from imports.problems import Problem


def _extract_account_cell(account: AccountData, col: _Column, raw: str, ctx, warnings: list[Problem]) -> None:
    attribute = col.attribute
    if attribute == "name":
        account.name, problems = cleaning.clean_text(raw, max_length=255)
        if _FORMULA.match(account.name):
            problems = [*problems, _formula_problem(account.name)]
    elif attribute == "type":
        value, problems = cleaning.clean_account_type(raw)
        if value:
            account.type, account.type_from_file = value, True
    elif attribute == "company_name":
        account.company_name, problems = cleaning.clean_text(raw, max_length=255)
    elif attribute == "client_id":
        account.client_id, problems = cleaning.clean_text(raw, max_length=64)
    elif attribute == "tags":
        problems = _extend_tags(account.tags, raw)
    elif attribute == "assignees":
        problems = []
        for name in ctx.members.names_in(raw):
            member, decided = ctx.members.resolve(name)
            if not decided:
                problems.append(_unknown_member(name))
            elif member is None:
                account.assigned_nobody = True
            elif member not in account.assignees:
                account.assignees.append(member)
    elif attribute == "role":
        member, decided = ctx.members.resolve(raw)
        problems = [] if decided else [_unknown_member(raw)]
        if member is not None:
            account.roles[col.field_key] = member
    elif attribute == "custom":
        problems = _extract_custom(account.custom, col, raw, ctx)
    elif attribute == "status":
        status, problems = clean_status(raw, col.header)
        account.status = status or account.status
    elif attribute in ADDRESS_ATTRIBUTES:
        problems = _extract_address_cell(account, attribute, raw)
    elif attribute == "tax_id":
        account.tax_id, problems = cleaning.clean_tax_id(raw, label="EIN / tax ID")
        # As a person's: the number never goes into a warning, only its last four characters.
        for problem in problems:
            warnings.append(problem.at(col.header, "…" + raw.strip()[-4:]))
        return
    else:  # pragma: no cover - the mapping validator rejects unknown targets
        raise ValueError(f"unknown account target {attribute}")
    for problem in problems:
        warnings.append(problem.at(col.header, raw))


def _unknown_member(value: str) -> Problem:
    return Problem("unknown_team_member", f"No team member is called {value.strip()!r}; it was not assigned.")


def _name_account_after_person(row: CleanRow, account: AccountData, ctx: ExtractionContext) -> None:
    """An empty account name becomes the first person's name ("First Last", or "Last, First"
    where the firm says so), or their email (with a warning); with neither the row is skipped.
    A row that names only a company ("Bright Smile Orthodontics" in a Company column, nobody's
    name) is that company's account."""
    account.name_given = False
    first = row.people[0] if row.people else None
    if first is not None and first.has_name:
        account.name = ctx.individual_name(first)
    elif account.company_name:
        account.name, account.name_given = account.company_name, True  # typed company: its name is the company's
    elif first is not None and first.email:
        account.name = first.email
        row.warnings.append(
            Problem("account_named_after_email", f"The row has no account or person name; the account is named {first.email}.",
                    value=first.email)
        )
    else:
        row.skip = Problem(MISSING_ACCOUNT_NAME, "The row has no account name, no person name and no valid email.")


def _name_after_own_person(account: AccountData, person: PersonData, ctx: ExtractionContext) -> None:
    """An account-name cell that names the row's own person in any order or case ("Rivera, Ana",
    "RIVERA ANA", "Rivera, Ana M." for Ana M. Rivera) is that person's account, named as the
    person is, in the firm's form. Sets the account's key, computed here once: this runs for
    every row, so plain string work (the general `account_name_key` parses names)."""
    name = account.name
    if person.first_name and person.last_name:
        own = person.own_account_key = normalize_name_key(f"{person.first_name} {person.last_name}")
        family, comma, given = name.partition(",")
        plain = normalize_name_key(f"{given} {family}" if comma and "," not in given else name)
        if plain == own or (len(plain) == len(own) and _words(plain) == _words(own)) or (
                person.middle_name and _words(plain) == _words(normalize_name_key(
                    f"{person.first_name} {person.middle_name} {person.last_name}"))):
            account.name, account.key = ctx.individual_name(person), own
            return
    account.key = account_name_key(name)


def _words(key: str) -> list[str]:
    return sorted(key.replace(".", " ").split())


def _decide_account_type(account: AccountData, people: list[PersonData], choice) -> None:
    if choice.mode == "fixed":
        account.type, account.type_from_file = choice.value, False
    elif choice.mode == "ignore":
        account.type, account.type_from_file = "", False
    elif not account.type_from_file:
        account.type = _automatic_type(account, people)


# Words that name a household rather than anyone in it ("The Smith Family", "Mr & Mrs Lee").
_HOUSEHOLD_WORDS = frozenset(
    ["the", "family", "household", "and", "mr", "mrs", "ms", "miss", "dr", "jr", "sr", "ii", "iii", "iv"]
)
_NAME_WORD = re.compile(r"[^\W\d_]+")


def _name_words(*texts: str) -> set[str]:
    return {word for text in texts for word in _NAME_WORD.findall(normalize_name_key(text))}


def _automatic_type(account: AccountData, people: list[PersonData]) -> str:
    """Individual when the account is named after its person (or unnamed); company
    when the row names an organisation other than its person.

    Named after its people: every word of the name is one of their names or a household word
    ("Smith, John & Jane", "The Smith Household"), or the name reads as a person's name with
    the family name of someone on the row ("Jon Smith" for Jonathan Smith). "Nguyen Nail
    Salon" has words that are nobody's name: an organisation, though Mr Nguyen owns it.
    """
    if not account.name_given:
        return "individual"
    if cleaning.looks_like_organisation(account.name):
        return "company"
    named = [person for person in people if person.has_name]
    if named:
        known = _name_words(*(f"{p.prefix} {p.first_name} {p.middle_name} {p.last_name} {p.suffix}" for p in named))
        last_names = {normalize_name_key(p.last_name) for p in named if p.last_name}
        couple = cleaning.split_couple(account.name)
        if len(couple) > 1 and any(normalize_name_key(member.last) in last_names for member in couple):
            known |= _name_words(*(f"{m.prefix} {m.first} {m.middle} {m.last} {m.suffix}" for m in couple))
        if _name_words(account.name) - _HOUSEHOLD_WORDS <= known:
            return "individual"
        if len(couple) == 1 and normalize_name_key(couple[0].last) in last_names:
            return "individual"
    key = normalize_name_key(account.name)
    if account.company_name and normalize_name_key(account.company_name) == key:
        return "company"
    return "company" if named else "individual"
