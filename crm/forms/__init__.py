"""Forms of the CRM pages. They parse and check input; the services in crm/services.py write.

Every form that offers firm data (tags, members, roles, custom fields) is built for one firm,
so a foreign id is simply not a valid choice. Values go through the import's cleaners
(imports/cleaning), so a value typed here is stored as an import of the same text stores it.

    fields.py         shared inputs: WriteOnlyInput, DateInput, FirmDateField, CleanedField
    custom_fields.py  CustomFieldsMixin: one typed input per firm custom field, custom_field_name
    accounts.py       AccountForm, AddContactToAccountForm, LinkSwitchForm
    contacts.py       ContactForm
    filters.py        ListFilterForm, AccountFilterForm: the lists' filters
    merging.py        AccountMergeForm: which account's value each differing field keeps
    firm_settings.py  the firm, team members, tags, custom fields, roles, folder templates
    auth.py           EmailAuthenticationForm, TeamPasswordResetForm: sign in and password reset
"""

from crm.forms.accounts import AccountForm, AddContactToAccountForm, LinkSwitchForm
from crm.forms.auth import EmailAuthenticationForm, TeamPasswordResetForm
from crm.forms.contacts import ContactForm
from crm.forms.custom_fields import custom_field_name
from crm.forms.filters import AccountFilterForm, ListFilterForm
from crm.forms.merging import AccountMergeForm
from crm.forms.firm_settings import (
    AccountRoleForm,
    CustomFieldForm,
    DefaultFolderTemplateForm,
    FirmForm,
    FolderTemplateForm,
    MemberAddForm,
    MemberUpdateForm,
    TagForm,
)

__all__ = [
    "AccountFilterForm", "AccountForm", "AccountMergeForm", "AccountRoleForm", "AddContactToAccountForm", "ContactForm",
    "CustomFieldForm", "DefaultFolderTemplateForm", "EmailAuthenticationForm", "FirmForm", "FolderTemplateForm",
    "LinkSwitchForm", "ListFilterForm", "MemberAddForm", "MemberUpdateForm", "TagForm", "TeamPasswordResetForm",
    "custom_field_name",
]
