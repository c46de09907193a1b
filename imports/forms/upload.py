"""Step 1 of the wizard: the upload form with the upload limit, what each kind of import is for,
and how to read the file (encoding, delimiter, header row, sheet) over the reader's guesses."""

from __future__ import annotations

from django import forms
from django.conf import settings

from imports.mapping import Mapping
from imports.models import ImportJob

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


def max_upload_text() -> str:
    """The upload limit as people say it: "200 MB"."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):,.0f} MB"
    if limit >= 1024:
        return f"{limit / 1024:,.0f} KB"
    return f"{limit:,} bytes"
