"""Likely duplicates (docs/import-rules.md, "Likely duplicates"): pairs the exact keys do not
merge but a person should look at, between the file's new clients and the firm's accounts and
within the file. The dry run feeds `DuplicateFinder` the first row of every account it would
create; `find` compares them with each other and with the firm's accounts, read in chunks of
key columns only.

Blocking keeps the pass near-linear: only records that share a block are compared (an email,
a phone, or one of the name's words, by its first four letters, with the other words' initials
and the name's numbers; names equal apart from punctuation, order and legal forms share them all). A block too large to compare in full (a common name) compares each
record with its neighbours in the block's sorted order only; an email or a phone on more than
`SHARED` records is an office's or a family's, not a sign, and is not compared at all.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

from django.db import connection
from rapidfuzz import fuzz
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
# Existing accounts read and indexed at a time, and the file's own records indexed at a time:
# every file block entry is looked up once per chunk, so larger chunks cost fewer lookups and
# more memory (an index costs ~100 bytes a block entry, four entries a record).
CHUNK = 20_000
FILE_CHUNK = 50_000
NAME_WORDS = 4  # words of a name that make blocking keys

_WORD = re.compile(r"[^\W_]+")


def name_words(name: str) -> list[str]:
    """A name's words: case, accents and punctuation dropped ("Smith Co., L.L.C." -> smith co llc)."""
    text = (name or "").casefold().replace(".", "").replace("'", "")
    if not text.isascii():
        text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return _WORD.findall(text)


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
    seconds: float = 0.0  # the pass's own time within the dry run

    def as_dict(self) -> dict:
        return {"total": self.total, "comparisons": self.comparisons, "seconds": self.seconds,
                "pairs": [pair.as_dict() for pair in self.pairs]}


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


def block_keys(loose: str, emails, phones) -> list[int]:
    """The blocks a record belongs to, as hashes whose low two bits say the kind (0 a name,
    1 an email, 2 a phone): a hash is 8 bytes in an array, a string key ten times that."""
    keys = [hash("e" + email) & ~3 | 1 for email in emails]
    keys += [hash("p" + phone) & ~3 | 2 for phone in phones]
    if loose:
        words = loose.split()
        digits = "".join(word for word in words if word.isdigit())
        letters = [word for word in words if not word.isdigit()] or words
        initials = [word[0] for word in letters]
        for index in sorted(range(len(letters)), key=lambda at: -len(letters[at]))[:NAME_WORDS]:
            others = "".join(sorted(initials[:index] + initials[index + 1:]))
            keys.append(hash(f"t{letters[index][:4]}|{others}|{digits}") & ~3)
    return keys


def _record(side: Side, emails, phones) -> _Record:
    words = name_words(side.name)
    return _Record(side=side, words=words, loose=loose_name(words), emails=tuple(emails),
                   phones=tuple(phone.split(";", 1)[0] for phone in phones if phone.startswith("+")))


class DuplicateFinder:
    """Collects the file's side during the dry run, then finds the pairs (`find`).

    The file's side is kept compact, since a large file makes many clients: per record its row,
    its loose name and one packed string; its blocks as two arrays (key hash, record). Blocks are
    indexed a chunk at a time (`CHUNK` existing accounts, or `FILE_CHUNK` of the file's records)
    and every file block entry is looked up in that chunk's index: memory stays bounded, and the
    cost is a dictionary lookup per entry and chunk."""

    def __init__(self, *, max_pairs: int = MAX_PAIRS, chunk: int = CHUNK, file_chunk: int = FILE_CHUNK):
        self.rows = array("q")
        self.loose: list[str] = []
        self.packed: list[str] = []  # name, email, phone, emails, phones joined by \x1f
        self.keys = array("q")
        self.owners = array("q")
        self.first_key = array("q")  # each record's first entry in keys/owners
        self.max_pairs = max_pairs
        self.chunk, self.file_chunk = chunk, file_chunk
        self.comparisons = 0
        self.seconds = 0.0  # spent collecting (the pipeline adds it) and finding: what the pass costs
        self.shared: set[int] = set()  # the blocks of emails and phones on more than SHARED records

    def add_row(self, row: CleanRow) -> None:
        """A file row that would make a new client (or that the user decided about)."""
        people = row.people
        first = people[0] if people else None
        name = row.account.name if row.account is not None and row.account.name else (
            first.display_name if first else "")
        emails = [person.email_key for person in people if person.email_key][:3]
        phones = [phone.split(";", 1)[0] for person in people for phone in person.phones if phone[:1] == "+"][:3]
        loose = loose_name(name_words(name))
        index = len(self.rows)
        self.rows.append(row.number)
        self.loose.append(loose)
        self.packed.append("\x1f".join((name, first.email if first else "", first.phones[0] if first and first.phones
                                        else "", " ".join(emails), " ".join(phones))))
        self.first_key.append(len(self.keys))
        for key in dict.fromkeys(block_keys(loose, emails, phones)):
            self.keys.append(key)
            self.owners.append(index)

    def _file_record(self, index: int) -> _Record:
        name, email, phone, emails, phones = self.packed[index].split("\x1f")
        side = Side(row=self.rows[index], name=name, email=email, phone=phone)
        return _Record(side=side, words=name_words(name), loose=self.loose[index], emails=tuple(emails.split()),
                       phones=tuple(phones.split()))

    # -- finding ------------------------------------------------------------------------------
    def find(self, firm_id: int) -> Duplicates:
        started = time.perf_counter()
        found = Duplicates()
        per_record: dict[int, int] = {}
        self.shared = _shared_values(self.keys)
        for start in range(0, len(self.rows), self.file_chunk):
            self._within_file(start, min(start + self.file_chunk, len(self.rows)), found)
        if self.rows:
            for records in _existing_accounts(firm_id, self.chunk):
                self._against(records, found, per_record)
        found.comparisons = self.comparisons
        found.pairs.sort(key=_group_order)
        self.shared = set()
        found.seconds = round(self.seconds + time.perf_counter() - started, 3)
        return found

    def _within_file(self, start: int, end: int, found: Duplicates) -> None:
        """Pairs whose earlier record is one of the file's records start..end-1."""
        stop = self.first_key[end] if end < len(self.rows) else len(self.keys)
        index = _Index(self.keys[self.first_key[start]:stop], self.owners[self.first_key[start]:stop], self.loose)
        candidates = index.candidates(self.keys, self.owners, self.loose, self.shared,
                                      from_entry=self.first_key[start], earlier_only=True)
        for later, earlier, strong in candidates:
            self._compare(later, self.loose[earlier], lambda: self._file_record(earlier), strong, found, None)

    def _against(self, records: list[_Record], found: Duplicates, per_record: dict[int, int]) -> None:
        keys, owners = array("q"), array("q")
        for position, record in enumerate(records):
            for key in dict.fromkeys(block_keys(record.loose, record.emails, record.phones)):
                keys.append(key)
                owners.append(position)
        index = _Index(keys, owners, [record.loose for record in records])
        for row_index, position, strong in index.candidates(self.keys, self.owners, self.loose, self.shared):
            record = records[position]
            self._compare(row_index, record.loose, lambda: record, strong, found, per_record)

    def _compare(self, index: int, other_loose: str, other_of: Callable[[], _Record], strong: bool,
                 found: Duplicates, per_record: dict[int, int] | None) -> None:
        """Scores one candidate pair (file record `index`, the other side) and keeps it if a
        reason says so. The records are only unpacked for pairs worth a reason."""
        self.comparisons += 1
        loose = self.loose[index]
        score = fuzz.ratio(loose, other_loose, score_cutoff=THRESHOLD) if loose and other_loose else 0
        if not (strong or score or loose == other_loose):
            return
        if per_record is not None and per_record.get(index, 0) >= MAX_PER_RECORD:
            return
        record, other_record = self._file_record(index), other_of()
        reasons = pair_reasons(record, other_record, score)
        if not reasons:
            return
        if per_record is not None:
            per_record[index] = per_record.get(index, 0) + 1
        found.total += 1
        if len(found.pairs) < self.max_pairs:
            found.pairs.append(Pair(row=record.side, other=other_record.side, reasons=reasons, score=round(score)))


def _shared_values(keys: array) -> set[int]:
    """The email and phone blocks of more than SHARED of the file's records (counted over the
    whole file, not a chunk): an office's line or a family's address, not a sign of one client."""
    ordered = sorted(key for key in keys if key & 3)  # a list of ints: a third of a Counter's memory
    shared, run = set(), 1
    for at in range(1, len(ordered) + 1):
        if at < len(ordered) and ordered[at] == ordered[at - 1]:
            run += 1
            continue
        if run > SHARED:
            shared.add(ordered[at - 1])
        run = 1
    return shared


class _Index:
    """One chunk's blocks: key -> its records (positions), each large block also sorted by
    loose name for its neighbours."""

    def __init__(self, keys: array, owners: array, loose: list[str]):
        self.blocks: dict[int, list[int]] = {}
        for key, owner in zip(keys, owners):
            members = self.blocks.get(key)
            if members is None:
                self.blocks[key] = [owner]
            else:
                members.append(owner)
        self.loose = loose
        self._sorted: dict[int, tuple[list[str], list[int]]] = {}

    def candidates(self, keys: array, owners: array, loose: list[str], shared: set[int], *, from_entry: int = 0,
                   earlier_only: bool = False) -> Iterator[tuple[int, int, bool]]:
        """(record, a member of one of its blocks here, whether the block is an email or a
        phone) for each record of `keys`/`owners` from `from_entry`, once per pair."""
        blocks = self.blocks
        seen: set[int] = set()
        current = -1
        for at in range(from_entry, len(keys)):
            key = keys[at]
            members = blocks.get(key)
            if members is None:
                continue
            owner = owners[at]
            if owner != current:
                current, seen = owner, set()
            strong = bool(key & 3)
            if strong and (len(members) > SHARED or key in shared):
                continue  # an office's or a family's email or phone
            if len(members) > MAX_BLOCK:
                members = self._neighbours(key, members, loose[owner])
            for member in members:
                if (earlier_only and member >= owner) or member in seen:
                    continue
                seen.add(member)
                yield owner, member, strong

    def _neighbours(self, key: int, members: list[int], loose: str) -> list[int]:
        """A large block's records nearest `loose` in sorted order."""
        if key not in self._sorted:
            order = sorted(members, key=self.loose.__getitem__)
            self._sorted[key] = ([self.loose[member] for member in order], order)
        names, order = self._sorted[key]
        at = bisect_left(names, loose)
        return order[max(0, at - WINDOW):at + WINDOW]


def _group_order(pair: Pair) -> tuple:
    """Existing accounts first (by id), then file rows (by the earlier row): one group each."""
    other = pair.other
    return (0, other.account, pair.row.row) if other.account else (1, other.row, pair.row.row)


def _existing_accounts(firm_id: int, size: int = CHUNK) -> Iterator[list[_Record]]:
    """The firm's accounts, CHUNK at a time by id, each with its contacts' emails and phones:
    key columns only, so memory stays bounded whatever the firm's size."""
    quote = connection.ops.quote_name
    accounts, links, contacts = (quote(model._meta.db_table) for model in (Account, AccountContact, Contact))
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, name FROM {accounts} WHERE firm_id = %s AND id > %s ORDER BY id LIMIT %s",
                           [firm_id, after, size])
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
