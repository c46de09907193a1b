"""SSN/TIN and EIN values outside the records: which cells of a row hold them, and their masks.

The contact record (a person's SSN/TIN) and the account record (a business's EIN / tax ID) keep
the number (masked wherever it is shown); every copy the import makes
of a raw row (the preview, the skipped rows it stores, the skipped-rows file) keeps only the last
four characters. The original upload, which the firm has anyway, is the one full copy, and is
deleted after the firm's retention period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from imports.cleaning import looks_like_tax_id, mask_tax_id


def tax_id_columns(mapping: dict, headers: Sequence[str]) -> set[int]:
    """Positions of the columns the mapping (as stored on the job) sends to a tax ID: a person's
    (`contact.tax_id`, `contact2.tax_id`...) or the account's (`account.tax_id`)."""
    names = {
        column.get("column") for column in (mapping or {}).get("columns", [])
        if str(column.get("target", "")).endswith(".tax_id")
    }
    return {index for index, header in enumerate(headers) if header in names}


def mask_cells(cells: Iterable[str], tax_ids: set[int]) -> list[str]:
    """The row with its tax-ID columns masked, and any other cell written like an SSN or EIN."""
    return [
        mask_tax_id(cell) if cell and cell.strip() and (index in tax_ids or looks_like_tax_id(cell)) else cell
        for index, cell in enumerate(cells)
    ]
