"""Which account a row belongs to and what the row changes on it: the Planner's `AccountsMixin`
(named accounts, a person's own client, namesakes, the account's fields, tags, assignees, roles)."""

from __future__ import annotations

from operator import attrgetter

from crm.normalize import contact_name_key
from imports.extraction import AccountData, CleanRow, PersonData
from imports.planning.merging import _KEEP, _merge
from imports.planning.people import Person
from imports.planning.plan import AccountWork, _batch_rank
from imports.planning.refs import _client_rank, _pack_ref, _ranked_ref
from imports.planning.snapshots import ACCOUNT_MERGED_FIELDS, AccountSnapshot, Existing
from imports.problems import Problem


# Read once for every new account: attrgetter reads them in one call.
_OTHER_MERGED_FIELDS = tuple(name for name in ACCOUNT_MERGED_FIELDS if name != "company_name")
_other_merged_values = attrgetter(*_OTHER_MERGED_FIELDS)


class AccountsMixin:
    """The Planner's account half: a row's account, found or made, and what the row changes on
    it. Works on the Planner's context, file state, memory and the batch's lookups."""

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
                **dict(zip(_OTHER_MERGED_FIELDS, _other_merged_values(data))),
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
