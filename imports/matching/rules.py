"""Automatic column mapping: which field each column of an uploaded file feeds (docs/import-rules.md).

`suggest_mapping(headers, sample_rows)` proposes a complete `Mapping` the wizard shows and the CLI
runs without `--mapping`. For each header, in this order:

1. the header of a known export as that export means it (`presets.PRESET_OVERRIDES`);
2. a target's own label ("Account name", "Contact 2 email": what `target_label` gives, so a
   Clientport export re-imports unchanged);
3. a firm role or custom field of that name ("Tax preparer", "Filing status");
4. the synonym table (`imports.presets`): real header names of common exports;
5. fuzzy matching, accepted only for an unambiguous winner (a typo, not a guess).

All comparisons are on `normalize_header`. Then the file as a whole settles what one header alone
cannot: one address block for the contact (home before business, unless only business has data;
a business block is kept beside it as the business address), the street among
QuickBooks' free-form "Bill to" lines, and one column per single-column target (the best one; a
second email becomes an additional email). A column nothing fits becomes a custom field: the
firm's field of the same meaning when there is one ("Position" fills "Occupation",
`presets.FIELD_MEANINGS`), else a new one named after the meaning or the header and typed from its
values. An empty column is ignored; the exporting system's bookkeeping (`presets.BOOKKEEPING`:
HubSpot's Record ID, IIF's REFNUM) is offered, not created; the Row and Reason columns of our own
skipped-rows file are ignored. Nothing here touches the database.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from imports import presets
from imports.cleaning import (
    clean_date,
    clean_emails,
    clean_url,
    looks_like_ein,
    looks_like_organisation,
    looks_like_tax_id,
)
from imports.cleaning.addresses import looks_like_street_line, split_city_line
from imports.mapping import (
    ADDRESS_FIELDS,
    BUSINESS_ADDRESS_FIELDS,
    IGNORE,
    KINDS,
    MAX_PEOPLE_PER_ROW,
    MULTI_FIELDS,
    NAMED_FIELDS,
    PERSON_FIELDS,
    AccountTypeChoice,
    ColumnMapping,
    Mapping,
    person_prefix,
)
from imports.presets import Synonym

# A fuzzy winner must score this much (0-100: the share of letters that need no edit, a swap of
# two letters being one edit) and beat the best candidate for any *other* target by this margin;
# anything less is a guess and the user decides. 87 allows one typo in a header of 8+ letters
# ("Frist Name", "Emial Address") and two from 16.
FUZZY_MIN_SCORE = 87
FUZZY_MIN_MARGIN = 8
FUZZY_MIN_LENGTH = 5  # shorter headers ("Stat", "Zp") have too many near neighbours to guess
CUSTOM_FIELD_NAME_MAX = 100  # crm.CustomField.name
# Synonyms ranked at least this only restate other columns (Google "Address 1 - Formatted"): when
# they lose their target they are ignored instead of becoming a custom field.
DERIVED_RANK = 5

ADDRESS_ATTRIBUTES = ADDRESS_FIELDS
BUSINESS_BLOCK = "business"
_NEW_CUSTOM = ("account.custom", "contact.custom")
_PRIMARY_IDENTITY = {"contact.first_name", "contact.last_name", "contact.full_name", "contact.email"}


@dataclass(frozen=True)
class FieldSpec:
    """A firm's existing custom field, passed in by the caller."""

    applies_to: str  # "account" | "contact"
    name: str
    field_type: str  # one of imports.mapping.FIELD_TYPES
    options: tuple[str, ...] = ()


# --- Normalisation ----------------------------------------------------------------------------
_EMAIL_WORD = re.compile(r"\be[\s_.\-]?mail", re.IGNORECASE)
_LOWER_UPPER = re.compile(r"(?<=[a-z])(?=[A-Z])")  # emailAddress -> email Address
_ACRONYM_WORD = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")  # POAddress -> PO Address
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")  # Line1 -> Line 1
_NON_WORD = re.compile(r"[\W_]+")


def normalize_header(header: str) -> str:
    """The comparable form of a header: lower-case words separated by single spaces.

    Case, accents, punctuation, underscores and camelCase are folded, "E-mail" is "email", and
    digits are split from letters: "E-mail Address", "email_address" and "EmailAddress" all give
    "email address"; "*ContactName" gives "contact name"; "Person1Email" gives "person 1 email".
    """
    text = unicodedata.normalize("NFKC", header or "").replace("\ufeff", "")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("'", "").replace("\u2019", "")  # "Assistant's Phone" -> "Assistants Phone"
    text = _EMAIL_WORD.sub("email", text)
    if any(c.islower() for c in text) and any(c.isupper() for c in text):
        text = _ACRONYM_WORD.sub(" ", _LOWER_UPPER.sub(" ", text))
    text = _LETTER_DIGIT.sub(" ", text)
    text = text.replace("&", " and ").replace("#", " number ")
    return " ".join(_NON_WORD.sub(" ", text).casefold().split())


def _key(header: str) -> str:
    """Lookup key: the normalised header without spaces, so "FIRSTNAME" == "First Name"."""
    return normalize_header(header).replace(" ", "")


def _digits(normalized: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", normalized))


def _sorted_key(normalized: str) -> str:
    """Lookup key with the words sorted: "Name First" finds "First Name"."""
    return "".join(sorted(normalized.split()))


# --- Target labels ------------------------------------------------------------------------
_ACCOUNT_LABELS = {
    "name": "Account name", "type": "Account type", "company_name": "Company name", "client_id": "Client ID",
    "tags": "Tags", "assignees": "Assignees", "status": "Account status", "street": "Account street",
    "street2": "Account address line 2", "city": "Account city", "state": "Account state/region",
    "postal_code": "Account postal code", "country": "Account country", "tax_id": "Account EIN/tax ID",
}
_PERSON_LABELS = {
    "full_name": "Full name", "prefix": "Prefix", "first_name": "First name", "middle_name": "Middle name",
    "last_name": "Last name", "suffix": "Suffix", "email": "Email", "additional_emails": "Additional emails",
    "phone": "Phone", "date_of_birth": "Date of birth", "tax_id": "SSN/TIN",
}
_CONTACT_LABELS = {
    "street": "Street address", "street2": "Address line 2", "city": "City", "state": "State/Region",
    "postal_code": "Postal code", "country": "Country", "notes": "Notes", "tags": "Contact tags",
    "business_street": "Business street", "business_street2": "Business address line 2",
    "business_city": "Business city", "business_state": "Business state/region",
    "business_postal_code": "Business postal code", "business_country": "Business country",
}


def target_label(target: str, field: str = "") -> str:
    """The human name of a target; also a header that maps straight back to it.

    Use it for the wizard's field list and for export headers: `match_header(target_label(t))`
    is `t` (round trip: export, edit, re-import).
    """
    record, _, attribute = target.partition(".")
    if attribute in NAMED_FIELDS:
        return field or ("Role" if attribute == "role" else "Custom field")
    if record == "account":
        return _ACCOUNT_LABELS[attribute]
    if record == "contact":
        return _PERSON_LABELS.get(attribute) or _CONTACT_LABELS[attribute]
    label = _PERSON_LABELS[attribute]
    if not label[:2].isupper():  # keep "SSN/TIN" as written
        label = label[0].lower() + label[1:]
    return f"Contact {record.removeprefix('contact')} {label}"


def _label_targets() -> list[str]:
    targets = [f"account.{a}" for a in _ACCOUNT_LABELS]
    targets += [f"contact.{a}" for a in (*_PERSON_LABELS, *_CONTACT_LABELS)]
    for index in range(2, MAX_PEOPLE_PER_ROW + 1):
        targets += [f"{person_prefix(index)}.{a}" for a in PERSON_FIELDS]
    return targets


# --- The compiled synonym table -------------------------------------------------------------
class _Table:
    """Normalised synonyms; a header given two different meanings is a bug, raised when built."""

    def __init__(self) -> None:
        self.synonyms: dict[str, Synonym] = {}
        self.spaced: dict[str, str] = {}
        # Generated from two-letter words ("SP SSN", "PO City"): one typo away from too much, so
        # matched exactly only, never fuzzily.
        self.exact_only: set[str] = set()

    def add(self, header: str, synonym: Synonym, *parts: str) -> None:
        key = _key(header)
        if not key:
            return
        existing = self.synonyms.get(key)
        if existing is None:
            self.synonyms[key] = synonym
            self.spaced[key] = normalize_header(header)
            if any(len(_key(part)) <= 2 for part in parts):
                self.exact_only.add(key)
        elif existing.target != synonym.target:
            raise ValueError(
                f"imports.presets gives header {header!r} two meanings: {existing.target} and {synonym.target}."
            )
        # Same target twice: the first (more specific) definition stands.


def _build_table() -> tuple[_Table, frozenset[str]]:
    table = _Table()
    labels = {_key(target_label(t)): t for t in _label_targets()}
    for key, target in labels.items():  # labels first: they must mean their own target
        business = target.partition(".")[2] in BUSINESS_ADDRESS_FIELDS  # "Business street": that block
        table.synonyms[key] = Synonym(target, block=BUSINESS_BLOCK if business else "")
        table.spaced[key] = normalize_header(target_label(target))
    for header in presets.IGNORED:
        table.add(header, Synonym(IGNORE))
    for kind in presets.GOOGLE_LABELLED:
        for n in range(1, 10):
            for suffix in ("label", "type", "service"):
                table.add(f"{kind} {n} {suffix}", Synonym(IGNORE))
    for target, names in presets.KNOWN_CUSTOM.items():
        for name in names:
            table.add(name, Synonym(target))
    for target, names in (*presets.OTHER.items(), *presets.ACCOUNT.items()):
        for name, rank in names:
            table.add(name, Synonym(target, rank=rank))
    for attribute, names in presets.PRIMARY_PERSON.items():
        for name, rank in names:
            table.add(name, Synonym(f"contact.{attribute}", rank=rank))
    _add_people(table)
    _add_addresses(table)
    for meaning in presets.FIELD_MEANINGS:  # last: "Title" stays special (a courtesy title or a job)
        for header in meaning.headers:
            if _key(header) not in table.synonyms:
                table.add(header, Synonym(f"{meaning.side}.custom"))
    return table, frozenset(labels)


def _add_people(table: _Table) -> None:
    for record, prefixes in presets.PERSON_PREFIXES.items():
        for prefix in prefixes:
            for attribute, words in presets.PERSON_FIELD_WORDS.items():
                for word in words:
                    excluded = presets.PERSON_PREFIX_EXCLUDED
                    if (prefix, attribute) in excluded or (prefix, word) in excluded:
                        continue
                    table.add(f"{prefix} {word}", Synonym(f"{record}.{attribute}"), prefix, word)
    for record, suffixes in presets.PERSON_SUFFIXES.items():
        for suffix in suffixes:
            for attribute, words in presets.PERSON_FIELD_WORDS.items():
                for word in words:
                    table.add(f"{word} {suffix}", Synonym(f"{record}.{attribute}"), word, suffix)
    # Xero: FirstName/LastName/EmailAddress are the primary person, Person1..Person5 the others.
    for n in range(1, 6):
        for attribute in ("full_name", "first_name", "last_name", "email", "phone"):
            for word in presets.PERSON_FIELD_WORDS[attribute]:
                table.add(f"person {n} {word}", Synonym(f"person{n}.{attribute}", person=n))
        table.add(f"person {n} include in email", Synonym(IGNORE))
        table.add(f"person {n} include in emails", Synonym(IGNORE))


def _add_addresses(table: _Table) -> None:
    for block, prefixes in presets.ADDRESS_BLOCKS:
        side = "contact.business_" if block == BUSINESS_BLOCK else "contact."  # see _choose_address_block
        for prefix in prefixes:
            for attribute, words in presets.ADDRESS_WORDS.items():
                for word, rank in words:
                    table.add(f"{prefix} {word}", Synonym(f"{side}{attribute}", rank=rank, block=block), prefix, word)
            for word in presets.FORMATTED_ADDRESS_WORDS:
                table.add(f"{prefix} {word}", Synonym(f"{side}street", rank=DERIVED_RANK, block=block), prefix)
    for block, prefixes in presets.ADDRESS_LINES.items():
        for prefix in prefixes:
            for n in range(1, 6):
                table.add(f"{prefix} {n}", Synonym("contact.street", rank=2, block=block, line=n))


@dataclass(frozen=True)
class _Compiled:
    synonyms: dict[str, Synonym]
    labels: frozenset[str]
    fuzzy_keys: list[str]  # parallel lists, for rapidfuzz
    fuzzy_spaced: list[str]
    fuzzy_sorted: list[str]
    overrides: dict[str, dict[str, Synonym]]
    meanings: dict[str, presets.FieldMeaning]  # header key -> its custom field's meaning
    preset_meanings: dict[str, dict[str, presets.FieldMeaning]]
    bookkeeping: frozenset[str]  # header keys


@functools.cache
def _compiled() -> _Compiled:
    """Built on first use (about a quarter of a second), not at import: most processes never match."""
    table, labels = _build_table()
    keys = [key for key in table.synonyms if key not in table.exact_only]
    spaced = [table.spaced[k] for k in keys]
    overrides = {
        preset: {_key(header): synonym for header, synonym in entries.items()}
        for preset, entries in presets.PRESET_OVERRIDES.items()
    }
    by_name = {meaning.name: meaning for meaning in presets.FIELD_MEANINGS}
    meanings = {_key(header): meaning for meaning in presets.FIELD_MEANINGS for header in meaning.headers}
    preset_meanings = {
        preset: {_key(header): by_name[name] for header, name in entries.items()}
        for preset, entries in presets.PRESET_FIELD_MEANINGS.items()
    }
    return _Compiled(table.synonyms, labels, keys, spaced, [_sorted_key(s) for s in spaced], overrides,
                     meanings, preset_meanings, frozenset(_key(header) for header in presets.BOOKKEEPING))


_BLOCK_ORDER = {block: order for order, (block, _) in enumerate(presets.ADDRESS_BLOCKS)}


def synonym_table() -> dict[str, Synonym]:
    """The compiled table (normalised key without spaces -> meaning), for tests and tooling."""
    return dict(_compiled().synonyms)


# --- Presets --------------------------------------------------------------------------------
def detect_preset(headers: list[str]) -> str:
    """The known export these headers come from ("google-contacts", "xero", ...), or ""."""
    keys = {_key(h) for h in headers}
    starred = {_key(h) for h in headers if h.strip().startswith("*")}
    for name, signatures in presets.PRESET_SIGNATURES:
        for signature in signatures:
            if all(_key(s) in (starred if s.startswith("*") else keys) for s in signature):
                return name
    return ""


# --- Field types ------------------------------------------------------------------------------
_PLACEHOLDERS = {"n/a", "na", "-", "--", "none", "null", "nil"}
# Values an export writes where nothing was entered (Outlook's Gender "Unspecified" on every row):
# a column of only these (and placeholders) has no data to keep.
_NOTHING_ENTERED = _PLACEHOLDERS | {"unspecified", "not specified", "unknown", "not set"}
_YES_NO = {"yes", "no", "y", "n", "true", "false", "t", "f", "on", "off", "checked", "unchecked", "0", "1"}
_NUMBER = re.compile(
    r"^[+-]?\(?[$€£]?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?%?$"  # 1,234.56  ($12)  7%
    r"|^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$"  # 1.234,56  12,5
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_NUMERIC = re.compile(
    r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]m|z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    rf"^(?:\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})$", re.IGNORECASE
)
_DATE_NO_YEAR = re.compile(r"^--\d{2}-\d{2}$")  # Google Contacts birthday without a year
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_URL = re.compile(
    r"^(?:https?://|www\.)\S+$"
    r"|^[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|org|net|edu|gov|io|co|us|uk|ca|de|fr|info|biz|me|app)(?:/\S*)?$",
    re.IGNORECASE,
)
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-]+(?:\s*(?:x|ext\.?)\s*\d+)?$", re.IGNORECASE)


def guess_field_type(values: Sequence[str]) -> str:
    """The custom-field type these sample values fit; "text" unless every value agrees.

    Empty cells and placeholders ("N/A", "-") are ignored. Codes with leading zeros (ZIP codes,
    IDs) stay text, phone numbers need their formatting (a bare 10-digit run is a number), and
    "dropdown" needs many values drawn from a handful of short choices.
    """
    cleaned = [str(v).strip() for v in values if v is not None]
    cleaned = [v for v in cleaned if v and v.casefold() not in _PLACEHOLDERS]
    if not cleaned:
        return "text"
    lowered = [v.casefold() for v in cleaned]
    if all(v in _YES_NO for v in lowered) and any(v.isalpha() for v in lowered):
        return "yes_no"
    if all(_is_date(v) for v in cleaned):
        return "date"
    if all(_is_number(v) for v in cleaned):
        return "number"
    if all(_EMAIL.match(v) and _is_email(v) for v in cleaned):
        return "email"
    if all(_URL.match(v) and clean_url(v)[0] for v in cleaned):
        return "url"
    if all(_is_phone(v) for v in cleaned):
        return "phone"
    if _is_dropdown(cleaned):
        return "dropdown"
    return "text"


def _is_number(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if len(digits) > 15:  # card and account numbers: identifiers, not quantities
        return False
    if re.match(r"^[+-]?0\d", value) and not re.match(r"^[+-]?0[.,]", value):  # 02134: a code
        return False
    return bool(_NUMBER.match(value))


def _is_date(value: str) -> bool:
    """Written like a date, and a real one when the importer reads it in either firm order."""
    if _DATE_NO_YEAR.match(value):
        return True
    if not (_DATE_WORDS.match(value) or _DATE_NUMERIC.match(value)):
        return False
    return any(clean_date(value, date_order=order)[0] is not None for order in ("MDY", "DMY"))


def _is_email(value: str) -> bool:
    """One address the importer takes as it is."""
    emails, problems = clean_emails(value)
    return len(emails) == 1 and not problems


def _is_phone(value: str) -> bool:
    if not _PHONE_CHARS.match(value):
        return False
    number = re.split(r"(?i)\s*(?:x|ext\.?)\s*\d+$", value)[0]
    digits = re.sub(r"\D", "", number)
    formatted = number.strip().startswith("+") or bool(re.search(r"[\s().\-]", number.strip()))
    return formatted and (10 <= len(digits) <= 15 or (number.strip().startswith("+") and 7 <= len(digits) <= 15))


def _is_dropdown(values: list[str]) -> bool:
    distinct = {v.casefold() for v in values}
    return (
        len(values) >= 10
        and len(distinct) <= 5
        and len(distinct) * 3 <= len(values)
        and all(len(v) <= 25 for v in values)
    )


# --- Matching one header --------------------------------------------------------------------
@dataclass
class _Context:
    kind: str
    preset: str = ""
    roles: dict[str, str] = field(default_factory=dict)  # key -> role name as the firm spells it
    role_names: tuple[str, ...] = ()
    custom: dict[str, FieldSpec] = field(default_factory=dict)  # key -> field usable in this kind
    # Contact fields named like an account field: a second column of that name is the contact's
    # (a Clientport export writes account fields first, then contact fields).
    contact_twins: dict[str, FieldSpec] = field(default_factory=dict)
    has_person_name: bool = False  # the file has first/last/full-name columns for the primary person
    shift_people: bool = False  # Xero-style "Person N" columns with no primary person: Person 1 is it
    # The firm's field of each meaning (presets.FIELD_MEANINGS) usable in this kind, by meaning name.
    meaning_fields: dict[str, FieldSpec] = field(default_factory=dict)

    def meaning_of(self, header: str) -> presets.FieldMeaning | None:
        key, table = _key(header), _compiled()
        return table.preset_meanings.get(self.preset, {}).get(key) or table.meanings.get(key)

    @classmethod
    def build(cls, kind: str, custom_fields: Sequence[FieldSpec], roles: Sequence[str], preset: str = "") -> _Context:
        if kind not in KINDS:
            raise ValueError(f"Unknown import kind {kind!r}; use one of {', '.join(KINDS)}.")
        role_keys: dict[str, str] = {}
        if kind != "contacts":
            for role in roles:
                key = _key(role)
                if key:
                    for variant in (key, key + "name", key + "email"):
                        role_keys.setdefault(variant, role)
        sides = {"contacts": ("contact",), "accounts": ("account",)}.get(kind, ("account", "contact"))
        custom: dict[str, FieldSpec] = {}
        twins: dict[str, FieldSpec] = {}
        for side in sides:  # an account field wins over a contact field of the same name
            for spec in custom_fields:
                key = _key(spec.name)
                if spec.applies_to == side and key:
                    if key in custom and custom[key].applies_to != side:
                        twins.setdefault(key, spec)
                    custom.setdefault(key, spec)
        meaning_fields: dict[str, FieldSpec] = {}
        meanings = _compiled().meanings
        for spec in custom_fields:  # the oldest field of a meaning, on the meaning's own side first
            meaning = meanings.get(_key(spec.name))
            if meaning is None or spec.applies_to not in sides:
                continue
            known = meaning_fields.get(meaning.name)
            if known is None or (known.applies_to != meaning.side and spec.applies_to == meaning.side):
                meaning_fields[meaning.name] = spec
        return cls(
            kind=kind, preset=preset, roles=role_keys, role_names=tuple(roles), custom=custom, contact_twins=twins,
            meaning_fields=meaning_fields,
        )


@dataclass
class _Claim:
    """What one column is about to feed, while the whole file is being settled."""

    index: int
    header: str
    target: str = ""  # "" = nothing fits (a new custom field if the column has data)
    field: str = ""
    rank: int = 0
    score: float = 100.0
    block: str = ""
    line: int = 0
    has_data: bool = False
    # A new custom field's name and type when its meaning decides them (presets.FIELD_MEANINGS).
    new_name: str = ""
    new_type: str = ""
    offered: bool = False  # offered in the field table, not created (presets.BOOKKEEPING)

    @property
    def record(self) -> str:
        return self.target.split(".", 1)[0] if "." in self.target else ""

    @property
    def makes_new_field(self) -> bool:
        return not self.target or (self.target in _NEW_CUSTOM and not self.field)

    @property
    def attribute(self) -> str:
        return self.target.split(".", 1)[1] if "." in self.target else ""


def _lookup(header: str, ctx: _Context) -> tuple[Synonym | None, str, float]:
    """(meaning, field, score) of one header before the file's context is applied."""
    key = _key(header)
    if not key:
        return None, "", 0.0
    table = _compiled()
    override = table.overrides.get(ctx.preset, {}).get(key)
    if override is not None:
        return (override if override.target else None), "", 100.0
    if key in table.labels:
        return table.synonyms[key], "", 100.0
    if key in ctx.roles:
        return Synonym("account.role"), ctx.roles[key], 100.0
    if key in ctx.custom:
        spec = ctx.custom[key]
        return Synonym(f"{spec.applies_to}.custom"), spec.name, 100.0
    if key in table.synonyms:
        return table.synonyms[key], "", 100.0
    return _fuzzy(key, normalize_header(header), ctx)


def _similarity(key: str, sorted_key: str, choice: str, choice_sorted: str) -> float:
    """0-100; a typo (swap, missing or extra letter) costs one edit, word order costs nothing."""
    return 100 * max(OSA.normalized_similarity(key, choice), OSA.normalized_similarity(sorted_key, choice_sorted))


def _fuzzy(key: str, spaced: str, ctx: _Context) -> tuple[Synonym | None, str, float]:
    """The one clearly closest synonym, or nothing: a typo is fixed, a guess is not made."""
    if len(key) < FUZZY_MIN_LENGTH:
        return None, "", 0.0
    sorted_key = _sorted_key(spaced)
    table = _compiled()
    shortlist = {i for _, _, i in process.extract(key, table.fuzzy_keys, scorer=fuzz.ratio, limit=20, score_cutoff=60)}
    shortlist |= {
        i for _, _, i in process.extract(sorted_key, table.fuzzy_sorted, scorer=fuzz.ratio, limit=20, score_cutoff=60)
    }
    wanted = _digits(spaced)
    candidates: list[tuple[float, tuple[str, str], Synonym, str]] = []
    for i in shortlist:
        if _digits(table.fuzzy_spaced[i]) != wanted:  # "Person 6", "Address 2": the number means something
            continue
        synonym = table.synonyms[table.fuzzy_keys[i]]
        score = _similarity(key, sorted_key, table.fuzzy_keys[i], table.fuzzy_sorted[i])
        candidates.append((score, (synonym.target, ""), synonym, ""))
    named = [(k, Synonym("account.role"), role) for k, role in ctx.roles.items()]
    named += [(k, Synonym(f"{spec.applies_to}.custom"), spec.name) for k, spec in ctx.custom.items()]
    for choice, synonym, name in named:
        score = 100 * OSA.normalized_similarity(key, choice)
        candidates.append((score, (synonym.target, name), synonym, name))
    if not candidates:
        return None, "", 0.0
    candidates.sort(key=lambda c: -c[0])
    best_score, best_identity, synonym, name = candidates[0]
    runner_up = next((c[0] for c in candidates if c[1] != best_identity), 0.0)
    if best_score >= FUZZY_MIN_SCORE and best_score - runner_up >= FUZZY_MIN_MARGIN:
        return synonym, name, best_score
    return None, "", 0.0


def _resolve(synonym: Synonym | None, name: str, values: list[str], ctx: _Context) -> tuple[str, str] | None:
    """(target, field) a meaning stands for in this file and this kind; None when nothing fits here.

    The target is IGNORE for columns that are recognised but have no place in this kind of import.
    """
    if synonym is None:
        return None
    target = synonym.target
    if target == presets.NAME:
        # A bare "Name" names the client in an accounts file, or where its values are
        # organisations; next to first/last-name columns (a contacts export) it is the person's.
        if ctx.kind == "accounts" or (ctx.kind != "contacts" and not ctx.has_person_name
                                      and _looks_like_organisations(values)):
            target = "account.name"
        else:
            target = "contact.full_name"
    elif target == presets.TITLE:
        filled = [v for v in values if v]
        target = "contact.custom" if filled and not all(_is_honorific(v) for v in filled) else "contact.prefix"
    elif target == presets.PREPARER:
        role = _preparer_role(ctx.role_names) if ctx.kind != "contacts" else None
        target, name = ("account.role", role) if role else ("account.assignees", "")
    elif target.startswith("person"):
        record, _, attribute = target.partition(".")
        index = int(record.removeprefix("person")) + (0 if ctx.shift_people else 1)
        if index > MAX_PEOPLE_PER_ROW:
            return None
        target = f"{person_prefix(index)}.{attribute}"
    fitted = _fit_to_kind(target, ctx.kind)
    if fitted is None:
        return None
    return fitted, (name if fitted.split(".", 1)[-1] in NAMED_FIELDS else "")


def _fit_to_kind(target: str, kind: str) -> str | None:
    if target == IGNORE or kind == "accounts-and-contacts":
        return target
    record, _, attribute = target.partition(".")
    if kind == "contacts":
        if record != "account":
            return target
        if attribute == "tags":
            return "contact.tags"
        if attribute == "tax_id":
            return IGNORE  # a business's number has no place on a person, nor in a field shown in full
        return "contact.custom" if attribute == "custom" else None  # kept as the contact's custom field
    if record == "account":
        return target
    if attribute == "tags":
        return "account.tags"
    if attribute in BUSINESS_ADDRESS_FIELDS:  # an accounts-only file's business address is the account's
        return f"account.{attribute.removeprefix('business_')}"
    if attribute in ("notes", "custom"):  # notes in an accounts file are about the account
        return "account.custom"
    return IGNORE  # a person's field: an accounts-only import never touches contacts


def match_header(
    header: str,
    *,
    kind: str = "accounts-and-contacts",
    custom_fields: Sequence[FieldSpec] = (),
    roles: Sequence[str] = (),
) -> tuple[str, str] | None:
    """(target, field) for one header on its own, or None when nothing fits.

    target is a key of `imports.mapping.all_targets()`, or "ignore" for a header that is
    recognised but has no place in this kind of import (export plumbing such as Google's
    "Phone 1 - Label", a contact's field in an accounts-only import). field is the role or
    custom field name for `account.role` / `*.custom` (for a new custom field: the header).
    Without the rest of the file, a bare "Name" is the person's and "Title" a courtesy title.
    """
    ctx = _Context.build(kind, custom_fields, roles, detect_preset([header]))  # "*ContactName" is Xero's
    synonym, name, _ = _lookup(header, ctx)
    resolved = _resolve(synonym, name, [], ctx)
    if resolved is None:
        return None
    target, name = resolved
    if target in _NEW_CUSTOM and not name:
        name = _custom_field_name(header, 0)
    return target, name


# --- Suggesting a whole mapping --------------------------------------------------------------
def suggest_mapping(
    headers: list[str],
    sample_rows: list[list[str]],
    *,
    kind: str = "accounts-and-contacts",
    custom_fields: Sequence[FieldSpec] = (),
    roles: Sequence[str] = (),
    column_samples: Sequence[Sequence[str]] | None = None,
) -> Mapping:
    """A complete mapping for a file: one ColumnMapping per header, in header order.

    `sample_rows` are the first data rows (the more, the better the type guesses and the
    address choices). `column_samples`, when given, are each column's values gathered from the
    whole file (the upload's column profile) and are used instead: whether a column is synced
    and what type a new custom field gets are then decided from the whole column, so a column
    empty in its first rows is kept. Sets `Mapping.preset` for a recognised export, and the
    account type to "column" when a column maps to account.type ("auto" otherwise).
    """
    preset = detect_preset(headers)
    ctx = _Context.build(kind, custom_fields, roles, preset)
    if column_samples is not None:
        if len(column_samples) != len(headers):
            raise ValueError("column_samples needs one list of values per header")
        values = [[str(value).strip() for value in column] for column in column_samples]
    else:
        values = [_column_values(sample_rows, i) for i in range(len(headers))]
    looked_up = [_lookup(h, ctx) for h in headers]

    # What the file says about its people, which a bare "Name" and Xero's "Person N" depend on.
    plain = [(s.target if s else "") for s, _, _ in looked_up]
    ctx.has_person_name = any(t in ("contact.first_name", "contact.last_name", "contact.full_name") for t in plain)
    ctx.shift_people = any(t.startswith("person") for t in plain) and not any(t in _PRIMARY_IDENTITY for t in plain)

    claims = []
    taken: set[tuple[str, str]] = set()
    for i, (header, (synonym, name, score)) in enumerate(zip(headers, looked_up)):
        twin = ctx.contact_twins.get(_key(header))
        if twin and synonym and synonym.target == "account.custom" and (synonym.target, name) in taken:
            synonym, name = Synonym("contact.custom"), twin.name
        if synonym:
            taken.add((synonym.target, name))
        claim = _Claim(index=i, header=header, score=score, has_data=_has_data(values[i]))
        resolved = _resolve(synonym, name, values[i], ctx)
        if resolved is not None:
            claim.target, claim.field = resolved
            claim.rank, claim.block, claim.line = synonym.rank, synonym.block, synonym.line
        claims.append(claim)
    if tuple(headers[-2:]) == presets.SKIPPED_ROWS_COLUMNS:  # our skipped-rows file, fixed and back
        for claim in claims[-2:]:
            claim.target, claim.field = IGNORE, ""

    _choose_address_block(claims, ctx)
    _place_address_lines(claims, values, ctx)
    _settle_single_targets(claims, ctx)
    _organisation_names_accounts(claims, ctx)
    _tax_ids_by_shape(claims, values, ctx)
    _custom_fields_by_meaning(claims, ctx)

    columns = [_column_mapping(claim, values[claim.index], ctx) for claim in claims]
    mapping = Mapping(kind=kind, columns=columns, preset=preset)
    if any(c.target == "account.type" for c in columns):
        mapping.account_type = AccountTypeChoice(mode="column")
    return mapping


def _has_data(values: list[str]) -> bool:
    return any(value and value.casefold() not in _NOTHING_ENTERED for value in values)


def _column_values(rows: list[list[str]], index: int) -> list[str]:
    return [str(row[index]).strip() if row[index] is not None else "" for row in rows if index < len(row)]


def _is_address(claim: _Claim) -> bool:
    return claim.record == "contact" and claim.attribute in ADDRESS_ATTRIBUTES


def _block_order(block: str) -> int:
    return _BLOCK_ORDER.get(block, len(_BLOCK_ORDER))


def _is_business_address(claim: _Claim) -> bool:
    return claim.record == "contact" and claim.attribute in BUSINESS_ADDRESS_FIELDS


def _choose_address_block(claims: list[_Claim], ctx: _Context) -> None:
    """The contact's address comes from one block, the most preferred one that has data (home
    before business), so street and city never come from two addresses. A business block is
    kept beside a preferred one under its own targets (contact.business_*): row by row it
    fills the contact's address where that block is empty, and it is a company account's
    address (docs/import-rules.md, "Client status and addresses"). Each other block with data
    becomes one text custom field on the contact ("Other address": "9 Oak St, Salem, MA, 01970"),
    not a field per part."""
    address = [c for c in claims if _is_address(c) or _is_business_address(c)]
    blocks = sorted({c.block for c in address}, key=_block_order)
    if len(blocks) < 2:
        return
    with_data = [b for b in blocks if any(c.has_data for c in address if c.block == b)]
    chosen = (with_data or blocks)[0]
    for claim in address:
        kept_business = claim.block == BUSINESS_BLOCK and _block_order(chosen) <= _block_order(BUSINESS_BLOCK)
        if claim.block != chosen and not kept_business:
            block = claim.block
            _demote(claim, ctx)
            if claim.makes_new_field:
                claim.new_name, claim.new_type = _block_field_name(block), "text"


def _block_field_name(block: str) -> str:
    """The custom field an address block that is not the contact's address is kept in."""
    names = {"": "Address", "address1": "Address 1", "address2": "Address 2", "address3": "Address 3",
             "physical": "Street address", "po": "Postal address"}
    return names.get(block) or f"{block.capitalize()} address"


def _place_address_lines(claims: list[_Claim], values: list[list[str]], ctx: _Context) -> None:
    """Free-form address lines ("Bill to 1".."5"): the street is the line that reads like one.

    QuickBooks puts the name or company on the first lines and "City, ST 12345" on a later one,
    depending on the customer. With sample values: the first street-like line is the street, the
    line after it (unless it is the city line) the second street line, and the "City, ST ZIP" line
    goes to city for cleaning to split. Without samples: lines 1 and 2. Other lines are kept as
    custom fields.
    """
    lines = sorted((c for c in claims if c.line and _is_address(c)), key=lambda c: c.line)
    if not lines:
        return
    structured = {c.attribute for c in claims if _is_address(c) and not c.line and c.block == lines[0].block}
    placed: dict[int, str] = {}
    if not any(c.has_data for c in lines):
        placed = {lines[0].index: "street"}
        if len(lines) > 1:
            placed[lines[1].index] = "street2"
    else:
        kinds = [_line_kind(values[c.index]) for c in lines]
        street = next((i for i, k in enumerate(kinds) if k == "street"), None)
        if street is not None:
            placed[lines[street].index] = "street"
            if street + 1 < len(lines) and kinds[street + 1] == "other":
                placed[lines[street + 1].index] = "street2"
            city = next((i for i in range(street + 1, len(lines)) if kinds[i] == "city"), None)
            if city is not None:
                placed[lines[city].index] = "city"
    for claim in lines:
        attribute = placed.get(claim.index)
        if attribute and attribute not in structured:
            claim.target = f"contact.{attribute}"
        else:
            _demote(claim, ctx)


def _line_kind(values: list[str]) -> str:
    filled = [v for v in values if v]
    if not filled:
        return "empty"
    if sum(split_city_line(v) is not None for v in filled) * 2 >= len(filled):
        return "city"
    if sum(looks_like_street_line(v) for v in filled) * 2 >= len(filled):
        return "street"
    return "other"


def _settle_single_targets(claims: list[_Claim], ctx: _Context) -> None:
    """One column per single-column target: the one with data, then the best ranked, then the first."""
    groups: dict[tuple[str, str], list[_Claim]] = {}
    for claim in claims:
        if claim.target and claim.target != IGNORE and claim.attribute not in MULTI_FIELDS:
            groups.setdefault((claim.target, claim.field), []).append(claim)
    for group in groups.values():
        if len(group) > 1:
            group.sort(key=lambda c: (not c.has_data, c.rank, -c.score, c.index))
            for loser in group[1:]:
                _demote(loser, ctx)


def is_organisation_header(header: str) -> bool:
    """Does this header name a person's organisation ("Company", "Organization 1 - Name")?"""
    return _key(header) in _ORGANISATION_KEYS


_ORGANISATION_KEYS = frozenset(_key(header) for header in presets.ORGANISATION_HEADERS)


def _organisation_names_accounts(claims: list[_Claim], ctx: _Context) -> None:
    """With no column that names the client, a column that names the person's organisation
    does: rows of one company are one company account with its people as contacts, and rows
    without a company are each person's own account (docs/import-rules.md, "Matching")."""
    if ctx.kind != "accounts-and-contacts" or any(c.target == "account.name" for c in claims):
        return
    organisation = next((c for c in claims if c.target == "account.company_name" and c.has_data
                         and is_organisation_header(c.header)), None)
    if organisation is not None:
        organisation.target = "account.name"


def _tax_ids_by_shape(claims: list[_Claim], values: list[list[str]], ctx: _Context) -> None:
    """A column nothing else claimed whose every value is written like an SSN or EIN is a tax ID,
    whatever its header says: a new custom field would show it in full everywhere. A column of
    EINs only (12-3456789) is the account's EIN when no other column is; any other takes the
    first person without one. With no place left (or SSNs in an accounts-only import, which
    keeps no people) it is not imported."""
    taken = {c.target for c in claims}
    for claim in claims:
        if claim.target and not (claim.target in _NEW_CUSTOM and not claim.field):
            continue
        filled = [v for v in values[claim.index] if v and v.casefold() not in _PLACEHOLDERS]
        if not filled or not all(looks_like_tax_id(v) for v in filled):
            continue
        slots = [f"{person_prefix(n)}.tax_id" for n in range(1, MAX_PEOPLE_PER_ROW + 1)]
        if all(looks_like_ein(v) for v in filled) and ctx.kind != "contacts":
            slots.insert(0, "account.tax_id")
        free = next((t for t in slots if t not in taken), None)
        claim.target = (_fit_to_kind(free, ctx.kind) if free else None) or IGNORE
        claim.field = ""
        taken.add(claim.target)


def _custom_fields_by_meaning(claims: list[_Claim], ctx: _Context) -> None:
    """Existing fields first: a column about to make a new custom field whose header has a known
    meaning ("Position", "Organization 1 - Title") feeds the firm's field of that meaning
    ("Occupation") when no other column of the file does; else the first such column proposes one
    field named after the meaning ("Job title"), typed by it. A second column of a meaning already
    taken keeps its own header as a new field's name, so no two columns fill one field."""
    fed = {(c.record, _key(c.field)) for c in claims if c.attribute == "custom" and c.field}
    proposed: set[str] = set()
    for claim in claims:
        if not claim.makes_new_field or not claim.has_data:
            continue
        meaning = ctx.meaning_of(claim.header)
        if meaning is None:
            continue
        spec = ctx.meaning_fields.get(meaning.name)
        if spec is not None:
            if (spec.applies_to, _key(spec.name)) not in fed:
                claim.target, claim.field = f"{spec.applies_to}.custom", spec.name
                fed.add((spec.applies_to, _key(spec.name)))
        elif meaning.name not in proposed:
            proposed.add(meaning.name)
            claim.target = _fit_to_kind(f"{meaning.side}.custom", ctx.kind) or IGNORE
            claim.new_name, claim.new_type, claim.offered = meaning.name, meaning.field_type, meaning.offered


def _demote(claim: _Claim, ctx: _Context) -> None:
    """Move a column off a target another column keeps, without losing what it holds."""
    if claim.attribute == "email":
        claim.target = f"{claim.record}.additional_emails"
    elif claim.rank >= DERIVED_RANK:
        claim.target = IGNORE  # it only restated the columns that won
    else:
        side = "contact" if claim.record == "contact" else "account"
        claim.target = _fit_to_kind(f"{side}.custom", ctx.kind) or IGNORE
    claim.field, claim.block, claim.line = "", "", 0


def _column_mapping(claim: _Claim, values: list[str], ctx: _Context) -> ColumnMapping:
    target = claim.target
    if target == IGNORE:
        return ColumnMapping(column=claim.header)
    if claim.makes_new_field:
        if not claim.has_data:
            return ColumnMapping(column=claim.header)  # nothing to keep
        side = target.split(".")[0] if target else _custom_side(claim.header, ctx.kind)
        guessed = guess_field_type(values)
        if guessed == "number" and set(normalize_header(claim.header).split()) & _IDENTIFIER_WORDS:
            guessed = "text"  # "Company Number", "SAPostalCode": digits that are not amounts
        new = ColumnMapping(
            column=claim.header,
            target=f"{side}.custom",
            field=claim.new_name or _custom_field_name(claim.header, claim.index),
            field_type=claim.new_type or guessed,
        )
        if claim.offered or _key(claim.header) in _compiled().bookkeeping:
            # The exporting system's bookkeeping: offered in the field table, not created.
            new.offer, new.target = new.target, IGNORE
        return new
    return ColumnMapping(column=claim.header, target=target, field=claim.field)


_IDENTIFIER_WORDS = {"id", "code", "number", "no", "num", "zip", "postal", "postcode", "ref", "reference", "account"}


# --- Helpers for the file's context ------------------------------------------------------------
_OTHER_PERSON = re.compile(r"\b(?:spouse|spouses|partner|secondary|co client|(?:contact|person|client) [2-5])\b")
_PERSON_WORDS = {
    "title", "position", "department", "nickname", "gender", "sex", "occupation", "profession",
    "marital", "anniversary", "license", "licence", "passport", "phonetic", "maiden", "pager", "linkedin",
    "twitter", "facebook", "skype", "im", "language", "initials", "personal", "home", "mobile", "cell",
    "birthplace", "citizenship", "nationality", "drivers", "driver", "age", "hobby", "children", "employer",
    "relationship", "taxpayer", "yomi",
}


def _custom_side(header: str, kind: str) -> str:
    """Where a new custom field for this column lives: about the person, or about the account."""
    if kind != "accounts-and-contacts":
        return "contact" if kind == "contacts" else "account"
    words = normalize_header(header)
    if _OTHER_PERSON.search(words):
        return "account"  # a spouse's detail would be wrong on the primary contact; keep it on the account
    return "contact" if set(words.split()) & _PERSON_WORDS else "account"


def _custom_field_name(header: str, index: int) -> str:
    name = " ".join(header.replace("\ufeff", "").split()).lstrip("*").strip()
    return (name or f"Column {index + 1}")[:CUSTOM_FIELD_NAME_MAX]


def _looks_like_organisations(values: list[str]) -> bool:
    """Do most of a column's values name organisations (`imports.cleaning.looks_like_organisation`)?"""
    filled = [v for v in values if v]
    return bool(filled) and sum(looks_like_organisation(v) for v in filled) * 2 > len(filled)


_HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord", "hon", "fr",
    "mr and mrs", "mr mrs", "dr and mrs", "messrs", "madam", "mme", "mlle", "herr", "frau", "sr", "sra",
}


def _is_honorific(value: str) -> bool:
    return normalize_header(value) in _HONORIFICS


def _preparer_role(roles: Sequence[str]) -> str | None:
    by_key = {_key(r): r for r in roles}
    for wanted in ("taxpreparer", "preparer"):
        if wanted in by_key:
            return by_key[wanted]
    return next((r for r in roles if "preparer" in _key(r)), None)
