"""`ExtractionContext`: everything row cleaning needs from the firm and the mapping, computed once
per import and picklable for worker processes; `_Column` is one mapped column."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.normalize import normalize_name_key
from imports.extraction.data import CustomFieldSpec, PersonData
from imports.mapping import IGNORE, Mapping
from imports.members import MemberDirectory


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    header: str
    record: str  # "account", "contact", "contact2", ...
    attribute: str
    field_key: str  # custom field key or role key


@dataclass
class ExtractionContext:
    """Everything row cleaning needs, computed once per import (and picklable)."""

    mapping: Mapping
    headers: list[str]
    default_country: str = "US"
    date_order: str = "MDY"
    # How an individual's account is named after its person: "first_last" or "last_first"
    # (the firm's setting).
    individual_names: str = "first_last"
    custom_fields: dict[tuple[str, str], CustomFieldSpec] = field(default_factory=dict)
    # The firm's active team members and its choices for names that match none of them.
    members: MemberDirectory = field(default_factory=MemberDirectory)
    # Column index -> "MDY" or "DMY" where the column's own values prove its order (see
    # `date_order_evidence`); other date columns are read in the firm's order.
    date_orders: dict[int, str] = field(default_factory=dict)
    # Column index -> "point" or "comma": how the column's numbers read (the user's choice, or
    # what its own values prove); other columns read each number on its own.
    number_formats: dict[int, str] = field(default_factory=dict)
    columns: list[_Column] = field(init=False)

    def __post_init__(self):
        positions = {header: index for index, header in enumerate(self.headers)}
        self.columns = []
        for col in self.mapping.columns:
            if col.target == IGNORE or col.column not in positions:
                continue
            record, attribute = col.target.split(".", 1)
            self.columns.append(
                _Column(positions[col.column], col.column, record, attribute, normalize_name_key(col.field, 100))
            )
        # A person's country decides how their numbers read, so country cells come first.
        self.columns.sort(key=lambda column: column.attribute != "country")

    def individual_name(self, person: PersonData) -> str:
        """The name of an individual's account named after `person`, in the firm's form."""
        if self.individual_names == "last_first" and person.first_name and person.last_name:
            return f"{person.last_name}, {person.first_name}"[:255]
        return person.display_name[:255]

    def date_columns(self) -> list[_Column]:
        """The mapped columns that hold dates: dates of birth and date custom fields."""
        return [
            col for col in self.columns
            if col.attribute == "date_of_birth" or (
                col.attribute == "custom" and self.custom_spec(col).field_type == "date"
            )
        ]

    def date_order_of(self, col: _Column) -> str:
        return self.date_orders.get(col.index, self.date_order)

    def number_format_of(self, col: _Column) -> str | None:
        return self.number_formats.get(col.index)

    def custom_spec(self, col: _Column) -> CustomFieldSpec:
        """The custom field a column is mapped to (the job resolves every one before the run)."""
        spec = self.custom_fields.get(("account" if col.record == "account" else "contact", col.field_key))
        if spec is None:  # pragma: no cover
            raise ValueError(f"custom field {col.field_key!r} was not resolved")
        return spec
