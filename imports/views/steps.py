"""Steps 2-4: accounts (name, type, field table), settings, contacts (field table).

Each step reads the job's mapping, lets its form change its part, and stores the result with
`jobs.job_set_mapping`, whose sentences come back as form errors. Nothing else is written.
"""

from __future__ import annotations

from django.shortcuts import redirect, render

from crm.permissions import import_permission_required
from imports import jobs
from imports.forms import AccountsForm, Column, ContactsForm, EmailColumn, SettingsForm, TargetCatalogue
from imports.mapping import ColumnMapping, Mapping
from imports.matching import target_label
from imports.members import MEMBER_TARGETS
from imports.models import ImportJob
from imports.reading import UnreadableFile
from imports.profiling import stored_profiles
from imports.review import FilePreview, file_preview, stored_samples
from imports.views.common import (
    ACCOUNTS,
    ALL_STEPS,
    CONTACTS,
    SETTINGS,
    access_job,
    go_on,
    is_editable,
    job_mapping,
    started_redirect,
    step_context,
    step_url,
    steps_of,
)


def _preview(job: ImportJob) -> FilePreview:
    """Each column's samples: stored at upload (the file is not opened), or, for a job
    detected before that, read from the file's first rows."""
    headers = list(job.read_info.get("headers", []))
    samples = stored_samples(job)
    if samples is not None:
        return FilePreview(headers=headers, rows=[], samples=samples)
    try:
        return file_preview(job)
    except UnreadableFile:
        return FilePreview(headers=headers, rows=[], samples=[[] for _ in headers])


def _step_number(job: ImportJob, key: str) -> int:
    return [s.key for s in steps_of(job.kind)].index(key) + 1


def _table(job: ImportJob, mapping: Mapping, preview: FilePreview, step: str, catalogue: TargetCatalogue) -> list[Column]:
    headers = list(job.read_info.get("headers", []))
    profiles = stored_profiles(job.read_info) or [None] * len(headers)
    columns = []
    for index, header in enumerate(headers):
        col = mapping.column(header) or ColumnMapping(column=header)
        samples = preview.samples[index] if index < len(preview.samples) else []
        locked = elsewhere = ""
        if step == ACCOUNTS.key:
            if col.target == "account.name":
                locked = "Account name (chosen above)"
            elif col.target == "account.type":
                locked = "Account type (chosen above)"
            elif col.record.startswith("contact"):
                elsewhere = f"contact field, also in step {_step_number(job, CONTACTS.key)}"
        elif col.record == "account":
            locked = f"{catalogue.describe(col)}: an account field, set in step {_step_number(job, ACCOUNTS.key)}"
        columns.append(Column(index=index, header=header, samples=samples, mapping=col,
                              locked_reason=locked, elsewhere=elsewhere, profile=profiles[index],
                              firm_date_order=job.firm.date_order))
    return columns


def _all_options(request) -> bool:
    """Every field written into every row's list: the field tables' way without JavaScript."""
    return request.GET.get("options") == "all"


def _save(request, form, job: ImportJob, mapping: Mapping) -> bool:
    """Stores the form's part of the mapping; the services' objections become form errors."""
    errors = jobs.job_set_mapping(job, form.apply(mapping), actor=request.membership)
    for error in errors:
        form.add_error(None, error)
    return not errors


@import_permission_required
def accounts(request, pk):
    job = access_job(request, pk)
    if not is_editable(job):
        return started_redirect(request, job)
    if job.kind == ImportJob.Kind.CONTACTS:
        return _skip(job, ACCOUNTS.key)
    mapping = job_mapping(job)
    preview = _preview(job)
    catalogue = TargetCatalogue(firm=job.firm, kind=job.kind, mapping=mapping)
    table = _table(job, mapping, preview, ACCOUNTS.key, catalogue)
    headers = list(job.read_info.get("headers", []))
    data = request.POST or None
    switch = request.POST.get("switch_account_source") if request.method == "POST" else None
    if switch is not None:  # "One account per person instead" and back: the name column, changed
        data = request.POST.copy()
        data["account_name"] = switch
    form = AccountsForm(data, columns=table, catalogue=catalogue, headers=headers, mapping=mapping, kind=job.kind)
    if request.method == "POST" and form.is_valid() and _save(request, form, job, mapping):
        if switch is not None:
            return redirect(step_url(job, ACCOUNTS))
        return go_on(request, job, ACCOUNTS.key)
    source = form.account_source(job_mapping(job)) if job.kind == ImportJob.Kind.ACCOUNTS_AND_CONTACTS else None
    return render(request, "imports/accounts.html", {**step_context(job, ACCOUNTS.key), "form": form,
                                                     "source": source, "all_options": _all_options(request),
        "contacts_step": _step_number(job, CONTACTS.key) if CONTACTS in steps_of(job.kind) else None})


@import_permission_required
def contacts(request, pk):
    job = access_job(request, pk)
    if not is_editable(job):
        return started_redirect(request, job)
    if job.kind == ImportJob.Kind.ACCOUNTS:
        return _skip(job, CONTACTS.key)
    mapping = job_mapping(job)
    preview = _preview(job)
    catalogue = TargetCatalogue(firm=job.firm, kind=job.kind, mapping=mapping)
    table = _table(job, mapping, preview, CONTACTS.key, catalogue)
    form = ContactsForm(request.POST or None, columns=table, catalogue=catalogue,
                        headers=list(job.read_info.get("headers", [])))
    if request.method == "POST" and form.is_valid() and _save(request, form, job, mapping):
        return go_on(request, job, CONTACTS.key)
    context = {
        **step_context(job, CONTACTS.key),
        "form": form,
        "settings_step": _step_number(job, SETTINGS.key),
        "accounts_url": step_url(job, ACCOUNTS) if ACCOUNTS in steps_of(job.kind) else "",
        "all_options": _all_options(request),
    }
    return render(request, "imports/contacts.html", context)


def email_columns(job: ImportJob, mapping: Mapping, preview: FilePreview) -> list[EmailColumn]:
    """The columns feeding a contact's primary email, each with an example from the file."""
    headers = list(job.read_info.get("headers", []))
    found = []
    for col in mapping.columns:
        if col.attribute == "email" and col.record.startswith("contact") and col.column in headers:
            index = headers.index(col.column)
            samples = preview.samples[index] if index < len(preview.samples) else []
            found.append(EmailColumn(index=index, header=col.column, label=target_label(col.target),
                                     example=samples[0] if samples else ""))
    return found


@import_permission_required
def settings_step(request, pk):
    job = access_job(request, pk)
    if not is_editable(job):
        return started_redirect(request, job)
    mapping = job_mapping(job)
    emails = email_columns(job, mapping, _preview(job)) if job.kind == ImportJob.Kind.ACCOUNTS_AND_CONTACTS else []
    unmatched = jobs.job_unmatched_member_names(job, mapping) if job.kind != ImportJob.Kind.CONTACTS else None
    form = SettingsForm(request.POST or None, job=job, mapping=mapping, email_columns=emails, unmatched=unmatched)
    if request.method == "POST" and form.is_valid() and _save(request, form, job, mapping):
        return go_on(request, job, SETTINGS.key)
    membership = request.membership
    context = {
        **step_context(job, SETTINGS.key),
        "form": form,
        "importer_name": job.created_by.get_full_name() if job.created_by_id != membership.user_id else "you",
        "contacts_step": _step_number(job, CONTACTS.key) if job.kind == ImportJob.Kind.ACCOUNTS_AND_CONTACTS else None,
        "member_columns": [col.column for col in mapping.columns if col.target in MEMBER_TARGETS],
    }
    return render(request, "imports/settings.html", context)


def _skip(job: ImportJob, key: str):
    """A step this kind of import does not have (an old link): on to the step in its place."""
    steps = steps_of(job.kind)
    following = next(s for s in steps if ALL_STEPS.index(s) > ALL_STEPS.index(next(a for a in ALL_STEPS if a.key == key)))
    return redirect(step_url(job, following))
