"""The CRM domain (docs/crm-rules.md). Every tenant row hangs off a Firm."""

from crm.models.accounts import Account, AccountContact, AccountRole, AccountRoleAssignment
from crm.models.contacts import Contact
from crm.models.firms import Firm, Membership, User
from crm.models.history import AccountEvent
from crm.models.lists import ClientDeletion, ListKind, SavedFilter
from crm.models.setup import CustomField, FolderTemplate, Tag

__all__ = [
    "Account",
    "AccountContact",
    "AccountEvent",
    "AccountRole",
    "AccountRoleAssignment",
    "ClientDeletion",
    "Contact",
    "CustomField",
    "Firm",
    "FolderTemplate",
    "Membership",
    "ListKind",
    "SavedFilter",
    "Tag",
    "User",
]
