"""Forms of the import wizard (being split into modules; for now all in `field_table`)."""

from imports.forms.field_table import (
    KIND_HELP,
    NOBODY,
    AccountsForm,
    Column,
    ContactsForm,
    EmailColumn,
    ReadChoicesForm,
    SettingsForm,
    TargetCatalogue,
    UploadForm,
    encoding_label,
    max_upload_text,
    member_name_field,
)

__all__ = [
    "KIND_HELP", "NOBODY", "AccountsForm", "Column", "ContactsForm", "EmailColumn", "ReadChoicesForm",
    "SettingsForm", "TargetCatalogue", "UploadForm", "encoding_label", "max_upload_text", "member_name_field",
]
