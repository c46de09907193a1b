"""A cancelled import: what it counts (the rows it reached) and what it says about the file
(how many rows it has), in the engine, on the results page, in the email and from the CLI."""

import importlib
import io
import json
import re

import pytest
from django.core.management import call_command

from crm.models import Account
from imports import jobs, pipeline, tasks
from imports.models import ImportJob
from tests.actors import uploader
from tests.imports.conftest import csv_text, make_mapping, upload
from tests.imports.test_pipeline import COLUMNS, generated_rows
from tests.imports.test_wizard import url

pytestmark = pytest.mark.django_db
ProgressBar = importlib.import_module("imports.management.commands.import").ProgressBar


def report(count: int) -> str:
    """`count` client rows with a blank line among them and a totals footer: neither is a row."""
    lines = csv_text(generated_rows(count)).splitlines(keepends=True)
    return "".join(lines[:6]) + "\n" + "".join(lines[6:]) + f'\n"Grand Totals ({count} records)",,,,,,,\n'


def counters_add_up(counts: dict) -> bool:
    return counts["rows_total"] == counts["rows_imported"] + counts["rows_skipped"]


@pytest.mark.parametrize("processes", [0, 1])
def test_a_cancelled_run_counts_the_rows_it_reached_and_knows_the_rows_of_the_file(firm, owner, processes):
    # Cleaning reads batches ahead of the writer (two without workers, more with one): the rows
    # read ahead and the rows never read are both in the file's count, and in no counter.
    job = upload(firm, owner, report(100), mapping=make_mapping(COLUMNS))
    result = pipeline.run_pipeline(job, dry_run=False, batch_size=10, should_stop=lambda: True,
                                   cleaning_processes=processes)
    assert result.cancelled
    assert result.counters.rows_total == 10 and counters_add_up(result.counters.as_dict())
    assert result.rows_in_file == 100


def test_a_run_to_the_end_has_as_many_rows_in_the_file_as_it_counted(firm, owner):
    job = upload(firm, owner, report(30), mapping=make_mapping(COLUMNS))
    result = pipeline.run_pipeline(job, dry_run=False, batch_size=10, should_stop=lambda: False)
    assert not result.cancelled and result.counters.rows_total == result.rows_in_file == 30


def test_a_resumed_run_cancelled_again_counts_the_rows_before_its_checkpoint(firm, owner):
    job = upload(firm, owner, report(50), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    ImportJob.objects.filter(pk=job.pk).update(status="running")

    class WorkerKilled(Exception):
        pass

    def die(rows_done):
        raise WorkerKilled

    with pytest.raises(WorkerKilled):
        pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=10, progress=die)
    result = pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=10,
                                   should_stop=lambda: True)
    assert result.counters.rows_total == 20 and counters_add_up(result.counters.as_dict())
    assert result.rows_in_file == 50


@pytest.fixture
def cancelled(firm, owner, owner_client, monkeypatch):
    """2,500 rows, run by the worker task; the importer presses Cancel once the first batch
    (1,000 rows) is written."""
    job = upload(firm, owner, report(2500), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    real_run = tasks.job_run

    def run_and_press_cancel(job_id):
        return real_run(job_id, progress=lambda rows_done: owner_client.post(url("cancel", job)))

    monkeypatch.setattr(tasks, "job_run", run_and_press_cancel)
    tasks.run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    return job


def test_the_results_page_says_cancelled_after_n_of_m_rows(owner_client, cancelled):
    assert cancelled.counts["rows_total"] == 1000 and counters_add_up(cancelled.counts)
    assert cancelled.counts["rows_in_file"] == cancelled.rows_in_file == 2500
    html = owner_client.get(url("job", cancelled)).content.decode()
    assert "Cancelled after 1,000 of 2,500 rows." in html
    assert "1,000 of 2,500 rows" in re.search(r'job-progress__numbers">(.*?)</p>', html, re.S).group(1)
    labels = dict(re.findall(r"<dt>([^<]+)</dt><dd data-count=\"(\w+)\"", html))
    assert labels["Rows in the file"] == "rows_in_file" and labels["Rows reached"] == "rows_total"
    shown = {name: int(n.replace(",", "")) for name, n in re.findall(r'data-count="(\w+)">([\d,]+)<', html)}
    assert shown["rows_in_file"] == 2500 and shown["rows_total"] == 1000
    assert shown["rows_imported"] + shown["rows_skipped"] == 1000


def test_the_email_of_a_cancelled_import_says_how_far_it_went(cancelled, mailoutbox):
    (mail,) = mailoutbox
    assert "was cancelled after 1,000 of 2,500 rows" in mail.body
    assert "Rows in the file: 2,500" in mail.body and "Rows reached: 1,000" in mail.body


def test_a_finished_import_shows_one_row_count(owner_client, firm, owner):
    job = upload(firm, owner, report(30), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert "rows_in_file" not in job.counts and job.rows_in_file == job.counts["rows_total"] == 30
    html = owner_client.get(url("job", job)).content.decode()
    assert "Rows reached" not in html and 'data-count="rows_in_file"' not in html
    assert "<dt>Rows in the file</dt><dd data-count=\"rows_total\">30<" in html


def test_cli_json_reports_the_rows_of_the_file_apart_from_the_rows_reached(firm, owner, tmp_path, monkeypatch):
    path = tmp_path / "clients.csv"
    path.write_text(report(2500), encoding="utf-8")

    def press_cancel(bar, rows_done):  # someone presses Cancel on the import's page
        ImportJob.objects.filter(firm=firm).update(cancel_requested=True)

    monkeypatch.setattr(ProgressBar, "__call__", press_cancel)
    out = io.StringIO()
    call_command("import", str(path), "--firm", firm.slug, "--user", owner.email, "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["status"] == "cancelled"
    assert result["rows_in_file"] == 2500 and result["rows_total"] == 1000
    assert result["rows_imported"] + result["rows_skipped"] == 1000
    assert Account.objects.filter(firm=firm).exists()


def test_cli_plain_output_says_cancelled_after_n_of_m_rows(firm, owner, tmp_path, monkeypatch):
    path = tmp_path / "clients.csv"
    path.write_text(report(2500), encoding="utf-8")
    monkeypatch.setattr(ProgressBar, "__call__",
                        lambda bar, rows_done: ImportJob.objects.filter(firm=firm).update(cancel_requested=True))
    out = io.StringIO()
    call_command("import", str(path), "--firm", firm.slug, "--user", owner.email, stdout=out)
    assert "Cancelled after 1,000 of 2,500 rows." in out.getvalue()


def test_cli_json_of_a_whole_run_has_as_many_rows_in_the_file_as_rows_total(firm, owner, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(report(30), encoding="utf-8")
    for extra in ([], ["--dry-run"]):
        out = io.StringIO()
        call_command("import", str(path), "--firm", firm.slug, "--user", owner.email, "--json", *extra, stdout=out)
        result = json.loads(out.getvalue())
        assert result["rows_in_file"] == result["rows_total"] == 30


def test_cancelling_an_import_waiting_to_resume_keeps_what_it_did(owner_client, firm, owner):
    # Re-queued after its worker stopped (job_requeue_interrupted), with a batch committed.
    job = upload(firm, owner, report(30), mapping=make_mapping(COLUMNS))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED, rows_done=10,
                                               counts={"rows_total": 10, "rows_imported": 10})
    owner_client.post(url("cancel", job))
    html = owner_client.get(url("job", job)).content.decode()
    assert "cancelled while waiting to resume, after 10 rows" in html
    assert "nothing was imported" not in html
