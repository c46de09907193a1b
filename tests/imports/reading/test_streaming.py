"""rows() streams, restarts, and leaves the caller's file alone."""

import csv
import io
import tracemalloc
import types

import pytest
from django.core.files.base import ContentFile

from imports.reading import ReadOptions, SourceRow, open_table

from .workbooks import write_xlsx

CLIENTS = "Name,Email,Phone\r\nAnn,a@x.com,555-0100\r\n\r\nBob,b@x.com,555-0101\r\n,,\r\n\"Generated 2026-11-03\",,\r\n"


@pytest.fixture
def big_csv(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([f"Column {i}" for i in range(10)])
        for n in range(50_000):
            writer.writerow([f"value {n} {i}" for i in range(10)])
    return path


def test_rows_is_a_generator_that_holds_no_rows_in_memory(big_csv):
    with open_table(big_csv) as table:
        rows = table.rows()
        assert isinstance(rows, types.GeneratorType)
        tracemalloc.start()
        try:
            count = 0
            for row in rows:
                count += 1
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert count == 50_000
    # Holding the 50,000 rows takes ~48 MB here; streaming peaks near 1 MB (buffers included).
    assert peak < 5 * 1024 * 1024


def test_rows_twice_yields_the_same_rows(write_file):
    with open_table(write_file(CLIENTS)) as table:
        first = list(table.rows())
        second = list(table.rows())
    assert first == second
    assert [row.number for row in first] == [2, 4]


def test_rows_twice_yields_the_same_rows_from_a_workbook(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"S": [["Name", "Email"], ["Ann", "a@x.com"], ["Bob", "b@x.com"]]})
    with open_table(path) as table:
        assert list(table.rows()) == list(table.rows()) == [
            SourceRow(2, ["Ann", "a@x.com"], []),
            SourceRow(3, ["Bob", "b@x.com"], []),
        ]


def test_footer_is_known_after_a_full_pass(write_file):
    with open_table(write_file(CLIENTS)) as table:
        assert table.footer == []
        table.preview(1)
        assert table.footer == []  # a preview does not reach the end
        list(table.rows())
        assert table.footer == ["Generated 2026-11-03"]
        list(table.rows())
        assert table.footer == ["Generated 2026-11-03"]  # not doubled by a second pass


def test_preview_returns_the_first_rows(write_file):
    with open_table(write_file("Name\n" + "".join(f"P{i}\n" for i in range(20)))) as table:
        assert [row.cells[0] for row in table.preview()] == ["P0", "P1", "P2", "P3", "P4"]
        assert [row.number for row in table.preview(2)] == [2, 3]


def test_django_upload_is_read_and_left_open():
    upload = ContentFile(CLIENTS.encode("utf-8"), name="clients.csv")
    with open_table(upload, name=upload.name) as table:
        assert table.info.headers == ["Name", "Email", "Phone"]
        assert len(list(table.rows())) == 2
    assert not upload.closed
    upload.seek(0)
    assert upload.read(4) == b"Name"


def test_interleaved_passes_over_one_file_object_do_not_disturb_each_other():
    text = "Name\n" + "".join(f"Person {i}\n" for i in range(100_000))  # larger than the read buffer
    with open_table(io.BytesIO(text.encode())) as table:
        full = table.rows()
        first = next(full)
        assert [row.cells[0] for row in table.preview(3)] == ["Person 0", "Person 1", "Person 2"]
        rest = list(full)
    assert first.cells == ["Person 0"]
    assert len(rest) == 99_999 and rest[-1].cells == ["Person 99999"]


def test_closed_table_refuses_new_passes(write_file):
    table = open_table(write_file(CLIENTS))
    table.close()
    table.close()  # harmless twice
    with pytest.raises(ValueError):
        table.rows()


def test_options_default_to_the_contract():
    options = ReadOptions()
    assert (options.encoding, options.delimiter, options.header_row, options.sheet) == (None, None, None, None)
    assert options.keep_footer is False
    assert options.max_bytes == 200 * 1024 * 1024
