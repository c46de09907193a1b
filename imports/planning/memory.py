"""What earlier batches made, as the planner asks it: nothing beyond the database in a real run
(`NothingRemembered`); a dry run's `DryRunMemory`, with the people it named (`PeopleSeen`)."""

from __future__ import annotations

from imports.compact import CompactIntMap, CompactIntSet
from imports.extraction import CleanRow, PersonData
from imports.planning.people import Person, _current, _first_name_print
from imports.planning.plan import AccountWork, BatchPlan, ContactWork, _batch_rank
from imports.planning.refs import _pack_ref, _ranked_ref, _unpack_ref
from imports.planning.state import FileState


class PeopleSeen:
    """A dry run's memory of the individuals' accounts the file made or completed that are
    named after their person: by the person's name-key hash, each account's packed reference
    and its person as the merges so far left it, in the order they were made. A real run
    finds them in the database (`Existing.individuals_by_name`)."""

    def __init__(self):
        self.by_name: dict[int, list[tuple[int, Person]]] = {}

    def named(self, name_key: str) -> list[tuple[str, Person]]:
        return [(_unpack_ref(packed), person) for packed, person in self.by_name.get(hash(name_key), ())]

    def person(self, name_key: str, ref: str) -> Person | None:
        packed = _pack_ref(ref)
        return next((person for known, person in self.by_name.get(hash(name_key), ()) if known == packed), None)

    def remember(self, name_key: str, ref: str, person: Person) -> None:
        entries = self.by_name.setdefault(hash(name_key), [])
        packed = _pack_ref(ref)
        for index, (known, _) in enumerate(entries):
            if known == packed:
                entries[index] = (packed, person)
                return
        entries.append((packed, person))


class NothingRemembered:
    """A real run's answer to "what did earlier batches make?": nothing beyond the database.
    Earlier batches' records are written, so `Existing` finds them; every question here
    answers "none" and every note is dropped. The Planner asks the same questions of a
    `DryRunMemory`, which answers them for a dry run."""

    def account_refs(self, key: str) -> list[str]:
        """References of the accounts of an account-name key that earlier batches made."""
        return []

    def client_rank_of_email(self, email_key: str) -> int | None:
        """`_client_rank` of the individual's account earlier batches linked this email to."""
        return None

    def account_ids_for(self, rows: list[CleanRow]) -> set[int]:
        """Existing accounts earlier batches linked the rows' emails to (to load with them)."""
        return set()

    def people_named(self, name_key: str) -> list[str]:
        """References of the individuals' accounts earlier batches made for a person of this name."""
        return []

    def person(self, name_key: str, ref: str) -> Person | None:
        """An account's person of this name as earlier batches left it."""
        return None

    def is_individual(self, ref: str) -> bool:
        """Did earlier batches make this account as an individual's?"""
        return False

    def linked(self, ref: str, email_key: str) -> bool:
        """Did earlier batches link a contact of this email to this account?"""
        return False

    def has_contact_name(self, account_key: str, name_key: str) -> bool:
        """Did earlier batches make or name a contact of this name in this account ("" for none)?"""
        return False

    def without_email(self, account_key: str, name_key: str) -> bool:
        """Is that contact (made by earlier batches) still without an email?"""
        return False

    def gave_email(self, account_key: str, name_key: str) -> bool:
        """Did a row give that contact an email?"""
        return False

    def has_contact_email(self, email_key: str) -> bool:
        """Did earlier batches make or name a contact holding this email?"""
        return False

    def first_name_print(self, email_key: str) -> int | None:
        """`_first_name_print` of the contact holding this email, as earlier batches left it."""
        return None

    def note_email_given(self, account_key: str, name_key: str) -> None:
        """A contact known by name without an email gets one from this row."""

    def note_first_name(self, work: ContactWork, person: PersonData, overwrite: bool) -> None:
        """Which first name the email's contact has after this row."""

    def note_contact_name(self, account_key: str, name_key: str, work: ContactWork) -> None:
        """The batch knows a contact by this name in this account (kept until `remember_batch`)."""

    def remember_batch(self, plan: BatchPlan, state: FileState, linked_emails: set[tuple[str, str]],
                       individuals_by_email: dict[str, list[AccountWork]]) -> None:
        """What the database would now tell later batches about this batch's records (and,
        in `state`, which accounts it made for rows without an account name)."""


class DryRunMemory(NothingRemembered):
    """The dry run's memory of what earlier batches "made": a dry run writes nothing, so the
    database cannot tell later batches, and this memory answers in its place what a real run
    finds there (the accounts of a key, the links of an email, the clients of a name, the
    contacts of an email or a name). Kept as 64-bit hashes in compact sets and maps (8 or 16
    bytes a member) so a million-row file stays within its memory budget."""

    def __init__(self):
        self.account_keys = CompactIntMap()  # account-name key hash -> packed ref of the first account made
        self.more_account_keys: dict[int, list[int]] = {}  # namesakes: the further accounts of one key
        self.individual_refs = CompactIntSet()  # packed refs of the individuals' accounts made
        self.account_links = CompactIntSet()  # hash((account ref, email key)) of the links made
        # Email key hash -> the client a row without an account name of that email belongs to,
        # as `_client_rank` packs it (the lowest wins).
        self.individual_emails = CompactIntMap()
        # Email key hash -> `_first_name_print` of the contact holding it, as earlier batches
        # left it: contacts they made, and existing ones they named.
        self.contact_emails = CompactIntMap()
        self.contact_names = CompactIntSet()  # hash((account ref or "", name key))
        self.contact_names_without_email = CompactIntSet()  # the same, for contacts without email
        self.contact_names_emailed = CompactIntSet()  # the same, for those a later row gave an email
        self.people = PeopleSeen()
        self._names_made: list[tuple[str, str, ContactWork]] = []  # this batch's, by account and name

    def account_refs(self, key: str) -> list[str]:
        first = self.account_keys.get(hash(key))
        if first is None:
            return []
        return [_unpack_ref(packed) for packed in (first, *self.more_account_keys.get(hash(key), ()))]

    def client_rank_of_email(self, email_key: str) -> int | None:
        return self.individual_emails.get(hash(email_key))

    def account_ids_for(self, rows: list[CleanRow]) -> set[int]:
        ids = set()
        for row in rows:
            if row.account is not None and not row.account.name_given and row.people:
                rank = self.individual_emails.get(hash(row.people[0].email_key))
                ref = _ranked_ref(rank) if rank is not None else ""
                if ref.startswith("a"):
                    ids.add(int(ref[1:]))
        return ids

    def people_named(self, name_key: str) -> list[str]:
        return [ref for ref, _ in self.people.named(name_key)]

    def person(self, name_key: str, ref: str) -> Person | None:
        return self.people.person(name_key, ref)

    def is_individual(self, ref: str) -> bool:
        return _pack_ref(ref) in self.individual_refs

    def linked(self, ref: str, email_key: str) -> bool:
        return hash((ref, email_key)) in self.account_links

    def has_contact_name(self, account_key: str, name_key: str) -> bool:
        return hash((account_key, name_key)) in self.contact_names

    def without_email(self, account_key: str, name_key: str) -> bool:
        key = hash((account_key, name_key))
        return key in self.contact_names_without_email and key not in self.contact_names_emailed

    def gave_email(self, account_key: str, name_key: str) -> bool:
        return hash((account_key, name_key)) in self.contact_names_emailed

    def has_contact_email(self, email_key: str) -> bool:
        return self.contact_emails.get(hash(email_key)) is not None

    def first_name_print(self, email_key: str) -> int | None:
        return self.contact_emails.get(hash(email_key))

    def note_email_given(self, account_key: str, name_key: str) -> None:
        # It has an email from now on: later batches must not take it for one without.
        self.contact_names_emailed.add(hash((account_key, name_key)))

    def note_first_name(self, work: ContactWork, person: PersonData, overwrite: bool) -> None:
        key = hash(person.email_key)
        if work.virtual:  # named by this row as `_plan_person` names a contact: if it had no name
            if not self.contact_emails.get(key) or (overwrite and person.first_name):
                self.contact_emails[key] = _first_name_print(person.first_name, person.last_name)
        else:
            self.contact_emails[key] = _first_name_print(_current(work, "first_name"), _current(work, "last_name"))

    def note_contact_name(self, account_key: str, name_key: str, work: ContactWork) -> None:
        self._names_made.append((account_key, name_key, work))

    def remember_batch(self, plan: BatchPlan, state: FileState, linked_emails: set[tuple[str, str]],
                       individuals_by_email: dict[str, list[AccountWork]]) -> None:
        for work in plan.accounts.values():
            if work.is_new:
                packed = _pack_ref(work.ref)
                if self.account_keys.setdefault(hash(work.key), packed) != packed:
                    self.more_account_keys.setdefault(hash(work.key), []).append(packed)
                if work.values.get("type") == "individual":
                    self.individual_refs.add(packed)
                if work.made_for_person:  # a real run learns these by id (`Planner.written`)
                    state.person_accounts.add(packed)
            if work.person is not None and work.person_name_key:
                self.people.remember(work.person_name_key, work.ref, work.person)
        for account_key, name_key, contact in self._names_made:
            key = hash((account_key, name_key))
            self.contact_names.add(key)
            if not contact.virtual and not _current(contact, "email"):
                self.contact_names_without_email.add(key)
        self._names_made = []
        for ref, email_key in linked_emails:
            self.account_links.add(hash((ref, email_key)))
        for email_key, accounts in individuals_by_email.items():
            best = min(_batch_rank(account, email_key) for account in accounts)
            known = self.individual_emails.get(hash(email_key))
            if known is None or best < known:
                self.individual_emails[hash(email_key)] = best
