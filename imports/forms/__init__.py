"""Forms of the import wizard. They parse and check what the user chose and turn it into the
pieces of a `Mapping`; the job services validate and store it (imports/jobs.py).

Every choice that names firm data (custom fields, roles, tags, team members, folder templates)
is built for one firm, so another firm's id or name is simply not a valid choice.

    upload.py         step 1: the upload, the kinds of import, how to read the file (ReadChoicesForm)
    field_table.py    steps 2 and 4's field table: Column, TargetCatalogue, FieldTableForm
    accounts_step.py  step 2: AccountsForm (account name column, account type), account_source
    settings_step.py  step 3: SettingsForm, EmailColumn, a member for each unmatched name
    contacts_step.py  step 4: ContactsForm
    saved_mappings.py Settings > Import mappings: MappingNameForm, MappingUploadForm
"""

from imports.forms.accounts_step import AccountsForm
from imports.forms.contacts_step import ContactsForm
from imports.forms.field_table import Column, TargetCatalogue
from imports.forms.saved_mappings import MappingNameForm, MappingUploadForm
from imports.forms.settings_step import NOBODY, EmailColumn, SettingsForm, member_name_field
from imports.forms.upload import KIND_HELP, ReadChoicesForm, UploadForm, encoding_label, max_upload_text

__all__ = [
    "KIND_HELP", "NOBODY", "AccountsForm", "Column", "ContactsForm", "EmailColumn", "MappingNameForm",
    "MappingUploadForm", "ReadChoicesForm",
    "SettingsForm", "TargetCatalogue", "UploadForm", "encoding_label", "max_upload_text", "member_name_field",
]
