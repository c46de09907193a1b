"""The skipped-rows file and the skipped rows an import stores: fixable, and never a full SSN/TIN."""

import csv
import io
import zipfile

from imports.models import ImportIssue
from imports.report import skipped_rows_zip
from tests.imports.conftest import import_rows

ROWS = [
    ["Name", "Email", "SSN", "Other ref"],
    ["Ann Lee", "ann@example.com", "111-22-3333", ""],
    ["", "", "123-45-6789", "98-7654321"],  # no name, no email: skipped
]


def test_skipped_rows_are_stored_with_ssn_and_tin_cells_masked(firm, owner):
    job, counts = import_rows(firm, owner, ROWS, {"Name": "account.name", "Email": "contact.email",
                                                  "SSN": "contact.tax_id"})
    assert counts["rows_skipped"] == 1
    issue = ImportIssue.objects.get(job=job, severity=ImportIssue.Severity.SKIP)
    # The mapped tax ID column, and an unmapped cell written like an EIN.
    assert issue.cells == ["", "", "•••-••-6789", "•••-••-4321"]


def test_the_skipped_rows_zip_masks_tax_ids_even_in_rows_stored_unmasked(firm, owner):
    job, _ = import_rows(firm, owner, ROWS, {"Name": "account.name", "Email": "contact.email",
                                             "SSN": "contact.tax_id"})
    # As an import from before masking stored it.
    ImportIssue.objects.filter(job=job, severity=ImportIssue.Severity.SKIP).update(cells=ROWS[2])
    out = io.BytesIO()
    assert skipped_rows_zip(job, out) == 1
    archive = zipfile.ZipFile(out)
    text = archive.read(archive.namelist()[0]).decode("utf-8-sig")
    assert "6789" in text and "123-45-6789" not in text and "98-7654321" not in text
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == [*ROWS[0], "Row", "Reason"] and row[2:4] == ["•••-••-6789", "•••-••-4321"]
