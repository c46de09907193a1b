"""Who a row is about: the automatic account type, and spouses who share an email (docs/import-rules.md)."""

import pytest

from crm.models import Account, Contact
from imports.models import ImportIssue
from tests.imports.conftest import import_rows

pytestmark = pytest.mark.django_db

PERSON = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name"}


@pytest.mark.parametrize(
    ("account", "first", "last", "expected"),
    [
        ("Smith, John & Jane", "John", "Smith", "individual"),  # a couple, Lacerte style
        ("John and Jane Smith", "John", "Smith", "individual"),
        ("The Smith Household", "John", "Smith", "individual"),
        ("Jon Smith", "Jonathan", "Smith", "individual"),  # a person's name with the row's family name
        ("", "Ann", "Lee", "individual"),  # named after its person
        ("Nguyen Nail Salon", "Tuan", "Nguyen", "company"),  # owned by the person, named for the trade
        ("Delgado Landscaping", "Maria", "Delgado", "company"),
        ("Kowalski Auto Repair", "Jan", "Kowalski", "company"),
        ("Acme LLC", "Ann", "Lee", "company"),
        ("Smith & Wesson", "Ann", "Lee", "company"),  # two names, but nobody on the row
    ],
)
def test_automatic_type_tells_a_household_from_a_business(firm, owner, account, first, last, expected):
    import_rows(firm, owner, [["Client", "First", "Last"], [account, first, last]], PERSON)
    assert Account.objects.get(firm=firm).type == expected


SPOUSES = {**PERSON, "Email": "contact.email", "Spouse first": "contact2.first_name",
           "Spouse last": "contact2.last_name", "Spouse email": "contact2.email", "Spouse DOB": "contact2.date_of_birth"}


def test_a_spouse_sharing_the_taxpayers_email_stays_a_person_of_their_own(firm, owner):
    rows = [list(SPOUSES), ["Washington, George & Martha", "George", "Washington", "gw@mountvernon.example",
                            "Martha", "Custis", "GW@mountvernon.example", "06/02/1951"]]
    job, counts = import_rows(firm, owner, rows, SPOUSES)

    assert counts["contacts_created"] == 2
    george = Contact.objects.get(firm=firm, first_name="George")
    martha = Contact.objects.get(firm=firm, first_name="Martha")
    assert (george.email, george.date_of_birth) == ("gw@mountvernon.example", None)
    assert (martha.email, str(martha.date_of_birth)) == ("", "1951-06-02")
    assert set(Account.objects.get(firm=firm).contacts.all()) == {george, martha}
    issue = ImportIssue.objects.get(job=job, code="shared_email")
    assert (issue.row_number, issue.column, issue.value) == (2, "Spouse email", "GW@mountvernon.example")
    assert "Martha Custis has the same email as George Washington" in issue.message


def test_the_same_person_named_twice_on_a_row_is_still_one_contact(firm, owner):
    rows = [list(SPOUSES), ["Lee", "Ann", "Lee", "ann@lee.example", "ann", "LEE", "ann@lee.example", ""]]
    job, counts = import_rows(firm, owner, rows, SPOUSES)
    assert counts["contacts_created"] == 1
    assert not ImportIssue.objects.filter(job=job, code="shared_email").exists()


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","Click")', "=cmd|' /C calc'!A0", "@SUM(A1:A2)"])
def test_a_name_that_is_a_spreadsheet_formula_is_kept_as_text_with_a_warning(firm, owner, name):
    job, counts = import_rows(firm, owner, [["Client", "First", "Last"], [name, "Ann", "Lee"]], PERSON)
    assert Account.objects.get(firm=firm).name == name
    assert list(ImportIssue.objects.filter(job=job).values_list("code", "column")) == [("formula_text", "Client")]


@pytest.mark.parametrize("name", ["Smith-Jones", "-", "@home Cafe", "+1 Club"])
def test_names_with_signs_that_are_no_formula_give_no_warning(firm, owner, name):
    job, _ = import_rows(firm, owner, [["Client", "First", "Last"], [name, "Ann", "Lee"]], PERSON)
    assert not ImportIssue.objects.filter(job=job, code="formula_text").exists()


def test_a_credential_typed_after_the_family_name_becomes_the_suffix(firm, owner):
    columns = {"First Name": "contact.first_name", "Last Name": "contact.last_name", "Email": "contact.email"}
    import_rows(firm, owner, [list(columns), ["Raj", "Patel CPA", "raj@patel.example"]], columns)
    raj = Contact.objects.get(firm=firm)
    assert (raj.first_name, raj.last_name, raj.suffix) == ("Raj", "Patel", "CPA")
    assert Account.objects.get(firm=firm).name == "Raj Patel"


def test_a_row_that_names_only_a_company_is_that_companys_account(firm, owner):
    columns = {"First Name": "contact.first_name", "Last Name": "contact.last_name", "Company": "account.company_name",
               "E-mail Address": "contact.email"}
    job, counts = import_rows(firm, owner, [list(columns), ["", "", "Bright Smile Orthodontics", ""]], columns)
    assert counts["rows_skipped"] == 0
    account = Account.objects.get(firm=firm)
    assert (account.name, account.type, account.company_name) == ("Bright Smile Orthodontics", "company",
                                                                   "Bright Smile Orthodontics")


def test_a_full_name_that_is_a_formula_is_flagged_too(firm, owner):
    columns = {"Full Name": "contact.full_name", "Email": "contact.email"}
    job, _ = import_rows(firm, owner, [list(columns), ["=cmd|' /C calc'!A0", "x@evil.example"]], columns)
    assert list(ImportIssue.objects.filter(job=job).values_list("code", "column")) == [("formula_text", "Full Name")]
