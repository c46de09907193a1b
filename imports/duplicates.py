"""Likely duplicates (docs/import-rules.md, "Likely duplicates"): pairs the exact keys do not
merge but a person should look at, between the file's new clients and the firm's accounts and
within the file. The dry run feeds `DuplicateFinder` the first row of every account it would
create; `find` compares them with each other and with the firm's accounts, read in chunks of
key columns only.

Blocking keeps the pass near-linear: only records that share a block are compared (an email,
a phone, the name without punctuation, order and legal forms, or one word's first letters with
the others' initials). A block too large to compare in full (a common name) compares each
record with its neighbours in the block's sorted order only; an email or a phone on more than
`SHARED` records is an office's or a family's, not a sign, and is not compared at all.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from django.db import connection
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from crm.models import Account, AccountContact, Contact
from imports.cleaning.names import LEGAL_FORMS
from imports.extraction import CleanRow
from imports.mapping import Mapping
from imports.planning import DecidedDuplicates

THRESHOLD = 88  # fuzz.ratio of the loose names (= token_sort_ratio): "Jon Smith" / "John Smith" is 95
MAX_BLOCK = 30  # a block of more records compares each with its WINDOW neighbours only
WINDOW = 4
SHARED = 8  # an email or phone on more file records than this is shared, not a sign of one client
MAX_PAIRS = 5_000  # stored for the review; `total` counts them all
MAX_PER_RECORD = 10  # pairs of one file record with existing accounts
CHUNK = 5_000  # existing accounts read at a time
NAME_WORDS = 4  # words of a name that make blocking keys

_WORD = re.compile(r"[^\W_]+")


def name_words(name: str) -> list[str]:
    """A name's words: case, accents and punctuation dropped ("Smith Co., L.L.C." -> smith co llc)."""
    text = unicodedata.normalize("NFKD", name or "").casefold().replace(".", "").replace("'", "")
    return _WORD.findall("".join(char for char in text if not unicodedata.combining(char)))


def loose_name(words: list[str]) -> str:
    """The name as blocking and scoring see it: its words without legal forms, sorted."""
    return " ".join(sorted(word for word in words if word not in LEGAL_FORMS))


@dataclass(slots=True)
class Side:
    """One side of a pair as the review shows it: a file row or an existing account."""

    row: int = 0
    account: int = 0
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(slots=True)
class _Record:
    side: Side
    words: list[str]
    loose: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]


@dataclass
class Pair:
    row: Side  # the later file row: the one a decision sends
    other: Side  # an existing account, or an earlier file row
    reasons: list[str]
    score: int

    def as_dict(self) -> dict:
        return {"row": asdict(self.row), "other": asdict(self.other), "reasons": self.reasons, "score": self.score}


@dataclass
class Duplicates:
    pairs: list[Pair] = field(default_factory=list)
    total: int = 0
    comparisons: int = 0  # candidate pairs scored: what blocking keeps near-linear

    def as_dict(self) -> dict:
        return {"total": self.total, "comparisons": self.comparisons, "pairs": [pair.as_dict() for pair in self.pairs]}


def pair_reasons(a: _Record, b: _Record, score: float) -> list[str]:
    """Why two records may be one client, or none. Two clients of one name and nothing else in
    common are the planner's namesakes, already told apart and warned about (`same_name`): not
    listed, or a firm with two Mary Smiths would see every Mary Smith of every file."""
    reasons = []
    if set(a.emails) & set(b.emails):
        reasons.append("same email" if a.loose == b.loose else "same email, different name")
    if set(a.phones) & set(b.phones):
        reasons.append("same phone")
    if a.loose and _digits(a.words) == _digits(b.words):  # "Unit 5 LLC" and "Unit 6 LLC" are two clients
        if a.loose == b.loose:
            if " ".join(a.side.name.split()).casefold() == " ".join(b.side.name.split()).casefold():
                reasons.append("same name")
            elif sorted(a.words) == sorted(b.words):
                reasons.append("same name apart from punctuation or word order")
            else:
                reasons.append("same name apart from the legal suffix")
        elif score >= THRESHOLD:
            if Levenshtein.distance(a.loose, b.loose) == 1:
                reasons.append("names differ by one letter")
            else:
                reasons.append(f"similar names ({round(score)}%)")
    return [] if reasons == ["same name"] else reasons


def _digits(words: list[str]) -> list[str]:
    return sorted(word for word in words if word.isdigit())


def block_keys(record: _Record) -> Iterator[int]:
    """The blocks a record belongs to, as hashes (a set of ints is a fraction of a set of strings)."""
    for email in record.emails:
        yield hash(("e", email))
    for phone in record.phones:
        yield hash(("p", phone))
    if not record.loose:
        return
    yield hash(("n", record.loose))
    words = record.loose.split()
    digits = "".join(word for word in words if word.isdigit())
    letters = [word for word in words if not word.isdigit()]
    for index in sorted(range(len(letters)), key=lambda at: -len(letters[at]))[:NAME_WORDS]:
        others = "".join(sorted(other[0] for at, other in enumerate(letters) if at != index))
        yield hash(("t", letters[index][:4], others, digits))


def _record(side: Side, emails, phones) -> _Record:
    words = name_words(side.name)
    return _Record(side=side, words=words, loose=loose_name(words), emails=tuple(emails),
                   phones=tuple(phone.split(";", 1)[0] for phone in phones if phone.startswith("+")))


class DuplicateFinder:
    """Collects the file's side during the dry run, then finds the pairs (`find`)."""

    def __init__(self, *, max_pairs: int = MAX_PAIRS):
        self.records: list[_Record] = []
        self.blocks: dict[int, list[int]] = {}
        self.kinds: dict[int, str] = {}  # block hash -> "e"/"p" for the shared-value rule
        self.max_pairs = max_pairs
        self._sorted: dict[int, tuple[list[str], list[int]]] = {}

    def add_row(self, row: CleanRow) -> None:
        """A file row that would make a new client (or that the user decided about)."""
        people = row.people
        first = people[0] if people else None
        name = row.account.name if row.account is not None and row.account.name else (
            first.display_name if first else "")
        emails = [person.email_key for person in people if person.email_key][:3]
        phones = [phone for person in people for phone in person.phones][:3]
        side = Side(row=row.number, name=name, email=first.email if first else "",
                    phone=(first.phones[0] if first and first.phones else ""))
        record = _record(side, emails, phones)
        index = len(self.records)
        self.records.append(record)
        for key in block_keys(record):
            members = self.blocks.setdefault(key, [])
            if not members or members[-1] != index:
                members.append(index)
        for email in record.emails:
            self.kinds[hash(("e", email))] = "e"
        for phone in record.phones:
            self.kinds[hash(("p", phone))] = "p"

    # -- finding ------------------------------------------------------------------------------
    def find(self, firm_id: int) -> Duplicates:
        found = Duplicates()
        per_record: dict[int, int] = {}
        self._within_file(found)
        for records in _existing_accounts(firm_id):
            for record in records:
                self._against(record, found, per_record)
        found.pairs.sort(key=_group_order)
        return found

    def _usable(self, key: int, members: list[int]) -> bool:
        return not (self.kinds.get(key) and len(members) > SHARED)

    def _within_file(self, found: Duplicates) -> None:
        seen: set[tuple[int, int]] = set()
        for key, members in self.blocks.items():
            if len(members) < 2 or not self._usable(key, members):
                continue
            if len(members) <= MAX_BLOCK:
                candidates = ((members[i], members[j]) for i in range(len(members))
                              for j in range(i + 1, len(members)))
            else:
                order = sorted(members, key=lambda index: self.records[index].loose)
                candidates = ((order[i], order[j]) for i in range(len(order))
                              for j in range(i + 1, min(i + 1 + WINDOW, len(order))))
            for a, b in candidates:
                pair_key = (min(a, b), max(a, b))
                if pair_key in seen:
                    continue
                seen.add(pair_key)
                first, second = self.records[pair_key[0]], self.records[pair_key[1]]
                found.comparisons += 1
                score = fuzz.ratio(first.loose, second.loose, score_cutoff=THRESHOLD)
                reasons = pair_reasons(second, first, score)
                if reasons:
                    self._keep(found, Pair(row=second.side, other=first.side, reasons=reasons, score=round(score)))

    def _against(self, existing: _Record, found: Duplicates, per_record: dict[int, int]) -> None:
        candidates: set[int] = set()
        for key in block_keys(existing):
            members = self.blocks.get(key)
            if not members or not self._usable(key, members):
                continue
            if len(members) <= MAX_BLOCK:
                candidates.update(members)
            else:
                candidates.update(self._neighbours(key, members, existing.loose))
        if not candidates:
            return
        indexes = list(candidates)
        found.comparisons += len(indexes)
        scores = {index: score for _, score, index in process.extract(
            existing.loose, [self.records[index].loose for index in indexes], scorer=fuzz.ratio, processor=None,
            limit=None, score_cutoff=THRESHOLD)}
        for position, index in enumerate(indexes):
            record = self.records[index]
            reasons = pair_reasons(record, existing, scores.get(position, 0))
            if not reasons or per_record.get(index, 0) >= MAX_PER_RECORD:
                continue
            per_record[index] = per_record.get(index, 0) + 1
            self._keep(found, Pair(row=record.side, other=existing.side, reasons=reasons,
                                   score=round(scores.get(position, 0))))

    def _neighbours(self, key: int, members: list[int], loose: str) -> list[int]:
        """A large block's records nearest `loose` in sorted order."""
        if key not in self._sorted:
            order = sorted(members, key=lambda index: self.records[index].loose)
            self._sorted[key] = ([self.records[index].loose for index in order], order)
        names, order = self._sorted[key]
        at = bisect_left(names, loose)
        return order[max(0, at - WINDOW):at + WINDOW]

    def _keep(self, found: Duplicates, pair: Pair) -> None:
        found.total += 1
        if len(found.pairs) < self.max_pairs:
            found.pairs.append(pair)


def _group_order(pair: Pair) -> tuple:
    """Existing accounts first (by id), then file rows (by the earlier row): one group each."""
    other = pair.other
    return (0, other.account, pair.row.row) if other.account else (1, other.row, pair.row.row)


def _existing_accounts(firm_id: int) -> Iterator[list[_Record]]:
    """The firm's accounts, CHUNK at a time by id, each with its contacts' emails and phones:
    key columns only, so memory stays bounded whatever the firm's size."""
    quote = connection.ops.quote_name
    accounts, links, contacts = (quote(model._meta.db_table) for model in (Account, AccountContact, Contact))
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, name FROM {accounts} WHERE firm_id = %s AND id > %s ORDER BY id LIMIT %s",
                           [firm_id, after, CHUNK])
            chunk = cursor.fetchall()
            if not chunk:
                return
            cursor.execute(
                f"SELECT l.account_id, c.email, c.email_key, c.phones FROM {links} l JOIN {contacts} c "
                f"ON c.id = l.contact_id WHERE c.firm_id = %s AND l.account_id BETWEEN %s AND %s ORDER BY l.id",
                [firm_id, chunk[0][0], chunk[-1][0]])
            people: dict[int, list[tuple]] = {}
            for account_id, email, email_key, phones in cursor.fetchall():
                people.setdefault(account_id, []).append((email, email_key, phones))
        records = []
        for account_id, name in chunk:
            emails, phones, shown_email = [], [], ""
            for email, email_key, stored_phones in people.get(account_id, ())[:5]:
                if email_key:
                    emails.append(email_key)
                    shown_email = shown_email or email
                if stored_phones and stored_phones != "[]":
                    phones += json.loads(stored_phones) if isinstance(stored_phones, str) else stored_phones
            side = Side(account=account_id, name=name, email=shown_email, phone=phones[0] if phones else "")
            records.append(_record(side, emails, phones[:3]))
        yield records
        after = chunk[-1][0]


def decided_duplicates(firm_id: int, mapping: Mapping) -> DecidedDuplicates:
    """The mapping's "same client" decisions, with each chosen account checked against the
    firm: one deleted since (or another firm's, from a hand-edited mapping) is `gone`."""
    same = [decision for decision in mapping.duplicate_decisions if decision.decision == "same"]
    wanted = {decision.account for decision in same if decision.account}
    present = set(Account.objects.filter(firm_id=firm_id, pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    decided = DecidedDuplicates()
    for decision in same:
        if decision.other_row:
            decided.rows[decision.row] = decision.other_row
        elif decision.account in present:
            decided.accounts[decision.row] = decision.account
        else:
            decided.gone[decision.row] = decision.account
    return decided
