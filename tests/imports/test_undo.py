"""Undoing an import puts the firm's data back as it was before the import (for every kind of
record, with *overwrite* on and off, after a resume), keeps what people changed since and
lists it, does nothing the second time, and is refused while the import runs."""

import datetime
import json
from functools import partial
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from crm import services
from crm.models import (
    Account, AccountContact, AccountRole, AccountRoleAssignment, Contact, CustomField, Membership, Tag,
)
from crm.permissions import SYSTEM
from imports import jobs, pipeline, undo
from imports.models import ImportJob, ImportUndo
from tests.actors import owner_of, uploader
from tests.imports.conftest import import_rows, make_mapping, upload

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

COLUMNS = {
    "Client": "account.name",
    "Type": "account.type",
    "Client ID": "account.client_id",
    "First": "contact.first_name",
    "Last": "contact.last_name",
    "Email": "contact.email",
    "Other emails": "contact.additional_emails",
    "Phone": "contact.phone",
    "City": "contact.city",
    "Born": "contact.date_of_birth",
    "Tags": "account.tags",
    "Contact tags": "contact.tags",
    "Assignee": "account.assignees",
    "Preparer": "account.role:Preparer",
    "Year end": "account.custom:Year end",
    "Referral": "contact.custom:Referral",
}
ACCOUNT_COLUMNS = {k: v for k, v in COLUMNS.items() if v.startswith("account.")}
CONTACT_COLUMNS = {k: v for k, v in COLUMNS.items() if not v.startswith("account.")}  # contacts on no account


def snapshot(firm) -> dict:
    """Everything of the firm an import can touch, by kind (updated_at aside: it only says when)."""
    def rows(queryset, *exclude):
        return sorted((json.dumps({k: v for k, v in row.items() if k not in exclude}, sort_keys=True, default=str)
                       for row in queryset.values()))
    return {
        "accounts": rows(Account.objects.filter(firm=firm), "updated_at"),
        "contacts": rows(Contact.objects.filter(firm=firm), "updated_at"),
        "links": rows(AccountContact.objects.filter(account__firm=firm)),
        "tags": rows(Tag.objects.filter(firm=firm)),
        "account_tags": rows(Account.tags.through.objects.filter(account__firm=firm)),
        "contact_tags": rows(Contact.tags.through.objects.filter(contact__firm=firm)),
        "assignees": rows(Account.assignees.through.objects.filter(account__firm=firm)),
        "roles": rows(AccountRole.objects.filter(firm=firm)),
        "role_holders": rows(AccountRoleAssignment.objects.filter(account__firm=firm)),
        "custom_fields": rows(CustomField.objects.filter(firm=firm)),
    }


@pytest.fixture
def existing(firm, owner, manager):
    """Clients the firm had before the import, some of which the file names again."""
    actor = owner_of(firm)
    vip = services.tag_get_or_create(firm=firm, name="Existing")
    ana = services.account_create(actor=actor, name="Rivera Household", type="individual", client_id="",
                                  tags=[vip])
    contact = services.contact_create(actor=actor, account=ana, first_name="Ana", last_name="Rivera",
                                      email="ana@example.com", city="", phones=["+13125550100"])
    services.contact_link(actor=actor, account=ana, contact=contact, login=False)
    services.account_create(actor=actor, name="Untouched LLC", type="company")
    services.custom_field_create(firm=firm, applies_to="account", name="Year end", field_type="text")
    return ana


def file_rows(manager_email):
    header = list(COLUMNS)
    return [
        header,
        ["Rivera Household", "Company", "C-1", "Ana", "Rivera", "ana@example.com", "ana.work@example.com",
         "312 555 0199", "Chicago", "01/02/1980", "VIP, 1040", "Spouse", manager_email, manager_email, "Dec",
         "Friend"],
        ["Rivera Household", "", "", "Luis", "Rivera", "luis@example.com", "", "", "Austin", "", "New tag", "",
         "", "", "", ""],
        ["Brand New Co", "Company", "C-2", "Bea", "New", "bea@example.com", "", "", "", "", "VIP", "", "", "", "Jun",
         "Ad"],
        ["", "", "", "Carl", "Solo", "carl@example.com", "", "", "Boston", "", "", "", "", "", "", ""],
    ]


def run_undo_now(job, actor=None):
    assert undo.undo_request(job, actor=actor or uploader(job), enqueue=False)
    return undo.run_undo(job.pk)


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("kind, columns", [("accounts-and-contacts", COLUMNS), ("accounts", ACCOUNT_COLUMNS),
                                           ("contacts", CONTACT_COLUMNS)])
def test_undo_puts_the_firm_back_as_it_was_before_the_import(firm, owner, manager, existing, kind, columns,
                                                             overwrite):
    before = snapshot(firm)
    rows = [[cell for header, cell in zip(file_rows(manager.email)[0], row) if header in columns]
            for row in file_rows(manager.email)]
    portal = {"portal": {"Email": {"login": True, "notify": True, "email_sync": False}},
              "send_invitations": True} if kind != "accounts" else {}
    job, counts = import_rows(firm, owner, rows, columns, kind=kind, overwrite=overwrite, **portal)
    assert snapshot(firm) != before
    plan = undo.plan_undo(job)
    assert plan.conflicts == []
    result = run_undo_now(job)
    assert result.status == ImportUndo.Status.DONE and result.conflicts == []
    after = snapshot(firm)
    for name in before:
        assert after[name] == before[name], name
    assert result.counts == plan.counts


def test_undo_counts_say_what_is_removed_and_restored(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS, overwrite=True)
    counts = undo.plan_undo(job).counts
    assert counts["accounts_removed"] == 2  # Brand New Co and Carl Solo
    assert counts["contacts_removed"] == 3  # Luis, Bea, Carl
    assert counts["tags_removed"] == 4  # VIP, 1040, New tag, Spouse
    assert counts["custom_fields_removed"] == 1 and counts["roles_removed"] == 1  # Referral; Preparer
    assert counts["fields_restored"] >= 4  # the type, client ID, city, date of birth of Ana's records...
    assert counts["tags_restored"] == 4  # VIP, 1040, New tag on the household; Spouse on Ana
    assert counts["conflicts"] == 0


def test_records_changed_after_the_import_are_kept_and_listed(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    actor = owner_of(firm)
    brand_new = Account.objects.get(name="Brand New Co")
    services.account_update(actor=actor, account=brand_new, company_name="Brand New Company Inc")
    household = Account.objects.get(name="Rivera Household")
    services.account_update(actor=actor, account=household, client_id="HAND-1")
    carl = Contact.objects.get(email="carl@example.com")
    spouse = Tag.objects.get(name="Spouse")
    services.contact_update(actor=actor, contact=Contact.objects.get(email="bea@example.com"), tags=[spouse])

    plan = undo.plan_undo(job)
    names = {(row["kind"], row["name"]) for row in plan.conflicts}
    assert ("account", "Brand New Co") in names and ("account", "Rivera Household") in names
    assert ("contact", "Bea New") in names  # her tags were set by hand
    result = run_undo_now(job)
    assert Account.objects.get(pk=brand_new.pk).company_name == "Brand New Company Inc"
    assert Account.objects.get(pk=household.pk).client_id == "HAND-1"
    assert not Contact.objects.filter(pk=carl.pk).exists()  # untouched: removed
    assert Contact.objects.filter(email="bea@example.com").exists()
    assert Tag.objects.filter(pk=spouse.pk).exists()  # Bea keeps it, so it stays
    assert {row["name"] for row in result.conflicts} >= {"Brand New Co", "Rivera Household", "Bea New"}


def test_a_tag_the_import_created_and_a_person_used_since_stays(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    untouched = Account.objects.get(name="Untouched LLC")
    services.account_update(actor=owner_of(firm), account=untouched, tags=[Tag.objects.get(name="1040")])
    result = run_undo_now(job)
    assert {"kind": "tag", "id": Tag.objects.get(name="1040").pk, "name": "1040",
            "reason": "used by records that stay"} in result.conflicts
    assert not Tag.objects.filter(name="VIP").exists()


def test_a_later_import_makes_its_records_conflicts(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    later, _ = import_rows(firm, owner, [["Client", "Tags"], ["Brand New Co", "Later"]],
                           {"Client": "account.name", "Tags": "account.tags"}, kind="accounts")
    result = run_undo_now(job)
    assert {"kind": "account", "id": Account.objects.get(name="Brand New Co").pk, "name": "Brand New Co",
            "reason": f"changed by import #{later.pk}"} in result.conflicts


def test_an_account_with_history_by_a_person_is_kept(firm, owner, manager, existing):
    from crm import history

    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    brand_new = Account.objects.get(name="Brand New Co")
    history.record(account=brand_new, kind="note", summary="Called them", actor=owner_of(firm))
    result = run_undo_now(job)
    assert Account.objects.filter(pk=brand_new.pk).exists()
    assert [row["reason"] for row in result.conflicts if row["name"] == "Brand New Co"] == [
        "has history entries by people"]


def test_undoing_twice_does_nothing_the_second_time(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    run_undo_now(job)
    state = snapshot(firm)
    assert not undo.undo_request(job, actor=uploader(job), enqueue=False)
    assert "undone already" in undo.undo_refusal(job)
    assert undo.run_undo(job.pk).status == ImportUndo.Status.DONE
    assert snapshot(firm) == state


def test_an_import_cannot_be_undone_while_it_runs(firm, owner, manager, existing):
    job = upload(firm, owner, file_rows(manager.email), mapping=make_mapping(COLUMNS))
    assert "not run" in undo.undo_refusal(job)
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job.refresh_from_db()
    assert "while it runs" in undo.undo_refusal(job)
    assert not undo.undo_request(job, actor=uploader(job), enqueue=False)
    assert not ImportUndo.objects.exists()


def test_an_undone_import_cannot_be_resumed(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CANCELLED)
    assert jobs.job_is_resumable(job)
    run_undo_now(job)
    assert not jobs.job_is_resumable(job)


# --- Cancelled and resumed imports, a crashed undo ---------------------------------------------

ROWS = 60
BATCH = 20


def many_rows(count=ROWS):
    rows = [["Client", "First", "Last", "Email", "Tags"]]
    for i in range(count):
        rows.append([f"Client {i % 25}", f"First{i}", "Last", f"p{i}@example.com", "VIP" if i % 3 else "B"])
    return rows


MANY = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
        "Email": "contact.email", "Tags": "account.tags"}


def test_a_cancelled_import_can_be_undone(firm, owner, existing, monkeypatch):
    monkeypatch.setattr(jobs, "run_pipeline", partial(pipeline.run_pipeline, batch_size=BATCH))
    before = snapshot(firm)
    job = upload(firm, owner, many_rows(), mapping=make_mapping(MANY))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    real = pipeline.write_batch

    def cancel_after_first(plan, ctx, *, rows_done, totals):
        written = real(plan, ctx, rows_done=rows_done, totals=totals)
        ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
        return written

    monkeypatch.setattr(pipeline, "write_batch", cancel_after_first)
    job = jobs.job_run(job.pk)
    assert job.status == ImportJob.Status.CANCELLED and Account.objects.filter(created_by_import=job).exists()
    assert run_undo_now(job).status == ImportUndo.Status.DONE
    assert snapshot(firm) == before


def test_a_resumed_import_is_undone_whole(firm, owner, existing, monkeypatch):
    monkeypatch.setattr(jobs, "run_pipeline", partial(pipeline.run_pipeline, batch_size=BATCH))
    before = snapshot(firm)
    job = upload(firm, owner, many_rows(), mapping=make_mapping(MANY, overwrite=True))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    real = pipeline.write_batch
    failures = {"left": 1}

    def fail_second(plan, ctx, *, rows_done, totals):
        if rows_done == 2 * BATCH and failures["left"]:
            failures["left"] = 0
            raise RuntimeError("worker died")
        return real(plan, ctx, rows_done=rows_done, totals=totals)

    monkeypatch.setattr(pipeline, "write_batch", fail_second)
    job = jobs.job_run(job.pk)
    assert job.status == ImportJob.Status.FAILED
    assert jobs.job_resume(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.status == ImportJob.Status.FINISHED and job.counts["rows_total"] == ROWS
    run_undo_now(job)
    assert snapshot(firm) == before


def test_a_crashed_undo_resumes_after_its_last_batch(firm, owner, existing, monkeypatch):
    monkeypatch.setattr(undo, "BATCH", 7)
    before = snapshot(firm)
    job, _ = import_rows(firm, owner, many_rows(), MANY)
    real = undo._undo_changes
    calls = {"n": 0}
    original_created = undo._Run._created

    def crash_on_third(self, model, kept, after):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("killed")
        return original_created(self, model, kept, after)

    monkeypatch.setattr(undo._Run, "_created", crash_on_third)
    assert undo.undo_request(job, actor=uploader(job), enqueue=False)
    crashed = undo.run_undo(job.pk)
    assert crashed.status == ImportUndo.Status.FAILED and crashed.units_done == 14
    monkeypatch.setattr(undo._Run, "_created", original_created)
    monkeypatch.setattr(undo, "_undo_changes", real)
    assert undo.undo_request(job, actor=uploader(job), enqueue=False)  # undo again: goes on
    done = undo.run_undo(job.pk)
    assert done.status == ImportUndo.Status.DONE and done.units_done == done.units_total
    assert snapshot(firm) == before


def test_a_running_undo_whose_worker_stopped_is_queued_again(firm, owner, existing):
    job, _ = import_rows(firm, owner, many_rows(), MANY)
    assert undo.undo_request(job, actor=uploader(job), enqueue=False)
    ImportUndo.objects.filter(pk=job.pk).update(status=ImportUndo.Status.RUNNING,
                                                heartbeat_at=timezone.now() - datetime.timedelta(minutes=10))
    with override_settings(TASKS=IMMEDIATE):
        requeued = undo.undo_requeue_interrupted(actor=SYSTEM, silent_for=datetime.timedelta(minutes=5))
    assert [u.pk for u in requeued] == [job.pk]
    assert ImportUndo.objects.get(pk=job.pk).status == ImportUndo.Status.DONE


def test_a_cancelled_undo_stops_between_batches_and_goes_on_when_asked_again(firm, owner, existing, monkeypatch):
    monkeypatch.setattr(undo, "BATCH", 5)
    before = snapshot(firm)
    job, _ = import_rows(firm, owner, many_rows(), MANY)
    original = undo._Run._checkpoint

    def cancel_at_first_checkpoint(self, checkpoint, units):
        original(self, checkpoint, units)
        undo.undo_cancel(job, actor=uploader(job))

    monkeypatch.setattr(undo._Run, "_checkpoint", cancel_at_first_checkpoint)
    assert run_undo_now(job).status == ImportUndo.Status.CANCELLED
    assert Contact.objects.filter(created_by_import=job).count() == ROWS - 5
    monkeypatch.setattr(undo._Run, "_checkpoint", original)
    assert run_undo_now(job).status == ImportUndo.Status.DONE
    assert snapshot(firm) == before


# --- The pages --------------------------------------------------------------------------------

def undo_url(job):
    return reverse("imports:undo", args=[job.pk])


def test_the_results_page_offers_undo_and_the_confirmation_counts(owner_client, firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    assert f'href="{undo_url(job)}"' in owner_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    page = owner_client.get(undo_url(job)).content.decode()
    assert "Undo this import?" in page and 'data-count="accounts_removed">2<' in page


def test_undo_from_the_page_runs_and_emails(owner_client, firm, owner, manager, existing, mailoutbox,
                                            django_capture_on_commit_callbacks):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    mailoutbox.clear()
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        assert owner_client.post(undo_url(job)).status_code == 302
    page = owner_client.get(undo_url(job)).content.decode()
    assert "Undone by Olivia Owner" in page and "was undone" in page
    assert not Account.objects.filter(name="Brand New Co").exists()
    assert [mail.subject for mail in mailoutbox] == ["Your import of clients.csv was undone"]
    assert "Accounts removed: 2" in mailoutbox[0].body
    history = owner_client.get(reverse("imports:history")).content.decode()
    assert "Undone by Olivia Owner" in history


def test_a_second_undo_from_the_page_says_it_was_done(owner_client, firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    run_undo_now(job)
    response = owner_client.post(undo_url(job), follow=True)
    assert "undone already" in response.content.decode()


def test_a_member_without_manage_contacts_may_not_undo(client, firm, owner, plain_member, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    client.force_login(plain_member)
    assert client.get(undo_url(job)).status_code == 403
    assert client.post(undo_url(job)).status_code == 403
    member = Membership.objects.get(user=plain_member)
    with pytest.raises(Exception):
        undo.undo_request(job, actor=member, enqueue=False)
    assert not ImportUndo.objects.exists()


def test_another_firms_import_is_404(client, other_owner, other_firm, firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    client.force_login(other_owner)
    for url in (undo_url(job), reverse("imports:undo_progress", args=[job.pk]),
                reverse("imports:undo_cancel", args=[job.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


# --- CLI --------------------------------------------------------------------------------------

def test_cli_dry_run_says_what_would_happen_and_changes_nothing(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    state = snapshot(firm)
    out = StringIO()
    call_command("undo", str(job.pk), "--user", owner.email, "--dry-run", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["dry_run"] is True and payload["counts"]["accounts_removed"] == 2
    assert snapshot(firm) == state and not ImportUndo.objects.exists()


def test_cli_undo_undoes(firm, owner, manager, existing):
    before_job = snapshot(firm)
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    out = StringIO()
    call_command("undo", str(job.pk), "--user", owner.email, "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["status"] == "done" and payload["counts"]["contacts_removed"] == 3
    assert snapshot(firm) == before_job
    out = StringIO()
    call_command("undo", str(job.pk), "--user", owner.email, stdout=out)
    assert "undone already" in out.getvalue()


def test_cli_refuses_another_firms_member(firm, owner, manager, other_owner, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    with pytest.raises(CommandError, match="may not undo"):
        call_command("undo", str(job.pk), "--user", other_owner.email)
    with pytest.raises(CommandError, match="No import"):
        call_command("undo", "99999", "--user", owner.email)


# --- The property: untouched records come back exactly, touched ones are listed ----------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from imports.models import ImportChange  # noqa: E402
from imports.undo import ACCOUNT_LOG, CONTACT_LOG  # noqa: E402

PROPERTY_COLUMNS = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
                    "Email": "contact.email", "City": "contact.city", "Client ID": "account.client_id",
                    "Tags": "account.tags", "Person tags": "contact.tags", "Source": "contact.custom:Source"}
PROPERTY_ROW = st.tuples(
    st.sampled_from(["Acme LLC", "Smith Family", "New Co", "Other Co", ""]),
    st.sampled_from(["Ann", "Bob", "Cy", ""]),
    st.sampled_from(["Lee", "Smith", ""]),
    st.sampled_from(["ann@example.com", "bob@example.com", "new@example.com", "x@example.com", ""]),
    st.sampled_from(["Boston", "Chicago", ""]),
    st.sampled_from(["ID-1", "ID-2", ""]),
    st.sampled_from(["VIP", "Existing", "VIP; Fresh", ""]),
    st.sampled_from(["Spouse", "", "Existing"]),
    st.sampled_from(["Web", "Ad", ""]),
)
_firms = iter(range(10**6))


def _records(firm):
    accounts = {a["id"]: a for a in Account.objects.filter(firm=firm).values()}
    contacts = {c["id"]: c for c in Contact.objects.filter(firm=firm).values()}
    for records in (accounts, contacts):
        for row in records.values():
            row.pop("updated_at")
    tags = {(kind, pk, tag) for kind, through, column in (("account", Account.tags.through, "account_id"),
                                                          ("contact", Contact.tags.through, "contact_id"))
            for pk, tag in through.objects.filter(tag__firm=firm).values_list(column, "tag_id")}
    links = set(AccountContact.objects.filter(account__firm=firm).values_list(
        "account_id", "contact_id", "login", "notify", "email_sync"))
    return accounts, contacts, tags, links


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(rows=st.lists(PROPERTY_ROW, min_size=1, max_size=12), overwrite=st.booleans(),
       edits=st.lists(st.tuples(st.sampled_from(["account", "contact"]), st.integers(0, 20)), max_size=4))
def test_undo_restores_every_untouched_record_and_lists_every_touched_one(owner, rows, overwrite, edits):
    firm = services.firm_create(name="Generated", slug=f"undo-{next(_firms)}", owner=owner)
    actor = owner_of(firm)
    existing_tag = services.tag_get_or_create(firm=firm, name="Existing")
    acme = services.account_create(actor=actor, name="Acme LLC", type="company", client_id="A-0", tags=[existing_tag])
    services.contact_create(actor=actor, account=acme, first_name="Ann", last_name="Lee", email="ann@example.com",
                            city="Denver")
    smith = services.account_create(actor=actor, name="Smith Family", type="individual")
    services.contact_create(actor=actor, account=smith, first_name="Bob", last_name="Smith", email="bob@example.com")
    services.account_create(actor=actor, name="Quiet Inc", type="company")
    before_accounts, before_contacts, before_tags, before_links = _records(firm)

    job, _ = import_rows(firm, owner, [list(PROPERTY_COLUMNS), *map(list, rows)], PROPERTY_COLUMNS,
                         overwrite=overwrite)
    # People edit a few records (any: created, changed or untouched by the import) after it.
    accounts = list(Account.objects.filter(firm=firm).order_by("pk"))
    contacts = list(Contact.objects.filter(firm=firm).order_by("pk"))
    edited = {"account": set(), "contact": set()}
    for kind, index in edits:
        records = accounts if kind == "account" else contacts
        if not records:
            continue
        record = records[index % len(records)]
        if kind == "account":
            services.account_update(actor=actor, account=record, client_id=f"HAND-{index}")
        else:
            services.contact_update(actor=actor, contact=record, notes=f"hand {index}")
        edited[kind].add(record.pk)
    after_edits_accounts, after_edits_contacts, _, _ = _records(firm)
    log = list(ImportChange.objects.filter(job=job).values_list("model", "object_id"))
    touched = {"account": {pk for model, pk in log if model in ACCOUNT_LOG}
               | set(Account.objects.filter(created_by_import=job).values_list("pk", flat=True)),
               "contact": {pk for model, pk in log if model in CONTACT_LOG}
               | set(Contact.objects.filter(created_by_import=job).values_list("pk", flat=True))}

    result = run_undo_now(job)
    assert result.status == ImportUndo.Status.DONE
    listed = {(row["kind"], row["id"]) for row in result.conflicts}
    for kind in ("account", "contact"):
        for pk in edited[kind] & touched[kind]:
            assert (kind, pk) in listed, (kind, pk)
    assert {key for key in listed if key[0] in ("account", "contact")} <= {
        (kind, pk) for kind in ("account", "contact") for pk in edited[kind]}

    accounts_now, contacts_now, tags_now, links_now = _records(firm)
    for kind, before, now, after_edits in (("account", before_accounts, accounts_now, after_edits_accounts),
                                           ("contact", before_contacts, contacts_now, after_edits_contacts)):
        for pk in set(before) | set(now):
            if pk in edited[kind]:
                assert now[pk] == after_edits[pk]  # kept as the person left it
            else:
                assert now.get(pk) == before.get(pk), (kind, pk)  # back as before, or gone

    def untouched(kind_ids):
        return {row for row in kind_ids if (row[0], row[1]) not in listed}

    assert untouched(tags_now) == untouched(before_tags)
    kept = {pk for kind, pk in listed if kind in ("account", "contact")}
    assert {link for link in links_now if link[0] not in kept and link[1] not in kept} == {
        link for link in before_links if link[0] not in kept and link[1] not in kept}


def test_resume_imports_queues_an_undo_whose_worker_stopped(firm, owner, existing):
    job, _ = import_rows(firm, owner, many_rows(), MANY)
    assert undo.undo_request(job, actor=uploader(job), enqueue=False)
    ImportUndo.objects.filter(pk=job.pk).update(status=ImportUndo.Status.RUNNING, heartbeat_at=None)
    out = StringIO()
    with override_settings(TASKS=IMMEDIATE):
        call_command("resume_imports", "--silent-for", "0", stdout=out)
    assert out.getvalue() == f"The undo of import #{job.pk} queued to go on after its last batch.\n"
    assert ImportUndo.objects.get(pk=job.pk).status == ImportUndo.Status.DONE


def test_the_confirmation_lists_the_kept_records_by_name(owner_client, firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    brand_new = Account.objects.get(name="Brand New Co")
    services.account_update(actor=owner_of(firm), account=brand_new, name="<b>Brand</b> & Co")
    page = owner_client.get(undo_url(job)).content.decode()
    assert 'data-count="conflicts">2<' in page  # the account, and its tag VIP, which it keeps
    assert "used by records that stay" in page
    assert "&lt;b&gt;Brand&lt;/b&gt; &amp; Co" in page and "edited after the import" in page
    assert 'data-count="accounts_removed">1<' in page


def test_an_import_cancelled_before_it_started_offers_no_undo(owner_client, firm, owner, manager, existing):
    job = upload(firm, owner, file_rows(manager.email), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    jobs.job_cancel(job, actor=uploader(job))
    assert job.status == ImportJob.Status.CANCELLED
    assert "Undo this import" not in owner_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "nothing to undo" in undo.undo_refusal(job)
    assert not undo.undo_request(job, actor=uploader(job), enqueue=False)


def test_an_account_a_later_import_put_a_new_person_on_is_kept(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    import_rows(firm, owner, [["Client", "First", "Email"], ["Brand New Co", "Dee", "dee@example.com"]],
                {"Client": "account.name", "First": "contact.first_name", "Email": "contact.email"})
    result = run_undo_now(job)
    brand_new = Account.objects.get(name="Brand New Co")
    assert {"kind": "account", "id": brand_new.pk, "name": "Brand New Co",
            "reason": "a contact was put on it after the import"} in result.conflicts
    assert brand_new.contacts.filter(email="dee@example.com").exists()


def test_a_contact_put_by_hand_on_an_imported_account_keeps_it(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    brand_new = Account.objects.get(name="Brand New Co")
    services.contact_create(actor=owner_of(firm), account=brand_new, first_name="Hand", email="hand@example.com")
    run_undo_now(job)
    assert Account.objects.filter(pk=brand_new.pk).exists()
    assert not Account.objects.filter(name="Carl Solo").exists()


def test_the_undo_page_polls_its_progress_and_can_cancel_it(owner_client, firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    assert undo.undo_request(job, actor=uploader(job), enqueue=False)  # queued: no worker in this test
    page = owner_client.get(undo_url(job)).content.decode()
    assert 'data-testid="undo-progress"' in page and "Cancel undo" in page
    fragment = owner_client.get(reverse("imports:undo_progress", args=[job.pk]))
    assert "Waiting to start" in fragment.content.decode()
    response = owner_client.post(reverse("imports:undo_cancel", args=[job.pk]), follow=True)
    assert "Undo the rest of this import" in response.content.decode()
    assert ImportUndo.objects.get(pk=job.pk).status == ImportUndo.Status.CANCELLED
    assert owner_client.get(reverse("imports:undo_progress", args=[job.pk])).headers["HX-Refresh"] == "true"
    assert Account.objects.filter(name="Brand New Co").exists()  # nothing was undone


def test_an_invitation_the_import_sent_on_an_existing_link_is_withdrawn(firm, owner, manager, existing, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    ana_link = AccountContact.objects.get(contact__email="ana@example.com")
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS, send_invitations=True,
                             portal={"Email": {"login": True, "notify": False, "email_sync": False}})
    ana_link.refresh_from_db()
    assert ana_link.login and ana_link.invitation == AccountContact.Invitation.INVITED  # the mail went out
    assert undo.plan_undo(job).counts["invitations_withdrawn"] == 1
    run_undo_now(job)
    ana_link.refresh_from_db()
    assert (ana_link.login, ana_link.invitation, ana_link.invited_at, ana_link.queued_by_import_id) == (
        False, AccountContact.Invitation.NOT_INVITED, None, None)


def test_an_imported_account_with_documents_is_kept(firm, owner, manager, existing):
    from django.core.files.base import ContentFile

    from portal.models import Document

    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    brand_new = Account.objects.get(name="Brand New Co")
    # Stored without a history entry, so only the document itself can keep the account.
    Document.objects.create(firm=firm, account=brand_new, file=ContentFile(b"%PDF-1.4", name="letter.pdf"),
                            original_name="letter.pdf", size=8, side=Document.Side.TEAM)
    result = run_undo_now(job)
    assert Account.objects.filter(pk=brand_new.pk).exists() and brand_new.documents.count() == 1
    assert [row["reason"] for row in result.conflicts if row["name"] == "Brand New Co"] == ["has documents"]


def test_people_a_merge_moved_onto_an_existing_client_stay(firm, owner, manager, existing):
    from crm.merging import merge_accounts

    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    untouched = Account.objects.get(name="Untouched LLC")
    duplicate = Account.objects.get(name="Brand New Co")
    merge_accounts(actor=owner_of(firm), survivor=untouched, other=duplicate)
    bea = Contact.objects.get(email="bea@example.com")
    result = run_undo_now(job)
    assert untouched.contacts.filter(pk=bea.pk).exists()
    assert {"kind": "contact", "id": bea.pk, "name": "Bea New",
            "reason": "its account was merged with another after the import"} in result.conflicts
    assert not Contact.objects.filter(email="carl@example.com").exists()


def test_assignees_of_a_kept_account_are_not_counted_as_restored(firm, owner, manager, existing):
    job, _ = import_rows(firm, owner, file_rows(manager.email), COLUMNS)
    assert undo.plan_undo(job).counts["assignments_restored"] == 2  # the household's assignee and preparer
    household = Account.objects.get(name="Rivera Household")
    services.account_update(actor=owner_of(firm), account=household, client_id="HAND")
    assert undo.plan_undo(job).counts["assignments_restored"] == 0
