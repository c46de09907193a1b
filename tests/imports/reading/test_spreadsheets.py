"""XLSX, XLS and ODS through python-calamine: every cell as the text a person reads."""

import datetime as dt
import io

import pytest

from imports.reading import UnreadableFile
from imports.reading.spreadsheet import cell_text

from .helpers import cells, read
from .workbooks import CellError, write_ods, write_xls, write_xlsx

WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods}

HEADER = ["Name", "Zip", "Phone", "Since", "Last call", "Active", "Rate", "Balance"]
ROW = ["Ann Lee", "02134", 3125550100, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 10, 30), True, 1.5, -20]
ROW_TEXT = ["Ann Lee", "02134", "3125550100", "2024-03-01", "2024-03-01 10:30:00", "TRUE", "1.5", "-20"]


@pytest.fixture(params=sorted(WRITERS))
def fmt(request):
    return request.param


def write(tmp_path, fmt, sheets, name=None):
    return WRITERS[fmt](tmp_path / (name or f"clients.{fmt}"), sheets)


def test_cells_become_text(tmp_path, fmt):
    midnight = dt.datetime(2024, 3, 2, 0, 0)
    path = write(tmp_path, fmt, {"Clients": [HEADER, ROW, ["Bob", None, None, midnight, None, False, 0.25, 7.0]]})
    info, rows, _ = read(path)
    assert (info.format, info.encoding, info.delimiter) == (fmt, None, None)
    assert info.detected == {"encoding": None, "delimiter": None, "header_row": 1, "sheet": "Clients"}
    assert info.headers == HEADER
    assert cells(rows) == [ROW_TEXT, ["Bob", "", "", "2024-03-02", "", "FALSE", "0.25", "7"]]


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_error_cells_are_empty(tmp_path, fmt):
    path = write(tmp_path, fmt, {"S": [["Name", "Total"], ["Ann", CellError("#DIV/0!")], ["Bob", CellError("#N/A")]]})
    _, rows, _ = read(path)
    assert cells(rows) == [["Ann", ""], ["Bob", ""]]


def test_first_sheet_is_read_by_default_and_all_sheets_are_listed(tmp_path, fmt):
    path = write(tmp_path, fmt, {"Clients": [["Name"], ["Ann"]], "Prospects": [["Name"], ["Zoe"]]})
    info, rows, _ = read(path)
    assert (info.sheet, info.detected["sheet"], info.sheets) == ("Clients", "Clients", ["Clients", "Prospects"])
    assert cells(rows) == [["Ann"]]


def test_explicit_sheet_overrides_guess(tmp_path, fmt):
    path = write(tmp_path, fmt, {"Clients": [["Name"], ["Ann"]], "Prospects": [["Email"], ["zoe@x.com"]]})
    info, rows, _ = read(path, sheet="Prospects")
    assert (info.sheet, info.detected["sheet"]) == ("Prospects", "Clients")
    assert info.headers == ["Email"] and cells(rows) == [["zoe@x.com"]]


def test_empty_first_sheet_is_passed_over(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"Cover": [], "Clients": [["Name"], ["Ann"]]})
    info, _, _ = read(path)
    assert info.sheet == "Clients"


def test_hidden_first_sheet_is_passed_over_but_listed(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"Lookup": [["Code"], ["X1"]], "Clients": [["Name"], ["Ann"]]}, hidden=("Lookup",))
    info, _, _ = read(path)
    assert info.sheet == "Clients" and info.sheets == ["Lookup", "Clients"]
    assert read(path, sheet="Lookup")[1][0].cells == ["X1"]


def test_missing_sheet_is_refused(tmp_path, fmt):
    path = write(tmp_path, fmt, {"Clients": [["Name"], ["Ann"]]})
    with pytest.raises(UnreadableFile, match=r'^This workbook has no sheet named "Nope"\.$'):
        read(path, sheet="Nope")


def test_chosen_empty_sheet_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"Clients": [["Name"], ["Ann"]], "Notes": []})
    with pytest.raises(UnreadableFile, match=r'^The sheet "Notes" is empty\.$'):
        read(path, sheet="Notes")


def test_workbook_without_data_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"Sheet1": [], "Sheet2": []})
    with pytest.raises(UnreadableFile, match=r"^This workbook has no data in any sheet\.$"):
        read(path)


def test_row_numbers_are_the_sheet_row_numbers(tmp_path, fmt):
    sheet = [None, ["Client list"], None, ["Name", "Email"], ["Ann", "a@x.com"], None, ["Bob", "b@x.com"]]
    info, rows, _ = read(write(tmp_path, fmt, {"S": sheet}))
    assert (info.header_row, info.preamble) == (4, ["Client list"])
    assert [(row.number, row.cells) for row in rows] == [(5, ["Ann", "a@x.com"]), (7, ["Bob", "b@x.com"])]


def test_data_away_from_a1_keeps_excel_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"S": [["Name", "Email"], ["Ann", "a@x.com"]]}, first_row=2, first_col=1)
    info, rows, _ = read(path)
    assert info.header_row == 3 and info.headers == ["Name", "Email"]
    assert [(row.number, row.cells) for row in rows] == [(4, ["Ann", "a@x.com"])]


def test_explicit_header_row_in_a_sheet(tmp_path, fmt):
    path = write(tmp_path, fmt, {"S": [["Name", "Email"], ["Ann", "a@x.com"], ["Bob", "b@x.com"]]})
    info, rows, _ = read(path, header_row=2)
    assert info.headers == ["Ann", "a@x.com"] and cells(rows) == [["Bob", "b@x.com"]]


def test_workbook_footer_is_recognised(tmp_path, fmt):
    sheet = [["Name", "Email", "Phone"], ["Ann", "a@x.com", "555"], None, ["Confidential Information"]]
    _, rows, footer = read(write(tmp_path, fmt, {"S": sheet}))
    assert cells(rows) == [["Ann", "a@x.com", "555"]]
    assert footer == ["Confidential Information"]


def test_workbook_is_read_from_a_file_object(tmp_path, fmt):
    data = write(tmp_path, fmt, {"S": [["Name"], ["Ann"]]}).read_bytes()
    info, rows, _ = read(io.BytesIO(data), name=f"upload.{fmt}")
    assert info.format == fmt and cells(rows) == [["Ann"]]


def test_content_decides_over_the_file_name(tmp_path, write_file):
    xlsx = write_xlsx(tmp_path / "really-a-workbook.csv", {"S": [["Name"], ["Ann"]]})
    assert read(xlsx, name="really-a-workbook.csv")[0].format == "xlsx"
    csv_named_xls = write_file("Name,Email\nAnn,a@x.com\n", name="export.xls")
    assert read(csv_named_xls, name="export.xls")[0].format == "csv"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("02134", "02134"),
        (3125550100.0, "3125550100"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),  # what Excel shows, not 0.30000000000000004
        (-0.0, "0"),
        (1e20, "100000000000000000000"),
        (12345678901234567.0, "12345678901234600"),  # Excel keeps 15 significant digits
        (7, "7"),
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.date(2024, 3, 1), "2024-03-01"),
        (dt.datetime(2024, 3, 1, 10, 30), "2024-03-01 10:30:00"),
        (dt.datetime(2024, 3, 1), "2024-03-01"),
        (dt.time(9, 5), "09:05:00"),
        (dt.timedelta(hours=1, minutes=30), "1:30:00"),
        ("", ""),
        (None, ""),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
