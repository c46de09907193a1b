"""Read paths of imports. Every lookup starts from the firm; another firm's import is a 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from crm.models import Firm
from imports.models import ImportJob, SavedMapping


def _firm_jobs(firm: Firm):
    return ImportJob.objects.filter(firm=firm).select_related("firm", "created_by", "started_by", "cancelled_by",
                                                             "undo", "undo__requested_by")


def access_job(firm: Firm, pk) -> ImportJob:
    """The import `pk` of the firm; any other firm's import is a 404."""
    return get_object_or_404(_firm_jobs(firm), pk=pk)


def job_history(*, firm: Firm):
    """The firm's imports, newest first, with who uploaded, started and cancelled each."""
    return _firm_jobs(firm)


def access_saved_mapping(firm: Firm, pk) -> SavedMapping:
    """The saved mapping `pk` of the firm; any other firm's is a 404."""
    return get_object_or_404(SavedMapping.objects.filter(firm=firm).select_related("firm"), pk=pk)
