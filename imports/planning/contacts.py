"""Which contact a person is and what the row changes on it and its link: the Planner's
`ContactsMixin` (emails shared by two people, names, link switches, what later rows ask)."""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter

from crm.normalize import account_name_key, contact_name_key, normalize_email_key
from imports.extraction import PersonData
from imports.planning.merging import _KEEP, _merge
from imports.planning.people import Person, _current, _first_name_print, _first_names_differ, _next_email
from imports.planning.plan import AccountWork, ContactWork, LinkPlan
from imports.planning.snapshots import CONTACT_FIELDS, NAME_FIELDS, ContactSnapshot, Existing
from imports.problems import Problem


_contact_values = attrgetter(*CONTACT_FIELDS)  # once per person of every row: a dict comprehension costs more


class ContactsMixin:
    """The Planner's contact half: each person of a row found or made as a contact, merged, and
    linked to the row's account. Works on the Planner's context, memory and the batch's lookups."""

    # -- people ---------------------------------------------------------------------------
    def _plan_person(self, person: PersonData, account: AccountWork | None, existing: Existing) -> None:
        work, person = self._find_contact(person, account, existing)
        overwrite = self.ctx.overwrite
        values = dict(zip(CONTACT_FIELDS, _contact_values(person)))
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
                work = self._email_holder(email_key, existing)
                if work is None and person.has_name:
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

    def _email_holder(self, email_key: str, existing: Existing) -> ContactWork | None:
        """The contact that held this email before this batch: in the database, or made by an
        earlier batch of a dry run (the memory's); None for an email nobody holds yet."""
        snapshot = existing.contacts_by_email.get(email_key)
        if snapshot is not None:
            return self._work_for(snapshot)
        if self.memory.has_contact_email(email_key):
            return ContactWork(snapshot=None, virtual=True)
        return None

    def _email_of_another(self, person: PersonData, existing: Existing) -> bool:
        """Does the contact holding this person's email have another first name?"""
        key = person.email_key
        work = self._contacts_by_email.get(key) or self._email_holder(key, existing)
        if work is None:
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
