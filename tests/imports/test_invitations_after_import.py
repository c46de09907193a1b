"""An import with *Send invitations* queues its links with Login on; the worker mails them only
after the import's last commit, and a cancelled or failed import mails none."""

import functools

import pytest
from django.core import mail

from crm.models import AccountContact
from imports import jobs, pipeline
from imports.models import ImportJob
from tests.actors import uploader
from tests.imports.conftest import make_mapping, upload

pytestmark = pytest.mark.django_db

COLUMNS = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
           "Email": "contact.email"}
LOGIN_ON = {"Email": {"login": True, "notify": False, "email_sync": False}}
ROWS = [["Client", "First", "Last", "Email"], ["Rivera", "Ana", "Rivera", "ana@example.com"],
        ["Lee", "Wei", "Lee", "wei@example.com"], ["Okafor", "Ada", "Okafor", "ada@example.com"],
        ["Novak", "Jan", "Novak", "jan@example.com"]]


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def start(firm, owner, *, send_invitations=True, portal=LOGIN_ON):
    job = upload(firm, owner, ROWS, mapping=make_mapping(COLUMNS, portal=portal, send_invitations=send_invitations))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    return job


def states() -> list[str]:
    return sorted(AccountContact.objects.values_list("invitation", flat=True))


def test_invitations_go_out_after_the_import_has_finished(firm, owner, django_capture_on_commit_callbacks):
    job = start(firm, owner)
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        job = jobs.job_run(job.pk)
    # The import is done and waited for no mail: its links wait for the worker.
    assert job.status == "finished" and mail.outbox == []
    assert states() == ["queued"] * 4
    assert set(AccountContact.objects.values_list("queued_by_import", flat=True)) == {job.pk}
    for callback in after_commit:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "ana@example.com", "jan@example.com",
                                                     "wei@example.com"]
    assert all(parse_from(m) == firm.name for m in mail.outbox)
    assert states() == ["invited"] * 4


def parse_from(message) -> str:
    from email.utils import parseaddr

    return parseaddr(message.from_email)[0]


def test_without_send_invitations_nothing_is_queued(firm, owner, django_capture_on_commit_callbacks):
    job = start(firm, owner, send_invitations=False)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_run(job.pk)
    assert mail.outbox == [] and states() == ["not_invited"] * 4


def run_in_batches_of_two(monkeypatch):
    monkeypatch.setattr(jobs, "run_pipeline", functools.partial(pipeline.run_pipeline, batch_size=2))


def test_a_cancelled_import_sends_no_invitation(firm, owner, monkeypatch, django_capture_on_commit_callbacks):
    run_in_batches_of_two(monkeypatch)
    job = start(firm, owner)

    def cancel_after_the_first_batch(rows_done):
        ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_run(job.pk, progress=cancel_after_the_first_batch)
    assert job.status == "cancelled" and AccountContact.objects.count() == 2  # the part written stays
    assert mail.outbox == [] and states() == ["not_invited"] * 2
    assert not AccountContact.objects.filter(queued_by_import=job.pk).exists()


def test_a_failed_import_sends_no_invitation(firm, owner, monkeypatch, django_capture_on_commit_callbacks):
    run_in_batches_of_two(monkeypatch)
    job = start(firm, owner)

    def crash_after_the_first_batch(rows_done):
        raise RuntimeError("the disk is full")

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_run(job.pk, progress=crash_after_the_first_batch)
    assert job.status == "failed" and AccountContact.objects.count() == 2
    assert mail.outbox == [] and states() == ["not_invited"] * 2


def test_a_link_the_import_turns_login_on_for_is_invited_too(firm, owner, django_capture_on_commit_callbacks):
    first = start(firm, owner, send_invitations=False, portal={})
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_run(first.pk)
    second = start(firm, owner)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_run(second.pk)
    assert len(mail.outbox) == 4 and states() == ["invited"] * 4
