"""Every import action takes its actor: the service itself refuses a member without the right
(or of another firm), and the job records who started and who cancelled it, which the history
and the import's page show."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from crm.models import Membership
from crm.permissions import SYSTEM, actor_for
from imports import jobs
from imports.models import ImportJob
from tests.actors import owner_of, uploader
from tests.imports.conftest import make_mapping, upload

pytestmark = pytest.mark.django_db

ROWS = [["Client", "Email"], ["Acme LLC", "info@acme.example"], ["Jane Doe", "jane@doe.example"]]
COLUMNS = {"Client": "account.name", "Email": "contact.email"}


@pytest.fixture
def draft(firm, owner):
    return upload(firm, owner, ROWS, mapping=make_mapping(COLUMNS))


@pytest.fixture
def queued(draft):
    jobs.job_start(draft, actor=uploader(draft), enqueue=False)
    return draft


@pytest.fixture
def cancelled_part_way(queued):
    """Started, ran a batch, then cancelled: an import the Resume button can go on with."""
    ImportJob.objects.filter(pk=queued.pk).update(
        status=ImportJob.Status.CANCELLED, started_at=queued.created_at, rows_done=1, checkpoint={"rows_done": 1})
    queued.refresh_from_db()
    return queued


def member(firm, user):
    return Membership.objects.select_related("firm", "user").get(firm=firm, user=user)


ACTIONS = {
    "create": lambda job, actor: jobs.job_create(actor=actor, file=io.BytesIO(b"Client\nAcme\n"),
                                                 original_name="clients.csv"),
    "set mapping": lambda job, actor: jobs.job_set_mapping(job, make_mapping(COLUMNS), actor=actor),
    "request a check": lambda job, actor: jobs.job_check_request(job, actor=actor),
    "check": lambda job, actor: jobs.job_check(job, actor=actor),
    "read again": lambda job, actor: jobs.job_reread(job, make_mapping(COLUMNS), actor=actor),
    "start": lambda job, actor: jobs.job_start(job, actor=actor, enqueue=False),
    "discard": lambda job, actor: jobs.job_discard(job, actor=actor),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_member_without_manage_contacts_is_refused_by_the_service(action, firm, plain_member, draft):
    with pytest.raises(PermissionDenied):
        ACTIONS[action](draft, member(firm, plain_member))
    draft.refresh_from_db()
    assert draft.status == ImportJob.Status.READY or draft.status == ImportJob.Status.DRAFT
    assert draft.started_by is None
    assert ImportJob.objects.count() == 1  # nothing created, nothing discarded


# An upload is always made in the actor's own firm, so "create" has no other firm to refuse.
@pytest.mark.parametrize("action", [action for action in ACTIONS if action != "create"])
def test_the_owner_of_another_firm_is_refused_by_the_service(action, other_firm, other_owner, draft):
    with pytest.raises(PermissionDenied):
        ACTIONS[action](draft, member(other_firm, other_owner))
    draft.refresh_from_db()
    assert draft.started_by is None and ImportJob.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("action", list(ACTIONS))
def test_clientport_itself_does_not_import(action, draft):
    with pytest.raises(PermissionDenied):
        ACTIONS[action](draft, SYSTEM)


def test_cancel_and_resume_are_refused_to_a_member_without_the_right(firm, plain_member, queued, cancelled_part_way):
    with pytest.raises(PermissionDenied):
        jobs.job_resume(cancelled_part_way, actor=member(firm, plain_member), enqueue=False)
    ImportJob.objects.filter(pk=queued.pk).update(status=ImportJob.Status.QUEUED)
    with pytest.raises(PermissionDenied):
        jobs.job_cancel(queued, actor=member(firm, plain_member))
    queued.refresh_from_db()
    assert queued.status == ImportJob.Status.QUEUED and not queued.cancel_requested and queued.cancelled_by is None


def test_a_deactivated_member_may_no_longer_start(firm, manager, draft):
    actor = member(firm, manager)
    Membership.objects.filter(pk=actor.pk).update(is_active=False)
    actor.refresh_from_db()
    with pytest.raises(PermissionDenied):
        jobs.job_start(draft, actor=actor, enqueue=False)


def test_the_maintenance_jobs_are_clientport_s_not_a_member_s(firm, owner):
    for maintenance in (lambda a: jobs.job_requeue_interrupted(actor=a), lambda a: jobs.job_requeue_failed(
            actor=a, failed_for=__import__("datetime").timedelta(0)), lambda a: jobs.jobs_purge_files(actor=a)):
        with pytest.raises(PermissionDenied):
            maintenance(owner_of(firm))
        maintenance(SYSTEM)  # allowed


def test_who_started_and_who_cancelled_is_recorded_and_shown(client, firm, owner, manager, admin_user, draft):
    jobs.job_start(draft, actor=member(firm, manager), enqueue=False)
    assert jobs.job_cancel(draft, actor=member(firm, admin_user))
    draft.refresh_from_db()
    assert draft.created_by == owner and draft.started_by == manager and draft.cancelled_by == admin_user
    assert draft.cancelled_at is not None and draft.status == ImportJob.Status.CANCELLED

    client.force_login(owner)
    history = client.get(reverse("imports:history")).content.decode()
    assert "Started by Mia Manager" in history and "Cancelled by Adam Admin" in history
    page = client.get(reverse("imports:job", args=[draft.pk])).content.decode()
    assert "Started by Mia Manager" in page and "Cancelled by Adam Admin" in page


def test_the_wizard_records_the_member_who_pressed_start_and_cancel(client, firm, owner, manager, draft):
    jobs.job_check(draft, actor=uploader(draft))
    client.force_login(manager)
    client.post(reverse("imports:start_import", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ImportJob.Status.QUEUED and draft.started_by == manager
    client.post(reverse("imports:cancel", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ImportJob.Status.CANCELLED and draft.cancelled_by == manager


def test_a_second_cancel_keeps_who_cancelled_first(firm, manager, admin_user, queued):
    ImportJob.objects.filter(pk=queued.pk).update(status=ImportJob.Status.RUNNING)
    assert jobs.job_cancel(queued, actor=member(firm, manager))
    assert not jobs.job_cancel(queued, actor=member(firm, admin_user))
    queued.refresh_from_db()
    assert queued.cancelled_by == manager


def test_a_resumed_import_is_the_resumer_s_and_no_longer_cancelled(firm, manager, admin_user, cancelled_part_way):
    ImportJob.objects.filter(pk=cancelled_part_way.pk).update(cancelled_by=admin_user)
    assert jobs.job_resume(cancelled_part_way, actor=member(firm, manager), enqueue=False)
    cancelled_part_way.refresh_from_db()
    assert cancelled_part_way.status == ImportJob.Status.QUEUED
    assert cancelled_part_way.started_by == manager and cancelled_part_way.cancelled_by is None


def test_a_draft_shows_nobody_as_its_starter(client, owner, draft):
    client.force_login(owner)
    assert "Started by" not in client.get(reverse("imports:history")).content.decode()


def test_the_cli_user_is_the_one_who_started_the_import(tmp_path, firm, manager):
    path = tmp_path / "clients.csv"
    path.write_text("Client,Email\nAcme LLC,info@acme.example\n")
    call_command("import", str(path), firm=firm.slug, user=manager.email, stdout=io.StringIO())
    job = ImportJob.objects.get(firm=firm)
    assert job.created_by == manager and job.started_by == manager and job.status == ImportJob.Status.FINISHED


def test_the_cli_refuses_a_user_without_the_right(tmp_path, firm, plain_member):
    from django.core.management.base import CommandError

    path = tmp_path / "clients.csv"
    path.write_text("Client\nAcme LLC\n")
    with pytest.raises(CommandError, match="may not import"):
        call_command("import", str(path), firm=firm.slug, user=plain_member.email, stdout=io.StringIO())
    assert not ImportJob.objects.exists()


def test_actor_for_is_the_user_s_active_membership_of_that_firm(firm, other_firm, owner, other_owner):
    assert actor_for(firm, owner).firm == firm
    assert actor_for(firm, other_owner) is None
