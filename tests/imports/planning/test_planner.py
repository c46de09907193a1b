"""The planner without a database: rows cleaned in memory, what exists as a hand-made
`Existing`, and the dry run's memory of earlier batches (`DryRunMemory`) as the only other
source of "what exists"."""

from imports.extraction import ExtractionContext, extract_row
from imports.planning import (
    AccountSnapshot, Catalogue, ContactSnapshot, DryRunMemory, Existing, NothingRemembered, PlanContext, Planner,
)
from imports.reading.types import SourceRow
from tests.imports.conftest import make_mapping
from tests.imports.test_pipeline import COLUMNS, generated_rows

WU_COLUMNS = {"Client": "account.name", "First": "contact.first_name", "Last": "contact.last_name",
              "Email": "contact.email", "Phone": "contact.phone"}


def clean(rows: list[list[str]], columns: dict[str, str], **options) -> list:
    """The rows (header first) as the cleaning stage hands them to the planner."""
    ctx = ExtractionContext(mapping=make_mapping(columns, **options), headers=rows[0])
    return [extract_row(SourceRow(number=n, cells=cells, extra=[]), ctx) for n, cells in enumerate(rows[1:], 1)]


def planner(columns: dict[str, str], *, dry_run: bool, **options) -> Planner:
    ctx = PlanContext(mapping=make_mapping(columns, **options), job_id=1, catalogue=Catalogue(), dry_run=dry_run)
    return Planner(ctx)


def counters_in_batches(rows, size: int) -> dict:
    """A dry run of `rows` in batches of `size` against an empty firm."""
    dry = planner(COLUMNS, dry_run=True)
    totals = None
    for start in range(0, len(rows), size):
        plan = dry.plan_batch(rows[start:start + size], Existing())
        if totals is None:
            totals = plan.counters
        else:
            totals.add(plan.counters)
    return totals.as_dict()


def test_a_dry_run_in_many_batches_counts_like_one_batch():
    rows = clean(generated_rows(200), COLUMNS)
    whole = counters_in_batches(rows, len(rows))
    assert whole["accounts_created"] > 0 and whole["contacts_created"] > whole["accounts_created"]
    assert counters_in_batches(rows, 7) == whole
    assert counters_in_batches(rows, 1) == whole


def test_only_a_dry_run_remembers_what_earlier_batches_made():
    """A real run's earlier batches are in the database (its next `Existing`), not in memory."""
    rows = clean([list(WU_COLUMNS), ["Wu", "Xi", "Wu", "xi@wu.example", ""],
                  ["Wu", "Yu", "Wu", "yu@wu.example", ""]], WU_COLUMNS)
    dry, real = planner(WU_COLUMNS, dry_run=True), planner(WU_COLUMNS, dry_run=False)
    assert isinstance(dry.memory, DryRunMemory) and type(real.memory) is NothingRemembered

    dry.plan_batch(rows[:1], Existing())
    second = dry.plan_batch(rows[1:], Existing())
    assert (second.counters.accounts_created, second.counters.contacts_created) == (0, 1)
    assert dry.memory.account_refs("wu") == ["n1"]

    real.plan_batch(rows[:1], Existing())
    # Nobody wrote the first batch, so the database (an empty Existing) does not know "Wu".
    assert real.plan_batch(rows[1:], Existing()).counters.accounts_created == 1


def wu_exists() -> Existing:
    """The firm holds the account Wu with its contact Xi Wu (xi@wu.example)."""
    account = AccountSnapshot(id=7, key="wu", name="Wu", type="other", company_name="", client_id="",
                              custom_values={}, created_by_import_id=None)
    xi = ContactSnapshot(id=9, values={"first_name": "Xi", "last_name": "Wu", "email": "xi@wu.example"},
                         additional_emails=[], phones=[], custom_values={}, created_by_import_id=None)
    return Existing(accounts={"wu": [account]}, accounts_by_id={7: account},
                    contacts_by_email={"xi@wu.example": xi}, contacts_by_name={(7, "xi wu"): xi},
                    links={(7, 9): (False, False, False)})


def test_an_existing_contact_is_updated_once_however_many_batches_name_it():
    rows = clean([list(WU_COLUMNS), ["Wu", "Xi", "Wu", "xi@wu.example", "(312) 555-0142"],
                  ["Wu", "Xi", "Wu", "xi@wu.example", "(312) 555-0143"]], WU_COLUMNS)
    for dry_run in (True, False):
        plans = planner(WU_COLUMNS, dry_run=dry_run)
        first, second = plans.plan_batch(rows[:1], wu_exists()), plans.plan_batch(rows[1:], wu_exists())
        assert [work.snapshot.id for work in first.contacts] == [9]
        assert first.contacts[0].phones == ["+13125550142"]
        assert (first.counters.accounts_created, first.counters.contacts_created) == (0, 0)
        assert (first.counters.contacts_updated, second.counters.contacts_updated) == (1, 0)


def test_a_type_decided_by_an_earlier_batch_conflicts_in_both_runs():
    columns = {"Client": "account.name", "Type": "account.type", "First": "contact.first_name"}
    rows = clean([list(columns), ["Lee Trust", "Company", "Al"], ["Lee Trust", "Individual", "Bo"]], columns,
                 account_type="column")
    for dry_run in (True, False):
        plans = planner(columns, dry_run=dry_run, account_type="column")
        first = plans.plan_batch(rows[:1], Existing())
        assert first.decided_types == {"lee trust": ("company", 1)}
        second = plans.plan_batch(rows[1:], Existing())
        [(row, problem)] = second.skipped
        assert (row.number, problem.code) == (2, "conflicting_account_type")
        assert "row 1" in problem.message


def test_planning_leaves_the_catalogue_it_was_given_alone():
    rows = clean([list(COLUMNS), *generated_rows(30)[1:]], COLUMNS)
    catalogue = Catalogue(tags={"vip": 3})
    plans = Planner(PlanContext(mapping=make_mapping(COLUMNS), job_id=1, catalogue=catalogue))
    plan = plans.plan_batch(rows, Existing())
    assert "1040" in plan.new_tags and "vip" not in plan.new_tags
    assert catalogue == Catalogue(tags={"vip": 3})
