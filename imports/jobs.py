"""The import job's lifecycle: create (upload), map, dry run, start, run, cancel, resume.

Every door (wizard, CLI, worker) calls these functions; none of them holds import logic. Each
state change a person asks for takes its `actor` (the acting Membership, see
`crm.permissions.actor_for`), checks the rights itself (`crm.permissions.require`) and records
who did it; the worker's own steps (`job_run`, `job_check_run`, `job_detect_run`) act for the
job and take none, and the maintenance ones take `permissions.SYSTEM`.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from crm.invitations import invitations_after_import
from crm.models import AccountRole, CustomField, Firm, Membership
from crm.normalize import normalize_name_key
from crm.permissions import IMPORT, MAINTENANCE, require
from imports import saved_mappings
from imports.cleaning import mask_tax_id
from imports.mapping import IGNORE, ColumnMapping, Mapping
from imports.matching import FieldSpec, suggest_mapping
from imports.members import (
    MEMBER_TARGETS, UnmatchedNames, active_member_rows, directory_signature, member_directory, unmatched_names,
)
from imports.models import ROWS_IN_FILE, ImportIssue, ImportJob, ImportUndo
from imports.pipeline import (
    PipelineResult, UnknownFolderTemplate, check_folder_template, detection_choices, job_file, open_job_table,
    read_options, run_pipeline,
)
from imports.profiling import FileProfile, profile_columns
from imports.reading import UnreadableFile, sniff_upload
from imports.sensitive import tax_id_columns
from imports.undo import undo_requeue_interrupted
from imports.writing import ClaimLost
from webhooks import events as webhook_events

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 5


class ImportRefused(Exception):
    """The file cannot be imported at all; str() is one sentence for the user."""


def _require_on_job(actor: Membership, job: ImportJob) -> Membership:
    """The actor may import, in the job's firm."""
    return require(actor, IMPORT, firm=job.firm_id)


def _limit_text(limit: int) -> str:
    """200 MB, 512 KB: the limit as a person reads it."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MB"
    return f"{max(1, round(limit / 1024))} KB"


def job_create(*, actor: Membership, file, original_name: str, kind: str = "accounts-and-contacts",
               mapping: Mapping | None = None, detect_in_background: bool = False,
               use_saved: bool = True) -> ImportJob:
    """Stores the upload through Django's storage, detects how to read it and suggests a
    mapping. Refuses (ImportRefused) files over the size limit and files that are no table,
    deleting what was stored.

    `detect_in_background` (the web upload, the API): only a bounded prefix is checked here, and
    a file too large to detect and profile quickly (`_detects_inline`) is detected by the worker
    (`job_detect_run`; the job is "validating" meanwhile).
    The job is the actor's firm's, created by the actor's user. Without a mapping, the firm's
    saved mapping for the file's columns is preselected unless `use_saved` is off."""
    require(actor, IMPORT)
    firm, user = actor.firm, actor.user
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ImportRefused(f"This file is larger than the {_limit_text(limit)} limit.")
    if kind not in ImportJob.Kind.values:
        raise ImportRefused(f"Unknown import kind {kind!r}.")
    display_name = PurePath(original_name.replace("\\", "/")).name[:255] or "upload"
    job = ImportJob(firm=firm, created_by=user, kind=kind, original_name=display_name, file_size=size or 0)
    job.file.save(display_name, file if isinstance(file, File) else File(file), save=False)
    job.file_size = job.file.size
    job.save()
    try:
        file_format = _sniff(job, mapping)
        if detect_in_background and not _detects_inline(file_format, job.file_size):
            job.status = ImportJob.Status.VALIDATING
            job.save(update_fields=["status"])
            from imports.tasks import detect_import_job

            detect_import_job.enqueue(job.pk)
            return job
        job_detect(job, mapping=mapping, use_saved=use_saved)
    except BaseException:
        # A refused or failed upload leaves nothing behind: no draft whose pages cannot show
        # a file, no stored copy of it.
        _discard(job)
        raise
    return job


def job_discard(job: ImportJob, *, actor: Membership) -> None:
    """Deletes a job that never ran, and its stored file: a refused upload, or the CLI's dry
    run, which a firm's import history must not list."""
    _require_on_job(actor, job)
    _discard(job)


def _discard(job: ImportJob) -> None:
    if job.status not in (ImportJob.Status.DRAFT, ImportJob.Status.READY):
        raise ValueError(f"Import #{job.pk} has started; it is history, not a draft to discard.")
    job.file.delete(save=False)
    job.delete()


# A workbook is parsed whole to be read (python-calamine): one larger than this is detected by
# the worker, not in the upload request (a 6 MB XLSX of 200,000 rows took 0.8 s and 150 MB).
INLINE_DETECT_BYTES_SPREADSHEET = 1024 * 1024
# A text file streams, but its column profile reads up to PROFILE_MAX_ROWS rows (about 7 MB of a
# typical client list, 2-3 s of the upload's answer on a busy machine): a text file larger than
# this is profiled by the worker too, so the upload answers as soon as the file is stored.
INLINE_DETECT_BYTES_TEXT = 1024 * 1024


def _detects_inline(file_format: str, size: int) -> bool:
    if file_format in ("csv", "iif"):
        limit = getattr(settings, "IMPORT_INLINE_DETECT_BYTES_TEXT", INLINE_DETECT_BYTES_TEXT)
    else:
        limit = getattr(settings, "IMPORT_INLINE_DETECT_BYTES_SPREADSHEET", INLINE_DETECT_BYTES_SPREADSHEET)
    return size <= limit


def _sniff(job: ImportJob, mapping: Mapping | None) -> str:
    """The bounded checks of an upload (size, format, ZIP directory, first line)."""
    options = read_options(mapping or Mapping(kind=job.kind))
    try:
        return sniff_upload(job_file(job), options)
    except UnreadableFile as exc:
        raise ImportRefused(str(exc)) from exc


def job_detect_run(job_id: int) -> ImportJob | None:
    """The worker's half of a background upload (see `job_create`): detects the file and
    suggests the mapping; the job becomes a draft. A file that cannot be read keeps its job only
    to carry the sentence saying why (`job_refusal`); its stored copy is deleted at once."""
    job = ImportJob.objects.select_related("firm", "created_by").filter(
        pk=job_id, status=ImportJob.Status.VALIDATING).first()
    if job is None:
        return None  # delivered twice, or the upload was deleted meanwhile
    try:
        job_detect(job)
        # The settings step's list of names matching no team member needs the whole file: read
        # here, for the mapping just suggested, so the step does not read it on its first visit.
        job_unmatched_member_names(job, Mapping.from_dict(job.mapping))
    except Exception as exc:
        if not isinstance(exc, ImportRefused):
            logger.exception("Reading the upload of import #%s failed", job.pk)
        sentence = str(exc) if isinstance(exc, ImportRefused) else (
            f"This file could not be read because of an unexpected error ({type(exc).__name__}).")
        _delete_stored_file(job)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=sentence, file="", finished_at=timezone.now(),
            file_deleted_at=timezone.now(),
        )
    else:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATING).update(status=ImportJob.Status.DRAFT)
    job.refresh_from_db()
    return job


def job_refusal(job: ImportJob) -> str:
    """For an upload the worker could not read: the sentence why, and the job is deleted (its
    file already is). "" for any other job."""
    if job.status != ImportJob.Status.FAILED or job.started_at is not None or not job.file_deleted_at:
        return ""
    sentence = job.error
    job.delete()
    return sentence


def _firm_fields(firm: Firm) -> list[FieldSpec]:
    return [
        FieldSpec(applies_to=f.applies_to, name=f.name, field_type=f.field_type, options=tuple(f.options))
        for f in CustomField.objects.filter(firm=firm).order_by("pk")  # oldest first: see FieldMeaning
    ]


def _new_custom_field_columns(mapping: Mapping, firm: Firm) -> list[list[ColumnMapping]]:
    """The custom fields this mapping would create, each as the columns that feed it."""
    existing = set(CustomField.objects.filter(firm=firm).values_list("applies_to", "key"))
    new: dict[tuple[str, str], list[ColumnMapping]] = {}
    for col in mapping.mapped():
        if col.attribute == "custom":
            key = ("account" if col.record == "account" else "contact", normalize_name_key(col.field, 100))
            if key not in existing:
                new.setdefault(key, []).append(col)
    return list(new.values())


def _custom_field_room(firm: Firm) -> int:
    """How many custom fields one import of this firm may still create."""
    firm_room = settings.IMPORT_MAX_FIRM_CUSTOM_FIELDS - CustomField.objects.filter(firm=firm).count()
    return max(0, min(settings.IMPORT_MAX_NEW_CUSTOM_FIELDS, firm_room))


def _custom_field_limit_error(mapping: Mapping, firm: Firm) -> str:
    wanted, room = len(_new_custom_field_columns(mapping, firm)), _custom_field_room(firm)
    if wanted <= room:
        return ""
    return (f"This mapping creates {wanted:,} new custom fields, but an import may create at most "
            f"{settings.IMPORT_MAX_NEW_CUSTOM_FIELDS:,} and a firm have {settings.IMPORT_MAX_FIRM_CUSTOM_FIELDS:,} "
            f"({room:,} possible here): set the other columns to “Ignore” or map them to existing fields.")


def _within_custom_field_limit(mapping: Mapping, firm: Firm) -> int:
    """Sets the suggested new custom fields beyond the limits to "ignore"; returns how many."""
    over = _new_custom_field_columns(mapping, firm)[_custom_field_room(firm):]
    for columns in over:
        for col in columns:
            col.target, col.field, col.field_type = IGNORE, "", ""
    return len(over)


def job_detect(job: ImportJob, *, mapping: Mapping | None = None, use_saved: bool = True) -> ImportJob:
    """(Re)reads the file with the mapping's reading choices; without a mapping, suggests one,
    and then the firm's saved mapping for these columns wins (`saved_mappings.preselect`) unless
    `use_saved` is off.

    One pass over the data rows (`profiling.profile_columns`) profiles every column; the
    profile and what was detected are stored in `read_info`, where every wizard page and the
    run find them instead of detecting the file again (`pipeline.open_job_table`)."""
    given = mapping is not None
    base = mapping or (Mapping.from_dict(job.mapping) if job.mapping else Mapping(kind=job.kind))
    preview: list[list[str]] = []

    def first_rows(rows):
        for row in rows:
            if len(preview) < PREVIEW_ROWS:
                preview.append(row.cells)
            yield row

    try:
        with open_job_table(job, base, detect=True) as table:
            info = table.info
            rows = table.rows()
            try:
                profile = profile_columns(first_rows(rows), len(info.headers))
            finally:
                rows.close()
    except UnreadableFile as exc:
        raise ImportRefused(str(exc)) from exc
    if mapping is None:
        suggested = suggest_mapping(
            info.headers, preview, kind=job.kind, custom_fields=_firm_fields(job.firm),
            roles=list(AccountRole.objects.filter(firm=job.firm).values_list("name", flat=True)),
            column_samples=[column.values for column in profile.columns],
        )
        # A fresh suggestion of columns keeps the reading choices and settings already made.
        suggested.read, suggested.settings = base.read, base.settings
        mapping = suggested
        _offer_empty_columns(mapping, profile)
        ignored_for_limit = _within_custom_field_limit(mapping, job.firm)
    else:
        ignored_for_limit = 0
    mapping.kind = job.kind
    _mask_tax_id_samples(profile, info.headers, mapping)
    job.mapping = mapping.to_dict()
    job.read_info = {
        "format": info.format, "encoding": info.encoding, "delimiter": info.delimiter,
        "header_row": info.header_row, "sheet": info.sheet, "sheets": info.sheets, "headers": info.headers,
        "preamble": info.preamble, "detected": info.detected, "custom_fields_not_suggested": ignored_for_limit,
        "read_choices": detection_choices(mapping), **profile.as_dict(),
        # Read again keeping its mapping: still the saved mapping it started from.
        "saved_mapping": job.read_info.get("saved_mapping") if given else None,
    }
    job.save(update_fields=["mapping", "read_info", "kind"])
    if not given and use_saved:
        saved_mappings.preselect(job)
    return job


def _offer_empty_columns(mapping: Mapping, profile) -> None:
    """A column no row of the file fills has nothing to import: the automatic mapping ignores it,
    keeping the field it would feed as the offer the field table shows ("N empty columns
    ignored"). A person who syncs it anyway is then stored, and shown, as syncing it. A file
    with no data rows at all keeps its suggestion (there is nothing to tell columns apart by)."""
    columns = profile.columns
    if not any(column.filled for column in columns):
        return
    for index, column in enumerate(mapping.columns):
        if index < len(columns) and not columns[index].filled and column.target != IGNORE:
            mapping.columns[index] = ColumnMapping(column=column.column, offer=column.target, field=column.field,
                                                   field_type=column.field_type)


def job_reread(job: ImportJob, mapping: Mapping, *, actor: Membership) -> bool:
    """Reads the file again with the reading choices of `mapping` (step 1's form), keeping its
    columns' mapping; if the file's columns came out different, they are mapped afresh.
    Returns whether they were. ImportRefused (the choices do not read) keeps the job as it was."""
    _require_on_job(actor, job)
    if job.status not in UNSTARTED_STATUSES:
        raise ImportRefused("This import has already started; its file can no longer be read again.")
    old_headers = list(job.read_info.get("headers", []))
    job_detect(job, mapping=mapping)
    if job.read_info.get("headers") == old_headers:
        return False
    job_detect(job)
    return True


def _mask_tax_id_samples(profile: FileProfile, headers: list[str], mapping: Mapping) -> None:
    """SSN/TIN samples are stored masked, like every copy of them the import keeps."""
    for index in tax_id_columns(mapping.to_dict(), headers):
        profile.columns[index].samples = [mask_tax_id(value) for value in profile.columns[index].samples]


def job_set_mapping(job: ImportJob, mapping: Mapping, *, actor: Membership) -> list[str]:
    """Validates and stores a mapping; returns the problems (none: stored)."""
    _require_on_job(actor, job)
    if job.status not in (ImportJob.Status.DRAFT, ImportJob.Status.READY):
        return ["This import has already started; its mapping can no longer change."]
    mapping.kind = job.kind
    errors = mapping.validate(job.read_info.get("headers", []))
    members = {e.casefold() for e in Membership.objects.filter(firm=job.firm, is_active=True)
               .values_list("user__email", flat=True)}
    errors += [f"{email} is not a team member of this firm." for email in mapping.settings.assignees
               if email.casefold() not in members]
    errors += _member_name_errors(mapping.settings.member_names, members)
    try:
        check_folder_template(job.firm, mapping.settings.folder_template)
    except UnknownFolderTemplate as exc:
        errors.append(str(exc))
    errors += [error for error in [_custom_field_limit_error(mapping, job.firm)] if error]
    if errors:
        return errors
    # Conditional: another tab may have started the import since this job was loaded.
    stored = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.DRAFT, ImportJob.Status.READY]
    ).update(mapping=mapping.to_dict())
    if not stored:
        return ["This import has already started; its mapping can no longer change."]
    job.mapping = mapping.to_dict()
    return []


def job_decide_duplicates(job: ImportJob, decisions: list[tuple[int, int, int, str]], *,
                          actor: Membership) -> list[str]:
    """Records the user's decisions on likely duplicates, (row, account id, earlier row,
    "same" / "different" / "" for undecided) each, in the job's mapping: they travel with it,
    the run applies them, and the review checks every row again. Returns the problems."""
    _require_on_job(actor, job)
    mapping = Mapping.from_dict(job.mapping)
    for row, account, other_row, decision in decisions:
        mapping.decide_duplicate(row, decision, account=account, other_row=other_row)
    return job_set_mapping(job, mapping, actor=actor)


def _member_name_errors(choices, members: set[str]) -> list[str]:
    """What is wrong with the firm's choices for names matching no member (`member_names`):
    each must name an active member of this firm by email, or be "" for nobody."""
    if not isinstance(choices, dict):
        return ["member_names must be an object of name -> team member email (or \"\" for nobody)."]
    errors = []
    for name, email in choices.items():
        if not isinstance(email, str):
            errors.append(f"The choice for {name!r} must be a team member's email, or \"\" for nobody.")
        elif email and email.strip().casefold() not in members:
            errors.append(f"The choice for {name!r}: {email} is not a team member of this firm.")
    return errors


def job_dry_run(job: ImportJob, *, progress=None, cleaning_processes: int | None = None,
                find_duplicates: bool = True) -> PipelineResult:
    """The real pipeline without writes: the review step's totals, and its likely duplicates
    (`imports.duplicates`; `find_duplicates=False` leaves them out, for the benchmark)."""
    result = run_pipeline(job, dry_run=True, progress=progress, cleaning_processes=cleaning_processes,
                          find_duplicates=find_duplicates)
    job.dry_run_counts = {
        **result.counters.as_dict(), "skipped": result.skipped.as_dict(), "warning_codes": result.warnings.as_dict(),
        "new_tag_names": result.new_tag_names,
    }
    if result.duplicates is not None:
        job.dry_run_counts["duplicates"] = result.duplicates.as_dict()
    job.rows_estimate = result.counters.rows_total
    job.save(update_fields=["dry_run_counts", "rows_estimate"])
    # Conditional: a dry run that ends after Start must not put a queued job back to "ready".
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.DRAFT).update(status=ImportJob.Status.READY):
        job.status = ImportJob.Status.READY
    return result


def job_start(job: ImportJob, *, actor: Membership, enqueue: bool = True) -> bool:
    """Queues the job once, recording the actor as the one who started it. A second click,
    another tab or a retry finds it already queued and gets False: the conditional UPDATE is
    the lock. A started import's mapping is remembered for the next file with its columns."""
    _require_on_job(actor, job)
    with transaction.atomic():
        started = ImportJob.objects.filter(
            pk=job.pk, status__in=[ImportJob.Status.DRAFT, ImportJob.Status.READY]
        ).update(status=ImportJob.Status.QUEUED, started_by=actor.user)
    if not started:
        return False
    job.status, job.started_by = ImportJob.Status.QUEUED, actor.user
    saved_mappings.remember(job, actor=actor)
    if enqueue:
        from imports.tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return True


def job_cancel(job: ImportJob, *, actor: Membership) -> bool:
    """Asks a queued or running import to stop after its current batch, recording who asked
    and when. False if it was not queued or running (ended already, or never started)."""
    _require_on_job(actor, job)
    now = timezone.now()
    with transaction.atomic():
        asked = ImportJob.objects.filter(
            pk=job.pk, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING], cancel_requested=False,
        ).update(cancel_requested=True, cancelled_by=actor.user, cancelled_at=now)
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.CANCELLED, finished_at=now
        )
    job.refresh_from_db()
    return bool(asked)


def job_run(job_id: int, *, progress=None) -> ImportJob:
    """Runs (or resumes) a queued job to the end. Called by the worker, and by the CLI."""
    job = ImportJob.objects.select_related("firm", "created_by").get(pk=job_id)
    # Claim the job: only a queued job runs, and only once. A second delivery of the task (two
    # workers, a re-queue while a worker still runs it) finds it claimed and leaves it alone.
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED, cancel_requested=False).update(
        status=ImportJob.Status.RUNNING, started_at=job.started_at or timezone.now(),
        run_token=F("run_token") + 1, heartbeat_at=timezone.now(),
    )
    if not claimed:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED, cancel_requested=True).update(
            status=ImportJob.Status.CANCELLED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    # Everything as of the claim: a worker that lost the job may have committed a batch (and
    # moved the checkpoint) between the read above and the claim.
    job.refresh_from_db()

    def should_stop() -> bool:
        return ImportJob.objects.filter(pk=job.pk, cancel_requested=True).exists()

    def on_progress(rows_done: int) -> None:
        if progress is not None:
            progress(rows_done)

    try:
        result = run_pipeline(job, dry_run=False, progress=on_progress, should_stop=should_stop,
                              run_token=job.run_token)
    except ClaimLost:
        # Re-queued while this worker was slow (see job_requeue_interrupted), and claimed by
        # another: that one resumes after the last batch committed here.
        logger.warning("Import #%s was taken over by another worker; this one stops.", job.pk)
        job.refresh_from_db()
        return job
    except Exception as exc:
        logger.exception("Import #%s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk, run_token=job.run_token).update(  # unless taken over
            status=ImportJob.Status.FAILED, error=_failure_sentence(exc), finished_at=timezone.now()
        )
        job.refresh_from_db()
        _after_end(job)
        return job
    status = ImportJob.Status.CANCELLED if result.cancelled else ImportJob.Status.FINISHED
    counts = result.counters.as_dict()
    if result.cancelled:
        # The counters cover the rows the run reached; the file has more (see ROWS_IN_FILE).
        counts[ROWS_IN_FILE] = result.rows_in_file
    ImportJob.objects.filter(pk=job.pk, run_token=job.run_token).update(
        status=status, counts=counts, finished_at=timezone.now(), rows_estimate=result.rows_in_file,
    )
    job.refresh_from_db()
    _after_end(job)
    return job


def _after_end(job: ImportJob) -> None:
    """After the last commit: a finished import's invitations go to the worker (a cancelled or
    failed one sends none), and the firm's webhooks hear how it ended and which accounts it made."""
    invitations_after_import(job=job)
    transaction.on_commit(lambda: webhook_events.import_ended(job))


# Failures whose message is a sentence for the user rather than a bug's.
EXPLAINED_FAILURES = (UnreadableFile, UnknownFolderTemplate)


def _failure_sentence(exc: Exception) -> str:
    if isinstance(exc, EXPLAINED_FAILURES):
        return str(exc)
    return f"The import stopped because of an unexpected error ({type(exc).__name__}); what was written so far is kept."


# --- The review step's check: a dry run with progress, inline or in the background ----------


class _CheckSuperseded(Exception):
    """A newer check was asked for (the mapping changed): this one stops at its next batch."""


def job_check_request(job: ImportJob, *, actor: Membership) -> int:
    """Asks for a fresh dry run of the job's current mapping (the review step's totals) and
    returns its token. The caller then runs `job_check_run(job.pk)` inline or as a task; a
    check still running for an older mapping stops at its next batch."""
    _require_on_job(actor, job)
    ImportJob.objects.filter(pk=job.pk).update(
        dry_run_state=ImportJob.DryRunState.QUEUED, dry_run_token=F("dry_run_token") + 1,
        dry_run_mapping=job.mapping, dry_run_rows_done=0, dry_run_error="", dry_run_updated_at=timezone.now(),
    )
    job.refresh_from_db(fields=["dry_run_state", "dry_run_token", "dry_run_mapping", "dry_run_rows_done",
                                "dry_run_error", "dry_run_updated_at"])
    return job.dry_run_token


# Files up to this size are checked while the page loads (a second or two); larger ones in the
# background with a progress bar. Spreadsheets are compressed: their limit is lower.
INLINE_CHECK_BYTES = 1024 * 1024
INLINE_CHECK_BYTES_SPREADSHEET = 256 * 1024


def _checks_inline(job: ImportJob) -> bool:
    limit = getattr(settings, "IMPORT_INLINE_CHECK_BYTES", INLINE_CHECK_BYTES)
    if job.read_info.get("format") not in ("csv", "iif"):
        limit = min(limit, INLINE_CHECK_BYTES_SPREADSHEET)
    return job.file_size <= limit


def job_check(job: ImportJob, *, actor: Membership) -> ImportJob:
    """The review step's check: asks for it (`job_check_request`), then runs it here for a
    small file or queues it for the worker (the page polls its progress)."""
    job_check_request(job, actor=actor)
    if _checks_inline(job):
        job_check_run(job.pk, in_request=True)
    else:
        from imports.tasks import check_import_job

        check_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def job_check_run(job_id: int, *, in_request: bool = False) -> ImportJob:
    """Runs the requested check (`job_dry_run`), recording its progress on the job row. Only
    the latest request runs to the end; a second worker picking up the same request does nothing.
    `in_request`: a small file checked while the page loads cleans in-process (starting a
    worker would cost more than it saves)."""
    job = ImportJob.objects.select_related("firm", "created_by").get(pk=job_id)
    token = job.dry_run_token
    claimed = ImportJob.objects.filter(
        pk=job.pk, dry_run_token=token, dry_run_state=ImportJob.DryRunState.QUEUED
    ).update(dry_run_state=ImportJob.DryRunState.RUNNING, dry_run_mapping=job.mapping, dry_run_updated_at=timezone.now(),
             # Until the totals replace it: when it began, for the review's time left.
             dry_run_counts={"check_started_at": timezone.now().isoformat()})
    if not claimed:
        return job
    this_check = ImportJob.objects.filter(pk=job.pk, dry_run_token=token)

    def progress(rows_done: int) -> None:
        if not this_check.update(dry_run_rows_done=rows_done, dry_run_updated_at=timezone.now()):
            raise _CheckSuperseded

    try:
        job_dry_run(job, progress=progress, cleaning_processes=0 if in_request else None)
    except _CheckSuperseded:
        return job
    except Exception as exc:
        logger.exception("Check of import #%s failed", job.pk)
        sentence = str(exc) if isinstance(exc, EXPLAINED_FAILURES) else (
            f"The check stopped because of an unexpected error ({type(exc).__name__}). Nothing was imported."
        )
        this_check.update(dry_run_state=ImportJob.DryRunState.FAILED, dry_run_error=sentence,
                          dry_run_updated_at=timezone.now())
    else:
        this_check.update(dry_run_state=ImportJob.DryRunState.DONE, dry_run_updated_at=timezone.now())
    job.refresh_from_db()
    return job


def job_requeue_interrupted(*, actor, silent_for: datetime.timedelta | None = None) -> list[ImportJob]:
    """Running jobs whose worker stopped go back to the queue; their next run resumes after
    the last committed batch (see run_pipeline).

    With `silent_for`, only jobs that committed no batch for that long are taken: a live
    worker commits every second or so, so this is safe while other workers run. Without it,
    every running job is taken (right when no worker is alive, as `clientport serve` at
    start-up). Either way a worker still alive loses its claim and stops at its next batch.
    Maintenance: only `permissions.SYSTEM` acts here.
    """
    require(actor, MAINTENANCE)
    from imports.tasks import run_import_job

    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
    if silent_for is not None:
        running = running.filter(Q(heartbeat_at__lt=timezone.now() - silent_for) | Q(heartbeat_at__isnull=True))
    requeued = []
    for job in running:
        # Still as it was read (no batch committed since), and a new token: the worker that
        # held the job, if alive, can commit nothing more. Of several workers sweeping at once,
        # one UPDATE matches; the task row is written in the same transaction, so a sweeper
        # that dies in between leaves the job running (and swept again), never queued with no task.
        with transaction.atomic():
            if ImportJob.objects.filter(
                pk=job.pk, status=ImportJob.Status.RUNNING, run_token=job.run_token, heartbeat_at=job.heartbeat_at
            ).update(status=ImportJob.Status.QUEUED, run_token=F("run_token") + 1):
                run_import_job.enqueue(job.pk)
                requeued.append(job)
    return requeued


@dataclass(frozen=True)
class Swept:
    """What one sweep queued again."""

    interrupted: list[ImportJob]
    failed: list[ImportJob]
    undos: list[ImportUndo]


def jobs_sweep(*, actor, silent_for: datetime.timedelta) -> Swept:
    """The resume rule, run by `clientport resume_imports` and by every worker on a timer
    (imports/management/commands/worker.py): running imports and undos whose heartbeat has been
    silent for `silent_for` lost their worker and go back to the queue; imports that failed that
    long ago are retried (at most AUTOMATIC_RESUMES times). Safe with any number of sweepers at
    once: each job is taken by one conditional UPDATE. Maintenance: `permissions.SYSTEM`."""
    return Swept(
        interrupted=job_requeue_interrupted(actor=actor, silent_for=silent_for),
        failed=job_requeue_failed(actor=actor, failed_for=silent_for),
        undos=undo_requeue_interrupted(actor=actor, silent_for=silent_for),
    )


# --- Resume: an import that failed or was cancelled goes on after its last committed batch ----

RESUMABLE_STATUSES = (ImportJob.Status.FAILED, ImportJob.Status.CANCELLED)
# A failure `resume_imports` retried this often is one a person must look at (the same bug
# again); a passing one (a lock held too long, a lost connection) is over by then.
AUTOMATIC_RESUMES = 2


def _resumable() -> Q:
    """Imports that failed or were cancelled after they started, whose file is still there and
    that nobody asked to undo.
    (An upload the worker could not read failed without starting; a queued import cancelled
    before it ran imported nothing, and its page says so.)"""
    return (Q(status__in=RESUMABLE_STATUSES, started_at__isnull=False, file_deleted_at__isnull=True) & ~Q(file="")
            & Q(undo__isnull=True))  # an import being undone, or undone, stays as the undo left it


def job_is_resumable(job: ImportJob) -> bool:
    return ImportJob.objects.filter(_resumable(), pk=job.pk).exists()


def _queue_again(queryset, **changes) -> int:
    """The conditional UPDATE that resumes: a second click or another tab finds the job queued
    already. Its next run resumes after `checkpoint` (see run_pipeline) and mails its end."""
    return queryset.update(status=ImportJob.Status.QUEUED, cancel_requested=False, error="", finished_at=None,
                           notified_at=None, cancelled_by=None, cancelled_at=None, **changes)


def job_resume(job: ImportJob, *, actor: Membership, enqueue: bool = True) -> bool:
    """Queues again an import that failed or was cancelled part-way (the *Resume* button): it
    goes on after its last committed batch, so no row is imported twice and the counts end as
    an uninterrupted run's. The actor becomes the one who started it (this run is theirs) and
    a previous cancel is forgotten. False if it cannot be resumed (any more)."""
    _require_on_job(actor, job)
    with transaction.atomic():
        resumed = _queue_again(ImportJob.objects.filter(_resumable(), pk=job.pk), started_by=actor.user)
    if not resumed:
        return False
    logger.info("Import #%s resumed by %s after row %s.", job.pk, actor.user.email, job.checkpoint.get("rows_done", 0))
    job.refresh_from_db()
    if enqueue:
        from imports.tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return True


def job_requeue_failed(*, actor, failed_for: datetime.timedelta) -> list[ImportJob]:
    """Imports that failed at least `failed_for` ago go back to the queue, each at most
    AUTOMATIC_RESUMES times; their next run resumes after the last committed batch. Cancelled
    imports are left alone: a person stopped them. Maintenance: only `permissions.SYSTEM`."""
    require(actor, MAINTENANCE)
    from imports.tasks import run_import_job

    failed = ImportJob.objects.filter(
        _resumable(), status=ImportJob.Status.FAILED, finished_at__lte=timezone.now() - failed_for,
        automatic_resumes__lt=AUTOMATIC_RESUMES,
    )
    requeued = []
    for job in failed:
        # Still as it was read: not resumed by a person (or another sweeper) meanwhile.
        with transaction.atomic():
            if _queue_again(ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED,
                                                     finished_at=job.finished_at),
                            automatic_resumes=F("automatic_resumes") + 1):
                run_import_job.enqueue(job.pk)
                requeued.append(job)
    return requeued


# --- Retention: uploaded files do not outlive the firm's retention period ---------------------

FINISHED_STATUSES = (ImportJob.Status.FINISHED, ImportJob.Status.FAILED, ImportJob.Status.CANCELLED)
# A draft nobody started expires after this many days (sooner if the firm keeps uploads for
# less): a forgotten draft is an uploaded client list kept for nothing.
DRAFT_EXPIRY_DAYS = 30
UNSTARTED_STATUSES = (ImportJob.Status.DRAFT, ImportJob.Status.VALIDATING, ImportJob.Status.READY)


def jobs_purge_files(*, actor, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Deletes what each firm keeps past its `import_file_retention_days`: the uploaded file and
    the skipped rows' cells and the review's likely duplicates of imports that finished (failed,
    were cancelled) that long ago, and whole imports never started (drafts, dry runs) uploaded
    that long ago, or DRAFT_EXPIRY_DAYS ago if that is sooner, whose only use was that file.
    Returns (files of finished imports deleted, unstarted imports deleted).

    Queued and running imports are never touched. Running it twice deletes nothing more.
    Maintenance: only `permissions.SYSTEM` acts here."""
    require(actor, MAINTENANCE)
    now = now or timezone.now()
    finished = unstarted = 0
    for firm in Firm.objects.only("pk", "import_file_retention_days"):
        cutoff = now - datetime.timedelta(days=firm.import_file_retention_days)
        old = ImportJob.objects.filter(firm=firm, status__in=FINISHED_STATUSES, finished_at__lt=cutoff,
                                       file_deleted_at__isnull=True)
        for job in old:
            _delete_stored_file(job)
            ImportIssue.objects.filter(job=job, cells__isnull=False).update(cells=None)
            # The review's likely duplicates quote the file's names, emails and phones: gone with it.
            counts = {key: value for key, value in job.dry_run_counts.items() if key != "duplicates"}
            ImportJob.objects.filter(pk=job.pk).update(file="", file_deleted_at=now, dry_run_counts=counts)
            finished += 1
        # Never started: drafts, dry runs, and uploads the worker could not read (whose sentence
        # nobody came to see).
        unstarted_jobs = ImportJob.objects.filter(
            Q(status__in=UNSTARTED_STATUSES) | Q(status=ImportJob.Status.FAILED, started_at__isnull=True),
            firm=firm, created_at__lt=max(cutoff, now - datetime.timedelta(days=DRAFT_EXPIRY_DAYS)),
        )
        for job in unstarted_jobs:
            # Conditional: a draft started since it was read is left to run.
            if unstarted_jobs.filter(pk=job.pk).delete()[0]:
                _delete_stored_file(job)
                unstarted += 1
    return finished, unstarted


def _delete_stored_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)


# --- Team members named in the file: the values that name nobody, for the settings step -------


def job_unmatched_member_names(job: ImportJob, mapping: Mapping) -> UnmatchedNames:
    """The values of the mapping's member columns (assignees, roles) that match no active team
    member, read from the whole file in one streaming pass and bounded (`unmatched_names`).

    Stored on the job (`read_info["member_names"]`) with what it was computed for: the member
    columns, the firm's members and its choices. The settings step shows it on every visit, and
    a large file is read again only when one of those changed."""
    headers = list(job.read_info.get("headers", []))
    columns = [(headers.index(col.column), col.target) for col in mapping.columns
               if col.target in MEMBER_TARGETS and col.column in headers]
    if not columns:
        return UnmatchedNames()
    members = active_member_rows(job.firm)
    choices = mapping.settings.member_names if isinstance(mapping.settings.member_names, dict) else {}
    signature = directory_signature(members) + repr((columns, sorted(choices.items())))
    stored = job.read_info.get("member_names") or {}
    if stored.get("signature") == signature:
        return UnmatchedNames.from_dict(stored)
    directory = member_directory(job.firm, choices, members=members)
    try:
        with open_job_table(job, mapping) as table:
            found = unmatched_names((row.cells for row in table.rows()), columns, directory)
    except UnreadableFile:
        return UnmatchedNames()
    job.read_info = {**job.read_info, "member_names": {**found.to_dict(), "signature": signature}}
    ImportJob.objects.filter(pk=job.pk, status__in=UNSTARTED_STATUSES).update(read_info=job.read_info)
    return found
