"""What every wizard page shares: the firm-scoped job lookup and the steps of each kind."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from imports import selectors
from imports.mapping import Mapping
from imports.models import ImportJob


def access_job(request, pk) -> ImportJob:
    """The job `pk` of the current firm; any other firm's job is a 404."""
    return selectors.access_job(request.membership.firm, pk)


def is_editable(job: ImportJob) -> bool:
    return job.status in (ImportJob.Status.DRAFT, ImportJob.Status.READY)


def started_redirect(request, job: ImportJob):
    """A wizard step of an import that has started: its page says what happens now. (A file
    still being read in the background has no steps yet: its step 1 waits for it.)"""
    if job.status == ImportJob.Status.VALIDATING:
        return redirect("imports:file", pk=job.pk)
    messages.info(request, "This import has already started, so its choices can no longer change.")
    return redirect("imports:job", pk=job.pk)


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url_name: str


UPLOAD = Step("file", "Upload", "imports:file")
# ("step_..." so the main menu does not take them for its Accounts and Contacts pages.)
ACCOUNTS = Step("accounts", "Accounts", "imports:step_accounts")
SETTINGS = Step("settings", "Settings", "imports:step_settings")
CONTACTS = Step("contacts", "Contacts", "imports:step_contacts")
REVIEW = Step("review", "Review", "imports:review")

ALL_STEPS = (UPLOAD, ACCOUNTS, SETTINGS, CONTACTS, REVIEW)
STEPS = {
    ImportJob.Kind.ACCOUNTS_AND_CONTACTS: (UPLOAD, ACCOUNTS, SETTINGS, CONTACTS, REVIEW),
    ImportJob.Kind.ACCOUNTS: (UPLOAD, ACCOUNTS, SETTINGS, REVIEW),
    ImportJob.Kind.CONTACTS: (UPLOAD, SETTINGS, CONTACTS, REVIEW),
}


def steps_of(kind: str) -> tuple[Step, ...]:
    return STEPS[kind]


def step_url(job: ImportJob, step: Step) -> str:
    return reverse(step.url_name, args=[job.pk])


def neighbour(job: ImportJob, key: str, offset: int) -> Step | None:
    steps = steps_of(job.kind)
    index = [s.key for s in steps].index(key) + offset
    return steps[index] if 0 <= index < len(steps) else None


def step_context(job: ImportJob, key: str) -> dict:
    """The step indicator and the Back / Continue targets of step `key`."""
    steps = steps_of(job.kind)
    keys = [s.key for s in steps]
    current = keys.index(key)
    indicator = [
        {"number": i + 1, "key": s.key, "title": s.title, "url": step_url(job, s), "current": i == current,
         "done": i < current}
        for i, s in enumerate(steps)
    ]
    previous, following = neighbour(job, key, -1), neighbour(job, key, +1)
    return {
        "job": job,
        "steps": indicator,
        "step_number": current + 1,
        "step_title": steps[current].title,
        "previous_url": step_url(job, previous) if previous else "",
        "next_url": step_url(job, following) if following else "",
        "next_title": following.title if following else "",
    }


def go_on(request, job: ImportJob, key: str):
    """After a step's form was saved: the step chosen in the step indicator (`goto`, posted
    by its links so they keep unsaved changes as Back and Continue do), or Back or Continue,
    as the pressed button says."""
    chosen = next((s for s in steps_of(job.kind) if s.key == request.POST.get("goto")), None)
    if chosen is not None:
        return redirect(step_url(job, chosen))
    back = request.POST.get("nav") == "back"
    target = neighbour(job, key, -1 if back else +1)
    if target is None:
        return redirect("imports:start") if back else redirect(step_url(job, REVIEW))
    return redirect(step_url(job, target))


def job_mapping(job: ImportJob) -> Mapping:
    return Mapping.from_dict(job.mapping)
