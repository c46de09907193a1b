"""What the database itself guarantees, so no write path (bulk ones included) can break it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from crm.models import Account, Contact, FolderTemplate
from crm.models.contacts import mask_tax_id
from crm.normalize import normalize_email_key


def bulk_contact(firm, email: str) -> Contact:
    return Contact(firm=firm, email=email, email_key=normalize_email_key(email) or None)


@pytest.mark.parametrize("spelling", ["acme corp", "  ACME   Corp ", "Ａｃｍｅ Corp", "ACME\tCORP"])
def test_two_clients_of_a_firm_may_share_a_name_and_its_key(firm, spelling):
    """Account names are not unique (two "Mary Smith"s are two clients); the key finds them."""
    Account.objects.create(firm=firm, name="Acme Corp")
    Account.objects.create(firm=firm, name=spelling)
    assert Account.objects.filter(firm=firm, name_key="acme corp").count() == 2


@pytest.mark.parametrize("name, key", [
    ("Rivera, Ana", "ana rivera"), ("RIVERA,  Ana M.", "ana m. rivera"), ("Ana Rivera", "ana rivera"),
    ("Acme, Inc.", "acme, inc."), ("Smith, John & Jane", "smith, john & jane"), ("Garcia, DDS", "garcia, dds"),
])
def test_a_person_written_last_name_first_is_keyed_first_name_first(firm, name, key):
    assert Account.objects.create(firm=firm, name=name).name_key == key


def test_saving_an_account_keeps_its_key_in_step_with_the_name(firm):
    account = Account.objects.create(firm=firm, name="Acme Corp")
    account.name = "  Acme   Holdings "
    account.save()
    assert Account.objects.get(pk=account.pk).name_key == "acme holdings"


def test_contact_email_is_unique_per_firm_whatever_the_case(firm):
    Contact.objects.bulk_create([bulk_contact(firm, "jane@example.com")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.bulk_create([bulk_contact(firm, "Jane@Example.COM")])


def test_contacts_without_email_may_be_many(firm):
    Contact.objects.bulk_create([bulk_contact(firm, ""), bulk_contact(firm, ""), bulk_contact(firm, "")])
    assert Contact.objects.filter(firm=firm, email_key__isnull=True).count() == 3


def test_same_contact_email_is_allowed_in_another_firm(firm, other_firm):
    Contact.objects.bulk_create([bulk_contact(firm, "jane@example.com"), bulk_contact(other_firm, "jane@example.com")])
    assert Contact.objects.filter(email_key="jane@example.com").count() == 2


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("123-45-6789", "•••-••-6789"),
        ("123456789", "•••-••-6789"),
        ("12-3456789", "•••-••-6789"),  # an EIN
        ("0012", "••••"),  # too short to show any of it
        ("•••-••-6789", "•••-••-6789"),  # a mask masked again still says which number it was
        ("", ""),
    ],
)
def test_tax_id_is_masked_to_its_last_four_digits(stored, shown):
    assert mask_tax_id(stored) == shown


def test_tax_id_never_reaches_str_or_repr(firm):
    contact = Contact.objects.create(firm=firm, first_name="Jane", last_name="Doe", tax_id="987-65-4321")
    assert contact.tax_id_masked == "•••-••-4321"
    for text in (str(contact), repr(contact)):
        assert "987-65" not in text and "65-4321" not in text


def test_builtin_folder_template_lists_recent_tax_years_then_standard_folders(firm):
    template = FolderTemplate(firm=firm, name="Default tax years", is_builtin=True, folders=["ignored"])
    assert template.folder_paths(today=datetime.date(2026, 3, 1)) == [
        "2025", "2024", "2023", "2022", "Permanent", "Engagement letters", "Correspondence",
    ]
    # Computed when applied, so it moves on at New Year.
    assert template.folder_paths(today=datetime.date(2027, 1, 2))[0] == "2026"


def test_firm_folder_template_lists_its_own_folders(firm):
    template = FolderTemplate(firm=firm, name="Business", folders=["Payroll", "Sales tax"])
    assert template.folder_paths() == ["Payroll", "Sales tax"]
