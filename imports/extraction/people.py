"""Stage 3 of the pipeline: one source row + the mapping -> a CleanRow.

Pure: no database. Everything the firm has that the row may refer to (custom fields, team
members, roles, its default country and date order) arrives in an ExtractionContext built once
per import, so this stage can run in worker processes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from crm.normalize import account_name_key, contact_name_key, normalize_email_key, normalize_name_key
from imports import cleaning
from imports.cleaning.addresses import Address, split_address
from imports.mapping import ADDRESS_FIELDS as ADDRESS_ATTRIBUTES
from imports.mapping import IGNORE, Mapping
from imports.members import MemberDirectory
from imports.problems import Problem
from imports.reading import SourceRow

MAX_NOTES_LENGTH = 10_000

# Skip reasons decided from the row alone (docs/import-rules.md); the planner adds the ones that need
# the database.
MISSING_ACCOUNT_NAME = "missing_account_name"
MISSING_CONTACT_IDENTITY = "missing_contact_identity"
UNREADABLE_ROW = "unreadable_row"
# Warnings about a date of birth kept whole (docs/import-rules.md, "Values kept whole").
TIME_DROPPED = "time_dropped"
PARTIAL_DATE = "partial_date"


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


ADDRESS_PARTS = ("street", "city", "state", "postal_code", "country")


@dataclass(slots=True)
class AddressData:
    """An address as the row gives it: a person's business address on its way to its place."""

    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


def _has_address(holder) -> bool:
    """Does it name a place? A state or a country alone does not (Outlook fills in the home
    country of contacts that have no home address)."""
    return bool(holder.street or holder.city or holder.postal_code)


def _copy_address(source, target) -> None:
    """`source`'s address onto `target`, keeping the target's state or country where the
    source has none."""
    for part in ADDRESS_PARTS:
        setattr(target, part, getattr(source, part) or getattr(target, part))


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


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    header: str
    record: str  # "account", "contact", "contact2", ...
    attribute: str
    field_key: str  # custom field key or role key


@dataclass
class ExtractionContext:
    """Everything row cleaning needs, computed once per import (and picklable)."""

    mapping: Mapping
    headers: list[str]
    default_country: str = "US"
    date_order: str = "MDY"
    # How an individual's account is named after its person: "first_last" or "last_first"
    # (the firm's setting).
    individual_names: str = "first_last"
    custom_fields: dict[tuple[str, str], CustomFieldSpec] = field(default_factory=dict)
    # The firm's active team members and its choices for names that match none of them.
    members: MemberDirectory = field(default_factory=MemberDirectory)
    # Column index -> "MDY" or "DMY" where the column's own values prove its order (see
    # `date_order_evidence`); other date columns are read in the firm's order.
    date_orders: dict[int, str] = field(default_factory=dict)
    # Column index -> "point" or "comma": how the column's numbers read (the user's choice, or
    # what its own values prove); other columns read each number on its own.
    number_formats: dict[int, str] = field(default_factory=dict)
    columns: list[_Column] = field(init=False)

    def __post_init__(self):
        positions = {header: index for index, header in enumerate(self.headers)}
        self.columns = []
        for col in self.mapping.columns:
            if col.target == IGNORE or col.column not in positions:
                continue
            record, attribute = col.target.split(".", 1)
            self.columns.append(
                _Column(positions[col.column], col.column, record, attribute, normalize_name_key(col.field, 100))
            )
        # A person's country decides how their numbers read, so country cells come first.
        self.columns.sort(key=lambda column: column.attribute != "country")

    def individual_name(self, person: PersonData) -> str:
        """The name of an individual's account named after `person`, in the firm's form."""
        if self.individual_names == "last_first" and person.first_name and person.last_name:
            return f"{person.last_name}, {person.first_name}"[:255]
        return person.display_name[:255]

    def date_columns(self) -> list[_Column]:
        """The mapped columns that hold dates: dates of birth and date custom fields."""
        return [
            col for col in self.columns
            if col.attribute == "date_of_birth" or (
                col.attribute == "custom" and self.custom_spec(col).field_type == "date"
            )
        ]

    def date_order_of(self, col: _Column) -> str:
        return self.date_orders.get(col.index, self.date_order)

    def number_format_of(self, col: _Column) -> str | None:
        return self.number_formats.get(col.index)

    def custom_spec(self, col: _Column) -> CustomFieldSpec:
        """The custom field a column is mapped to (the job resolves every one before the run)."""
        spec = self.custom_fields.get(("account" if col.record == "account" else "contact", col.field_key))
        if spec is None:  # pragma: no cover
            raise ValueError(f"custom field {col.field_key!r} was not resolved")
        return spec


_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\b")


EVIDENCE_MIN_VALUES = 2
EVIDENCE_MIN_SHARE = 0.1


def date_order_evidence(values: Iterable[str]) -> str | None:
    """ "DMY" when values that can only be day first (15/03/1968) are a real part of the column,
    "MDY" likewise for month first (03/15/1968), None otherwise. A file is written in one order,
    so such values settle the column (04/07/1970 beside them is 4 July), but one of them among
    many ambiguous dates is more likely a typo than proof: at least two, and a tenth of the
    column's numeric dates, are needed, and none may prove the other order."""
    tally = DateOrderTally()
    for value in values:
        tally.add(value)
    return tally.decision()


class EvidenceTally:
    """Counts, over a column, the values that can be read only one way ("DMY" or "MDY";
    "comma" or "point") among the values of that kind. The rule of `date_order_evidence`
    decides: at least two proofs, a tenth of the values, and no proof of the other way."""

    __slots__ = ("counted", "proofs")

    def __init__(self):
        self.counted = 0
        self.proofs: dict[str, int] = {}

    def prove(self, way: str | None) -> None:
        self.counted += 1
        if way is not None:
            self.proofs[way] = self.proofs.get(way, 0) + 1

    def decision(self) -> str | None:
        if len(self.proofs) != 1:
            return None
        (way, proof), = self.proofs.items()
        return way if proof >= max(EVIDENCE_MIN_VALUES, EVIDENCE_MIN_SHARE * self.counted) else None


class DateOrderTally(EvidenceTally):
    """`date_order_evidence`, one value at a time (the column profile streams the file)."""

    __slots__ = ()

    def add(self, value: str) -> None:
        match = _NUMERIC_DATE.match(value)
        if match is None:
            return
        first, second = int(match[1]), int(match[2])
        if 12 < first <= 31 and second <= 12:
            self.prove("DMY")
        elif 12 < second <= 31 and first <= 12:
            self.prove("MDY")
        else:
            self.prove(None)


class NumberFormatTally(EvidenceTally):
    """Decimal comma or decimal point, decided from the column's own numbers like date order:
    "1.000,00" and "1.234,5" prove a comma, "1,000.00" a point; "1,234" proves nothing."""

    __slots__ = ()

    def add(self, value: str) -> None:
        if "," in value or "." in value:  # whole numbers say nothing about separators
            self.prove(cleaning.number_format_evidence(value))


def extract_row(source: SourceRow, ctx: ExtractionContext) -> CleanRow:
    """Cleans every mapped cell of the row and decides the row's account and people."""
    return _extract(source, ctx).seal()


def _extract(source: SourceRow, ctx: ExtractionContext) -> CleanRow:
    row = CleanRow(number=source.number, cells=source.cells)
    if source.error:
        row.skip = Problem(UNREADABLE_ROW, source.error)
        return row
    kind = ctx.mapping.kind
    account = AccountData(name="") if kind != "contacts" else None
    people: dict[str, PersonData] = {}
    full_names: dict[str, str] = {}
    warnings = row.warnings

    for col in ctx.columns:
        raw = source.cells[col.index]
        if not raw or raw.isspace():
            continue
        if col.record == "account":
            _extract_account_cell(account, col, raw, ctx, warnings)
            continue
        person = people.get(col.record)
        if person is None:
            slot = 1 if col.record == "contact" else int(col.record[len("contact"):])
            person = people[col.record] = PersonData(slot=slot)
        if col.attribute == "full_name":
            full_names[col.record] = raw
            if _FORMULA.match(raw.strip()):
                warnings.append(_formula_problem(raw.strip()).at(col.header, raw))
        else:
            _extract_person_cell(person, col, raw, ctx, warnings)

    for record, raw in full_names.items():
        _apply_full_name(people, record, raw)
    if kind == "accounts-and-contacts" and account.name:
        _person_from_account_name(account, people, ctx)
    if source.extra:
        warnings.append(
            Problem("extra_cells", "The row has more cells than the header; the extra values were not imported.",
                    value=" | ".join(source.extra))
        )

    row.people = sorted((p for p in people.values() if p.is_identifiable), key=lambda p: p.slot)
    _separate_shared_emails(row.people, warnings)
    if kind == "contacts":
        _place_business_address(row.people, None)
        if not row.people or row.people[0].slot != 1:
            row.skip = Problem(MISSING_CONTACT_IDENTITY, "The row has neither a name nor a valid email for the contact.")
        return row
    if kind == "accounts":
        row.people = []
        if not account.name:
            row.skip = Problem(MISSING_ACCOUNT_NAME, "The row has no account name.")
            return row
    elif not account.name:
        _name_account_after_person(row, account, ctx)
        if row.skip:
            return row
    elif row.people:
        _name_after_own_person(account, row.people[0], ctx)
    _decide_account_type(account, row.people, ctx.mapping.account_type)
    _place_business_address(row.people, account)
    _place_business_tax_id(row.people, account)
    row.account = account
    return row


def _extract_account_cell(account: AccountData, col: _Column, raw: str, ctx, warnings: list[Problem]) -> None:
    attribute = col.attribute
    if attribute == "name":
        account.name, problems = cleaning.clean_text(raw, max_length=255)
        if _FORMULA.match(account.name):
            problems = [*problems, _formula_problem(account.name)]
    elif attribute == "type":
        value, problems = cleaning.clean_account_type(raw)
        if value:
            account.type, account.type_from_file = value, True
    elif attribute == "company_name":
        account.company_name, problems = cleaning.clean_text(raw, max_length=255)
    elif attribute == "client_id":
        account.client_id, problems = cleaning.clean_text(raw, max_length=64)
    elif attribute == "tags":
        problems = _extend_tags(account.tags, raw)
    elif attribute == "assignees":
        problems = []
        for name in ctx.members.names_in(raw):
            member, decided = ctx.members.resolve(name)
            if not decided:
                problems.append(_unknown_member(name))
            elif member is None:
                account.assigned_nobody = True
            elif member not in account.assignees:
                account.assignees.append(member)
    elif attribute == "role":
        member, decided = ctx.members.resolve(raw)
        problems = [] if decided else [_unknown_member(raw)]
        if member is not None:
            account.roles[col.field_key] = member
    elif attribute == "custom":
        problems = _extract_custom(account.custom, col, raw, ctx)
    elif attribute == "status":
        status, problems = clean_status(raw, col.header)
        account.status = status or account.status
    elif attribute in ADDRESS_ATTRIBUTES:
        problems = _extract_address_cell(account, attribute, raw)
    elif attribute == "tax_id":
        account.tax_id, problems = cleaning.clean_tax_id(raw, label="EIN / tax ID")
        # As a person's: the number never goes into a warning, only its last four characters.
        for problem in problems:
            warnings.append(problem.at(col.header, "…" + raw.strip()[-4:]))
        return
    else:  # pragma: no cover - the mapping validator rejects unknown targets
        raise ValueError(f"unknown account target {attribute}")
    for problem in problems:
        warnings.append(problem.at(col.header, raw))


def _extract_person_cell(person: PersonData, col: _Column, raw: str, ctx, warnings: list[Problem]) -> None:
    attribute = col.attribute
    problems: list[Problem] = []
    if attribute in ("first_name", "middle_name", "last_name", "prefix", "suffix"):
        value, problems = cleaning.clean_text(raw, max_length=100 if attribute.endswith("name") else 30)
        value = cleaning.strip_symbols(value)
        if attribute == "last_name":
            # "Patel CPA", "Garcia, DDS": the credential is a suffix, not part of the family name.
            value, credentials = cleaning.split_credentials(value)
            if credentials and not person.suffix:
                person.suffix = credentials[:30]
        setattr(person, attribute, value)
        if _FORMULA.match(value):
            problems = [*problems, _formula_problem(value)]
    elif attribute == "email":
        emails, problems = _fitting_emails(raw)
        if emails:
            if person.email:  # a second column mapped to the primary email: keep both
                person.additional_emails.extend(emails)
            else:
                person.email, person.email_column = emails[0], col.header
                person.additional_emails.extend(emails[1:])
    elif attribute == "additional_emails":
        emails, problems = _fitting_emails(raw)
        person.additional_emails.extend(emails)
    elif attribute == "phone":
        # A number written without its country code belongs to the person's country when the
        # row names it (columns of a country are read first), else to the firm's.
        region = cleaning.region_for_country(person.country) or ctx.default_country
        phones, problems = cleaning.clean_phones(raw, default_country=region)
        person.phones.extend(p for p in phones if p not in person.phones)
    elif attribute == "date_of_birth":
        problems = _extract_date_of_birth(person, raw, ctx.date_order_of(col))
    elif attribute == "tax_id":
        person.tax_id, problems = cleaning.clean_tax_id(raw)
        person.tax_id_shared_column = col.header if not names_only_a_persons_number(col.header) else ""
        # The SSN itself never goes into a warning: only its last four characters.
        for problem in problems:
            warnings.append(problem.at(col.header, "…" + raw.strip()[-4:]))
        return
    elif attribute in ADDRESS_ATTRIBUTES:
        problems = _extract_address_cell(person, attribute, raw)
    elif attribute.startswith("business_"):
        if person.business is None:
            person.business = AddressData()
        problems = _extract_address_cell(person.business, attribute.removeprefix("business_"), raw)
    elif attribute == "notes":
        value, problems = cleaning.clean_text(raw, max_length=MAX_NOTES_LENGTH, allow_newlines=True)
        person.notes = f"{person.notes}\n{value}" if person.notes and value else (person.notes or value)
    elif attribute == "tags":
        problems = _extend_tags(person.tags, raw)
    elif attribute == "custom":
        problems = _extract_custom(person.custom, col, raw, ctx)
    else:  # pragma: no cover
        raise ValueError(f"unknown contact target {attribute}")
    for problem in problems:
        warnings.append(problem.at(col.header, raw))


def _extract_date_of_birth(person: PersonData, raw: str, date_order: str) -> list[Problem]:
    """A date of birth holds a day: a time other than midnight is left out with a warning,
    and a year on its own is kept in the contact's notes (with a warning), never dropped."""
    person.date_of_birth, time, problems = cleaning.clean_date_time(raw, date_order=date_order)
    if person.date_of_birth is not None and time:
        problems = [*problems, Problem(
            TIME_DROPPED, f"The date of birth {raw.strip()!r} has a time of day ({time}); a date of birth holds "
                          f"the day only, so {person.date_of_birth.isoformat()} was kept without it.")]
    year = cleaning.year_only(raw) if person.date_of_birth is None else ""
    if year:
        line = f"Year of birth: {year}"
        if line not in person.notes.splitlines():
            person.notes = f"{person.notes}\n{line}" if person.notes else line
        problems = [Problem(PARTIAL_DATE, f"The date of birth {year} is a year only; a date of birth needs the "
                                          f"day and month, so the year was kept in the contact's notes.")]
    return problems


def _extract_address_cell(holder, attribute: str, raw: str) -> list[Problem]:
    """One address cell into a contact's, an account's or a business address (`holder`)."""
    problems: list[Problem] = []
    if attribute in ("street", "street2"):
        # "123 Main St, Boston, MA 02118" in one cell (QuickBooks Online), or the "Boston, MA
        # 02118" line of QuickBooks' free-form "Bill to" lines: the city's parts go to their fields.
        address = split_address(raw)
        if address is not None:
            raw = address.street
            _fill_empty_address_parts(holder, address, ("city", "state", "postal_code", "country"))
        value, problems = cleaning.clean_text(raw, max_length=255)
        joined = f"{holder.street}, {value}" if holder.street and value else (holder.street or value)
        if len(joined) > 255:
            problems = [*problems, Problem("text_truncated", "The street lines together are longer than 255 characters; "
                                           "the end was cut.")]
        holder.street = joined[:255]
    elif attribute == "city":
        address = split_address(raw)
        if address is not None and not address.street:  # "Boston, MA 02118", a QuickBooks "Bill to" line
            raw = address.city
            _fill_empty_address_parts(holder, address, ("state", "postal_code", "country"))
        holder.city, problems = cleaning.clean_text(raw, max_length=100)
    elif attribute in ("state", "country"):
        value, problems = cleaning.clean_text(raw, max_length=100)
        setattr(holder, attribute, value)
    elif attribute == "postal_code":
        holder.postal_code = cleaning.clean_postal_code(raw)[:20]
    return problems


def _place_business_address(people: list[PersonData], account: AccountData | None) -> None:
    """Row by row: a business address fills its person's address when the row gives no home
    address, and it is the address of a company account that the file gave none (Outlook's
    "Business Street" next to "Company": the company's office). Otherwise it is not kept:
    a person has one address here, and an individual's account has none of its own."""
    for person in people:
        business = person.business
        if business is None or not _has_address(business):
            continue
        if not _has_address(person):
            _copy_address(business, person)
        if account is not None and person.slot == 1 and account.type == "company" and not _has_address(account):
            _copy_address(business, account)


# --- Tax IDs: the person's and the business's ------------------------------------------------
# A header that names only a person's number (docs/import-rules.md, "Tax IDs: the person's and
# the business's"); "SSN/EIN", "TIN", "Tax ID" name either.
_PERSONS_NUMBER_WORDS = re.compile(r"\b(ssn|ss|social|soc|itin)\b")
_EITHER_NUMBER_WORDS = re.compile(r"\b(ein|fein|tin|tax|taxpayer|federal|employer)\b")


def names_only_a_persons_number(header: str) -> bool:
    """ "SSN", "Spouse Soc Sec #", "ITIN": a column whose values are people's numbers, whatever
    they look like. "Tax ID", "TIN", "SSN/EIN" may hold a business's EIN."""
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", header.casefold()).split())
    return bool(_PERSONS_NUMBER_WORDS.search(words)) and not _EITHER_NUMBER_WORDS.search(words)


def _place_business_tax_id(people: list[PersonData], account: AccountData) -> None:
    """Row by row: an EIN (written NN-NNNNNNN) in the row's person's shared tax-ID column ("Tax
    ID", "SSN/EIN") is the company's when the row's account is a company that the file gave
    no EIN of its own; it moves from the person to the account. An SSN-shaped value, and any
    value on an individual's row, stays the person's."""
    if account.type != "company" or account.tax_id or not people:
        return
    person = people[0]
    if person.slot == 1 and person.tax_id_shared_column and cleaning.looks_like_ein(person.tax_id):
        account.tax_id, person.tax_id = person.tax_id, ""


# --- Client status ---------------------------------------------------------------------------
# What a status cell means depends on its column: "Inactive: Y" and "Active: N" say the same.
# Headers are compared as words, lower-cased ("Is Archived", "IsArchived", "HIDDEN").
_NEGATIVE_FLAG_WORDS = frozenset("inactive hidden archived deleted closed disabled".split())
_STATUS_ACTIVE = frozenset("active current open enabled live ongoing engaged".split())
_STATUS_INACTIVE = frozenset(
    "inactive archived archive former closed hidden deleted disabled terminated dormant lost ended past "
    "disengaged departed gone prior".split()
)
_STATUS_NOISE = frozenset("client clients customer account contact status".split())  # "Former client"
_HEADER_WORDS = re.compile(r"[a-z]+")


def _header_words(header: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)  # IsArchived -> Is Archived
    return set(_HEADER_WORDS.findall(spaced.casefold()))


def clean_status(raw: str, header: str) -> tuple[str, list[Problem]]:
    """"active" / "inactive" from a status cell, read by its column's meaning; "" and a
    warning for a value that says neither (the account's status is then left as it is).

    A flag column named for the inactive state (Inactive, Hidden, Archived, Is Archived: IIF
    HIDDEN, Xero, QuickBooks) is inactive when its value is yes; any other status column
    (Status, Client Status, Active, Active Status) reads yes as active, no as inactive, and
    status words (Active, Inactive, Archived, Former, Closed...) as they say."""
    value, problems = cleaning.clean_text(raw, max_length=100)
    words = [w for w in value.casefold().replace("-", " ").replace("_", " ").split() if w not in _STATUS_NOISE]
    word = " ".join(words)
    if word in _STATUS_INACTIVE or word == "not active":
        return "inactive", []
    negative = bool(_header_words(header) & _NEGATIVE_FLAG_WORDS)
    flag, _ = cleaning.clean_yes_no(value)
    if flag is not None and not (word in _STATUS_ACTIVE and negative):
        return ("inactive" if flag == negative else "active"), []
    if word in _STATUS_ACTIVE:
        return "active", []
    return "", [*problems, Problem(
        "unknown_status",
        f"{value[:60]!r} is not a client status we know (Active or Inactive; yes or no in a flag column such as "
        "Inactive); the account's status was left as it is.",
    )]


def _fill_empty_address_parts(holder, address: Address, parts: tuple[str, ...]) -> None:
    """A column of its own ("City", "ZIP") wins over the same part read from an address cell."""
    for name in parts:
        if not getattr(holder, name):
            setattr(holder, name, getattr(address, name))


def _fitting_emails(raw: str) -> tuple[list[str], list[Problem]]:
    """Valid emails whose identity key fits its column (case-folding can lengthen one)."""
    emails, problems = cleaning.clean_emails(raw)
    fitting = [email for email in emails if len(normalize_email_key(email)) <= 254]
    if len(fitting) < len(emails):
        problems = [*problems, Problem("invalid_email", "An email address is too long to be stored; it was left out.")]
    return fitting, problems


def _extend_tags(tags: list[str], raw: str) -> list[Problem]:
    problems = []
    seen = {normalize_name_key(tag) for tag in tags}
    for name in cleaning.split_list(raw):
        name, tag_problems = cleaning.clean_text(name, max_length=100)
        problems.extend(tag_problems)
        key = normalize_name_key(name)
        if key and key not in seen:
            seen.add(key)
            tags.append(name)
    return problems


def _extract_custom(values: dict, col: _Column, raw: str, ctx: ExtractionContext) -> list[Problem]:
    spec = ctx.custom_spec(col)
    if spec.collects_options:
        # A dropdown this import creates takes its choices from the file itself.
        value, problems = cleaning.clean_text(raw, max_length=100)
    else:
        value, problems = cleaning.clean_custom_value(
            raw, field_type=spec.field_type, options=list(spec.options),
            date_order=ctx.date_order_of(col), number_format=ctx.number_format_of(col),
            default_country=ctx.default_country,
        )
    if value is not None and value != "":
        earlier = values.get(spec.key)
        if spec.field_type == "text" and isinstance(earlier, str) and earlier and value != earlier:
            value = f"{earlier}, {value}"  # several columns feed one text field: all are kept, in order
        values[spec.key] = value
    return problems


# A name that is a spreadsheet formula ("=HYPERLINK(...)", "=cmd|' /C calc'!A0"): a broken
# export, or a booby trap. It is kept as text, which exports guard, and the firm is told.
_FORMULA = re.compile(r"[=+\-@]\s*[A-Za-z_][\w.]*\s*[(|!]")


def _formula_problem(value: str) -> Problem:
    return Problem("formula_text", f"{value[:60]!r} looks like a spreadsheet formula; it was imported as plain text.")


def _unknown_member(value: str) -> Problem:
    return Problem("unknown_team_member", f"No team member is called {value.strip()!r}; it was not assigned.")


def _apply_full_name(people: dict[str, PersonData], record: str, raw: str) -> None:
    """A *Full name* column fills the name parts that separate columns left empty. A couple
    ("John & Jane Smith") in the first person's full name brings Contact 2 along when the
    file names no Contact 2 itself."""
    person = people[record]
    names = cleaning.split_couple(raw) if record == "contact" else [cleaning.split_full_name(raw)]
    if not names:
        return
    _fill_name(person, names[0])
    if len(names) > 1 and "contact2" not in people:
        second = people["contact2"] = PersonData(slot=2)
        _fill_name(second, names[1])


def _fill_name(person: PersonData, name) -> None:
    if person.first_name or person.last_name:
        return
    # Parts of a split full name obey the same limits as the name columns.
    person.prefix = person.prefix or name.prefix[:30]
    person.first_name, person.middle_name, person.last_name = name.first[:100], name.middle[:100], name.last[:100]
    person.suffix = person.suffix or name.suffix[:30]


def _separate_shared_emails(people: list[PersonData], warnings: list[Problem]) -> None:
    """Spouses often share one address. People of one row with different names and the same
    email are different people: the address stays with the first, the later one keeps their
    name (and any other address of theirs), so neither is merged into the other."""
    holders: dict[str, PersonData] = {}
    for person in people:
        key = normalize_email_key(person.email)
        if not key:
            continue
        holder = holders.setdefault(key, person)
        if holder is person or not (person.has_name and holder.has_name):
            continue
        if contact_name_key(person.first_name, person.last_name) == contact_name_key(holder.first_name,
                                                                                     holder.last_name):
            continue  # the same person twice: one contact (docs/import-rules.md, "Updates and re-imports")
        warnings.append(Problem(
            "shared_email",
            f"{person.display_name} has the same email as {holder.display_name}; it was kept on "
            f"{holder.display_name} only and {person.display_name} was imported without it.",
            column=person.email_column, value=person.email,
        ))
        person.email, person.email_column = "", ""
        if person.additional_emails:
            person.email = person.additional_emails.pop(0)


def _name_account_after_person(row: CleanRow, account: AccountData, ctx: ExtractionContext) -> None:
    """An empty account name becomes the first person's name ("First Last", or "Last, First"
    where the firm says so), or their email (with a warning); with neither the row is skipped.
    A row that names only a company ("Bright Smile Orthodontics" in a Company column, nobody's
    name) is that company's account."""
    account.name_given = False
    first = row.people[0] if row.people else None
    if first is not None and first.has_name:
        account.name = ctx.individual_name(first)
    elif account.company_name:
        account.name, account.name_given = account.company_name, True  # typed company: its name is the company's
    elif first is not None and first.email:
        account.name = first.email
        row.warnings.append(
            Problem("account_named_after_email", f"The row has no account or person name; the account is named {first.email}.",
                    value=first.email)
        )
    else:
        row.skip = Problem(MISSING_ACCOUNT_NAME, "The row has no account name, no person name and no valid email.")


def _name_after_own_person(account: AccountData, person: PersonData, ctx: ExtractionContext) -> None:
    """An account-name cell that names the row's own person in any order or case ("Rivera, Ana",
    "RIVERA ANA", "Rivera, Ana M." for Ana M. Rivera) is that person's account, named as the
    person is, in the firm's form. Sets the account's key, computed here once: this runs for
    every row, so plain string work (the general `account_name_key` parses names)."""
    name = account.name
    if person.first_name and person.last_name:
        own = person.own_account_key = normalize_name_key(f"{person.first_name} {person.last_name}")
        family, comma, given = name.partition(",")
        plain = normalize_name_key(f"{given} {family}" if comma and "," not in given else name)
        if plain == own or (len(plain) == len(own) and _words(plain) == _words(own)) or (
                person.middle_name and _words(plain) == _words(normalize_name_key(
                    f"{person.first_name} {person.middle_name} {person.last_name}"))):
            account.name, account.key = ctx.individual_name(person), own
            return
    account.key = account_name_key(name)


def _words(key: str) -> list[str]:
    return sorted(key.replace(".", " ").split())


def _person_from_account_name(account: AccountData, people: dict[str, PersonData], ctx: ExtractionContext) -> None:
    """A row whose only name is an account-name cell that reads as a person ("Rivera, Ana",
    or any plain name when the row's type says individual) names its contact after it, rather
    than leaving a contact with an email and no name. A couple brings its second person."""
    if any(person.has_name for person in people.values()):
        return
    name = account.name
    individual = (account.type_from_file and account.type == "individual") or (
        ctx.mapping.account_type.mode == "fixed" and ctx.mapping.account_type.value == "individual"
    )
    if cleaning.looks_like_organisation(name) or not (individual or cleaning.comma_person_name(name)):
        return
    names = cleaning.split_couple(name)
    if not names or not (names[0].first and names[0].last):
        return
    person = people.get("contact") or people.setdefault("contact", PersonData(slot=1))
    _fill_name(person, names[0])
    if len(names) > 1 and "contact2" not in people and names[1].first:
        _fill_name(people.setdefault("contact2", PersonData(slot=2)), names[1])


def _decide_account_type(account: AccountData, people: list[PersonData], choice) -> None:
    if choice.mode == "fixed":
        account.type, account.type_from_file = choice.value, False
    elif choice.mode == "ignore":
        account.type, account.type_from_file = "", False
    elif not account.type_from_file:
        account.type = _automatic_type(account, people)


# Words that name a household rather than anyone in it ("The Smith Family", "Mr & Mrs Lee").
_HOUSEHOLD_WORDS = frozenset(
    ["the", "family", "household", "and", "mr", "mrs", "ms", "miss", "dr", "jr", "sr", "ii", "iii", "iv"]
)
_NAME_WORD = re.compile(r"[^\W\d_]+")


def _name_words(*texts: str) -> set[str]:
    return {word for text in texts for word in _NAME_WORD.findall(normalize_name_key(text))}


def _automatic_type(account: AccountData, people: list[PersonData]) -> str:
    """Individual when the account is named after its person (or unnamed); company
    when the row names an organisation other than its person.

    Named after its people: every word of the name is one of their names or a household word
    ("Smith, John & Jane", "The Smith Household"), or the name reads as a person's name with
    the family name of someone on the row ("Jon Smith" for Jonathan Smith). "Nguyen Nail
    Salon" has words that are nobody's name: an organisation, though Mr Nguyen owns it.
    """
    if not account.name_given:
        return "individual"
    if cleaning.looks_like_organisation(account.name):
        return "company"
    named = [person for person in people if person.has_name]
    if named:
        known = _name_words(*(f"{p.prefix} {p.first_name} {p.middle_name} {p.last_name} {p.suffix}" for p in named))
        last_names = {normalize_name_key(p.last_name) for p in named if p.last_name}
        couple = cleaning.split_couple(account.name)
        if len(couple) > 1 and any(normalize_name_key(member.last) in last_names for member in couple):
            known |= _name_words(*(f"{m.prefix} {m.first} {m.middle} {m.last} {m.suffix}" for m in couple))
        if _name_words(account.name) - _HOUSEHOLD_WORDS <= known:
            return "individual"
        if len(couple) == 1 and normalize_name_key(couple[0].last) in last_names:
            return "individual"
    key = normalize_name_key(account.name)
    if account.company_name and normalize_name_key(account.company_name) == key:
        return "company"
    return "company" if named else "individual"
