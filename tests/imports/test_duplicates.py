"""Likely duplicates (docs/import-rules.md, "Likely duplicates"): the review's full check finds
pairs the exact keys do not merge but a person should look at; the user's decisions travel in
the mapping and the run applies them."""

import datetime
import sys

import pytest
from django.urls import reverse

from crm import services
from crm.models import Account, Contact
from imports import duplicates, jobs
from imports.extraction import PersonData
from imports.mapping import Mapping
from imports.models import ImportJob
from tests.actors import owner_of, uploader
from tests.imports.conftest import make_mapping, upload
from tests.imports.test_wizard import wizard_upload

HEADER = ["Client", "First Name", "Last Name", "Email", "Phone"]
COLUMNS = {"Client": "account.name", "First Name": "contact.first_name", "Last Name": "contact.last_name",
           "Email": "contact.email", "Phone": "contact.phone"}


def account(firm, name, email="", phone="", first="", last="", type="company"):
    made = services.account_create(actor=owner_of(firm), name=name, type=type, folder_template=None)
    if email or phone or first:
        services.contact_create(actor=owner_of(firm), account=made, first_name=first, last_name=last, email=email,
                                phones=[phone] if phone else [])
    return made


def check(firm, owner, rows, mapping=None):
    """The review's check of `rows` (header first): (job, its pairs as stored)."""
    job = upload(firm, owner, [HEADER, *rows], mapping=mapping or make_mapping(COLUMNS))
    jobs.job_dry_run(job)
    job.refresh_from_db()
    return job, job.dry_run_counts["duplicates"]["pairs"]


def described(pairs):
    """Each pair as (row, the other side's account name or row, reasons)."""
    return [(p["row"]["row"], p["other"]["name"] if p["other"]["account"] else p["other"]["row"], p["reasons"])
            for p in pairs]


def test_a_name_one_letter_apart_from_an_existing_client_is_listed(firm, owner):
    account(firm, "John Smith")
    _, pairs = check(firm, owner, [["Jon Smith", "Jon", "Smith", "", ""]])
    assert described(pairs) == [(2, "John Smith", ["names differ by one letter"])]


def test_a_name_apart_from_its_legal_suffix_is_listed(firm, owner):
    account(firm, "Smith Co")
    _, pairs = check(firm, owner, [["Smith Co.,  LLC", "", "", "", ""]])
    assert described(pairs) == [(2, "Smith Co", ["same name apart from the legal suffix"])]


def test_the_same_email_under_another_name_is_listed(firm, owner):
    account(firm, "Harbor Bakery", email="ana@harbor.example", first="Ana", last="Rivera")
    _, pairs = check(firm, owner, [["Rivera Consulting", "Ana", "Rivera", "ana@harbor.example", ""]])
    assert described(pairs) == [(2, "Harbor Bakery", ["same email, different name"])]
    assert pairs[0]["other"]["email"] == "ana@harbor.example"


def test_the_same_phone_is_listed_with_both_sides_values(firm, owner):
    account(firm, "Northwind Traders", phone="+13125550100", first="Lee", last="Ng")
    _, pairs = check(firm, owner, [["Blue Door Studio", "Mia", "Park", "mia@blue.example", "(312) 555-0100"]])
    assert described(pairs) == [(2, "Northwind Traders", ["same phone"])]
    assert pairs[0]["row"] == {"row": 2, "account": 0, "name": "Blue Door Studio", "email": "mia@blue.example",
                               "phone": "+13125550100"}
    assert pairs[0]["other"]["phone"] == "+13125550100"


def test_pairs_inside_the_file_are_listed_against_the_earlier_row(firm, owner):
    _, pairs = check(firm, owner, [
        ["Smith Co", "", "", "", ""],
        ["Garcia Dental", "", "", "", ""],
        ["Smith Co., LLC", "", "", "", ""],
        ["John Smith", "", "", "", ""],
        ["Jon Smith", "", "", "", ""],
    ])
    assert described(pairs) == [(4, 2, ["same name apart from the legal suffix"]),
                                (6, 5, ["names differ by one letter"])]


def test_family_comma_given_is_not_listed_when_the_exact_key_already_merges_it(firm, owner):
    account(firm, "Ana Rivera")
    job, pairs = check(firm, owner, [["Rivera, Ana", "Ana", "Rivera", "", ""]])
    assert pairs == []  # "Rivera, Ana" and "Ana Rivera" share a name key: the row updates that account
    assert job.dry_run_counts["accounts_updated"] + job.dry_run_counts["accounts_created"] == 1
    assert job.dry_run_counts["accounts_created"] == 0


def test_family_comma_given_is_listed_where_no_key_merges_it(firm, owner):
    account(firm, "Rivera, Ana & Co")  # an organisation keeps its order: not Ana Rivera's key
    _, pairs = check(firm, owner, [["Ana Rivera & Co", "", "", "", ""]])
    assert described(pairs) == [(2, "Rivera, Ana & Co", ["same name apart from punctuation or word order"])]


def test_what_the_exact_keys_merge_is_not_listed(firm, owner):
    account(firm, "Smith Co", email="bob@smith.example", first="Bob", last="Smith")
    _, pairs = check(firm, owner, [
        ["SMITH  CO", "Bob", "Smith", "bob@smith.example", ""],  # the same key: that account
        ["Acme", "", "", "", ""], ["acme", "", "", "", ""],  # one new account
    ])
    assert pairs == []


def test_different_clients_and_numbered_names_are_not_listed(firm, owner):
    account(firm, "Jane Smith")
    account(firm, "Unit 5 LLC")
    _, pairs = check(firm, owner, [["John Smith", "", "", "", ""], ["Unit 6 LLC", "", "", "", ""]])
    assert pairs == []


def test_another_firms_accounts_are_never_proposed(firm, owner, other_firm):
    account(other_firm, "John Smith", email="john@smith.example", phone="+13125550100", first="John", last="Smith")
    _, pairs = check(firm, owner, [["Jon Smith", "Jon", "Smith", "john@smith.example", "(312) 555-0100"]])
    assert pairs == []


def test_blocking_compares_a_bounded_number_of_candidates_per_record(firm, owner):
    """Twice the rows and twice the accounts: about twice the comparisons, not four times."""
    def comparisons(size, offset):
        finder = duplicates.DuplicateFinder()
        for number in range(size):
            finder.add_row(_row(number + 2, f"{_name(number)} Holdings {number}"))
        for number in range(size):
            account(firm, f"{_name(number + offset)} Trust {number + offset}")
        found = finder.find(firm.pk)
        Account.objects.filter(firm=firm).delete()
        return found.comparisons

    small, large = comparisons(200, 10_000), comparisons(400, 20_000)
    assert large <= 2.5 * max(small, 1)
    assert large < 400 * 400 / 20  # a tiny fraction of all pairs


def _name(number):
    first = ["Smith", "Smyth", "Garcia", "Lee", "Jones", "Patel"]
    return first[number % len(first)] + " " + ["Anna", "Ann", "John", "Jon", "Mary"][number % 5]


def _row(number, name):
    from imports.extraction import AccountData, CleanRow  # noqa: F811

    return CleanRow(number=number, cells=[], account=AccountData(name=name)).seal()


def test_cost_grows_linearly_for_a_common_name(firm, owner):
    """500 rows of one name form one large block: neighbours are compared, not every pair, and
    the one misspelling among them is still found."""
    finder = duplicates.DuplicateFinder()
    for number in range(500):
        finder.add_row(_row(number + 2, "John Smith"))
    finder.add_row(_row(502, "Jon Smith"))
    found = finder.find(firm.pk)
    assert found.comparisons <= 500 * (duplicates.WINDOW + 1) * 3
    assert {pair.row.row for pair in found.pairs} == {502}


def test_namesakes_the_planner_told_apart_are_not_listed_again(firm, owner):
    """Two clients called Mary Jones with different emails: the `same_name` warning says so."""
    account(firm, "Mary Jones", email="mary@a.example", first="Mary", last="Jones", type="individual")
    job, pairs = check(firm, owner, [["Mary Jones", "Mary", "Jones", "mjones@b.example", ""]],
                       mapping=make_mapping({k: v for k, v in COLUMNS.items() if k != "Client"}))
    assert pairs == []
    assert "same_name" in job.dry_run_counts["warning_codes"]


# -- decisions: saved in the mapping, applied by the run -----------------------------------------


def decide(job, decision, row, **other):
    mapping = Mapping.from_dict(job.mapping)
    mapping.decide_duplicate(row, decision, **other)
    assert jobs.job_set_mapping(job, mapping, actor=uploader(job)) == []


def run(job):
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.status == "finished", job.error
    return job


def test_same_client_sends_the_row_to_the_existing_account(firm, owner):
    smith = account(firm, "Smith Co")
    job, pairs = check(firm, owner, [["Smith Co.,  LLC", "Bob", "Smith", "bob@smith.example", ""]])
    decide(job, "same", 2, account=smith.pk)
    assert job.mapping["duplicate_decisions"] == [{"row": 2, "decision": "same", "account": smith.pk,
                                                   "other_row": 0}]
    jobs.job_dry_run(job)
    job.refresh_from_db()
    assert job.dry_run_counts["accounts_created"] == 0 and job.dry_run_counts["accounts_updated"] == 1
    assert described(job.dry_run_counts["duplicates"]["pairs"]) == [
        (2, "Smith Co", ["same name apart from the legal suffix"])]  # still listed, with its decision
    job = run(job)
    assert list(Account.objects.filter(firm=firm).values_list("name", flat=True)) == ["Smith Co"]
    assert Contact.objects.get(email="bob@smith.example").accounts.get() == smith


def test_different_clients_stay_apart(firm, owner):
    smith = account(firm, "Smith Co")
    job, _ = check(firm, owner, [["Smith Co., LLC", "", "", "", ""]])
    decide(job, "different", 2, account=smith.pk)
    run(job)
    assert sorted(Account.objects.filter(firm=firm).values_list("name", flat=True)) == ["Smith Co", "Smith Co., LLC"]


def test_same_client_inside_the_file_merges_the_later_row_into_the_earlier(firm, owner):
    job, pairs = check(firm, owner, [["John Smith", "John", "Smith", "", ""], ["Jon Smith", "Jon", "Smith", "", ""],
                                     ["Jon Smith", "", "", "jon@smith.example", ""]])
    assert described(pairs) == [(3, 2, ["names differ by one letter"])]
    decide(job, "same", 3, other_row=2)
    run(job)
    john = Account.objects.get(firm=firm)
    assert john.name == "John Smith"
    assert john.contacts.filter(email="jon@smith.example").exists()  # row 4, of the same name, follows row 3


def test_a_decision_whose_account_was_deleted_is_ignored_with_a_warning_naming_the_row(firm, owner):
    smith = account(firm, "Smith Co")
    job, _ = check(firm, owner, [["Smith Co., LLC", "", "", "", ""]])
    decide(job, "same", 2, account=smith.pk)
    Account.objects.filter(pk=smith.pk).delete()  # by someone else, after the decision
    job = run(job)
    assert list(Account.objects.filter(firm=firm).values_list("name", flat=True)) == ["Smith Co., LLC"]
    warning = job.issues.get(code="duplicate_decision_gone")
    assert warning.row_number == 2 and "Row 2" in warning.message


def test_a_decision_naming_another_firms_account_never_touches_it(firm, owner, other_firm):
    theirs = account(other_firm, "Smith Co")
    job = upload(firm, owner, [HEADER, ["Smith Co., LLC", "", "", "", ""]], mapping=make_mapping(COLUMNS))
    decide(job, "same", 2, account=theirs.pk)
    run(job)
    assert Account.objects.filter(firm=firm).count() == 1
    assert Account.objects.filter(firm=other_firm).get().name == "Smith Co"


@pytest.mark.parametrize("decision, error", [
    ({"row": 3, "decision": "maybe", "account": 1}, "must be \"same\" or \"different\""),
    ({"row": 3, "decision": "same"}, "must name either an existing account"),
    ({"row": 3, "decision": "same", "other_row": 5}, "must come before it"),
])
def test_a_wrong_decision_in_a_mapping_is_explained(decision, error):
    mapping = Mapping.from_dict({"duplicate_decisions": [decision]})
    assert any(error in message for message in mapping.validate([]))


# -- the review page, through the test client ----------------------------------------------------

WIZARD_FILE = [
    ["Account Name", "First Name", "Last Name", "Email", "Phone"],
    ["Smith Co., LLC", "Bob", "Smith", "bob@smith.example", ""],
    ["Jon Smith", "Jon", "Smith", "", ""],
    ["Garcia Dental", "Eva", "Garcia", "eva@garcia.example", ""],
    ["John Smith", "John", "Smith", "", ""],
]


def review_url(job):
    return reverse("imports:review", args=[job.pk])


def decide_url(job):
    return reverse("imports:decide_duplicates", args=[job.pk])


def pair_fields(response):
    """The page's pairs by (row, the other side): the radio buttons' name."""
    return {(pair["row"]["row"], pair["other"]["account"] or pair["other"]["row"]): f"pair-{pair['index']}"
            for group in response.context["duplicate_groups"] for pair in group["pairs"]}


def posted(response, choices):
    """The form as the page sends it: the chosen radio buttons and every pair's key."""
    keys = {f"key-{pair['index']}": pair["key"] for group in response.context["duplicate_groups"]
            for pair in group["pairs"]}
    return {**keys, **choices}


def test_review_lists_the_pairs_with_both_sides_and_the_run_applies_the_decisions(
        owner_client, firm, django_capture_on_commit_callbacks):
    smith = account(firm, "Smith Co", email="office@smith.example", first="Ann", last="Smith")
    job = wizard_upload(owner_client, WIZARD_FILE)
    response = owner_client.get(review_url(job))
    html = response.content.decode()
    assert "Likely duplicates (2)" in html
    assert "Existing account" in html and "office@smith.example" in html and "Row 3 of the file" in html
    fields = pair_fields(response)
    assert set(fields) == {(2, smith.pk), (5, 3)}
    response = owner_client.post(decide_url(job), posted(response, {fields[(2, smith.pk)]: "same",
                                                                     fields[(5, 3)]: "different"}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.mapping["duplicate_decisions"] == [
        {"row": 2, "decision": "same", "account": smith.pk, "other_row": 0},
        {"row": 5, "decision": "different", "account": 0, "other_row": 3},
    ]
    response = owner_client.get(review_url(job))  # checked again with the decisions
    assert 'data-total="accounts_created">3<' in response.content.decode()
    assert 'value="same" checked' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("imports:start_import", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "finished"
    assert sorted(Account.objects.filter(firm=firm).values_list("name", flat=True)) == [
        "Garcia Dental", "John Smith", "Jon Smith", "Smith Co"]
    assert set(smith.contacts.values_list("email", flat=True)) == {"office@smith.example", "bob@smith.example"}


def test_undecided_pairs_import_as_today(owner_client, firm, django_capture_on_commit_callbacks):
    account(firm, "Smith Co")
    job = wizard_upload(owner_client, WIZARD_FILE)
    owner_client.get(review_url(job))
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("imports:start_import", args=[job.pk]))
    assert Account.objects.filter(firm=firm).count() == 5


def test_a_choice_that_is_not_offered_is_refused_with_a_reason(owner_client, firm):
    account(firm, "Smith Co")
    job = wizard_upload(owner_client, WIZARD_FILE)
    page = owner_client.get(review_url(job))
    fields = pair_fields(page)
    response = owner_client.post(decide_url(job), posted(page, {next(iter(fields.values())): "merge"}), follow=True)
    assert "choose “Same client” or “Different”" in response.content.decode()
    response = owner_client.post(decide_url(job), {"pair-999": "same"}, follow=True)
    assert "no longer listed" in response.content.decode()
    # A page shown before the check ran again names its pairs: another pair at that position is not decided.
    response = owner_client.post(decide_url(job), {"pair-0": "same", "key-0": "5-0-3"}, follow=True)
    assert "no longer listed" in response.content.decode()
    job.refresh_from_db()
    assert "duplicate_decisions" not in job.mapping or job.mapping["duplicate_decisions"] == []


def test_the_pairs_are_paginated(owner_client, firm, monkeypatch):
    monkeypatch.setattr(sys.modules["imports.views.review"], "DUPLICATES_PAGE_SIZE", 1)
    account(firm, "Smith Co")
    job = wizard_upload(owner_client, WIZARD_FILE)
    first = owner_client.get(review_url(job))
    second = owner_client.get(review_url(job) + "?page=2")
    assert set(pair_fields(first)) == {(2, Account.objects.get().pk)} and set(pair_fields(second)) == {(5, 3)}
    assert "Page 1 of 2" in first.content.decode()


def test_another_firms_job_cannot_be_decided(client, other_owner, other_firm, firm, owner):
    account(firm, "Smith Co")
    job = upload(firm, owner, WIZARD_FILE)
    jobs.job_dry_run(job)
    client.force_login(other_owner)
    assert client.post(decide_url(job), {"pair-0": "same"}).status_code == 404
    job.refresh_from_db()
    assert not job.mapping.get("duplicate_decisions")


def test_pairs_are_found_across_chunks_of_the_file_and_of_the_existing_accounts(firm, owner):
    """The pass indexes a chunk at a time (bounded memory): a pair split across chunks is found."""
    for name in ("Acme", "Beta Bakery", "Jon Smith Trust", "Delta Dental"):
        account(firm, name)
    finder = duplicates.DuplicateFinder(chunk=2, file_chunk=2)
    for number, name in enumerate(["Smith Co", "Garcia", "Patel", "Smith Co LLC", "John Smith Trust"], start=2):
        finder.add_row(_row(number, name))
    found = finder.find(firm.pk)
    assert sorted((pair.row.row, pair.other.row or pair.other.name) for pair in found.pairs) == [
        (5, 2), (6, "Jon Smith Trust")]


def test_the_likely_duplicates_go_with_the_file_after_the_retention_period(firm, owner):
    """They quote the file's names, emails and phones; the totals stay."""
    from django.core.management import call_command
    from django.utils import timezone

    account(firm, "Smith Co")
    job, pairs = check(firm, owner, [["Smith Co, LLC", "", "", "", ""]])
    assert pairs
    job = run(job)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=400))
    call_command("purge_import_files")
    job.refresh_from_db()
    assert "duplicates" not in job.dry_run_counts and job.dry_run_counts["rows_total"] == 1


def test_an_email_on_many_of_the_files_clients_is_not_a_sign(firm, owner):
    """An office's address on ten clients' rows: counted over the whole file, even across chunks."""
    finder = duplicates.DuplicateFinder(file_chunk=3)
    for number in range(10):
        row = _row(number + 2, f"Client {chr(65 + number)}{chr(75 + number)} Holdings")
        row.people.append(PersonData(slot=1, email="office@example.com", email_key="office@example.com"))
        finder.add_row(row)
    assert finder.find(firm.pk).pairs == []
