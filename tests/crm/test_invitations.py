"""Portal invitations: queued by a team member, mailed by the worker from the firm's name, a
set-password link that works once and expires after the firm's days, resend, failure and retry,
revoke by turning Login off, and the accounts list's bulk *Invite to portal*."""

import datetime
import re
import smtplib
from email.utils import parseaddr

import pytest
from django.contrib.auth import SESSION_KEY, get_user
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from crm import invitations, selectors, services
from crm.models import AccountContact, AccountEvent, Contact, User
from crm.permissions import SYSTEM
from tests.actors import owner_of

pytestmark = pytest.mark.django_db
PASSWORD = "a long portal passphrase 42"
Invitation = AccountContact.Invitation


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://clients.example.test"
    settings.DEFAULT_FROM_EMAIL = "Clientport <no-reply@clientport.example.test>"


def add_client(firm, account_name, first, email, *, login=True):
    actor = owner_of(firm)
    account = services.account_create(actor=actor, name=account_name)
    contact = services.contact_create(actor=actor, first_name=first, last_name=account_name.split()[0], email=email)
    link = services.contact_link(actor=actor, account=account, contact=contact, login=login)
    return AccountContact.objects.select_related("account__firm", "contact").get(pk=link.pk)


@pytest.fixture
def ana(firm):
    return add_client(firm, "Rivera Household", "Ana", "ana@example.com")


def invite(link, capture):
    with capture(execute=True):
        return invitations.invitations_queue(actor=owner_of(link.account.firm), links=[link])


def invitation_path(message) -> str:
    url = re.search(r"https://clients\.example\.test(/portal/invitation/\S+/)", message.body)
    assert url, message.body
    return url.group(1)


def reload(link) -> AccountContact:
    return AccountContact.objects.select_related("account__firm", "contact").get(pk=link.pk)


# --- Sending ----------------------------------------------------------------------------------


def test_an_invitation_is_mailed_by_the_worker_from_the_firms_name(firm, ana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = invitations.invitations_queue(actor=owner_of(firm), links=[ana])
    assert result.queued == [ana.pk]
    assert reload(ana).invitation == Invitation.QUEUED and mail.outbox == []  # nothing sent in the request
    for callback in callbacks:  # the commit: the task runs (inline in tests)
        callback()
    [message] = mail.outbox
    assert parseaddr(message.from_email) == ("Alpha Tax & Accounting", "no-reply@clientport.example.test")
    assert message.to == ["ana@example.com"] and "Alpha Tax & Accounting" in message.subject
    assert "expires after 7 days" in message.body and "Rivera Household" in message.body
    link = reload(ana)
    assert link.invitation == Invitation.INVITED and link.invited_at is not None and link.invitation_attempts == 1
    # A new user for the email, who cannot sign in until they choose a password.
    user = User.objects.get(email="ana@example.com")
    assert not user.has_usable_password()


def test_one_mail_per_contact_with_several_accounts(firm, ana, django_capture_on_commit_callbacks):
    office = services.account_create(actor=owner_of(firm), name="Rivera Bakery LLC", type="company")
    second = services.contact_link(actor=owner_of(firm), account=office, contact=ana.contact, login=True)
    links = AccountContact.objects.filter(pk__in=[ana.pk, second.pk]).select_related("account", "contact")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_queue(actor=owner_of(firm), links=links)
    [message] = mail.outbox
    assert "Rivera Household" in message.body and "Rivera Bakery LLC" in message.body
    assert {link.invitation for link in AccountContact.objects.filter(contact=ana.contact)} == {Invitation.INVITED}


def test_links_without_login_or_email_are_skipped_with_the_reason(firm, ana):
    no_login = add_client(firm, "Lee Family", "Wei", "wei@example.com", login=False)
    no_email = add_client(firm, "Okafor", "Ada", "", login=False)
    AccountContact.objects.filter(pk=no_email.pk).update(login=True)
    result = invitations.invitations_queue(actor=owner_of(firm), links=[ana, no_login, reload(no_email)],
                                           enqueue=False)
    assert result.queued == [ana.pk]
    assert dict(result.skipped) == {"Login is off": 1, "no email address": 1}
    assert result.message() == "1 invitation queued; 1 skipped: Login is off; 1 skipped: no email address."


def test_sending_twice_sends_each_invitation_once(firm, ana):
    invitations.invitations_queue(actor=owner_of(firm), links=[ana], enqueue=False)
    first = invitations.invitations_send(actor=SYSTEM, link_ids=[ana.pk])
    second = invitations.invitations_send(actor=SYSTEM, link_ids=[ana.pk])
    assert (first.sent, second.sent, len(mail.outbox)) == (1, 0, 1)


def test_only_clientport_itself_sends(firm, ana):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invitations.invitations_send(actor=owner_of(firm), link_ids=[ana.pk])


# --- Accepting --------------------------------------------------------------------------------


def test_accepting_sets_the_password_signs_in_and_goes_to_the_portal(client, firm, ana,
                                                                     django_capture_on_commit_callbacks):
    invite(ana, django_capture_on_commit_callbacks)
    path = invitation_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200 and "Alpha Tax &amp; Accounting" in page.content.decode()
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    user = User.objects.get(email="ana@example.com")
    assert user.check_password(PASSWORD) and client.session[SESSION_KEY] == str(user.pk)
    link = reload(ana)
    assert link.invitation == Invitation.ACCEPTED and link.accepted_at is not None
    assert Contact.objects.get(pk=ana.contact_id).portal_user == user
    assert [each.account for each in selectors.portal_links(user=user)] == [ana.account]
    assert AccountEvent.objects.filter(account=ana.account, kind="invitation_accepted", actor_kind="client").exists()


def test_an_invitation_link_works_once(client, firm, ana, django_capture_on_commit_callbacks):
    invite(ana, django_capture_on_commit_callbacks)
    path = invitation_path(mail.outbox[0])
    client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    again = client.post(path, {"new_password1": "someone else's 99 pass", "new_password2": "someone else's 99 pass"})
    assert again.status_code == 410 and "no longer works" in again.content.decode()
    assert User.objects.get(email="ana@example.com").check_password(PASSWORD)


def test_a_weak_password_is_refused_with_the_reason(client, firm, ana, django_capture_on_commit_callbacks):
    invite(ana, django_capture_on_commit_callbacks)
    response = client.post(invitation_path(mail.outbox[0]), {"new_password1": "abc", "new_password2": "abc"})
    assert response.status_code == 200 and "too short" in response.content.decode()
    assert reload(ana).invitation == Invitation.INVITED


def test_the_link_expires_after_the_firms_days(client, firm, ana, django_capture_on_commit_callbacks, monkeypatch):
    firm.portal_invitation_days = 2
    firm.save()
    invite(ana, django_capture_on_commit_callbacks)
    path = invitation_path(mail.outbox[0])
    later = datetime.datetime.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(invitations.invitation_tokens, "_now", lambda: later)
    page = client.get(path)
    assert page.status_code == 410 and "Ask Alpha Tax &amp; Accounting for a new invitation" in page.content.decode()
    # The same wait is fine for a firm that gives a week.
    firm.portal_invitation_days = 7
    firm.save()
    assert client.get(path).status_code == 200


def test_an_expired_invitation_shows_as_expired_with_resend(owner_client, firm, ana):
    AccountContact.objects.filter(pk=ana.pk).update(invitation=Invitation.INVITED,
                                                    invited_at=timezone.now() - datetime.timedelta(days=8))
    page = owner_client.get(reverse("crm:account_detail", args=[ana.account_id])).content.decode()
    assert ">Expired<" in page and ">Resend<" in page


def test_resending_kills_the_old_link_and_the_new_one_works(client, firm, ana, django_capture_on_commit_callbacks):
    invite(ana, django_capture_on_commit_callbacks)
    old = invitation_path(mail.outbox[0])
    invite(reload(ana), django_capture_on_commit_callbacks)
    new = invitation_path(mail.outbox[1])
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


def test_a_tampered_or_foreign_token_does_not_work_and_names_no_firm(client, firm, ana,
                                                                    django_capture_on_commit_callbacks):
    other = add_client(firm, "Lee Family", "Wei", "wei@example.com")
    invite(ana, django_capture_on_commit_callbacks)
    invite(other, django_capture_on_commit_callbacks)
    ana_path, wei_path = invitation_path(mail.outbox[0]), invitation_path(mail.outbox[1])
    swapped = "/".join(ana_path.split("/")[:4] + wei_path.split("/")[4:])  # Ana's link, Wei's token
    for path in (swapped, ana_path[:-3] + "00/", "/portal/invitation/bm9wZQ/1-abc/"):
        page = client.get(path)
        assert page.status_code == 410 and "Alpha" not in page.content.decode()


# --- Failures and retries ---------------------------------------------------------------------


class RefusingBackend(LocmemBackend):
    """A mail server that refuses the first `refusals` messages."""

    refusals = 0

    def send_messages(self, messages):
        if RefusingBackend.refusals:
            RefusingBackend.refusals -= 1
            raise smtplib.SMTPRecipientsRefused({"ana@example.com": (550, b"mailbox unavailable")})
        return super().send_messages(messages)


@pytest.fixture
def refusing_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    return RefusingBackend


def test_a_failed_mail_is_retried_and_then_sent(firm, ana, refusing_mail, django_capture_on_commit_callbacks):
    refusing_mail.refusals = 1
    invite(ana, django_capture_on_commit_callbacks)
    link = reload(ana)
    assert len(mail.outbox) == 1 and link.invitation == Invitation.INVITED and link.invitation_attempts == 2


def test_a_mail_failing_every_time_ends_failed_with_the_error_shown(owner_client, firm, ana, refusing_mail,
                                                                   django_capture_on_commit_callbacks):
    refusing_mail.refusals = invitations.MAX_ATTEMPTS
    invite(ana, django_capture_on_commit_callbacks)
    link = reload(ana)
    assert mail.outbox == [] and link.invitation == Invitation.FAILED
    assert link.invitation_attempts == invitations.MAX_ATTEMPTS and "mailbox unavailable" in link.invitation_error
    page = owner_client.get(reverse("crm:account_detail", args=[ana.account_id])).content.decode()
    assert "Failed: SMTPRecipientsRefused" in page and ">Resend<" in page
    # Resend starts over: the mail server is back.
    refusing_mail.refusals = 0
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("crm:link_invite", args=[ana.account_id, ana.pk]))
    assert len(mail.outbox) == 1 and reload(ana).invitation == Invitation.INVITED


def test_one_refused_address_does_not_stop_the_batch(firm, ana, refusing_mail):
    wei = add_client(firm, "Lee Family", "Wei", "wei@example.com")
    refusing_mail.refusals = 1
    invitations.invitations_queue(actor=owner_of(firm), links=[ana, wei], enqueue=False)
    result = invitations.invitations_send(actor=SYSTEM, link_ids=[ana.pk, wei.pk])
    assert result.sent == 1 and result.retry == [ana.pk]
    assert [m.to for m in mail.outbox] == [["wei@example.com"]]
    assert reload(ana).invitation == Invitation.QUEUED and "mailbox unavailable" in reload(ana).invitation_error


# --- Revoking ---------------------------------------------------------------------------------


def accepted_client(client, link, capture):
    invite(link, capture)
    client.post(invitation_path(mail.outbox[-1]), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    return User.objects.get(email=link.contact.email)


def signed_in_user(client):
    """Who the browser's session signs in, checked as every request checks it (the session must
    match the user's current password hash)."""
    request = HttpRequest()
    request.session = client.session
    return get_user(request)


def test_turning_login_off_ends_the_clients_portal_session(client, owner, firm, ana,
                                                          django_capture_on_commit_callbacks):
    user = accepted_client(client, ana, django_capture_on_commit_callbacks)
    assert signed_in_user(client) == user
    team = type(client)()
    team.force_login(owner)
    response = team.post(reverse("crm:account_contact_switch", args=[ana.account_id, ana.pk]),
                         {"field": "login", "value": "off"})
    assert response.status_code == 302
    # The client's session is over: the same browser is signed out.
    assert not signed_in_user(client).is_authenticated
    assert list(selectors.portal_links(user=User.objects.get(pk=user.pk))) == []
    link = reload(ana)
    assert link.invitation == Invitation.NOT_INVITED and link.portal_state == "no_access"
    assert AccountEvent.objects.filter(account=ana.account, kind="portal_access_revoked").exists()


def test_a_revoked_client_can_be_invited_again(client, owner, firm, ana, django_capture_on_commit_callbacks):
    user = accepted_client(client, ana, django_capture_on_commit_callbacks)
    services.contact_link(actor=owner_of(firm), account=ana.account, contact=ana.contact, login=False)
    assert not User.objects.get(pk=user.pk).has_usable_password()
    services.contact_link(actor=owner_of(firm), account=ana.account, contact=ana.contact, login=True)
    again = type(client)()
    accepted_client(again, reload(ana), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2 and reload(ana).invitation == Invitation.ACCEPTED
    assert [link.account for link in selectors.portal_links(user=user)] == [ana.account]


def test_revoking_one_account_keeps_the_others(client, firm, ana, django_capture_on_commit_callbacks):
    office = services.account_create(actor=owner_of(firm), name="Rivera Bakery LLC", type="company")
    services.contact_link(actor=owner_of(firm), account=office, contact=ana.contact, login=True)
    user = accepted_client(client, ana, django_capture_on_commit_callbacks)
    assert {link.account.name for link in selectors.portal_links(user=user)} == {"Rivera Household",
                                                                                 "Rivera Bakery LLC"}
    services.contact_link(actor=owner_of(firm), account=ana.account, contact=ana.contact, login=False)
    assert [link.account.name for link in selectors.portal_links(user=user)] == ["Rivera Bakery LLC"]
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)  # still signs in for the bakery


def test_a_revoked_invitation_link_no_longer_works(client, firm, ana, django_capture_on_commit_callbacks):
    invite(ana, django_capture_on_commit_callbacks)
    path = invitation_path(mail.outbox[0])
    services.contact_link(actor=owner_of(firm), account=ana.account, contact=ana.contact, login=False)
    services.contact_link(actor=owner_of(firm), account=ana.account, contact=ana.contact, login=True)
    assert client.get(path).status_code == 410


# --- The pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("fields, shown", [
    ({"login": False}, "No access"),
    ({}, "Not invited"),
    ({"invitation": "queued"}, "Queued"),
    ({"invitation": "invited", "invited_at": datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)},
     "Invited on Nov 30, 2026"),
    ({"invitation": "accepted", "accepted_at": timezone.now()}, "Accepted"),
    ({"invitation": "failed", "invitation_error": "SMTPRecipientsRefused: 550"}, "Failed: SMTPRecipientsRefused: 550"),
])
def test_the_account_and_contact_pages_show_the_portal_state(owner_client, firm, ana, fields, shown, monkeypatch):
    if "invited_at" in fields:  # not expired yet
        monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC))
    AccountContact.objects.filter(pk=ana.pk).update(**fields)
    for url in (reverse("crm:account_detail", args=[ana.account_id]),
                reverse("crm:contact_detail", args=[ana.contact_id])):
        assert shown in owner_client.get(url).content.decode()


def test_the_invite_button_queues_one_invitation(owner_client, firm, ana, django_capture_on_commit_callbacks):
    page = owner_client.get(reverse("crm:account_detail", args=[ana.account_id])).content.decode()
    assert ">Invite<" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("crm:link_invite", args=[ana.account_id, ana.pk]),
                                     {"next": reverse("crm:contact_detail", args=[ana.contact_id])}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:contact_detail", args=[ana.contact_id])
    assert "Portal invitation to Ana Rivera queued" in response.content.decode()
    assert len(mail.outbox) == 1


def test_inviting_takes_the_edit_right_and_the_firms_own_link(client, plain_member, other_owner, other_firm, firm,
                                                              ana):
    url = reverse("crm:link_invite", args=[ana.account_id, ana.pk])
    client.force_login(plain_member)
    assert client.post(url).status_code == 403
    client.force_login(other_owner)
    assert client.post(url).status_code == 404
    assert client.post(reverse("crm:accounts_invite"), {"account": [ana.account_id]}).status_code == 404
    assert reload(ana).invitation == Invitation.NOT_INVITED


def test_invite_to_portal_on_the_accounts_list_counts_queued_and_skipped(owner_client, firm, ana,
                                                                        django_capture_on_commit_callbacks):
    wei = add_client(firm, "Lee Family", "Wei", "wei@example.com")
    add_client(firm, "Rivera Trust", "Luis", "luis@example.com", login=False)
    page = owner_client.get(reverse("crm:account_list")).content.decode()
    assert "Invite to portal" in page and "Select all 3 accounts" in page
    # The accounts matching the list's search "Rivera": Ana's (Login on) and the trust's (off).
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("crm:accounts_invite"), {"all_matching": "1", "filter": "q=Rivera"},
                                     follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:account_list") + "?q=Rivera"
    assert "1 invitation queued; 1 skipped: Login is off." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    # The ticked accounts only.
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("crm:accounts_invite"), {"account": [wei.account_id]})
    assert [m.to for m in mail.outbox][1:] == [["wei@example.com"]]


def test_invite_to_portal_without_a_selection_says_what_to_do(owner_client, firm, ana):
    response = owner_client.post(reverse("crm:accounts_invite"), {}, follow=True)
    assert "Select the accounts to invite" in response.content.decode()


def test_the_firm_sets_how_long_invitations_last(owner_client, firm):
    response = owner_client.post(reverse("crm:settings"), {
        "name": firm.name, "default_country": "US", "date_order": "MDY", "portal_invitation_days": "14",
    })
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.portal_invitation_days == 14
    refused = owner_client.post(reverse("crm:settings"), {
        "name": firm.name, "default_country": "US", "date_order": "MDY", "portal_invitation_days": "0",
    })
    assert refused.status_code == 200 and "greater than or equal to 1" in refused.content.decode()


def test_email_sync_says_it_has_no_effect_yet(owner_client, firm, ana):
    for url in (reverse("crm:account_detail", args=[ana.account_id]),
                reverse("crm:contact_detail", args=[ana.contact_id])):
        assert "has no effect" in owner_client.get(url).content.decode()
