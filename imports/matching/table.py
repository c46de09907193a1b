"""The compiled synonym table: every header `imports.presets` and the target labels give, normalised
and checked once, with the presets' overrides and field meanings; and which known export a file is."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from imports import presets
from imports.mapping import BUSINESS_ADDRESS_FIELDS, IGNORE
from imports.matching.headers import _key, _sorted_key, normalize_header
from imports.matching.labels import _label_targets, target_label
from imports.presets import Synonym


# Synonyms ranked at least this only restate other columns (Google "Address 1 - Formatted"): when
# they lose their target they are ignored instead of becoming a custom field.
DERIVED_RANK = 5


BUSINESS_BLOCK = "business"


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


def synonym_table() -> dict[str, Synonym]:
    """The compiled table (normalised key without spaces -> meaning), for tests and tooling."""
    return dict(_compiled().synonyms)


def detect_preset(headers: list[str]) -> str:
    """The known export these headers come from ("google-contacts", "xero", ...), or ""."""
    keys = {_key(h) for h in headers}
    starred = {_key(h) for h in headers if h.strip().startswith("*")}
    for name, signatures in presets.PRESET_SIGNATURES:
        for signature in signatures:
            if all(_key(s) in (starred if s.startswith("*") else keys) for s in signature):
                return name
    return ""
