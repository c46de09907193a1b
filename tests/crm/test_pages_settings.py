"""Settings: firm details, team, tags, custom fields, account roles, folder templates."""

import re

import pytest
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from crm import services
from crm.models import Account, CustomField, FolderTemplate, Membership, Tag, User
from tests.actors import owner_of


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    "name", ["settings", "settings_team", "settings_tags", "settings_custom_fields", "settings_roles", "settings_folders"]
)
def test_every_settings_page_renders_for_the_owner(owner_client, name):
    response = owner_client.get(reverse(f"crm:{name}"))
    assert response.status_code == 200
    assert b'aria-current="page"' in response.content


def test_settings_link_only_for_owner_and_admin(client, firm, admin_user, manager):
    client.force_login(admin_user)
    assert reverse("crm:settings") in client.get(reverse("crm:account_list")).content.decode()
    client.force_login(manager)
    html = client.get(reverse("crm:account_list")).content.decode()
    assert f'href="{reverse("crm:settings")}"' not in html
    # Who may import manages the import mappings, the one setting that is theirs.
    assert f'href="{reverse("imports:saved_mappings")}"' in html


def test_update_firm_details(owner_client, firm):
    response = owner_client.post(reverse("crm:settings"), {"name": "Alpha CPA", "default_country": "gb", "date_order": "DMY",
                                                           "individual_account_names": "last_first"})
    assert response.status_code == 302
    firm.refresh_from_db()
    assert (firm.name, firm.default_country, firm.date_order) == ("Alpha CPA", "GB", "DMY")
    assert firm.individual_account_names == "last_first"


def test_unknown_country_is_refused(owner_client, firm):
    response = owner_client.post(reverse("crm:settings"), {"name": "A", "default_country": "XX", "date_order": "MDY"})
    assert "default_country" in response.context["form"].errors


# --- Team ---------------------------------------------------------------------------------------


def test_add_member_emails_a_working_set_password_link(owner_client, client, firm, settings,
                                                       django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://app.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("crm:settings_team"),
            {"email": "New.Person@Firm-A.example", "full_name": "New Person", "role": "member",
             "can_manage_contacts": "on"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(firm=firm, user__email="new.person@firm-a.example")
    assert membership.role == "member" and membership.can_manage_contacts
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@firm-a.example"]
    link = re.search(r"https://app\.example(/password-reset/\S+/)", mail.outbox[0].body).group(1)

    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "a fresh Passw0rd!", "new_password2": "a fresh Passw0rd!"})
    assert done.status_code == 302
    assert client.login(request=HttpRequest(), username="new.person@firm-a.example", password="a fresh Passw0rd!")


def test_adding_an_existing_user_tells_them_to_sign_in(owner_client, firm, other_owner,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("crm:settings_team"), {"email": other_owner.email, "role": "admin"})
    assert Membership.objects.get(firm=firm, user=other_owner).role == "admin"
    assert "password-reset" not in mail.outbox[0].body
    assert "/login/" in mail.outbox[0].body


def test_adding_a_current_member_again_is_a_form_error(owner_client, plain_member):
    response = owner_client.post(reverse("crm:settings_team"), {"email": plain_member.email, "role": "admin"})
    assert "already on the team" in response.context["form"].errors["email"][0]
    assert not mail.outbox


def test_change_role_and_right(owner_client, firm, plain_member):
    membership = Membership.objects.get(firm=firm, user=plain_member)
    owner_client.post(reverse("crm:member_update", args=[membership.pk]), {"role": "admin", "can_manage_contacts": "on"})
    membership.refresh_from_db()
    assert membership.role == "admin" and membership.can_manage_contacts


def test_admin_cannot_make_an_owner_or_touch_the_owner(client, firm, admin_user, plain_member, owner_membership):
    client.force_login(admin_user)
    membership = Membership.objects.get(firm=firm, user=plain_member)
    client.post(reverse("crm:member_update", args=[membership.pk]), {"role": "owner"})
    membership.refresh_from_db()
    assert membership.role == "member"
    client.post(reverse("crm:member_deactivate", args=[owner_membership.pk]))
    owner_membership.refresh_from_db()
    assert owner_membership.is_active


def test_deactivate_and_reactivate(owner_client, firm, manager):
    membership = Membership.objects.get(firm=firm, user=manager)
    owner_client.post(reverse("crm:member_deactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active
    owner_client.post(reverse("crm:member_reactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active and membership.can_manage_contacts


def test_nobody_deactivates_themselves(owner_client, owner_membership):
    response = owner_client.post(reverse("crm:member_deactivate", args=[owner_membership.pk]), follow=True)
    owner_membership.refresh_from_db()
    assert owner_membership.is_active
    assert "cannot" in messages_of(response)[-1]


def test_an_owner_may_deactivate_another_owner_but_not_demote_themselves(client, firm, owner_membership):
    second = services.member_add(actor=owner_of(firm), email="second@firm-a.example", role="owner")
    client.force_login(second.user)
    client.post(reverse("crm:member_deactivate", args=[owner_membership.pk]))
    owner_membership.refresh_from_db()
    assert not owner_membership.is_active
    # Now `second` is the only owner; the original owner comes back as a member and cannot demote them.
    response = client.post(reverse("crm:member_update", args=[second.pk]), {"role": "member"}, follow=True)
    second.refresh_from_db()
    assert second.role == "owner"
    assert response.status_code == 200


# --- Tags ---------------------------------------------------------------------------------------


def test_tags_list_with_usage_and_create_rename_delete(owner_client, firm):
    vip = services.tag_get_or_create(firm=firm, name="VIP")
    services.account_create(actor=owner_of(firm), name="A", tags=[vip], folder_template=None)
    response = owner_client.get(reverse("crm:settings_tags"))
    assert response.context["tags"][0].account_count == 1

    owner_client.post(reverse("crm:settings_tags"), {"name": "Payroll"})
    assert Tag.objects.filter(firm=firm, name="Payroll").exists()
    duplicate = owner_client.post(reverse("crm:settings_tags"), {"name": "payroll"})
    assert "already exists" in duplicate.context["form"].errors["name"][0]

    owner_client.post(reverse("crm:tag_rename", args=[vip.pk]), {"name": "Very important"})
    vip.refresh_from_db()
    assert vip.name == "Very important"
    clash = owner_client.post(reverse("crm:tag_rename", args=[vip.pk]), {"name": "PAYROLL"}, follow=True)
    assert "already exists" in messages_of(clash)[-1]

    owner_client.post(reverse("crm:tag_delete", args=[vip.pk]))
    assert not Tag.objects.filter(pk=vip.pk).exists()
    assert Account.objects.filter(firm=firm, name="A").exists()


# --- Custom fields ------------------------------------------------------------------------------


def test_create_dropdown_field_and_delete_it_with_its_values(owner_client, firm):
    response = owner_client.post(
        reverse("crm:settings_custom_fields"),
        {"name": "Filing status", "applies_to": "contact", "field_type": "dropdown", "options": "Single\nMarried\n\nSingle"},
    )
    assert response.status_code == 302
    field = CustomField.objects.get(firm=firm, name="Filing status")
    assert field.options == ["Single", "Married"] and field.applies_to == "contact"

    contact = services.contact_create(actor=owner_of(firm), first_name="A", custom_values={field.value_key: "Single", "other": 1})
    owner_client.post(reverse("crm:custom_field_delete", args=[field.pk]))
    assert not CustomField.objects.filter(pk=field.pk).exists()
    contact.refresh_from_db()
    assert contact.custom_values == {"other": 1}


def test_dropdown_needs_options_and_names_are_unique(owner_client, firm):
    response = owner_client.post(
        reverse("crm:settings_custom_fields"), {"name": "X", "applies_to": "account", "field_type": "dropdown"}
    )
    assert "options" in response.context["form"].errors
    services.custom_field_create(firm=firm, applies_to="account", name="Entity")
    response = owner_client.post(
        reverse("crm:settings_custom_fields"), {"name": "entity", "applies_to": "account", "field_type": "text"}
    )
    assert "name" in response.context["form"].errors
    # The same name for contacts is another field.
    response = owner_client.post(
        reverse("crm:settings_custom_fields"), {"name": "entity", "applies_to": "contact", "field_type": "text"}
    )
    assert response.status_code == 302


# --- Roles --------------------------------------------------------------------------------------


def test_roles_create_and_delete(owner_client, firm):
    owner_client.post(reverse("crm:settings_roles"), {"name": "Tax preparer"})
    role = firm.account_roles.get()
    assert role.name == "Tax preparer"
    duplicate = owner_client.post(reverse("crm:settings_roles"), {"name": "tax  PREPARER"})
    assert "name" in duplicate.context["form"].errors
    owner_client.post(reverse("crm:role_delete", args=[role.pk]))
    assert not firm.account_roles.exists()


# --- Folder templates ---------------------------------------------------------------------------


def test_folder_templates_create_default_and_delete(owner_client, firm):
    builtin = firm.default_folder_template
    owner_client.post(
        reverse("crm:settings_folders"), {"name": "Bookkeeping", "folders": "Bank / 2024 \nBank/2024\n\nPayroll"}
    )
    template = FolderTemplate.objects.get(firm=firm, name="Bookkeeping")
    assert template.folders == ["Bank/2024", "Payroll"]

    owner_client.post(reverse("crm:folder_template_default"), {"template": template.pk})
    firm.refresh_from_db()
    assert firm.default_folder_template == template
    owner_client.post(reverse("crm:folder_template_default"), {"template": "none"})
    firm.refresh_from_db()
    assert firm.default_folder_template is None

    owner_client.post(reverse("crm:folder_template_delete", args=[template.pk]))
    assert not FolderTemplate.objects.filter(pk=template.pk).exists()
    response = owner_client.post(reverse("crm:folder_template_delete", args=[builtin.pk]), follow=True)
    assert FolderTemplate.objects.filter(pk=builtin.pk).exists()
    assert "built-in" in messages_of(response)[-1]


def test_another_firms_template_cannot_become_the_default(owner_client, firm, other_firm):
    response = owner_client.post(reverse("crm:folder_template_default"), {"template": other_firm.default_folder_template_id})
    firm.refresh_from_db()
    assert firm.default_folder_template.firm_id == firm.pk
    assert response.status_code == 302


def test_user_count_unchanged_by_failed_add(owner_client):
    before = User.objects.count()
    owner_client.post(reverse("crm:settings_team"), {"email": "not-an-email", "role": "member"})
    assert User.objects.count() == before


def test_the_retention_of_uploaded_client_lists_is_a_firm_setting(owner_client, firm):
    page = owner_client.get(reverse("crm:settings")).content.decode()
    assert 'name="import_file_retention_days"' in page and 'value="30"' in page
    owner_client.post(reverse("crm:settings"), {"name": firm.name, "default_country": "US", "date_order": "MDY",
                                                "import_file_retention_days": "7"})
    firm.refresh_from_db()
    assert firm.import_file_retention_days == 7
    response = owner_client.post(reverse("crm:settings"), {"name": firm.name, "default_country": "US",
                                                           "date_order": "MDY", "import_file_retention_days": "0"})
    assert "import_file_retention_days" in response.context["form"].errors
