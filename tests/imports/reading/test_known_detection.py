"""A table opened with the detection stored at upload (`ReadOptions.known`) reads exactly as a
fresh detection does, for every kind of file, without detecting anything again."""

from unittest import mock

import pytest

from imports.reading import ReadOptions, open_table

from .test_iif import IIF
from .workbooks import write_xlsx

CSV = "Report of clients\n\nClient;First Name;Email\nAcme;Ann;ann@acme.example\nBolt;Bo;bo@bolt.example\n\nTotal;2\n"


def refuse(*args, **kwargs):
    raise AssertionError("detected again")


def read_both(path):
    with open_table(path) as table:
        info, rows = table.info, [(row.number, row.cells) for row in table.rows()]
    with mock.patch("imports.reading.table.detect_encoding", refuse), \
            mock.patch("imports.reading.table.sniff_delimiter", refuse), \
            mock.patch("imports.reading.layout.find_header_row", refuse), \
            open_table(path, ReadOptions(known=info)) as table:
        return (info, rows), (table.info, [(row.number, row.cells) for row in table.rows()])


@pytest.mark.parametrize("kind", ["csv", "iif", "xlsx"])
def test_a_stored_detection_reads_the_file_as_a_fresh_one(kind, write_file, tmp_path):
    if kind == "csv":
        path = write_file(CSV.encode("cp1252"))
    elif kind == "iif":
        path = write_file(IIF.encode("cp1252"), name="customers.iif")
    else:
        path = write_xlsx(tmp_path / "clients.xlsx", {"Empty": [], "Clients": [
            ["Client", "Email"], ["Acme", "ann@acme.example"], ["Bolt", "bo@bolt.example"]]})
    fresh, known = read_both(path)
    assert known == fresh
    assert fresh[1]  # rows were read


def test_a_stored_sheet_that_is_gone_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "clients.xlsx", {"Clients": [["Client"], ["Acme"]]})
    with open_table(path) as table:
        info = table.info
    info.sheet = "Old"
    from imports.reading import UnreadableFile

    with pytest.raises(UnreadableFile, match="no sheet named"):
        open_table(path, ReadOptions(known=info))
