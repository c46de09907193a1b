"""Discarding a draft: an import never started is deleted with its stored file, after a
confirmation page that says what goes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from crm.permissions import import_permission_required
from imports import jobs
from imports.views.common import access_job, is_editable


@import_permission_required
def discard(request, pk):
    """GET: the confirmation page; POST: the draft and its file are deleted."""
    job = access_job(request, pk)  # another firm's job: 404
    if not is_editable(job):
        messages.info(request, "This import has started, so it is part of the history and cannot be discarded.")
        return redirect("imports:job", pk=job.pk)
    if request.method == "POST":
        name, number = job.original_name, job.pk
        try:
            jobs.job_discard(job, actor=request.membership)
        except ValueError:  # started in another tab meanwhile
            messages.info(request, "This import has started meanwhile, so it was not discarded.")
            return redirect("imports:job", pk=number)
        messages.success(request, f"The draft import #{number} of “{name}” was discarded: its uploaded file is "
                                  "deleted and nothing was imported.")
        return redirect("imports:history")
    return render(request, "imports/discard.html", {"job": job})
