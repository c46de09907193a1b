"""/api/v1/imports: the wizard's steps over HTTP, through the same actions (imports/jobs.py).

Upload (multipart or the raw file as the body), read the detection and the automatic mapping,
put a mapping (the CLI's `--mapping` JSON), run the full check, start, poll, results (the CLI's
`--json` keys), the skipped-rows ZIP, cancel."""

from __future__ import annotations

import datetime
import tempfile
from typing import Any, Literal

from django.conf import settings
from django.core.files import File
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from ninja import File as FileParam
from ninja import Body, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from api.auth import IMPORT, TokenAuth
from api.errors import ApiError, responses
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from crm.permissions import IMPORT as IMPORT_RIGHT
from crm.permissions import require
from imports import jobs, saved_mappings
from imports import undo as undoing
from imports.mapping import Mapping
from imports.models import ImportJob, ImportUndo
from imports.report import job_result, skipped_rows_zip
from imports.views.upload import MULTIPART_OVERHEAD, SizeLimitUploadHandler

router = Router(tags=["imports"], auth=IMPORT)

Kind = Literal["accounts-and-contacts", "accounts", "contacts"]
DETECTION_KEYS = ("format", "encoding", "delimiter", "header_row", "sheet", "sheets", "headers", "rows_read",
                  "complete", "detected", "preamble")


class Progress(Schema):
    rows_done: int
    rows_estimate: int
    percent: int | None


class Check(Schema):
    state: str
    rows_done: int
    error: str
    counts: dict[str, Any]


class ImportOut(Schema):
    id: int
    kind: str
    status: str
    original_name: str
    file_size: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    cancel_requested: bool
    error: str
    detection: dict[str, Any]
    columns: list[dict[str, Any]]
    mapping: dict[str, Any]
    saved_mapping: dict[str, Any] | None
    check: Check
    progress: Progress
    counts: dict[str, int]


class ImportPage(Schema):
    items: list[ImportOut]
    next_cursor: str | None


class Results(Schema):
    job: int
    status: str
    rows_in_file: int
    rows_total: int
    rows_imported: int
    rows_skipped: int
    accounts_created: int
    accounts_updated: int
    contacts_created: int
    contacts_updated: int
    custom_fields_created: int
    tags_created: int
    warnings: int
    rows_unchanged: int  # accounts-only imports: rows that matched an account and changed nothing
    skipped_reasons: dict[str, int]


class MappingErrors(Schema):
    errors: list[str]


def import_out(job: ImportJob) -> dict:
    info = job.read_info or {}
    estimate = int(job.rows_estimate or info.get("rows_read") or 0)
    running = job.status in (ImportJob.Status.RUNNING, ImportJob.Status.QUEUED)
    percent = None
    if job.status == ImportJob.Status.FINISHED:
        percent = 100
    elif running and estimate:
        percent = min(99, int(100 * job.rows_done / estimate))
    return {
        "id": job.pk, "kind": job.kind, "status": job.status, "original_name": job.original_name,
        "file_size": job.file_size, "created_at": job.created_at, "started_at": job.started_at,
        "finished_at": job.finished_at, "cancel_requested": job.cancel_requested, "error": job.error,
        "detection": {key: info[key] for key in DETECTION_KEYS if key in info},
        # What the upload read of each column: the header, how filled, a few (masked) samples, the type.
        "columns": [{"header": header, **column} for header, column in zip(info.get("headers", []), info.get("columns", []))],
        "mapping": job.mapping or {},
        "saved_mapping": saved_mappings.applied(job) or None,
        "check": {"state": job.dry_run_state or "none", "rows_done": job.dry_run_rows_done, "error": job.dry_run_error,
                  "counts": job.dry_run_counts or {}},
        "progress": {"rows_done": job.rows_done, "rows_estimate": estimate, "percent": percent},
        "counts": {name: int(value) for name, value in (job.counts or {}).items() if isinstance(value, int)},
    }


def _job(request, pk: int) -> ImportJob:
    """The firm's job: the right to import first (403), then another firm's id is a 404."""
    require(request.actor, IMPORT_RIGHT)
    return get_object_or_404(ImportJob.objects.filter(firm=request.actor.firm).select_related("firm"), pk=pk)


def _created(request, job: ImportJob):
    refusal = jobs.job_refusal(job)
    if refusal:
        raise ApiError(422, "import_refused", refusal)
    return Status(201, import_out(job))


def _too_large() -> ApiError:
    return ApiError(413, "file_too_large",
                    f"This file is larger than the {jobs._limit_text(settings.IMPORT_MAX_UPLOAD_BYTES)} limit.",
                    details={"max_bytes": settings.IMPORT_MAX_UPLOAD_BYTES})


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadAuth(TokenAuth):
    """The token check, then the size limit in place before a byte of the body is read: a
    declared length over the limit is refused at once, a body that lies stops at the limit."""

    def authenticate(self, request, token):
        found = super().authenticate(request, token)
        if _declared_length(request) > settings.IMPORT_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
            raise _too_large()
        request.upload_limit = SizeLimitUploadHandler(request, settings.IMPORT_MAX_UPLOAD_BYTES)
        request.upload_handlers.insert(0, request.upload_limit)
        return found


@router.post("/imports", auth=UploadAuth("import", IMPORT_RIGHT), response=responses({201: ImportOut}, 413),
             summary="Upload a file (multipart)")
def import_upload(request, file: UploadedFile = FileParam(...), kind: Kind = Form("accounts-and-contacts")):
    """Stores the file, detects how to read it and suggests a mapping (the firm's saved mapping
    for the same columns wins, as in the wizard). A large workbook is read in the background:
    the job is then `validating`; poll it until it is `draft`."""
    if request.upload_limit.exceeded:
        raise _too_large()
    job = jobs.job_create(actor=request.actor, file=file, original_name=file.name or "upload", kind=kind,
                          detect_in_background=True)
    return _created(request, job)


RAW_BODY = {"requestBody": {"required": True, "content": {
    # Any bytes: whether they are a table is the import's to say (422 import_refused).
    "text/csv": {"schema": {}},
    "application/octet-stream": {"schema": {}},
}}}


@router.post("/imports/raw", response=responses({201: ImportOut}, 413), openapi_extra=RAW_BODY,
             summary="Upload a file as the request body")
def import_upload_raw(request, name: str = Query("upload.csv", min_length=1, max_length=255),
                      kind: Kind = Query("accounts-and-contacts")):
    """The file itself as the body (no multipart), named by `?name=` (its extension tells CSV
    from XLSX). The body is streamed to a temporary file and refused past the size limit."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if _declared_length(request) > limit:
        raise _too_large()
    with tempfile.TemporaryFile() as spool:
        received = 0
        while chunk := request.read(64 * 1024):
            received += len(chunk)
            if received > limit:
                raise _too_large()
            spool.write(chunk)
        if not received:
            raise ApiError(422, "empty_body", "The request body is empty: send the file's bytes.")
        spool.seek(0)
        job = jobs.job_create(actor=request.actor, file=File(spool, name=name), original_name=name, kind=kind,
                              detect_in_background=True)
    return _created(request, job)


@router.get("/imports", response=responses({200: ImportPage}), summary="The firm's imports, newest first")
def import_list(request, cursor: str | None = None, limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)):
    require(request.actor, IMPORT_RIGHT)
    rows, next_cursor = paginate(ImportJob.objects.filter(firm=request.actor.firm), cursor=cursor, limit=limit)
    return {"items": [import_out(job) for job in rows], "next_cursor": next_cursor}


@router.get("/imports/{import_id}", response=responses({200: ImportOut}),
            summary="An import: detection, mapping, check, status and progress")
def import_detail(request, import_id: int):
    job = _job(request, import_id)
    refusal = jobs.job_refusal(job)
    if refusal:
        raise ApiError(422, "import_refused", refusal)
    return import_out(job)


@router.get("/imports/{import_id}/mapping", response=responses({200: dict[str, Any]}),
            summary="The import's mapping (the CLI's --mapping JSON)")
def mapping_get(request, import_id: int):
    return _job(request, import_id).mapping or {}


@router.put("/imports/{import_id}/mapping", response=responses({200: ImportOut}, 409),
            summary="Replace the import's mapping")
def mapping_put(request, import_id: int, mapping: dict[str, Any] = Body(...)):
    """The body is a mapping document (docs/mapping-example.json; `clientport import --mapping`).
    Reading choices that differ from the stored ones read the file again first."""
    job = _job(request, import_id)
    _require_unstarted(job)
    try:
        new = Mapping.from_dict(mapping)
    except (ValueError, TypeError) as exc:
        raise ApiError(422, "invalid_mapping", str(exc)) from exc
    if new.to_dict().get("read") != (job.mapping or {}).get("read"):
        jobs.job_reread(job, new, actor=request.actor)
    errors = jobs.job_set_mapping(job, new, actor=request.actor)
    if errors:
        raise ApiError(422, "mapping_rejected", "The mapping does not fit this file.", details=errors)
    job.refresh_from_db()
    return import_out(job)


def _require_unstarted(job: ImportJob) -> None:
    if job.status == ImportJob.Status.VALIDATING:
        raise ApiError(409, "not_ready", "The file is still being read; poll the import until it is a draft.")
    if job.status not in (ImportJob.Status.DRAFT, ImportJob.Status.READY):
        raise ApiError(409, "already_started", f"Import #{job.pk} has already started ({job.status}).")


@router.post("/imports/{import_id}/check", response=responses({202: ImportOut}, 409),
             summary="Run the full check (a dry run of every row)")
def import_check(request, import_id: int):
    """The review step's check: the real pipeline without writes. A small file is checked in
    the request; a larger one in the background: poll the import's `check.state` until `done`."""
    job = _job(request, import_id)
    _require_unstarted(job)
    job = jobs.job_check(job, actor=request.actor)
    return Status(202, import_out(job))


@router.post("/imports/{import_id}/start", response=responses({202: ImportOut}, 409),
             summary="Start the import")
def import_start(request, import_id: int):
    """Queues the import for the worker; poll the import's `status` and `progress`."""
    job = _job(request, import_id)
    _require_unstarted(job)
    if not jobs.job_start(job, actor=request.actor):
        raise ApiError(409, "already_started", f"Import #{job.pk} has already started.")
    job.refresh_from_db()
    return Status(202, import_out(job))


@router.post("/imports/{import_id}/cancel", response=responses({202: ImportOut}, 409),
             summary="Cancel a queued or running import")
def import_cancel(request, import_id: int):
    """A running import stops after its current batch; what it wrote is kept."""
    job = _job(request, import_id)
    if not jobs.job_cancel(job, actor=request.actor):
        raise ApiError(409, "not_running", f"Import #{job.pk} is not queued or running ({job.status}).")
    return Status(202, import_out(job))


def _ended(job: ImportJob) -> None:
    if job.status not in (ImportJob.Status.FINISHED, ImportJob.Status.CANCELLED):
        raise ApiError(409, "not_finished", f"Import #{job.pk} has no results yet ({job.status}).",
                       details={"status": job.status, "error": job.error})


@router.get("/imports/{import_id}/results", response=responses({200: Results}, 409),
            summary="The results (the CLI's --json keys)")
def import_results(request, import_id: int):
    job = _job(request, import_id)
    _ended(job)
    return job_result(job)  # the CLI's --json and the webhooks' payload: one function


ZIP_RESPONSE = {"responses": {200: {"description": "The skipped rows as a zipped CSV",
                                    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/imports/{import_id}/skipped-rows.zip", response=responses({200: None}, 409),
            openapi_extra=ZIP_RESPONSE, summary="The skipped rows as a zipped CSV")
def import_skipped_rows(request, import_id: int):
    job = _job(request, import_id)
    _ended(job)
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
    skipped_rows_zip(job, out)
    out.seek(0)
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    return FileResponse(out, as_attachment=True, filename=f"{stem}-skipped-rows.zip", content_type="application/zip")


# --- Undo (imports/undo.py: the same undo as the results page and `clientport undo`) ----------


class UndoOut(Schema):
    job: int
    status: str  # "not_requested", then queued / running / done / failed / cancelled
    can_undo: bool
    refusal: str  # why it cannot be undone now; "" when it can
    percent: int
    counts: dict[str, int]  # what is (or will be) removed and restored
    conflict_count: int
    conflicts: list[dict]  # the first 100 records kept as they are now, by name and reason
    finished_at: str | None


def undo_out(job: ImportJob) -> dict:
    undo = ImportUndo.objects.filter(pk=job.pk).first()
    refusal = undoing.undo_refusal(job)
    if undo is not None and undo.planned:
        counts, conflicts = undo.counts, undo.conflicts
    elif refusal:
        counts, conflicts = {}, []
    else:
        plan = undoing.plan_undo(job)
        counts, conflicts = plan.counts, plan.conflicts
    return {
        "job": job.pk, "status": undo.status if undo else "not_requested", "can_undo": not refusal,
        "refusal": refusal, "percent": undo.progress_percent if undo else 0,
        "counts": {name: int(value) for name, value in counts.items()}, "conflict_count": len(conflicts),
        "conflicts": conflicts[:100],
        "finished_at": undo.finished_at.isoformat() if undo and undo.finished_at else None,
    }


@router.get("/imports/{import_id}/undo", response=responses({200: UndoOut}),
            summary="What undoing the import would do, or the undo's progress and results")
def import_undo_status(request, import_id: int):
    """Before an undo: the counts and the conflicts the confirmation page shows. After asking:
    the undo's status and progress (poll it), and at the end what it did."""
    return undo_out(_job(request, import_id))


@router.post("/imports/{import_id}/undo", response=responses({202: UndoOut}, 409),
             summary="Undo the import (in the background)")
def import_undo(request, import_id: int):
    """Removes what the import created and restores what it changed, keeping records edited
    since (the conflicts). Runs in the worker; poll GET .../undo. 409 `undo_refused` with the
    reason when it cannot (running, undone already, never started)."""
    job = _job(request, import_id)
    if not undoing.undo_request(job, actor=request.actor):
        raise ApiError(409, "undo_refused", undoing.undo_refusal(job) or f"Import #{job.pk} cannot be undone now.")
    return Status(202, undo_out(job))


@router.post("/imports/{import_id}/undo/cancel", response=responses({202: UndoOut}, 409),
             summary="Stop an undo after its current batch")
def import_undo_cancel(request, import_id: int):
    job = _job(request, import_id)
    if not undoing.undo_cancel(job, actor=request.actor):
        raise ApiError(409, "undo_not_running", f"The undo of import #{job.pk} is not queued or running.")
    return Status(202, undo_out(job))
