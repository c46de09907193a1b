"""Six real exports imported one after another into one new firm with the automatic mapping,
as a new user would (issue 9's check): which custom fields result, where the values land, and
spot checks of values that used to be lost. The files and where their header rows come from:
tests/imports/fixtures/exports/README.md."""

from pathlib import Path

import pytest

from crm.models import Account, Contact, CustomField
from imports import jobs
from imports.mapping import Mapping
from tests.actors import uploader
from tests.imports.conftest import upload

pytestmark = pytest.mark.django_db

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
IN_ORDER = ["google-contacts.csv", "outlook.csv", "hubspot-contacts.csv", "linkedin-connections.csv",
            "xero-contacts.csv", "quickbooks-desktop-customers.iif"]


def import_export(firm, user, name):
    job = upload(firm, user, (EXPORTS / name).read_bytes(), name=name)
    assert job.status == "draft", job.error
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.status == "finished", job.error
    return job


@pytest.fixture
def imported(firm, owner):
    return {name: import_export(firm, owner, name) for name in IN_ORDER}


def custom(record, name):
    field = CustomField.objects.get(firm=record.firm, applies_to=record._meta.model_name, name=name)
    return record.custom_values.get(str(field.pk))


def person(firm, first, last):
    return Contact.objects.get(firm=firm, first_name=first, last_name=last)


def test_every_row_of_every_export_is_imported(imported):
    for name, job in imported.items():
        assert job.counts["rows_skipped"] == 0, name
        assert job.counts["rows_imported"] == job.counts["rows_total"] > 0, name


def test_six_exports_make_one_field_per_meaning_and_no_bookkeeping(firm, imported):
    fields = sorted((f.applies_to, f.name, f.field_type) for f in CustomField.objects.filter(firm=firm))
    assert fields == [
        ("account", "Billing Attention", "text"),  # QuickBooks' "Attn:" bill-to line
        ("account", "CUSTFLD1", "text"),  # a QuickBooks custom field of the firm's own
        ("account", "Company phone", "phone"),
        ("account", "CompanyNumber", "text"),  # Xero's company registration number: digits, not an amount
        ("account", "Custom Field 1 - Value", "number"),
        ("account", "Fax", "phone"),  # Outlook "Business Fax", Xero "FaxNumber", IIF "FAXNUM": one field
        ("account", "Job", "text"),  # a QuickBooks job under its customer
        ("account", "POAttentionTo", "text"),
        ("account", "Referred By", "text"),
        ("account", "Relation 1 - Value", "text"),
        ("account", "Website", "url"),  # Outlook "Web Page", Xero "Website"
        ("contact", "Address 2", "text"),  # each second address: one field, not five
        ("contact", "Anniversary", "date"),
        ("contact", "Department", "text"),
        ("contact", "Job title", "text"),  # Google, Outlook, HubSpot and LinkedIn titles: one field
        ("contact", "Last activity", "date"),
        ("contact", "Nickname", "text"),
        ("contact", "Other address", "text"),
        ("contact", "Personal website", "url"),
        ("contact", "Shipping address", "text"),
        ("contact", "Street address", "text"),
    ]
    # The exporting systems' own bookkeeping was offered, not created.
    hubspot = Mapping.from_dict(imported["hubspot-contacts.csv"].mapping)
    assert {c.column for c in hubspot.columns if c.offer} >= {"Record ID", "Lead Status", "Marketing contact status"}


def test_job_titles_of_three_exports_land_in_one_field(firm, imported):
    assert custom(person(firm, "Priya", "Raman"), "Job title") == "Managing Physician"  # Google "Organization Title"
    assert custom(person(firm, "Sandra", "Lindqvist"), "Job title") == "Principal"  # Outlook "Job Title"
    assert custom(person(firm, "Diego", "Ramírez"), "Job title") == "Founder & CEO"  # LinkedIn "Position"


def test_a_business_only_address_is_the_contacts_and_the_companys(firm, imported):
    sandra = person(firm, "Sandra", "Lindqvist")
    assert (sandra.city, sandra.state, sandra.postal_code) == ("Portland", "ME", "04101")
    studio = Account.objects.get(firm=firm, name="Lindqvist Design Studio LLC")
    assert (studio.city, studio.postal_code) == ("Portland", "04101")


def test_spouses_sharing_an_email_stay_two_people(firm, imported):
    dana, marcus = person(firm, "Dana", "Whitfield"), person(firm, "Marcus", "Whitfield")
    assert (dana.email, marcus.email) == ("whitfield.family@example.com", "marcus@whitfieldcarpentry.example")
    assert imported["google-contacts.csv"].issues.filter(code="shared_email").count() == 1


def test_values_found_after_the_first_rows_and_second_addresses_are_kept(firm, imported):
    helen = person(firm, "Helen", "Cho")
    assert custom(helen, "Nickname") == "Nell"  # filled only further down the Google file
    assert custom(helen, "Address 2") == "15 Prospect St, Waltham, MA, 02453, US"
    assert custom(person(firm, "Nikolai", "Petrov"), "Other address") == "PO Box 118, Bar Harbor, ME, 04609"
    assert custom(person(firm, "Kenji", "Tanaka"), "Last activity") == "2024-01-09T16:05"  # the time kept


def test_quickbooks_status_and_jobs(firm, imported):
    assert Account.objects.get(firm=firm, name="Old Colony Hardware").status == "inactive"  # HIDDEN Y
    rivera = Account.objects.get(firm=firm, name="Ana Rivera")  # "Rivera, Ana" and her job: one client
    assert custom(rivera, "Job") == "2023 Tax Return"
    assert list(rivera.contacts.values_list("email", flat=True)) == ["ana.rivera@example.com"]
