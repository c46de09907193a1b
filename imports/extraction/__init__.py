"""Stage 3 of the pipeline, one source row + the mapping -> a CleanRow: moving out of one module into a package."""

from imports.extraction.people import (
    ADDRESS_PARTS,
    EVIDENCE_MIN_SHARE,
    EVIDENCE_MIN_VALUES,
    MAX_NOTES_LENGTH,
    MISSING_ACCOUNT_NAME,
    MISSING_CONTACT_IDENTITY,
    PARTIAL_DATE,
    TIME_DROPPED,
    UNREADABLE_ROW,
    AccountData,
    AddressData,
    CleanRow,
    CustomFieldSpec,
    DateOrderTally,
    EvidenceTally,
    ExtractionContext,
    NumberFormatTally,
    PersonData,
    clean_status,
    date_order_evidence,
    extract_row,
    names_only_a_persons_number,
)

__all__ = [
    "ADDRESS_PARTS", "EVIDENCE_MIN_SHARE", "EVIDENCE_MIN_VALUES", "MAX_NOTES_LENGTH", "MISSING_ACCOUNT_NAME",
    "MISSING_CONTACT_IDENTITY", "PARTIAL_DATE", "TIME_DROPPED", "UNREADABLE_ROW", "AccountData", "AddressData",
    "CleanRow", "CustomFieldSpec", "DateOrderTally", "EvidenceTally", "ExtractionContext", "NumberFormatTally",
    "PersonData", "clean_status", "date_order_evidence", "extract_row", "names_only_a_persons_number",
]
