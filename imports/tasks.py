"""Background work. The task receives only the job id; the job row holds everything else."""

from django_tasks import task

from imports.jobs import job_check_run, job_detect_run, job_run
from imports.notifications import notify_import_finished, notify_undo_finished
from imports.undo import run_undo


@task()
def run_import_job(job_id: int) -> str:
    job = job_run(job_id)
    notify_import_finished(job)
    return job.status


@task()
def check_import_job(job_id: int) -> str:
    """The review step's full dry run of a large file, with progress on the job row."""
    job = job_check_run(job_id)
    return job.dry_run_state


@task()
def detect_import_job(job_id: int) -> str:
    """An uploaded workbook too large to parse in the upload request: read it, suggest the mapping."""
    job = job_detect_run(job_id)
    return job.status if job is not None else "gone"


@task()
def run_undo_job(job_id: int) -> str:
    """Undoes an import (imports/undo.py), going on after its checkpoint if it ran before."""
    undo = run_undo(job_id)
    notify_undo_finished(undo)
    return undo.status
