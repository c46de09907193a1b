"""The emails of an import's end (finished, cancelled or failed) and of its undo's end."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportJob, ImportUndo
from imports.report import counter_rows
from imports.undo import undo_counter_rows

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


UNDO_SUBJECTS = {
    ImportUndo.Status.DONE: "Your import of {name} was undone",
    ImportUndo.Status.CANCELLED: "The undo of your import of {name} was cancelled",
    ImportUndo.Status.FAILED: "The undo of your import of {name} stopped",
}


def undo_url(job: ImportJob) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("imports:undo", args=[job.pk])


def notify_undo_finished(undo: ImportUndo) -> bool:
    """Emails the person who asked for the undo what it removed, restored and kept, once per
    run (a retried task finds the email already sent). Returns whether an email went out."""
    if undo.status not in UNDO_SUBJECTS:
        return False
    if not ImportUndo.objects.filter(pk=undo.pk, notified_at__isnull=True).update(notified_at=timezone.now()):
        return False
    undo = ImportUndo.objects.select_related("job__firm", "job__created_by", "requested_by").get(pk=undo.pk)
    job = undo.job
    recipient = undo.requested_by or job.created_by
    context = {"undo": undo, "job": job, "person": recipient, "counters": undo_counter_rows(undo.counts),
               "conflicts": undo.conflicts[:20], "more_conflicts": max(0, len(undo.conflicts) - 20),
               "url": undo_url(job)}
    body = render_to_string("imports/emails/undone.txt", context)
    try:
        send_mail(UNDO_SUBJECTS[undo.status].format(name=job.original_name), body, None, [recipient.email])
    except Exception:
        logger.exception("Could not send the undo email of import #%s", job.pk)
        return False
    return True
