"""Shared fixtures: two firms with owners, so every test can try the other firm's data too."""

import pytest

from crm import services
from crm.models import Membership, User
from tests.actors import owner_of


def make_user(email: str, password: str = "correct horse battery staple", full_name: str = "") -> User:
    return User.objects.create_user(email=email, password=password, full_name=full_name)


@pytest.fixture
def owner(db):
    return make_user("owner@firm-a.example", full_name="Olivia Owner")


@pytest.fixture
def firm(owner):
    return services.firm_create(name="Alpha Tax & Accounting", slug="alpha", owner=owner)


@pytest.fixture
def owner_membership(firm, owner):
    return Membership.objects.get(firm=firm, user=owner)


@pytest.fixture
def admin_user(firm):
    return services.member_add(actor=owner_of(firm), email="admin@firm-a.example", full_name="Adam Admin", role="admin").user


@pytest.fixture
def manager(firm):
    """A plain member who holds the *Manage contacts* right."""
    membership = services.member_add(
        actor=owner_of(firm), email="manager@firm-a.example", full_name="Mia Manager", can_manage_contacts=True
    )
    membership.user.set_password("correct horse battery staple")
    membership.user.save()
    return membership.user


@pytest.fixture
def plain_member(firm):
    """A member without *Manage contacts*: may look, may not import or edit."""
    membership = services.member_add(actor=owner_of(firm), email="member@firm-a.example", full_name="Max Member")
    membership.user.set_password("correct horse battery staple")
    membership.user.save()
    return membership.user


@pytest.fixture
def other_owner(db):
    return make_user("owner@firm-b.example", full_name="Brenda Other")


@pytest.fixture
def other_firm(other_owner):
    return services.firm_create(name="Beta Bookkeeping", slug="beta", owner=other_owner)


@pytest.fixture
def owner_client(client, owner, firm):
    client.force_login(owner)
    return client
