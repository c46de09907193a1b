"""Which account a row belongs to (docs/import-rules.md, "Matching"): names are not unique, a
row without an account name is its person's own client, and one client has one name whatever
order the source wrote it in. Each rule through the real pipeline, on files written here."""

import random

import pytest

from crm import services
from crm.models import Account, Contact
from imports import jobs
from imports.pipeline import run_pipeline
from tests.actors import owner_of, uploader
from tests.imports.conftest import import_rows, make_mapping, upload

pytestmark = pytest.mark.django_db

PEOPLE = {"First": "contact.first_name", "Last": "contact.last_name", "Email": "contact.email",
          "Phone": "contact.phone", "ZIP": "contact.postal_code"}
HEADER = list(PEOPLE)
NAMED = {"Client": "account.name", **PEOPLE}


def warnings(job, code):
    return list(job.issues.filter(severity="warning", code=code).values_list("row_number", flat=True))


def accounts_named(firm, name):
    return Account.objects.filter(firm=firm, name=name).order_by("pk")


# --- 1. Never merge different people on a name alone -------------------------------------------
def test_strangers_who_share_a_name_and_have_different_emails_are_two_clients(firm, owner):
    rows = [HEADER, ["Mary", "Jones", "mary.j@a.example", "", ""], ["Mary", "Jones", "mjones@b.example", "", ""]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert (counts["accounts_created"], counts["contacts_created"]) == (2, 2)
    assert [a.contacts.get().email for a in accounts_named(firm, "Mary Jones")] == ["mary.j@a.example",
                                                                                   "mjones@b.example"]
    assert warnings(job, "same_name") == [3]


def test_the_same_email_on_two_rows_is_one_client(firm, owner):
    rows = [HEADER, ["Mary", "Jones", "mary@a.example", "", ""], ["Mary", "Jones", "MARY@a.example", "312 555 0100", ""]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert (counts["accounts_created"], counts["contacts_created"]) == (1, 1)
    assert accounts_named(firm, "Mary Jones").get().contacts.get().phones == ["+13125550100"]
    assert warnings(job, "same_name") == []


def test_without_emails_a_different_phone_makes_another_client(firm, owner):
    rows = [HEADER, ["Mary", "Jones", "", "(312) 555-0100", ""], ["Mary", "Jones", "", "(617) 555-0199", ""]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert (counts["accounts_created"], counts["contacts_created"]) == (2, 2)
    assert warnings(job, "same_name") == [3]
    message = job.issues.get(code="same_name").message
    assert "a different phone" in message and "Mary Jones" in message


def test_without_emails_the_same_person_on_two_rows_is_one_client(firm, owner):
    rows = [HEADER, ["Mary", "Jones", "", "(312) 555-0100", ""], ["mary", "JONES", "", "", "60601"],
            ["Mary", "Jones", "", "312.555.0100", "60601-1234"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert (counts["accounts_created"], counts["contacts_created"]) == (1, 1)
    contact = accounts_named(firm, "Mary Jones").get().contacts.get()
    assert (contact.phones, contact.postal_code) == (["+13125550100"], "60601")


def test_a_value_filled_by_an_earlier_row_tells_the_next_namesake_apart(firm, owner):
    """Row 3 completes row 2's client with a ZIP; row 4, with another ZIP, is someone else."""
    rows = [HEADER, ["Mary", "Jones", "", "(312) 555-0100", ""], ["Mary", "Jones", "", "", "60601"],
            ["Mary", "Jones", "", "", "02118"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert counts["accounts_created"] == 2
    assert warnings(job, "same_name") == [4]


def test_an_existing_client_is_found_by_email_and_a_namesake_is_not_merged_into_it(firm, owner):
    mary = services.account_create(actor=owner_of(firm), name="Mary Jones", folder_template=None)
    services.contact_link(actor=owner_of(mary), account=mary, contact=services.contact_create(
        actor=owner_of(firm), first_name="Mary", last_name="Jones", email="mary@a.example"))
    rows = [HEADER, ["Mary", "Jones", "mary@a.example", "(312) 555-0100", ""],
            ["Mary", "Jones", "other.mary@b.example", "", ""]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert (counts["accounts_created"], counts["accounts_updated"]) == (1, 0)
    assert (counts["contacts_created"], counts["contacts_updated"]) == (1, 1)
    assert accounts_named(firm, "Mary Jones").count() == 2
    assert mary.contacts.get().phones == ["+13125550100"]


def test_an_existing_client_without_email_is_found_by_name_unless_something_contradicts(firm, owner):
    bob = services.account_create(actor=owner_of(firm), name="Bob Brown", folder_template=None)
    services.contact_link(actor=owner_of(bob), account=bob, contact=services.contact_create(
        actor=owner_of(firm), first_name="Bob", last_name="Brown", phones=["+13125550100"]))
    rows = [HEADER, ["Bob", "Brown", "", "312-555-0100", "60601"], ["Bob", "Brown", "", "617-555-0199", ""]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert (counts["accounts_created"], counts["accounts_updated"]) == (1, 0)
    assert counts["contacts_updated"] == 1
    assert Contact.objects.get(account_links__account=bob).postal_code == "60601"
    assert warnings(job, "same_name") == [3]


def test_reimporting_strangers_who_share_a_name_creates_nothing(firm, owner):
    rows = [HEADER, ["Mary", "Jones", "", "(312) 555-0100", ""], ["Mary", "Jones", "", "(617) 555-0199", ""],
            ["Mary", "Jones", "m@c.example", "", ""]]
    import_rows(firm, owner, rows, PEOPLE)
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert (counts["accounts_created"], counts["contacts_created"]) == (0, 0)
    assert accounts_named(firm, "Mary Jones").count() == 3


def test_a_named_account_shared_by_several_clients_is_the_one_holding_the_rows_person(firm, owner):
    first = services.account_create(actor=owner_of(firm), name="Mary Smith", client_id="1001", folder_template=None)
    second = services.account_create(actor=owner_of(firm), name="Mary Smith", client_id="1002", folder_template=None)
    services.contact_link(actor=owner_of(second), account=second, contact=services.contact_create(
        actor=owner_of(firm), first_name="Mary", last_name="Smith", email="mary2@b.example"))
    services.contact_link(actor=owner_of(first), account=first, contact=services.contact_create(actor=owner_of(firm), first_name="Mary", last_name="Smith"))
    rows = [["Client", *HEADER], ["Mary Smith", "Mary", "Smith", "mary2@b.example", "312 555 0100", ""]]
    job, counts = import_rows(firm, owner, rows, NAMED)
    assert (counts["accounts_created"], counts["rows_skipped"]) == (0, 0)
    assert second.contacts.get().phones == ["+13125550100"]


def test_a_named_account_shared_by_several_clients_none_holding_the_person_is_skipped(firm, owner):
    services.account_create(actor=owner_of(firm), name="Mary Smith", client_id="1001", folder_template=None)
    services.account_create(actor=owner_of(firm), name="mary smith", client_id="1002", folder_template=None)
    rows = [["Client", *HEADER], ["Mary Smith", "Mary", "Smith", "new@c.example", "", ""]]
    job, counts = import_rows(firm, owner, rows, NAMED)
    assert (counts["rows_skipped"], counts["accounts_created"], counts["contacts_created"]) == (1, 0, 0)
    skip = job.issues.get(severity="skip")
    assert skip.code == "ambiguous_account" and skip.row_number == 2
    assert "1001, 1002" in skip.message


# --- 3. One name per individual client ------------------------------------------------------
LAST_FIRST = {"Customer": "account.name", "Email": "contact.email", "First": "contact.first_name",
              "Last": "contact.last_name"}


def test_a_last_first_customer_name_becomes_the_persons_name(firm, owner):
    rows = [["Customer", "Email", "First", "Last"], ["Rivera, Ana", "ana@r.example", "Ana", "Rivera"],
            ["LEE KIM", "kim@l.example", "Kim", "Lee"]]
    import_rows(firm, owner, rows, LAST_FIRST)
    assert sorted(Account.objects.filter(firm=firm).values_list("name", "type")) == [
        ("Ana Rivera", "individual"), ("Kim Lee", "individual")]


def test_a_first_last_file_after_a_last_first_one_creates_nothing(firm, owner):
    import_rows(firm, owner, [["Customer", "Email", "First", "Last"], ["Rivera, Ana", "", "Ana", "Rivera"]], LAST_FIRST)
    job, counts = import_rows(firm, owner, [["Client", *HEADER], ["Ana Rivera", "Ana", "Rivera", "", "", "60601"]],
                              NAMED)
    assert (counts["accounts_created"], counts["contacts_created"]) == (0, 0)
    assert counts["contacts_updated"] == 1
    job, counts = import_rows(firm, owner, [HEADER, ["Ana", "Rivera", "", "", "60601"]], PEOPLE)
    assert (counts["accounts_created"], counts["contacts_created"]) == (0, 0)
    assert Account.objects.filter(firm=firm).count() == 1


def test_an_existing_last_first_account_holding_the_person_is_that_client(firm, owner):
    ana = services.account_create(actor=owner_of(firm), name="Rivera, Ana", folder_template=None)
    services.contact_link(actor=owner_of(ana), account=ana, contact=services.contact_create(
        actor=owner_of(firm), first_name="Ana", last_name="Rivera", email="ana@r.example"))
    for rows, columns in (([HEADER, ["Ana", "Rivera", "ana@r.example", "", ""]], PEOPLE),
                          ([["Client", *HEADER], ["Ana Rivera", "Ana", "Rivera", "", "", ""]], NAMED)):
        job, counts = import_rows(firm, owner, rows, columns)
        assert (counts["accounts_created"], counts["contacts_created"]) == (0, 0)
    assert list(Account.objects.filter(firm=firm).values_list("name", flat=True)) == ["Rivera, Ana"]


def test_the_firm_may_name_individuals_last_name_first(firm, owner):
    firm.individual_account_names = "last_first"
    firm.save()
    rows = [["Customer", "Email", "First", "Last"], ["", "ana@r.example", "Ana", "Rivera"],
            ["ANA RIVERA", "", "Ana", "Rivera"], ["Acme LLC", "", "Bo", "Brown"]]
    job, counts = import_rows(firm, owner, rows, LAST_FIRST)
    assert counts["accounts_created"] == 2
    assert sorted(Account.objects.filter(firm=firm).values_list("name", flat=True)) == ["Acme LLC", "Rivera, Ana"]


def test_a_row_whose_only_name_is_a_last_first_customer_gets_a_named_contact(firm, owner):
    rows = [["Customer", "Email"], ["Rivera, Ana", "ana@r.example"], ["Acme, Inc.", "info@acme.example"]]
    import_rows(firm, owner, rows, {"Customer": "account.name", "Email": "contact.email"})
    ana = Contact.objects.get(firm=firm, email="ana@r.example")
    assert (ana.first_name, ana.last_name) == ("Ana", "Rivera")
    assert ana.accounts.get().name == "Ana Rivera"
    acme = Contact.objects.get(firm=firm, email="info@acme.example")
    assert (acme.first_name, acme.last_name, acme.accounts.get().name) == ("", "", "Acme, Inc.")


def test_an_individual_typed_name_without_person_columns_names_its_contact(firm, owner):
    rows = [["Client", "Type"], ["Ana Rivera", "Individual"], ["Nguyen Nail Salon", "Company"]]
    import_rows(firm, owner, rows, {"Client": "account.name", "Type": "account.type"}, account_type="column")
    assert list(Contact.objects.filter(firm=firm).values_list("first_name", "last_name")) == [("Ana", "Rivera")]


# --- The dry run predicts the run ------------------------------------------------------------
def test_dry_run_predicts_namesakes_across_batches(firm, owner):
    """Namesakes, repeated emails and named accounts spread over many small batches: the
    dry run (which writes nothing, and remembers) counts what the real run (which finds its
    earlier batches in the database) does."""
    mary = services.account_create(actor=owner_of(firm), name="Mary Jones", folder_template=None)
    services.contact_link(actor=owner_of(mary), account=mary, contact=services.contact_create(
        actor=owner_of(firm), first_name="Mary", last_name="Jones", phones=["+13125550100"]))
    columns = {"Client": "account.name", **PEOPLE}
    rows = [["Client", *HEADER]]
    for i in range(60):
        phone = ["", "(312) 555-0100", "(617) 555-0199", "(212) 555-0123"][i % 4]
        email = "" if i % 3 else f"m{i % 5}@x.example"
        client = ["", "", "Jones Family", "Rivera, Mary"][i % 4] if i % 7 else "Mary Jones"
        rows.append([client, "Mary", "Jones" if i % 5 else "Rivera", email, phone, ["", "60601", "02118"][i % 3]])
    job = upload(firm, owner, rows, mapping=make_mapping(columns))
    predicted = run_pipeline(job, dry_run=True, batch_size=4).counters
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    done = run_pipeline(job, dry_run=False, batch_size=4).counters
    assert predicted == done
    assert done.accounts_created > 3


@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_a_type_a_row_without_an_account_name_gave_holds_whatever_the_batches(firm, owner, batch_size):
    """Robert Gonzales, a business by the type column on a row that names no account, is then
    named "Gonzales, Robert" as an individual by a later row: the later row contradicts the type
    the earlier one gave the same account, whether the two rows share a batch or not (a later
    batch once missed it, and the result depended on where batches began)."""
    columns = {"Client": "account.name", "Type": "account.type", **PEOPLE}
    rows = [["Client", "Type", *HEADER], ["", "Business", "Robert", "Gonzales", "robert@barnett.example", "", ""],
            ["Lee Dental PC", "Business", "Bo", "Lee", "bo@lee.example", "", ""],
            ["Gonzales, Robert", "Individual", "Robert", "Gonzales", "robert@home.example", "", ""]]
    job = upload(firm, owner, rows, mapping=make_mapping(columns, account_type="column"))
    predicted = run_pipeline(job, dry_run=True, batch_size=batch_size).counters
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    done = run_pipeline(job, dry_run=False, batch_size=batch_size).counters
    assert predicted == done
    assert (done.rows_imported, done.rows_skipped, done.accounts_created) == (2, 1, 2)
    assert list(job.issues.filter(code="conflicting_account_type").values_list("row_number", flat=True)) == [4]
    assert accounts_named(firm, "Robert Gonzales").get().type == "company"


def repetitive_rows(count: int, seed: int) -> list[list[str]]:
    """People drawn from a small pool, so names repeat: strangers who share a name (each
    with their own email, phone and ZIP, some left blank), the same person on several rows,
    their households and employers, individuals with and without a client name."""
    rng = random.Random(seed)
    pool = []
    for index in range(40):
        first, last = rng.choice(["Mary", "Ann", "Bo", "Wei"]), rng.choice(["Jones", "Lee", "Khan"])
        pool.append({
            "first": first, "last": last,
            "email": rng.choice(["", f"{first}.{last}.{index}@x.example".lower()]),
            "phone": rng.choice(["", f"(312) 555-01{index:02d}"]),
            "zip": rng.choice(["", "60601", "02118", "94110"]),
            "client": rng.choice(["", "", f"{last}, {first}", f"{first} {last}", f"{last} Family",
                                  rng.choice(["Lee Dental PC", "Khan Bakery LLC"])]),
        })
    rows = [["Client", *HEADER]]
    for _ in range(count):
        who = rng.choice(pool)
        # Each row may leave out a value the person has, never gives them another one.
        rows.append([who["client"], who["first"], who["last"], who["email"] if rng.random() < 0.8 else "",
                     who["phone"] if rng.random() < 0.7 else "", who["zip"] if rng.random() < 0.7 else ""])
    return rows


@pytest.mark.parametrize("seed", range(8))
def test_dry_run_predicts_the_run_on_files_full_of_namesakes(firm, owner, seed):
    """Dry run equals run on multi-batch files where names repeat across batches: the check
    the review's full dry run relies on. (It caught a contact that a later row gave an email
    being taken for one without, in a later batch of the dry run only.)"""
    if seed % 2:  # half the runs start from clients the firm already has
        ann = services.account_create(actor=owner_of(firm), name="Ann Lee", folder_template=None)
        services.contact_link(actor=owner_of(ann), account=ann, contact=services.contact_create(
            actor=owner_of(firm), first_name="Ann", last_name="Lee", email="ann.lee.1@x.example"))
        services.account_create(actor=owner_of(firm), name="Lee, Bo", client_id="B1", folder_template=None)
        services.account_create(actor=owner_of(firm), name="Bo Lee", client_id="B2", folder_template=None)
    job = upload(firm, owner, repetitive_rows(150, seed), mapping=make_mapping({"Client": "account.name", **PEOPLE}))
    predicted = run_pipeline(job, dry_run=True, batch_size=9).counters
    in_one_batch = run_pipeline(job, dry_run=True, batch_size=1000).counters
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    done = run_pipeline(job, dry_run=False, batch_size=9).counters
    assert predicted == in_one_batch == done
    assert done.rows_total == done.rows_imported + done.rows_skipped == 150
    assert done.accounts_created == Account.objects.filter(firm=firm, created_by_import=job).count()
    assert done.contacts_created == Contact.objects.filter(firm=firm, created_by_import=job).count()


def test_dry_run_knows_a_contact_a_later_row_gave_an_email_is_no_longer_without_one(firm, owner):
    """Bo is on the account without an email; a later row brings his email; a third row's
    Bo with another email is someone else. The real run sees that in the database; the dry
    run, a batch later, must remember it (it once predicted one contact too few per case)."""
    rows = [["Client", *HEADER], ["Khan Family", "Bo", "Khan", "", "", ""],
            ["Khan Family", "Bo", "Khan", "bo@one.example", "", ""],
            ["Khan Family", "Bo", "Khan", "bo@two.example", "", ""]]
    job = upload(firm, owner, rows, mapping=make_mapping({"Client": "account.name", **PEOPLE}))
    predicted = run_pipeline(job, dry_run=True, batch_size=1).counters
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    done = run_pipeline(job, dry_run=False, batch_size=1).counters
    assert done.contacts_created == 2
    assert predicted == done
