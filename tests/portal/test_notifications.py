"""Notify: clients with Notify (and Login) on hear of documents the firm shares, one mail per
upload batch, sent after commit by the worker; the team hears of a client's upload when the firm
asks for it. Tasks run inline in tests (tests/settings.py: the immediate backend)."""

import pytest
from django.core import mail
from django.urls import reverse

from crm import services
from crm.models import AccountContact, Membership
from portal import services as portal_services
from portal.models import Document
from portal.tasks import notify_clients_of_documents
from tests.actors import owner_of
from tests.portal.conftest import upload


@pytest.fixture
def household(ana, firm):
    """Ana (Notify on), her husband Luis (Notify off), both with Login on."""
    AccountContact.objects.filter(pk=ana.link.pk).update(notify=True)
    luis = services.contact_create(actor=owner_of(firm), account=ana.account, first_name="Luis",
                                   last_name="Rivera", email="luis@example.com")
    AccountContact.objects.filter(account=ana.account, contact=luis).update(login=True, notify=False)
    return ana


def share(client, account, *names, shared=True):
    data = {"folder": "2025/Tax return", "files": [upload(name) for name in names]}
    if shared:
        data["shared"] = "on"
    return client.post(reverse("documents:upload", args=[account.pk]), data)


def test_a_shared_upload_mails_each_notified_client_once_per_batch(owner_client, household,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        share(owner_client, household.account, "1040.pdf", "state return.pdf", "invoice.pdf")
    [message] = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.from_email == "Alpha Tax & Accounting <no-reply@clientport.localhost>"
    assert message.subject == "Alpha Tax & Accounting shared 3 documents with you"
    for name in ("1040.pdf", "state return.pdf", "invoice.pdf"):
        assert name in message.body
    assert "/portal/accounts/%d/" % household.account.pk in message.body


def test_the_mail_leaves_only_after_commit(owner_client, household, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        share(owner_client, household.account, "1040.pdf")
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_an_internal_upload_mails_nobody_and_sharing_it_later_does(owner_client, household,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        share(owner_client, household.account, "draft.pdf", shared=False)
    assert mail.outbox == []
    draft = Document.objects.get(original_name="draft.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("documents:share", args=[household.account.pk, draft.pk]), {"shared": "on"})
    [message] = mail.outbox
    assert message.subject == "Alpha Tax & Accounting shared a document with you" and "draft.pdf" in message.body


def test_notify_off_gets_no_mail(owner_client, household, django_capture_on_commit_callbacks):
    AccountContact.objects.filter(account=household.account).update(notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        share(owner_client, household.account, "1040.pdf")
    assert mail.outbox == []


def test_notify_without_login_gets_no_mail(owner_client, household, django_capture_on_commit_callbacks):
    AccountContact.objects.filter(account=household.account).update(login=False, notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        share(owner_client, household.account, "1040.pdf")
    assert mail.outbox == []


def test_a_retried_task_sends_nothing_twice(owner_client, household, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        share(owner_client, household.account, "1040.pdf")
    document = Document.objects.get(original_name="1040.pdf")
    notify_clients_of_documents.enqueue(household.account.pk, [document.pk])
    assert len(mail.outbox) == 1


def test_another_accounts_clients_hear_nothing(owner_client, household, ben, django_capture_on_commit_callbacks):
    AccountContact.objects.filter(pk=ben.link.pk).update(notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        share(owner_client, household.account, "1040.pdf")
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]


# --- The team, when a client uploads ------------------------------------------------------------


def client_upload(ana_client, ana, *names):
    return ana_client.post(reverse("portal:upload", args=[ana.account.pk]),
                           {"folder": "Payroll", "files": [upload(name) for name in names]})


def test_a_client_upload_mails_the_members_who_edit_clients(ana_client, ana, manager, plain_member,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_upload(ana_client, ana, "w2.pdf", "1099.pdf")
    assert sorted(m.to[0] for m in mail.outbox) == ["manager@firm-a.example", "owner@firm-a.example"]
    message = mail.outbox[0]
    assert message.subject == "Ana Rivera uploaded 2 document(s) to Rivera Household"
    assert "w2.pdf" in message.body and "1099.pdf" in message.body
    assert f"/clients/accounts/{ana.account.pk}/" in message.body
    assert message.from_email == "Alpha Tax & Accounting <no-reply@clientport.localhost>"


def test_a_client_upload_mails_the_accounts_assignees_when_it_has_some(ana_client, ana, manager, firm,
                                                                        django_capture_on_commit_callbacks):
    ana.account.assignees.set([Membership.objects.get(user=manager, firm=firm)])
    with django_capture_on_commit_callbacks(execute=True):
        client_upload(ana_client, ana, "w2.pdf")
    assert [m.to for m in mail.outbox] == [["manager@firm-a.example"]]


def test_the_firm_setting_off_mails_nobody(ana_client, ana, firm, django_capture_on_commit_callbacks):
    firm.notify_team_on_client_upload = False
    firm.save(update_fields=["notify_team_on_client_upload"])
    with django_capture_on_commit_callbacks(execute=True):
        client_upload(ana_client, ana, "w2.pdf")
    assert mail.outbox == []


def test_the_firm_settings_page_turns_the_team_mail_off_and_on(owner_client, firm):
    data = {"name": firm.name, "default_country": "US", "date_order": "MDY"}
    page = owner_client.get(reverse("crm:settings")).content.decode()
    assert "Email the team when a client uploads a document" in page
    owner_client.post(reverse("crm:settings"), data)
    firm.refresh_from_db()
    assert firm.notify_team_on_client_upload is False
    owner_client.post(reverse("crm:settings"), {**data, "notify_team_on_client_upload": "on"})
    firm.refresh_from_db()
    assert firm.notify_team_on_client_upload is True


def test_a_clients_upload_does_not_mail_the_clients(ana_client, household, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_upload(ana_client, household, "w2.pdf")
    assert all(not m.to[0].endswith("@example.com") for m in mail.outbox)


def test_the_service_path_enqueues_after_commit_too(household, firm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.documents_upload_by_team(actor=owner_of(firm), account=household.account, folder="",
                                                 files=[upload("a.pdf"), upload("b.pdf")], shared=True)
    assert len(mail.outbox) == 1


def test_the_sender_is_the_firms_name_at_the_servers_address_without_header_breaks(firm, settings):
    from portal.notifications import firm_sender

    settings.DEFAULT_FROM_EMAIL = "Clientport <mail@cpa.example>"
    firm.name = "Smith, Jones\nBcc: victim@example.com"
    assert firm_sender(firm) == '"Smith, Jones Bcc: victim@example.com" <mail@cpa.example>'
