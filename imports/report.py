"""What an import tells its user: the counters and the skipped rows as a fixable file."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable

from imports.cleaning.codes import code_title
from imports.cleaning.text import FORMULA_STARTS
from imports.models import COUNTER_NAMES, ROWS_IN_FILE, ImportIssue, ImportJob
from imports.sensitive import mask_cells, tax_id_columns

# Characters that make Excel/LibreOffice treat a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = (*FORMULA_STARTS, "\t", "\r")


def formula_safe(value: str) -> str:
    """A cell that cannot run as a formula: a leading apostrophe, which spreadsheets hide and
    which our importer removes again (docs/import-rules.md, "Cleaning"), so the file still re-imports unchanged."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# The counters (docs/import-rules.md), as the results page, the history and the email name them.
COUNTER_LABELS = {
    "rows_total": "Rows in the file",
    "rows_imported": "Rows imported",
    "rows_skipped": "Rows skipped",
    "accounts_created": "Accounts created",
    "accounts_updated": "Accounts updated",
    "contacts_created": "Contacts created",
    "contacts_updated": "Contacts updated",
    "custom_fields_created": "Custom fields created",
    "tags_created": "Tags created",
    "warnings": "Warnings",
    "rows_unchanged": "Rows that changed nothing",
}
# Counted for accounts-only imports (planning.planner): shown for those only.
ACCOUNTS_ONLY_COUNTERS = ("rows_unchanged",)
assert set(COUNTER_LABELS) == set(COUNTER_NAMES)

def counter_rows(counts: dict, kind: str = "") -> list[tuple[str, str, int]]:
    """(name, label, number) for every counter of an import of `kind`, in the order of
    COUNTER_NAMES.

    After a cancel the counters cover the rows reached, not the file: the file's count comes
    first as "Rows in the file", and `rows_total` is "Rows reached"."""
    counts = counts or {}
    labels = dict(COUNTER_LABELS)
    rows = []
    if ROWS_IN_FILE in counts:
        rows.append((ROWS_IN_FILE, labels["rows_total"], int(counts[ROWS_IN_FILE])))
        labels["rows_total"] = "Rows reached"
    names = [name for name in COUNTER_NAMES if kind == "accounts" or name not in ACCOUNTS_ONLY_COUNTERS]
    return rows + [(name, labels[name], int(counts.get(name, 0))) for name in names]


def job_result(job: ImportJob) -> dict:
    """An import run's result as `clientport import --json` prints it (and webhooks send it):
    the file's rows, every counter, the job, its status, and skipped rows per reason code."""
    from django.db.models import Count

    result = {ROWS_IN_FILE: job.rows_in_file, **counters(job), "job": job.pk, "status": job.status}
    skipped = job.issues.filter(severity=ImportIssue.Severity.SKIP).values("code").annotate(n=Count("pk"))
    result["skipped_reasons"] = {row["code"]: row["n"] for row in skipped}
    return result


def counters(job: ImportJob) -> dict[str, int]:
    return {name: int(job.counts.get(name, 0)) for name in COUNTER_NAMES}


def write_skipped_csv(out: io.TextIOBase, headers: list[str], issues: Iterable[ImportIssue],
                      tax_ids: set[int] = frozenset()) -> int:
    """Original header and cells, plus `Row` and `Reason` (the code's title, then the message:
    "No account name: The row has no account name."): fix the cells and import it again.

    SSN/TIN cells (the `tax_ids` columns and any cell written like one) keep only their last
    four characters, also in rows stored before the import masked them: the firm fixes the other
    cells and takes the number from its own file."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([formula_safe(h) for h in [*headers, "Row", "Reason"]])
    count = 0
    for issue in issues:
        cells = mask_cells([str(c) for c in issue.cells or []], tax_ids)
        cells += [""] * (len(headers) - len(cells))
        reason = f"{code_title(issue.code)}: {issue.message}"
        writer.writerow([formula_safe(str(c)) for c in cells[: len(headers)]] + [issue.row_number, formula_safe(reason)])
        count += 1
    return count


def skipped_rows_zip(job: ImportJob, out) -> int:
    """Writes the zipped CSV of the job's skipped rows to the binary file `out`."""
    headers = list(job.read_info.get("headers", []))
    issues = job.issues.filter(severity=ImportIssue.Severity.SKIP).order_by("row_number", "pk").iterator(chunk_size=2000)
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(f"{stem}-skipped-rows.csv", "w") as raw:
            # UTF-8 with BOM: Excel opens it with the right accents.
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            count = write_skipped_csv(text, headers, issues, tax_id_columns(job.mapping, headers))
            text.flush()
            text.detach()
    return count
