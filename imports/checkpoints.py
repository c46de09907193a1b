"""What a resumed import needs, recorded with each batch's checkpoint (docs/import-rules.md,
"Resuming").

Every committed batch of a real run leaves an `ImportCheckpoint` row, in its own transaction:
the counters after it, the pre-existing records it counted as updated first, the types a type
column gave named accounts, the tags it made, the accounts it made for rows without an account
name and the account each ambiguous name chose. A resumed run folds those rows into its
`FileState` and goes on after `job.checkpoint["rows_done"]`; it never reads the change log,
which serves undo only.

Jobs interrupted before checkpoints were recorded have no such rows: for them, and only for
them, `resume_state` falls back to reading the state back from the database and the change
log (`rebuild_state_from_change_log`), as earlier versions did.
"""

from __future__ import annotations

from crm.models import Account, AccountContact, Tag
from imports.models import ImportChange, ImportCheckpoint, ImportJob
from imports.planning import BatchPlan, Counters, FileState, _pack_ref


def batch_record(plan: BatchPlan, account_ids: dict[str, int]) -> dict:
    """What later batches must know of this one, by ids (`account_ids`: every planned
    account's id by its plan reference, as the writer wrote it)."""
    record = {}
    if plan.first_updated_accounts:
        record["updated_accounts"] = plan.first_updated_accounts
    if plan.first_updated_contacts:
        record["updated_contacts"] = plan.first_updated_contacts
    if plan.new_tags:
        record["tags"] = list(plan.new_tags)
    if plan.decided_types:
        record["types"] = {key: list(decided) for key, decided in plan.decided_types.items()}
    person_accounts = [account_ids[ref] for ref, work in plan.accounts.items() if work.made_for_person]
    if person_accounts:
        record["person_accounts"] = person_accounts
    if plan.chosen_accounts:
        record["named_accounts"] = {key: account_ids[ref] for key, ref in plan.chosen_accounts.items()}
    return record


def resume_state(job: ImportJob, *, type_column: bool) -> tuple[Counters, FileState]:
    """The counters and the file's memory after the job's last committed batch
    (`type_column`: the mapping takes account types from a column)."""
    rows_done = int(job.checkpoint.get("rows_done", 0))
    records = list(ImportCheckpoint.objects.filter(job=job, rows_done__lte=rows_done).order_by("rows_done")
                   .values_list("rows_done", "counts", "state"))
    if not records or records[-1][0] != rows_done:
        # Interrupted before this version recorded checkpoints: read back as it used to be.
        return Counters.from_dict(job.counts), rebuild_state_from_change_log(job, remember_types=type_column)
    state = FileState()
    for _rows_done, _counts, record in records:
        fold(state, record)
    return Counters.from_dict(records[-1][1]), state


def fold(state: FileState, record: dict) -> None:
    """Adds one batch's record to the file's memory, as planning that batch taught it."""
    state.updated_accounts.update(record.get("updated_accounts", ()))
    state.updated_contacts.update(record.get("updated_contacts", ()))
    state.new_tags.update(record.get("tags", ()))
    for key, (type_, row) in record.get("types", {}).items():
        state.remember_type(key, type_, row)
    for account_id in record.get("person_accounts", ()):
        state.person_accounts.add(_pack_ref(f"a{account_id}"))
    for key, account_id in record.get("named_accounts", {}).items():
        state.named_accounts.setdefault(hash(key), _pack_ref(f"a{account_id}"))


def rebuild_state_from_change_log(job: ImportJob, *, remember_types: bool = False) -> FileState:
    """For a job interrupted before checkpoints were recorded: what its committed batches did,
    read back from the database and the change log.

    Known gaps, which recorded checkpoints do not have: a type column's decision about an
    account that existed before the import and kept its type leaves no trace, so a resumed run
    cannot name a conflict with it; the accounts made for rows without an account name, and
    the account an ambiguous name chose, are forgotten.
    """
    state = FileState()
    if remember_types:
        for key, type_ in Account.objects.filter(created_by_import=job).values_list("name_key", "type"):
            state.remember_type(key, type_, 0)
    # Pre-existing records this import changed are in its change log, under the record's id.
    for model, action, object_id, field_name in ImportChange.objects.filter(
        job=job, action__in=["update", "add"]
    ).values_list("model", "action", "object_id", "field"):
        if model in ("account", "account_tag", "account_assignee", "account_role"):
            state.updated_accounts.add(object_id)
        elif model in ("contact", "contact_tag", "account_contact"):
            state.updated_contacts.add(object_id)
            if model == "account_contact" and action == "add":
                state.updated_accounts.add(int(field_name))  # the link changed the account too
    # A link between a record this import created and one that existed before changed the
    # latter; the change log keeps only what undo needs, so these are read from the links.
    created_here = {"contact__created_by_import": job}
    state.updated_accounts.update(
        AccountContact.objects.filter(**created_here).exclude(account__created_by_import=job)
        .values_list("account_id", flat=True)
    )
    state.updated_contacts.update(
        AccountContact.objects.filter(account__created_by_import=job).exclude(**created_here)
        .values_list("contact_id", flat=True)
    )
    tag_ids = ImportChange.objects.filter(job=job, model="tag", action="create").values_list("object_id", flat=True)
    state.new_tags.update(Tag.objects.filter(pk__in=list(tag_ids)).values_list("key", flat=True))
    return state
