"""Undo an import: the confirmation (what will be removed, restored and kept), then the undo's
progress while the worker runs it, then its results. The work is imports/undo.py's."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRefresh

from crm.permissions import import_permission_required
from imports import undo as undoing
from imports.models import ImportUndo
from imports.views.common import access_job

CONFLICTS_PAGE_SIZE = 50


@import_permission_required
def undo_page(request, pk):
    """GET: the confirmation, or the undo's progress or results once asked for. POST: undo."""
    job = access_job(request, pk)  # another firm's job: 404 whatever the method
    if request.method == "POST":
        return _start(request, job)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    undo = ImportUndo.objects.filter(pk=job.pk).select_related("requested_by").first()
    refusal = undoing.undo_refusal(job)
    if undo is not None and undo.planned:
        counts, conflicts = undo.counts, undo.conflicts
    elif refusal:
        counts, conflicts = {}, []
    else:
        plan = undoing.plan_undo(job)
        counts, conflicts = plan.counts, plan.conflicts
    page = Paginator(conflicts, CONFLICTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/undo.html", {
        "job": job, "undo": undo, "refusal": refusal, "counters": undoing.undo_counter_rows(counts),
        "page": page, "conflicts": page.object_list, "conflict_count": len(conflicts),
    })


def _start(request, job):
    if undoing.undo_request(job, actor=request.membership):
        messages.info(request, "The undo has started. It runs in the background: you can leave this page, and you will "
                               "get an email when it is done.")
    else:
        messages.info(request, undoing.undo_refusal(job) or "This import cannot be undone now.")
    return redirect("imports:undo", pk=job.pk)


@import_permission_required
def undo_progress(request, pk):
    """The progress fragment the undo's page polls; once the undo has ended, a reload."""
    job = access_job(request, pk)
    undo = ImportUndo.objects.filter(pk=job.pk).first()
    if undo is None or not undo.is_active:
        return HttpResponseClientRefresh()
    return render(request, "imports/includes/undo_progress.html", {"job": job, "undo": undo})


@import_permission_required
def undo_cancel(request, pk):
    job = access_job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if undoing.undo_cancel(job, actor=request.membership):
        messages.info(request, "Cancelling: the undo stops after the batch it is working on. What was undone up to "
                               "then stays undone; undoing again goes on from there.")
    return redirect("imports:undo", pk=job.pk)
