"""Every CRM action takes its actor and checks the right itself, not only at the page's door;
the invitation email goes out only once the new member is committed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from crm import services
from crm.models import Account, AccountContact, Contact, Membership
from tests.actors import owner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(firm):
    actor = owner_of(firm)
    account = services.account_create(actor=actor, name="Acme LLC", type="company", folder_template=None)
    contact = services.contact_create(actor=actor, first_name="Jane", last_name="Doe")
    return {"account": account, "contact": contact}


def member(firm, user):
    return Membership.objects.select_related("firm", "user").get(firm=firm, user=user)


CLIENT_ACTIONS = {
    "account create": lambda a, r: services.account_create(actor=a, name="Sneaky"),
    "account update": lambda a, r: services.account_update(actor=a, account=r["account"], name="Sneaky"),
    "contact create": lambda a, r: services.contact_create(actor=a, first_name="Sneaky"),
    "contact update": lambda a, r: services.contact_update(actor=a, contact=r["contact"], first_name="Sneaky"),
    "link": lambda a, r: services.contact_link(actor=a, account=r["account"], contact=r["contact"]),
}


def nothing_changed(firm, records) -> bool:
    return (not Account.objects.filter(name="Sneaky").exists() and not Contact.objects.filter(first_name="Sneaky").exists()
            and not AccountContact.objects.exists())


@pytest.mark.parametrize("action", list(CLIENT_ACTIONS))
def test_a_member_without_manage_contacts_is_refused_by_the_service(action, firm, plain_member, records):
    with pytest.raises(PermissionDenied):
        CLIENT_ACTIONS[action](member(firm, plain_member), records)
    assert nothing_changed(firm, records)


@pytest.mark.parametrize("action", list(CLIENT_ACTIONS))
def test_a_member_with_manage_contacts_may(action, firm, manager, records):
    CLIENT_ACTIONS[action](member(firm, manager), records)
    assert not nothing_changed(firm, records)


@pytest.mark.parametrize("action", ["account update", "contact update", "link"])
def test_the_owner_of_another_firm_cannot_touch_this_firm_s_records(action, other_firm, other_owner, records, firm):
    with pytest.raises(PermissionDenied):
        CLIENT_ACTIONS[action](member(other_firm, other_owner), records)
    assert nothing_changed(firm, records)


def test_a_new_account_is_made_in_the_actor_s_firm(firm, other_firm):
    account = services.account_create(actor=owner_of(other_firm), name="Theirs")
    assert account.firm == other_firm


TEAM_ACTIONS = {
    "add": lambda a, m: services.member_add(actor=a, email="new@firm-a.example"),
    "invite": lambda a, m: services.member_invite(actor=a, email="new@firm-a.example"),
    "update": lambda a, m: services.member_update(actor=a, membership=m, role="admin", can_manage_contacts=True),
    "deactivate": lambda a, m: services.member_deactivate(actor=a, membership=m),
    "reactivate": lambda a, m: services.member_reactivate(actor=a, membership=m),
    "firm details": lambda a, m: services.firm_update(actor=a, name="Renamed", default_country="US", date_order="MDY"),
}


@pytest.mark.parametrize("action", list(TEAM_ACTIONS))
def test_managing_the_firm_is_refused_to_a_member_with_manage_contacts(action, firm, manager, plain_member):
    target = member(firm, plain_member)
    with pytest.raises(PermissionDenied):
        TEAM_ACTIONS[action](member(firm, manager), target)
    target.refresh_from_db()
    firm.refresh_from_db()
    assert target.role == "member" and target.is_active and firm.name != "Renamed"
    assert not Membership.objects.filter(user__email="new@firm-a.example").exists()


def test_an_admin_cannot_touch_an_owner_nor_make_one(firm, admin_user, owner_membership, plain_member):
    admin = member(firm, admin_user)
    with pytest.raises(PermissionDenied):
        services.member_deactivate(actor=admin, membership=owner_membership)
    with pytest.raises(PermissionDenied, match="Only an owner"):
        services.member_update(actor=admin, membership=member(firm, plain_member), role="owner",
                               can_manage_contacts=True)
    with pytest.raises(PermissionDenied, match="Only an owner"):
        services.member_add(actor=admin, email="new@firm-a.example", role="owner")
    services.member_update(actor=admin, membership=member(firm, plain_member), role="admin", can_manage_contacts=True)


def test_nobody_deactivates_themselves(firm, owner_membership):
    with pytest.raises(PermissionDenied):
        services.member_deactivate(actor=owner_membership, membership=owner_membership)


def test_the_invitation_is_mailed_only_after_commit(firm, owner_membership, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.member_invite(actor=owner_membership, email="new@firm-a.example", full_name="New Person")
        assert mail.outbox == []  # not while the membership is uncommitted
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["new@firm-a.example"]]
    assert "Olivia Owner" in mail.outbox[0].body


def test_a_rolled_back_invitation_mails_nobody(firm, owner_membership, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.member_invite(actor=owner_membership, email="new@firm-a.example")
            raise RuntimeError("the request failed after the invitation")
    assert callbacks == [] and mail.outbox == []
    assert not Membership.objects.filter(user__email="new@firm-a.example").exists()
