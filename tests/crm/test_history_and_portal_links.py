"""An account's history names who acted; a client's portal reaches only the accounts whose link
has Login on."""

import pytest
from django.http import Http404
from django.urls import reverse

from crm import history, selectors, services
from crm.models import AccountContact
from crm.permissions import SYSTEM
from tests.actors import owner_of
from tests.conftest import make_user


@pytest.fixture
def account_with_client(firm):
    actor = owner_of(firm)
    account = services.account_create(actor=actor, name="Rivera Household")
    contact = services.contact_create(actor=actor, account=account, first_name="Ana", last_name="Rivera",
                                      email="ana@example.com")
    user = make_user("ana@example.com", full_name="Ana Rivera")
    contact.portal_user = user
    contact.save(update_fields=["portal_user"])
    AccountContact.objects.filter(account=account, contact=contact).update(login=True)
    return account, contact, user


def test_history_names_the_team_member_the_client_and_clientport(firm, account_with_client):
    account, contact, user = account_with_client
    history.record(account=account, kind="note", summary="changed the phone", actor=owner_of(firm))
    history.record(account=account, kind="contact_corrected", summary="corrected the address", client_user=user,
                   contact=contact)
    history.record(account=account, kind="undo", summary="undid import #3", actor=SYSTEM)
    entries = history.account_history(account=account)
    assert [(e.actor_kind, e.actor_name) for e in entries] == [
        ("system", "Clientport"), ("client", "Ana Rivera"), ("team", owner_of(firm).display_name)
    ]


def test_history_refuses_an_event_without_exactly_one_actor(firm, account_with_client):
    account, _, user = account_with_client
    with pytest.raises(ValueError):
        history.record(account=account, kind="note", summary="nobody")
    with pytest.raises(ValueError):
        history.record(account=account, kind="note", summary="both", actor=SYSTEM, client_user=user)


def test_the_account_page_shows_the_history(owner_client, firm, account_with_client):
    account, contact, user = account_with_client
    history.record(account=account, kind="contact_corrected", summary="corrected the street", client_user=user,
                   contact=contact)
    page = owner_client.get(reverse("crm:account_detail", args=[account.pk])).content.decode()
    assert "corrected the street" in page and "Ana Rivera" in page


def test_portal_links_follow_the_login_switch(firm, account_with_client):
    account, contact, user = account_with_client
    assert [link.account for link in selectors.portal_links(user=user)] == [account]
    AccountContact.objects.filter(account=account, contact=contact).update(login=False)
    assert list(selectors.portal_links(user=user)) == []
    with pytest.raises(Http404):
        selectors.portal_account_link(user=user, account_pk=account.pk)


def test_portal_links_never_reach_another_clients_account(firm, account_with_client):
    account, _, _ = account_with_client
    stranger = make_user("stranger@example.com")
    with pytest.raises(Http404):
        selectors.portal_account_link(user=stranger, account_pk=account.pk)
