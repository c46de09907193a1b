"""The engine as a whole: dry run vs real run, resuming after a crash, queries per batch, and on
messy generated rows: every row of the file imported or skipped, never lost
(docs/import-rules.md, "Rows")."""

import datetime
import functools

import pytest
from django.db.models import Count
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm import services
from crm.models import Account, AccountContact, Contact, Tag
from crm.permissions import SYSTEM
from imports import jobs, pipeline
from imports.extraction import extract_row
from imports.models import ImportIssue, ImportJob
from tests.actors import owner_of, uploader
from tests.imports.conftest import import_rows, make_mapping, upload

pytestmark = pytest.mark.django_db

COLUMNS = {
    "Client": "account.name",
    "First": "contact.first_name",
    "Last": "contact.last_name",
    "Email": "contact.email",
    "Phone": "contact.phone",
    "Tags": "account.tags",
    "Spouse": "contact2.first_name",
    "Spouse email": "contact2.email",
}
HEADER = list(COLUMNS)


def generated_rows(count: int, *, seed: int = 0) -> list[list[str]]:
    """Realistic-enough rows: shared accounts, shared emails, blanks and bad values."""
    rows = [HEADER]
    for i in range(count):
        n = (i * 7919 + seed) % (count // 2 + 3)
        rows.append([
            "" if n % 11 == 0 else f"Client {n % (count // 3 + 2)}",
            "" if n % 13 == 0 else f"First{n}",
            f"Last{n % 17}",
            "bad@" if n % 19 == 0 else ("" if n % 5 == 0 else f"person{n}@example.com"),
            "555-0100" if n % 3 == 0 else "(312) 555-0100",
            "VIP, 1040" if n % 4 == 0 else "",
            "Sam" if n % 6 == 0 else "",
            f"sam{n}@example.com" if n % 12 == 0 else "",
        ])
    return rows


def database_state(firm):
    return (
        sorted(Account.objects.filter(firm=firm).values_list("name", "type", "company_name")),
        sorted(Contact.objects.filter(firm=firm).values_list("first_name", "last_name", "email", "phones")),
        sorted(AccountContact.objects.filter(account__firm=firm).values_list("account__name", "contact__email",
                                                                              "contact__first_name")),
        sorted(Tag.objects.filter(firm=firm).values_list("name", flat=True)),
        sorted(Account.tags.through.objects.filter(account__firm=firm).values_list("account__name", "tag__name")),
    )


def test_dry_run_predicts_the_real_run_and_writes_nothing(firm, owner):
    rows = generated_rows(120)
    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    predicted = jobs.job_dry_run(job).counters.as_dict()
    assert Account.objects.count() == 0 and Contact.objects.count() == 0 and Tag.objects.count() == 0
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.counts == predicted
    assert predicted["accounts_created"] == Account.objects.count()
    assert predicted["contacts_created"] == Contact.objects.count()


def test_dry_run_across_many_small_batches_counts_like_one_batch(firm, owner):
    rows = generated_rows(90)
    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    whole = pipeline.run_pipeline(job, dry_run=True, batch_size=1000).counters
    pieces = pipeline.run_pipeline(job, dry_run=True, batch_size=7).counters
    assert whole == pieces


def test_killed_import_resumes_to_the_same_database_as_an_uninterrupted_run(firm, owner, other_firm, other_owner):
    rows = generated_rows(150)
    # Reference: an uninterrupted run in another firm.
    reference_job, reference_counts = import_rows(other_firm, other_owner, rows, COLUMNS)

    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    batches = 0

    class Killed(Exception):
        pass

    def kill_after_three_batches(rows_done):
        nonlocal batches
        batches += 1
        if batches == 3:
            raise Killed  # the process dies after the third batch committed

    with pytest.raises(Killed):
        pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=20,
                              progress=kill_after_three_batches)
    assert ImportJob.objects.get(pk=job.pk).checkpoint == {"rows_done": 60}

    resumed = pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=20)
    assert resumed.counters.as_dict() == reference_counts
    assert database_state(firm) == database_state(other_firm)
    issues = ImportIssue.objects.filter(job=job).count()
    assert issues == ImportIssue.objects.filter(job=reference_job).count()


def test_a_batch_costs_the_same_number_of_queries_whatever_its_size(firm, owner):
    def queries_for(count: int, seed: int) -> int:
        rows = generated_rows(count, seed=seed)
        job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
        prepared = pipeline.prepare(job)
        with prepared.table as table:
            source = list(table.rows())
        clean = [extract_row(row, prepared.extraction) for row in source]
        planner = pipeline.Planner(prepared.planning)
        write_ctx = pipeline.WriteContext(firm=firm, job=job, catalogue=prepared.planning.catalogue,
                                          folder_paths=prepared.folder_paths)
        with CaptureQueriesContext(connection) as captured:
            plan = planner.plan_batch(clean, pipeline.load_existing(firm, clean))
            pipeline.write_batch(plan, write_ctx, rows_done=len(clean), totals=plan.counters)
        return len(captured)

    # Two fresh firms' worth of work: first a small batch, then one ten times larger.
    small = queries_for(30, seed=1)
    Account.objects.all().delete()
    Contact.objects.all().delete()
    large = queries_for(300, seed=2)
    assert large <= small + 2, (small, large)  # +2: a batch may or may not need a tag or role round


def test_a_persons_namesakes_are_looked_up_among_individuals_named_after_them(firm, owner):
    """A row without an account name is compared with the individuals' accounts named after a
    person of its name, not with every account holding a contact of that name (a company's
    Mary Jones, a family's): those are many in a large firm, and loading them for every batch
    made an import slower with each row it had already imported."""
    columns = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
               "Email": "contact.email"}
    import_rows(firm, owner, [list(columns),
                              ["Jones Dental LLC", "Mary", "Jones", "mary@jonesdental.example"],
                              ["The Jones Family", "Mary", "Jones", ""],
                              ["", "Mary", "Jones", "mary.jones@home.example"],
                              ["", "Mary", "Jones", "mj@other.example"]], columns)
    individuals = set(Account.objects.filter(firm=firm, type="individual", name="Mary Jones").values_list("pk", flat=True))
    assert len(individuals) == 2 and Account.objects.filter(firm=firm).count() == 4

    job = upload(firm, owner, [list(columns), ["", "Mary", "Jones", ""]], mapping=make_mapping(columns))
    prepared = pipeline.prepare(job)
    with prepared.table as table:
        clean = [extract_row(row, prepared.extraction) for row in table.rows()]
    existing = pipeline.load_existing(firm, clean)
    assert set(existing.accounts_by_id) == individuals
    assert {account.id for account in existing.individuals_by_name["mary|jones"]} == individuals


MESSY_CELL = st.one_of(
    st.just(""), st.just("  "), st.sampled_from(["Acme LLC", "acme  llc", "ACME LLC", "Smith", "O'Brien", "=SUM(A1)",
                                                "'+1 555", "Müller", "José"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
MESSY_EMAIL = st.one_of(st.just(""), st.sampled_from(["a@example.com", "A@EXAMPLE.COM", "b@example.com", "bad@",
                                                      "a@example.com; c@example.com"]), st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8))
MESSY_ROW = st.tuples(MESSY_CELL, MESSY_CELL, MESSY_CELL, MESSY_EMAIL, MESSY_CELL, MESSY_CELL, MESSY_CELL, MESSY_EMAIL)


_examples = iter(range(10**6))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(MESSY_ROW, min_size=1, max_size=25))
def test_messy_rows_are_all_accounted_for_predicted_and_idempotent(owner, rows):
    firm = services.firm_create(name="Generated", slug=f"generated-{next(_examples)}", owner=owner)
    rows = [HEADER] + [list(row) for row in rows]
    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    predicted = jobs.job_dry_run(job).counters.as_dict()
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    counts = job.counts
    assert job.status == "finished", job.error
    # Every row the file holds ends imported or skipped, and each skipped row is kept with its reason.
    with pipeline.open_job_table(job) as table:
        rows_in_file = sum(1 for _ in table.rows())
    assert counts["rows_imported"] + counts["rows_skipped"] == rows_in_file
    assert ImportIssue.objects.filter(job=job, severity="skip").values("row_number").distinct().count() == (
        counts["rows_skipped"])
    assert counts == predicted
    keys = list(Account.objects.filter(firm=firm).values_list("name_key", flat=True))
    shared_emails = AccountContact.objects.filter(account__firm=firm, account__type="individual").exclude(
        contact__email_key=None).values("contact_id").annotate(n=Count("account_id")).filter(n__gt=1)
    if len(keys) != len(set(keys)) or shared_emails.exists():
        # Two clients of one name, or one email on two individuals' accounts: a row goes to the
        # one holding its people, and the first import linked people, so a second may resolve a
        # row differently (or one the first skipped as ambiguous). Idempotence holds otherwise.
        return
    before = database_state(firm)
    again = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    jobs.job_start(again, actor=uploader(again), enqueue=False)
    again = jobs.job_run(again.pk)
    assert again.counts["accounts_created"] == 0 and again.counts["contacts_created"] == 0
    assert again.counts["tags_created"] == 0
    assert database_state(firm) == before


def test_an_import_left_running_by_a_stopped_worker_is_resumed(firm, owner, other_firm, other_owner):
    rows = generated_rows(60)
    _, reference = import_rows(other_firm, other_owner, rows, COLUMNS)
    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)

    class WorkerKilled(Exception):
        pass

    def die_after_first_batch(rows_done):
        raise WorkerKilled

    ImportJob.objects.filter(pk=job.pk).update(status="running")
    with pytest.raises(WorkerKilled):
        pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=25,
                              progress=die_after_first_batch)
    assert ImportJob.objects.get(pk=job.pk).status == "running"

    from django.core.management import call_command
    call_command("resume_imports")  # a batch was committed just now: the worker may be alive
    assert ImportJob.objects.get(pk=job.pk).status == "running"
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=6))
    call_command("resume_imports")  # silent for more than 5 minutes (the test settings run tasks inline)

    job.refresh_from_db()
    assert job.status == "finished"
    assert job.counts == reference
    assert database_state(firm) == database_state(other_firm)


def test_a_worker_whose_job_was_taken_over_stops_before_writing_again(firm, owner, other_firm, other_owner,
                                                                      monkeypatch):
    rows = generated_rows(60)
    _, reference = import_rows(other_firm, other_owner, rows, COLUMNS)
    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    monkeypatch.setattr(jobs, "run_pipeline", functools.partial(pipeline.run_pipeline, batch_size=20))
    progress_of_the_first_worker = []

    def first_worker_seems_dead_after_two_batches(rows_done):
        progress_of_the_first_worker.append(rows_done)
        if rows_done == 40:
            # Re-queued; a second worker (tasks run inline in the tests) takes the job over
            # and finishes it from the checkpoint, while the first one still holds batch 3.
            assert [j.pk for j in jobs.job_requeue_interrupted(actor=SYSTEM)] == [job.pk]

    first = jobs.job_run(job.pk, progress=first_worker_seems_dead_after_two_batches)

    assert progress_of_the_first_worker == [20, 40]  # its third batch was refused and rolled back
    assert (first.status, first.run_token) == ("finished", 3)  # claimed, re-queued, claimed again
    assert first.counts == reference
    assert database_state(firm) == database_state(other_firm)


def test_a_second_delivery_of_the_same_job_runs_nothing(firm, owner):
    job = upload(firm, owner, generated_rows(30), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    first = jobs.job_run(job.pk)
    created = Contact.objects.count()
    again = jobs.job_run(job.pk)  # e.g. a re-queue while a worker already ran it
    assert again.status == first.status == "finished"
    assert Contact.objects.count() == created
    assert again.counts == first.counts


def test_cancelling_a_queued_import_before_a_worker_takes_it_writes_nothing(firm, owner):
    job = upload(firm, owner, generated_rows(30), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    jobs.job_cancel(job, actor=uploader(job))
    assert jobs.job_run(job.pk).status == "cancelled"
    assert Account.objects.filter(firm=firm).count() == 0


def test_a_stale_tab_cannot_change_the_mapping_of_a_started_import(firm, owner):
    job = upload(firm, owner, generated_rows(10), mapping=make_mapping(COLUMNS))
    stale = ImportJob.objects.get(pk=job.pk)  # loaded by another tab before Start
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    errors = jobs.job_set_mapping(stale, actor=uploader(stale), mapping=make_mapping({"Client": "account.name"}))
    assert errors == ["This import has already started; its mapping can no longer change."]
    assert ImportJob.objects.get(pk=job.pk).mapping == make_mapping(COLUMNS).to_dict()


def test_a_client_added_by_hand_during_an_import_is_found_by_the_next_batch(firm, owner, monkeypatch):
    rows = [["Client", "First", "Last", "Email"], ["Acme LLC", "Ann", "Lee", "ann@acme.example"],
            ["Brown Family", "Bo", "Brown", "bo@brown.example"], ["Chen Co", "Cy", "Chen", "cy@chen.example"]]
    job = upload(firm, owner, rows, mapping=make_mapping({"Client": "account.name", "First": "contact.first_name",
                                                          "Last": "contact.last_name", "Email": "contact.email"}))
    real_load_existing = pipeline.load_existing
    lookups = []

    def someone_adds_a_client_then_lookup(*args, **kwargs):
        if len(lookups) == 1:  # between the first batch and the second
            account = services.account_create(actor=owner_of(firm), name="brown family", folder_template=None)
            contact = services.contact_create(actor=owner_of(firm), email="BO@brown.example")
            services.contact_link(actor=owner_of(account), account=account, contact=contact)
        found = real_load_existing(*args, **kwargs)
        lookups.append(len(found.accounts))
        return found

    monkeypatch.setattr(pipeline, "load_existing", someone_adds_a_client_then_lookup)
    result = pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=1)

    assert lookups == [0, 1, 0]
    assert result.counters.rows_imported == 3 and result.counters.rows_skipped == 0
    assert (result.counters.accounts_created, result.counters.accounts_updated) == (2, 0)  # nothing new for it
    assert (result.counters.contacts_created, result.counters.contacts_updated) == (2, 1)
    assert sorted(Account.objects.filter(firm=firm).values_list("name", flat=True)) == [
        "Acme LLC", "Chen Co", "brown family"]
    brown = Contact.objects.get(firm=firm, email_key="bo@brown.example")
    assert (brown.first_name, brown.last_name, brown.email) == ("Bo", "Brown", "BO@brown.example")  # name filled in
    assert ImportJob.objects.get(pk=job.pk).counts == result.counters.as_dict()


def test_a_batch_rolled_back_by_a_unique_key_is_planned_again_and_counted_once(firm, owner, monkeypatch):
    """A contact's email is unique: a writer outside the import lock (another app on the same
    PostgreSQL) can take one between the plan and the write. The batch rolls back and is
    planned again; what it counted before is not counted twice."""
    from django.db import IntegrityError

    known = services.contact_create(actor=owner_of(firm), first_name="Xi", last_name="Wu", email="xi@wu.example")
    columns = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
               "Email": "contact.email", "Tags": "contact.tags", "Phone": "contact.phone"}
    rows = [list(columns), ["Wu", "Xi", "Wu", "xi@wu.example", "VIP", ""],
            ["Brown Family", "Bo", "Brown", "bo@brown.example", "", ""],
            ["Wu", "Xi", "Wu", "xi@wu.example", "", "(312) 555-0142"]]
    job = upload(firm, owner, rows, mapping=make_mapping(columns))
    real_write_batch = pipeline.write_batch
    writes = []

    def the_second_batch_meets_a_taken_key_once(*args, **kwargs):
        writes.append(1)
        written = real_write_batch(*args, **kwargs)
        if len(writes) == 2:
            raise IntegrityError("UNIQUE constraint failed: crm_contact.firm_id, crm_contact.email_key")
        return written

    monkeypatch.setattr(pipeline, "write_batch", the_second_batch_meets_a_taken_key_once)
    result = pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=1)

    assert len(writes) == 4  # the second batch was written twice, the first time rolled back
    assert result.counters.contacts_updated == 1  # Xi Wu: a tag, then a phone; one contact updated
    assert (result.counters.accounts_created, result.counters.contacts_created) == (2, 1)
    assert Account.objects.filter(firm=firm, name="Brown Family").count() == 1
    known.refresh_from_db()
    assert known.phones == ["+13125550142"] and [t.name for t in known.tags.all()] == ["VIP"]


def test_a_resumed_import_counts_records_it_updated_before_the_crash_only_once(firm, owner, other_firm, other_owner):
    columns = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
               "Email": "contact.email", "Tags": "contact.tags", "Phone": "contact.phone"}
    rows = [list(columns),
            ["Wu", "Xi", "Wu", "xi@wu.example", "VIP", ""],  # a tag for an existing contact
            ["Zed Co", "Zed", "Z", "zed@z.example", "", ""],  # an existing contact linked to a new account
            ["Wu", "Yu", "Wu", "yu@wu.example", "", ""],  # a new contact linked to an existing account
            ["Wu", "Xi", "Wu", "xi@wu.example", "", "(312) 555-0142"],  # the same three again, after the crash
            ["Zed Co", "Zed", "Z", "zed@z.example", "", "(312) 555-0143"],
            ["Wu", "Ann", "Wu", "ann@wu.example", "", ""]]

    def existing_clients(f):
        wu = services.account_create(actor=owner_of(f), name="Wu", folder_template=None)
        services.contact_link(actor=owner_of(wu), account=wu, contact=services.contact_create(actor=owner_of(f), first_name="Xi", last_name="Wu",
                                                                             email="xi@wu.example"))
        services.contact_create(actor=owner_of(f), first_name="Zed", last_name="Z", email="zed@z.example")

    existing_clients(other_firm)
    _, reference = import_rows(other_firm, other_owner, rows, columns)
    assert (reference["accounts_updated"], reference["contacts_updated"]) == (1, 2)

    existing_clients(firm)
    job = upload(firm, owner, rows, mapping=make_mapping(columns))

    class WorkerKilled(Exception):
        pass

    def die_after_three_batches(rows_done):
        if rows_done == 3:
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=1,
                              progress=die_after_three_batches)
    resumed = pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=1)
    assert resumed.counters.as_dict() == reference
    assert database_state(firm) == database_state(other_firm)


def test_an_import_with_debug_on_leaves_the_query_log_alone(firm, owner, settings):
    """DEBUG keeps every query in a log (on SQLite, with one more query per statement to quote its
    parameters): the import's thousands stay out of it, and the import itself is unchanged."""
    settings.DEBUG = True
    connection.queries_log.clear()
    _job, counts = import_rows(firm, owner, generated_rows(300), COLUMNS)
    assert counts["rows_imported"] + counts["rows_skipped"] == 300
    assert Account.objects.filter(firm=firm).count() == counts["accounts_created"] > 0
    logged = [query["sql"] for query in connection.queries_log]
    assert not any("crm_contact" in sql and "INSERT" in sql for sql in logged), logged[-5:]
    assert not any(sql.startswith("SELECT QUOTE(") for sql in logged)


def test_counting_queries_still_sees_the_import_with_debug_on(firm, owner, settings):
    settings.DEBUG = True
    with CaptureQueriesContext(connection) as captured:
        import_rows(firm, owner, generated_rows(30), COLUMNS)
    # SQLite writes contacts with INSERT, PostgreSQL with COPY: either is seen by the counter.
    assert any(("INSERT" in query["sql"] or "COPY" in query["sql"]) and "crm_contact" in query["sql"]
               for query in captured)
