"""After Start: one run however often Start is pressed, the progress page, cancel, the results
page and its counters, the skipped rows ZIP, the finish email, the history and the lists'
"created by import #N" filter."""

import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse

from crm.models import Account, Contact
from imports import jobs, tasks
from imports.models import COUNTER_NAMES, ImportIssue, ImportJob
from tests.actors import uploader
from tests.imports.conftest import upload
from tests.imports.test_wizard import CLIENTS, url, wizard_upload


@pytest.fixture
def reviewed(owner_client):
    """A job taken through upload and review: ready to start."""
    job = wizard_upload(owner_client)
    owner_client.get(url("review", job))
    job.refresh_from_db()
    assert job.dry_run_state == "done"
    return job


def start(client, job, capture):
    with capture(execute=True):
        return client.post(url("start_import", job))


def test_start_runs_the_import_and_shows_its_page(owner_client, reviewed, django_capture_on_commit_callbacks):
    response = start(owner_client, reviewed, django_capture_on_commit_callbacks)
    assert response.url == url("job", reviewed)
    reviewed.refresh_from_db()
    assert reviewed.status == ImportJob.Status.FINISHED
    assert Account.objects.filter(created_by_import=reviewed).count() == 2


def test_starting_twice_starts_one_import(owner_client, reviewed, django_capture_on_commit_callbacks, monkeypatch,
                                          mailoutbox):
    runs = []
    real_run = tasks.job_run
    monkeypatch.setattr(tasks, "job_run", lambda job_id: runs.append(job_id) or real_run(job_id))
    first = start(owner_client, reviewed, django_capture_on_commit_callbacks)
    second = start(owner_client, reviewed, django_capture_on_commit_callbacks)
    assert first.url == second.url == url("job", reviewed)
    assert runs == [reviewed.pk]
    assert len(mailoutbox) == 1
    assert Account.objects.count() == 2


def test_a_second_tab_starting_a_queued_import_does_not_queue_it_again(owner_client, reviewed,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as first:
        owner_client.post(url("start_import", reviewed))
    with django_capture_on_commit_callbacks(execute=False) as second:
        owner_client.post(url("start_import", reviewed))
    assert len(first) == 1 and len(second) == 0
    reviewed.refresh_from_db()
    assert reviewed.status == ImportJob.Status.QUEUED


def test_wizard_steps_of_a_started_import_lead_to_its_page(owner_client, reviewed):
    jobs.job_start(reviewed, actor=uploader(reviewed), enqueue=False)
    for name in ("file", "step_accounts", "step_settings", "step_contacts", "review"):
        response = owner_client.get(url(name, reviewed))
        assert response.url == url("job", reviewed), name
    before = dict(ImportJob.objects.get(pk=reviewed.pk).mapping)
    owner_client.post(reverse("imports:step_settings", args=[reviewed.pk]), {"overwrite": "on"})
    assert ImportJob.objects.get(pk=reviewed.pk).mapping == before


# --- Progress and cancel ----------------------------------------------------------------------


def running(job, *, done, total):
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, rows_done=done, rows_estimate=total)
    job.refresh_from_db()
    return job


def test_a_running_import_shows_a_progress_bar_that_polls_a_fragment(owner_client, reviewed):
    running(reviewed, done=250, total=1000)
    html = owner_client.get(url("job", reviewed)).content.decode()
    assert 'aria-valuenow="25"' in html
    assert f'hx-get="{url("job_progress", reviewed)}"' in html and 'hx-trigger="every 1s"' in html
    assert "You can leave this page" in html
    fragment = owner_client.get(url("job_progress", reviewed), headers={"HX-Request": "true"})
    assert "250 of 1,000 rows" in fragment.content.decode()
    ImportJob.objects.filter(pk=reviewed.pk).update(status=ImportJob.Status.FINISHED, rows_done=1000)
    fragment = owner_client.get(url("job_progress", reviewed), headers={"HX-Request": "true"})
    assert fragment.headers["HX-Refresh"] == "true"


def test_cancel_asks_a_running_import_to_stop_after_its_batch_and_keeps_what_was_written(owner_client, reviewed):
    running(reviewed, done=1000, total=5000)
    response = owner_client.post(url("cancel", reviewed), follow=True)
    reviewed.refresh_from_db()
    assert reviewed.cancel_requested and reviewed.status == ImportJob.Status.RUNNING
    assert "stops after the batch it is writing" in response.content.decode()
    assert "Everything imported up to then is kept" in response.content.decode()


def test_cancelling_a_queued_import_ends_it_and_the_email_says_so(owner_client, reviewed, mailoutbox):
    jobs.job_start(reviewed, actor=uploader(reviewed), enqueue=False)
    owner_client.post(url("cancel", reviewed))
    reviewed.refresh_from_db()
    assert reviewed.status == ImportJob.Status.CANCELLED
    tasks.run_import_job.enqueue(reviewed.pk)  # the queued task still runs, and finds it cancelled
    assert Account.objects.count() == 0
    (mail,) = mailoutbox
    assert "was cancelled" in mail.subject
    assert "was cancelled before it started: nothing was imported" in mail.body
    html = owner_client.get(url("job", reviewed)).content.decode()
    assert "The import was cancelled before it started: nothing was imported." in html


def test_cancel_of_a_finished_import_changes_nothing(owner_client, firm, owner):
    job = upload(firm, owner, CLIENTS)
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    jobs.job_run(job.pk)
    owner_client.post(url("cancel", job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FINISHED and not job.cancel_requested


# --- Results ----------------------------------------------------------------------------------


@pytest.fixture
def finished(firm, owner):
    rows = CLIENTS + [["Lee Family", "Al", "Lee", "not-an-email", "", "", "", ""],
                      ["Ng Family", "Bo", "Ng", "also bad", "", "", "", ""]]
    job = upload(firm, owner, rows)
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    return jobs.job_run(job.pk)


def test_results_page_shows_every_counter_with_its_data_count(owner_client, finished):
    html = owner_client.get(url("job", finished)).content.decode()
    shown = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    # (Rows that changed nothing are counted for accounts-only imports.)
    expected = set(COUNTER_NAMES) - {"rows_unchanged"}
    assert set(shown) == expected
    assert {name: int(n) for name, n in shown.items()} == {name: finished.counts[name] for name in expected}
    assert shown["accounts_created"] == "4" and shown["rows_skipped"] == "1"


def test_results_page_groups_warnings_by_code_with_examples(owner_client, finished):
    response = owner_client.get(url("job", finished))
    (group,) = response.context["warning_groups"]
    assert group["code"] == "invalid_email" and group["count"] == 2
    assert [issue.row_number for issue in group["examples"]] == [5, 6]
    html = response.content.decode()
    assert "Invalid email" in html and "not-an-email" in html


def test_warning_examples_are_capped_per_code(owner_client, finished):
    ImportIssue.objects.bulk_create([
        ImportIssue(job=finished, row_number=100 + n, severity="warning", code="invalid_phone", message="Bad phone")
        for n in range(40)
    ])
    response = owner_client.get(url("job", finished))
    phones = next(g for g in response.context["warning_groups"] if g["code"] == "invalid_phone")
    assert phones["count"] == 40 and len(phones["examples"]) == 5
    assert "Showing the first 5 of 40" in response.content.decode()


def test_skipped_rows_download_holds_the_original_columns_row_and_reason(owner_client, finished):
    html = owner_client.get(url("job", finished)).content.decode()
    assert "Download skipped rows (ZIP)" in html
    response = owner_client.get(url("skipped_rows", finished))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (name,) = archive.namelist()
    rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert rows[0] == CLIENTS[0] + ["Row", "Reason"]
    assert rows[1][:8] == CLIENTS[3] and rows[1][8] == "4"
    assert "no account name" in rows[1][9]


def test_no_download_is_offered_when_no_row_was_skipped(owner_client, firm, owner):
    job = upload(firm, owner, CLIENTS[:3])
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert "Download skipped rows" not in owner_client.get(url("job", job)).content.decode()
    response = owner_client.get(url("skipped_rows", job), follow=True)
    assert "skipped no rows" in response.content.decode()


def test_results_link_to_the_lists_filtered_by_this_import(owner_client, finished, firm, owner):
    other = upload(firm, owner, [["Account Name", "Email"], ["Other Co", "x@other.example"]])
    jobs.job_start(other, actor=uploader(other), enqueue=False)
    jobs.job_run(other.pk)
    html = owner_client.get(url("job", finished)).content.decode()
    accounts_link = reverse("crm:account_list") + f"?import={finished.pk}"
    assert accounts_link in html
    response = owner_client.get(accounts_link)
    assert {a.name for a in response.context["accounts"]} == set(
        Account.objects.filter(created_by_import=finished).values_list("name", flat=True)
    )
    assert "Other Co" not in response.content.decode()
    assert f"import #{finished.pk}" in response.content.decode()
    response = owner_client.get(reverse("crm:contact_list"), {"import": finished.pk})
    assert len(response.context["contacts"]) == Contact.objects.filter(created_by_import=finished).count() == 5


def test_failed_import_says_what_happened_and_what_to_do(owner_client, reviewed, monkeypatch, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    import imports.jobs

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports.jobs, "run_pipeline", broken)
    start(owner_client, reviewed, django_capture_on_commit_callbacks)
    reviewed.refresh_from_db()
    assert reviewed.status == ImportJob.Status.FAILED
    html = owner_client.get(url("job", reviewed)).content.decode()
    assert "unexpected error (RuntimeError)" in html and "Resume import" in html
    (mail,) = mailoutbox
    assert "stopped" in mail.subject and "unexpected error (RuntimeError)" in mail.body
    assert "resume the import where it stopped" in mail.body


# --- The finish email ---------------------------------------------------------------------------


def test_finish_email_has_the_counts_and_an_absolute_link_to_the_results(
    owner_client, reviewed, settings, mailoutbox, django_capture_on_commit_callbacks, owner
):
    settings.SITE_URL = "https://app.clientport.example/"
    start(owner_client, reviewed, django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    assert mail.to == [owner.email]
    assert mail.subject == "Your import of clients.csv is done"
    assert f"https://app.clientport.example/clients/import/{reviewed.pk}/" in mail.body
    assert "Accounts created: 2" in mail.body and "Rows skipped: 1" in mail.body
    assert "Contacts created: 3" in mail.body and "Warnings: 0" in mail.body
    assert "The skipped rows can be downloaded" in mail.body


def test_finish_email_goes_out_once_however_often_the_task_runs(reviewed, mailoutbox):
    jobs.job_start(reviewed, actor=uploader(reviewed), enqueue=False)
    tasks.run_import_job.enqueue(reviewed.pk)
    tasks.run_import_job.enqueue(reviewed.pk)
    assert len(mailoutbox) == 1


# --- History ---------------------------------------------------------------------------------------


def test_history_lists_every_import_of_the_firm_with_who_when_and_counts(owner_client, finished, firm, owner,
                                                                       other_firm, other_owner):
    draft = upload(firm, owner, CLIENTS, name="draft.csv", kind="contacts")
    theirs = upload(other_firm, other_owner, CLIENTS, name="theirs.csv")
    response = owner_client.get(reverse("imports:history"))
    html = response.content.decode()
    assert [job.pk for job in response.context["imports"]] == [draft.pk, finished.pk]
    assert "theirs.csv" not in html and str(theirs.pk) not in [str(j.pk) for j in response.context["imports"]]
    assert "Olivia Owner" in html and "Contacts only" in html and "Finished" in html
    assert url("skipped_rows", finished) in html and url("job", finished) in html
    assert url("review", draft) in html  # a draft is continued, not shown as results
