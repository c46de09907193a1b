"""Clients > Contacts: list, detail, create, edit; SSN/TIN never leaves the record in full."""

import datetime

import pytest
from django.urls import reverse

from crm import services
from crm.models import Contact
from tests.actors import owner_of
from tests.crm.test_pages_accounts import link_of

LIST = reverse("crm:contact_list")
SSN = "123-45-6789"


def names_in(response) -> list[str]:
    return [contact.full_name for contact in response.context["contacts"]]


@pytest.fixture
def client_tag(firm):
    return services.tag_get_or_create(firm=firm, name="1040")


@pytest.fixture
def people(firm, client_tag):
    account = services.account_create(actor=owner_of(firm), name="Doe Household", folder_template=None)
    jane = services.contact_create(
        actor=owner_of(firm), first_name="Jane", last_name="Doe", email="jane@doe.example", phones=["+12125550100"],
        tax_id=SSN, tags=[client_tag],
    )
    john = services.contact_create(actor=owner_of(firm), first_name="John", last_name="Roe", email="john@roe.example")
    services.contact_link(actor=owner_of(account), account=account, contact=jane)
    return {"account": account, "jane": jane, "john": john}


def test_list_shows_columns(owner_client, people):
    response = owner_client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert names_in(response) == ["Jane Doe", "John Roe"]
    for text in ("jane@doe.example", "+12125550100", "Doe Household", "1040"):
        assert text in html
    assert SSN not in html and "6789" not in html


def test_search_by_full_name(owner_client, people):
    assert names_in(owner_client.get(LIST, {"q": "jane doe"})) == ["Jane Doe"]


def test_search_by_email_and_account(owner_client, people):
    assert names_in(owner_client.get(LIST, {"q": "john@roe"})) == ["John Roe"]
    assert names_in(owner_client.get(LIST, {"q": "household"})) == ["Jane Doe"]


def test_filter_by_tag(owner_client, people, client_tag):
    assert names_in(owner_client.get(LIST, {"tag": client_tag.pk})) == ["Jane Doe"]


def test_pagination_keeps_the_search(owner_client, firm):
    for number in range(55):
        services.contact_create(actor=owner_of(firm), first_name="Pat", last_name=f"Person{number:02d}")
    services.contact_create(actor=owner_of(firm), first_name="Other", last_name="Human")
    first = owner_client.get(LIST, {"q": "pat"})
    assert len(first.context["contacts"]) == 50
    next_url = link_of(first, "next")
    assert next_url.startswith("?q=pat&after=")
    second = owner_client.get(LIST + next_url)
    assert len(second.context["contacts"]) == 5
    assert "Human" not in second.content.decode()


def test_detail_shows_all_fields_and_masks_the_ssn(owner_client, firm, people):
    jane = people["jane"]
    field = services.custom_field_create(firm=firm, applies_to="contact", name="Spouse name")
    services.contact_update(
        actor=owner_of(firm), contact=jane, additional_emails=["jd@work.example"], street="1 Main St", city="Springfield", state="IL",
        postal_code="62701", country="US", date_of_birth=datetime.date(1980, 5, 17), notes="Prefers calls",
        custom_values={field.value_key: "Jim"},
    )
    response = owner_client.get(reverse("crm:contact_detail", args=[jane.pk]))
    html = response.content.decode()
    for text in ("jd@work.example", "1 Main St", "Springfield", "62701", "May 17, 1980", "Prefers calls",
                 "Spouse name", "Jim", "Doe Household", "•••-••-6789"):
        assert text in html, text
    assert SSN not in html and "123456789" not in html and "12345" not in html


def test_create_contact(owner_client, firm, client_tag):
    field = services.custom_field_create(firm=firm, applies_to="contact", name="Birth city")
    response = owner_client.post(
        reverse("crm:contact_create"),
        {
            "first_name": "Ann", "last_name": "Lee", "email": "Ann@Lee.example",
            "additional_emails": "ann.work@lee.example\nann@lee.example\nANN.WORK@lee.example",
            "phones": "(212) 555-0199\n312 555 0100 ext 12", "city": "Boston", "date_of_birth": "1975-01-02",
            "tax_id": SSN, "notes": "n", "tags": [client_tag.pk], f"cf_{field.pk}": "Salem",
        },
    )
    contact = Contact.objects.get(firm=firm, last_name="Lee")
    assert response.status_code == 302 and response.url == reverse("crm:contact_detail", args=[contact.pk])
    assert contact.email == "Ann@lee.example"  # the domain lower-cased, as an import stores it
    assert contact.additional_emails == ["ann.work@lee.example"]
    assert contact.phones == ["+12125550199", "+13125550100;ext=12"]
    assert contact.date_of_birth == datetime.date(1975, 1, 2)
    assert contact.tax_id == SSN
    assert list(contact.tags.all()) == [client_tag]
    assert contact.custom_values == {field.value_key: "Salem"}


def test_create_contact_on_an_account(owner_client, firm, people):
    account = people["account"]
    url = reverse("crm:contact_create") + f"?account={account.pk}"
    assert "Doe Household" in owner_client.get(url).content.decode()
    response = owner_client.post(url, {"first_name": "Kid", "last_name": "Doe"})
    assert response.status_code == 302 and response.url == reverse("crm:account_detail", args=[account.pk])
    assert account.contacts.filter(first_name="Kid").exists()


def test_contact_needs_a_name_or_an_email(owner_client, firm):
    response = owner_client.post(reverse("crm:contact_create"), {"city": "Nowhere"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Contact.objects.filter(firm=firm).exists()


def test_duplicate_email_in_the_firm_is_a_form_error(owner_client, firm, people):
    response = owner_client.post(reverse("crm:contact_create"), {"first_name": "X", "email": "JANE@doe.example"})
    assert response.status_code == 200
    assert "already has this email" in response.context["form"].errors["email"][0]
    assert Contact.objects.filter(firm=firm).count() == 2


def test_same_email_in_another_firm_is_fine(owner_client, firm, other_firm):
    services.contact_create(actor=owner_of(other_firm), first_name="Z", email="shared@example.com")
    response = owner_client.post(reverse("crm:contact_create"), {"first_name": "Z", "email": "shared@example.com"})
    assert response.status_code == 302


def test_a_phone_an_import_would_warn_about_is_a_form_error_in_the_same_words(owner_client, firm):
    response = owner_client.post(reverse("crm:contact_create"), {"first_name": "A", "phones": "(212) 555-0199\n12"})
    assert response.context["form"].errors["phones"] == [
        '"12" is not a valid US phone number. A number from another country needs its + country code.'
    ]
    assert not Contact.objects.filter(firm=firm, first_name="A").exists()


def test_editing_a_contact_keeps_its_extensions(owner_client, firm):
    ann = services.contact_create(actor=owner_of(firm), first_name="Ann", phones=["+13125550100;ext=12", "+12125550199"])
    form = owner_client.get(reverse("crm:contact_edit", args=[ann.pk])).context["form"]
    owner_client.post(reverse("crm:contact_edit", args=[ann.pk]),
                      {"first_name": "Ann", "phones": form.initial["phones"]})
    ann.refresh_from_db()
    assert ann.phones == ["+13125550100;ext=12", "+12125550199"]


def test_invalid_additional_email_is_a_form_error(owner_client, firm):
    response = owner_client.post(reverse("crm:contact_create"), {"first_name": "A", "additional_emails": "nope"})
    assert "additional_emails" in response.context["form"].errors


def test_edit_page_never_renders_the_ssn(owner_client, people):
    url = reverse("crm:contact_edit", args=[people["jane"].pk])
    html = owner_client.get(url).content.decode()
    assert SSN not in html and "123456789" not in html
    assert "•••-••-6789" in html  # the help text says a number is on file
    # Nor after a failed submit that typed a new one.
    response = owner_client.post(url, {"first_name": "Jane", "email": "john@roe.example", "tax_id": "987-65-4321"})
    assert response.status_code == 200
    assert "987-65-4321" not in response.content.decode()


def test_blank_ssn_keeps_the_stored_one(owner_client, people):
    jane = people["jane"]
    owner_client.post(
        reverse("crm:contact_edit", args=[jane.pk]),
        {"first_name": "Janet", "last_name": "Doe", "email": "jane@doe.example", "tax_id": ""},
    )
    jane.refresh_from_db()
    assert jane.first_name == "Janet" and jane.tax_id == SSN


def test_new_ssn_replaces_and_checkbox_clears(owner_client, people):
    jane = people["jane"]
    url = reverse("crm:contact_edit", args=[jane.pk])
    owner_client.post(url, {"first_name": "Jane", "email": "jane@doe.example", "tax_id": "987-65-4321"})
    jane.refresh_from_db()
    assert jane.tax_id == "987-65-4321"
    owner_client.post(url, {"first_name": "Jane", "email": "jane@doe.example", "clear_tax_id": "on"})
    jane.refresh_from_db()
    assert jane.tax_id == ""


def test_edit_keeps_own_email_and_updates_tags(owner_client, people, client_tag):
    jane = people["jane"]
    response = owner_client.post(
        reverse("crm:contact_edit", args=[jane.pk]), {"first_name": "Jane", "email": "JANE@doe.example", "tags": []}
    )
    assert response.status_code == 302
    jane.refresh_from_db()
    assert jane.email == "JANE@doe.example" and not jane.tags.exists()


def test_contact_name_is_escaped(owner_client, firm):
    contact = services.contact_create(actor=owner_of(firm), first_name="<script>alert(1)</script>")
    for url in (LIST, reverse("crm:contact_detail", args=[contact.pk])):
        html = owner_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html
