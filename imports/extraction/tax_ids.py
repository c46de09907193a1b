"""Tax IDs, the person's and the business's: a header that names only a person's number, and an
EIN in a shared tax-ID column that moves to a company's account."""

from __future__ import annotations

import re

from imports import cleaning
from imports.extraction.data import AccountData, PersonData


# A header that names only a person's number (docs/import-rules.md, "Tax IDs: the person's and
# the business's"); "SSN/EIN", "TIN", "Tax ID" name either.
_PERSONS_NUMBER_WORDS = re.compile(r"\b(ssn|ss|social|soc|itin)\b")
_EITHER_NUMBER_WORDS = re.compile(r"\b(ein|fein|tin|tax|taxpayer|federal|employer)\b")


def names_only_a_persons_number(header: str) -> bool:
    """ "SSN", "Spouse Soc Sec #", "ITIN": a column whose values are people's numbers, whatever
    they look like. "Tax ID", "TIN", "SSN/EIN" may hold a business's EIN."""
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", header.casefold()).split())
    return bool(_PERSONS_NUMBER_WORDS.search(words)) and not _EITHER_NUMBER_WORDS.search(words)


def _place_business_tax_id(people: list[PersonData], account: AccountData) -> None:
    """Row by row: an EIN (written NN-NNNNNNN) in the row's person's shared tax-ID column ("Tax
    ID", "SSN/EIN") is the company's when the row's account is a company that the file gave
    no EIN of its own; it moves from the person to the account. An SSN-shaped value, and any
    value on an individual's row, stays the person's."""
    if account.type != "company" or account.tax_id or not people:
        return
    person = people[0]
    if person.slot == 1 and person.tax_id_shared_column and cleaning.looks_like_ein(person.tax_id):
        account.tax_id, person.tax_id = person.tax_id, ""
