"""The Planner: one batch of clean rows -> a BatchPlan, keeping the FileState across batches:
which account each row belongs to, which contact each person is, what changes, the counters."""

from __future__ import annotations

from dataclasses import replace

from crm.normalize import account_name_key, contact_name_key, normalize_email_key, normalize_name_key
from imports.extraction import AccountData, CleanRow, PersonData
from imports.planning.memory import DryRunMemory, NothingRemembered
from imports.planning.merging import _KEEP, _merge
from imports.planning.people import Person, _current, _first_name_print, _first_names_differ, _next_email
from imports.planning.plan import AccountWork, BatchPlan, ContactWork, LinkPlan, PlanContext, _batch_rank
from imports.planning.refs import _client_rank, _pack_ref, _ranked_ref
from imports.planning.snapshots import (
    ACCOUNT_MERGED_FIELDS, CONTACT_FIELDS, NAME_FIELDS, AccountSnapshot, Catalogue, ContactSnapshot, Existing,
)
from imports.planning.state import FileState
from imports.problems import Problem


class Planner:
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
        batch linked the row's email to them), which the batch's own lookups would not find."""
        return self.memory.account_ids_for(rows)

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
            if state.named_accounts.get(hash(work.key)) == _pack_ref(work.ref):
                state.named_accounts[hash(work.key)] = _pack_ref(f"a{created_id}")

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
        if data.name_given:
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
        self._apply_account(work, data, row)
        if data.type_from_file and not work.decided_type:
            work.decided_type, work.decided_row = data.type, row.number
        if data.type_from_file and state.remember_type(type_key, work.decided_type, row.number) and data.name_given:
            plan.decided_types[type_key] = (work.decided_type, row.number)
        return work, None

    # -- which account --------------------------------------------------------------------
    def _named_account(self, row: CleanRow, data: AccountData, existing: Existing):
        """Rows with one account-name key are one account; an existing account of that key is
        it. Among several: the one that holds the row's person; else, leaving out the clients
        this file made for rows without an account name, the one left; else the one earlier
        rows of the file chose; else the row is skipped as ambiguous."""
        key = data.key
        work = self._named.get(key)
        if work is not None:
            return work, None
        candidates = self._accounts_named(key, existing)
        if not candidates:
            if self.ctx.mapping.settings.update_only:
                return None, Problem("account_not_found",
                                     f"No account named {data.name!r} exists, and this import only updates accounts.",
                                     value=data.name)
            work = self._made(key)
        elif len(candidates) == 1:
            work = candidates[0]
        else:
            work = self._holding_person(candidates, row.people, existing)
            if work is None:
                named = [c for c in candidates if not self._made_for_person(c)]
                chosen = self.state.named_accounts.get(hash(key))
                if len(named) == 1:
                    work = named[0]
                elif chosen is not None:
                    work = next((c for c in candidates if _pack_ref(c.ref) == chosen), None)
                if work is None:
                    return None, _ambiguous(data.name, named or candidates)
                if chosen is None:
                    self.state.named_accounts[hash(key)] = _pack_ref(work.ref)
                    self._plan.chosen_accounts[key] = work.ref
            return work, None  # another row of this name may hold another candidate's person
        self._named[key] = work  # until a namesake is made (see _made)
        return work, None

    def _made_for_person(self, work: AccountWork) -> bool:
        """Made by this file for a row without an account name (named after its person)."""
        return work.made_for_person or _pack_ref(work.ref) in self.state.person_accounts

    def _person_account(self, row: CleanRow, data: AccountData, existing: Existing) -> AccountWork:
        """A row without an account name is its person's own client: the same email is the
        same client; without an email, the first client of that name whom nothing on the row
        contradicts. A new client who shares a name with another is warned about."""
        # An email whose contact has another first name is not this person's: `_find_contact`
        # leaves it with that contact, and so does the choice of client.
        person = self._without_others_emails(row.people[0], existing)
        me = Person.of(person)
        email_key, name_key = person.email_key, (person.name_key if person.has_name else "")
        work = self._individual_with_email(email_key, existing) if email_key else None
        namesakes = self._namesakes(name_key, existing) if name_key else []
        if work is None and not email_key:
            work = next((w for w in namesakes if not me.contradicts(w.person)), None)
        if work is None:
            work = self._made(data.key)
            work.made_for_person = True
            if namesakes:
                self._row_warnings.append(_same_name(person.display_name, me, namesakes))
        return work

    def _accounts_named(self, key: str, existing: Existing) -> list[AccountWork]:
        """Every account of an account-name key: existing (oldest first), made by earlier
        batches of a dry run, made by this batch."""
        works = [self._existing_account(snapshot) for snapshot in existing.accounts.get(key, ())]
        works += [self._virtual_account(ref, key) for ref in self.memory.account_refs(key)]
        works += [work for work in self._made_by_key.get(key, ()) if work not in works]
        return works

    def _individual_with_email(self, email_key: str, existing: Existing) -> AccountWork | None:
        """The individual's account that holds a contact of this email: one named after that
        person first, then the oldest."""
        ranked = [(_client_rank(first, f"a{snapshot.id}"), self._existing_account(snapshot))
                  for first, snapshot in existing.individuals_by_email.get(email_key, ())]
        remembered = self.memory.client_rank_of_email(email_key)
        if remembered is not None:
            ref = _ranked_ref(remembered)
            if ref[0] == "n":
                ranked.append((remembered, self._virtual_account(ref, "")))
            elif int(ref[1:]) in existing.accounts_by_id:  # loaded: see account_ids_to_load
                ranked.append((remembered, self._existing_account(existing.accounts_by_id[int(ref[1:])])))
        ranked += [(_batch_rank(account, email_key), account)
                   for account in self._individuals_by_email.get(email_key, ())]
        return min(ranked, key=lambda pair: pair[0])[1] if ranked else None

    def _namesakes(self, name_key: str, existing: Existing) -> list[AccountWork]:
        """The individuals' accounts named after a person of this name, oldest first, each
        with its person (`AccountWork.person`) as this file has completed it so far."""
        # Existing ones come with their person (`_existing_account`); a dry run's earlier
        # batches' ones with theirs as remembered.
        works = [self._existing_account(snapshot) for snapshot in existing.individuals_by_name.get(name_key, ())]
        for ref in self.memory.people_named(name_key):
            if ref[0] == "n":
                work = self._virtual_account(ref, "")
                self._virtual_person(work, name_key)
                works.append(work)
        works += [work for work in self._people_by_name.get(name_key, ()) if work not in works]
        return works

    def _holding_person(self, candidates: list[AccountWork], people: list[PersonData],
                        existing: Existing) -> AccountWork | None:
        """The candidate that already holds one of the row's people: by email, then by name."""
        memory = self.memory
        for person in people:
            if not person.email_key:
                continue
            contact = existing.contacts_by_email.get(person.email_key)
            for work in candidates:
                if ((work.ref, person.email_key) in self._linked_emails
                        or (contact and work.snapshot and (work.snapshot.id, contact.id) in existing.links)
                        or memory.linked(work.ref, person.email_key)):
                    return work
        for person in people:
            if not person.has_name:
                continue
            me = Person.of(person)
            for work in candidates:
                if not ((work.ref, person.name_key) in self._contacts_by_name
                        or (work.snapshot and (work.snapshot.id, person.name_key) in existing.contacts_by_name)
                        or memory.has_contact_name(work.ref, person.name_key)):
                    continue
                # Its person of that name is the row's unless a value tells them apart (two
                # clients called Mary Jones, each holding her own Mary Jones).
                self._virtual_person(work, person.name_key)
                if work.person_name_key == person.name_key and work.person and me.contradicts(work.person):
                    continue
                return work
        return None

    def _existing_account(self, snapshot: AccountSnapshot) -> AccountWork:
        work = self._accounts_by_id.get(snapshot.id)
        if work is None:
            work = self._accounts_by_id[snapshot.id] = AccountWork(ref=f"a{snapshot.id}", key=snapshot.key,
                                                                   snapshot=snapshot)
            contact = self._existing.persons.get(snapshot.id)
            if contact is not None:  # named after its person: as the database (or a dry run) has them
                name_key = contact_name_key(contact.values["first_name"], contact.values["last_name"])
                remembered = self.memory.person(name_key, work.ref)
                work.person_name_key = name_key
                work.person = remembered or Person.of_snapshot(contact)
        return work

    def _virtual_person(self, work: AccountWork, name_key: str) -> None:
        """A dry run's account of an earlier batch named after a person of this name: its
        person as remembered."""
        if work.virtual and work.person is None:
            person = self.memory.person(name_key, work.ref)
            if person is not None:
                work.person_name_key, work.person = name_key, person

    def _virtual_account(self, ref: str, key: str) -> AccountWork:
        """An account an earlier batch of this dry run made: nothing left to plan but links."""
        work = self._virtual_accounts.get(ref)
        if work is None:
            work = self._virtual_accounts[ref] = AccountWork(ref=ref, key=key, snapshot=None, virtual=True)
        return work

    def _made(self, key: str) -> AccountWork:
        self._named.pop(key, None)  # a second account of the name: rows must choose again
        work = AccountWork(ref=self.state.next_ref(), key=key, snapshot=None)
        self._made_by_key.setdefault(key, []).append(work)
        return work

    def _apply_account(self, work: AccountWork, data: AccountData, row: CleanRow) -> None:
        overwrite = self.ctx.overwrite
        if work.is_new and not work.values:
            type_ = data.type or "other"  # the "ignore" choice: new accounts get other
            work.values = {
                "name": data.name,
                "type": type_,
                # A company's company name is its account name unless the file says otherwise.
                "company_name": data.company_name or (data.name if type_ == "company" and data.name_given else ""),
                # status: "" until a row says; the writer stores a new account as active.
                **{name: getattr(data, name) for name in ACCOUNT_MERGED_FIELDS if name != "company_name"},
            }
        elif work.virtual:
            pass  # created by an earlier batch of this dry run: nothing left to decide
        elif work.is_new:
            for name in ACCOUNT_MERGED_FIELDS:
                value = _merge(work.values[name], getattr(data, name), overwrite)
                if value is not _KEEP:
                    work.values[name] = value
        else:
            snapshot = work.snapshot
            for name in ACCOUNT_MERGED_FIELDS:
                self._change(work, name, getattr(snapshot, name), getattr(data, name), overwrite)
            if data.type:
                # "other" is what an account gets when nobody said; a type from the file fills it.
                current = work.values.get("type", snapshot.type)
                if data.type != current and (current == "other" or overwrite):
                    work.previous.setdefault("type", snapshot.type)
                    work.values["type"] = data.type
                    work.changed = True
        self._merge_custom(work, data.custom, "account")
        # tags, assignees and roles only ever get added
        snapshot_tags = work.snapshot.tag_ids if work.snapshot else set()
        for name in [*data.tags, *self.ctx.mapping.settings.tags]:
            tag_key = self._tag_key(name)
            tag_id = self.ctx.catalogue.tags.get(tag_key)
            if tag_key and tag_key not in work.tags and (tag_id is None or tag_id not in snapshot_tags):
                work.tags.append(tag_key)
                work.changed = work.changed or work.snapshot is not None
        assignees = set(data.assignees) | set(self.ctx.bulk_assignee_ids)
        if not assignees and work.is_new and self.ctx.importer_member_id and not data.assigned_nobody:
            assignees = {self.ctx.importer_member_id}
        snapshot_assignees = work.snapshot.assignee_ids if work.snapshot else set()
        for member in assignees - snapshot_assignees - work.assignees:
            work.assignees.add(member)
            work.changed = work.changed or work.snapshot is not None
        for role_key, member in data.roles.items():
            role_id = self.ctx.catalogue.roles.get(role_key)
            held = work.snapshot.roles.get(role_id) if (work.snapshot and role_id) else None
            if held is None or (overwrite and held != member):
                if work.roles.get(role_key) is None or overwrite:
                    work.roles[role_key] = member
                    work.changed = work.changed or work.snapshot is not None

    def _merge_custom(self, work: AccountWork | ContactWork, values: dict, applies_to: str) -> None:
        """Custom values follow the additive rule too; the stored value is kept for undo."""
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

    # -- people ---------------------------------------------------------------------------
    def _plan_person(self, person: PersonData, account: AccountWork | None, existing: Existing) -> None:
        work, person = self._find_contact(person, account, existing)
        overwrite = self.ctx.overwrite
        values = {name: getattr(person, name) for name in CONTACT_FIELDS}
        if not overwrite and self._has_name(work):
            # A named contact keeps its name: another spelling met under the same email must
            # not half-rename it (its name is how rows without email find it again).
            for name in NAME_FIELDS:
                values.pop(name)
        if work.is_new and not work.values:
            work.values = values  # a new contact has no name yet, so nothing was left out
        elif work.virtual:
            pass
        elif work.is_new:
            for name, value in values.items():
                merged = _merge(work.values.get(name), value, overwrite)
                if merged is not _KEEP:
                    work.values[name] = merged
        else:
            snap = work.snapshot.values
            for name, value in values.items():
                self._change(work, name, snap.get(name), value, overwrite)
        if not work.virtual:
            known = set(work.snapshot.additional_emails) if work.snapshot else set()
            primary = (work.values.get("email") or (work.snapshot.values.get("email") if work.snapshot else "") or "").casefold()
            for email in person.additional_emails:
                folded = email.casefold()
                if folded != primary and folded not in {e.casefold() for e in known} and email not in work.additional_emails:
                    work.additional_emails.append(email)
                    work.changed = True
            known_phones = set(work.snapshot.phones) if work.snapshot else set()
            for phone in person.phones:
                if phone not in known_phones and phone not in work.phones:
                    work.phones.append(phone)
                    work.changed = True
            self._merge_custom(work, person.custom, "contact")
            snapshot_tags = work.snapshot.tag_ids if work.snapshot else set()
            for name in person.tags:
                key = self._tag_key(name)
                tag_id = self.ctx.catalogue.tags.get(key)
                if key and key not in work.tags and (tag_id is None or tag_id not in snapshot_tags):
                    work.tags.append(key)
                    work.changed = True
        self._remember_name(work, person, account)
        if person.email_key:
            self.memory.note_first_name(work, person, self.ctx.overwrite)
        if account is not None:
            switches = self._switches(person)
            account_id = account.snapshot.id if account.snapshot else None
            contact_id = work.snapshot.id if work.snapshot else None
            current = existing.links.get((account_id, contact_id)) if account_id and contact_id else None
            planned = work.links.get(account.ref)
            if planned is not None:  # the same link met again in this batch: switches only add up
                work.links[account.ref] = LinkPlan(*(a or b for a, b in zip(planned.switches, switches)),
                                                   previous=planned.previous, order=planned.order)
            elif current is None:
                if not (work.virtual and account.virtual):
                    self._new_links += 1
                    work.links[account.ref] = LinkPlan(*switches, order=self._new_links)
                    # A new link changes both sides that existed before.
                    work.changed = work.changed or work.snapshot is not None
                    account.changed = account.changed or account.snapshot is not None
            else:
                merged = tuple(a or b for a, b in zip(current, switches))
                if merged != current:
                    work.links[account.ref] = LinkPlan(*merged, previous=current)
                    work.changed = True
            self._note_link(account, work, person, found_by_name=self._found_by_name)

    def _note_link(self, account: AccountWork, contact: ContactWork, person: PersonData, *,
                   found_by_name: bool) -> None:
        """What later rows ask of a link (as the database will answer later batches): which
        accounts hold an email, and which are named after their person. (A contact an earlier
        batch of a dry run made has no values here: the row's are its.)"""
        if contact.virtual:
            first, last = person.first_name, person.last_name
        else:
            first, last = _current(contact, "first_name"), _current(contact, "last_name")
        own_key = person.own_account_key if (first, last) == (person.first_name, person.last_name) else None
        name_key = contact.name_key  # as `_remember_name` left it: the contact's own name
        remembered = self.memory.person(name_key, account.ref) if first or last else None
        type_ = account.values.get("type") or (account.snapshot.type if account.snapshot else "")
        individual = type_ == "individual" or (account.virtual and self.memory.is_individual(account.ref))
        if not individual:
            named_after = False  # a company named like its employee is not that person's account
        elif account.key or not account.virtual:
            named_after = bool(first or last) and account.key == (own_key or account_name_key(f"{first} {last}"))
        else:  # made by an earlier batch of a dry run and met by email: its name is not at hand
            named_after = remembered is not None
        if named_after and account.person_name_key in ("", name_key):
            # The account's person is its first contact of its name; another one of that name
            # (with another email) is not. One found by name is that contact, maybe given an email.
            base = account.person or remembered
            if base is None and not contact.virtual:
                account.person_contact = contact  # the common case: read only if a namesake asks
            else:
                # A contact an earlier batch of a dry run made has the row's values and its own.
                incoming = Person.of(person) if contact.virtual else Person.of_contact(contact)
                # Found by name, it is the person when the person had no email (and now has
                # one), or when a dry run cannot tell (an earlier batch's contact, no email).
                same = base is None or base.contact == incoming.contact or found_by_name and (
                    base.contact.startswith("|") or (contact.virtual and not incoming.email))
                if same:
                    if contact.virtual and base is not None:
                        incoming = replace(base.merged(incoming),
                                           contact=incoming.contact if incoming.email else base.contact)
                    if contact.virtual:
                        account.person = incoming
                    else:
                        account.person_contact = contact
            account.person_name_key = name_key
            namesakes = self._people_by_name.setdefault(account.person_name_key, [])
            if account not in namesakes:
                namesakes.append(account)
        email_key = normalize_email_key(_current(contact, "email")) or person.email_key
        if account.is_new and account.first_contact is None:
            account.first_contact = contact
        if not email_key or (account.ref, email_key) in self._linked_emails:
            return
        self._linked_emails.add((account.ref, email_key))
        if individual:
            self._individuals_by_email.setdefault(email_key, []).append(account)

    def _switches(self, person: PersonData) -> tuple[bool, bool, bool]:
        if not person.email:
            return (False, False, False)
        switches = self.ctx.mapping.settings.portal.get(person.email_column)
        if switches is None:
            return (False, False, False)
        return (switches.login, switches.notify, switches.email_sync)

    def _find_contact(self, person: PersonData, account: AccountWork | None,
                      existing: Existing) -> tuple[ContactWork, PersonData]:
        """Contact identity (docs/import-rules.md, "Which contact a person is"): the primary email
        within the firm; otherwise the full name within the same account (or among unlinked
        contacts, for contacts only).
        Someone whose email belongs to a contact of another first name is another person
        (spouses share addresses): the email stays with that contact, and this one is found or
        made by name without it (warning `shared_email`). Returns the contact and the person
        as it is to be planned (without that email)."""
        account_key = account.ref if account is not None else ""
        email_key = person.email_key
        self._found_by_name = not email_key
        if email_key:
            work = self._contacts_by_email.get(email_key)
            if work is None:
                snapshot = existing.contacts_by_email.get(email_key)
                if snapshot is not None:
                    work = self._work_for(snapshot)
                elif self.memory.has_contact_email(email_key):
                    work = ContactWork(snapshot=None, virtual=True)
                elif person.has_name:
                    # Known by name without an email yet: the file brings their email.
                    work = self._by_name(account, account_key, person.name_key, existing, without_email=True)
                    self._found_by_name = work is not None
                    if work is not None:
                        self.memory.note_email_given(account_key, person.name_key)
                work = work or ContactWork(snapshot=None)
                self._contacts_by_email[email_key] = work
            if _first_names_differ(self._holder_first_name(work, email_key), _first_name_print(person.first_name)):
                return self._without_shared_email(person, account, existing)
        else:
            work = self._by_name(account, account_key, person.name_key, existing, without_email=False)
            work = work or ContactWork(snapshot=None)
        if not work.planned:
            work.planned = True
            self._plan.contacts.append(work)
        return work, person

    def _without_others_emails(self, person: PersonData, existing: Existing) -> PersonData:
        """The person without the emails that belong to contacts of another first name (each
        next email of theirs becomes the primary one), as `_find_contact` will plan them."""
        while person.email_key and self._email_of_another(person, existing):
            person = _next_email(person)
        return person

    def _email_of_another(self, person: PersonData, existing: Existing) -> bool:
        """Does the contact holding this person's email have another first name?"""
        key = person.email_key
        work = self._contacts_by_email.get(key)
        if work is None:
            snapshot = existing.contacts_by_email.get(key)
            if snapshot is not None:
                work = self._work_for(snapshot)
            elif self.memory.has_contact_email(key):
                work = ContactWork(snapshot=None, virtual=True)
            else:
                return False
        return _first_names_differ(self._holder_first_name(work, key), _first_name_print(person.first_name))

    def _holder_first_name(self, work: ContactWork, email_key: str) -> int:
        """`_first_name_print` of the contact holding an email, as the database will have it
        when this row is written (in a dry run, as earlier batches left it)."""
        if not work.values.get("first_name"):
            remembered = self.memory.first_name_print(email_key)
            if remembered is not None:
                return remembered
        return _first_name_print(_current(work, "first_name"), _current(work, "last_name"))

    def _without_shared_email(self, person: PersonData, account: AccountWork | None,
                              existing: Existing) -> tuple[ContactWork, PersonData]:
        self._row_warnings.append(Problem(
            "shared_email",
            f"{person.display_name} has the same email as a contact with another first name; the email stays "
            f"with that contact and {person.display_name} was imported without it.",
            column=person.email_column, value=person.email,
        ))
        return self._find_contact(_next_email(person), account, existing)

    def _work_for(self, snapshot: ContactSnapshot) -> ContactWork:
        work = self._contacts_by_id.get(snapshot.id)
        if work is None:
            work = self._contacts_by_id[snapshot.id] = ContactWork(snapshot=snapshot)
        return work

    @staticmethod
    def _has_name(work: ContactWork) -> bool:
        current = work.values or (work.snapshot.values if work.snapshot else {})
        return bool(current.get("first_name") or current.get("last_name"))

    def _remember_name(self, work: ContactWork, person: PersonData, account: AccountWork | None) -> None:
        """After a merge, the contact is known by its resulting name within the row's account,
        in this batch and (in a dry run, as a hash) in later ones, as the database will know it."""
        first = work.values.get("first_name") or (work.snapshot.values.get("first_name") if work.snapshot else "")
        last = work.values.get("last_name") or (work.snapshot.values.get("last_name") if work.snapshot else "")
        if work.virtual:  # made by an earlier batch of a dry run: named as the row names it
            first, last = person.first_name, person.last_name
        if not (first or last):
            return
        account_key = account.ref if account is not None else ""
        if first == person.first_name and last == person.last_name:
            name_key = person.name_key  # the common case: computed when the row was cleaned
        else:
            name_key = contact_name_key(first or "", last or "")
        work.name_key = name_key
        self._contacts_by_name.setdefault((account_key, name_key), work)
        self.memory.note_contact_name(account_key, name_key, work)

    def _by_name(self, account, account_key, name_key, existing, *, without_email) -> ContactWork | None:
        """The account's contact of this name (for a row without email: the one without an
        email, else the oldest, as `load_existing` orders them). `without_email`: only one
        that has no email yet."""
        planned = self._contacts_by_name.get((account_key, name_key))
        older, older_has_email = self._older_by_name(account, account_key, name_key, existing)
        if planned is not None and planned.is_new and older is not None:
            # Made by this batch, so younger than one the database (or memory) knows: it wins
            # only as the one without an email.
            if _current(planned, "email") or not older_has_email:
                planned = None
        if planned is not None:
            if without_email and planned.virtual:  # what it has is in the dry run's memory
                if not self.memory.without_email(account_key, name_key):
                    return None
            elif without_email and _current(planned, "email"):
                return None
            return planned
        if older is None or (without_email and older_has_email):
            return None
        return older

    def _older_by_name(self, account, account_key, name_key, existing) -> tuple[ContactWork | None, bool]:
        """The contact of this name that existed before this batch (database or dry-run memory)
        and whether it has an email."""
        account_id = account.snapshot.id if account is not None and account.snapshot else None
        snapshot = None
        if account is None or account_id is not None:
            snapshot = existing.contacts_by_name.get((account_id, name_key))
        emailed = self.memory.gave_email(account_key, name_key)
        if snapshot is not None:
            return self._work_for(snapshot), bool(snapshot.values.get("email") or emailed)
        if self.memory.has_contact_name(account_key, name_key):
            return ContactWork(snapshot=None, virtual=True), emailed or not self.memory.without_email(account_key, name_key)
        return None, False

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


def _ambiguous(name: str, candidates: list[AccountWork]) -> Problem:
    ids = [work.snapshot.client_id for work in candidates if work.snapshot and work.snapshot.client_id]
    unnamed = len(candidates) - len(ids)
    listed = ", ".join(ids[:10]) + (f" and {unnamed} without one" if ids and unnamed else "")
    which = f" (client IDs {listed})" if ids else ""
    return Problem(
        "ambiguous_account",
        f"{len(candidates)} accounts are named {name!r}{which} and none of them holds this row's person, so the "
        f"row was not imported. Add the client ID or the person's email to the row to say which one.",
        value=name,
    )


def _same_name(name: str, me: Person, namesakes: list[AccountWork]) -> Problem:
    reasons = sorted({reason for work in namesakes if (reason := me.contradicts(work.person or Person()))})
    why = f" (a different {' and '.join(reasons)})" if reasons else " (a different email)" if me.email else ""
    others = "another client" if len(namesakes) == 1 else f"{len(namesakes)} other clients"
    return Problem(
        "same_name",
        f"{name} shares a name with {others}{why}; a separate account was made. Merge them by hand if they are "
        f"the same person.",
        value=name,
    )
