"""Forms of the import wizard. They parse and check what the user chose and turn it into the
pieces of a `Mapping`; the job services validate and store it (imports/jobs.py).

Every choice that names firm data (custom fields, roles, tags, team members, folder templates)
is built for one firm, so another firm's id or name is simply not a valid choice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from django import forms
from django.conf import settings

from crm.models import AccountRole, CustomField, Firm, FolderTemplate, Membership, Tag
from crm.normalize import normalize_name_key
from imports.mapping import (
    IGNORE,
    MAX_PEOPLE_PER_ROW,
    PERSON_FIELDS,
    AccountTypeChoice,
    ColumnMapping,
    Mapping,
    PortalSwitches,
    person_prefix,
)
from imports.matching import guess_field_type, is_organisation_header, target_label
from imports.members import UnmatchedNames, member_value_key
from imports.models import ImportJob
from imports.profiling import ColumnProfile

KIND_HELP = {
    ImportJob.Kind.ACCOUNTS_AND_CONTACTS: (
        "Moving from another system: each row is a person and the client account they belong to."
    ),
    ImportJob.Kind.ACCOUNTS: (
        "Creating accounts, or adding tags, team members, roles, types or custom fields to accounts you "
        "already have. Contacts are never touched."
    ),
    ImportJob.Kind.CONTACTS: (
        "People who are not clients' accounts (yet): prospects, clients' employees. They are not linked "
        "to any account."
    ),
}

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


# --- Step 1: upload and reading choices --------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Client list",
        error_messages={
            "required": "Choose a file to upload: a CSV, Excel (XLSX/XLS) or OpenDocument (ODS) file.",
            "empty": "This file is empty. Export your client list again and upload the new file.",
        },
    )


ENCODING_CHOICES = [
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("utf-16", "UTF-16 (Excel “Unicode text”)"),
    ("cp1252", "Windows-1252 (Western European)"),
    ("utf-8-or-cp1252", "UTF-8, some rows Windows-1252 (each row read as it fits)"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("iso8859-15", "ISO-8859-15 (Latin-9)"),
    ("mac-roman", "Mac Roman"),
    ("cp1250", "Windows-1250 (Central European)"),
    ("cp1251", "Windows-1251 (Cyrillic)"),
]
DELIMITER_CHOICES = [(",", "Comma ( , )"), (";", "Semicolon ( ; )"), ("\t", "Tab"), ("|", "Pipe ( | )")]
AUTO = "auto"


def _labelled(choices, value) -> str:
    return dict(choices).get(value, value or "")


def encoding_label(value: str) -> str:
    """ "cp1252" -> "Windows-1252 (Western European)": the names people know."""
    return _labelled(ENCODING_CHOICES, value)


class ReadChoicesForm(forms.Form):
    """How to read the file: each choice overrides the reader's guess; Automatic keeps it."""

    encoding = forms.ChoiceField(label="Text encoding", required=False)
    delimiter = forms.ChoiceField(label="Delimiter", required=False)
    header_row = forms.IntegerField(
        label="Header row", required=False, min_value=1, max_value=1000,
        help_text="The row that holds the column names, counted as your spreadsheet numbers its rows. "
        "Leave it empty to let Clientport find it.",
    )
    sheet = forms.ChoiceField(label="Sheet", required=False)

    def __init__(self, *args, job: ImportJob, **kwargs):
        super().__init__(*args, **kwargs)
        info = job.read_info
        read = Mapping.from_dict(job.mapping).read if job.mapping else None
        self.is_spreadsheet = info.get("format") not in ("csv", "iif")
        found_encoding = info.get("encoding") or ""
        found_delimiter = info.get("delimiter") or ""
        encodings = list(ENCODING_CHOICES)
        if found_encoding and found_encoding not in dict(encodings):
            encodings.append((found_encoding, found_encoding))
        self.fields["encoding"].choices = [
            (AUTO, f"Automatic: {_labelled(encodings, found_encoding)}" if read and read.encoding is None else "Automatic")
        ] + encodings
        self.fields["delimiter"].choices = [
            (AUTO, f"Automatic: {_labelled(DELIMITER_CHOICES, found_delimiter)}"
             if read and read.delimiter is None else "Automatic")
        ] + DELIMITER_CHOICES
        sheets = info.get("sheets") or []
        self.fields["sheet"].choices = [(AUTO, "Automatic: the first sheet with data")] + [(s, s) for s in sheets]
        if self.is_spreadsheet:
            del self.fields["encoding"], self.fields["delimiter"]
        else:
            del self.fields["sheet"]
        if info.get("format") == "iif":  # QuickBooks lists fix their own delimiter and header line
            del self.fields["delimiter"], self.fields["header_row"]
        if read is not None and not self.is_bound:
            self.initial = {
                "encoding": read.encoding or AUTO,
                "delimiter": read.delimiter or AUTO,
                "header_row": read.header_row,
                "sheet": read.sheet or AUTO,
            }

    def apply(self, mapping: Mapping) -> Mapping:
        """The mapping with these reading choices (None = the reader's guess)."""
        data = self.cleaned_data
        read = mapping.read
        if "encoding" in self.fields:
            read.encoding = None if data.get("encoding") in ("", AUTO) else data["encoding"]
        if "delimiter" in self.fields:
            read.delimiter = None if data.get("delimiter") in ("", AUTO) else data["delimiter"]
        if "sheet" in self.fields:
            read.sheet = None if data.get("sheet") in ("", AUTO) else data["sheet"]
        if "header_row" in self.fields:
            read.header_row = data.get("header_row")
        return mapping


# --- Steps 2 and 4: the field tables ------------------------------------------------------------


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
                choices=ACTION_CHOICES, initial="ignore" if not current else "sync", label=f"Action for {column.header}"
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

    def rows(self):
        """(column, action, target, name, type) bound fields, for the template."""
        for column in self.table:
            if column.locked_reason:
                yield column, None, None, None, None
            else:
                p = column.prefix
                yield column, self[f"{p}-action"], self[f"{p}-target"], self[f"{p}-name"], self[f"{p}-type"]

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
                result.append(self._with_reading(column, ignored))  # an offered column stays offered
                continue
            result.append(self._with_reading(column, self.catalogue.decode(
                data.get(f"{p}-target", ""), header=column.header,
                new_name=data.get(f"{p}-name", ""), new_type=data.get(f"{p}-type", ""),
            )))
        return result


TYPE_MODE_CHOICES = [
    ("fixed", "One type for all accounts"),
    ("column", "Map with a column of the file"),
    ("auto", "Automatic"),
    ("ignore", "Ignore"),
]
TYPE_MODE_HELP = {
    "fixed": "Every account gets the type chosen here; a type column in the file is not used. "
             "Choosing Company also fills each account's company name with its account name.",
    "column": "Each account takes its type from the column chosen here (Individual, Person, Company, Business, "
              "LLC, Corp… are understood; anything else becomes Other, with a warning).",
    "auto": "Individual when the account is named after its person (or the row has no account name), company "
            "when the row names an organisation other than its person.",
    "ignore": "Only for updates: existing accounts keep their type, and new accounts get Other.",
}
ACCOUNT_TYPE_CHOICES = [("individual", "Individual"), ("company", "Company"), ("other", "Other")]
NO_NAME_COLUMN = ""


@dataclass(frozen=True)
class AccountSource:
    sentence: str
    switch_label: str = ""  # the one click to the other way ("" for none)
    switch_to: str = ""  # the account-name select's value it chooses


def account_source(mapping: Mapping, headers: list[str]) -> AccountSource:
    """Where the accounts of an accounts-and-contacts import come from (docs/import-rules.md,
    "Matching"): a column that names the client, an organisation column, or each row's person."""
    name_column = next((c.column for c in mapping.columns_for("account.name") if c.column in headers), None)
    if name_column is not None and is_organisation_header(name_column):
        return AccountSource(
            f"Accounts come from the “{name_column}” column: rows of one company are one company account with "
            f"its people as contacts, and a row without a company is its person's own account.",
            "One account per person instead", NO_NAME_COLUMN,
        )
    if name_column is not None:
        return AccountSource(
            f"Accounts come from the “{name_column}” column: rows with the same value are one account, and a row "
            f"where it is empty is its person's own account."
        )
    organisation = next((c.column for c in mapping.columns_for("account.company_name")
                         if c.column in headers and is_organisation_header(c.column)), None)
    sentence = ("Each row's person is their own account, named after them: rows with the same email are one client, "
                "and so are rows with the same name unless a phone, date of birth, tax ID or ZIP tells them apart.")
    if organisation is None:
        return AccountSource(sentence)
    return AccountSource(sentence, f"One account per “{organisation}” instead", str(headers.index(organisation)))


class AccountsForm(FieldTableForm):
    """Step 2: the account name column, the account type and the field table."""

    step = "accounts"
    account_name = forms.ChoiceField(label="Account name", required=False)
    type_mode = forms.ChoiceField(label="Account type", choices=TYPE_MODE_CHOICES, widget=forms.RadioSelect)
    type_value = forms.ChoiceField(label="Type for all accounts", choices=ACCOUNT_TYPE_CHOICES, required=False)
    type_column = forms.ChoiceField(label="Column with the account type", required=False)

    def __init__(self, *args, headers: list[str], mapping: Mapping, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.headers = headers
        columns = [(str(i), header) for i, header in enumerate(headers)]
        no_name = (
            "No column: name each account after its contact"
            if kind == ImportJob.Kind.ACCOUNTS_AND_CONTACTS else "Choose the column…"
        )
        self.fields["account_name"].choices = [(NO_NAME_COLUMN, no_name)] + columns
        self.fields["type_column"].choices = [("", "Choose the column…")] + columns
        if not self.is_bound:
            self.initial.update({
                "account_name": self._index_of(mapping, "account.name"),
                "type_mode": mapping.account_type.mode,
                "type_value": mapping.account_type.value or "individual",
                "type_column": self._index_of(mapping, "account.type"),
            })

    def _index_of(self, mapping: Mapping, target: str) -> str:
        """The select value of the column mapped to `target` ("" for none)."""
        columns = [c.column for c in mapping.columns_for(target) if c.column in self.headers]
        return str(self.headers.index(columns[0])) if columns else ""

    def type_modes(self):
        """(radio, help text) pairs: each choice with its consequence written next to it."""
        for radio in self["type_mode"]:
            yield radio, TYPE_MODE_HELP[radio.data["value"]]

    def _header(self, value: str) -> str | None:
        return self.headers[int(value)] if value not in ("", None) else None

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("account_name")
        if self.kind == ImportJob.Kind.ACCOUNTS and not name:
            self.add_error("account_name", "Choose the column that holds the account name: an accounts-only import "
                                           "finds and creates accounts by their name.")
        mode = cleaned.get("type_mode")
        if mode == "column":
            if not cleaned.get("type_column"):
                self.add_error("type_column", "Choose the column that holds the account type, or pick another option.")
            elif cleaned.get("type_column") == name:
                self.add_error("type_column", "The account type cannot come from the account name column.")
        if mode == "fixed" and not cleaned.get("type_value"):
            self.add_error("type_value", "Choose the type every account gets.")
        return cleaned

    def account_source(self, mapping: Mapping) -> AccountSource:
        """Where accounts come from, in one sentence, and the one click to the other way."""
        return account_source(mapping, self.headers)

    def apply(self, mapping: Mapping) -> Mapping:
        """The mapping with this step's choices: edited columns, name column, account type. An
        organisation column that stops naming the accounts keeps the company name instead."""
        edited = {col.column: col for col in self.columns()}
        name_column = self._header(self.cleaned_data.get("account_name"))
        mode = self.cleaned_data["type_mode"]
        type_column = self._header(self.cleaned_data.get("type_column")) if mode == "column" else None
        columns = []
        for header in self.headers:
            col = edited.get(header) or mapping.column(header) or ColumnMapping(column=header)
            if col.target == "account.name" and header != name_column:
                organisation = name_column is None and is_organisation_header(header)
                col = ColumnMapping(column=header, target="account.company_name" if organisation else IGNORE)
            if col.target == "account.type" and header != type_column:
                col = ColumnMapping(column=header)
            if header == name_column:
                col = ColumnMapping(column=header, target="account.name")
            elif header == type_column:
                col = ColumnMapping(column=header, target="account.type")
            columns.append(col)
        mapping.columns = columns
        mapping.account_type = AccountTypeChoice(
            mode=mode, value=self.cleaned_data.get("type_value", "") if mode == "fixed" else ""
        )
        return mapping


class ContactsForm(FieldTableForm):
    """Step 4: the field table for contact fields."""

    step = "contacts"

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers

    def apply(self, mapping: Mapping) -> Mapping:
        edited = {col.column: col for col in self.columns()}
        mapping.columns = [
            edited.get(header) or mapping.column(header) or ColumnMapping(column=header) for header in self.headers
        ]
        return mapping


# --- Step 3: settings ---------------------------------------------------------------------------


@dataclass
class EmailColumn:
    index: int
    header: str
    label: str  # what the column feeds: "Email", "Contact 2 email"
    example: str


NOBODY = "nobody"  # the settings step's value for "leave unassigned" (stored as "")


def member_name_field(name: str) -> str:
    """The settings form's field for one unmatched name: stable for the value as the user sees it."""
    return "member-" + hashlib.sha256(member_value_key(name).encode()).hexdigest()[:12]


PORTAL_SWITCHES = (
    ("login", "Login", "May sign in to the client portal."),
    ("notify", "Notify", "Receives notifications and reminders by email."),
    ("email_sync", "Email sync", "Emails with this address show in your firm's inbox."),
)


class SettingsForm(forms.Form):
    """Step 3: applied in bulk to what the import touches."""

    send_invitations = forms.BooleanField(
        label="Send portal invitations", required=False,
        help_text="Invites every imported contact whose Login switch is on. We recommend leaving this off: check "
        "the imported clients first, then invite them from their accounts when you are ready.",
    )
    tags = forms.MultipleChoiceField(label="Tags for every imported account", required=False,
                                     widget=forms.CheckboxSelectMultiple)
    assignees = forms.MultipleChoiceField(label="Assignees for every imported account", required=False,
                                          widget=forms.CheckboxSelectMultiple)
    folder_template = forms.ChoiceField(label="Folders for new accounts", widget=forms.RadioSelect)
    overwrite = forms.BooleanField(
        label="Overwrite existing values", required=False,
        help_text="Off: existing accounts and contacts only gain what they lack; nothing they hold is changed. "
        "On: values in the file replace the ones already stored. Either way every change is recorded.",
    )
    update_only = forms.BooleanField(
        label="Update only existing accounts", required=False,
        help_text="Rows naming an account that does not exist are skipped (and listed in the skipped rows file) "
        "instead of creating it.",
    )

    def __init__(self, *args, job: ImportJob, mapping: Mapping, email_columns: list[EmailColumn],
                 unmatched: UnmatchedNames | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        firm = job.firm
        self.kind = job.kind
        self.email_columns = email_columns
        tags = [t.name for t in Tag.objects.filter(firm=firm).order_by("name")]
        self.fields["tags"].choices = [(name, name) for name in tags]
        members = Membership.objects.filter(firm=firm, is_active=True).select_related("user")
        self.fields["assignees"].choices = [(m.user.email, m.display_name) for m in members]
        self.unmatched = unmatched or UnmatchedNames()
        self._add_member_name_fields(self.fields["assignees"].choices, mapping)
        default = firm.default_folder_template
        folder_choices = [
            ("default", f"The firm's default: {default.name}" if default else "The firm's default: no folders"),
            ("none", "No folders"),
        ]
        folder_choices += [
            (t.name, t.name) for t in FolderTemplate.objects.filter(firm=firm) if default is None or t.pk != default.pk
        ]
        self.fields["folder_template"].choices = folder_choices
        for column in email_columns:
            for name, label, _ in PORTAL_SWITCHES:
                self.fields[f"portal-{column.index}-{name}"] = forms.BooleanField(
                    required=False, label=f"{label} for {column.header}"
                )
        if self.kind != ImportJob.Kind.ACCOUNTS:
            del self.fields["update_only"]
        if self.kind == ImportJob.Kind.CONTACTS:
            for name in ("send_invitations", "tags", "assignees", "folder_template"):
                del self.fields[name]
        elif self.kind == ImportJob.Kind.ACCOUNTS:
            del self.fields["send_invitations"]
        if not self.is_bound:
            s = mapping.settings
            folder = s.folder_template if s.folder_template in dict(folder_choices) else "default"
            self.initial.update({
                "send_invitations": s.send_invitations, "tags": [t for t in s.tags if t in tags],
                "assignees": s.assignees, "folder_template": folder, "overwrite": s.overwrite,
                "update_only": s.update_only,
            })
            for column in email_columns:
                switches = s.portal.get(column.header) or PortalSwitches()
                for name, _, _ in PORTAL_SWITCHES:
                    self.initial[f"portal-{column.index}-{name}"] = getattr(switches, name)

    def _add_member_name_fields(self, members: list[tuple[str, str]], mapping: Mapping) -> None:
        """One select per name of the file that matches no team member: a member, Nobody, or
        not chosen (each row naming it is warned, as before). Named by the value, not its place
        in the list: a list that changed between showing and posting never puts a choice on
        another name."""
        chosen = {member_value_key(name): email for name, email in mapping.settings.member_names.items()}
        emails = {email.casefold(): email for email, _ in members}
        choices = [("", "Not chosen: warn on each row"), *members, (NOBODY, "Nobody (leave unassigned)")]
        for entry in self.unmatched.names:
            name = member_name_field(entry.name)
            self.fields[name] = forms.ChoiceField(label=entry.name, choices=choices, required=False)
            decision = chosen.get(member_value_key(entry.name))
            if decision is not None and not self.is_bound:
                self.initial[name] = emails.get(decision.casefold(), "") if decision else NOBODY

    def member_name_rows(self):
        """(unmatched name, its select) for the template."""
        for entry in self.unmatched.names:
            yield entry, self[member_name_field(entry.name)]

    def _member_names(self, previous: dict[str, str]) -> dict[str, str]:
        """The choices of the listed names, with the earlier ones for names not listed here
        (beyond the list's bound, or from a mapping file) kept."""
        listed = {member_value_key(entry.name): entry.name for entry in self.unmatched.names}
        kept = {name: email for name, email in previous.items() if member_value_key(name) not in listed}
        for key, name in listed.items():
            value = self.cleaned_data.get(member_name_field(name), "")
            if value:
                kept[name] = "" if value == NOBODY else value
        return kept

    def portal_rows(self):
        """(email column, [(switch field, label, help)]) for the template."""
        for column in self.email_columns:
            yield column, [(self[f"portal-{column.index}-{name}"], label, text) for name, label, text in PORTAL_SWITCHES]

    def apply(self, mapping: Mapping) -> Mapping:
        data = self.cleaned_data
        s = mapping.settings
        if self.kind == ImportJob.Kind.ACCOUNTS_AND_CONTACTS:
            s.portal = {
                column.header: PortalSwitches(
                    **{name: data[f"portal-{column.index}-{name}"] for name, _, _ in PORTAL_SWITCHES}
                )
                for column in self.email_columns
            }
            s.send_invitations = data["send_invitations"]
        if self.kind != ImportJob.Kind.CONTACTS:
            s.tags = list(data["tags"])
            s.assignees = list(data["assignees"])
            s.member_names = self._member_names(s.member_names)
            s.folder_template = data["folder_template"]
        s.overwrite = data["overwrite"]
        s.update_only = bool(data.get("update_only")) if self.kind == ImportJob.Kind.ACCOUNTS else False
        return mapping


def max_upload_text() -> str:
    """The upload limit as people say it: "200 MB"."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):,.0f} MB"
    if limit >= 1024:
        return f"{limit / 1024:,.0f} KB"
    return f"{limit:,} bytes"
