"""The Planner: one batch of clean rows -> a BatchPlan, keeping the FileState across batches. Its
account and contact halves are mixins (`accounts`, `contacts`); here: the batch, one row, counting."""

from __future__ import annotations

from crm.normalize import normalize_name_key
from imports.extraction import AccountData, CleanRow
from imports.planning.accounts import AccountsMixin
from imports.planning.contacts import ContactsMixin
from imports.planning.memory import DryRunMemory, NothingRemembered
from imports.planning.merging import _KEEP, _merge
from imports.planning.plan import AccountWork, BatchPlan, ContactWork, PlanContext
from imports.planning.refs import _pack_ref, _unpack_ref
from imports.planning.snapshots import Catalogue, Existing
from imports.planning.state import FileState
from imports.problems import Problem


class Planner(AccountsMixin, ContactsMixin):
    """Plans one batch at a time; keeps the FileState across batches. What exists comes from
    two places it asks the same way in both runs: the batch's `Existing` snapshot, and
    `memory` for what earlier batches made (a `DryRunMemory` in a dry run; in a real run
    `NothingRemembered`, since the database has it)."""

    def __init__(self, ctx: PlanContext, state: FileState | None = None, memory: NothingRemembered | None = None):
        self.ctx = ctx
        self.state = state or FileState()
        self.memory = memory or (DryRunMemory() if ctx.dry_run else NothingRemembered())
        self._tag_keys: dict[str, str] = {}  # a file repeats a handful of tags on every row

    # -- entry point ----------------------------------------------------------------------
    def plan_batch(self, rows: list[CleanRow], existing: Existing) -> BatchPlan:
        plan = self._plan = BatchPlan()
        self._existing = existing
        self._contacts_by_email: dict[str, ContactWork] = {}
        self._contacts_by_name: dict[tuple[str, str], ContactWork] = {}
        # One work per existing record, however it was found (email here, name there):
        # two works for one record would each write it, and one row's values would be lost.
        self._contacts_by_id: dict[int, ContactWork] = {}
        self._accounts_by_id: dict[int, AccountWork] = {}
        self._virtual_accounts: dict[str, AccountWork] = {}  # dry run: made by an earlier batch
        self._named: dict[str, AccountWork] = {}  # account-name key -> its one account
        self._made_by_key: dict[str, list[AccountWork]] = {}  # accounts this batch makes, by key
        # What this batch links: (account ref, email key) and each email's individual accounts.
        self._linked_emails: set[tuple[str, str]] = set()
        self._individuals_by_email: dict[str, list[AccountWork]] = {}
        self._people_by_name: dict[str, list[AccountWork]] = {}  # accounts named after a person
        self._new_links = 0
        self._row_warnings: list[Problem] = []
        for row in rows:
            plan.counters.rows_total += 1
            plan.last_row = row.number
            skip = row.skip or self._plan_row(row, existing, plan)
            if skip is not None:
                plan.skipped.append((row, skip))
                plan.counters.rows_skipped += 1
                continue
            plan.counters.rows_imported += 1
            for problem in (*row.warnings, *self._row_warnings):
                plan.warnings.append((row.number, problem))
            plan.counters.warnings += len(row.warnings) + len(self._row_warnings)
        self._count(plan)
        self.memory.remember_batch(plan, self.state, self._linked_emails, self._individuals_by_email)
        return plan

    def account_ids_to_load(self, rows: list[CleanRow]) -> set[int]:
        """Existing accounts a dry run's memory says the batch's rows belong to (an earlier
        batch linked the row's email to them), and the ones the user decided rows are the same
        client as, which the batch's own lookups would not find."""
        ids = self.memory.account_ids_for(rows)
        decisions, state = self.ctx.decisions, self.state
        if decisions or state.decided_keys:
            for row in rows:
                refs = [state.decided_row_refs.get(decisions.rows.get(row.number, 0))]
                if row.account is not None and row.account.name_given:
                    refs.append(state.decided_keys.get(hash(row.account.key)))
                ids.update(_unpack_id(packed) for packed in refs if packed is not None and not packed & 1)
                if row.number in decisions.accounts:
                    ids.add(decisions.accounts[row.number])
        return ids

    def written(self, plan: BatchPlan, created: dict[str, int], catalogue: Catalogue) -> None:
        """After the batch's write: the accounts it made are known by their ids (`created`:
        plan reference -> id, as the writer returned them), and the catalogue given is the
        one later batches plan against (with the tags the write made)."""
        state = self.state
        self.ctx.catalogue = catalogue
        for ref, created_id in created.items():
            work = plan.accounts[ref]
            if work.made_for_person:
                state.person_accounts.add(_pack_ref(f"a{created_id}"))
                decided_type = state.account_types.get(hash(work.ref))
                if decided_type is not None:  # its type is known by its reference: now by its id
                    state.account_types[hash(f"a{created_id}")] = decided_type
            if state.named_accounts.get(hash(work.key)) == _pack_ref(work.ref):
                state.named_accounts[hash(work.key)] = _pack_ref(f"a{created_id}")
        if state.decided_row_refs or state.decided_keys:  # a handful: the user's decisions
            made = {_pack_ref(ref): _pack_ref(f"a{created_id}") for ref, created_id in created.items()}
            for decided in (state.decided_row_refs, state.decided_keys):
                for key, packed in decided.items():
                    decided[key] = made.get(packed, packed)

    def forget(self, plan: BatchPlan) -> None:
        """Undoes what planning `plan` taught the FileState, for a batch whose write was rolled
        back and is planned again. (Types decided by its rows are kept: planning the same rows
        again decides the same; so are the accounts its rows named, found again by name.)"""
        self.state.updated_accounts.difference_update(plan.first_updated_accounts)
        self.state.updated_contacts.difference_update(plan.first_updated_contacts)
        self.state.new_tags.difference_update(plan.new_tags)

    # -- one row --------------------------------------------------------------------------
    def _plan_row(self, row: CleanRow, existing: Existing, plan: BatchPlan) -> Problem | None:
        # What planning finds out about the row (`same_name`, `shared_email`). Kept here, not on
        # the row: a batch planned again after a conflict must start from the same rows.
        self._row_warnings: list[Problem] = []
        account_work = None
        if row.number in self.ctx.decisions.gone:
            self._row_warnings.append(Problem(
                "duplicate_decision_gone",
                f"Row {row.number} was marked the same client as account #{self.ctx.decisions.gone[row.number]}, "
                f"which no longer exists; the row was imported as if undecided.",
            ))
        if row.account is not None:
            account_work, problem = self._account_for(row, row.account, existing, plan)
            if problem is not None:
                return problem
        for person in row.people:
            self._plan_person(person, account_work, existing)
        return None

    def _account_for(self, row, data: AccountData, existing: Existing, plan: BatchPlan):
        """The account a row belongs to (docs/import-rules.md, "Matching"). A row that names
        its account finds it by name; a row that does not is its person's own account."""
        work = self._decided_account(row, data, existing) if (self.ctx.decisions or self.state.decided_keys) else None
        if work is not None:
            type_key = data.key if data.name_given else work.ref
        elif data.name_given:
            work, problem = self._named_account(row, data, existing)
            if problem is not None:
                return None, problem
            type_key = data.key
        else:
            work = self._person_account(row, data, existing)
            type_key = work.ref
        state = self.state
        # Type conflicts: only when the type comes from a mapped column (docs/import-rules.md, "Account type").
        if data.type_from_file:
            decided = work.decided_type or None
            decided_row = work.decided_row or None
            if decided is None:
                earlier = state.decided_type(type_key)
                if (earlier is None or not earlier[0]) and data.name_given and work.ref != type_key:
                    # A client an earlier batch made for a row without an account name, which
                    # this row names: its type was remembered by the account, not by a name.
                    earlier = state.decided_type(work.ref)
                if earlier is not None and earlier[0]:
                    decided, decided_row = earlier
            if decided and decided != data.type:
                where = f"row {decided_row}" if decided_row else "an earlier row"
                return None, Problem(
                    "conflicting_account_type",
                    f"Account {data.name!r} was given type {decided} by {where}; this row says {data.type}.",
                    value=data.type,
                )
        plan.accounts[work.ref] = work
        plan.row_accounts[row.number] = work.ref
        if row.number in self.ctx.decisions.target_rows:
            state.decided_row_refs[row.number] = _pack_ref(work.ref)
        self._apply_account(work, data, row)
        if data.type_from_file and not work.decided_type:
            work.decided_type, work.decided_row = data.type, row.number
        if data.type_from_file and state.remember_type(type_key, work.decided_type, row.number) and data.name_given:
            plan.decided_types[type_key] = (work.decided_type, row.number)
        return work, None

    def _decided_account(self, row: CleanRow, data: AccountData, existing: Existing) -> AccountWork | None:
        """The account the user said this row's client is (a likely duplicate decided "same"):
        an existing account, or the account of an earlier row; for a row with an account name,
        also the account an earlier row of that name was sent to. None: decide as usual."""
        decisions, state = self.ctx.decisions, self.state
        ref = None
        if row.number in decisions.accounts:
            ref = f"a{decisions.accounts[row.number]}"
        elif row.number in decisions.rows:
            packed = state.decided_row_refs.get(decisions.rows[row.number])
            if packed is None:  # that row was skipped, or planned before a resume
                self._row_warnings.append(Problem(
                    "duplicate_decision_gone",
                    f"Row {row.number} was marked the same client as row {decisions.rows[row.number]}, which made "
                    f"no account this run can follow; the row was imported as if undecided.",
                ))
            else:
                ref = _unpack_ref(packed)
        elif data.name_given and hash(data.key) in state.decided_keys:
            ref = _unpack_ref(state.decided_keys[hash(data.key)])
        work = self._work_of(ref, data.key, existing) if ref else None
        if work is not None and data.name_given:
            state.decided_keys[hash(data.key)] = _pack_ref(work.ref)
            self._named[data.key] = work
        return work

    def _work_of(self, ref: str, key: str, existing: Existing) -> AccountWork | None:
        """The account of a plan reference: this batch's, an existing one (loaded: see
        `account_ids_to_load`), or, in a dry run, one an earlier batch made."""
        if ref in self._plan.accounts:
            return self._plan.accounts[ref]
        if ref[0] == "a":
            snapshot = existing.accounts_by_id.get(int(ref[1:]))
            return self._existing_account(snapshot) if snapshot is not None else None
        return self._virtual_account(ref, key) if self.ctx.dry_run else None

    # -- shared by both halves: the additive rule on fields, custom values and tags -----------
    def _merge_custom(self, work: AccountWork | ContactWork, values: dict, applies_to: str) -> None:
        """Custom values follow the additive rule too; the stored value is kept for undo."""
        if not values:
            return
        stored_values = work.snapshot.custom_values if work.snapshot else {}
        for key, value in values.items():
            field_id = self.ctx.catalogue.custom_fields.get((applies_to, key))
            stored = stored_values.get(str(field_id)) if field_id else None
            merged = _merge(work.custom.get(key, stored), value, self.ctx.overwrite)
            if merged is _KEEP:
                continue
            if work.snapshot is not None and key not in work.custom:
                work.previous_custom[key] = stored
            work.custom[key] = merged
            work.changed = work.changed or work.snapshot is not None

    def _tag_key(self, name: str) -> str | None:
        key = self._tag_keys.get(name)
        if key is None:
            key = self._tag_keys[name] = normalize_name_key(name, 100)  # Tag.key's length
        if not key:
            return None
        if key not in self.ctx.catalogue.tags and key not in self.state.new_tags:
            self._plan.new_tags.setdefault(key, " ".join(name.split()))
        return key

    def _change(self, work, name: str, current, new, overwrite: bool) -> None:
        current = work.values.get(name, current)
        value = _merge(current, new, overwrite)
        if value is _KEEP:
            return
        work.previous.setdefault(name, current)
        work.values[name] = value
        work.changed = True

    # -- counting -------------------------------------------------------------------------
    def _count(self, plan: BatchPlan) -> None:
        state, counters, job_id = self.state, plan.counters, self.ctx.job_id
        for work in plan.accounts.values():
            if work.is_new:
                counters.accounts_created += 1
            elif work.snapshot is not None and work.snapshot.created_by_import_id != job_id:
                if work.changed and work.snapshot.id not in state.updated_accounts:
                    state.updated_accounts.add(work.snapshot.id)
                    plan.first_updated_accounts.append(work.snapshot.id)
                    counters.accounts_updated += 1
        for work in plan.contacts:
            if work.is_new:
                counters.contacts_created += 1
            elif work.snapshot is not None and work.snapshot.created_by_import_id != job_id:
                if work.changed and work.snapshot.id not in state.updated_contacts:
                    state.updated_contacts.add(work.snapshot.id)
                    plan.first_updated_contacts.append(work.snapshot.id)
                    counters.contacts_updated += 1
        counters.tags_created += len(plan.new_tags)
        state.new_tags.update(plan.new_tags)
        if self.ctx.mapping.kind == "accounts":
            counters.rows_unchanged += sum(1 for ref in plan.row_accounts.values()
                                           if _matched_unchanged(plan.accounts[ref], job_id))


def _unpack_id(packed: int) -> int:
    """The account id of a packed existing-account reference ("a12" -> 12)."""
    return packed >> 1


def _matched_unchanged(work, job_id) -> bool:
    """An account that existed before this import, which the row matched and changed nothing of."""
    return (not work.is_new and work.snapshot is not None and work.snapshot.created_by_import_id != job_id
            and not work.changed)
