"""The import pipeline, top to bottom: read -> extract (map + clean) -> plan -> write -> report.

`run_pipeline` is the one engine behind the wizard, the CLI, the API and the worker. A dry run
is the same loop with the writer left out, which is why it predicts the real run's counters.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from crm.locks import firm_import_lock
from crm.models import AccountRole, CustomField, FolderTemplate, Membership
from crm.normalize import normalize_email_key, normalize_name_key
from imports import bulk
from imports.existing import load_catalogue, load_existing
from imports.extraction import CustomFieldSpec, ExtractionContext, date_order_evidence
from imports.gc_tuning import quiet_gc
from imports.mapping import Mapping
from imports.members import member_directory
from imports.models import ImportChange, ImportJob
from imports.parallel import clean_batches
from imports.checkpoints import resume_state
from imports.duplicates import DuplicateFinder, Duplicates, decided_duplicates
from imports.planning import BatchPlan, Counters, FileState, PlanContext, Planner
from imports.profiling import stored_profiles
from imports.reading import ReadOptions, Table, TableInfo, open_table
from imports.writing import WriteContext, write_batch, write_firm_definitions, write_heartbeat

logger = logging.getLogger(__name__)

# Rows per batch: one lookup round, one plan and one write transaction each. 2,000 was 5-9%
# faster on the 2-core machine (fewer commits) but held ~40 MB more at the peak of a large
# import (measured at 200,000 rows on SQLite), which a million-row import cannot spare.
BATCH_SIZE = 1000
WRITE_ATTEMPTS = 3  # a batch whose records somebody else created meanwhile is planned again
EXAMPLES_PER_CODE = 5
MAX_NEW_TAG_NAMES = 50  # the review names this many of the tags a file creates


@dataclass
class IssueSummary:
    """Skip reasons or warnings grouped by code, with a few row numbers each (bounded)."""

    counts: dict[str, int] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)  # the first message seen per code
    rows: dict[str, list[int]] = field(default_factory=dict)

    def add(self, code: str, row: int, message: str) -> None:
        self.counts[code] = self.counts.get(code, 0) + 1
        self.messages.setdefault(code, message)
        examples = self.rows.setdefault(code, [])
        if len(examples) < EXAMPLES_PER_CODE and row not in examples:
            examples.append(row)

    def as_dict(self) -> dict:
        return {
            code: {"count": count, "message": self.messages[code], "rows": self.rows[code]}
            for code, count in sorted(self.counts.items(), key=lambda item: -item[1])
        }


@dataclass
class PipelineResult:
    counters: Counters
    skipped: IssueSummary
    warnings: IssueSummary
    cancelled: bool = False
    # The file's data rows. A cancelled run stopped before the end: `counters` cover the rows
    # it reached, and this counts the rest too (read, not cleaned).
    rows_in_file: int = 0
    duplicates: Duplicates | None = None  # a dry run's likely duplicates, when asked for
    # The names of the tags the run creates (the first MAX_NEW_TAG_NAMES), for the review.
    new_tag_names: list[str] = field(default_factory=list)


@dataclass
class Prepared:
    """Everything resolved once per run: the table, the contexts, the new custom fields."""

    table: Table
    mapping: Mapping
    extraction: ExtractionContext
    planning: PlanContext
    folder_paths: list[str]
    new_custom_fields: list[CustomFieldSpec]
    new_roles: list[str]


def read_options(mapping: Mapping) -> ReadOptions:
    """The user's reading choices, with the configured size limits."""
    from django.conf import settings

    read = mapping.read
    return ReadOptions(
        encoding=read.encoding, delimiter=read.delimiter, header_row=read.header_row, sheet=read.sheet,
        keep_footer=read.keep_footer, max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
        max_unpacked_bytes=settings.IMPORT_MAX_WORKBOOK_UNPACKED_BYTES, max_line_chars=settings.IMPORT_MAX_LINE_CHARS,
    )


def open_job_table(job: ImportJob, mapping: Mapping | None = None, *, detect: bool = False) -> Table:
    """The job's file as a table. What `job_detect` found at upload (encoding, delimiter, sheet,
    header row, headers) is reused, so a page or a run does not detect the file again, unless
    `detect` (the upload and "read again") or the mapping's reading choices differ from the
    ones the file was detected with (an explicit choice wins)."""
    mapping = mapping or Mapping.from_dict(job.mapping)
    options = read_options(mapping)
    if not detect:
        options.known = stored_detection(job, mapping)
    return open_table(job_file(job), options, name=job.original_name)


def detection_choices(mapping: Mapping) -> dict:
    """The reading choices a detection depends on (keeping the footer changes no guess)."""
    read = mapping.read
    return {"encoding": read.encoding, "delimiter": read.delimiter, "header_row": read.header_row, "sheet": read.sheet}


def stored_detection(job: ImportJob, mapping: Mapping) -> TableInfo | None:
    """What the upload's detection found, if it was made with the reading choices `mapping`
    has now; None otherwise (or for a job detected before detections were stored)."""
    info = job.read_info or {}
    if "read_choices" not in info or info["read_choices"] != detection_choices(mapping):
        return None
    try:
        return TableInfo(
            format=info["format"], encoding=info["encoding"], delimiter=info["delimiter"],
            header_row=info["header_row"], sheet=info["sheet"], sheets=list(info.get("sheets") or []),
            headers=list(info["headers"]), preamble=list(info.get("preamble") or []),
            detected=dict(info.get("detected") or {}),
        )
    except KeyError:
        return None


def job_file(job: ImportJob):
    """What the reader opens: the stored upload's path, or a file object over it."""
    return job.file.path if _has_path(job) else job.file.open("rb")


def _has_path(job: ImportJob) -> bool:
    """Local storage hands the reader a path (it reads the file twice, cheaply); remote
    storage has no path and hands over a file object."""
    try:
        return bool(job.file.path)
    except NotImplementedError:
        return False


def prepare(job: ImportJob, *, mapping: Mapping | None = None, dry_run: bool = False) -> Prepared:
    """Resolves the mapping against the firm (custom fields, roles, members, folders)."""
    firm = job.firm
    mapping = mapping or Mapping.from_dict(job.mapping)
    table = open_job_table(job, mapping)
    existing_fields = {
        (f.applies_to, f.key): f for f in CustomField.objects.filter(firm=firm)
    }
    # A resumed run finds the fields its first part created: they are still this import's.
    created_here = set(
        ImportChange.objects.filter(job=job, model="custom_field", action="create").values_list("object_id", flat=True)
    ) if job.pk else set()
    specs: dict[tuple[str, str], CustomFieldSpec] = {}
    new_fields: list[CustomFieldSpec] = []
    for col in mapping.mapped():
        if col.attribute != "custom":
            continue
        applies_to = "account" if col.record == "account" else "contact"
        key = normalize_name_key(col.field, 100)
        if (applies_to, key) in specs:
            continue
        field_obj = existing_fields.get((applies_to, key))
        if field_obj is not None:
            spec = CustomFieldSpec(applies_to, field_obj.name, field_obj.field_type, tuple(field_obj.options),
                                   created_by_this_import=field_obj.pk in created_here)
        else:
            spec = CustomFieldSpec(applies_to, " ".join(col.field.split())[:100], col.field_type or "text", exists=False)
            new_fields.append(spec)
        specs[(applies_to, key)] = spec
    existing_roles = set(AccountRole.objects.filter(firm=firm).values_list("key", flat=True))
    new_roles = []
    for col in mapping.columns_for("account.role"):
        if normalize_name_key(col.field, 100) not in existing_roles and col.field.strip() not in new_roles:
            new_roles.append(" ".join(col.field.split())[:100])

    members = member_directory(firm, mapping.settings.member_names)
    importer = Membership.objects.filter(firm=firm, user=job.created_by, is_active=True).values_list(
        "pk", flat=True
    ).first()
    bulk_assignees = [members.emails[key] for key in map(normalize_email_key, mapping.settings.assignees)
                      if key in members.emails]
    extraction = ExtractionContext(
        mapping=mapping, headers=table.info.headers, default_country=firm.default_country,
        date_order=firm.date_order, individual_names=str(firm.individual_account_names), custom_fields=specs,
        members=members,
    )
    extraction.date_orders, extraction.number_formats = column_reading(job, table, extraction)
    planning = PlanContext(
        mapping=mapping, job_id=job.pk, catalogue=load_catalogue(firm), importer_member_id=importer,
        bulk_assignee_ids=bulk_assignees, dry_run=dry_run, decisions=decided_duplicates(firm.pk, mapping),
    )
    return Prepared(
        table=table, mapping=mapping, extraction=extraction, planning=planning,
        folder_paths=_folder_paths(firm, mapping.settings.folder_template),
        new_custom_fields=new_fields, new_roles=new_roles,
    )


def column_reading(job: ImportJob, table: Table, extraction: ExtractionContext) -> tuple[dict[int, str], dict[int, str]]:
    """How each mapped column's dates and numbers read: (date orders, number formats) by
    column index. An explicit choice in the mapping wins; "auto" takes what the column's own
    values proved at upload (the stored profile), else the firm's date order and, for numbers,
    each value on its own. Every run of the import, and its dry run, decides the same."""
    profiles = stored_profiles(job.read_info) if job.read_info.get("headers") == table.info.headers else None
    choices = {col.column: col for col in extraction.mapping.columns}
    orders: dict[int, str] = {}
    formats: dict[int, str] = {}
    for col in extraction.columns:
        choice = choices[col.header]
        profile = profiles[col.index] if profiles else None
        if choice.date_order != "auto":
            orders[col.index] = choice.date_order
        elif profile is not None and profile.date_order:
            orders[col.index] = profile.date_order
        if choice.number_format != "auto":
            formats[col.index] = choice.number_format
        elif profile is not None and profile.number_format:
            formats[col.index] = profile.number_format
    if profiles is None:  # detected before profiles were stored: the first rows decide
        orders = {**_sampled_date_orders(table, extraction), **orders}
    return orders, formats


DATE_EVIDENCE_ROWS = 2_000


def _sampled_date_orders(table: Table, extraction: ExtractionContext) -> dict[int, str]:
    """Date orders proved by the first rows, for a job whose upload stored no column profile."""
    columns = extraction.date_columns()
    if not columns:
        return {}
    sample = [row.cells for row in islice(table.rows(), DATE_EVIDENCE_ROWS)]
    orders = {}
    for col in columns:
        order = date_order_evidence(cells[col.index] for cells in sample)
        if order is not None:
            orders[col.index] = order
    return orders


class UnknownFolderTemplate(Exception):
    """The mapping names a folder template the firm does not have; str() is one sentence."""


def check_folder_template(firm, choice: str) -> None:
    """Raises UnknownFolderTemplate unless `choice` is "default", "none" or one of the firm's
    templates: a misspelt name must not quietly give new accounts no folders."""
    if choice in ("default", "none", "") or FolderTemplate.objects.filter(firm=firm, name=choice).exists():
        return
    raise UnknownFolderTemplate(
        f"{firm.name} has no folder template called {choice!r}; name one of its templates, \"default\" or \"none\"."
    )


def _folder_paths(firm, choice: str) -> list[str]:
    if choice == "none" or not choice:
        return []
    if choice == "default":
        template = firm.default_folder_template
        return template.folder_paths() if template is not None else []
    template = FolderTemplate.objects.filter(firm=firm, name=choice).first()
    if template is None:  # deleted since the mapping was checked
        check_folder_template(firm, choice)
    return template.folder_paths()


def _plan_and_write(job: ImportJob, prepared: Prepared, planner: Planner, write_ctx: WriteContext,
                    rows: list, *, dry_run: bool, rows_done: int, totals: Counters,
                    before_write: Callable[[], None] = lambda: None) -> BatchPlan:
    """Plans a batch against what exists and, in a real run, writes it.

    A real run looks up, plans and writes one batch in one transaction that holds the firm's
    import lock (`firm_import_lock`), so two imports into one firm take turns batch by batch
    and neither plans against records the other is about to write. A client added by hand
    meanwhile can still collide with a planned contact (a unique email): the batch's
    transaction then rolls back, and the batch is planned again against the database as it
    now is, once the planner has forgotten what the failed plan taught it. So the record is
    updated, not duplicated, and the import does not fail.
    """
    contacts_only = prepared.mapping.kind == "contacts"

    def plan_batch() -> BatchPlan:
        existing = load_existing(job.firm, rows, contacts_only=contacts_only,
                                 account_ids=planner.account_ids_to_load(rows))
        return planner.plan_batch(rows, existing)

    if dry_run:
        return plan_batch()
    attempt = 1
    while True:
        plan = None
        if any(row.skip is None for row in rows):
            before_write()  # outside the batch's transaction: a rolled-back batch keeps them
        try:
            with transaction.atomic():
                firm_import_lock(job.firm_id)
                plan = plan_batch()
                after = Counters.from_dict(totals.as_dict())
                after.add(plan.counters)
                written = write_batch(plan, write_ctx, rows_done=rows_done, totals=after)
            # Later batches plan and write with the tags this one made, handed on explicitly.
            write_ctx.catalogue = write_ctx.catalogue.extended(tags=written.tags)
            planner.written(plan, written.accounts, write_ctx.catalogue)
            return plan
        except (IntegrityError, OperationalError) as error:
            if attempt == WRITE_ATTEMPTS or not _retryable(error):
                raise
            attempt += 1
            logger.info("Import #%s: rows up to %s met a concurrent change (%s); planning them again.",
                        job.pk, rows_done, type(error).__name__)
            if plan is not None:
                planner.forget(plan)
            # What others created meanwhile (the rolled-back batch's own tags are gone again).
            write_ctx.catalogue = planner.ctx.catalogue = load_catalogue(job.firm)


def _retryable(error: Exception) -> bool:
    """A unique key somebody else took, or PostgreSQL's deadlock and serialisation failures."""
    if isinstance(error, IntegrityError):
        return True
    cause = getattr(error, "__cause__", None)
    return getattr(cause, "sqlstate", None) in ("40001", "40P01")


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def run_pipeline(
    job: ImportJob,
    *,
    dry_run: bool,
    mapping: Mapping | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    should_stop: Callable[[], bool] | None = None,
    cleaning_processes: int | None = None,
    run_token: int | None = None,
    find_duplicates: bool = False,
) -> PipelineResult:
    """Runs the import of `job` (or its dry run) and returns the counters.

    A real run resumes after `job.checkpoint` when an earlier run was interrupted: the rows
    before it were committed with the checkpoint, so they are neither repeated nor lost. With
    a `run_token` (the worker's claim), a batch commits only while the claim is current.
    `find_duplicates` (a dry run's): the likely duplicates of the clients it would create.
    """
    from django.conf import settings

    if cleaning_processes is None:
        cleaning_processes = settings.IMPORT_CLEANING_PROCESSES
    prepared = prepare(job, mapping=mapping, dry_run=dry_run)
    if run_token is not None:
        # Reading a large workbook whole can take a while: the job is alive, not silent.
        write_heartbeat(job, run_token)
    skipped, warnings = IssueSummary(), IssueSummary()
    resume_after = 0 if dry_run else int(job.checkpoint.get("rows_done", 0))
    if resume_after:
        totals, state = resume_state(job, type_column=prepared.mapping.account_type.mode == "column")
    else:
        totals = Counters()
        state = FileState()
        if dry_run:
            totals.custom_fields_created = len(prepared.new_custom_fields)
    planner = Planner(prepared.planning, state)
    write_ctx = WriteContext(
        firm=job.firm, job=job, catalogue=prepared.planning.catalogue, folder_paths=prepared.folder_paths,
        send_invitations=prepared.mapping.settings.send_invitations,
        open_dropdowns=[key for key, spec in prepared.extraction.custom_fields.items() if spec.collects_options],
        run_token=run_token,
    )
    rows_done = resume_after
    cancelled = False
    finder = DuplicateFinder() if find_duplicates and prepared.mapping.kind != "contacts" else None
    new_accounts: set[str] = set()
    new_tag_names: list[str] = []
    # The custom fields and roles the mapping asks for are created with the first batch that
    # imports a row: a file whose rows are all skipped adds nothing to the firm. Idempotent, so a
    # resumed run (whose first part may have created them) simply finds them.
    definitions_pending = not dry_run

    def ensure_definitions() -> None:
        nonlocal definitions_pending
        if definitions_pending:
            made = write_firm_definitions(write_ctx, prepared.new_custom_fields, prepared.new_roles)
            totals.custom_fields_created += made.custom_fields_created
            write_ctx.catalogue = planner.ctx.catalogue = write_ctx.catalogue.extended(
                custom_fields=made.custom_fields, roles=made.roles)
            definitions_pending = False

    with (prepared.table as table, quiet_gc(), unlogged_queries(),
          nullcontext() if dry_run else bulk.bulk_load() as load):
        rows = islice(table.rows(), resume_after, None)
        rows_read = resume_after

        def counted(batches: Iterable[list]) -> Iterator[list]:
            nonlocal rows_read
            for batch in batches:
                rows_read += len(batch)
                yield batch

        cleaned = clean_batches(counted(batched(rows, batch_size)), prepared.extraction, processes=cleaning_processes)
        for batch, clean_rows in cleaned:
            rows_done += len(batch)
            plan = _plan_and_write(job, prepared, planner, write_ctx, clean_rows, dry_run=dry_run,
                                   rows_done=rows_done, totals=totals, before_write=ensure_definitions)
            if load is not None:
                load.written(len(batch))
            totals.add(plan.counters)
            if finder is not None:
                collecting = time.perf_counter()
                _collect_candidates(finder, clean_rows, plan, prepared.planning.decisions, new_accounts)
                finder.seconds += time.perf_counter() - collecting
            new_tag_names.extend(list(plan.new_tags.values())[:MAX_NEW_TAG_NAMES - len(new_tag_names)])
            for row, problem in plan.skipped:
                skipped.add(problem.code, row.number, problem.message)
            for number, problem in plan.warnings:
                warnings.add(problem.code, number, problem.message)
            if progress is not None:
                progress(rows_done)
            if should_stop is not None and should_stop():
                cancelled = True
                break
        rows_in_file = rows_done
        if cancelled:
            cleaned.close()  # the cleaning workers stop before the rest of the file is read
            rows_in_file = rows_read + count_rows(rows)
    duplicates = finder.find(job.firm_id) if finder is not None and not cancelled else None
    return PipelineResult(counters=totals, skipped=skipped, warnings=warnings, cancelled=cancelled,
                          rows_in_file=rows_in_file, duplicates=duplicates,
                          new_tag_names=new_tag_names)


@contextmanager
def unlogged_queries() -> Iterator[None]:
    """Leaves the import's queries out of DEBUG's query log. That log keeps every query, and on
    SQLite Django quotes each one's parameters with one more query: for an import's thousands of
    wide statements, a twentieth of its time, for a list nobody reads. A test that counts
    queries (`force_debug_cursor`) still sees every one."""
    from django.conf import settings

    if connection.force_debug_cursor or not settings.DEBUG:
        yield
        return
    connection.make_debug_cursor = connection.make_cursor  # shadows the method on this connection only
    try:
        yield
    finally:
        del connection.make_debug_cursor


def _collect_candidates(finder: DuplicateFinder, rows: list, plan: BatchPlan, decisions,
                        new_accounts: set[str]) -> None:
    """The rows the likely-duplicates pass compares: the first row of each client the file
    would create (a row the exact keys send to an existing account is that account), and
    every row the user decided about, so its pair stays listed with the decision."""
    for row in rows:
        ref = plan.row_accounts.get(row.number)
        if ref is None:
            continue
        if row.number in decisions.accounts or row.number in decisions.rows:
            finder.add_row(row)
        elif ref[0] == "n" and ref not in new_accounts:
            new_accounts.add(ref)
            finder.add_row(row)


def count_rows(rows: Iterable) -> int:
    """The rows left in a table's stream, read (blank rows and the footer left out, as the
    import leaves them out) but not cleaned: what a cancelled import never reached."""
    return sum(1 for _row in rows)
