"""Stage 5: the only stage that writes. One short transaction per batch: multi-row inserts and
updates, the change log for undo, the batch's skipped rows and warnings, and the checkpoint
(with what a resumed run needs, `imports.checkpoints`) that lets an interrupted import resume
after exactly this batch. It also creates the firm definitions the mapping asks for (custom
fields, roles; dropdown options as the file brings them) and keeps the job's heartbeat.

The writer changes neither the plan nor the catalogue it is given: what it creates comes back
as ids (`DefinitionsWritten`, `BatchWritten`), and the pipeline passes them on.

Records the import creates carry `created_by_import`; their own links and tags go
with them on undo, so the change log only holds what touched records that existed before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from crm.models import Account, AccountContact, AccountRole, AccountRoleAssignment, Contact, CustomField, Firm, Tag
from crm.normalize import contact_name_key, normalize_email_key, normalize_name_key
from imports import bulk
from imports.checkpoints import batch_record
from imports.extraction import CustomFieldSpec
from imports.models import ImportChange, ImportCheckpoint, ImportIssue, ImportJob
from imports.planning import BatchPlan, Catalogue, Counters
from imports.sensitive import mask_cells, tax_id_columns

MAX_ISSUE_VALUE = 500

ACCOUNT_ADDRESS = ("street", "city", "state", "postal_code", "country")
ACCOUNT_COLUMNS = ("firm", "name", "name_key", "type", "company_name", "client_id", "custom_values", "folders",
                   "created_by_import", "created_at", "updated_at", "status", *ACCOUNT_ADDRESS, "tax_id")
CONTACT_COLUMNS = ("firm", "prefix", "first_name", "middle_name", "last_name", "suffix", "email", "email_key",
                   "name_key", "additional_emails", "phones", "street", "city", "state", "postal_code", "country",
                   "date_of_birth", "tax_id", "notes", "custom_values", "created_by_import", "created_at",
                   "updated_at")
LINK_COLUMNS = ("account", "contact", "login", "notify", "email_sync", "invitation", "queued_by_import", "created_at")
ISSUE_COLUMNS = ("job", "row_number", "severity", "code", "column", "value", "message", "cells")
CHANGE_COLUMNS = ("job", "model", "object_id", "action", "field", "old_value", "new_value")


@dataclass
class WriteContext:
    firm: Firm
    job: ImportJob
    catalogue: Catalogue
    folder_paths: list[str] = field(default_factory=list)  # applied to new accounts
    # Links with Login on are queued for a portal invitation, sent by the worker once the
    # import has finished (crm.invitations.invitations_after_import), never from here.
    send_invitations: bool = False
    # (applies_to, key) of dropdown fields this import creates: their choices grow with the file.
    open_dropdowns: list[tuple[str, str]] = field(default_factory=list)
    json: Callable = field(default_factory=bulk.json_adapter)  # value -> what a JSON column takes
    # The worker's claim on the job (ImportJob.run_token); None: not run by a worker (tests).
    run_token: int | None = None


class ClaimLost(Exception):
    """The job was re-queued and claimed by another worker: this one must write no more."""


class _Changes(list):
    """The batch's change-log rows, as tuples ready to insert."""

    def __init__(self, job_id: int, json: Callable):
        super().__init__()
        self.job_id = job_id
        self.json = json

    def add(self, model: str, object_id: int, action: str, field_name: str = "", old=None, new=None) -> None:
        self.append((self.job_id, model, object_id, action, field_name, self.json(_json(old)), self.json(_json(new))))


@dataclass(frozen=True)
class DefinitionsWritten:
    """The firm definitions a run's mapping asks for, as they now exist: ids by key (created
    now or found), and how many custom fields this call created."""

    custom_fields: dict[tuple[str, str], int] = field(default_factory=dict)  # (applies_to, key) -> id
    roles: dict[str, int] = field(default_factory=dict)  # role key -> id
    custom_fields_created: int = 0


@dataclass(frozen=True)
class BatchWritten:
    """What one batch's write created: tag ids by key, and account ids by plan reference."""

    tags: dict[str, int] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)


def write_firm_definitions(ctx: WriteContext, custom_fields: list[CustomFieldSpec],
                           roles: list[str]) -> DefinitionsWritten:
    """Creates the custom fields and roles the mapping asks for (idempotent: a resumed run
    finds those its first part made), logging the ones it creates for undo."""
    firm, job = ctx.firm, ctx.job
    field_ids, role_ids, created = {}, {}, 0
    with transaction.atomic():
        for spec in custom_fields:
            field_obj, was_created = CustomField.objects.get_or_create(
                firm=firm, applies_to=spec.applies_to, key=spec.key,
                defaults={"name": spec.name, "field_type": spec.field_type},
            )
            field_ids[(spec.applies_to, spec.key)] = field_obj.pk
            if was_created:
                created += 1
                ImportChange.objects.create(job=job, model="custom_field", object_id=field_obj.pk, action="create")
        for name in roles:
            role, was_created = AccountRole.objects.get_or_create(
                firm=firm, key=normalize_name_key(name, 100), defaults={"name": name}
            )
            role_ids[role.key] = role.pk
            if was_created:
                ImportChange.objects.create(job=job, model="account_role", object_id=role.pk, action="create")
    return DefinitionsWritten(custom_fields=field_ids, roles=role_ids, custom_fields_created=created)


def write_heartbeat(job: ImportJob, run_token: int) -> None:
    """The running job is alive (while its claim is current), between batches' checkpoints."""
    ImportJob.objects.filter(pk=job.pk, run_token=run_token).update(heartbeat_at=timezone.now())


def write_batch(plan: BatchPlan, ctx: WriteContext, *, rows_done: int, totals: Counters) -> BatchWritten:
    """Writes one planned batch and moves the job's checkpoint to `rows_done`, atomically,
    with what a resumed run needs to know of the batch (`imports.checkpoints`)."""
    with transaction.atomic():
        changes = _Changes(ctx.job.pk, ctx.json)
        new_tags = _create_tags(plan, ctx, changes)
        catalogue = ctx.catalogue.extended(tags=new_tags)
        account_ids, new_accounts = _write_accounts(plan, ctx, catalogue, changes)
        _write_contacts(plan, ctx, catalogue, account_ids, set(new_accounts.values()), changes)
        _write_issues(plan, ctx)
        _extend_dropdowns(plan, ctx)
        bulk.insert(ImportChange, CHANGE_COLUMNS, changes)
        ImportCheckpoint.objects.create(job_id=ctx.job.pk, rows_done=rows_done, counts=totals.as_dict(),
                                        state=batch_record(plan, account_ids))
        claim = {} if ctx.run_token is None else {"run_token": ctx.run_token}
        if not ImportJob.objects.filter(pk=ctx.job.pk, **claim).update(
            rows_done=rows_done, counts=totals.as_dict(), checkpoint={"rows_done": rows_done},
            heartbeat_at=timezone.now(),
        ):
            raise ClaimLost(f"Import #{ctx.job.pk} was taken over by another worker.")
    return BatchWritten(tags=new_tags, accounts=new_accounts)


def _create_tags(plan: BatchPlan, ctx: WriteContext, changes: _Changes) -> dict[str, int]:
    """Creates the batch's new tags; returns the ids of those the catalogue did not know."""
    if not plan.new_tags:
        return {}
    Tag.objects.bulk_create(
        [Tag(firm=ctx.firm, name=name, key=key) for key, name in plan.new_tags.items()], ignore_conflicts=True
    )
    made = {}
    for key, pk in Tag.objects.filter(firm=ctx.firm, key__in=list(plan.new_tags)).values_list("key", "id"):
        if key not in ctx.catalogue.tags:
            made[key] = pk
            changes.add("tag", pk, ImportChange.Action.CREATE)
    return made


def _custom_values(stored: dict, values: dict, applies_to: str, catalogue: Catalogue) -> dict:
    merged = dict(stored)
    for key, value in values.items():
        merged[str(catalogue.custom_fields[(applies_to, key)])] = value
    return merged


def _pre_existing(work, job: ImportJob) -> bool:
    """True for a record that existed before this import: its changes go to the change log."""
    return work.snapshot is not None and work.snapshot.created_by_import_id != job.pk


def _write_accounts(plan: BatchPlan, ctx: WriteContext, catalogue: Catalogue,
                    changes: _Changes) -> tuple[dict[str, int], dict[str, int]]:
    """Creates and updates the batch's accounts; returns every planned account's id by its
    plan reference, and the ids of those it created."""
    job = ctx.job
    now = bulk.datetime_value(timezone.now())
    folders = ctx.json(ctx.folder_paths)  # new accounts get the chosen template's folders
    new_works = [w for w in plan.accounts.values() if w.is_new]
    new_ids = bulk.insert_returning_ids(Account, ACCOUNT_COLUMNS, [
        (ctx.firm.pk, w.values["name"], w.key, w.values["type"], w.values["company_name"], w.values["client_id"],
         ctx.json(_custom_values({}, w.custom, "account", catalogue)), folders, job.pk, now, now,
         w.values["status"] or Account.Status.ACTIVE, *(w.values[name] for name in ACCOUNT_ADDRESS), w.values["tax_id"])
        for w in new_works
    ])
    ids = {work.ref: pk for work, pk in zip(new_works, new_ids)}
    created = dict(ids)

    updated = []
    for work in plan.accounts.values():
        if work.virtual:
            raise AssertionError("a dry-run plan reached the writer")
        if work.snapshot is None:
            continue
        snapshot = work.snapshot
        ids[work.ref] = snapshot.id
        if not (work.values or work.custom):
            continue
        record = _pre_existing(work, job)
        account = Account(id=snapshot.id, name=snapshot.name, name_key=work.key, type=snapshot.type,
                          company_name=snapshot.company_name, client_id=snapshot.client_id,
                          status=snapshot.status, **{name: getattr(snapshot, name) for name in ACCOUNT_ADDRESS},
                          tax_id=snapshot.tax_id, updated_at=timezone.now())
        for name, value in work.values.items():
            setattr(account, name, value)
            if record:
                changes.add("account", snapshot.id, "update", name, work.previous.get(name), value)
        account.custom_values = _custom_values(snapshot.custom_values, work.custom, "account", catalogue)
        if record:
            for key, value in work.custom.items():
                field_id = catalogue.custom_fields[("account", key)]
                changes.add("account", snapshot.id, "update", f"custom:{field_id}", work.previous_custom.get(key), value)
        updated.append(account)
    if updated:
        Account.objects.bulk_update(updated, ["type", "company_name", "client_id", "custom_values", "updated_at",
                                              "status", *ACCOUNT_ADDRESS, "tax_id"])

    tag_links, assignee_links, new_roles = [], [], []
    for work in plan.accounts.values():
        account_id = ids[work.ref]
        record = _pre_existing(work, job)
        for tag_key in work.tags:
            tag_id = catalogue.tags[tag_key]
            tag_links.append((account_id, tag_id))
            if record:
                changes.add("account_tag", account_id, "add", str(tag_id))
        for member_id in work.assignees:
            assignee_links.append((account_id, member_id))
            if record:
                changes.add("account_assignee", account_id, "add", str(member_id))
        for role_key, member_id in work.roles.items():
            role_id = catalogue.roles[role_key]
            held = work.snapshot.roles.get(role_id) if work.snapshot else None
            if held is None:
                new_roles.append((account_id, role_id, member_id))
                if record:
                    changes.add("account_role", account_id, "add", str(role_id), None, member_id)
            else:
                AccountRoleAssignment.objects.filter(account_id=account_id, role_id=role_id).update(member_id=member_id)
                if record:
                    changes.add("account_role", account_id, "update", str(role_id), held, member_id)
    new_account_ids = set(created.values())

    def of_new_account(row) -> bool:
        return row[0] in new_account_ids

    bulk.insert_pairs(Account.tags.through, ("account", "tag"), tag_links, created=of_new_account)
    bulk.insert_pairs(Account.assignees.through, ("account", "membership"), assignee_links, created=of_new_account)
    bulk.insert_pairs(AccountRoleAssignment, ("account", "role", "member"), new_roles, created=of_new_account)
    return ids, created


def _contact_row(ctx: WriteContext, catalogue: Catalogue, work, now, date_value: Callable) -> tuple:
    values = work.values
    return (
        ctx.firm.pk, values["prefix"], values["first_name"], values["middle_name"], values["last_name"],
        values["suffix"], values["email"], normalize_email_key(values["email"]) or None,
        work.name_key, ctx.json(work.additional_emails),
        ctx.json(work.phones), values["street"], values["city"], values["state"], values["postal_code"],
        values["country"], date_value(values["date_of_birth"]), values["tax_id"], values["notes"],
        ctx.json(_custom_values({}, work.custom, "contact", catalogue)), ctx.job.pk, now, now,
    )


def _write_contacts(plan: BatchPlan, ctx: WriteContext, catalogue: Catalogue, account_ids: dict[str, int],
                    new_account_ids: set[int], changes: _Changes) -> None:
    job = ctx.job
    now = bulk.datetime_value(timezone.now())
    new_works = [w for w in plan.contacts if w.is_new]
    date_value = bulk.date_adapter()
    new_ids = bulk.insert_returning_ids(
        Contact, CONTACT_COLUMNS, [_contact_row(ctx, catalogue, w, now, date_value) for w in new_works]
    )
    created = dict(zip(new_works, new_ids))  # by the plan's work (compared by identity)

    updated, fields_changed = [], {"updated_at"}
    for work in plan.contacts:
        if work.virtual:
            raise AssertionError("a dry-run plan reached the writer")
        if work.snapshot is None or not (work.values or work.custom or work.additional_emails or work.phones):
            continue
        snapshot = work.snapshot
        record = _pre_existing(work, job)
        contact = Contact(id=snapshot.id, updated_at=timezone.now(), **snapshot.values)
        for name, value in work.values.items():
            setattr(contact, name, value)
            fields_changed.add(name)
            if record:
                changes.add("contact", snapshot.id, "update", name, work.previous.get(name), value)
        contact.email_key = normalize_email_key(contact.email) or None
        contact.name_key = contact_name_key(contact.first_name, contact.last_name)
        fields_changed.update({"email_key", "name_key"})
        for name, added in (("additional_emails", work.additional_emails), ("phones", work.phones)):
            before = getattr(snapshot, name)
            setattr(contact, name, before + added)
            if added:
                fields_changed.add(name)
                if record:
                    changes.add("contact", snapshot.id, "update", name, before, before + added)
        contact.custom_values = _custom_values(snapshot.custom_values, work.custom, "contact", catalogue)
        if work.custom:
            fields_changed.add("custom_values")
            if record:
                for key, value in work.custom.items():
                    field_id = catalogue.custom_fields[("contact", key)]
                    changes.add("contact", snapshot.id, "update", f"custom:{field_id}",
                                work.previous_custom.get(key), value)
        updated.append(contact)
    if updated:
        # Every object carries every field (unchanged ones from the snapshot), so one
        # bulk_update over the union of changed fields is safe.
        Contact.objects.bulk_update(updated, sorted(fields_changed))

    tag_links, new_links = [], []
    for work in plan.contacts:
        contact_id = created[work] if work.is_new else work.snapshot.id
        record = _pre_existing(work, job)
        for tag_key in work.tags:
            tag_id = catalogue.tags[tag_key]
            tag_links.append((contact_id, tag_id))
            if record:
                changes.add("contact_tag", contact_id, "add", str(tag_id))
        for account_ref, link in work.links.items():
            account_id = account_ids[account_ref]
            if link.previous is None:
                invite = link.login and ctx.send_invitations
                new_links.append((link.order, (account_id, contact_id, link.login, link.notify, link.email_sync,
                                               "queued" if invite else "not_invited", job.pk if invite else None,
                                               now)))
                account = plan.accounts[account_ref]
                if record and _pre_existing(account, job):
                    # Links of records this import created go with them on undo.
                    changes.add("account_contact", contact_id, "add", str(account_id))
            else:
                existing_link = AccountContact.objects.filter(account_id=account_id, contact_id=contact_id)
                existing_link.update(login=link.login, notify=link.notify, email_sync=link.email_sync)
                if link.login and ctx.send_invitations:
                    existing_link.filter(invitation=AccountContact.Invitation.NOT_INVITED).update(
                        invitation=AccountContact.Invitation.QUEUED, queued_by_import=job
                    )
                changes.add("account_contact", contact_id, "update", str(account_id), list(link.previous),
                            list(link.switches))
    new_contact_ids = set(created.values())
    bulk.insert_pairs(Contact.tags.through, ("contact", "tag"), tag_links,
                      created=lambda row: row[0] in new_contact_ids)
    new_links.sort(key=lambda pair: pair[0])  # in row order (see LinkPlan.order)
    # Told apart by the account alone, so all links of one account keep their row order
    # (an account's first link is the person it was made for).
    bulk.insert_pairs(AccountContact, LINK_COLUMNS, [link for _, link in new_links],
                      created=lambda row: row[0] in new_account_ids)


def _extend_dropdowns(plan: BatchPlan, ctx: WriteContext) -> None:
    for applies_to, key in ctx.open_dropdowns:
        works = plan.accounts.values() if applies_to == "account" else plan.contacts
        values = [w.custom[key] for w in works if key in w.custom]
        if not values:
            continue
        field_obj = CustomField.objects.select_for_update().get(pk=ctx.catalogue.custom_fields[(applies_to, key)])
        known = {option.casefold() for option in field_obj.options}
        added = []
        for value in values:
            if value.casefold() not in known:
                known.add(value.casefold())
                added.append(value)
        if added:
            field_obj.options = [*field_obj.options, *added]
            field_obj.save(update_fields=["options"])


def _write_issues(plan: BatchPlan, ctx: WriteContext) -> None:
    job = ctx.job
    # A skipped row is kept for the skipped-rows file, with its SSN/TIN cells masked.
    tax_ids = tax_id_columns(job.mapping, job.read_info.get("headers", []))
    rows = [
        (job.pk, row.number, ImportIssue.Severity.SKIP, problem.code, problem.column[:255],
         problem.value[:MAX_ISSUE_VALUE], problem.message, ctx.json(mask_cells(row.cells, tax_ids)))
        for row, problem in plan.skipped
    ]
    rows += [
        (job.pk, number, ImportIssue.Severity.WARNING, problem.code, problem.column[:255],
         problem.value[:MAX_ISSUE_VALUE],
         problem.message, None)
        for number, problem in plan.warnings
    ]
    bulk.insert(ImportIssue, ISSUE_COLUMNS, rows)


def _json(value):
    """Dates go into the change log as ISO text."""
    return value.isoformat() if hasattr(value, "isoformat") else value
