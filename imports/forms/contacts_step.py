"""Step 4: the field table for contact fields (`ContactsForm`)."""

from __future__ import annotations

from imports.forms.field_table import FieldTableForm
from imports.mapping import ColumnMapping, Mapping

class ContactsForm(FieldTableForm):
    """Step 4: the field table for contact fields."""

    step = "contacts"

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers

    def apply(self, mapping: Mapping) -> Mapping:
        edited = {col.column: col for col in self.columns()}
        mapping.columns = [
            edited.get(header) or mapping.column(header) or ColumnMapping(column=header) for header in self.headers
        ]
        return mapping
