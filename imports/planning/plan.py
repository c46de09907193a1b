"""The plan and what it is made of: a batch's `BatchPlan` (accounts, contacts, links, skips,
warnings, `Counters`) and the per-import `PlanContext` the planner plans with."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.normalize import normalize_email_key
from imports.extraction import CleanRow
from imports.mapping import Mapping
from imports.planning.people import Person, _current
from imports.planning.refs import _client_rank
from imports.planning.snapshots import AccountSnapshot, Catalogue, ContactSnapshot
from imports.problems import Problem


@dataclass(eq=False)
class AccountWork:
    ref: str  # the account's reference within the plan (links name it); see Planner._account_for
    key: str  # the account-name key stored with the account
    snapshot: AccountSnapshot | None  # None: a new account
    virtual: bool = False  # created by an earlier batch of this dry run: nothing to write
    values: dict = field(default_factory=dict)  # new accounts: all fields; existing: changed fields
    previous: dict = field(default_factory=dict)  # existing: field -> value before the change
    custom: dict = field(default_factory=dict)  # custom key -> value (to set)
    previous_custom: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)  # tag keys to add
    assignees: set[int] = field(default_factory=set)
    roles: dict[str, int] = field(default_factory=dict)  # role key -> membership id
    decided_type: str = ""  # the type the file set (for conflicts)
    decided_row: int = 0
    changed: bool = False
    # An individual's account made from a row that names no account: the person it is named
    # after (its contact's name key and what tells that person apart from namesakes).
    person_name_key: str = ""
    stored_person: Person | None = None
    person_contact: ContactWork | None = None  # or the contact it is, read when asked (see person)
    first_contact: ContactWork | None = None  # a new account's first contact linked
    made_for_person: bool = False  # new, for a row without an account name

    @property
    def is_new(self) -> bool:
        return self.snapshot is None and not self.virtual

    @property
    def person(self) -> Person | None:
        """Its person as the plan leaves the contact: computed only when a namesake asks."""
        if self.person_contact is not None:
            return Person.of_contact(self.person_contact)
        return self.stored_person

    @person.setter
    def person(self, value: Person | None) -> None:
        self.stored_person, self.person_contact = value, None


@dataclass(frozen=True, slots=True)
class LinkPlan:
    """An account-contact link to create (previous is None) or whose switches to turn on."""

    login: bool
    notify: bool
    email_sync: bool
    previous: tuple[bool, bool, bool] | None = None
    # A new link's place among the batch's, in row order: the writer inserts them in this
    # order, so "the first contact linked" means the same in the plan and in the database.
    order: int = 0

    @property
    def switches(self) -> tuple[bool, bool, bool]:
        return (self.login, self.notify, self.email_sync)


@dataclass(eq=False)
class ContactWork:
    snapshot: ContactSnapshot | None
    virtual: bool = False
    values: dict = field(default_factory=dict)
    previous: dict = field(default_factory=dict)
    additional_emails: list[str] = field(default_factory=list)  # to add
    phones: list[str] = field(default_factory=list)  # to add
    custom: dict = field(default_factory=dict)
    previous_custom: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    links: dict[str, LinkPlan] = field(default_factory=dict)  # by account reference
    changed: bool = False
    planned: bool = False
    name_key: str = "|"  # of the merged first and last name, kept by the planner for the writer

    @property
    def is_new(self) -> bool:
        return self.snapshot is None and not self.virtual


@dataclass
class Counters:
    rows_total: int = 0
    rows_imported: int = 0
    rows_skipped: int = 0
    accounts_created: int = 0
    accounts_updated: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    custom_fields_created: int = 0
    tags_created: int = 0
    warnings: int = 0
    # Accounts-only imports: imported rows whose existing account they matched changed nothing.
    rows_unchanged: int = 0

    def add(self, other: Counters) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict) -> Counters:
        return cls(**{name: int(data.get(name, 0)) for name in cls.__dataclass_fields__})


@dataclass
class BatchPlan:
    accounts: dict[str, AccountWork] = field(default_factory=dict)  # by reference
    row_accounts: dict[int, str] = field(default_factory=dict)  # row number -> its account's reference
    contacts: list[ContactWork] = field(default_factory=list)
    new_tags: dict[str, str] = field(default_factory=dict)  # key -> name as first written
    skipped: list[tuple[CleanRow, Problem]] = field(default_factory=list)
    warnings: list[tuple[int, Problem]] = field(default_factory=list)
    counters: Counters = field(default_factory=Counters)
    last_row: int = 0
    # Pre-existing records this batch counted as updated first (FileState remembers them).
    first_updated_accounts: list[int] = field(default_factory=list)
    first_updated_contacts: list[int] = field(default_factory=list)
    # What later batches must know of this one, recorded with its checkpoint for a resumed
    # run (`imports.checkpoints`): the types a type column gave named accounts first
    # (account-name key -> (type, row)), and the account each name chose among several.
    decided_types: dict[str, tuple[str, int]] = field(default_factory=dict)
    chosen_accounts: dict[str, str] = field(default_factory=dict)  # account-name key -> reference


@dataclass
class DecidedDuplicates:
    """The user's "same client" decisions on likely duplicates, resolved against the firm
    (docs/import-rules.md, "Likely duplicates"): row -> existing account id, row -> the earlier
    row whose client it is, and row -> the id of a chosen account that no longer exists."""

    accounts: dict[int, int] = field(default_factory=dict)
    rows: dict[int, int] = field(default_factory=dict)
    gone: dict[int, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.accounts or self.rows or self.gone)

    @property
    def target_rows(self) -> set[int]:
        return set(self.rows.values())


@dataclass
class PlanContext:
    """Per-import facts the planner needs besides the rows."""

    mapping: Mapping
    job_id: int | None
    catalogue: Catalogue
    importer_member_id: int | None = None
    bulk_assignee_ids: list[int] = field(default_factory=list)
    # A dry run writes nothing, so what earlier batches "created" exists only in its
    # DryRunMemory; a real run finds it in the database and never plans a virtual record.
    dry_run: bool = False
    decisions: DecidedDuplicates = field(default_factory=DecidedDuplicates)

    @property
    def overwrite(self) -> bool:
        return self.mapping.settings.overwrite


def _batch_rank(account: AccountWork, email_key: str) -> int:
    """A link made in this batch: its account's first contact is only known for a new one."""
    first = account.is_new and account.first_contact is not None and (
        normalize_email_key(_current(account.first_contact, "email")) == email_key)
    return _client_rank(first, account.ref)
