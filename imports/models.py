"""The import job is the wizard's and the worker's shared state: file, mapping, status,
progress, counters and checkpoint live on this row, never in a session."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models

COUNTER_NAMES = (
    "rows_total",
    "rows_imported",
    "rows_skipped",
    "accounts_created",
    "accounts_updated",
    "contacts_created",
    "contacts_updated",
    "custom_fields_created",
    "tags_created",
    "warnings",
    "rows_unchanged",
)
# Stored with the counters of a cancelled import only: the file's data rows, of which the
# counters (`rows_total` included) cover the ones the run reached before it stopped.
ROWS_IN_FILE = "rows_in_file"


def upload_path(job: "ImportJob", filename: str) -> str:
    """Where an upload is stored. The user's file name is never part of the path: only its
    extension, lower-cased and checked, is kept so the reader can tell CSV from XLSX."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".iif"}:
        suffix = ".bin"
    return f"imports/{job.firm_id}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        VALIDATING = "validating", "Validating"
        READY = "ready", "Ready to start"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class DryRunState(models.TextChoices):
        QUEUED = "queued", "Waiting to check"
        RUNNING = "running", "Checking"
        DONE = "done", "Checked"
        FAILED = "failed", "Check failed"

    class Kind(models.TextChoices):
        ACCOUNTS_AND_CONTACTS = "accounts-and-contacts", "Accounts and contacts"
        ACCOUNTS = "accounts", "Accounts only"
        CONTACTS = "contacts", "Contacts only"

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.ACCOUNTS_AND_CONTACTS)
    file = models.FileField(upload_to=upload_path, max_length=255)
    original_name = models.CharField(max_length=255, help_text="As uploaded; shown, never used as a path.")
    file_size = models.BigIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)
    read_info = models.JSONField(default=dict, blank=True, help_text="What the reader detected.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Counters of the real run (docs/import-rules.md, "Rows") and, separately, of the last dry run.
    counts = models.JSONField(default=dict, blank=True)
    dry_run_counts = models.JSONField(default=dict, blank=True)
    # Progress: data rows handled so far. The checkpoint is the same number, stored in the
    # transaction of the batch that reached it, so a resumed run skips exactly those rows.
    rows_done = models.BigIntegerField(default=0)
    rows_estimate = models.BigIntegerField(default=0)
    checkpoint = models.JSONField(default=dict, blank=True)
    cancel_requested = models.BooleanField(default=False)
    # Each claim of the job by a worker takes a new token, and each batch commits only while
    # its worker's token is current: a worker whose job was re-queued and claimed by another
    # stops at its next batch instead of writing alongside it.
    run_token = models.PositiveIntegerField(default=0)
    # When the running import last committed a batch (or was claimed): a running job without
    # a heartbeat for minutes has lost its worker (see `clientport resume_imports`).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who pressed Start (or ran the CLI), and who asked for a cancel and when: the history shows
    # them. A person taken off the team later keeps their name here.
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The review step's check (a dry run over every row) runs in the background for large
    # files: its state and progress live here. `dry_run_mapping` is the mapping it checked,
    # so the totals are shown only while they still describe the current mapping;
    # `dry_run_token` changes with each request, so a superseded check stops early.
    dry_run_state = models.CharField(max_length=10, choices=DryRunState.choices, blank=True)
    dry_run_token = models.PositiveIntegerField(default=0)
    dry_run_mapping = models.JSONField(null=True, blank=True)
    dry_run_rows_done = models.BigIntegerField(default=0)
    dry_run_error = models.TextField(blank=True)
    dry_run_updated_at = models.DateTimeField(null=True, blank=True)
    # How often `clientport resume_imports` queued this import again after it failed: it
    # gives up after `jobs.AUTOMATIC_RESUMES`, leaving a failure that persists to a person.
    automatic_resumes = models.PositiveSmallIntegerField(default=0)
    # When the "import finished" email went out: sent once per run, however often its task runs.
    notified_at = models.DateTimeField(null=True, blank=True)
    # When the uploaded file and the skipped rows' cells were deleted (the firm's retention).
    file_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["firm", "-created_at"])]

    def __str__(self):
        return f"Import #{self.pk} ({self.original_name})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING, self.Status.VALIDATING)

    @property
    def rows_in_file(self) -> int:
        """The file's data rows, as far as the run knows: its `rows_total`, or the whole file's
        count after a cancel (the rows never reached included)."""
        return int(self.counts.get(ROWS_IN_FILE, self.counts.get("rows_total", 0)))

    @property
    def progress_percent(self) -> int:
        total = self.counts.get("rows_total") if self.status == self.Status.FINISHED else self.rows_estimate
        if not total:
            return 100 if self.status == self.Status.FINISHED else 0
        return min(100, int(self.rows_done * 100 / total))


class ImportIssue(models.Model):
    """A skipped row or a warning, as data: row, column, raw value, stable code, message."""

    class Severity(models.TextChoices):
        SKIP = "skip", "Skipped row"
        WARNING = "warning", "Warning"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row_number = models.BigIntegerField()
    severity = models.CharField(max_length=8, choices=Severity.choices)
    code = models.CharField(max_length=40)
    column = models.CharField(max_length=255, blank=True)
    value = models.TextField(blank=True)
    message = models.TextField()
    # Skipped rows keep their original cells so the skipped-rows file can be fixed and re-imported.
    cells = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["row_number", "pk"]
        indexes = [models.Index(fields=["job", "severity", "row_number"]), models.Index(fields=["job", "code"])]


class ImportChange(models.Model):
    """One thing an import did, enough to undo it: a record created, a link added, or a field
    changed with its previous value. Records created by the import also carry
    `created_by_import`, so their own links, tags and folders need no rows here."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed field"
        ADD = "add", "Added link"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=40)  # "account", "contact", "tag", "custom_field", "account_tag", ...
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)
    field = models.CharField(max_length=100, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "model", "action"])]


class ImportCheckpoint(models.Model):
    """What one committed batch of a real run leaves a resumed run (`imports.checkpoints`),
    written in the batch's transaction: the counters after it and what later batches must
    know of it. The change log (ImportChange) serves undo only."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="checkpoints")
    rows_done = models.BigIntegerField()
    counts = models.JSONField(default=dict)
    state = models.JSONField(default=dict)

    class Meta:
        ordering = ["job", "rows_done"]
        constraints = [models.UniqueConstraint(fields=["job", "rows_done"], name="import_checkpoint_once_per_row")]


class SavedMapping(models.Model):
    """A firm's remembered mapping for files with one set of columns (`imports.saved_mappings`,
    docs/import-rules.md, "Remembered mappings").

    `signature` identifies the header set (and the import kind); `mapping` is the job's mapping
    JSON exactly as stored, so keys this version does not know survive; `read_options` the
    reading choices made and what was detected. An automatic one (`is_named` off) is replaced
    by the next import of the same columns; a named one is kept until the firm deletes it."""

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="saved_mappings")
    signature = models.CharField(max_length=64)
    kind = models.CharField(max_length=24, choices=ImportJob.Kind.choices, default=ImportJob.Kind.ACCOUNTS_AND_CONTACTS)
    headers = models.JSONField(default=list)
    name = models.CharField(max_length=100, blank=True)
    is_named = models.BooleanField(default=False)
    mapping = models.JSONField(default=dict)
    read_options = models.JSONField(default=dict, blank=True)
    source_job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_named", "-updated_at", "-pk"]
        indexes = [models.Index(fields=["firm", "signature"])]
        constraints = [
            # The automatic one: only the latest per header set.
            models.UniqueConstraint(fields=["firm", "signature"], condition=models.Q(is_named=False),
                                    name="saved_mapping_one_automatic_per_signature"),
            models.UniqueConstraint(fields=["firm", "name"], condition=models.Q(is_named=True),
                                    name="saved_mapping_unique_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.is_named and self.name:
            return self.name
        if self.source_job_id:
            return f"Mapping of import #{self.source_job_id}"
        return "Automatic mapping"

class ImportUndo(models.Model):
    """The undo of one import (imports/undo.py): its state, progress and checkpoint, what it
    removed and restored, and the records it kept because someone changed them since. One per
    import, so a second undo finds this row and does nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to undo"
        RUNNING = "running", "Undoing"
        DONE = "done", "Undone"
        FAILED = "failed", "Undo stopped"
        CANCELLED = "cancelled", "Undo cancelled"

    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, primary_key=True, related_name="undo")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What it removes and restores (`undo.UNDO_COUNTS`), and the records it keeps as they are:
    # [{"kind", "id", "name", "reason"}]. Decided once, when the first run starts, so a resumed
    # run keeps to them.
    counts = models.JSONField(default=dict, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    planned = models.BooleanField(default=False)
    # Progress in units (records deleted, change-log rows undone) and where a resumed run goes
    # on: {"phase": ..., "after": last id done}, stored in the transaction of the batch that did it.
    units_done = models.BigIntegerField(default=0)
    units_total = models.BigIntegerField(default=0)
    checkpoint = models.JSONField(default=dict, blank=True)
    cancel_requested = models.BooleanField(default=False)
    run_token = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Undo of import #{self.job_id}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.units_total:
            return 0
        return min(100, int(self.units_done * 100 / self.units_total))
