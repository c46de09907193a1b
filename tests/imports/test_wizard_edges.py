"""The wizard's edges: step links that keep unsaved choices, discarding drafts and their expiry,
the cancel confirmation and "Import the remaining rows", the check's rows and time left, the
review's new tags and existing assignees, rows that change nothing, numbers formatted."""

import datetime
import re
from functools import partial

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from crm import services
from crm.models import Account, Tag
from crm.permissions import SYSTEM
from imports import jobs, pipeline
from imports.models import ImportJob
from imports.views.review import check_seconds_left, time_left_text
from tests.actors import owner_of, uploader
from tests.imports.conftest import import_rows, make_mapping, upload
from tests.imports.test_cancel import counters_add_up, report
from tests.imports.test_pipeline import COLUMNS
from tests.imports.test_wizard import mapping_of, table_post, url, wizard_upload

pytestmark = pytest.mark.django_db


# --- The step indicator keeps unsaved changes ---------------------------------------------------


def test_a_step_link_saves_the_current_step_before_going_there(owner_client, firm):
    services.tag_get_or_create(firm=firm, name="Migrated")
    job = wizard_upload(owner_client)
    response = owner_client.get(url("step_settings", job))
    assert 'data-goto="accounts"' in response.content.decode()
    answer = owner_client.post(url("step_settings", job), table_post(response, tags=["Migrated"], goto="accounts"))
    assert answer.status_code == 302 and answer.url == url("step_accounts", job)
    assert mapping_of(job).settings.tags == ["Migrated"]


def test_a_step_link_to_a_step_the_kind_has_not_goes_on_as_continue(owner_client):
    job = wizard_upload(owner_client, kind="accounts")
    response = owner_client.get(url("step_settings", job))
    answer = owner_client.post(url("step_settings", job), table_post(response, goto="contacts"))
    assert answer.url == url("review", job)  # accounts-only imports have no contacts step


# --- Discarding drafts ----------------------------------------------------------------------------


def test_discarding_a_draft_asks_first_then_deletes_it_and_its_file(owner_client):
    job = wizard_upload(owner_client)
    name = job.file.name
    assert default_storage.exists(name)
    page = owner_client.get(url("discard", job)).content.decode()
    assert "Discard this draft?" in page and "clients.csv" in page
    assert ImportJob.objects.filter(pk=job.pk).exists()  # asking deletes nothing

    response = owner_client.post(url("discard", job), follow=True)
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(name)
    assert "was discarded" in response.content.decode()


def test_the_wizard_and_the_history_offer_discard_for_drafts_only(owner_client, firm, owner):
    draft = wizard_upload(owner_client)
    finished, _counts = import_rows(firm, owner, [["Client"], ["Acme"]], {"Client": "account.name"}, kind="accounts")
    assert url("discard", draft) in owner_client.get(url("review", draft)).content.decode()
    history = owner_client.get(reverse("imports:history")).content.decode()
    assert url("discard", draft) in history and url("discard", finished) not in history


def test_a_started_import_cannot_be_discarded(owner_client, firm, owner):
    job, _counts = import_rows(firm, owner, [["Client"], ["Acme"]], {"Client": "account.name"}, kind="accounts")
    response = owner_client.post(url("discard", job))
    assert response.url == url("job", job)
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_another_firms_draft_cannot_be_discarded(client, other_owner, other_firm, owner_client):
    job = wizard_upload(owner_client)
    client.force_login(other_owner)
    assert client.get(url("discard", job)).status_code == 404
    assert client.post(url("discard", job)).status_code == 404
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_drafts_expire_after_30_days_with_their_files_even_when_the_firm_keeps_uploads_longer(firm, owner):
    firm.import_file_retention_days = 365
    firm.save()
    old, recent = upload(firm, owner, [["Client"], ["Acme"]]), upload(firm, owner, [["Client"], ["Acme"]])
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    ImportJob.objects.filter(pk=recent.pk).update(created_at=timezone.now() - datetime.timedelta(days=29))

    assert jobs.jobs_purge_files(actor=SYSTEM) == (0, 1)
    assert not ImportJob.objects.filter(pk=old.pk).exists() and not default_storage.exists(old.file.name)
    assert ImportJob.objects.filter(pk=recent.pk).exists() and default_storage.exists(recent.file.name)


# --- Cancel asks; a cancelled import offers the remaining rows --------------------------------


def test_cancel_shows_a_confirmation_page_that_cancels_nothing(owner_client, firm, owner):
    job = upload(firm, owner, report(30), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job_page = owner_client.get(url("job", job)).content.decode()
    assert f'href="{url("cancel", job)}"' in job_page
    page = owner_client.get(url("cancel", job)).content.decode()
    assert "Cancel this import?" in page and 'method="post"' in page
    job.refresh_from_db()
    assert job.status == "queued" and not job.cancel_requested


def test_a_cancelled_import_imports_the_remaining_rows_and_its_counters_add_up(
    owner_client, firm, owner, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(jobs, "run_pipeline", partial(pipeline.run_pipeline, batch_size=10))
    job = upload(firm, owner, report(50), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    seen = []

    def cancel_after_two_batches(rows_done):
        seen.append(rows_done)
        if len(seen) == 2:
            owner_client.post(url("cancel", job))

    job = jobs.job_run(job.pk, progress=cancel_after_two_batches)
    assert job.status == "cancelled" and job.counts["rows_total"] == 20
    page = owner_client.get(url("job", job)).content.decode()
    assert "Import the remaining rows" in page and "(50 rows in all)" in page

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url("resume", job))
    job.refresh_from_db()
    assert job.status == "finished"
    assert job.counts["rows_total"] == 50 and counters_add_up(job.counts)
    assert "rows_in_file" not in job.counts


# --- The full check: rows checked of total, time left -------------------------------------------


def test_the_check_in_progress_shows_rows_checked_of_total_and_time_left(owner_client, firm, owner):
    job = wizard_upload(owner_client)
    job.read_info = {**job.read_info, "rows_read": 200_000, "complete": True}
    started = timezone.now() - datetime.timedelta(seconds=60)
    ImportJob.objects.filter(pk=job.pk).update(
        read_info=job.read_info, dry_run_state="running", dry_run_mapping=job.mapping, dry_run_rows_done=50_000,
        dry_run_counts={"check_started_at": started.isoformat()}, dry_run_updated_at=timezone.now(),
    )
    html = owner_client.get(url("check_progress", job), HTTP_HX_REQUEST="true").content.decode()
    assert "50,000 of 200,000 rows checked" in html
    # 50,000 rows a minute so far: 150,000 rows left take three minutes.
    assert "about 3 minutes left" in html


def test_time_left_is_estimated_from_the_rate_so_far():
    job = ImportJob(dry_run_rows_done=1_000, dry_run_counts={"check_started_at": "2026-01-01T10:00:00+00:00"})
    now = datetime.datetime(2026, 1, 1, 10, 0, 10, tzinfo=datetime.UTC)
    assert check_seconds_left(job, 11_000, now=now) == 100
    assert check_seconds_left(ImportJob(dry_run_counts={}), 11_000, now=now) is None
    assert time_left_text(30) == "less than a minute left" and time_left_text(3_900) == "about 1 h 05 min left"


# --- The review: tags created, current assignees, rows that change nothing ----------------------


def test_the_review_names_the_tags_the_import_creates(owner_client, firm):
    services.tag_get_or_create(firm=firm, name="Existing")
    rows = [["Client", "Tags"], ["Acme", "Existing"], ["Beta", "Payroll"], ["Gamma", "Bookkeeping"]]
    job = wizard_upload(owner_client, rows, kind="accounts")
    html = owner_client.get(url("review", job)).content.decode()
    found = re.search(r'data-testid="new-tags">(.*?)</p>', html, re.S).group(1)
    assert "Payroll" in found and "Bookkeeping" in found and "Existing" not in found


def test_the_examples_show_an_existing_accounts_current_assignees(owner_client, firm, manager, admin_user):
    from crm.permissions import actor_for

    owner = owner_of(firm)
    services.account_create(actor=owner, name="Acme LLC", type="business",
                            assignees=[actor_for(firm, manager)])
    job = wizard_upload(owner_client, [["Client", "Assignee"], ["Acme LLC", admin_user.email]], kind="accounts")
    examples = owner_client.get(url("review", job)).context["examples"]
    (acme,) = examples.accounts
    assert acme.status == "updated"
    assert set(acme.assignees) == {actor_for(firm, manager).display_name, actor_for(firm, admin_user).display_name}
    assert acme.assignee_note == f"added by this import: {actor_for(firm, admin_user).display_name}"


def test_an_accounts_only_import_counts_the_rows_that_change_nothing(owner_client, firm, owner):
    rows = [["Client", "Company"], ["Acme", "Acme LLC"], ["Beta", "Beta Inc"]]
    import_rows(firm, owner, rows, {"Client": "account.name", "Company": "account.company_name"}, kind="accounts")
    again = rows + [["Gamma", "Gamma Co"]]
    again[2] = ["Beta", "Beta Incorporated"]  # kept: existing values are not replaced
    Account.objects.filter(name="Beta").update(company_name="")  # ... unless empty: filled
    job, counts = import_rows(firm, owner, again, {"Client": "account.name", "Company": "account.company_name"},
                              kind="accounts")
    assert (counts["accounts_created"], counts["accounts_updated"], counts["rows_unchanged"]) == (1, 1, 1)
    html = owner_client.get(url("job", job)).content.decode()
    assert 'data-count="rows_unchanged">1<' in html and "Rows that changed nothing" in html


def test_rows_that_change_nothing_are_shown_on_the_review_of_an_accounts_only_import(owner_client, firm, owner):
    rows = [["Client"], ["Acme"], ["Beta"]]
    import_rows(firm, owner, rows, {"Client": "account.name"}, kind="accounts")
    job = wizard_upload(owner_client, rows + [["Gamma"]], kind="accounts")
    html = owner_client.get(url("review", job)).content.decode()
    assert re.search(r'data-total="rows_unchanged">2<', html)


# --- Numbers formatted ----------------------------------------------------------------------------


def test_results_and_the_email_format_numbers(owner_client, firm, owner, mailoutbox):
    from imports.notifications import notify_import_finished

    rows = [["Client"]] + [[f"Client {i}"] for i in range(1_200)]
    job, _counts = import_rows(firm, owner, rows, {"Client": "account.name"}, kind="accounts")
    html = owner_client.get(url("job", job)).content.decode()
    assert 'data-count="accounts_created">1,200<' in html
    ImportJob.objects.filter(pk=job.pk).update(notified_at=None)
    mailoutbox.clear()
    assert notify_import_finished(job)
    assert "Accounts created: 1,200" in mailoutbox[0].body
    assert Tag.objects.filter(firm=firm).count() == 0
