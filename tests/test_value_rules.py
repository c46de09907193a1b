"""One rulebook for values: the same text typed in a CRM form and imported from a file is stored
the same way, or refused by the form in the words of the import's warning.

Each case goes through the real contact form page (POST, then the stored contact) and through
the real import (a one-row CSV, then the stored contact and the job's warnings).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from crm import services
from crm.models import Contact
from imports.matching import guess_field_type
from imports.problems import Problem
from tests.imports.conftest import import_rows

REFUSED = object()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def address(contact: Contact) -> tuple[str, str, str, str]:
    return contact.street, contact.city, contact.state, contact.postal_code


# (form field, import target, typed text, stored value or REFUSED, how to read it off the contact)
CASES = [
    # Phones: E.164 in the firm's country, extensions kept, several in one box.
    ("phones", "contact.phone", "312 555 0100 ext 12", ["+13125550100;ext=12"], None),
    ("phones", "contact.phone", "(212) 555-0199 x7", ["+12125550199;ext=7"], None),
    ("phones", "contact.phone", "(212) 555-0199", ["+12125550199"], None),
    ("phones", "contact.phone", "+44 20 7946 0958", ["+442079460958"], None),
    ("phones", "contact.phone", "0044 20 7946 0958", ["+442079460958"], None),
    ("phones", "contact.phone", "312-555-0100 / 312-555-0199", ["+13125550100", "+13125550199"], None),
    ("phones", "contact.phone", "12", REFUSED, None),
    ("phones", "contact.phone", "555-0100", REFUSED, None),  # a US number needs its area code
    ("phones", "contact.phone", "call the office", REFUSED, None),
    # Emails: a display name goes, the domain is lower-cased, a trailing dot goes.
    ("email", "contact.email", "Jane Roe <jane@Roe.EXAMPLE>", "jane@roe.example", None),
    ("email", "contact.email", "JANE@ROE.EXAMPLE", "JANE@roe.example", None),
    ("email", "contact.email", "jane@roe.example.", "jane@roe.example", None),
    ("email", "contact.email", "mailto:jane@roe.example", "jane@roe.example", None),
    ("email", "contact.email", "jane at roe dot example", REFUSED, None),
    ("email", "contact.email", "jane@roe", REFUSED, None),
    ("additional_emails", "contact.additional_emails", "a@roe.example; B@Roe.example", ["a@roe.example",
                                                                                       "B@roe.example"], None),
    ("additional_emails", "contact.additional_emails", "a@roe.example, nope", REFUSED, None),
    # Dates: ISO always, other writings in the firm's order (month first here).
    ("date_of_birth", "contact.date_of_birth", "1980-03-04", datetime.date(1980, 3, 4), None),
    ("date_of_birth", "contact.date_of_birth", "03/04/1980", datetime.date(1980, 3, 4), None),
    ("date_of_birth", "contact.date_of_birth", "March 4, 1980", datetime.date(1980, 3, 4), None),
    ("date_of_birth", "contact.date_of_birth", "02/30/1980", REFUSED, None),
    ("date_of_birth", "contact.date_of_birth", "someday", REFUSED, None),
    # Tax IDs: kept as written; a wrong length or letters refused.
    ("tax_id", "contact.tax_id", "123-45-6789", "123-45-6789", None),
    ("tax_id", "contact.tax_id", "'012345678", "012345678", None),
    ("tax_id", "contact.tax_id", "12-345", REFUSED, None),
    ("tax_id", "contact.tax_id", "ABC-DE-FGHI", REFUSED, None),
    # Addresses: one cell split into its parts; a street ending in a direction keeps its city.
    ("street", "contact.street", "500 Main St NW Washington DC 20001",
     ("500 Main St NW", "Washington", "DC", "20001"), address),
    ("street", "contact.street", "500 Main St NW, Washington, DC 20001",
     ("500 Main St NW", "Washington", "DC", "20001"), address),
    ("street", "contact.street", "12 Elm St\nSuite 4\nBoston, MA 02118", ("12 Elm St, Suite 4", "Boston", "MA",
                                                                          "02118"), address),
    ("city", "contact.city", "Boston, MA 02118", ("", "Boston", "MA", "02118"), address),
    ("street", "contact.street", "Flat 2, 10 Downing St, London SW1A 2AA", ("Flat 2, 10 Downing St, London SW1A 2AA",
                                                                            "", "", ""), address),
    ("postal_code", "contact.postal_code", "'02134", "02134", None),
]


def _read(contact: Contact, field: str, reader):
    return reader(contact) if reader else getattr(contact, field)


def _through_the_form(client, field: str, text: str):
    """(stored value or None, the form's errors for the field)."""
    response = client.post(reverse("crm:contact_create"), {"first_name": "Case", "last_name": "Form", field: text})
    contact = Contact.objects.filter(last_name="Form").first()
    errors = [] if contact is not None else list(response.context["form"].errors.get(field, []))
    return contact, errors


def _through_the_import(firm, owner, target: str, text: str):
    """(stored contact, the import's warnings for the value's column)."""
    columns = {"First": "contact.first_name", "Last": "contact.last_name", "Value": target}
    job, counts = import_rows(firm, owner, [list(columns), ["Case", "Import", text]], columns, kind="contacts")
    assert counts["rows_imported"] == 1
    warnings = list(job.issues.filter(column="Value").values_list("code", "message"))
    return Contact.objects.get(firm=firm, last_name="Import"), warnings


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "target", "text", "expected", "reader"), CASES,
                         ids=[f"{case[0]}:{case[2]!r}" for case in CASES])
def test_a_form_and_an_import_store_the_same_value(owner_client, firm, owner, field, target, text, expected, reader):
    contact, form_errors = _through_the_form(owner_client, field, text)
    typed = _read(contact, field, reader) if contact is not None else None
    if contact is not None:
        contact.delete()  # or the import would find it by its email and leave it as it is
    imported, warnings = _through_the_import(firm, owner, target, text)
    if expected is REFUSED:
        assert contact is None and form_errors, "the form accepted what the import warns about"
        assert warnings, "the import took without a word what the form refuses"
        # The same words: the import's warning, less what the import did about the value.
        assert form_errors == [Problem(code, message).reason for code, message in warnings]
    else:
        assert form_errors == [] and contact is not None
        assert warnings == []
        assert typed == expected
        assert _read(imported, field, reader) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "expected"), [("03/04/1980", datetime.date(1980, 4, 3)),
                                                ("1980-03-04", datetime.date(1980, 3, 4))])
def test_a_day_first_firm_reads_dates_day_first_in_both(owner_client, firm, owner, text, expected):
    firm.date_order = "DMY"
    firm.save()
    contact, errors = _through_the_form(owner_client, "date_of_birth", text)
    imported, warnings = _through_the_import(firm, owner, "contact.date_of_birth", text)
    assert errors == [] and warnings == []
    assert contact.date_of_birth == imported.date_of_birth == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "expected"), [("+44 20 7946 0958", ["+442079460958"]),
                                                ("020 7946 0958", ["+442079460958"])])
def test_a_british_firm_reads_numbers_as_british_in_both(owner_client, firm, owner, text, expected):
    firm.default_country = "GB"
    firm.save()
    contact, errors = _through_the_form(owner_client, "phones", text)
    imported, warnings = _through_the_import(firm, owner, "contact.phone", text)
    assert errors == [] and warnings == []
    assert contact.phones == imported.phones == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field_type", "text", "expected"),
    [
        ("url", "www.example.com", "https://www.example.com"),
        ("url", "example.com/about", "https://example.com/about"),
        ("url", "javascript:alert(1)", REFUSED),
        ("url", "jane@example.com", REFUSED),
        ("phone", "312 555 0100 ext 12", "+13125550100;ext=12"),
        ("phone", "12", REFUSED),
        ("email", "Jane Roe <jane@Roe.example>", "jane@roe.example"),
        ("email", "nope", REFUSED),
        ("date", "03/04/1980", "1980-03-04"),
        ("date", "13/13/1980", REFUSED),
    ],
)
def test_custom_fields_of_a_type_store_what_an_import_stores(owner_client, firm, owner, field_type, text, expected):
    custom = services.custom_field_create(firm=firm, applies_to="contact", name="Extra", field_type=field_type)
    response = owner_client.post(reverse("crm:contact_create"),
                                 {"first_name": "Case", "last_name": "Form", f"cf_{custom.pk}": text})
    contact = Contact.objects.filter(last_name="Form").first()
    imported, warnings = _through_the_import(firm, owner, f"contact.custom:Extra:{field_type}", text)
    if expected is REFUSED:
        assert contact is None
        assert warnings
        assert response.context["form"].errors[f"cf_{custom.pk}"] == [
            Problem(code, message).reason for code, message in warnings
        ]
    else:
        assert warnings == []
        assert contact.custom_values[custom.value_key] == imported.custom_values[custom.value_key] == expected


@pytest.mark.parametrize(
    ("values", "guessed"),
    [
        (["ann@lee.example", "bo@chen.example"], "email"),
        (["jane..doe@roe.example", "ann@lee.example"], "text"),  # the importer would drop the first
        (["www.lee.example", "https://chen.example"], "url"),
        (["www.-lee-.com", "www.chen.com"], "text"),  # not a host name the importer takes
        (["03/04/1980", "31/12/1999"], "date"),  # each real in one of the firm orders
        (["02/30/1980", "01/01/1999"], "text"),  # February 30th is no date in either
    ],
)
def test_a_new_custom_field_is_typed_only_when_the_import_takes_its_values(values, guessed):
    assert guess_field_type(values) == guessed


@pytest.mark.django_db
def test_a_number_without_country_code_is_read_in_the_persons_country_in_both(owner_client, firm, owner):
    owner_client.post(reverse("crm:contact_create"), {"first_name": "Aroha", "last_name": "Form",
                                                      "country": "New Zealand", "phones": "021 234 5678"})
    columns = {"First": "contact.first_name", "Last": "contact.last_name", "Mobile": "contact.phone",
               "Country": "contact.country"}
    import_rows(firm, owner, [list(columns), ["Aroha", "Import", "021 234 5678", "New Zealand"]], columns,
                kind="contacts")
    typed, imported = (Contact.objects.get(firm=firm, last_name=name) for name in ("Form", "Import"))
    assert typed.phones == imported.phones == ["+64212345678"]
