"""Remembered mappings in the web: the upload step's way back to the automatic mapping, and
*Settings > Import mappings* (list, rename, delete, download, upload). Who may: whoever may
import (docs/import-rules.md, "Remembered mappings")."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.text import slugify

from crm.permissions import import_permission_required
from imports import jobs, saved_mappings, selectors
from imports.forms import MappingNameForm, MappingUploadForm
from imports.views.common import access_job, is_editable, started_redirect


# Each view finds its record before it looks at the method: another firm's id is a 404 whatever
# the method.


@import_permission_required
def use_automatic_mapping(request, pk):
    """"Use the automatic mapping instead": the file mapped as if nothing had been saved."""
    job = access_job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not is_editable(job):
        return started_redirect(request, job)
    try:
        saved_mappings.use_automatic(job, actor=request.membership)
    except jobs.ImportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The columns are mapped automatically now; the saved mapping is not used.")
    return redirect("imports:file", pk=job.pk)


@import_permission_required
def mapping_list(request):
    form = MappingUploadForm()
    status = 200
    if request.method == "POST":
        form = MappingUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = saved_mappings.mapping_upload(
                    actor=request.membership, name=form.cleaned_data["name"],
                    content=form.cleaned_data["file"].read(),
                )
            except saved_mappings.MappingRefused as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, f"Saved the mapping “{saved.name}” for files with its "
                                          f"{len(saved.headers)} columns.")
                return redirect("imports:saved_mappings")
        status = 400
    context = {"section": "import_mappings", "mappings": saved_mappings.firm_mappings(request.membership.firm),
               "form": form}
    return render(request, "imports/settings/saved_mappings.html", context, status=status)


@import_permission_required
def mapping_rename(request, pk):
    saved = selectors.access_saved_mapping(request.membership.firm, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MappingNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["name"]))
        return redirect("imports:saved_mappings")
    try:
        saved_mappings.mapping_rename(saved, actor=request.membership, name=form.cleaned_data["name"])
    except saved_mappings.MappingRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Renamed to “{saved.name}”; the firm keeps it.")
    return redirect("imports:saved_mappings")


@import_permission_required
def mapping_delete(request, pk):
    saved = selectors.access_saved_mapping(request.membership.firm, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    name = saved.display_name
    saved_mappings.mapping_delete(saved, actor=request.membership)
    messages.success(request, f"Deleted “{name}”.")
    return redirect("imports:saved_mappings")


@import_permission_required
def mapping_download(request, pk):
    """The `--mapping` JSON file the CLI reads."""
    saved = selectors.access_saved_mapping(request.membership.firm, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    response = HttpResponse(saved_mappings.mapping_json(saved), content_type="application/json; charset=utf-8")
    filename = f"{slugify(saved.display_name) or 'mapping'}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
