"""The CRM write paths every door (views, importer, commands) goes through."""

import pytest
from django.core.exceptions import PermissionDenied

from crm import services
from crm.models import Account, FolderTemplate, Membership, User
from tests.actors import owner_of


def test_firm_create_makes_the_owner_and_the_default_template(owner):
    firm = services.firm_create(name="Gamma CPA", slug="gamma", owner=owner)
    membership = Membership.objects.get(firm=firm, user=owner)
    assert membership.role == Membership.Role.OWNER and membership.is_active
    assert firm.default_folder_template.is_builtin
    assert firm.default_folder_template.name == services.BUILTIN_TEMPLATE_NAME
    assert FolderTemplate.objects.filter(firm=firm).count() == 1


def test_member_add_creates_a_user_without_a_usable_password(firm):
    membership = services.member_add(actor=owner_of(firm), email="  New.Person@Example.com ", full_name="New Person")
    user = membership.user
    assert user.email == "new.person@example.com"
    assert not user.has_usable_password()
    assert membership.role == Membership.Role.MEMBER and not membership.can_manage_contacts


def test_member_add_reuses_an_existing_user_in_another_firm(firm, other_firm, other_owner):
    membership = services.member_add(actor=owner_of(firm), email="OWNER@firm-b.example", role=Membership.Role.ADMIN)
    assert membership.user == other_owner
    assert User.objects.filter(email__iexact="owner@firm-b.example").count() == 1
    assert set(other_owner.memberships.values_list("firm__slug", flat=True)) == {"alpha", "beta"}


def test_member_add_again_reactivates_and_updates_the_member(firm, plain_member):
    membership = Membership.objects.get(firm=firm, user=plain_member)
    membership.is_active = False
    membership.save()
    again = services.member_add(actor=owner_of(firm), email=plain_member.email, can_manage_contacts=True)
    assert again.pk == membership.pk
    assert again.is_active and again.can_manage_contacts
    assert Membership.objects.filter(firm=firm, user=plain_member).count() == 1


def test_nobody_may_demote_the_last_owner(firm, owner_membership, admin_user):
    admin = Membership.objects.get(firm=firm, user=admin_user)
    for actor in (owner_membership, admin):  # not the owner themselves, not an admin
        with pytest.raises(PermissionDenied):
            services.member_update(actor=actor, membership=owner_membership, role=Membership.Role.ADMIN,
                                   can_manage_contacts=True)
    owner_membership.refresh_from_db()
    assert owner_membership.role == Membership.Role.OWNER


def test_member_update_may_demote_an_owner_when_another_remains(firm, owner_membership, admin_user):
    second = services.member_add(actor=owner_of(firm), email=admin_user.email, role=Membership.Role.OWNER)
    services.member_update(actor=second, membership=owner_membership, role=Membership.Role.ADMIN,
                           can_manage_contacts=False)
    owner_membership.refresh_from_db()
    assert owner_membership.role == Membership.Role.ADMIN
    assert second.role == Membership.Role.OWNER


def test_account_create_applies_the_firms_default_folder_template(firm):
    account = services.account_create(actor=owner_of(firm), name="Jane Doe")
    assert account.folders == firm.default_folder_template.folder_paths()


def test_account_create_without_folder_template(firm):
    account = services.account_create(actor=owner_of(firm), name="Jane Doe", folder_template=None)
    assert account.folders == []


def test_account_create_when_the_firm_has_no_default_template(firm):
    services.folder_template_set_default(firm=firm, template=None)
    account = services.account_create(actor=owner_of(firm), name="Jane Doe")
    assert account.folders == []


def test_account_create_with_another_template(firm):
    template = FolderTemplate.objects.create(firm=firm, name="Business", folders=["Payroll", "Sales tax"])
    account = services.account_create(actor=owner_of(firm), name="Acme LLC", type=Account.Type.COMPANY, folder_template=template)
    assert account.folders == ["Payroll", "Sales tax"]


def test_applying_a_template_twice_adds_no_folder(firm):
    account = services.account_create(actor=owner_of(firm), name="Jane Doe")
    before = list(account.folders)
    assert services.account_apply_folder_template(account=account, template=firm.default_folder_template) == []
    account.refresh_from_db()
    assert account.folders == before


def test_applying_a_template_adds_only_the_missing_folders_after_the_existing_ones(firm):
    account = services.account_create(actor=owner_of(firm), name="Jane Doe", folder_template=None)
    services.account_update(actor=owner_of(account), account=account, folders=["Payroll"])
    template = FolderTemplate.objects.create(firm=firm, name="Business", folders=["Payroll", "Sales tax"])
    assert services.account_apply_folder_template(account=account, template=template) == ["Sales tax"]
    account.refresh_from_db()
    assert account.folders == ["Payroll", "Sales tax"]


def test_folder_template_of_another_firm_cannot_be_the_default(firm, other_firm):
    with pytest.raises(ValueError):
        services.folder_template_set_default(firm=firm, template=other_firm.default_folder_template)


def test_contact_link_refuses_a_contact_of_another_firm(firm, other_firm):
    account = services.account_create(actor=owner_of(firm), name="Jane Doe", folder_template=None)
    stranger = services.contact_create(actor=owner_of(other_firm), first_name="Eve", email="eve@example.com")
    with pytest.raises(ValueError, match="same firm"):
        services.contact_link(actor=owner_of(account), account=account, contact=stranger)
    assert not account.contact_links.exists()


def test_contact_link_twice_keeps_one_link_with_the_latest_switches(firm):
    account = services.account_create(actor=owner_of(firm), name="Jane Doe", folder_template=None)
    contact = services.contact_create(actor=owner_of(firm), first_name="Jane", last_name="Doe", email="jane@example.com")
    services.contact_link(actor=owner_of(account), account=account, contact=contact)
    link = services.contact_link(actor=owner_of(account), account=account, contact=contact, login=True, notify=True)
    assert account.contact_links.count() == 1
    assert (link.login, link.notify, link.email_sync) == (True, True, False)


def test_account_role_assign_refuses_a_member_of_another_firm(firm, other_firm, other_owner):
    account = services.account_create(actor=owner_of(firm), name="Jane Doe", folder_template=None)
    role = services.account_role_get_or_create(firm=firm, name="Tax preparer")
    outsider = Membership.objects.get(firm=other_firm, user=other_owner)
    with pytest.raises(ValueError):
        services.account_role_assign(account=account, role=role, member=outsider)


def test_tags_are_one_per_spelling(firm):
    first = services.tag_get_or_create(firm=firm, name="VIP")
    assert services.tag_get_or_create(firm=firm, name="  vip ") == first
