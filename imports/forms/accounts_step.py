"""Step 2: the account name column, the account type and the account field table (`AccountsForm`),
and where an import's accounts come from, in one sentence (`account_source`)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from imports.forms.field_table import FieldTableForm
from imports.mapping import IGNORE, AccountTypeChoice, ColumnMapping, Mapping
from imports.matching import is_organisation_header
from imports.models import ImportJob

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
