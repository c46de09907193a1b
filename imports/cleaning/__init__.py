"""Cleaning and validation of cell values: pure functions, no database.

Every cleaner takes the raw cell text and returns the cleaned value and a list of
`Problem`s without a column; the caller pins the column with `problem.at(column, raw)`.
A bad value is a warning, never an exception: the row is kept. The rules are written out in
docs/import-rules.md ("Cleaning: what every cell goes through" and "Values: one rulebook for the
import and the CRM forms"); the tests mirror these modules in tests/imports/cleaning/.

    text.py     clean_text, strip_formula_guard, split_list, clean_postal_code
    emails.py   clean_emails
    phones.py   clean_phone, clean_phones
    names.py    PersonName, split_full_name, split_couple, looks_like_organisation
    dates.py    clean_date, clean_date_time, has_time, year_only
    values.py   clean_account_type, clean_yes_no, clean_number, clean_url, clean_tax_id,
                looks_like_tax_id, looks_like_ein, mask_tax_id, number_format_evidence
    custom.py   clean_custom_value
    addresses.py split_address, split_us_address, split_city_line, looks_like_street_line
    codes.py    PROBLEM_CODES: every problem code with its title (the one registry)
"""

from .codes import PROBLEM_CODES, code_title
from .custom import CUSTOM_TEXT_MAX_LENGTH, FIELD_TYPES, clean_custom_value
from .dates import clean_date, clean_date_time, has_time, year_only
from .emails import clean_emails
from .names import (
    PersonName,
    comma_person_name,
    looks_like_organisation,
    split_couple,
    split_credentials,
    split_full_name,
    strip_symbols,
)
from .phones import clean_phone, clean_phones, region_for_country
from .text import clean_postal_code, clean_text, scrub, split_list, strip_formula_guard
from .values import (
    TAX_ID_MAX_LENGTH,
    clean_account_type,
    clean_number,
    clean_tax_id,
    clean_url,
    clean_yes_no,
    looks_like_ein,
    looks_like_tax_id,
    mask_tax_id,
    number_format_evidence,
)

__all__ = [
    "comma_person_name",
    "CUSTOM_TEXT_MAX_LENGTH",
    "FIELD_TYPES",
    "PROBLEM_CODES",
    "TAX_ID_MAX_LENGTH",
    "PersonName",
    "clean_account_type",
    "clean_custom_value",
    "clean_date",
    "clean_date_time",
    "has_time",
    "number_format_evidence",
    "year_only",
    "clean_emails",
    "clean_number",
    "clean_phone",
    "clean_phones",
    "clean_postal_code",
    "clean_tax_id",
    "clean_text",
    "clean_url",
    "clean_yes_no",
    "code_title",
    "looks_like_organisation",
    "looks_like_ein",
    "looks_like_tax_id",
    "mask_tax_id",
    "region_for_country",
    "scrub",
    "split_couple",
    "split_credentials",
    "split_full_name",
    "split_list",
    "strip_formula_guard",
    "strip_symbols",
]
