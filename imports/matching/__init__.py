"""Automatic column mapping (docs/import-rules.md): moving out of one module into a package."""

from imports.matching.rules import (
    ADDRESS_ATTRIBUTES,
    BUSINESS_BLOCK,
    CUSTOM_FIELD_NAME_MAX,
    DERIVED_RANK,
    FUZZY_MIN_LENGTH,
    FUZZY_MIN_MARGIN,
    FUZZY_MIN_SCORE,
    FieldSpec,
    detect_preset,
    guess_field_type,
    is_organisation_header,
    match_header,
    normalize_header,
    suggest_mapping,
    synonym_table,
    target_label,
)

__all__ = [
    "ADDRESS_ATTRIBUTES", "BUSINESS_BLOCK", "CUSTOM_FIELD_NAME_MAX", "DERIVED_RANK", "FUZZY_MIN_LENGTH",
    "FUZZY_MIN_MARGIN", "FUZZY_MIN_SCORE", "FieldSpec", "detect_preset", "guess_field_type",
    "is_organisation_header", "match_header", "normalize_header", "suggest_mapping", "synonym_table", "target_label",
]
