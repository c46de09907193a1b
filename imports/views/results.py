"""After Start: the import's page (progress, then results), cancel, resume, the skipped rows,
history."""

from __future__ import annotations

import re
import tempfile
from pathlib import PurePath

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRefresh

from crm.permissions import import_permission_required
from imports import jobs, selectors
from imports.models import ImportIssue, ImportJob
from imports.report import skipped_rows_zip
from imports.report import counter_rows
from imports.views.common import access_job, is_editable

EXAMPLES_PER_CODE = 5
MAX_CODES = 40
HISTORY_PAGE_SIZE = 25


def issue_groups(job: ImportJob, severity: str) -> list[dict]:
    """The job's skipped rows or warnings grouped by code, most frequent first, each with a few
    examples (row, column, value, message): bounded whatever the size of the import."""
    issues = job.issues.filter(severity=severity)
    groups = list(issues.values("code").annotate(count=Count("id")).order_by("-count", "code")[:MAX_CODES])
    for group in groups:
        group["examples"] = list(issues.filter(code=group["code"]).order_by("row_number", "pk")[:EXAMPLES_PER_CODE])
    return groups


@import_permission_required
def job_page(request, pk):
    """The import's page: a live progress bar while it runs, then its results."""
    job = access_job(request, pk)
    if job.status == ImportJob.Status.VALIDATING:
        return redirect("imports:file", pk=job.pk)  # still being read: step 1 waits for it
    context = {"job": job, "counters": counter_rows(job.counts, job.kind)}
    if not is_editable(job) and not job.is_active:
        context["warning_groups"] = issue_groups(job, ImportIssue.Severity.WARNING)
        context["skip_groups"] = issue_groups(job, ImportIssue.Severity.SKIP)
        context["has_skipped"] = bool(context["skip_groups"])
        context["resumable"] = jobs.job_is_resumable(job)
    return render(request, "imports/job.html", context)


@import_permission_required
def job_progress(request, pk):
    """The progress fragment the import's page polls; once the import has ended, a reload."""
    job = access_job(request, pk)
    if not job.is_active:
        return HttpResponseClientRefresh()
    return render(request, "imports/includes/job_progress.html", {"job": job})


@import_permission_required
def cancel(request, pk):
    """GET: a page asking to confirm (what is kept, what stops); POST: the cancel."""
    job = access_job(request, pk)  # another firm's job: 404 whatever the method
    if request.method != "POST":
        if not job.is_active or job.cancel_requested:
            return redirect("imports:job", pk=job.pk)
        return render(request, "imports/cancel.html", {"job": job})
    if job.is_active:
        was_queued = job.status == ImportJob.Status.QUEUED
        jobs.job_cancel(job, actor=request.membership)
        if was_queued and job.rows_done:  # re-queued to resume after its worker stopped
            messages.info(request, "The import was cancelled while waiting to resume. Everything imported up to "
                                   "then is kept.")
        elif was_queued:
            messages.info(request, "The import was cancelled before it started: nothing was imported.")
        else:
            messages.info(request, "Cancelling: the import stops after the batch it is writing. Everything imported "
                                   "up to then is kept; the results show what was done.")
    return redirect("imports:job", pk=job.pk)


@import_permission_required
def resume(request, pk):
    """Goes on with an import that failed or was cancelled, after its last committed batch."""
    job = access_job(request, pk)  # another firm's job: 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rows_done = job.checkpoint.get("rows_done", 0)
    if jobs.job_resume(job, actor=request.membership):
        messages.info(request, f"The import goes on after row {rows_done:,} with the remaining rows: the rows "
                               "imported before are not imported again.")
    else:
        messages.info(request, "This import cannot be resumed: it is running, finished, or its file was deleted.")
    return redirect("imports:job", pk=job.pk)


def download_name(job: ImportJob) -> str:
    """A file name made of safe characters only: the user's file name is never trusted."""
    stem = PurePath(job.original_name.replace("\\", "/")).stem
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:60] or "import"
    return f"{safe}-skipped-rows.zip"


@import_permission_required
def skipped_rows(request, pk):
    """The skipped rows as a zipped CSV (original columns, row number, reason), streamed."""
    job = access_job(request, pk)
    if not job.issues.filter(severity=ImportIssue.Severity.SKIP).exists():
        messages.info(request, "This import skipped no rows, so there is nothing to download.")
        return redirect("imports:job", pk=job.pk)
    # Written to a temporary file (in memory while small), then streamed in chunks.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    skipped_rows_zip(job, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=download_name(job), content_type="application/zip")


@import_permission_required
def history(request):
    """Every import of the firm: who, when, file, kind, status and counts."""
    imports = selectors.job_history(firm=request.membership.firm)
    page = Paginator(imports, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/history.html", {"page": page, "imports": page.object_list})
