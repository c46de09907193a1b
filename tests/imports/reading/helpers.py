"""Shared by the reader tests: read a whole file in one call."""

from __future__ import annotations

from imports.reading import ReadOptions, SourceRow, TableInfo, open_table


def read(source, name: str = "", **options) -> tuple[TableInfo, list[SourceRow], list[str]]:
    """Open, read every row, close: (info, rows, footer)."""
    with open_table(source, ReadOptions(**options), name=name) as table:
        rows = list(table.rows())
        return table.info, rows, table.footer


def cells(rows: list[SourceRow]) -> list[list[str]]:
    return [row.cells for row in rows]
