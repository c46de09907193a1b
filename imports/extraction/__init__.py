"""Stage 3 of the pipeline: one source row + the mapping -> a CleanRow.

Pure: no database. Everything the firm has that the row may refer to (custom fields, team
members, roles, its default country and date order) arrives in an ExtractionContext built once
per import, so this stage can run in worker processes.

    data.py       CleanRow, AccountData, PersonData, AddressData, CustomFieldSpec; the skip reasons
    context.py    ExtractionContext: what row cleaning needs, computed once per import
    evidence.py   date_order_evidence and the tallies that read a column's date order and number format
    rows.py       extract_row: one row into its account and people
    accounts.py   the account's cells, its name and its type
    people.py     the people's cells, full names and couples, shared emails
    addresses.py  address cells, and where a business address goes
    tax_ids.py    names_only_a_persons_number; an EIN that is the company's
    status.py     clean_status: a client status cell read by its column
    values.py     tags, custom-field values, formula-looking text
"""

from imports.extraction.addresses import ADDRESS_PARTS
from imports.extraction.context import ExtractionContext
from imports.extraction.data import (
    MISSING_ACCOUNT_NAME,
    MISSING_CONTACT_IDENTITY,
    UNREADABLE_ROW,
    AccountData,
    AddressData,
    CleanRow,
    CustomFieldSpec,
    PersonData,
)
from imports.extraction.evidence import (
    EVIDENCE_MIN_SHARE,
    EVIDENCE_MIN_VALUES,
    DateOrderTally,
    EvidenceTally,
    NumberFormatTally,
    date_order_evidence,
)
from imports.extraction.people import MAX_NOTES_LENGTH, PARTIAL_DATE, TIME_DROPPED
from imports.extraction.rows import extract_row
from imports.extraction.status import clean_status
from imports.extraction.tax_ids import names_only_a_persons_number

__all__ = [
    "ADDRESS_PARTS", "EVIDENCE_MIN_SHARE", "EVIDENCE_MIN_VALUES", "MAX_NOTES_LENGTH", "MISSING_ACCOUNT_NAME",
    "MISSING_CONTACT_IDENTITY", "PARTIAL_DATE", "TIME_DROPPED", "UNREADABLE_ROW", "AccountData", "AddressData",
    "CleanRow", "CustomFieldSpec", "DateOrderTally", "EvidenceTally", "ExtractionContext", "NumberFormatTally",
    "PersonData", "clean_status", "date_order_evidence", "extract_row", "names_only_a_persons_number",
]
