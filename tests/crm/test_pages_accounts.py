"""Clients > Accounts: list, detail, create, edit, contacts on an account."""

from html import unescape
import re

import pytest
from django.urls import reverse

from crm import services
from crm.models import Account, AccountContact, CustomField, Membership
from tests.actors import owner_of

LIST = reverse("crm:account_list")


def link_of(response, rel: str) -> str:
    """The href of the page's `rel="next"` / `rel="prev"` link, unescaped."""
    match = re.search(rf'href="([^"]*)" rel="{rel}"', response.content.decode())
    assert match, f"no {rel} link"
    return unescape(match.group(1))


def names_in(response) -> list[str]:
    return [account.name for account in response.context["accounts"]]


@pytest.fixture
def vip(firm):
    return services.tag_get_or_create(firm=firm, name="VIP")


@pytest.fixture
def accounts(firm, vip):
    smith = services.account_create(actor=owner_of(firm), name="Smith Household", tags=[vip], folder_template=None)
    acme = services.account_create(actor=owner_of(firm), name="Acme LLC", type=Account.Type.COMPANY, folder_template=None)
    contact = services.contact_create(actor=owner_of(firm), first_name="Jane", last_name="Doe", email="jane@acme.example")
    services.contact_link(actor=owner_of(acme), account=acme, contact=contact)
    return {"smith": smith, "acme": acme, "jane": contact}


# --- List ---------------------------------------------------------------------------------------


def test_list_shows_the_firms_accounts_with_counts_tags_and_assignees(owner_client, firm, accounts, owner_membership):
    services.account_update(actor=owner_of(accounts["smith"]), account=accounts["smith"], assignees=[owner_membership])
    response = owner_client.get(LIST)
    assert response.status_code == 200
    assert names_in(response) == ["Acme LLC", "Smith Household"]
    html = response.content.decode()
    assert "VIP" in html and "Olivia Owner" in html
    acme = next(a for a in response.context["accounts"] if a.name == "Acme LLC")
    assert acme.contact_count == 1


def test_list_never_shows_another_firms_accounts(owner_client, accounts, other_firm):
    services.account_create(actor=owner_of(other_firm), name="Beta Secret Client", folder_template=None)
    response = owner_client.get(LIST)
    assert "Beta Secret Client" not in response.content.decode()


def test_search_by_name(owner_client, accounts):
    response = owner_client.get(LIST, {"q": "smith"})
    assert names_in(response) == ["Smith Household"]


def test_search_by_contact_email(owner_client, accounts):
    response = owner_client.get(LIST, {"q": "jane@acme"})
    assert names_in(response) == ["Acme LLC"]


def test_filter_by_tag(owner_client, accounts, vip):
    response = owner_client.get(LIST, {"tag": vip.pk})
    assert names_in(response) == ["Smith Household"]


def test_filter_by_type(owner_client, accounts):
    response = owner_client.get(LIST, {"type": "company"})
    assert names_in(response) == ["Acme LLC"]


def test_another_firms_tag_is_not_a_valid_filter(owner_client, accounts, other_firm):
    foreign = services.tag_get_or_create(firm=other_firm, name="VIP")
    response = owner_client.get(LIST, {"tag": foreign.pk})
    assert response.status_code == 200
    assert set(names_in(response)) == {"Acme LLC", "Smith Household"}


def test_pagination_is_50_per_page_and_keeps_filters(owner_client, firm, vip):
    for number in range(60):
        services.account_create(actor=owner_of(firm), name=f"Client {number:02d}", tags=[vip], folder_template=None)
    services.account_create(actor=owner_of(firm), name="Client untagged", folder_template=None)
    first = owner_client.get(LIST, {"tag": vip.pk, "q": "client"})
    assert len(first.context["accounts"]) == 50
    next_url = link_of(first, "next")
    assert next_url.startswith(f"?tag={vip.pk}&q=client&after=")
    second = owner_client.get(LIST + next_url)
    assert len(second.context["accounts"]) == 10
    assert "Client untagged" not in second.content.decode()
    assert "Client 59" in second.content.decode()


def test_import_and_new_buttons_follow_the_rights(client, firm, accounts, plain_member, manager):
    client.force_login(plain_member)
    html = client.get(LIST).content.decode()
    assert reverse("imports:start") not in html
    assert reverse("crm:account_create") not in html
    client.force_login(manager)
    html = client.get(LIST).content.decode()
    assert reverse("imports:start") in html
    assert reverse("crm:account_create") in html


def test_account_name_with_script_is_escaped(owner_client, firm):
    account = services.account_create(actor=owner_of(firm), name="<script>alert(1)</script>", folder_template=None)
    for url in (LIST, reverse("crm:account_detail", args=[account.pk]), reverse("crm:account_edit", args=[account.pk])):
        html = owner_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Detail -------------------------------------------------------------------------------------


def test_detail_shows_everything_about_the_account(owner_client, firm, accounts, owner_membership):
    acme = accounts["acme"]
    role = services.account_role_get_or_create(firm=firm, name="Tax preparer")
    services.account_role_assign(account=acme, role=role, member=owner_membership)
    field = services.custom_field_create(firm=firm, applies_to="account", name="Fiscal year end", field_type="date")
    flag = services.custom_field_create(firm=firm, applies_to="account", name="Has payroll", field_type="yes_no")
    services.account_update(
        actor=owner_of(acme), account=acme, client_id="C-0042", custom_values={field.value_key: "2024-06-30", flag.value_key: True}
    )
    services.account_apply_folder_template(account=acme, template=firm.default_folder_template)
    AccountContact.objects.filter(account=acme).update(login=True, invitation="invited")

    response = owner_client.get(reverse("crm:account_detail", args=[acme.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Acme LLC", "Company", "C-0042", "Tax preparer", "Olivia Owner", "Fiscal year end",
                 "Jun 30, 2024", "Has payroll", "Yes", "Engagement letters", "Jane Doe", "Invited"):
        assert text in html, text
    assert 'aria-checked="true"' in html  # Login is on


def test_switch_toggles_with_a_plain_post(owner_client, accounts):
    link = AccountContact.objects.get(account=accounts["acme"])
    url = reverse("crm:account_contact_switch", args=[accounts["acme"].pk, link.pk])
    response = owner_client.post(url, {"field": "notify", "value": "on"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.notify and not link.login and not link.email_sync


def test_switch_with_htmx_returns_the_row(owner_client, accounts):
    link = AccountContact.objects.get(account=accounts["acme"])
    link.email_sync = True
    link.save()
    url = reverse("crm:account_contact_switch", args=[accounts["acme"].pk, link.pk])
    response = owner_client.post(url, {"field": "login", "value": "on"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="link-{link.pk}">')
    link.refresh_from_db()
    assert link.login and link.email_sync


def test_login_needs_an_email(owner_client, firm, accounts):
    nameless = services.contact_create(actor=owner_of(firm), first_name="No", last_name="Email")
    link = services.contact_link(actor=owner_of(accounts["acme"]), account=accounts["acme"], contact=nameless)
    url = reverse("crm:account_contact_switch", args=[accounts["acme"].pk, link.pk])
    response = owner_client.post(url, {"field": "login", "value": "on"}, follow=True)
    assert "has no email address" in response.content.decode()
    link.refresh_from_db()
    assert not link.login


def test_add_an_existing_contact_to_an_account(owner_client, accounts):
    smith, jane = accounts["smith"], accounts["jane"]
    found = owner_client.get(reverse("crm:account_detail", args=[smith.pk]), {"contact_q": "jane"})
    assert jane in found.context["addable_contacts"]
    response = owner_client.post(reverse("crm:account_contact_add", args=[smith.pk]), {"contact": jane.pk})
    assert response.status_code == 302
    assert smith.contacts.filter(pk=jane.pk).exists()


def test_contact_search_with_htmx_returns_only_the_options(owner_client, accounts):
    response = owner_client.get(
        reverse("crm:account_detail", args=[accounts["smith"].pk]),
        {"contact_q": "doe"},
        headers={"HX-Request": "true", "HX-Target": "contact-options"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="contact-options">')
    assert "Jane Doe" in html and "<html" not in html


def test_adding_an_already_linked_contact_keeps_its_switches(owner_client, accounts):
    acme, jane = accounts["acme"], accounts["jane"]
    AccountContact.objects.filter(account=acme, contact=jane).update(login=True)
    owner_client.post(reverse("crm:account_contact_add", args=[acme.pk]), {"contact": jane.pk})
    assert AccountContact.objects.get(account=acme, contact=jane).login


# --- Create and edit ----------------------------------------------------------------------------


@pytest.fixture
def setup(firm, vip, admin_user):
    """Tags, members, a role and one custom field of every type."""
    admin = Membership.objects.get(firm=firm, user=admin_user)
    role = services.account_role_get_or_create(firm=firm, name="Reviewer")
    fields = {
        kind: services.custom_field_create(
            firm=firm, applies_to="account", name=f"F {kind}", field_type=kind,
            options=["Q1", "Q2"] if kind == "dropdown" else None,
        )
        for kind in CustomField.Type.values
    }
    return {"admin": admin, "role": role, "fields": fields}


def test_create_account_with_everything(owner_client, firm, vip, setup, owner_membership):
    fields = setup["fields"]
    data = {
        "name": "  Brown   Family ",
        "type": "individual",
        "client_id": "B-7",
        "tags": [vip.pk],
        "assignees": [owner_membership.pk, setup["admin"].pk],
        f"role_{setup['role'].pk}": setup["admin"].pk,
        "folder_template": "default",
        f"cf_{fields['text'].pk}": "hello",
        f"cf_{fields['number'].pk}": "12.50",
        f"cf_{fields['date'].pk}": "2024-02-29",
        f"cf_{fields['yes_no'].pk}": "false",
        f"cf_{fields['dropdown'].pk}": "Q2",
        f"cf_{fields['email'].pk}": "books@brown.example",
        f"cf_{fields['phone'].pk}": "+1 212 555 0100",
        f"cf_{fields['url'].pk}": "https://brown.example",
    }
    response = owner_client.post(reverse("crm:account_create"), data)
    account = Account.objects.get(firm=firm, name="Brown Family")
    assert response.status_code == 302 and response.url == reverse("crm:account_detail", args=[account.pk])
    assert account.client_id == "B-7"
    assert list(account.tags.all()) == [vip]
    assert set(account.assignees.all()) == {owner_membership, setup["admin"]}
    assert account.role_assignments.get().member == setup["admin"]
    assert account.folders == firm.default_folder_template.folder_paths()
    assert account.custom_values == {
        fields["text"].value_key: "hello",
        fields["number"].value_key: 12.5,
        fields["date"].value_key: "2024-02-29",
        fields["yes_no"].value_key: False,
        fields["dropdown"].value_key: "Q2",
        fields["email"].value_key: "books@brown.example",
        fields["phone"].value_key: "+12125550100",  # as an import stores it
        fields["url"].value_key: "https://brown.example",
    }


def test_create_company_fills_company_name_and_no_folders(owner_client, firm):
    owner_client.post(reverse("crm:account_create"), {"name": "Globex", "type": "company", "folder_template": "none"})
    account = Account.objects.get(firm=firm, name="Globex")
    assert account.company_name == "Globex"
    assert account.folders == []


def test_bad_custom_values_are_form_errors(owner_client, firm, setup):
    fields = setup["fields"]
    response = owner_client.post(
        reverse("crm:account_create"),
        {"name": "X", "type": "other", f"cf_{fields['number'].pk}": "twelve", f"cf_{fields['dropdown'].pk}": "Q9"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert f"cf_{fields['number'].pk}" in form.errors and f"cf_{fields['dropdown'].pk}" in form.errors
    assert not Account.objects.filter(firm=firm, name="X").exists()


def test_foreign_tags_and_members_are_refused(owner_client, firm, other_firm, other_owner):
    foreign_tag = services.tag_get_or_create(firm=other_firm, name="Theirs")
    foreign_member = Membership.objects.get(firm=other_firm, user=other_owner)
    response = owner_client.post(
        reverse("crm:account_create"),
        {"name": "Sneaky", "type": "other", "tags": [foreign_tag.pk], "assignees": [foreign_member.pk]},
    )
    assert response.status_code == 200
    assert {"tags", "assignees"} <= set(response.context["form"].errors)
    assert not Account.objects.filter(name="Sneaky").exists()


def test_deactivated_members_cannot_be_assigned(owner_client, firm, plain_member):
    membership = Membership.objects.get(firm=firm, user=plain_member)
    services.member_deactivate(actor=owner_of(firm), membership=membership)
    response = owner_client.post(
        reverse("crm:account_create"), {"name": "Z", "type": "other", "assignees": [membership.pk]}
    )
    assert "assignees" in response.context["form"].errors


@pytest.mark.parametrize("name", ["Smith Household", "  smith   HOUSEHOLD ", "ＳＭＩＴＨ Household"])
def test_a_second_account_of_a_name_is_created_and_the_first_is_linked(owner_client, firm, accounts, name):
    """Two clients may share a name: the new one is made, and the page points at the other."""
    response = owner_client.post(reverse("crm:account_create"), {"name": name, "type": "individual"}, follow=True)
    assert response.status_code == 200
    assert Account.objects.filter(firm=firm).count() == 3
    shown = [str(message) for message in response.context["messages"]]
    first = accounts["smith"]
    assert any("1 other account has this name" in text and f'href="/clients/accounts/{first.pk}/"' in text
               for text in shown)


def test_the_warning_about_a_namesake_escapes_its_name(owner_client, firm):
    services.account_create(actor=owner_of(firm), name="<b>Lee</b>", client_id="<i>7</i>", folder_template=None)
    response = owner_client.post(reverse("crm:account_create"), {"name": "<b>Lee</b>", "type": "other"}, follow=True)
    html = response.content.decode()
    assert "&lt;b&gt;Lee&lt;/b&gt; (client ID &lt;i&gt;7&lt;/i&gt;)" in html and "<b>Lee</b>" not in html


def test_an_individual_named_by_its_person_gets_that_person_as_contact(owner_client, firm):
    response = owner_client.post(reverse("crm:account_create"),
                                 {"name": "", "type": "individual", "first_name": " Ana ", "last_name": "Rivera"})
    account = Account.objects.get(firm=firm, name="Ana Rivera")
    assert response.status_code == 302
    assert [(c.first_name, c.last_name) for c in account.contacts.all()] == [("Ana", "Rivera")]


def test_the_firm_may_name_individuals_last_name_first(owner_client, firm):
    firm.individual_account_names = "last_first"
    firm.save()
    owner_client.post(reverse("crm:account_create"), {"type": "individual", "first_name": "Ana", "last_name": "Rivera"})
    assert Account.objects.get(firm=firm).name == "Rivera, Ana"


def test_an_account_needs_a_name_or_its_person(owner_client, firm):
    response = owner_client.post(reverse("crm:account_create"), {"name": " ", "type": "company", "first_name": "Ana"})
    assert "Give the account a name" in response.context["form"].errors["name"][0]
    assert not Account.objects.filter(firm=firm).exists()


def test_same_name_in_another_firm_is_fine(owner_client, firm, other_firm):
    services.account_create(actor=owner_of(other_firm), name="Shared Name", folder_template=None)
    response = owner_client.post(reverse("crm:account_create"), {"name": "Shared Name", "type": "individual"})
    assert response.status_code == 302


def test_edit_account_keeps_its_own_name_and_updates_fields(owner_client, firm, accounts, setup, vip):
    acme = accounts["acme"]
    fields = setup["fields"]
    orphan_key = "999999"
    services.account_update(actor=owner_of(acme), account=acme, custom_values={orphan_key: "from a deleted field", fields["text"].value_key: "x"})
    url = reverse("crm:account_edit", args=[acme.pk])
    form = owner_client.get(url).context["form"]
    assert form.initial["name"] == "Acme LLC"
    response = owner_client.post(
        url,
        {"name": "acme llc", "type": "company", "company_name": "Acme Limited", "tags": [vip.pk],
         f"role_{setup['role'].pk}": setup["admin"].pk, f"cf_{fields['yes_no'].pk}": "true"},
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.name == "acme llc" and acme.company_name == "Acme Limited"
    assert list(acme.tags.all()) == [vip]
    assert acme.custom_values == {orphan_key: "from a deleted field", fields["yes_no"].value_key: True}
    # Clearing the role takes it off the account.
    owner_client.post(url, {"name": "acme llc", "type": "company"})
    assert not acme.role_assignments.exists()


def test_edit_form_shows_stored_custom_values(owner_client, firm, accounts, setup):
    fields = setup["fields"]
    services.account_update(
        actor=owner_of(accounts["acme"]), account=accounts["acme"],
        custom_values={fields["date"].value_key: "2023-12-31", fields["yes_no"].value_key: True, fields["number"].value_key: 3},
    )
    html = owner_client.get(reverse("crm:account_edit", args=[accounts["acme"].pk])).content.decode()
    assert 'value="2023-12-31"' in html
    assert 'value="true" selected' in html
    assert 'value="3"' in html


def test_dropdown_keeps_an_imported_value_outside_its_options(owner_client, firm, accounts, setup):
    field = setup["fields"]["dropdown"]
    services.account_update(actor=owner_of(accounts["acme"]), account=accounts["acme"], custom_values={field.value_key: "Q7"})
    html = owner_client.get(reverse("crm:account_edit", args=[accounts["acme"].pk])).content.decode()
    assert '<option value="Q7" selected>Q7</option>' in html


def test_new_account_page_renders_with_roles_and_fields(owner_client, setup):
    response = owner_client.get(reverse("crm:account_create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reviewer" in html and 'type="date"' in html and "F dropdown" in html
    assert "Firm default (Default tax years)" in html


# --- Status and the company's address -----------------------------------------------------------


def test_list_marks_inactive_accounts_and_filters_by_status(owner_client, firm, accounts):
    services.account_update(actor=owner_of(accounts["smith"]), account=accounts["smith"], status=Account.Status.INACTIVE)
    response = owner_client.get(LIST)
    html = response.content.decode()
    assert names_in(response) == ["Acme LLC", "Smith Household"]
    assert '<tr class="is-inactive">' in html and html.count('class="is-inactive"') == 1
    assert 'badge--off" data-testid="account-status">Inactive<' in html
    assert 'badge--on" data-testid="account-status">Active<' in html
    assert names_in(owner_client.get(LIST, {"status": "inactive"})) == ["Smith Household"]
    assert names_in(owner_client.get(LIST, {"status": "active"})) == ["Acme LLC"]
    assert names_in(owner_client.get(LIST, {"status": "active", "q": "smith"})) == []


def test_an_unknown_status_filter_filters_nothing(owner_client, accounts):
    assert names_in(owner_client.get(LIST, {"status": "archived"})) == ["Acme LLC", "Smith Household"]


def test_form_sets_status_and_address_and_detail_shows_them(owner_client, firm, accounts):
    acme = accounts["acme"]
    url = reverse("crm:account_edit", args=[acme.pk])
    response = owner_client.post(url, {
        "name": "Acme LLC", "type": "company", "status": "inactive", "street": "  1 Market   St ",
        "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US",
    })
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.status == "inactive"
    assert (acme.street, acme.city, acme.state, acme.postal_code, acme.country) == (
        "1 Market St", "Springfield", "IL", "62701", "US")
    html = owner_client.get(reverse("crm:account_detail", args=[acme.pk])).content.decode()
    assert "<dt>Status</dt><dd>Inactive</dd>" in html
    assert "1 Market St<br>Springfield, IL 62701<br>US" in html
    # The edit form starts from what is stored; a post without a status keeps it.
    assert owner_client.get(url).context["form"].initial["status"] == "inactive"
    owner_client.post(url, {"name": "Acme LLC", "type": "company"})
    acme.refresh_from_db()
    assert acme.status == "inactive"


def test_a_new_account_is_active_unless_told(owner_client, firm):
    owner_client.post(reverse("crm:account_create"), {"name": "Fresh Co", "type": "company", "folder_template": "none"})
    owner_client.post(reverse("crm:account_create"),
                      {"name": "Old Co", "type": "company", "status": "inactive", "folder_template": "none"})
    assert dict(Account.objects.filter(firm=firm).values_list("name", "status")) == {
        "Fresh Co": "active", "Old Co": "inactive"}


def test_the_account_address_is_escaped(owner_client, firm):
    account = services.account_create(actor=owner_of(firm), name="Evil Co", street="<script>alert(1)</script>",
                                      folder_template=None)
    html = owner_client.get(reverse("crm:account_detail", args=[account.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- A business's EIN / tax ID: stored whole, shown only masked -----------------------------------
EIN = "12-3456789"


def test_an_accounts_ein_is_typed_on_the_form_and_only_its_last_four_are_ever_shown(owner_client, accounts):
    acme = accounts["acme"]
    edit = reverse("crm:account_edit", args=[acme.pk])
    response = owner_client.post(edit, {"name": "Acme LLC", "type": "company", "tax_id": f" {EIN} "})
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.tax_id == EIN
    detail = owner_client.get(reverse("crm:account_detail", args=[acme.pk])).content.decode()
    assert "•••-••-6789" in detail and "3456789" not in detail
    form_page = owner_client.get(edit).content.decode()
    assert "•••-••-6789" in form_page and "3456789" not in form_page


def test_a_blank_ein_on_the_form_keeps_the_stored_one_and_the_checkbox_removes_it(owner_client, accounts):
    acme = accounts["acme"]
    services.account_update(actor=owner_of(acme), account=acme, tax_id=EIN)
    edit = reverse("crm:account_edit", args=[acme.pk])
    owner_client.post(edit, {"name": "Acme LLC", "type": "company", "tax_id": ""})
    acme.refresh_from_db()
    assert acme.tax_id == EIN
    owner_client.post(edit, {"name": "Acme LLC", "type": "company", "clear_tax_id": "on"})
    acme.refresh_from_db()
    assert acme.tax_id == ""


def test_an_ein_with_letters_is_refused_with_the_importers_words(owner_client, accounts):
    acme = accounts["acme"]
    response = owner_client.post(
        reverse("crm:account_edit", args=[acme.pk]), {"name": "Acme LLC", "type": "company", "tax_id": "12-34567AB"}
    )
    assert response.status_code == 200
    assert "The EIN / tax ID ending in 4567 contains letters or symbols" in response.content.decode()
    acme.refresh_from_db()
    assert acme.tax_id == ""
