"""Where the automatic mapping puts the columns of real exports (docs/import-rules.md, "Custom fields:
where a column lands"), through the real pipeline: existing fields first, bookkeeping offered
instead of created, the skipped-rows file's own columns ignored, a person's properties on the
contact and the client's on the account, and two people who share an email across rows."""

import io
import zipfile

import pytest
from django.urls import reverse

from crm.models import Account, Contact, CustomField
from imports import jobs
from imports.mapping import IGNORE, Mapping
from imports.models import ImportJob
from imports.report import skipped_rows_zip
from tests.actors import uploader
from tests.imports.conftest import import_rows, run_pipeline, upload

pytestmark = pytest.mark.django_db


def fields(firm):
    return sorted((f.applies_to, f.name, f.field_type) for f in CustomField.objects.filter(firm=firm))


def contact(firm, first):
    return Contact.objects.get(firm=firm, first_name=first)


def custom(record, name):
    field = CustomField.objects.get(firm=record.firm, name=name)
    return record.custom_values.get(str(field.pk))


# --- Existing fields first ------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Job Title", "Position", "Organization 1 - Title", "Title", "Profession"])
def test_a_job_title_column_fills_the_firms_occupation_field(firm, owner, header):
    CustomField.objects.create(firm=firm, applies_to="contact", name="Occupation", field_type="text")
    import_rows(firm, owner, [["First Name", "Last Name", "Email", header],
                              ["Ann", "Lee", "ann@example.com", "Controller"]])
    assert fields(firm) == [("contact", "Occupation", "text")]  # no second field of one meaning
    assert custom(contact(firm, "Ann"), "Occupation") == "Controller"


def test_job_titles_of_three_exports_make_one_field(firm, owner):
    exports = [
        [["First Name", "Last Name", "E-mail Address", "Job Title"], ["Ann", "Lee", "ann@example.com", "CFO"]],
        [["First Name", "Last Name", "Email Address", "Position"], ["Bo", "Ng", "bo@example.com", "Owner"]],
        [["First Name", "Last Name", "E-mail 1 - Value", "Organization Title"],
         ["Cy", "Oz", "cy@example.com", "Partner"]],
    ]
    for rows in exports:
        import_rows(firm, owner, rows)
    assert fields(firm) == [("contact", "Job title", "text")]
    assert [custom(contact(firm, first), "Job title") for first in ("Ann", "Bo", "Cy")] == ["CFO", "Owner", "Partner"]


def test_a_second_column_of_a_meaning_keeps_its_own_field(firm, owner):
    """"Job Title" fills the firm's Occupation; the file's own "Occupation" column is exactly that
    field, so "Job Title" must not pour into it as well: it gets a field of its own."""
    CustomField.objects.create(firm=firm, applies_to="contact", name="Occupation", field_type="text")
    import_rows(firm, owner, [["First Name", "Email", "Occupation", "Job Title"],
                              ["Ann", "ann@example.com", "Accountant", "Controller"]])
    ann = contact(firm, "Ann")
    assert (custom(ann, "Occupation"), custom(ann, "Job Title")) == ("Accountant", "Controller")


# --- Bookkeeping offered, not created ---------------------------------------------------------------
HUBSPOT = [
    ["Record ID", "First Name", "Last Name", "Email", "Lead Status", "Marketing contact status", "Create Date",
     "Lifecycle Stage", "Job Title"],
    ["5101", "Ann", "Lee", "ann@example.com", "Open", "Marketing contact", "2023-01-04 10:12", "Customer", "CFO"],
    ["5102", "Bo", "Ng", "bo@example.com", "Connected", "Non-marketing contact", "2023-02-11 16:40", "Lead", ""],
]


def test_hubspot_bookkeeping_is_offered_not_created(firm, owner):
    job, counts = import_rows(firm, owner, HUBSPOT)
    assert fields(firm) == [("contact", "Job title", "text")]
    assert counts["contacts_created"] == 2
    mapping = Mapping.from_dict(job.mapping)
    offered = {c.column: (c.offer, c.field) for c in mapping.columns if c.offer}
    assert offered["Record ID"] == ("contact.custom", "Contact ID")  # the contact's id in HubSpot
    assert set(offered) == {"Record ID", "Lead Status", "Marketing contact status", "Create Date", "Lifecycle Stage"}
    assert all(c.target == IGNORE for c in mapping.columns if c.offer)


def test_a_field_the_firm_kept_is_still_filled(firm, owner):
    CustomField.objects.create(firm=firm, applies_to="contact", name="Lead Status", field_type="text")
    import_rows(firm, owner, HUBSPOT)
    assert custom(contact(firm, "Bo"), "Lead Status") == "Connected"
    assert ("contact", "Contact ID", "text") not in fields(firm)


def test_the_field_table_offers_bookkeeping_with_one_change(owner_client, firm, owner):
    job = upload(firm, owner, HUBSPOT)
    page = owner_client.get(reverse("imports:step_contacts", args=[job.pk])).content.decode()
    assert "Not imported unless you choose Sync: it would become “Contact ID”" in page
    # Sync is all it takes: the offered field is already chosen and named.
    mapping = Mapping.from_dict(job.mapping)
    index = [c.column for c in mapping.columns].index("Record ID")
    form = _contacts_form_data(page)
    form[f"c{index}-action"] = "sync"
    response = owner_client.post(reverse("imports:step_contacts", args=[job.pk]), form)
    assert response.status_code == 302
    job.refresh_from_db()
    record = Mapping.from_dict(job.mapping).column("Record ID")
    assert (record.target, record.field) == ("contact.custom", "Contact ID")


def _contacts_form_data(page: str) -> dict:
    """The values the contacts step's form would submit as rendered (selected options, inputs)."""
    import re

    data = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for attributes in re.findall(r"<input ([^>]+)>", page):
        name = re.search(r'name="([^"]+)"', attributes)
        value = re.search(r'value="([^"]*)"', attributes)
        if name and "csrf" not in name.group(1):
            data[name.group(1)] = value.group(1) if value else ""
    return data


def test_iif_bookkeeping_is_offered_not_created(firm, owner):
    iif = ("!CUST\tNAME\tREFNUM\tTIMESTAMP\tEMAIL\tTAXABLE\tSALESTAXCODE\tPRICELEVEL\r\n"
           "CUST\tRivera, Ana\t12\t1501191278\tana@example.com\tY\tTax\tRetail\r\n")
    job = upload(firm, owner, iif, name="customers.iif")
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.status == "finished", job.error
    assert fields(firm) == []
    assert Contact.objects.get(firm=firm).email == "ana@example.com"


# --- Row and Reason of our own skipped-rows file ------------------------------------------------------
def test_reimporting_the_skipped_rows_file_ignores_row_and_reason(firm, owner):
    rows = [["Account Name", "First Name", "Email"], ["Acme LLC", "Ann", "ann@example.com"], ["", "", ""],
            ["", "", "not-an-email"]]
    job, counts = import_rows(firm, owner, rows)
    assert counts["rows_skipped"] == 1
    archive = io.BytesIO()
    skipped_rows_zip(job, archive)
    with zipfile.ZipFile(archive) as opened:
        fixed = opened.read(opened.namelist()[0]).decode("utf-8-sig").replace("not-an-email", "bo@example.com")
    fixed = fixed.replace("\r\n,,bo@example.com", "\r\nBo Ltd,Bo,bo@example.com")
    again = upload(firm, owner, fixed, name="clients-skipped-rows.csv")
    mapping = Mapping.from_dict(again.mapping)
    assert [(c.column, c.target, c.offer) for c in mapping.columns[-2:]] == [("Row", IGNORE, ""), ("Reason", IGNORE, "")]
    jobs.job_start(again, actor=uploader(again), enqueue=False)
    again = jobs.job_run(again.pk)
    assert again.status == "finished", again.error
    assert fields(firm) == []
    assert Account.objects.filter(firm=firm, name="Bo Ltd").exists()


# --- A person's properties on the contact, the client's on the account ----------------------------------
def test_person_properties_go_on_the_contact_and_client_properties_on_the_account(firm, owner):
    rows = [["Company", "First Name", "Last Name", "Email", "Contact ID", "Customer ID", "Personal Website",
             "Website", "Last Activity Date", "LinkedIn URL"],
            ["Acme LLC", "Ann", "Lee", "ann@example.com", "C-77", "1042", "ann.example.com", "https://acme.example",
             "2024-03-05", "https://www.linkedin.com/in/annlee"]]
    job, _ = import_rows(firm, owner, rows)
    assert fields(firm) == [
        ("account", "Website", "url"),
        ("contact", "Contact ID", "text"),
        ("contact", "Last activity", "date"),
        ("contact", "Personal website", "url"),
    ]
    ann, acme = contact(firm, "Ann"), Account.objects.get(firm=firm, name="Acme LLC")
    assert acme.client_id == "1042"
    assert custom(acme, "Website") == "https://acme.example"
    assert (custom(ann, "Contact ID"), custom(ann, "Personal website")) == ("C-77", "https://ann.example.com")
    # LinkedIn is offered on the contact where the firm has no LinkedIn field.
    linkedin = Mapping.from_dict(job.mapping).column("LinkedIn URL")
    assert (linkedin.target, linkedin.offer, linkedin.field, linkedin.field_type) == (
        IGNORE, "contact.custom", "LinkedIn", "url")


def test_a_linkedin_field_the_firm_has_is_filled(firm, owner):
    CustomField.objects.create(firm=firm, applies_to="contact", name="LinkedIn profile", field_type="url")
    import_rows(firm, owner, [["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
                              ["Ann", "Lee", "https://www.linkedin.com/in/annlee", "ann@example.com", "Acme LLC",
                               "CFO", "05 Mar 2021"]])
    assert custom(contact(firm, "Ann"), "LinkedIn profile") == "https://www.linkedin.com/in/annlee"
    assert fields(firm) == [("contact", "Job title", "text"), ("contact", "LinkedIn profile", "url")]


# --- Two people, one email, two rows -------------------------------------------------------------
SPOUSES = [["First Name", "Last Name", "Email"],
           ["John", "Smith", "smiths@example.com"],
           ["Jane", "Smith", "smiths@example.com"],
           ["J.", "Smith", "smiths@example.com"]]


def test_two_rows_sharing_an_email_with_different_first_names_are_two_contacts(firm, owner):
    job, counts = import_rows(firm, owner, SPOUSES)
    assert counts["contacts_created"] == 2
    john, jane = contact(firm, "John"), contact(firm, "Jane")
    assert (john.email, jane.email) == ("smiths@example.com", "")
    warned = list(job.issues.filter(code="shared_email").values_list("row_number", "column"))
    assert warned == [(3, "Email")]  # "J." is John's initial: the same person
    # The email is John's, so it does not make Jane his client: she is her own, found by name.
    assert [a.name for a in jane.accounts.all()] == ["Jane Smith"]
    assert [a.name for a in john.accounts.all()] == ["John Smith"]


def test_shared_email_check_counts_like_the_import_and_a_reimport_adds_nobody(firm, owner):
    _, checked = import_rows(firm, owner, SPOUSES, dry_run=True)
    _, counts = import_rows(firm, owner, SPOUSES)
    assert {k: checked[k] for k in ("contacts_created", "warnings")} == {
        k: counts[k] for k in ("contacts_created", "warnings")}
    _, again = import_rows(firm, owner, SPOUSES)
    assert again["contacts_created"] == 0 and Contact.objects.filter(firm=firm).count() == 2


@pytest.mark.parametrize("first_row", [["Pat", "Smith", "smiths@example.com"], ["", "Smith", "smiths@example.com"]])
def test_shared_email_across_batches_of_a_dry_run(firm, owner, first_row):
    """A dry run remembers each email's first name from batch to batch as the database would,
    also when a later row names a contact made without a first name."""
    job = upload(firm, owner, [SPOUSES[0], first_row, *SPOUSES[1:]])
    predicted = run_pipeline(job, dry_run=True, batch_size=1).counters.as_dict()
    done = run_pipeline(job, dry_run=False, batch_size=1).counters.as_dict()
    assert predicted == done
    # Pat holds the email, so John, Jane and "J." are three more; a contact with only a last
    # name is named by nobody (it has a name), so everyone after it shares it.
    assert done["contacts_created"] == (4 if first_row[0] else 1)


# --- The review lists new fields with their values ---------------------------------------------------
def test_review_lists_the_new_fields_with_sample_values(owner_client, firm, owner):
    job = upload(firm, owner, HUBSPOT)
    jobs.job_dry_run(job)
    page = owner_client.get(reverse("imports:review", args=[job.pk])).content.decode()
    assert 'data-field="Job title"' in page
    assert "contact field, text, from Job Title" in page and '<span class="sample">CFO</span>' in page
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.READY


def test_the_second_person_keeps_their_own_next_email_and_a_reimport_finds_them(firm, owner):
    rows = [["First Name", "Last Name", "Email"],
            ["John", "Smith", "smiths@example.com"],
            ["Jane", "Smith", "smiths@example.com; jane@example.com"]]
    job, counts = import_rows(firm, owner, rows)
    assert contact(firm, "Jane").email == "jane@example.com"
    assert job.issues.filter(code="shared_email").count() == 1
    again, counts = import_rows(firm, owner, rows)  # Jane is found by the email she now has
    assert counts["contacts_created"] == 0 and Contact.objects.filter(firm=firm).count() == 2


def test_a_person_off_a_company_contacts_email_is_found_by_name_on_reimport(firm, owner):
    """The email belongs to a company's contact; the person of another first name is not its
    client, so their own account is found again by their name, not made twice."""
    rows = [["Client", "First Name", "Email"], ["Acme LLC", "Dee", "b@example.com"], ["", "Smith", "b@example.com"]]
    columns = {"Client": "account.name", "First Name": "contact.first_name", "Email": "contact.email"}
    _, first = import_rows(firm, owner, rows, columns)
    _, again = import_rows(firm, owner, rows, columns)
    assert (first["accounts_created"], again["accounts_created"], again["contacts_created"]) == (2, 0, 0)
