"""What the firm and the file bring to matching: `FieldSpec` (a firm's custom field) and the
`_Context` of one import (its kind, preset, roles, custom fields and their meanings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from imports import presets
from imports.mapping import KINDS
from imports.matching.headers import _key
from imports.matching.table import _compiled


@dataclass(frozen=True)
class FieldSpec:
    """A firm's existing custom field, passed in by the caller."""

    applies_to: str  # "account" | "contact"
    name: str
    field_type: str  # one of imports.mapping.FIELD_TYPES
    options: tuple[str, ...] = ()


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
