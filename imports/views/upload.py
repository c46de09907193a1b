"""The wizard's entry and step 1: choose the kind, upload the file, check how it is read."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django_htmx.http import HttpResponseClientRefresh

from crm.permissions import import_permission_required
from imports import jobs, selectors
from imports.forms import KIND_HELP, ReadChoicesForm, UploadForm, max_upload_text
from imports.models import ImportJob
from imports.reading import UnreadableFile
from imports.review import file_preview
from imports.views.common import (
    UPLOAD,
    access_job,
    go_on,
    is_editable,
    job_mapping,
    started_redirect,
    step_context,
    steps_of,
)

# Room for the multipart envelope around the file (boundaries, headers, the CSRF token).
MULTIPART_OVERHEAD = 64 * 1024


@import_permission_required
def start(request):
    """Which kind of import: each with a line saying when to use it."""
    kinds = [{"value": value, "label": label, "help": KIND_HELP[value]} for value, label in ImportJob.Kind.choices]
    recent = selectors.job_history(firm=request.membership.firm)[:3]
    return render(request, "imports/start.html", {"kinds": kinds, "recent": recent, "max_upload": max_upload_text()})


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it passes the limit, before the rest reaches the disk.

    It runs first, so an oversized chunk is never handed to Django's memory or temporary-file
    handlers; `exceeded` tells the view why the file is missing."""

    def __init__(self, request=None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _too_large_message() -> str:
    return (f"This file is larger than the {max_upload_text()} limit. Split it into smaller files "
            f"(for example by the first letter of the client name) and import them one after the other.")


@import_permission_required
@csrf_exempt  # the upload handler must be in place before the CSRF check reads the body...
def upload(request, kind):
    if kind not in ImportJob.Kind.values:
        raise Http404("Unknown import kind.")
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit + MULTIPART_OVERHEAD:
            # Refused from the declared size alone: not a byte of the body is read or stored.
            return _upload_page(request, kind, UploadForm(), error=_too_large_message(), status=413)
        handler = SizeLimitUploadHandler(request, limit)
        request.upload_handlers.insert(0, handler)
        return _upload_checked(request, kind, handler)
    return _upload_checked(request, kind, None)


@csrf_protect  # ...so the CSRF check happens here, with the limit in place.
def _upload_checked(request, kind, handler):
    if request.method != "POST":
        return _upload_page(request, kind, UploadForm())
    form = UploadForm(request.POST, request.FILES)  # reads the body through the size-limit handler
    if handler is not None and handler.exceeded:
        return _upload_page(request, kind, UploadForm(), error=_too_large_message(), status=413)
    if not form.is_valid():
        return _upload_page(request, kind, form)
    upload_file = form.cleaned_data["file"]
    try:
        job = jobs.job_create(
            actor=request.membership, file=upload_file, original_name=upload_file.name,
            kind=kind, detect_in_background=True,
        )
    except jobs.ImportRefused as exc:
        return _upload_page(request, kind, UploadForm(), error=str(exc), refused_name=upload_file.name)
    return redirect("imports:file", pk=job.pk)


def _upload_page(request, kind, form, *, error: str = "", refused_name: str = "", status: int = 200):
    context = {
        "kind": kind,
        "kind_label": ImportJob.Kind(kind).label,
        "kind_help": KIND_HELP[kind],
        "form": form,
        "error": error,
        "refused_name": refused_name,
        "max_upload": max_upload_text(),
        "max_upload_bytes": settings.IMPORT_MAX_UPLOAD_BYTES,
        "steps": [{"number": i + 1, "title": step.title, "current": i == 0} for i, step in enumerate(steps_of(kind))],
    }
    return render(request, "imports/upload.html", context, status=status)


@import_permission_required
def file(request, pk):
    """Step 1 after the upload: what was detected, a preview, and the reading choices."""
    job = access_job(request, pk)
    if job.status == ImportJob.Status.VALIDATING:
        # A large workbook the worker is reading: this page polls until it is done.
        if request.htmx:
            return HttpResponse(status=204)
        return render(request, "imports/file_reading.html", {**step_context(job, UPLOAD.key)})
    if request.htmx and request.method == "GET":
        return HttpResponseClientRefresh()  # the poll of the page above: read, so show it
    refusal = jobs.job_refusal(job)
    if refusal:
        return _upload_page(request, job.kind, UploadForm(), error=refusal, refused_name=job.original_name)
    if not is_editable(job):
        return started_redirect(request, job)
    error = ""
    if request.method == "POST" and request.POST.get("action") == "reread":
        form = ReadChoicesForm(request.POST, job=job)
        if form.is_valid():
            mapping = form.apply(job_mapping(job))
            try:
                if jobs.job_reread(job, mapping, actor=request.membership):
                    messages.info(request, "The file was read again with your choices. Its columns changed, so "
                                           "they were mapped afresh.")
                else:
                    messages.success(request, "The file was read again with your choices; your mapping is kept.")
                return redirect("imports:file", pk=job.pk)
            except jobs.ImportRefused as exc:
                job.refresh_from_db()
                error = (f"{exc} The previous choices are kept: choose another encoding, delimiter, header row "
                         f"or sheet.")
    elif request.method == "POST":
        return go_on(request, job, UPLOAD.key)
    else:
        form = ReadChoicesForm(job=job)
    try:
        preview = file_preview(job)
    except UnreadableFile as exc:
        preview = None
        error = error or f"{exc} Upload the file again, or choose other reading options."
    context = {
        **step_context(job, UPLOAD.key),
        "form": form,
        "preview": preview,
        "info": job.read_info,
        "error": error,
    }
    return render(request, "imports/file.html", context)
