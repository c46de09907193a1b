"""What the wizard shows of a file before anything is written: a preview of its first rows, a
few sample values per column, and the review step's examples.

The examples come from the engine's own stages, run on the first rows without writing:
`pipeline.prepare` (the mapping resolved against the firm), `extraction.extract_row` (cleaning),
`existing.load_existing` and `planning.Planner` (new or existing, what changes). So an example
shows an account exactly as the import will create or update it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from itertools import islice

from crm.models import Membership
from crm.normalize import normalize_name_key
from imports.sensitive import mask_cells, tax_id_columns
from imports.existing import load_existing
from imports.extraction import AccountData, CleanRow, PersonData, extract_row
from imports.mapping import Mapping
from imports.models import ImportJob
from imports.pipeline import open_job_table, prepare
from imports.planning import AccountWork, ContactWork, Planner
from imports.profiling import stored_profiles

PREVIEW_ROWS = 5
SAMPLE_ROWS = 20  # read for each column's sample values and the new custom fields' type guess
EXAMPLE_ROWS = 200  # rows planned to find the examples
MAX_EXAMPLES = 5
MAX_SAMPLES = 3
TYPE_LABELS = {"individual": "Individual", "company": "Company", "other": "Other", "": "—"}


# --- Preview and samples --------------------------------------------------------------------


@dataclass
class FilePreview:
    headers: list[str]
    rows: list[list[str]]  # the first data rows, for the preview table
    samples: list[list[str]]  # per column: up to MAX_SAMPLES distinct non-empty values
    row_numbers: list[int] = field(default_factory=list)


def file_preview(job: ImportJob, *, rows: int = PREVIEW_ROWS) -> FilePreview:
    """The first rows of the file as the job's reading choices read it (reading only the head
    of the file, as the upload's detection found it), with each column's samples."""
    stored = stored_samples(job)
    with open_job_table(job) as table:
        headers = list(table.info.headers)
        first = table.preview(rows if stored is not None else max(rows, SAMPLE_ROWS))
    # SSN/TIN is never shown in full, not even back to the person who uploaded it.
    tax_ids = tax_id_columns(job.mapping, headers)
    first = [replace(row, cells=mask_cells(row.cells, tax_ids)) for row in first]
    if stored is not None and len(stored) == len(headers):
        return FilePreview(headers=headers, rows=[row.cells for row in first], samples=stored,
                           row_numbers=[row.number for row in first])
    samples: list[list[str]] = []
    for index in range(len(headers)):
        values: list[str] = []
        for row in first:
            value = " ".join(row.cells[index].split())
            if value and value not in values:
                values.append(value)
            if len(values) == MAX_SAMPLES:
                break
        samples.append(values)
    return FilePreview(
        headers=headers, rows=[row.cells for row in first[:rows]], samples=samples,
        row_numbers=[row.number for row in first[:rows]],
    )


def stored_samples(job: ImportJob) -> list[list[str]] | None:
    """Each column's first distinct values from the whole file, as the upload's profile found
    them (tax-ID columns masked); None for a job detected before profiles were stored."""
    profiles = stored_profiles(job.read_info)
    if profiles is None:
        return None
    tax_ids = tax_id_columns(job.mapping, job.read_info.get("headers", []))
    return [
        mask_cells(profile.samples[:MAX_SAMPLES], set(range(MAX_SAMPLES)) if index in tax_ids else set())
        for index, profile in enumerate(profiles)
    ]


# --- Review examples ------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    value: str
    before: str | None = None  # set when an existing value changes: "before → value"


@dataclass
class ContactExample:
    name: str
    status: str  # "new" | "updated" | "unchanged" | "merged"
    lines: list[Line] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    switches: list[tuple[str, bool]] = field(default_factory=list)  # ("Login", True), ...
    slot: int = 1


@dataclass
class AccountExample:
    name: str
    status: str  # "new" | "updated" | "unchanged"
    rows: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    tags: list[tuple[str, bool]] = field(default_factory=list)  # (name, is new tag)
    assignees: list[str] = field(default_factory=list)
    assignee_note: str = ""
    contacts: list[ContactExample] = field(default_factory=list)


@dataclass
class NewField:
    """A custom field the import would create, as the review lists it for a last look."""

    name: str
    side: str  # "account" / "contact"
    field_type: str
    columns: list[str]
    samples: list[str]  # a few values of its columns from the first rows


@dataclass
class Examples:
    accounts: list[AccountExample] = field(default_factory=list)
    contacts: list[tuple[list[int], list[ContactExample]]] = field(default_factory=list)  # contacts-only kind
    rows_read: int = 0
    skipped_rows: int = 0
    new_custom_fields: list[NewField] = field(default_factory=list)


def review_examples(job: ImportJob, *, limit: int = MAX_EXAMPLES) -> Examples:
    """Up to `limit` accounts (or contacts, for a contacts-only import) from the first rows,
    as the import will create or update them. Reads only."""
    prepared = prepare(job, dry_run=True)
    mapping = prepared.mapping
    with prepared.table as table:
        source = list(islice(table.rows(), EXAMPLE_ROWS))
    rows = [extract_row(row, prepared.extraction) for row in source]
    existing = load_existing(job.firm, rows)
    planner = Planner(prepared.planning)
    names = _Names(job, prepared)
    examples = Examples(rows_read=len(rows), new_custom_fields=_new_fields(prepared, source))
    by_key: dict[str, AccountExample] = {}
    for row in rows:
        plan = planner.plan_batch([row], existing)
        if plan.skipped:
            examples.skipped_rows += 1
            continue
        contacts = _contacts(row, plan.contacts, mapping, names)
        if row.account is None:
            if len(examples.contacts) < limit:
                examples.contacts.append(([row.number], contacts))
            continue
        work = plan.accounts[plan.row_accounts[row.number]]
        # Within the examples, as in the run, one account is one reference (names may repeat).
        key = work.ref if work.snapshot is None else f"a{work.snapshot.id}"
        account = by_key.get(key)
        if account is None:
            if len(by_key) >= limit:
                continue
            account = by_key[key] = _account(row.account, work, mapping, names)
            examples.accounts.append(account)
        account.rows.append(row.number)
        known = {c.name.casefold() for c in account.contacts}
        account.contacts += [c for c in contacts if c.name.casefold() not in known or not c.name]
    return examples


def _new_fields(prepared, source: list) -> list[NewField]:
    """The custom fields the mapping creates, each with the columns that feed it and up to
    MAX_SAMPLES of their values from the first rows."""
    headers = list(prepared.table.info.headers)
    fields = []
    for spec in prepared.new_custom_fields:
        columns = [c.column for c in prepared.mapping.mapped() if c.attribute == "custom"
                   and ("account" if c.record == "account" else "contact") == spec.applies_to
                   and normalize_name_key(c.field, 100) == spec.key and c.column in headers]
        samples: list[str] = []
        for row in source:
            for column in columns:
                value = " ".join(str(row.cells[headers.index(column)] or "").split())
                if value and value not in samples and len(samples) < MAX_SAMPLES:
                    samples.append(value)
        fields.append(NewField(spec.name, spec.applies_to, spec.field_type, columns, samples))
    return fields


class _Names:
    """Display names of the firm data an example refers to by id or key."""

    def __init__(self, job: ImportJob, prepared):
        self.members = {
            m.pk: m.display_name for m in Membership.objects.filter(firm=job.firm).select_related("user")
        }
        self.importer = prepared.planning.importer_member_id
        self.catalogue = prepared.planning.catalogue
        self.custom = prepared.extraction.custom_fields  # (applies_to, key) -> spec
        self.roles = {normalize_name_key(c.field): " ".join(c.field.split())
                      for c in prepared.mapping.columns_for("account.role")}
        self.bulk_assignees = prepared.planning.bulk_assignee_ids

    def custom_lines(self, side: str, values: dict) -> list[Line]:
        lines = []
        for key, value in values.items():
            spec = self.custom.get((side, key))
            label = spec.name if spec else key
            if spec is not None and not spec.exists:
                label += " (new field)"
            lines.append(Line(label, _text(value)))
        return lines


def _text(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return "" if value is None else str(value)


# Shown when set (an active status is the default and goes unsaid).
_ACCOUNT_EXTRA_LINES = (("status", "Status"), ("street", "Street"), ("city", "City"), ("state", "State/Region"),
                        ("postal_code", "Postal code"), ("country", "Country"), ("tax_id", "EIN / tax ID"))
_STATUS_LABELS = {"active": "Active", "inactive": "Inactive"}


def _shown_value(name: str, value) -> str:
    if name == "type":
        return TYPE_LABELS.get(value, value)
    if name == "status":
        return _STATUS_LABELS.get(value, value)
    if name == "tax_id":  # like the contact's SSN/TIN: only the last four ever shown
        return "•••• " + value[-4:] if value else value
    return value


def _account(data: AccountData, work: AccountWork | None, mapping: Mapping, names: _Names) -> AccountExample:
    snapshot = work.snapshot if work is not None else None
    if snapshot is None:
        status = "new"
        values = work.values if work is not None else {}
        type_ = values.get("type") or data.type or "other"
        lines = [Line("Type", TYPE_LABELS.get(type_, type_))]
        if values.get("company_name") or data.company_name:
            lines.append(Line("Company name", values.get("company_name") or data.company_name))
        if data.client_id:
            lines.append(Line("Client ID", data.client_id))
        for name, label in _ACCOUNT_EXTRA_LINES:
            value = values.get(name) or getattr(data, name)
            if value and not (name == "status" and value == "active"):
                lines.append(Line(label, _shown_value(name, value)))
    else:
        status = "updated" if work.changed else "unchanged"
        lines = []
        for name, label in (("type", "Type"), ("company_name", "Company name"), ("client_id", "Client ID"),
                            *_ACCOUNT_EXTRA_LINES):
            current = getattr(snapshot, name)
            shown = _shown_value(name, current)
            if name in work.values:
                lines.append(Line(label, _shown_value(name, work.values[name]), before=shown or "—"))
            elif shown and not (name == "status" and current == "active"):
                lines.append(Line(label, shown))
    for role_key, member_id in data.roles.items():
        lines.append(Line(names.roles.get(role_key, role_key), names.members.get(member_id, "")))
    lines += names.custom_lines("account", data.custom)
    tag_names = []
    for name in [*data.tags, *mapping.settings.tags]:
        if name.casefold() not in {t.casefold() for t, _ in tag_names}:
            tag_names.append((name, normalize_name_key(name) not in names.catalogue.tags))
    assignee_ids = sorted(work.assignees) if work is not None else []
    if snapshot is None:
        assignee_ids = sorted(set(data.assignees) | set(names.bulk_assignees)) or assignee_ids
    note = ""
    if snapshot is None and not data.assignees and not names.bulk_assignees and names.importer in assignee_ids:
        note = "you, because neither the file nor the settings name anyone"
    elif snapshot is not None:
        # An existing account keeps its assignees; the import only adds.
        added = [names.members.get(pk, "") for pk in sorted(work.assignees)]
        assignee_ids = sorted(set(snapshot.assignee_ids) | set(work.assignees))
        note = f"added by this import: {', '.join(added)}" if added else ""
    return AccountExample(
        name=data.name, status=status, lines=lines, tags=tag_names,
        assignees=[names.members.get(pk, "") for pk in assignee_ids], assignee_note=note,
    )


def _contacts(row: CleanRow, works: list[ContactWork], mapping: Mapping, names: _Names) -> list[ContactExample]:
    # One work per person unless two people of the row are the same contact (same email).
    paired = works if len(works) == len(row.people) else [None] * len(row.people)
    examples = []
    for person, work in zip(row.people, paired):
        examples.append(_contact(person, work, mapping, names, linked=row.account is not None))
    return examples


def _contact(
    person: PersonData, work: ContactWork | None, mapping: Mapping, names: _Names, *, linked: bool
) -> ContactExample:
    if work is None or work.is_new:
        status = "new"
    elif work.virtual:
        status = "merged"
    else:
        status = "updated" if work.changed else "unchanged"
    parts = (person.prefix, person.first_name, person.middle_name, person.last_name, person.suffix)
    full = " ".join(p for p in parts if p)
    lines = []
    if person.email:
        lines.append(Line("Email", person.email))
    if person.additional_emails:
        lines.append(Line("Other emails", ", ".join(person.additional_emails)))
    if person.phones:
        lines.append(Line("Phone", ", ".join(person.phones)))
    if person.date_of_birth:
        lines.append(Line("Date of birth", person.date_of_birth.isoformat()))
    if person.tax_id:
        lines.append(Line("SSN/TIN", "•••• " + person.tax_id[-4:]))
    region = " ".join(x for x in (person.state, person.postal_code) if x)
    address = ", ".join(p for p in (person.street, person.city, region, person.country) if p)
    if address:
        lines.append(Line("Address", address))
    if person.notes:
        lines.append(Line("Notes", person.notes if len(person.notes) <= 120 else person.notes[:119] + "…"))
    lines += names.custom_lines("contact", person.custom)
    switches = []
    if linked:
        chosen = mapping.settings.portal.get(person.email_column) if person.email else None
        switches = [("Login", bool(chosen and chosen.login)), ("Notify", bool(chosen and chosen.notify)),
                    ("Email sync", bool(chosen and chosen.email_sync))]
    return ContactExample(name=full, status=status, lines=lines, tags=list(person.tags), switches=switches,
                          slot=person.slot)
