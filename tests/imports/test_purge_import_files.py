"""`clientport purge_import_files`: uploaded client lists (they hold SSNs) do not outlive the
firm's retention period; what the import did stays."""

import datetime
import os

from django.core.management import call_command
from django.utils import timezone

from crm.permissions import SYSTEM
from imports import jobs
from imports.models import ImportIssue, ImportJob
from tests.imports.conftest import import_rows, upload

ROWS = [["Name", "Email", "SSN"], ["Ann Lee", "ann@example.com", "123-45-6789"], ["", "", "987-65-4321"]]


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def finished_job(firm, owner, *, finished_days_ago: int) -> ImportJob:
    job, _ = import_rows(firm, owner, ROWS)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=days_ago(finished_days_ago))
    job.refresh_from_db()
    return job


def test_a_finished_import_loses_its_file_and_skipped_cells_after_the_retention_period(firm, owner):
    old = finished_job(firm, owner, finished_days_ago=31)
    recent = finished_job(firm, owner, finished_days_ago=29)
    old_path, recent_path = old.file.path, recent.file.path

    call_command("purge_import_files")

    old.refresh_from_db()
    assert old.file_deleted_at is not None and not old.file
    assert not os.path.exists(old_path)
    skipped = ImportIssue.objects.get(job=old, severity=ImportIssue.Severity.SKIP)
    assert skipped.cells is None and skipped.code == "missing_account_name"  # the reason stays
    assert old.counts["rows_skipped"] == 1 and old.status == "finished"
    recent.refresh_from_db()
    assert recent.file and os.path.exists(recent_path) and recent.file_deleted_at is None


def test_drafts_and_dry_runs_are_deleted_with_their_file_after_the_retention_period(firm, owner):
    draft = upload(firm, owner, ROWS)
    dry_run = upload(firm, owner, ROWS)
    jobs.job_dry_run(dry_run, cleaning_processes=0)
    unread = upload(firm, owner, ROWS)  # as a workbook the worker could not read leaves it
    unread.file.delete(save=False)
    ImportJob.objects.filter(pk=unread.pk).update(status="failed", error="Damaged.", file="")
    fresh = upload(firm, owner, ROWS)
    ImportJob.objects.filter(pk__in=[draft.pk, dry_run.pk, unread.pk]).update(created_at=days_ago(40))
    paths = [draft.file.path, dry_run.file.path]

    call_command("purge_import_files")

    assert list(ImportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not any(os.path.exists(p) for p in paths)


def test_the_firms_own_retention_period_applies_and_running_imports_are_left_alone(firm, owner, other_firm,
                                                                                   other_owner):
    firm.import_file_retention_days = 7
    firm.save()
    short = finished_job(firm, owner, finished_days_ago=8)
    kept = finished_job(other_firm, other_owner, finished_days_ago=8)  # the default 30 days
    running = upload(firm, owner, ROWS)
    ImportJob.objects.filter(pk=running.pk).update(status="running", created_at=days_ago(100))

    assert jobs.jobs_purge_files(actor=SYSTEM) == (1, 0)
    assert jobs.jobs_purge_files(actor=SYSTEM) == (0, 0)  # twice is harmless

    short.refresh_from_db(), kept.refresh_from_db(), running.refresh_from_db()
    assert short.file_deleted_at and not kept.file_deleted_at and running.file


def test_the_pages_of_an_import_whose_file_was_deleted_still_work(owner_client, firm, owner):
    from django.urls import reverse

    job = finished_job(firm, owner, finished_days_ago=31)
    call_command("purge_import_files")
    page = owner_client.get(reverse("imports:job", args=[job.pk]))
    assert page.status_code == 200
    assert "The uploaded file was deleted" in page.content.decode()
    download = owner_client.get(reverse("imports:skipped_rows", args=[job.pk]))
    assert download.status_code == 200
