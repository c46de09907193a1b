"""Issue 9: a person's SSN/TIN goes on the contact, a business's EIN / tax ID on the account.
Every case runs the real pipeline on a file written here (the automatic mapping unless the case
is about a hand-made one), and the number is stored whole but shown only by its last four."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from crm import services
from crm.forms import AccountForm
from crm.models import Account, Contact
from imports import jobs
from imports.exporting import export_accounts_csv
from imports.report import skipped_rows_zip
from tests.actors import owner_of, uploader
from tests.imports.conftest import import_rows, upload

pytestmark = pytest.mark.django_db


def tax_ids(model, firm) -> dict[str, str]:
    if model is Account:
        return dict(Account.objects.filter(firm=firm).values_list("name", "tax_id"))
    return {c.full_name: c.tax_id for c in Contact.objects.filter(firm=firm)}


# --- Which column goes where ------------------------------------------------------------------------
def test_an_ein_column_is_the_accounts_tax_id_stored_whole_and_shown_masked(firm, owner, owner_client):
    rows = [["Company", "First Name", "Last Name", "Email", "EIN"],
            ["Acme LLC", "Ann", "Lee", "ann@acme.example", "12-3456789"]]
    job, counts = import_rows(firm, owner, rows)
    assert job.mapping["columns"][4]["target"] == "account.tax_id"
    assert counts["warnings"] == 0
    assert tax_ids(Account, firm) == {"Acme LLC": "12-3456789"}
    assert tax_ids(Contact, firm) == {"Ann Lee": ""}
    acme = Account.objects.get(firm=firm)
    page = owner_client.get(reverse("crm:account_detail", args=[acme.pk])).content.decode()
    assert "•••-••-6789" in page and "3456789" not in page


def test_a_tax_id_column_keeps_ssns_on_people_and_gives_a_companys_ein_to_the_company(firm, owner):
    rows = [
        ["Client", "Client Type", "First Name", "Last Name", "Email", "Tax ID"],
        ["Ann Lee", "Individual", "Ann", "Lee", "ann@lee.example", "123-45-6789"],
        ["Acme LLC", "Company", "Bo", "Kim", "bo@acme.example", "98-7654321"],
        ["Sole Prop", "Individual", "Cy", "Ng", "cy@ng.example", "55-5555555"],  # an individual's own EIN
        ["Odd Co", "Company", "Di", "Ho", "di@odd.example", "111-22-3333"],  # an SSN never leaves its person
    ]
    job, _ = import_rows(firm, owner, rows)
    assert job.mapping["columns"][5]["target"] == "contact.tax_id"
    assert tax_ids(Account, firm) == {"Ann Lee": "", "Acme LLC": "98-7654321", "Sole Prop": "", "Odd Co": ""}
    assert tax_ids(Contact, firm) == {"Ann Lee": "123-45-6789", "Bo Kim": "", "Cy Ng": "55-5555555",
                                      "Di Ho": "111-22-3333"}


def test_a_column_named_for_a_persons_ssn_keeps_even_an_ein_shaped_value_on_the_person(firm, owner):
    rows = [["Client", "Client Type", "First Name", "Last Name", "SSN"],
            ["Acme LLC", "Company", "Bo", "Kim", "98-7654321"]]
    import_rows(firm, owner, rows)
    assert tax_ids(Account, firm) == {"Acme LLC": ""} and tax_ids(Contact, firm) == {"Bo Kim": "98-7654321"}


def test_xeros_tax_number_is_the_organisations(firm, owner):
    rows = [["*ContactName", "EmailAddress", "FirstName", "LastName", "TaxNumber"],
            ["Kiwi Traders Ltd", "ann@kiwi.example", "Ann", "Lee", "123-456-789"]]
    job, _ = import_rows(firm, owner, rows)
    assert job.mapping["preset"].startswith("xero")
    assert tax_ids(Account, firm) == {"Kiwi Traders Ltd": "123-456-789"}
    assert tax_ids(Contact, firm) == {"Ann Lee": ""}


def test_an_accounts_only_import_keeps_the_ein_by_header_and_by_shape(firm, owner):
    import_rows(firm, owner, [["Client", "Federal ID"], ["Acme LLC", "12-3456789"]], kind="accounts")
    import_rows(firm, owner, [["Client", "Ref"], ["Beta LLC", "98-7654321"], ["Gamma LLC", "11-2233445"]],
                kind="accounts")
    assert tax_ids(Account, firm) == {"Acme LLC": "12-3456789", "Beta LLC": "98-7654321", "Gamma LLC": "11-2233445"}
    assert not Contact.objects.exists()


def test_a_wrong_ein_is_kept_with_a_warning_naming_row_column_and_only_its_last_four(firm, owner):
    rows = [["Client", "EIN"], ["Acme LLC", "12-34567"]]
    job, counts = import_rows(firm, owner, rows, kind="accounts")
    assert counts["warnings"] == 1
    issue = job.issues.get()
    assert (issue.row_number, issue.code, issue.column) == (2, "invalid_tax_id", "EIN")
    assert "The EIN / tax ID ending in 4567 has 7 digits instead of 9" in issue.message
    assert "1234567" not in issue.message + issue.value
    assert tax_ids(Account, firm) == {"Acme LLC": "12-34567"}


# --- Updates follow the account rules ---------------------------------------------------------------
def test_an_ein_fills_an_empty_one_and_replaces_one_only_with_overwrite(firm, owner):
    services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", folder_template=None)
    services.account_create(actor=owner_of(firm), name="Beta LLC", type="company", tax_id="11-1111111", folder_template=None)
    rows = [["Client", "EIN"], ["Acme LLC", "12-3456789"], ["Beta LLC", "98-7654321"]]
    _, counts = import_rows(firm, owner, rows, kind="accounts")
    assert counts["accounts_updated"] == 1
    assert tax_ids(Account, firm) == {"Acme LLC": "12-3456789", "Beta LLC": "11-1111111"}
    job, counts = import_rows(firm, owner, rows, {"Client": "account.name", "EIN": "account.tax_id"},
                              kind="accounts", overwrite=True)
    assert counts["accounts_updated"] == 1
    assert tax_ids(Account, firm)["Beta LLC"] == "98-7654321"
    change = job.changes.get(field="tax_id")  # undo puts the old number back
    assert (change.old_value, change.new_value) == ("11-1111111", "98-7654321")


# --- One rulebook: the form stores what the import stores -------------------------------------------
@pytest.mark.parametrize("typed", [" 12-3456789 ", "'01-2345678", "123456789"])
def test_the_account_form_and_the_import_store_the_same_value(firm, owner, typed):
    import_rows(firm, owner, [["Client", "EIN"], ["Imported LLC", typed]], kind="accounts")
    form = AccountForm({"name": "Typed LLC", "type": "company", "tax_id": typed}, firm=firm)
    assert form.is_valid(), form.errors
    services.account_create(actor=owner_of(firm), **form.account_fields())
    stored = tax_ids(Account, firm)
    assert stored["Typed LLC"] == stored["Imported LLC"] != ""


# --- Never shown in full ------------------------------------------------------------------------------
EIN_ROWS = [
    ["Client", "Client Type", "First Name", "Last Name", "Email", "EIN", "Tax ID"],
    ["Acme LLC", "Company", "Ann", "Lee", "ann@acme.example", "123456789", "98-7654321"],
    ["", "", "", "", "", "876543219", ""],  # no name, no email: skipped
]


def test_no_full_ein_in_the_field_table_the_review_or_the_skipped_rows_file(firm, owner, owner_client):
    job = upload(firm, owner, EIN_ROWS)
    mapping = {c["column"]: c["target"] for c in job.mapping["columns"]}
    assert mapping["EIN"] == "account.tax_id" and mapping["Tax ID"] == "contact.tax_id"
    table = owner_client.get(reverse("imports:step_accounts", args=[job.pk])).content.decode()
    review = owner_client.get(reverse("imports:review", args=[job.pk]))
    html = review.content.decode()
    assert "•••• 6789" in html and "•••• 4321" in html  # the account's EIN, the person's number
    for page in (table, html, str(job.read_info)):
        for full in ("123456789", "876543219", "7654321"):
            assert full not in page
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.counts["rows_skipped"] == 1
    assert tax_ids(Account, firm) == {"Acme LLC": "123456789"}  # the shared column's EIN lost to the EIN column
    assert tax_ids(Contact, firm) == {"Ann Lee": "98-7654321"}
    out = io.BytesIO()
    assert skipped_rows_zip(job, out) == 1
    archive = zipfile.ZipFile(out)
    text = archive.read(archive.namelist()[0]).decode("utf-8-sig")
    assert "•••-••-3219" in text and "876543219" not in text and "7654321" not in text


def test_the_export_leaves_the_ein_out_and_reimports_without_touching_it(firm, owner):
    services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", tax_id="12-3456789", folder_template=None)
    out = io.StringIO()
    export_accounts_csv(firm, out)
    assert "3456789" not in out.getvalue()
    header = next(csv.reader(io.StringIO(out.getvalue())))
    assert not any("tax" in h.casefold() or "ein" in h.casefold().split() for h in header)
    job = upload(firm, owner, out.getvalue(), name="export.csv")
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.counts["accounts_updated"] == 0 and job.counts["accounts_created"] == 0, job.counts
    assert tax_ids(Account, firm) == {"Acme LLC": "12-3456789"}
