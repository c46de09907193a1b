"""An import that failed part-way is not left half-done: `clientport resume_imports` and the
*Resume* button of its page queue it again, and it goes on after its last committed batch to
the same records and counts as a run that never failed. Cancelled imports resume the same way."""

import datetime
import io
from functools import partial

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.permissions import actor_for
from imports import jobs, pipeline, tasks
from imports.models import ImportChange, ImportCheckpoint, ImportIssue, ImportJob
from tests.actors import owner_of, uploader
from tests.imports.conftest import import_rows, make_mapping, upload
from tests.imports.test_pipeline import COLUMNS, database_state, generated_rows

ROWS = 100
BATCH = 20


class Unexpected(Exception):
    """A bug, as far as the import can tell: not one of the failures it explains."""


@pytest.fixture
def small_batches(monkeypatch):
    """The real pipeline, five batches to the file, so a run can fail in the middle."""
    monkeypatch.setattr(jobs, "run_pipeline", partial(pipeline.run_pipeline, batch_size=BATCH))


@pytest.fixture
def failing_write(monkeypatch):
    """The third batch's write fails (after two were committed), as long as `failures` is
    above zero; `writes` counts the batches written."""
    real = pipeline.write_batch
    state = {"failures": 1, "writes": 0}

    def write_batch(plan, ctx, *, rows_done, totals):
        if rows_done == 3 * BATCH and state["failures"]:
            state["failures"] -= 1
            raise Unexpected("a bug")
        state["writes"] += 1
        return real(plan, ctx, rows_done=rows_done, totals=totals)

    monkeypatch.setattr(pipeline, "write_batch", write_batch)
    return state


@pytest.fixture
def reference(other_firm, other_owner, small_batches):
    """The same file imported without a failure, into the other firm: (job, counts)."""
    return import_rows(other_firm, other_owner, generated_rows(ROWS), COLUMNS)


@pytest.fixture
def failed(firm, owner, reference, failing_write, mailoutbox):
    job = upload(firm, owner, generated_rows(ROWS), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    tasks.run_import_job.enqueue(job.pk)  # as the worker runs it: the importer is told it stopped
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert [mail.subject for mail in mailoutbox] == ["Your import of clients.csv stopped"]
    assert job.checkpoint == {"rows_done": 2 * BATCH} and failing_write["writes"] == 2
    assert "unexpected error (Unexpected)" in job.error
    failing_write["writes"] = 0
    return job


def failed_long_ago(job, minutes=10):
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(minutes=minutes))


def assert_finished_like(job, reference, firm, other_firm):
    job.refresh_from_db()
    reference_job, reference_counts = reference
    assert (job.status, job.error, job.finished_at is not None) == ("finished", "", True)
    assert job.counts == reference_counts
    assert database_state(firm) == database_state(other_firm)
    issues = ImportIssue.objects.filter(job=job).values_list("row_number", "severity", "code", "column")
    assert sorted(issues) == sorted(ImportIssue.objects.filter(job=reference_job).values_list(
        "row_number", "severity", "code", "column"))


# --- resume_imports ---------------------------------------------------------------------------


def test_resume_imports_resumes_a_failed_import_after_its_last_batch(
    failed, reference, failing_write, firm, other_firm, mailoutbox
):
    failed_long_ago(failed)
    out = call_command_output("resume_imports")
    assert out == f"Import #{failed.pk} (clients.csv) queued to resume after row 40.\n"
    assert failing_write["writes"] == 3  # the three batches after the checkpoint, none again
    assert_finished_like(failed, reference, firm, other_firm)
    # The importer heard that it stopped, then that it is done.
    assert [mail.subject for mail in mailoutbox] == [
        "Your import of clients.csv stopped", "Your import of clients.csv is done"]


def test_resume_imports_leaves_an_import_that_failed_just_now_for_later(failed, failing_write):
    assert call_command_output("resume_imports") == ""
    failed.refresh_from_db()
    assert failed.status == ImportJob.Status.FAILED and failing_write["writes"] == 0


def test_resume_imports_gives_up_on_an_import_that_keeps_failing(failed, failing_write):
    failing_write["failures"] = 10  # a bug that is still there
    for _ in range(jobs.AUTOMATIC_RESUMES):
        failed_long_ago(failed)
        assert "queued to resume after row 40" in call_command_output("resume_imports")
        failed.refresh_from_db()
        assert failed.status == ImportJob.Status.FAILED
    failed_long_ago(failed)
    assert call_command_output("resume_imports") == ""
    failed.refresh_from_db()
    assert failed.status == ImportJob.Status.FAILED and failed.checkpoint == {"rows_done": 40}
    assert failing_write["failures"] == 10 - jobs.AUTOMATIC_RESUMES


def test_resume_imports_leaves_cancelled_imports_alone(firm, owner, failed):
    ImportJob.objects.filter(pk=failed.pk).update(status=ImportJob.Status.CANCELLED)
    failed_long_ago(failed)
    assert call_command_output("resume_imports") == ""
    failed.refresh_from_db()
    assert failed.status == ImportJob.Status.CANCELLED


def call_command_output(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- The Resume button ------------------------------------------------------------------------


def resume_url(job) -> str:
    return reverse("imports:resume", args=[job.pk])


def test_a_failed_import_shows_resume_and_resuming_finishes_it(
    owner_client, failed, reference, failing_write, firm, other_firm, django_capture_on_commit_callbacks, mailoutbox
):
    page = owner_client.get(reverse("imports:job", args=[failed.pk])).content.decode()
    assert f'action="{resume_url(failed)}"' in page and "Resume import" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(resume_url(failed))

    assert response.status_code == 302 and response.url == reverse("imports:job", args=[failed.pk])
    assert failing_write["writes"] == 3
    assert_finished_like(failed, reference, firm, other_firm)
    assert [mail.subject for mail in mailoutbox][-1] == "Your import of clients.csv is done"
    page = owner_client.get(reverse("imports:job", args=[failed.pk])).content.decode()
    assert "Resume import" not in page


def test_a_cancelled_import_resumes_with_the_remaining_rows(
    owner_client, firm, owner, reference, small_batches, other_firm, django_capture_on_commit_callbacks
):
    job = upload(firm, owner, generated_rows(ROWS), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    batches = []

    def cancel_after_two_batches(rows_done):
        batches.append(rows_done)
        if len(batches) == 2:
            jobs.job_cancel(job, actor=uploader(job))

    job = jobs.job_run(job.pk, progress=cancel_after_two_batches)
    assert job.status == ImportJob.Status.CANCELLED and job.checkpoint == {"rows_done": 2 * BATCH}
    assert "Import the remaining rows" in owner_client.get(reverse("imports:job", args=[job.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(resume_url(job))

    assert_finished_like(job, reference, firm, other_firm)


@pytest.mark.parametrize("status", ["finished", "running", "queued", "ready"])
def test_only_a_failed_or_cancelled_import_can_be_resumed(owner_client, failed, failing_write, status,
                                                         django_capture_on_commit_callbacks):
    ImportJob.objects.filter(pk=failed.pk).update(status=status)
    assert "Resume import" not in owner_client.get(reverse("imports:job", args=[failed.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = owner_client.post(resume_url(failed), follow=True)
    assert callbacks == [] and failing_write["writes"] == 0
    failed.refresh_from_db()
    assert failed.status == status
    assert "cannot be resumed" in response.content.decode()


def test_an_import_whose_file_was_deleted_cannot_be_resumed(owner_client, failed):
    ImportJob.objects.filter(pk=failed.pk).update(file="", file_deleted_at=timezone.now())
    assert "Resume import" not in owner_client.get(reverse("imports:job", args=[failed.pk])).content.decode()
    assert not jobs.job_resume(ImportJob.objects.get(pk=failed.pk), actor=uploader(failed))


def test_resume_is_post_only(owner_client, failed):
    assert owner_client.get(resume_url(failed)).status_code == 405
    failed.refresh_from_db()
    assert failed.status == ImportJob.Status.FAILED


def test_resume_needs_the_csrf_token(owner, failed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(resume_url(failed)).status_code == 403
    failed.refresh_from_db()
    assert failed.status == ImportJob.Status.FAILED


def test_another_firms_failed_import_is_404(client, other_owner, failed):
    client.force_login(other_owner)
    assert client.post(resume_url(failed)).status_code == 404
    failed.refresh_from_db()
    assert failed.status == ImportJob.Status.FAILED


def test_a_member_who_may_not_import_gets_403(client, plain_member, failed):
    client.force_login(plain_member)
    assert client.post(resume_url(failed)).status_code == 403
    failed.refresh_from_db()
    assert failed.status == ImportJob.Status.FAILED


def test_the_resume_service_checks_the_rights_of_who_resumes(plain_member, failed):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        jobs.job_resume(failed, actor=actor_for(failed.firm, plain_member))
    failed.refresh_from_db()
    assert failed.status == ImportJob.Status.FAILED


# --- What a resumed run knows -----------------------------------------------------------------

WU_COLUMNS = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
              "Email": "contact.email", "Tags": "contact.tags", "Phone": "contact.phone"}
WU_ROWS = [list(WU_COLUMNS),
           ["Wu", "Xi", "Wu", "xi@wu.example", "VIP", ""],  # a tag for an existing contact
           ["Zed Co", "Zed", "Z", "zed@z.example", "", ""],  # an existing contact linked to a new account
           ["Wu", "Yu", "Wu", "yu@wu.example", "", ""],  # a new contact linked to an existing account
           ["Wu", "Xi", "Wu", "xi@wu.example", "", "(312) 555-0142"],  # the same three again, after the crash
           ["Zed Co", "Zed", "Z", "zed@z.example", "", "(312) 555-0143"],
           ["Wu", "Ann", "Wu", "ann@wu.example", "", ""]]


class WorkerKilled(Exception):
    pass


def existing_clients(firm):
    from crm import services

    wu = services.account_create(actor=owner_of(firm), name="Wu", folder_template=None)
    services.contact_link(actor=owner_of(firm), account=wu, contact=services.contact_create(actor=owner_of(firm), first_name="Xi", last_name="Wu",
                                                                         email="xi@wu.example"))
    services.contact_create(actor=owner_of(firm), first_name="Zed", last_name="Z", email="zed@z.example")


def killed_after(firm, owner, rows, columns, *, batches: int, **options) -> ImportJob:
    """An import whose worker died after `batches` one-row batches committed."""
    job = upload(firm, owner, rows, mapping=make_mapping(columns, **options))

    def die(rows_done):
        if rows_done == batches:
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=1, progress=die)
    return ImportJob.objects.get(pk=job.pk)


def test_a_resumed_run_counts_from_its_checkpoints_whatever_the_change_log_says(firm, owner, other_firm,
                                                                              other_owner):
    existing_clients(other_firm)
    _, reference = import_rows(other_firm, other_owner, WU_ROWS, WU_COLUMNS)
    assert (reference["accounts_updated"], reference["contacts_updated"]) == (1, 2)
    existing_clients(firm)
    job = killed_after(firm, owner, WU_ROWS, WU_COLUMNS, batches=3)
    assert ImportChange.objects.filter(job=job, action__in=["update", "add"]).exists()

    # The change log is undo's business: what it records (or forgets) is not what resume counts.
    ImportChange.objects.filter(job=job, action__in=["update", "add"]).delete()
    ImportChange.objects.filter(job=job, model="tag").update(object_id=0)

    resumed = pipeline.run_pipeline(job, dry_run=False, batch_size=1)
    assert resumed.counters.as_dict() == reference
    assert database_state(firm) == database_state(other_firm)


def test_an_import_interrupted_before_checkpoints_were_recorded_still_resumes(firm, owner, other_firm,
                                                                             other_owner):
    existing_clients(other_firm)
    _, reference = import_rows(other_firm, other_owner, WU_ROWS, WU_COLUMNS)
    existing_clients(firm)
    job = killed_after(firm, owner, WU_ROWS, WU_COLUMNS, batches=3)
    ImportCheckpoint.objects.filter(job=job).delete()  # as a job of the version before left it

    resumed = pipeline.run_pipeline(job, dry_run=False, batch_size=1)
    assert resumed.counters.as_dict() == reference  # read back from the change log, as before
    assert database_state(firm) == database_state(other_firm)


def test_a_type_decided_before_the_crash_still_conflicts_after_the_resume(firm, owner, other_firm, other_owner):
    """Even for an account that existed before the import and kept its type (the change log
    has no trace of that decision)."""
    from crm import services

    columns = {"Client": "account.name", "Type": "account.type", "First": "contact.first_name"}
    rows = [list(columns), ["Lee Trust", "Company", "Al"], ["Other", "Company", "Bo"], ["Lee Trust", "Individual", "Cy"]]
    services.account_create(actor=owner_of(other_firm), name="Lee Trust", type="company", folder_template=None)
    reference_job, reference = import_rows(other_firm, other_owner, rows, columns, account_type="column")
    reference_skips = list(ImportIssue.objects.filter(job=reference_job).values_list("row_number", "code", "message"))
    assert [code for _, code, _ in reference_skips] == ["conflicting_account_type"]

    services.account_create(actor=owner_of(firm), name="Lee Trust", type="company", folder_template=None)
    job = killed_after(firm, owner, rows, columns, batches=2, account_type="column")
    resumed = pipeline.run_pipeline(job, dry_run=False, batch_size=1)

    assert resumed.counters.as_dict() == reference
    assert list(ImportIssue.objects.filter(job=job).values_list("row_number", "code", "message")) == reference_skips
