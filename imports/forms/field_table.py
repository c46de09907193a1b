"""The field table of steps 2 and 4: one row per column of the file (`Column`), the fields a column
can feed for one firm (`TargetCatalogue`) and the form that edits the rows (`FieldTableForm`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django import forms

from crm.models import AccountRole, CustomField, Firm
from crm.normalize import normalize_name_key
from imports.mapping import (
    AUTO,
    IGNORE,
    MAX_PEOPLE_PER_ROW,
    PERSON_FIELDS,
    ColumnMapping,
    Mapping,
    person_prefix,
)
from imports.matching import guess_field_type, target_label
from imports.models import ImportJob
from imports.profiling import ColumnProfile

# A dropdown created by an import would have no options yet, so every value would be left out:
# new fields are created with the other types (a dropdown's options are set in Settings).
FIELD_TYPE_CHOICES = [(value, label) for value, label in CustomField.Type.choices if value != "dropdown"]
FIELD_TYPES = {value for value, _ in FIELD_TYPE_CHOICES}

# Account fields and contact fields offered in the field tables, in the order users look for them.
ACCOUNT_TABLE_FIELDS = ("company_name", "client_id", "tags", "assignees", "status", "street", "street2", "city",
                        "state", "postal_code", "country", "tax_id")
CONTACT_TABLE_FIELDS = (
    "full_name", "prefix", "first_name", "middle_name", "last_name", "suffix", "email", "additional_emails",
    "phone", "date_of_birth", "tax_id", "street", "street2", "city", "state", "postal_code", "country", "notes",
    "tags", "business_street", "business_street2", "business_city", "business_state", "business_postal_code",
    "business_country",
)
# Chosen above the field table of step 2, never in it.
CHOSEN_ABOVE = {"account.name", "account.type"}


def _target_option_label(target: str) -> str:
    label = target_label(target)
    if target == "contact.tags":
        return "Tags (contact)"
    return label


@dataclass
class Column:
    """One column of the file as a field table shows it."""

    index: int
    header: str
    samples: list[str]
    mapping: ColumnMapping
    locked_reason: str = ""  # non-empty: mapped elsewhere, shown but not editable here
    elsewhere: str = ""  # a note that the column feeds a field of another step
    profile: ColumnProfile | None = None  # what the upload found in the whole column
    firm_date_order: str = "MDY"
    # (bound field, note) of the column's reading choices (dates, numbers); set by the form.
    reading: list = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return f"c{self.index}"

    @property
    def empty(self) -> bool:
        """No row of the file fills it (as far as the upload's profile read): nothing to import."""
        return self.profile is not None and self.profile.filled == 0

    @property
    def holds_dates(self) -> bool:
        profile = self.profile
        return (self.mapping.attribute == "date_of_birth" or self.mapping.date_order != AUTO
                or (profile is not None and (profile.field_type == "date" or profile.date_order is not None)))

    @property
    def holds_numbers(self) -> bool:
        profile = self.profile
        return (self.mapping.field_type == "number" or self.mapping.number_format != AUTO
                or (profile is not None and (profile.field_type == "number" or profile.number_format is not None)))

    def dates_note(self) -> str:
        """ "dates read day/month", as the column's dates will be read."""
        chosen = self.mapping.date_order
        detected = self.profile.date_order if self.profile else None
        order = chosen if chosen != AUTO else detected or self.firm_date_order
        note = f"dates read {DATE_ORDER_WORDS[order]}"
        if chosen != AUTO:
            note += " (your choice)"
        elif detected is None:
            note += " (your firm's order)"
        if self.profile is not None and self.profile.times:
            note += ", times kept"
        return note

    def numbers_note(self) -> str:
        """ "decimal comma", as the column's numbers will be read."""
        chosen = self.mapping.number_format
        detected = self.profile.number_format if self.profile else None
        if chosen != AUTO:
            return f"{NUMBER_FORMAT_WORDS[chosen]} (your choice)"
        if detected:
            return NUMBER_FORMAT_WORDS[detected]
        return "decimal point or comma, as each number shows"


DATE_ORDER_WORDS = {"DMY": "day/month", "MDY": "month/day", "YMD": "year/month/day"}
DATE_ORDER_CHOICES = [("DMY", "Day/month/year (31/12/1980)"), ("MDY", "Month/day/year (12/31/1980)"),
                      ("YMD", "Year/month/day (1980/12/31)")]
NUMBER_FORMAT_WORDS = {"point": "decimal point", "comma": "decimal comma"}
NUMBER_FORMAT_CHOICES = [("point", "Decimal point (1,234.50)"), ("comma", "Decimal comma (1.234,50)")]


class TargetCatalogue:
    """The fields a column can feed, as select options, for one firm, kind and step.

    Option values: a target key ("contact.email"), "cf:<id>" for an existing custom field,
    "role:<id>" for an existing role, "rolename:<name>" for a role the mapping creates, and
    "new:account" / "new:contact" for a new custom field named in the row.
    """

    def __init__(self, *, firm: Firm, kind: str, mapping: Mapping):
        self.kind = kind
        self.fields = {f.pk: f for f in CustomField.objects.filter(firm=firm).order_by("name")}
        self.roles = {r.pk: r for r in AccountRole.objects.filter(firm=firm).order_by("name")}
        role_keys = {r.key for r in self.roles.values()}
        self.new_roles: list[str] = []
        for col in mapping.columns_for("account.role"):
            if col.field.strip() and normalize_name_key(col.field) not in role_keys and col.field not in self.new_roles:
                self.new_roles.append(col.field)

    def _custom(self, side: str):
        return [(f"cf:{pk}", f.name) for pk, f in self.fields.items() if f.applies_to == side]

    def choices(self, step: str) -> list:
        groups = []
        if step == "accounts":
            account = [(f"account.{name}", _target_option_label(f"account.{name}")) for name in ACCOUNT_TABLE_FIELDS]
            account += [(f"role:{pk}", f"Role: {role.name}") for pk, role in self.roles.items()]
            account += [(f"rolename:{name}", f"Role: {name} (new role)") for name in self.new_roles]
            groups.append(("Account", account))
            if self._custom("account"):
                groups.append(("Account custom fields", self._custom("account")))
        if self.kind != ImportJob.Kind.ACCOUNTS:
            contact = [(f"contact.{n}", _target_option_label(f"contact.{n}")) for n in CONTACT_TABLE_FIELDS]
            groups.append(("Contact", contact))
            if self._custom("contact"):
                groups.append(("Contact custom fields", self._custom("contact")))
            for index in range(2, MAX_PEOPLE_PER_ROW + 1):
                prefix = person_prefix(index)
                person = [(f"{prefix}.{n}", target_label(f"{prefix}.{n}")) for n in PERSON_FIELDS]
                groups.append((f"Contact {index}", person))
        new = []
        if step == "accounts":
            new.append(("new:account", "New account field…"))
        if self.kind != ImportJob.Kind.ACCOUNTS:
            new.append(("new:contact", "New contact field…"))
        groups.append(("Create a custom field", new))
        return groups

    def encode(self, col: ColumnMapping) -> str:
        """The option value showing what `col` feeds ("" for an ignored column)."""
        if col.target == IGNORE:
            return ""
        if col.attribute == "custom":
            side = "account" if col.record == "account" else "contact"
            key = normalize_name_key(col.field)
            for pk, field in self.fields.items():
                if field.applies_to == side and field.key == key:
                    return f"cf:{pk}"
            return f"new:{side}"
        if col.target == "account.role":
            key = normalize_name_key(col.field)
            for pk, role in self.roles.items():
                if role.key == key:
                    return f"role:{pk}"
            return f"rolename:{col.field}"
        return col.target

    def decode(self, value: str, *, header: str, new_name: str, new_type: str) -> ColumnMapping:
        if not value:
            return ColumnMapping(column=header)
        kind, _, rest = value.partition(":")
        if kind == "cf":
            field = self.fields[int(rest)]
            return ColumnMapping(column=header, target=f"{field.applies_to}.custom", field=field.name)
        if kind == "new":
            name = " ".join(new_name.split()) or " ".join(header.split()) or "Imported field"
            return ColumnMapping(column=header, target=f"{rest}.custom", field=name[:100], field_type=new_type or "text")
        if kind == "role":
            return ColumnMapping(column=header, target="account.role", field=self.roles[int(rest)].name)
        if kind == "rolename":
            return ColumnMapping(column=header, target="account.role", field=rest)
        return ColumnMapping(column=header, target=value)

    def describe(self, col: ColumnMapping) -> str:
        """A short human name of what `col` feeds, for the "mapped elsewhere" notes."""
        if col.attribute == "custom":
            side = "account" if col.record == "account" else "contact"
            return f"{col.field} ({side} custom field)"
        if col.target == "account.role":
            return f"Role: {col.field}"
        return target_label(col.target)


ACTION_CHOICES = [("sync", "Sync"), ("ignore", "Ignore")]


@dataclass
class TableRow:
    """One column's row of a field table: the column and its bound fields (None when locked)."""

    column: Column
    action: forms.BoundField | None = None
    target: forms.BoundField | None = None
    name: forms.BoundField | None = None
    type: forms.BoundField | None = None

    @property
    def collapsed_empty(self) -> bool:
        """An empty column left on Ignore, with nothing to correct: folded away."""
        if self.action is None or not self.column.empty:
            return False
        return self.action.value() == "ignore" and not (self.target.errors or self.name.errors)

    @property
    def target_option(self) -> tuple[str, str] | None:
        """(value, label) of the field chosen in the row's list, the one option the page writes
        into each row (the browser adds the others); None when no field is chosen."""
        value = self.target.value() or ""
        if not value:
            return None
        for group_or_value, options in self.target.field.choices:
            for option_value, label in (options if isinstance(options, (list, tuple)) else [(group_or_value, options)]):
                if option_value == value:
                    return value, label
        return None


class FieldTableForm(forms.Form):
    """One row per column: Sync/Ignore, the target, and a new custom field's name and type."""

    step = "accounts"

    def __init__(self, *args, columns: list[Column], catalogue: TargetCatalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = columns
        self.catalogue = catalogue
        target_choices = [("", "Choose a field…")] + catalogue.choices(self.step)
        valid = {value for _, group in catalogue.choices(self.step) for value, _ in group}
        for column in columns:
            if column.locked_reason:
                continue
            current = catalogue.encode(column.mapping)
            # An offered column (an export's bookkeeping) is ignored with its field pre-filled.
            proposed = current or (catalogue.encode(replace(column.mapping, target=column.mapping.offer))
                                   if column.mapping.offer else "")
            choices = target_choices
            if current and current not in valid:
                # Mapped to a field of another group (e.g. a contact field in step 2 of an
                # accounts-only import cannot happen; a contact field in step 4 can): keep it selectable.
                choices = target_choices + [("Current", [(current, catalogue.describe(column.mapping))])]
            p = column.prefix
            guessed = column.mapping.field_type or guess_field_type(column.samples)
            self.fields[f"{p}-action"] = forms.ChoiceField(
                # An empty column starts on Ignore with its field offered (the automatic mapping
                # ignores it); a person's Sync of it is stored and shown as such.
                choices=ACTION_CHOICES, initial="ignore" if not current else "sync",
                label=f"Action for {column.header}",
            )
            self.fields[f"{p}-target"] = forms.ChoiceField(
                choices=choices, required=False, initial=proposed, label=f"Field for {column.header}"
            )
            self.fields[f"{p}-name"] = forms.CharField(
                required=False, max_length=100, label=f"New field name for {column.header}",
                initial=column.mapping.field if proposed.startswith("new:") else column.header[:100],
            )
            self.fields[f"{p}-type"] = forms.ChoiceField(
                choices=FIELD_TYPE_CHOICES, initial=guessed if guessed in FIELD_TYPES else "text",
                label=f"New field type for {column.header}",
            )
            self._add_reading_fields(column)

    def _add_reading_fields(self, column: Column) -> None:
        """How the column's dates and numbers read: detected at upload, changeable here."""
        p = column.prefix
        column.reading = []
        if column.holds_dates:
            detected = column.profile.date_order if column.profile else None
            automatic = DATE_ORDER_WORDS[detected] if detected else f"{DATE_ORDER_WORDS[column.firm_date_order]}, your firm's order"
            self.fields[f"{p}-dates"] = forms.ChoiceField(
                choices=[(AUTO, f"Automatic ({automatic})")] + DATE_ORDER_CHOICES,
                initial=column.mapping.date_order, label=f"How the dates of {column.header} read",
            )
            column.reading.append((self[f"{p}-dates"], column.dates_note()))
        if column.holds_numbers:
            detected = column.profile.number_format if column.profile else None
            automatic = NUMBER_FORMAT_WORDS[detected] if detected else "each number as it shows"
            self.fields[f"{p}-numbers"] = forms.ChoiceField(
                choices=[(AUTO, f"Automatic ({automatic})")] + NUMBER_FORMAT_CHOICES,
                initial=column.mapping.number_format, label=f"How the numbers of {column.header} read",
            )
            column.reading.append((self[f"{p}-numbers"], column.numbers_note()))

    def _with_reading(self, column: Column, col: ColumnMapping) -> ColumnMapping:
        """`col` with the column's reading choices: the ones chosen here, else the ones it had."""
        data = self.cleaned_data
        col.date_order = data.get(f"{column.prefix}-dates") or column.mapping.date_order
        col.number_format = data.get(f"{column.prefix}-numbers") or column.mapping.number_format
        return col

    def target_choices(self) -> list:
        """Every field a column can feed in this step, as (group, options): the page renders them
        once and the browser copies them into each row's list (see `TableRow.target_option`)."""
        return self.catalogue.choices(self.step)

    def _row(self, column: Column) -> TableRow:
        if column.locked_reason:
            return TableRow(column)
        p = column.prefix
        return TableRow(column, self[f"{p}-action"], self[f"{p}-target"], self[f"{p}-name"], self[f"{p}-type"])

    def rows(self) -> list[TableRow]:
        """Every column's row, in file order."""
        return [self._row(column) for column in self.table]

    def shown_rows(self) -> list[TableRow]:
        """The rows of the table itself: not the folded ones (`empty_rows`, `contact_rows`,
        `elsewhere_rows`)."""
        return [row for row in self.rows() if not row.collapsed_empty and not self._mapped_elsewhere(row.column)
                and not self._contact_row(row)]

    def contact_rows(self) -> list[TableRow]:
        """Step 2: the columns feeding contact fields, set in step 4, folded here (still editable)."""
        return [row for row in self.rows() if self._contact_row(row) and not row.collapsed_empty]

    def _contact_row(self, row: TableRow) -> bool:
        if self.step != "accounts" or not row.column.elsewhere or row.action is None:
            return False
        return row.action.value() == "sync" and not (row.target.errors or row.name.errors)

    def empty_rows(self) -> list[TableRow]:
        """Columns no row fills, left ignored: listed under "N empty columns ignored", where
        they can still be changed."""
        return [row for row in self.rows() if row.collapsed_empty and not self._mapped_elsewhere(row.column)]

    def elsewhere_rows(self) -> list[TableRow]:
        """Columns set in another step and not editable here (step 4: the account fields)."""
        return [row for row in self.rows() if self._mapped_elsewhere(row.column)]

    def _mapped_elsewhere(self, column: Column) -> bool:
        return self.step == "contacts" and bool(column.locked_reason)

    def clean(self):
        cleaned = super().clean()
        for column in self.table:
            if column.locked_reason:
                continue
            p = column.prefix
            if cleaned.get(f"{p}-action") == "sync" and not cleaned.get(f"{p}-target"):
                self.add_error(f"{p}-target", f"Choose the field “{column.header}” feeds, or set it to Ignore.")
        return cleaned

    def columns(self) -> list[ColumnMapping]:
        """The edited columns (locked ones are left out: they keep what they feed)."""
        result = []
        for column in self.table:
            if column.locked_reason:
                continue
            p = column.prefix
            data = self.cleaned_data
            if data.get(f"{p}-action") == "ignore":
                offered = column.mapping.offer and column.mapping.target == IGNORE
                ignored = replace(column.mapping) if offered else ColumnMapping(column=column.header)
                if column.empty and column.mapping.target != IGNORE:
                    # Kept as an offer, so a later file of these columns that fills it shows the field.
                    ignored = ColumnMapping(column=column.header, offer=column.mapping.target,
                                            field=column.mapping.field, field_type=column.mapping.field_type)
                result.append(self._with_reading(column, ignored))  # an offered column stays offered
                continue
            result.append(self._with_reading(column, self.catalogue.decode(
                data.get(f"{p}-target", ""), header=column.header,
                new_name=data.get(f"{p}-name", ""), new_type=data.get(f"{p}-type", ""),
            )))
        return result
