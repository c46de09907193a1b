"""The email an importer gets when their import has ended: finished, cancelled or failed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportJob
from imports.report import counter_rows

logger = logging.getLogger(__name__)

ENDED = (ImportJob.Status.FINISHED, ImportJob.Status.CANCELLED, ImportJob.Status.FAILED)
SUBJECTS = {
    ImportJob.Status.FINISHED: "Your import of {name} is done",
    ImportJob.Status.CANCELLED: "Your import of {name} was cancelled",
    ImportJob.Status.FAILED: "Your import of {name} stopped",
}


def results_url(job: ImportJob) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("imports:job", args=[job.pk])


def notify_import_finished(job: ImportJob) -> bool:
    """Emails the importer the counts and a link to the results page, once per import (a
    retried task finds the email already sent). Returns whether an email went out."""
    if job.status not in ENDED:
        return False
    claimed = ImportJob.objects.filter(pk=job.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return False
    job = ImportJob.objects.select_related("firm", "created_by").get(pk=job.pk)
    context = {"job": job, "counters": counter_rows(job.counts, job.kind), "url": results_url(job)}
    body = render_to_string("imports/emails/finished.txt", context)
    subject = SUBJECTS[job.status].format(name=job.original_name)
    try:
        send_mail(subject, body, None, [job.created_by.email])
    except Exception:
        # The import itself is done and its page shows everything; a mail outage must not
        # turn it into a failed task.
        logger.exception("Could not send the finish email of import #%s", job.pk)
        return False
    return True
