"""Step 1 of the import: open any upload as a table of text cells.

    with open_table(path_or_file, ReadOptions(...), name="clients.csv") as table:
        table.info.headers      # what the user maps in step 2
        table.info.detected     # the guesses (encoding, delimiter, header row, sheet), shown and overridable
        for row in table.rows():  # streamed; call again to restart
            row.number, row.cells, row.extra, row.error

Pure Python: no database, no settings; callers pass limits in `ReadOptions`. Modules:
`formats` (what the bytes are), `encoding`, `delimited` (CSV/TSV and broken-quote recovery),
`iif` (QuickBooks Desktop lists), `spreadsheet` (XLSX/XLS/ODS via python-calamine), `layout`
(header row, preamble, headers, footer) and `table` (`open_table`, `Table`).
"""

from .table import Table, open_table, sniff_upload
from .types import ReadOptions, SourceRow, TableInfo, UnreadableFile

__all__ = ["ReadOptions", "SourceRow", "Table", "TableInfo", "UnreadableFile", "open_table", "sniff_upload"]
