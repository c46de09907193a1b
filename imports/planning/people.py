"""A person as the planner tells namesakes apart (`Person`), first names as integer prints, and
the small helpers they read a contact's values with (`_current`: as the plan leaves them)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from crm.normalize import contact_name_key, normalize_email_key, normalize_name_key
from imports.extraction import PersonData
from imports.planning.snapshots import ContactSnapshot

if TYPE_CHECKING:
    from imports.planning.plan import ContactWork


@dataclass(slots=True)
class Person:
    """What tells two people of one name apart (docs/import-rules.md, "Matching"): a value of
    one that the other has differently means two people. Empty values contradict nothing."""

    email: str = ""  # email key
    phones: frozenset[str] = frozenset()
    date_of_birth: object = None
    tax_id: str = ""
    postal_code: str = ""
    # Which contact of its account this is (`_contact_identity`): an account may hold two
    # contacts of its own name, and its person is the first linked.
    contact: str = ""

    @classmethod
    def of(cls, person: PersonData) -> Person:
        return cls(
            email=person.email_key, phones=frozenset(person.phones), date_of_birth=person.date_of_birth,
            tax_id=_digits(person.tax_id), postal_code=_postal(person.postal_code),
            contact=_contact_identity(person.email_key, person.name_key),
        )

    @classmethod
    def of_contact(cls, work: ContactWork) -> Person:
        """The person as the plan leaves the contact (its stored values, then the plan's)."""
        stored = work.snapshot.phones if work.snapshot is not None else []
        email = normalize_email_key(_current(work, "email"))
        return cls(
            email=email, phones=frozenset([*stored, *work.phones]),
            date_of_birth=_current(work, "date_of_birth") or None, tax_id=_digits(_current(work, "tax_id")),
            postal_code=_postal(_current(work, "postal_code")), contact=_contact_identity(email, work.name_key),
        )

    @classmethod
    def of_snapshot(cls, contact: ContactSnapshot) -> Person:
        values = contact.values
        email = normalize_email_key(values.get("email") or "")
        return cls(
            email=email, phones=frozenset(contact.phones),
            date_of_birth=values.get("date_of_birth"), tax_id=_digits(values.get("tax_id") or ""),
            postal_code=_postal(values.get("postal_code") or ""),
            contact=_contact_identity(email, contact_name_key(values.get("first_name") or "",
                                                              values.get("last_name") or "")),
        )

    def contradicts(self, other: Person) -> str:
        """The first value that tells these two apart ("email", "phone", ...), or ""."""
        if self.email and other.email and self.email != other.email:
            return "email"
        if self.phones and other.phones and not self.phones & other.phones:
            return "phone"
        if self.date_of_birth and other.date_of_birth and self.date_of_birth != other.date_of_birth:
            return "date of birth"
        if self.tax_id and other.tax_id and self.tax_id != other.tax_id:
            return "tax ID"
        if self.postal_code and other.postal_code and not (
            self.postal_code.startswith(other.postal_code) or other.postal_code.startswith(self.postal_code)
        ):
            return "postal code"
        return ""

    def merged(self, other: Person) -> Person:
        """The person once `other`'s values filled the empty ones (as the additive rule does)."""
        return Person(
            email=self.email or other.email, phones=self.phones | other.phones,
            date_of_birth=self.date_of_birth or other.date_of_birth, tax_id=self.tax_id or other.tax_id,
            postal_code=self.postal_code or other.postal_code, contact=self.contact,
        )


def _next_email(person: PersonData) -> PersonData:
    """The person with their primary email left out: their next email (if any) is the primary one."""
    email = person.additional_emails[0] if person.additional_emails else ""
    return replace(person, email=email, email_key=normalize_email_key(email), email_column="",
                   additional_emails=person.additional_emails[1:])


def _first_name_print(first_name: str, last_name: str = "") -> int:
    """A contact's first name as an integer that a dry run's memory can keep: 0 for no name at
    all, 1 for a last name only, else the initial, whether it is only an initial ("J.") and a
    hash of the whole first name."""
    key = _first_name_key(first_name)
    if not key:
        return 1 if last_name.strip() else 0
    return (ord(key[0]) & 0xFFFF) << 40 | (len(key) == 1) << 39 | hash(key) & ((1 << 39) - 1)


@lru_cache(maxsize=65536)
def _first_name_key(first_name: str) -> str:
    # Asked twice for every person of every row; a file repeats a few thousand first names.
    return normalize_name_key(first_name, 100).rstrip(".").strip()


def _first_names_differ(a: int, b: int) -> bool:
    """Two people by their first names' prints: both known and different, an initial matching
    any name it starts ("J." is John)."""
    if a <= 1 or b <= 1 or a == b:
        return False
    if (a >> 39) & 1 or (b >> 39) & 1:
        return a >> 40 != b >> 40
    return True


def _contact_identity(email_key: str, name_key: str) -> str:
    """A contact within its account: its email, or its name for one without ("|" first)."""
    return email_key or f"|{name_key}"


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _postal(text: str) -> str:
    """"02118-1234" and "02118" agree (ZIP+4 starts with the ZIP); so do "SW1A 1AA" and "sw1a1aa"."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _current(work: ContactWork, name: str):
    """A contact's value as the plan leaves it."""
    value = work.values.get(name)
    if value in (None, "") and work.snapshot is not None:
        value = work.snapshot.values.get(name)
    return value or ""
