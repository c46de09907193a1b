"""Team members named in a file: which member an owner / assignee / preparer value means.

`MemberDirectory.find` is the one rule of that, used by row cleaning and by the settings step
(which lists the values it matches to nobody, so the firm decides for each). The directory is
pure and picklable: row cleaning runs it in worker processes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from crm.normalize import normalize_email_key, normalize_name_key
from imports.cleaning.names import comma_person_name
from imports.cleaning.text import scrub

# Columns whose values name team members: assignees (a list per cell) and roles (one per cell).
MEMBER_TARGETS = ("account.assignees", "account.role")

# A key shared by two members: the value names nobody for sure, so it matches nobody.
_AMBIGUOUS = 0
_WORDS = re.compile(r"[^\W\d_]+")
_ANGLE_EMAIL = re.compile(r"<\s*([^<>\s]+@[^<>\s]+)\s*>")
_STRONG_SEPARATORS = re.compile(r"[;\r\n]|:::")
MAX_VALUE_LENGTH = 200


def member_value_key(value: str) -> str:
    """A value as the user sees it: "ann lee" and " Ann  Lee" are one entry of the settings
    step, and one choice applies to both."""
    return normalize_name_key(scrub(value), MAX_VALUE_LENGTH)


def _name_words(value: str) -> list[str]:
    """The words of a person's name, case and accents ignored, "Family, Given" turned round:
    "Lee, Ann" and "ANN  LÉE" are ["ann", "lee"]."""
    person = comma_person_name(value)
    if person is not None:
        value = f"{person[0]} {person[1]}"
    return _words(value)


def _words(value: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORDS.findall(plain)


@dataclass
class MemberDirectory:
    """The firm's active team members, indexed by every way a file may name them.

    Each index maps a key to a membership id, or to `_AMBIGUOUS` when two members share it
    (two Anns: "Ann" names neither).
    """

    emails: dict[str, int] = field(default_factory=dict)
    full_names: dict[str, int] = field(default_factory=dict)  # "ann marie lee"
    first_last: dict[str, int] = field(default_factory=dict)  # "ann lee" (middle names left out)
    initial_last: dict[str, int] = field(default_factory=dict)  # "a lee"
    first_initial: dict[str, int] = field(default_factory=dict)  # "ann l"
    first_names: dict[str, int] = field(default_factory=dict)  # "ann"
    # The firm's decisions for values the rule matches to nobody (settings step, or the
    # mapping's `member_names`): value key -> membership id, or None for "nobody".
    choices: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def build(cls, members: Iterable[tuple[int, str, str]]) -> MemberDirectory:
        """From (membership id, email, full name) of the firm's active members."""
        directory = cls()
        for pk, email, full_name in members:
            _add(directory.emails, normalize_email_key(email), pk)
            words = _name_words(full_name or "")
            if not words:
                continue
            _add(directory.full_names, " ".join(words), pk)
            _add(directory.first_names, words[0], pk)
            if len(words) > 1:
                first, last = words[0], words[-1]
                _add(directory.first_last, f"{first} {last}", pk)
                _add(directory.initial_last, f"{first[0]} {last}", pk)
                _add(directory.first_initial, f"{first} {last[0]}", pk)
        return directory

    def find(self, value: str) -> int | None:
        """The member `value` names, or None when it names nobody for sure.

        By email (case-insensitive, also "Ann Lee <ann@firm.example>"); by full name in any
        case, accents, spacing or "Family, Given" order; without middle names ("Ann Lee" for Ann
        Marie Lee); by initial ("A. Lee", "Ann L."); by first name alone ("Ann"). Every key must
        belong to one member only: with two Anns, "Ann" matches nobody.
        """
        value = scrub(value)[:MAX_VALUE_LENGTH]
        bracketed = _ANGLE_EMAIL.search(value)
        if bracketed is not None:
            return _sure(self.emails.get(normalize_email_key(bracketed[1])))
        if "@" in value:
            return _sure(self.emails.get(normalize_email_key(value)))
        found = self._find_name(_name_words(value))
        if found is None and value.count(",") == 1:
            # "Manager, Mia": a family name the general rule of person names doubts (a word
            # that is also a job title), turned round all the same; only a member's name matches.
            family, _, given = value.partition(",")
            found = self._find_name(_words(f"{given} {family}"))
        return found

    def _find_name(self, words: list[str]) -> int | None:
        if not words:
            return None
        if len(words) == 1:
            return _sure(self.first_names.get(words[0]))
        found = self.full_names.get(" ".join(words))
        if found is None:
            first, last = words[0], words[-1]
            if len(last) == 1:
                found = self.first_initial.get(f"{first} {last}")
            elif len(first) == 1:
                found = self.initial_last.get(f"{first} {last}")
            else:
                found = self.first_last.get(f"{first} {last}")
        return _sure(found)

    def resolve(self, value: str) -> tuple[int | None, bool]:
        """(member id or None, decided): the firm's choice for `value` when it made one, else
        the rule. Not decided means nobody was found and nobody chose: the row is warned."""
        key = member_value_key(value)
        if key in self.choices:
            return self.choices[key], True
        found = self.find(value)
        return found, found is not None

    def names_in(self, cell: str) -> list[str]:
        """The members an assignees cell names: separated by ";", line breaks or ":::", and by
        commas unless the comma is inside one name ("Lee, Ann")."""
        names: list[str] = []
        seen: set[str] = set()
        for part in _STRONG_SEPARATORS.split(cell):
            for name in self._comma_names(scrub(part)):
                key = member_value_key(name)
                if key and key not in seen:
                    seen.add(key)
                    names.append(name)
        return names

    def _comma_names(self, part: str) -> list[str]:
        if "," not in part or self._known(part):
            return [part]
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        if all(self._known(piece) for piece in pieces):
            return pieces
        return [part] if comma_person_name(part) is not None else pieces

    def _known(self, value: str) -> bool:
        return self.resolve(value)[1]


def _add(index: dict[str, int], key: str, pk: int) -> None:
    if key:
        index[key] = pk if index.get(key, pk) == pk else _AMBIGUOUS


def _sure(found: int | None) -> int | None:
    return None if found == _AMBIGUOUS else found


def member_cell_names(directory: MemberDirectory, target: str, cell: str) -> list[str]:
    """The names one cell of a member column holds: a role names one member, an assignees
    cell may name several."""
    if target == "account.role":
        value = scrub(cell)
        return [value] if value else []
    return directory.names_in(cell)


# --- The settings step's list: values of the file that name no member --------------------------

MAX_LISTED_NAMES = 200


@dataclass
class UnmatchedName:
    name: str  # as first written in the file
    rows: int  # rows naming it


@dataclass
class UnmatchedNames:
    names: list[UnmatchedName] = field(default_factory=list)
    more: bool = False  # further values name nobody, beyond MAX_LISTED_NAMES

    def to_dict(self) -> dict:
        return {"names": [[n.name, n.rows] for n in self.names], "more": self.more}

    @classmethod
    def from_dict(cls, data: dict) -> UnmatchedNames:
        return cls([UnmatchedName(name, rows) for name, rows in data.get("names", [])], bool(data.get("more")))


def unmatched_names(rows: Iterator[list[str]], columns: list[tuple[int, str]], directory: MemberDirectory, *,
                    limit: int | None = None) -> UnmatchedNames:
    """The distinct values of the member columns that `directory.find` matches to nobody, in
    file order, with the number of rows naming each: one streaming pass; at most `limit` are
    kept. `columns` are (cell index, target). The firm's earlier choices do not hide a value:
    the list shows them so they can be changed."""
    limit = MAX_LISTED_NAMES if limit is None else limit
    found: dict[str, UnmatchedName] = {}
    matched: set[str] = set()  # bounded by the members' ways of being named, not by the file
    result = UnmatchedNames()
    for cells in rows:
        in_row: set[str] = set()
        for index, target in columns:
            cell = cells[index] if index < len(cells) else ""
            if not cell or cell.isspace():
                continue
            for name in member_cell_names(directory, target, cell):
                key = member_value_key(name)
                if not key or key in in_row or key in matched:
                    continue
                in_row.add(key)
                entry = found.get(key)
                if entry is not None:
                    entry.rows += 1
                elif directory.find(name) is not None:
                    matched.add(key)
                elif len(found) < limit:
                    found[key] = UnmatchedName(name, 1)
                else:
                    result.more = True
    result.names = list(found.values())
    return result


def directory_signature(members: Iterable[tuple[int, str, str]]) -> str:
    """Changes when the firm's active members (or their names) change: a stored list of
    unmatched names is only good for the members it was computed with."""
    digest = hashlib.sha256()
    for pk, email, full_name in sorted(members):
        digest.update(f"{pk}\0{email}\0{full_name}\n".encode())
    return digest.hexdigest()[:16]


def active_member_rows(firm) -> list[tuple[int, str, str]]:
    """(membership id, email, full name) of the firm's active team members."""
    from crm.models import Membership

    return list(Membership.objects.filter(firm=firm, is_active=True).values_list(
        "pk", "user__email", "user__full_name").order_by("pk"))


def member_directory(firm, choices: dict[str, str] | None = None, *,
                     members: list[tuple[int, str, str]] | None = None) -> MemberDirectory:
    """The firm's directory with the firm's choices (value -> member email, "" for nobody). A
    choice naming someone no longer an active member is no choice: the row is warned again."""
    directory = MemberDirectory.build(active_member_rows(firm) if members is None else members)
    for value, email in (choices or {}).items():
        key = member_value_key(value)
        if not key:
            continue
        if not email:
            directory.choices[key] = None
        elif normalize_email_key(email) in directory.emails:
            directory.choices[key] = directory.emails[normalize_email_key(email)]
    return directory
