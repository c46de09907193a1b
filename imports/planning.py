"""Stage 4: clean rows -> a BatchPlan of creates, updates and skips, against what exists.

Pure: what exists comes in an `Existing` snapshot (one prefetch per batch, see
`imports.existing`), and what earlier batches of the same file did comes from `FileState`.
The dry run and the real run share this code; only the real run hands the plan to the writer,
which is why a dry run predicts the real counters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.normalize import contact_name_key, normalize_name_key
from imports.compact import CompactIntMap, CompactIntSet
from imports.extraction import AccountData, CleanRow, PersonData
from imports.mapping import Mapping
from imports.problems import Problem

ACCOUNT_FIELDS = ("name", "type", "company_name", "client_id")
CONTACT_FIELDS = (
    "prefix", "first_name", "middle_name", "last_name", "suffix", "email", "date_of_birth", "tax_id",
    "street", "city", "state", "postal_code", "country", "notes",
)
NAME_FIELDS = ("prefix", "first_name", "middle_name", "last_name", "suffix")
TYPE_CODES = {"": 0, "individual": 1, "company": 2, "other": 3}
TYPE_NAMES = {code: name for name, code in TYPE_CODES.items()}


# --- What exists ----------------------------------------------------------------------------
@dataclass
class AccountSnapshot:
    id: int
    name: str
    type: str
    company_name: str
    client_id: str
    custom_values: dict
    created_by_import_id: int | None
    tag_ids: set[int] = field(default_factory=set)
    assignee_ids: set[int] = field(default_factory=set)
    roles: dict[int, int] = field(default_factory=dict)  # role id -> membership id


@dataclass
class ContactSnapshot:
    id: int
    values: dict  # CONTACT_FIELDS -> value
    additional_emails: list[str]
    phones: list[str]
    custom_values: dict
    created_by_import_id: int | None
    tag_ids: set[int] = field(default_factory=set)


@dataclass
class Catalogue:
    """Firm-wide lookups loaded once per import: tags, custom fields, roles by key."""

    tags: dict[str, int] = field(default_factory=dict)  # tag key -> id
    custom_fields: dict[tuple[str, str], int] = field(default_factory=dict)  # (applies_to, key) -> id
    roles: dict[str, int] = field(default_factory=dict)  # role key -> id


@dataclass
class Existing:
    """What the database holds for one batch's keys."""

    accounts: dict[str, AccountSnapshot] = field(default_factory=dict)  # name key -> snapshot
    contacts_by_email: dict[str, ContactSnapshot] = field(default_factory=dict)
    # (account id or None for unlinked contacts, name key) -> snapshot
    contacts_by_name: dict[tuple[int | None, str], ContactSnapshot] = field(default_factory=dict)
    # (account id, contact id) -> link switches (login, notify, email_sync)
    links: dict[tuple[int, int], tuple[bool, bool, bool]] = field(default_factory=dict)


# --- What this file did so far -------------------------------------------------------------
class FileState:
    """Memory of earlier batches, kept as 64-bit hashes in compact sets (8 bytes a member) so
    a million-row file stays within its memory budget.

    `accounts` and the contact sets hold what earlier batches created or touched; only a dry
    run fills and reads them (it writes nothing, so the database cannot tell it). A real run
    finds earlier batches' records in the database instead. `account_types` maps an account
    key's hash to `row * 4 + type code` where a type column decided the type, for the
    conflicting-type check of both runs (only files that map a type column pay for it).
    """

    def __init__(self):
        self.accounts = CompactIntSet()
        self.account_types = CompactIntMap()
        self.contact_emails = CompactIntSet()
        self.contact_names = CompactIntSet()  # hash((account key or "", name key))
        self.contact_names_without_email = CompactIntSet()  # the same, for contacts without email
        self.new_tags: set[str] = set()
        self.updated_accounts: set[int] = set()  # ids of pre-existing accounts changed
        self.updated_contacts: set[int] = set()

    def decided_type(self, key: str) -> tuple[str, int] | None:
        packed = self.account_types.get(hash(key))
        if packed is None:
            return None
        return TYPE_NAMES[packed & 3], packed >> 2

    def remember_type(self, key: str, type_: str, row: int) -> None:
        """The first row that gave the account its type is the one a conflict names."""
        if type_:
            self.account_types.setdefault(hash(key), row * 4 + TYPE_CODES[type_])


# --- The plan -------------------------------------------------------------------------------
@dataclass(eq=False)
class AccountWork:
    key: str
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
    created_id: int | None = None  # set by the writer

    @property
    def is_new(self) -> bool:
        return self.snapshot is None and not self.virtual


@dataclass(frozen=True, slots=True)
class LinkPlan:
    """An account-contact link to create (previous is None) or whose switches to turn on."""

    login: bool
    notify: bool
    email_sync: bool
    previous: tuple[bool, bool, bool] | None = None

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
    links: dict[str, LinkPlan] = field(default_factory=dict)  # by account key
    changed: bool = False
    planned: bool = False
    name_key: str = "|"  # of the merged first and last name, kept by the planner for the writer
    created_id: int | None = None  # set by the writer

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
    accounts: dict[str, AccountWork] = field(default_factory=dict)
    contacts: list[ContactWork] = field(default_factory=list)
    new_tags: dict[str, str] = field(default_factory=dict)  # key -> name as first written
    skipped: list[tuple[CleanRow, Problem]] = field(default_factory=list)
    warnings: list[tuple[int, Problem]] = field(default_factory=list)
    counters: Counters = field(default_factory=Counters)
    last_row: int = 0
    # Pre-existing records this batch counted as updated first (FileState remembers them).
    first_updated_accounts: list[int] = field(default_factory=list)
    first_updated_contacts: list[int] = field(default_factory=list)


@dataclass
class PlanContext:
    """Per-import facts the planner needs besides the rows."""

    mapping: Mapping
    job_id: int | None
    catalogue: Catalogue
    importer_member_id: int | None = None
    bulk_assignee_ids: list[int] = field(default_factory=list)
    # A dry run writes nothing, so what earlier batches "created" exists only in FileState;
    # a real run finds it in the database and never plans a virtual record.
    dry_run: bool = False

    @property
    def overwrite(self) -> bool:
        return self.mapping.settings.overwrite


_EMPTY = (None, "", [], {})


def _merge(current, new, overwrite: bool):
    """The additive rule (DESIGN §3.2): fill empty values; replace only with *overwrite*.
    Returns the value to write, or _KEEP."""
    if new in _EMPTY:
        return _KEEP
    if current in _EMPTY:
        return new
    if overwrite and current != new:
        return new
    return _KEEP


_KEEP = object()


class Planner:
    """Plans one batch at a time; keeps the FileState across batches."""

    def __init__(self, ctx: PlanContext, state: FileState | None = None):
        self.ctx = ctx
        self.state = state or FileState()
        self._tag_keys: dict[str, str] = {}  # a file repeats a handful of tags on every row

    # -- entry point ----------------------------------------------------------------------
    def plan_batch(self, rows: list[CleanRow], existing: Existing) -> BatchPlan:
        plan = self._plan = BatchPlan()
        self._contacts_by_email: dict[str, ContactWork] = {}
        self._contacts_by_name: dict[tuple[str, str], ContactWork] = {}
        # One work per existing contact, however it was found (email here, name there):
        # two works for one record would each write it, and one row's values would be lost.
        self._contacts_by_id: dict[int, ContactWork] = {}
        for row in rows:
            plan.counters.rows_total += 1
            plan.last_row = row.number
            skip = row.skip or self._plan_row(row, existing, plan)
            if skip is not None:
                plan.skipped.append((row, skip))
                plan.counters.rows_skipped += 1
                continue
            plan.counters.rows_imported += 1
            for problem in row.warnings:
                plan.warnings.append((row.number, problem))
            plan.counters.warnings += len(row.warnings)
        self._count(plan)
        return plan

    def forget(self, plan: BatchPlan) -> None:
        """Undoes what planning `plan` taught the FileState, for a batch whose write was rolled
        back and is planned again. (Types decided by its rows are kept: planning the same rows
        again decides the same.)"""
        self.state.updated_accounts.difference_update(plan.first_updated_accounts)
        self.state.updated_contacts.difference_update(plan.first_updated_contacts)
        self.state.new_tags.difference_update(plan.new_tags)

    # -- one row --------------------------------------------------------------------------
    def _plan_row(self, row: CleanRow, existing: Existing, plan: BatchPlan) -> Problem | None:
        account_work = None
        if row.account is not None:
            account_work, problem = self._account_for(row, row.account, existing, plan)
            if problem is not None:
                return problem
        for person in row.people:
            self._plan_person(person, account_work, existing)
        return None

    def _account_for(self, row, data: AccountData, existing: Existing, plan: BatchPlan):
        key = data.key
        work = plan.accounts.get(key)
        state = self.state
        if work is None:
            snapshot = existing.accounts.get(key)
            virtual = self.ctx.dry_run and snapshot is None and hash(key) in state.accounts
            if snapshot is None and not virtual and self.ctx.mapping.settings.update_only:
                return None, Problem("account_not_found", f"No account named {data.name!r} exists, and this import only updates accounts.",
                                     value=data.name)
            work = AccountWork(key=key, snapshot=snapshot, virtual=virtual)
        # Type conflicts: only when the type comes from a mapped column (DESIGN §3.4).
        if data.type_from_file:
            decided = work.decided_type or None
            decided_row = work.decided_row or None
            if decided is None:
                earlier = state.decided_type(key)
                if earlier is not None and earlier[0]:
                    decided, decided_row = earlier
            if decided and decided != data.type:
                where = f"row {decided_row}" if decided_row else "an earlier row"
                return None, Problem(
                    "conflicting_account_type",
                    f"Account {data.name!r} was given type {decided} by {where}; this row says {data.type}.",
                    value=data.type,
                )
        plan.accounts[key] = work
        self._apply_account(work, data, row)
        if data.type_from_file and not work.decided_type:
            work.decided_type, work.decided_row = data.type, row.number
        if self.ctx.dry_run:
            state.accounts.add(hash(key))
        if data.type_from_file:
            state.remember_type(key, work.decided_type, row.number)
        return work, None

    def _apply_account(self, work: AccountWork, data: AccountData, row: CleanRow) -> None:
        overwrite = self.ctx.overwrite
        if work.is_new and not work.values:
            type_ = data.type or "other"  # the "ignore" choice: new accounts get other
            work.values = {
                "name": data.name,
                "type": type_,
                # A company's company name is its account name unless the file says otherwise.
                "company_name": data.company_name or (data.name if type_ == "company" and data.name_given else ""),
                "client_id": data.client_id,
            }
        elif work.virtual:
            pass  # created by an earlier batch of this dry run: nothing left to decide
        elif work.is_new:
            for name in ("company_name", "client_id"):
                value = _merge(work.values[name], getattr(data, name), overwrite)
                if value is not _KEEP:
                    work.values[name] = value
        else:
            snapshot = work.snapshot
            for name in ("company_name", "client_id"):
                self._change(work, name, getattr(snapshot, name), getattr(data, name), overwrite)
            if data.type:
                # "other" is what an account gets when nobody said; a type from the file fills it.
                current = work.values.get("type", snapshot.type)
                if data.type != current and (current == "other" or overwrite):
                    work.previous.setdefault("type", snapshot.type)
                    work.values["type"] = data.type
                    work.changed = True
        self._merge_custom(work, data.custom, "account")
        # tags, assignees and roles only ever get added
        snapshot_tags = work.snapshot.tag_ids if work.snapshot else set()
        for name in [*data.tags, *self.ctx.mapping.settings.tags]:
            tag_key = self._tag_key(name)
            tag_id = self.ctx.catalogue.tags.get(tag_key)
            if tag_key and tag_key not in work.tags and (tag_id is None or tag_id not in snapshot_tags):
                work.tags.append(tag_key)
                work.changed = work.changed or work.snapshot is not None
        assignees = set(data.assignees) | set(self.ctx.bulk_assignee_ids)
        if not assignees and work.is_new and self.ctx.importer_member_id:
            assignees = {self.ctx.importer_member_id}
        snapshot_assignees = work.snapshot.assignee_ids if work.snapshot else set()
        for member in assignees - snapshot_assignees - work.assignees:
            work.assignees.add(member)
            work.changed = work.changed or work.snapshot is not None
        for role_key, member in data.roles.items():
            role_id = self.ctx.catalogue.roles.get(role_key)
            held = work.snapshot.roles.get(role_id) if (work.snapshot and role_id) else None
            if held is None or (overwrite and held != member):
                if work.roles.get(role_key) is None or overwrite:
                    work.roles[role_key] = member
                    work.changed = work.changed or work.snapshot is not None

    def _merge_custom(self, work: AccountWork | ContactWork, values: dict, applies_to: str) -> None:
        """Custom values follow the additive rule too; the stored value is kept for undo."""
        stored_values = work.snapshot.custom_values if work.snapshot else {}
        for key, value in values.items():
            field_id = self.ctx.catalogue.custom_fields.get((applies_to, key))
            stored = stored_values.get(str(field_id)) if field_id else None
            merged = _merge(work.custom.get(key, stored), value, self.ctx.overwrite)
            if merged is _KEEP:
                continue
            if work.snapshot is not None and key not in work.custom:
                work.previous_custom[key] = stored
            work.custom[key] = merged
            work.changed = work.changed or work.snapshot is not None

    def _tag_key(self, name: str) -> str | None:
        key = self._tag_keys.get(name)
        if key is None:
            key = self._tag_keys[name] = normalize_name_key(name, 100)  # Tag.key's length
        if not key:
            return None
        if key not in self.ctx.catalogue.tags and key not in self.state.new_tags:
            self._plan.new_tags.setdefault(key, " ".join(name.split()))
        return key

    def _change(self, work, name: str, current, new, overwrite: bool) -> None:
        current = work.values.get(name, current)
        value = _merge(current, new, overwrite)
        if value is _KEEP:
            return
        work.previous.setdefault(name, current)
        work.values[name] = value
        work.changed = True

    # -- people ---------------------------------------------------------------------------
    def _plan_person(self, person: PersonData, account: AccountWork | None, existing: Existing) -> None:
        work = self._find_contact(person, account, existing)
        overwrite = self.ctx.overwrite
        values = {name: getattr(person, name) for name in CONTACT_FIELDS}
        if not overwrite and self._has_name(work):
            # A named contact keeps its name: another spelling met under the same email must
            # not half-rename it (its name is how rows without email find it again).
            for name in NAME_FIELDS:
                values.pop(name)
        if work.is_new and not work.values:
            work.values = values  # a new contact has no name yet, so nothing was left out
        elif work.virtual:
            pass
        elif work.is_new:
            for name, value in values.items():
                merged = _merge(work.values.get(name), value, overwrite)
                if merged is not _KEEP:
                    work.values[name] = merged
        else:
            snap = work.snapshot.values
            for name, value in values.items():
                self._change(work, name, snap.get(name), value, overwrite)
        if not work.virtual:
            known = set(work.snapshot.additional_emails) if work.snapshot else set()
            primary = (work.values.get("email") or (work.snapshot.values.get("email") if work.snapshot else "") or "").casefold()
            for email in person.additional_emails:
                folded = email.casefold()
                if folded != primary and folded not in {e.casefold() for e in known} and email not in work.additional_emails:
                    work.additional_emails.append(email)
                    work.changed = True
            known_phones = set(work.snapshot.phones) if work.snapshot else set()
            for phone in person.phones:
                if phone not in known_phones and phone not in work.phones:
                    work.phones.append(phone)
                    work.changed = True
            self._merge_custom(work, person.custom, "contact")
            snapshot_tags = work.snapshot.tag_ids if work.snapshot else set()
            for name in person.tags:
                key = self._tag_key(name)
                tag_id = self.ctx.catalogue.tags.get(key)
                if key and key not in work.tags and (tag_id is None or tag_id not in snapshot_tags):
                    work.tags.append(key)
                    work.changed = True
        self._remember_name(work, person, account)
        if account is not None:
            switches = self._switches(person)
            account_id = account.snapshot.id if account.snapshot else None
            contact_id = work.snapshot.id if work.snapshot else None
            current = existing.links.get((account_id, contact_id)) if account_id and contact_id else None
            planned = work.links.get(account.key)
            if planned is not None:  # the same link met again in this batch: switches only add up
                work.links[account.key] = LinkPlan(*(a or b for a, b in zip(planned.switches, switches)),
                                                   previous=planned.previous)
            elif current is None:
                if not (work.virtual and account.virtual):
                    work.links[account.key] = LinkPlan(*switches)
                    # A new link changes both sides that existed before.
                    work.changed = work.changed or work.snapshot is not None
                    account.changed = account.changed or account.snapshot is not None
            else:
                merged = tuple(a or b for a, b in zip(current, switches))
                if merged != current:
                    work.links[account.key] = LinkPlan(*merged, previous=current)
                    work.changed = True

    def _switches(self, person: PersonData) -> tuple[bool, bool, bool]:
        if not person.email:
            return (False, False, False)
        switches = self.ctx.mapping.settings.portal.get(person.email_column)
        if switches is None:
            return (False, False, False)
        return (switches.login, switches.notify, switches.email_sync)

    def _find_contact(self, person: PersonData, account: AccountWork | None, existing: Existing) -> ContactWork:
        """Contact identity (DESIGN §3.2): the primary email within the firm; otherwise the
        full name within the same account (or among unlinked contacts, for contacts only)."""
        account_key = account.key if account is not None else ""
        email_key = person.email_key
        if email_key:
            work = self._contacts_by_email.get(email_key)
            if work is None:
                snapshot = existing.contacts_by_email.get(email_key)
                if snapshot is not None:
                    work = self._work_for(snapshot)
                elif self.ctx.dry_run and hash(email_key) in self.state.contact_emails:
                    work = ContactWork(snapshot=None, virtual=True)
                elif person.has_name:
                    # Known by name without an email yet: the file brings their email.
                    work = self._by_name(account, account_key, person.name_key, existing, without_email=True)
                work = work or ContactWork(snapshot=None)
                self._contacts_by_email[email_key] = work
                if self.ctx.dry_run and work.snapshot is None:  # new, or created by an earlier batch
                    self.state.contact_emails.add(hash(email_key))
        else:
            work = self._by_name(account, account_key, person.name_key, existing, without_email=False)
            work = work or ContactWork(snapshot=None)
        if not work.planned:
            work.planned = True
            self._plan.contacts.append(work)
        return work

    def _work_for(self, snapshot: ContactSnapshot) -> ContactWork:
        work = self._contacts_by_id.get(snapshot.id)
        if work is None:
            work = self._contacts_by_id[snapshot.id] = ContactWork(snapshot=snapshot)
        return work

    @staticmethod
    def _has_name(work: ContactWork) -> bool:
        current = work.values or (work.snapshot.values if work.snapshot else {})
        return bool(current.get("first_name") or current.get("last_name"))

    def _remember_name(self, work: ContactWork, person: PersonData, account: AccountWork | None) -> None:
        """After a merge, the contact is known by its resulting name within the row's account,
        in this batch and (in a dry run, as a hash) in later ones, as the database will know it."""
        first = work.values.get("first_name") or (work.snapshot.values.get("first_name") if work.snapshot else "")
        last = work.values.get("last_name") or (work.snapshot.values.get("last_name") if work.snapshot else "")
        if not (first or last):
            return
        account_key = account.key if account is not None else ""
        if first == person.first_name and last == person.last_name:
            name_key = person.name_key  # the common case: computed when the row was cleaned
        else:
            name_key = contact_name_key(first or "", last or "")
        work.name_key = name_key
        self._contacts_by_name.setdefault((account_key, name_key), work)
        if self.ctx.dry_run:
            key = hash((account_key, name_key))
            self.state.contact_names.add(key)
            email = work.values.get("email") or (work.snapshot.values.get("email") if work.snapshot else "")
            if not email:
                self.state.contact_names_without_email.add(key)

    def _by_name(self, account, account_key, name_key, existing, *, without_email) -> ContactWork | None:
        work = self._contacts_by_name.get((account_key, name_key))
        if work is not None:
            if without_email and (work.values.get("email") or (work.snapshot and work.snapshot.values.get("email"))):
                return None
            return work
        account_id = account.snapshot.id if account is not None and account.snapshot else None
        snapshot = None
        if account is None or account_id is not None:
            snapshot = existing.contacts_by_name.get((account_id, name_key))
        if snapshot is not None:
            if without_email and snapshot.values.get("email"):
                return None
            return self._work_for(snapshot)
        names = self.state.contact_names_without_email if without_email else self.state.contact_names
        if self.ctx.dry_run and hash((account_key, name_key)) in names:
            return ContactWork(snapshot=None, virtual=True)
        return None

    # -- counting -------------------------------------------------------------------------
    def _count(self, plan: BatchPlan) -> None:
        state, counters, job_id = self.state, plan.counters, self.ctx.job_id
        for work in plan.accounts.values():
            if work.is_new:
                counters.accounts_created += 1
            elif work.snapshot is not None and work.snapshot.created_by_import_id != job_id:
                if work.changed and work.snapshot.id not in state.updated_accounts:
                    state.updated_accounts.add(work.snapshot.id)
                    plan.first_updated_accounts.append(work.snapshot.id)
                    counters.accounts_updated += 1
        for work in plan.contacts:
            if work.is_new:
                counters.contacts_created += 1
            elif work.snapshot is not None and work.snapshot.created_by_import_id != job_id:
                if work.changed and work.snapshot.id not in state.updated_contacts:
                    state.updated_contacts.add(work.snapshot.id)
                    plan.first_updated_contacts.append(work.snapshot.id)
                    counters.contacts_updated += 1
        counters.tags_created += len(plan.new_tags)
        state.new_tags.update(plan.new_tags)
