"""docs/crm-rules.md: the owner, admins and members with Manage contacts may import; nobody else."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from crm.models import Membership
from crm.permissions import can_import, can_manage_firm, import_permission_required


def membership_of(user, firm):
    return Membership.objects.filter(firm=firm, user=user).first()


@pytest.mark.parametrize(
    "person, allowed",
    [("owner", True), ("admin_user", True), ("manager", True), ("plain_member", False)],
)
def test_who_may_import(request, firm, person, allowed):
    user = request.getfixturevalue(person)
    assert can_import(membership_of(user, firm)) is allowed


def test_an_inactive_member_may_not_import_even_as_owner(firm, owner_membership):
    owner_membership.is_active = False
    owner_membership.save()
    assert can_import(owner_membership) is False


def test_a_member_of_another_firm_may_not_import_here(firm, other_firm, other_owner):
    assert membership_of(other_owner, firm) is None
    assert can_import(membership_of(other_owner, firm)) is False
    assert can_import(membership_of(other_owner, other_firm)) is True


def test_no_membership_behind_the_lazy_object_means_no(db):
    assert can_import(SimpleLazyObject(lambda: None)) is False
    assert can_manage_firm(SimpleLazyObject(lambda: None)) is False


def test_manage_contacts_does_not_make_a_firm_admin(firm, manager, admin_user):
    assert can_manage_firm(membership_of(manager, firm)) is False
    assert can_manage_firm(membership_of(admin_user, firm)) is True


def protected_view(request):
    return HttpResponse("imported")


def call_protected(user, membership):
    request = RequestFactory().get("/imports/new/")
    request.user = user
    request.membership = SimpleLazyObject(lambda: membership)
    return import_permission_required(protected_view)(request)


def test_import_door_sends_strangers_to_the_login_page(db):
    response = call_protected(AnonymousUser(), None)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_import_door_refuses_a_user_without_a_firm(other_owner):
    with pytest.raises(PermissionDenied):
        call_protected(other_owner, None)


def test_import_door_refuses_a_member_without_manage_contacts(firm, plain_member):
    with pytest.raises(PermissionDenied):
        call_protected(plain_member, membership_of(plain_member, firm))


def test_import_door_opens_for_a_member_with_manage_contacts(firm, manager):
    assert call_protected(manager, membership_of(manager, firm)).content == b"imported"
