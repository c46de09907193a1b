"""Forms of the CRM pages (being split into modules; for now all in `accounts`)."""

from crm.forms.accounts import (
    AccountFilterForm,
    AccountForm,
    AccountRoleForm,
    AddContactToAccountForm,
    ContactForm,
    CustomFieldForm,
    DefaultFolderTemplateForm,
    EmailAuthenticationForm,
    FirmForm,
    FolderTemplateForm,
    LinkSwitchForm,
    ListFilterForm,
    MemberAddForm,
    MemberUpdateForm,
    TagForm,
    TeamPasswordResetForm,
    custom_field_name,
)

__all__ = [
    "AccountFilterForm", "AccountForm", "AccountRoleForm", "AddContactToAccountForm", "ContactForm",
    "CustomFieldForm", "DefaultFolderTemplateForm", "EmailAuthenticationForm", "FirmForm", "FolderTemplateForm",
    "LinkSwitchForm", "ListFilterForm", "MemberAddForm", "MemberUpdateForm", "TagForm", "TeamPasswordResetForm",
    "custom_field_name",
]
