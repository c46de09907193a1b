"""docs/import-rules.md, "Client status and addresses": the client's status from a source's flags, the
company's address, and a business address that fills a contact's empty one. Every case runs the real
pipeline on a file written here, with the automatic mapping unless the case is about a hand-made
one."""

from __future__ import annotations


import csv
import io
import json

import pytest
from django.core.management import call_command

from crm import services
from crm.models import Account, Contact
from imports import jobs
from imports.exporting import export_accounts_csv
from tests.actors import owner_of, uploader
from tests.imports.conftest import import_rows, upload

pytestmark = pytest.mark.django_db


def statuses(firm) -> dict[str, str]:
    return dict(Account.objects.filter(firm=firm).values_list("name", "status"))


def address(record) -> tuple[str, ...]:
    return (record.street, record.city, record.state, record.postal_code, record.country)


def warnings(job):
    return list(job.issues.filter(severity="warning").values_list("row_number", "code", "column", "value"))


def run_file(firm, user, text: str, name: str):
    job = upload(firm, user, text, name=name)
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.status == "finished", job.error
    return job


# --- Status from each source's flag ---------------------------------------------------------------
IIF = "\r\n".join([
    "!HDR\tPROD\tVER\tREL\tIIFVER\tDATE\tTIME\tACCNTNT\tACCNTNTSPLITTIME",
    "HDR\tQuickBooks Pro\tVersion 27.0D\tRelease R6P\t1\t2026-11-03\t1762180860\tN\t0",
    "!CUST\tNAME\tREFNUM\tTIMESTAMP\tBADDR1\tBADDR2\tBADDR3\tEMAIL\tFIRSTNAME\tLASTNAME\tHIDDEN\tDELCOUNT",
    "CUST\tAcme Inc\t12\t1057795893\tAcme Inc\t1 Main St\tAustin, TX 78701\tap@acme.example\tAnn\tLee\tN\t0",
    "CUST\tBygone LLC\t13\t1057795894\tBygone LLC\t2 High St\tDallas, TX 75201\tbo@bygone.example\tBo\tKim\tY\t0",
    "",
])


def test_iif_hidden_customers_are_inactive_accounts(firm, owner):
    job = run_file(firm, owner, IIF, "customers.iif")
    assert job.mapping["preset"] == "quickbooks-iif"
    assert statuses(firm) == {"Acme Inc": "active", "Bygone LLC": "inactive"}


def test_quickbooks_active_status_column(firm, owner):
    rows = [
        ["Active Status", "Customer", "First Name", "Last Name", "Main Email"],
        ["Active", "Acme LLC", "Ann", "Lee", "ann@acme.example"],
        ["Inactive", "Gone Corp", "Bo", "Kim", "bo@gone.example"],
    ]
    job, counts = import_rows(firm, owner, rows)
    assert job.mapping["preset"] == "quickbooks-desktop"
    assert statuses(firm) == {"Acme LLC": "active", "Gone Corp": "inactive"}
    assert counts["warnings"] == 0


@pytest.mark.parametrize(
    ("header", "archived", "current"),
    [("ContactStatus", "ARCHIVED", "ACTIVE"), ("IsArchived", "TRUE", "FALSE"), ("Archived", "Yes", "No")],
)
def test_xero_archived_contacts_are_inactive_accounts(firm, owner, header, archived, current):
    rows = [
        ["*ContactName", "EmailAddress", "FirstName", "LastName", header],
        ["Acme Ltd", "ann@acme.example", "Ann", "Lee", current],
        ["Old Client Ltd", "bo@old.example", "Bo", "Kim", archived],
    ]
    job, _ = import_rows(firm, owner, rows)
    assert job.mapping["preset"] == "xero"
    assert statuses(firm) == {"Acme Ltd": "active", "Old Client Ltd": "inactive"}


def test_status_column_words_and_flags_by_header_meaning(firm, owner):
    rows = [
        ["Client", "Client Status", "Inactive", "Active"],
        ["Former Co", "Former", "", ""],
        ["Closed Co", "Closed", "", ""],
        ["Current Co", "Active", "", ""],
        ["Flagged Co", "", "Y", ""],
        ["Not Flagged Co", "", "N", ""],
        ["Switched Off Co", "", "", "No"],
    ]
    columns = {"Client": "account.name", "Client Status": "account.status"}
    job, _ = import_rows(firm, owner, [[r[0], r[1]] for r in rows], columns)
    assert {name: statuses(firm)[name] for name in ("Former Co", "Closed Co", "Current Co")} == {
        "Former Co": "inactive", "Closed Co": "inactive", "Current Co": "active"}
    Account.objects.all().delete()
    import_rows(firm, owner, [[r[0], r[2], r[3]] for r in rows], {"Client": "account.name",
                                                                  "Inactive": "account.status"})
    assert statuses(firm)["Flagged Co"] == "inactive" and statuses(firm)["Not Flagged Co"] == "active"
    Account.objects.all().delete()
    import_rows(firm, owner, [[r[0], r[3]] for r in rows], {"Client": "account.name", "Active": "account.status"})
    assert statuses(firm)["Switched Off Co"] == "inactive"


STATUS = {"Client": "account.name", "Status": "account.status"}


def test_an_unknown_status_warns_with_row_column_and_value_and_changes_nothing(firm, owner):
    services.account_create(actor=owner_of(firm), name="Kept Inactive Co", type="company", status="inactive",
                            folder_template=None)
    rows = [["Client", "Status"], ["New Co", "Pending review"], ["Kept Inactive Co", "Maybe"]]
    job, counts = import_rows(firm, owner, rows, STATUS, overwrite=True)
    assert counts["rows_imported"] == 2 and counts["rows_skipped"] == 0
    assert warnings(job) == [(2, "unknown_status", "Status", "Pending review"), (3, "unknown_status", "Status", "Maybe")]
    message = job.issues.get(row_number=2).message
    assert "'Pending review' is not a client status" in message and "left as it is" in message
    assert statuses(firm) == {"New Co": "active", "Kept Inactive Co": "inactive"}


def test_an_existing_accounts_status_changes_only_with_overwrite(firm, owner):
    services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", folder_template=None)
    rows = [["Client", "Status"], ["Acme LLC", "Inactive"]]
    _, counts = import_rows(firm, owner, rows, STATUS)
    assert statuses(firm) == {"Acme LLC": "active"} and counts["accounts_updated"] == 0
    _, counts = import_rows(firm, owner, rows, STATUS, overwrite=True)
    assert statuses(firm) == {"Acme LLC": "inactive"} and counts["accounts_updated"] == 1


def test_dry_run_predicts_the_status_update(firm, owner):
    services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", folder_template=None)
    rows = [["Client", "Status"], ["Acme LLC", "Archived"]]
    _, dry = import_rows(firm, owner, rows, STATUS, dry_run=True, overwrite=True)
    _, real = import_rows(firm, owner, rows, STATUS, overwrite=True)
    assert dry["accounts_updated"] == real["accounts_updated"] == 1


# --- Addresses ----------------------------------------------------------------------------------
OUTLOOK_HEADERS = [
    "First Name", "Last Name", "Company", "E-mail Address", "Business Street", "Business City", "Business State",
    "Business Postal Code", "Home Street", "Home City", "Home State", "Home Postal Code",
]


def outlook_row(first, last, company="", business=("", "", "", ""), home=("", "", "", "")):
    return [first, last, company, f"{first.lower()}@example.com", *business, *home]


def test_outlook_rows_with_only_a_business_address_give_it_to_the_contact(firm, owner):
    rows = [
        OUTLOOK_HEADERS,
        outlook_row("Ann", "Lee", business=("9 Main St", "Austin", "TX", "78702")),
        outlook_row("Bo", "Kim", home=("1 Elm St", "Dallas", "TX", "75201")),
        outlook_row("Cy", "Ray", business=("5 Oak Ave", "Houston", "TX", "77002")),
    ]
    job, counts = import_rows(firm, owner, rows)
    assert job.mapping["preset"] == "outlook" and counts["rows_skipped"] == 0
    contacts = {c.first_name: address(c) for c in Contact.objects.filter(firm=firm)}
    assert contacts == {
        "Ann": ("9 Main St", "Austin", "TX", "78702", ""),
        "Bo": ("1 Elm St", "Dallas", "TX", "75201", ""),
        "Cy": ("5 Oak Ave", "Houston", "TX", "77002", ""),
    }
    # Individuals' accounts have no address of their own.
    assert {address(a) for a in Account.objects.filter(firm=firm)} == {("", "", "", "", "")}


def test_a_home_country_alone_is_no_home_address(firm, owner):
    headers = ["First Name", "Last Name", "Business Street", "Business City", "Home Street", "Home Country/Region"]
    rows = [headers, ["Ann", "Lee", "9 Main St", "Austin", "", "United States"],
            ["Bo", "Kim", "", "", "1 Elm St", "United States"]]
    import_rows(firm, owner, rows)
    contacts = {c.first_name: address(c) for c in Contact.objects.filter(firm=firm)}
    assert contacts == {"Ann": ("9 Main St", "Austin", "", "", "United States"),
                        "Bo": ("1 Elm St", "", "", "", "United States")}


def test_home_and_business_with_a_company_the_business_address_is_the_companys(firm, owner):
    rows = [
        OUTLOOK_HEADERS,
        outlook_row("Ann", "Smith", "Smith Dental LLC", ("9 Main St", "Austin", "TX", "78702"),
                    ("1 Elm St", "Austin", "TX", "78701")),
        outlook_row("Bo", "Kim", "", ("5 Oak Ave", "Houston", "TX", "77002"), ("2 Pine Rd", "Dallas", "TX", "75201")),
        outlook_row("Cy", "Ray", "Smith Dental LLC", ("9 Main St", "Austin", "TX", "78702")),
    ]
    import_rows(firm, owner, rows)
    company = Account.objects.get(firm=firm, name="Smith Dental LLC")
    assert company.type == "company"
    assert address(company) == ("9 Main St", "Austin", "TX", "78702", "")
    contacts = {c.first_name: address(c) for c in Contact.objects.filter(firm=firm)}
    assert contacts["Ann"] == ("1 Elm St", "Austin", "TX", "78701", "")  # home stays the person's
    assert contacts["Cy"] == ("9 Main St", "Austin", "TX", "78702", "")  # no home: the office
    assert contacts["Bo"] == ("2 Pine Rd", "Dallas", "TX", "75201", "")
    bo = Account.objects.get(firm=firm, name="Bo Kim")
    assert bo.type == "individual" and address(bo) == ("", "", "", "", "")


def test_mapped_account_address_columns_fill_the_account_and_follow_the_update_rules(firm, owner):
    services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", city="Boston", folder_template=None)
    rows = [["Client", "Office Street", "Office City", "Office ZIP"], ["Acme LLC", "1 Market St", "Cambridge", "02139"],
            ["New Co", "'=1+2", "Austin", "78701"]]
    columns = {"Client": "account.name", "Office Street": "account.street", "Office City": "account.city",
               "Office ZIP": "account.postal_code"}
    import_rows(firm, owner, rows, columns)
    acme = Account.objects.get(firm=firm, name="Acme LLC")
    assert address(acme) == ("1 Market St", "Boston", "", "02139", "")  # empty filled, Boston kept
    import_rows(firm, owner, rows, columns, overwrite=True)
    acme.refresh_from_db()
    assert acme.city == "Cambridge"
    assert Account.objects.get(firm=firm, name="New Co").street == "=1+2"  # the export guard was removed


# --- Export --------------------------------------------------------------------------------------
def test_export_has_status_and_address_formula_safe_and_reimports_unchanged(firm, owner, tmp_path):
    services.account_create(actor=owner_of(firm), name="Gone LLC", type="company", status="inactive", street="=HYPERLINK(1)",
                            city="Austin", state="TX", postal_code="07001", country="US", folder_template=None)
    services.account_create(actor=owner_of(firm), name="Here LLC", type="company", folder_template=None)
    out = io.StringIO()
    export_accounts_csv(firm, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    gone = next(row for row in rows if row["Account name"] == "Gone LLC")
    assert gone["Account status"] == "Inactive" and gone["Account street"] == "'=HYPERLINK(1)"
    assert (gone["Account city"], gone["Account state/region"], gone["Account postal code"],
            gone["Account country"]) == ("Austin", "TX", "07001", "US")
    assert next(row for row in rows if row["Account name"] == "Here LLC")["Account status"] == "Active"

    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    before = list(Account.objects.filter(firm=firm).values_list("name", "status", "street", "postal_code"))
    job = run_file(firm, owner, path.read_text(), "export.csv")
    assert job.counts["accounts_created"] == 0 and job.counts["accounts_updated"] == 0, job.counts
    assert list(Account.objects.filter(firm=firm).values_list("name", "status", "street", "postal_code")) == before


def test_json_export_has_the_accounts_status_and_address(firm, capsys):
    services.account_create(actor=owner_of(firm), name="Gone LLC", type="company", status="inactive", city="Austin",
                            folder_template=None)
    call_command("export", "--firm", firm.slug, "--format", "json")
    [item] = json.loads(capsys.readouterr().out)
    assert item["status"] == "inactive" and item["address"]["city"] == "Austin"


# --- The rules on their own ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "raw", "expected"),
    [
        ("HIDDEN", "Y", "inactive"), ("HIDDEN", "N", "active"), ("Is Archived", "true", "inactive"),
        ("IsArchived", "0", "active"), ("Inactive", "x", "inactive"), ("Archived", "Active", "active"),
        ("Active", "No", "inactive"), ("Active", "Yes", "active"), ("Active Status", "Inactive", "inactive"),
        ("Status", "Former client", "inactive"), ("Status", "Pending", ""), ("Status", "FORMER", "inactive"), ("Client Status", "Current", "active"),
        ("ContactStatus", "ARCHIVED", "inactive"), ("ContactStatus", "GDPRREQUEST", ""), ("Status", "Not active", "inactive"),
    ],
)
def test_clean_status_reads_values_by_the_headers_meaning(header, raw, expected):
    from imports.extraction import clean_status

    status, problems = clean_status(raw, header)
    assert status == expected
    assert [p.code for p in problems] == ([] if expected else ["unknown_status"])


def test_an_accounts_only_file_maps_its_business_address_to_the_account():
    from imports.matching import suggest_mapping

    headers = ["Customer", "Business Street", "Business City", "Status"]
    mapping = suggest_mapping(headers, [["Acme LLC", "1 Main St", "Austin", "Active"]], kind="accounts")
    assert [c.target for c in mapping.columns] == ["account.name", "account.street", "account.city", "account.status"]


def test_the_review_shows_the_status_and_address_as_they_will_be_written(firm, owner):
    from imports.review import review_examples
    from tests.imports.conftest import make_mapping

    services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", folder_template=None)
    rows = [["Client", "Status", "Office City"], ["Acme LLC", "Inactive", "Austin"], ["Gone Co", "Archived", "Waco"],
            ["Here Co", "Active", ""]]
    mapping = make_mapping({"Client": "account.name", "Status": "account.status", "Office City": "account.city"},
                           overwrite=True)
    examples = review_examples(upload(firm, owner, rows, mapping=mapping))
    lines = {a.name: [(line.label, line.value, line.before) for line in a.lines] for a in examples.accounts}
    assert ("Status", "Inactive", "Active") in lines["Acme LLC"] and ("City", "Austin", "—") in lines["Acme LLC"]
    assert ("Status", "Inactive", None) in lines["Gone Co"] and ("City", "Waco", None) in lines["Gone Co"]
    assert not any(label == "Status" for label, _, _ in lines["Here Co"])  # active goes unsaid
