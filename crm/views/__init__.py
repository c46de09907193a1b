"""The CRM's pages. Views parse input, check it with forms and call services; nothing else.

Every view carries one of the decorators of crm.permissions and reads tenant data only through
the `access_*` helpers and selectors, which start from `request.firm`.
"""

from crm.views.accounts import (
    account_contact_add,
    account_contact_switch,
    account_create,
    account_detail,
    account_edit,
    account_list,
)
from crm.views.bulk import accounts_bulk, contacts_bulk
from crm.views.saved_filters import saved_filter_delete, saved_filter_save
from crm.views.contacts import contact_create, contact_detail, contact_edit, contact_list
from crm.views.firm import firm_switch
from crm.views.merging import account_merge, account_merge_pick
from crm.views.invitations import accounts_invite, invitation_accept, link_invite
from crm.views.custom_fields import custom_fields_delete, custom_fields_merge
from crm.views.firm_settings import (
    custom_field_delete,
    custom_fields,
    firm_settings,
    folder_template_default,
    folder_template_delete,
    folder_templates,
    member_deactivate,
    member_reactivate,
    member_update,
    role_delete,
    roles,
    tag_delete,
    tag_rename,
    tags,
    team,
)

__all__ = [
    "accounts_bulk",
    "contacts_bulk",
    "saved_filter_delete",
    "saved_filter_save",
    "accounts_invite",
    "account_contact_add",
    "account_contact_switch",
    "account_create",
    "account_detail",
    "account_edit",
    "account_list",
    "account_merge",
    "account_merge_pick",
    "contact_create",
    "contact_detail",
    "contact_edit",
    "contact_list",
    "custom_field_delete",
    "custom_fields",
    "custom_fields_delete",
    "custom_fields_merge",
    "firm_settings",
    "firm_switch",
    "folder_template_default",
    "folder_template_delete",
    "folder_templates",
    "invitation_accept",
    "link_invite",
    "member_deactivate",
    "member_reactivate",
    "member_update",
    "role_delete",
    "roles",
    "tag_delete",
    "tag_rename",
    "tags",
    "team",
]
