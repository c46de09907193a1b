"""Automatic column mapping: which field each column of an uploaded file feeds (docs/import-rules.md).

`suggest_mapping(headers, sample_rows)` proposes a complete `Mapping` the wizard shows and the CLI
runs without `--mapping`. For each header, in this order:

1. the header of a known export as that export means it (`presets.PRESET_OVERRIDES`);
2. a target's own label ("Account name", "Contact 2 email": what `target_label` gives, so a
   Clientport export re-imports unchanged);
3. a firm role or custom field of that name ("Tax preparer", "Filing status");
4. the synonym table (`imports.presets`): real header names of common exports;
5. fuzzy matching, accepted only for an unambiguous winner (a typo, not a guess).

All comparisons are on `normalize_header`. Then the file as a whole settles what one header alone
cannot: one address block for the contact (home before business, unless only business has data;
a business block is kept beside it as the business address), the street among
QuickBooks' free-form "Bill to" lines, and one column per single-column target (the best one; a
second email becomes an additional email). A column nothing fits becomes a custom field: the
firm's field of the same meaning when there is one ("Position" fills "Occupation",
`presets.FIELD_MEANINGS`), else a new one named after the meaning or the header and typed from its
values. An empty column is ignored; the exporting system's bookkeeping (`presets.BOOKKEEPING`:
HubSpot's Record ID, IIF's REFNUM) is offered, not created; the Row and Reason columns of our own
skipped-rows file are ignored. Nothing here touches the database.

    headers.py      normalize_header and the lookup keys built from it
    labels.py       target_label: each target's own label, which maps back to it
    table.py        the compiled synonym table (synonym_table), detect_preset
    field_types.py  guess_field_type: a new custom field's type from its values
    context.py      FieldSpec, and the import's context (kind, preset, roles, custom fields)
    lookup.py       one header: match_header, fuzzy matching, a meaning fitted to the kind
    rules.py        the whole-file rules: address blocks, single targets, organisations, tax IDs,
                    meanings; is_organisation_header
    suggest.py      suggest_mapping: the whole file, one ColumnMapping per header
"""

from imports.matching.context import FieldSpec
from imports.matching.field_types import guess_field_type
from imports.matching.headers import normalize_header
from imports.matching.labels import target_label
from imports.matching.lookup import (
    CUSTOM_FIELD_NAME_MAX,
    FUZZY_MIN_LENGTH,
    FUZZY_MIN_MARGIN,
    FUZZY_MIN_SCORE,
    match_header,
)
from imports.matching.rules import ADDRESS_ATTRIBUTES, is_organisation_header
from imports.matching.suggest import suggest_mapping
from imports.matching.table import BUSINESS_BLOCK, DERIVED_RANK, detect_preset, synonym_table

__all__ = [
    "ADDRESS_ATTRIBUTES", "BUSINESS_BLOCK", "CUSTOM_FIELD_NAME_MAX", "DERIVED_RANK", "FUZZY_MIN_LENGTH",
    "FUZZY_MIN_MARGIN", "FUZZY_MIN_SCORE", "FieldSpec", "detect_preset", "guess_field_type",
    "is_organisation_header", "match_header", "normalize_header", "suggest_mapping", "synonym_table", "target_label",
]
