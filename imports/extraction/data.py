"""What cleaning one row gives: `CleanRow` with its `AccountData` and `PersonData` (an `AddressData`
for a business address), the `CustomFieldSpec` a custom cell is cleaned for, and the skip reasons."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from crm.normalize import account_name_key, contact_name_key, normalize_email_key, normalize_name_key
from imports.problems import Problem


# Skip reasons decided from the row alone (docs/import-rules.md); the planner adds the ones that need
# the database.
MISSING_ACCOUNT_NAME = "missing_account_name"
MISSING_CONTACT_IDENTITY = "missing_contact_identity"
UNREADABLE_ROW = "unreadable_row"


@dataclass(frozen=True, slots=True)
class CustomFieldSpec:
    """A custom field as the row cleaner needs it; `exists` is False for one the mapping creates."""

    applies_to: str
    name: str
    field_type: str
    options: tuple[str, ...] = ()
    exists: bool = True
    created_by_this_import: bool = False

    @property
    def key(self) -> str:
        return normalize_name_key(self.name, 100)

    @property
    def collects_options(self) -> bool:
        """A dropdown the import creates has no choices yet: every value in the file becomes one."""
        return self.field_type == "dropdown" and (not self.exists or self.created_by_this_import)


@dataclass(slots=True)
class AddressData:
    """An address as the row gives it: a person's business address on its way to its place."""

    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(slots=True)
class PersonData:
    """One person named on a row: the row's contact (slot 1) or Contact 2 ... 5."""

    slot: int
    prefix: str = ""
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    suffix: str = ""
    email: str = ""
    email_column: str = ""  # where the primary email came from: decides the portal switches
    additional_emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    date_of_birth: datetime.date | None = None
    tax_id: str = ""
    # The header of the column the tax ID came from when that column may hold either number
    # ("Tax ID", "TIN", "SSN/EIN"): on a company's row an EIN there is the company's
    # (`_place_business_tax_id`).
    tax_id_shared_column: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    # The row's business (work) address, kept apart from the home address above until the row
    # is cleaned (`_place_business_address`); None when the row has none.
    business: AddressData | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    custom: dict[str, object] = field(default_factory=dict)  # custom field key -> clean value
    # Identity keys, set once the row is cleaned (`CleanRow.seal`): computed in the cleaning
    # worker, not again in the process that plans and writes.
    email_key: str = ""
    name_key: str = ""
    own_account_key: str = ""  # the key of an account named after this person

    @property
    def has_name(self) -> bool:
        return bool(self.first_name or self.last_name)

    @property
    def display_name(self) -> str:
        """ "First Last": how an individual's account is named after its person (docs/import-rules.md)."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_identifiable(self) -> bool:
        return self.has_name or bool(self.email)


@dataclass(slots=True)
class AccountData:
    name: str = ""
    name_given: bool = True  # False when the name was derived from the person or email
    type: str = ""
    type_from_file: bool = False  # the type came from the mapped column (conflicts are checked)
    company_name: str = ""
    client_id: str = ""
    tags: list[str] = field(default_factory=list)
    assignees: list[int] = field(default_factory=list)  # membership ids
    roles: dict[str, int] = field(default_factory=dict)  # role key -> membership id
    # The file names an assignee whom the firm chose to leave unassigned ("Nobody"): a new
    # account then does not fall back to the importer either.
    assigned_nobody: bool = False
    custom: dict[str, object] = field(default_factory=dict)
    status: str = ""  # "active" / "inactive" from the file; "" when the row says nothing
    street: str = ""  # the account's own address (a company's): see `_place_business_address`
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    tax_id: str = ""  # a business's EIN / tax number (a person's SSN stays on the person)
    key: str = ""  # the account-name key, set by `CleanRow.seal`


@dataclass(slots=True)
class CleanRow:
    number: int
    cells: list[str]
    account: AccountData | None = None
    people: list[PersonData] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skip: Problem | None = None

    def seal(self) -> CleanRow:
        """Computes the identity keys the planner looks records up by, once cleaning is done."""
        if self.account is not None and not self.account.key:
            self.account.key = account_name_key(self.account.name)
        for person in self.people:
            person.email_key = normalize_email_key(person.email)
            person.name_key = contact_name_key(person.first_name, person.last_name)
            if not person.own_account_key:
                person.own_account_key = normalize_name_key(f"{person.first_name} {person.last_name}")
        return self
