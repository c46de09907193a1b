"""The mapping document: which column feeds which field, plus the import's settings.

A mapping is plain JSON so the CLI (`--mapping FILE`), the wizard and the API share it; the
format is documented in the README and `docs/mapping-example.json` is a complete example.
Automatic suggestion of a mapping from headers lives in `imports.matching`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

KINDS = ("accounts-and-contacts", "accounts", "contacts")
MAX_PEOPLE_PER_ROW = 5  # "Contact" plus "Contact 2" ... "Contact 5"

ADDRESS_FIELDS = ("street", "street2", "city", "state", "postal_code", "country")
ACCOUNT_FIELDS = ("name", "type", "company_name", "client_id", "tags", "assignees", "role", "custom", "status",
                  *ADDRESS_FIELDS, "tax_id")
PERSON_FIELDS = (
    "full_name", "prefix", "first_name", "middle_name", "last_name", "suffix",
    "email", "additional_emails", "phone", "date_of_birth", "tax_id",
)
# The contact's business (work) address: row by row it fills the contact's address when the
# row has no home address, and it is a company account's address (docs/import-rules.md,
# "Client status and addresses").
BUSINESS_ADDRESS_FIELDS = tuple(f"business_{name}" for name in ADDRESS_FIELDS)
CONTACT_FIELDS = PERSON_FIELDS + (
    "street", "street2", "city", "state", "postal_code", "country", "notes", "tags", "custom",
    *BUSINESS_ADDRESS_FIELDS,
)
# Fields that several columns may feed: their values are added together, not overwritten.
MULTI_FIELDS = {"tags", "assignees", "role", "custom", "additional_emails", "phone", "notes"}
# Targets naming a firm-defined thing carry its name in ColumnMapping.field.
NAMED_FIELDS = {"role", "custom"}

IGNORE = "ignore"
AUTO = "auto"
DATE_ORDERS = (AUTO, "DMY", "MDY", "YMD")
NUMBER_FORMATS = (AUTO, "point", "comma")
FIELD_TYPES = ("text", "number", "date", "yes_no", "dropdown", "email", "phone", "url")
ACCOUNT_TYPE_MODES = ("auto", "fixed", "column", "ignore")


def person_prefix(index: int) -> str:
    """Target prefix of the n-th person on a row: "contact", "contact2", ... "contact5"."""
    return "contact" if index == 1 else f"contact{index}"


def all_targets() -> list[str]:
    """Every target key (custom fields and roles take their name in `field`)."""
    targets = [f"account.{name}" for name in ACCOUNT_FIELDS]
    targets += [f"contact.{name}" for name in CONTACT_FIELDS]
    for index in range(2, MAX_PEOPLE_PER_ROW + 1):
        targets += [f"{person_prefix(index)}.{name}" for name in PERSON_FIELDS]
    return targets


VALID_TARGETS = frozenset(all_targets())


@dataclass
class ColumnMapping:
    """One column of the file and what it feeds.

    target: a key of `all_targets()` or "ignore".
    field: for `*.custom` the custom field's name, for `account.role` the role's name.
    field_type: for a custom field that does not exist yet, the type to create it with.
    offer: for an ignored column, what it would feed if the user synced it ("contact.custom"),
        with `field`/`field_type` naming that field: the matcher's suggestion for a column it
        does not import by default (an export's own bookkeeping). The import never reads it.
    date_order: how the column's dates read: "auto" (what its own values prove, detected at
        upload, else the firm's order), "DMY", "MDY" or "YMD".
    number_format: how its numbers read: "auto" (what its own values prove, else each value
        on its own), "point" (1,234.50) or "comma" (1.234,50).
    """

    column: str
    target: str = IGNORE
    field: str = ""
    field_type: str = ""
    offer: str = ""
    date_order: str = AUTO
    number_format: str = AUTO

    @property
    def record(self) -> str:
        """"account", "contact", "contact2", ... or "" for ignored columns."""
        return "" if self.target == IGNORE else self.target.split(".", 1)[0]

    @property
    def attribute(self) -> str:
        return "" if self.target == IGNORE else self.target.split(".", 1)[1]


@dataclass
class AccountTypeChoice:
    """How accounts get their type (docs/import-rules.md, "Account type").

    auto: individual when named after its person or unnamed, company when the row names an
          organisation other than its person; a mapped type column still wins where filled.
    fixed: `value` for every account.  column: the column mapped to account.type.
    ignore: only for updates; new accounts get "other".
    """

    mode: str = "auto"
    value: str = ""


@dataclass
class PortalSwitches:
    login: bool = False
    notify: bool = False
    email_sync: bool = False


@dataclass
class ImportSettings:
    """Applied in bulk to what the import touches (docs/import-rules.md, "Settings applied to every
    imported account")."""

    # Keyed by the email column's name: the switches set on the account link of every contact
    # whose email came from that column.
    portal: dict[str, PortalSwitches] = field(default_factory=dict)
    send_invitations: bool = False
    tags: list[str] = field(default_factory=list)  # existing tags added to every imported account
    assignees: list[str] = field(default_factory=list)  # team members' emails
    # Names in the member columns that match no team member, as the firm decided them: the
    # value as written -> a member's email, or "" for nobody (no one assigned, no warning).
    member_names: dict[str, str] = field(default_factory=dict)
    folder_template: str = "default"  # "default", "none" or a template's name
    overwrite: bool = False  # file values win over existing non-empty values
    update_only: bool = False  # accounts kind: never create, skip unknown accounts


@dataclass
class ReadChoices:
    """Explicit reading choices; None keeps the detected value."""

    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    sheet: str | None = None
    keep_footer: bool = False


DUPLICATE_CHOICES = ("same", "different")


@dataclass
class DuplicateDecision:
    """What the user said of one likely duplicate pair (docs/import-rules.md, "Likely
    duplicates"): the file's `row` is the same client as existing account `account`, or as the
    client of the file's earlier row `other_row` ("same"), or not ("different")."""

    row: int
    decision: str
    account: int = 0
    other_row: int = 0

    def errors(self) -> list[str]:
        where = f"The duplicate decision for row {self.row!r}"
        if not isinstance(self.row, int) or isinstance(self.row, bool) or self.row < 1:
            return [f"{where}: the row must be a row number of the file."]
        if self.decision not in DUPLICATE_CHOICES:
            return [f"{where}: the decision must be \"same\" or \"different\", not {self.decision!r}."]
        other = (self.account, self.other_row)
        if any(not isinstance(value, int) or isinstance(value, bool) or value < 0 for value in other) or (
                bool(self.account) == bool(self.other_row)):
            return [f"{where} must name either an existing account (\"account\") or an earlier row (\"other_row\")."]
        if self.other_row and self.other_row >= self.row:
            return [f"{where}: the other row must come before it in the file."]
        return []


@dataclass
class Mapping:
    kind: str = "accounts-and-contacts"
    columns: list[ColumnMapping] = field(default_factory=list)
    account_type: AccountTypeChoice = field(default_factory=AccountTypeChoice)
    settings: ImportSettings = field(default_factory=ImportSettings)
    read: ReadChoices = field(default_factory=ReadChoices)
    preset: str = ""  # the recognised export this mapping came from, if any
    # The review's likely duplicates as the user decided them; undecided pairs import as usual.
    duplicate_decisions: list[DuplicateDecision] = field(default_factory=list)

    def column(self, name: str) -> ColumnMapping | None:
        return next((c for c in self.columns if c.column == name), None)

    def mapped(self) -> list[ColumnMapping]:
        return [c for c in self.columns if c.target != IGNORE]

    def columns_for(self, target: str) -> list[ColumnMapping]:
        return [c for c in self.columns if c.target == target]

    def duplicate_decision(self, row: int, *, account: int = 0, other_row: int = 0) -> str:
        """"same", "different" or "" (undecided) for one pair."""
        return next((d.decision for d in self.duplicate_decisions
                     if d.row == row and d.account == account and d.other_row == other_row), "")

    def decide_duplicate(self, row: int, decision: str, *, account: int = 0, other_row: int = 0) -> None:
        """Records (or, with "", forgets) the user's decision on one pair."""
        self.duplicate_decisions = [d for d in self.duplicate_decisions
                                    if not (d.row == row and d.account == account and d.other_row == other_row)]
        if decision:
            self.duplicate_decisions.append(DuplicateDecision(row=row, decision=decision, account=account,
                                                              other_row=other_row))
        self.duplicate_decisions.sort(key=lambda d: (d.row, d.account, d.other_row))

    def validate(self, headers: list[str]) -> list[str]:
        """Sentences naming each thing wrong with this mapping for a file with these headers."""
        errors = []
        if self.kind not in KINDS:
            errors.append(f"Unknown import kind {self.kind!r}; use one of {', '.join(KINDS)}.")
        known = set(headers)
        seen_single: dict[tuple[str, str], str] = {}
        for col in self.columns:
            if col.column not in known:
                errors.append(f"The mapping names a column {col.column!r} that the file does not have.")
            if col.offer and col.offer not in VALID_TARGETS:
                errors.append(f"Column {col.column!r}: unknown offered target {col.offer!r}.")
            if col.target == IGNORE:
                continue
            if col.target not in VALID_TARGETS:
                errors.append(f"Column {col.column!r}: unknown target {col.target!r}.")
                continue
            if col.attribute in NAMED_FIELDS and not col.field.strip():
                errors.append(f"Column {col.column!r}: {col.target} needs the field's name in \"field\".")
            if col.field_type and col.field_type not in FIELD_TYPES:
                errors.append(f"Column {col.column!r}: unknown field type {col.field_type!r}.")
            if col.date_order not in DATE_ORDERS:
                errors.append(f"Column {col.column!r}: unknown date order {col.date_order!r}; use one of "
                              f"{', '.join(DATE_ORDERS)}.")
            if col.number_format not in NUMBER_FORMATS:
                errors.append(f"Column {col.column!r}: unknown number format {col.number_format!r}; use one of "
                              f"{', '.join(NUMBER_FORMATS)}.")
            if self.kind == "contacts" and col.record == "account":
                errors.append(f"Column {col.column!r}: a contacts-only import cannot set account fields.")
            if self.kind == "accounts" and col.record != "account":
                errors.append(f"Column {col.column!r}: an accounts-only import never touches contacts.")
            if col.attribute not in MULTI_FIELDS:
                key = (col.target, col.field)
                if key in seen_single:
                    errors.append(
                        f"Columns {seen_single[key]!r} and {col.column!r} both feed {col.target}; keep one."
                    )
                seen_single[key] = col.column
        same: dict[int, int] = {}
        for decision in self.duplicate_decisions:
            errors += decision.errors()
            if decision.decision == "same":
                same[decision.row] = same.get(decision.row, 0) + 1
        errors += [f"Row {row} is marked the same client as {count} records; keep one." for row, count in same.items()
                   if count > 1]
        if self.account_type.mode not in ACCOUNT_TYPE_MODES:
            errors.append(f"Unknown account type mode {self.account_type.mode!r}.")
        if self.account_type.mode == "fixed" and self.account_type.value not in ("individual", "company", "other"):
            errors.append("Choose individual, company or other as the type for all accounts.")
        if self.account_type.mode == "column" and not self.columns_for("account.type"):
            errors.append("Account type is to come from a column, but no column is mapped to account.type.")
        return errors

    # --- JSON ---------------------------------------------------------------------------
    def to_dict(self) -> dict:
        data = asdict(self)
        data["version"] = 1
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> Mapping:
        if not isinstance(data, dict):
            raise ValueError("A mapping is a JSON object.")
        settings = dict(data.get("settings") or {})
        settings["portal"] = {
            column: PortalSwitches(**switches) for column, switches in (settings.get("portal") or {}).items()
        }
        try:
            return cls(
                kind=data.get("kind", "accounts-and-contacts"),
                columns=[ColumnMapping(**column) for column in data.get("columns") or []],
                account_type=AccountTypeChoice(**(data.get("account_type") or {})),
                settings=ImportSettings(**settings),
                read=ReadChoices(**(data.get("read") or {})),
                preset=data.get("preset", ""),
                duplicate_decisions=[DuplicateDecision(**decision)
                                     for decision in data.get("duplicate_decisions") or []],
            )
        except TypeError as exc:
            raise ValueError(f"The mapping has a key this version does not know: {exc}.") from exc

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"The mapping is not valid JSON (line {exc.lineno}: {exc.msg}).") from exc
        return cls.from_dict(data)
