"""Files that are no table at all are refused with one sentence, before anything is imported."""

import io
import re
import zipfile

import pytest

from imports.reading import ReadOptions, UnreadableFile, open_table

from .workbooks import compound_file, write_encrypted_xlsx, write_xls, write_xlsx

PASSWORD = "This workbook is password-protected; remove the password in Excel and upload it again."


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refusal(source, **options) -> str:
    with pytest.raises(UnreadableFile) as caught:
        open_table(source, ReadOptions(**options))
    message = str(caught.value)
    # One sentence: a capital first, one final full stop, no second sentence inside.
    assert message[0].isupper() and message.endswith(".")
    assert not re.search(r"[.!?] [A-Z]", message), message
    return message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "This file is empty.", id="empty"),
        pytest.param(b"\r\n\r\n   \r\n,,,\r\n", "This file contains only blank lines.", id="blank-lines"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(100), "This file is a PNG image, not a spreadsheet or CSV file.", id="png"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "This file is a PDF document, not a spreadsheet or CSV file.", id="pdf"),
        pytest.param(bytes(range(256)) * 40, "This file holds binary data, not a spreadsheet or CSV file.", id="binary"),
        pytest.param(
            zip_bytes({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}),
            "This file is a ZIP archive but not a spreadsheet (XLSX/ODS).",
            id="docx",
        ),
        pytest.param(
            b"PK\x03\x04" + b"\x00" * 60,
            "This file is a damaged ZIP archive or workbook, so it cannot be opened.",
            id="damaged-zip",
        ),
        pytest.param(
            zip_bytes({"Index/Document.iwa": b"\x00", "Metadata/Properties.plist": b""}),
            "This is an Apple Numbers file; export it from Numbers as CSV or Excel and upload that file.",
            id="numbers",
        ),
        pytest.param(
            zip_bytes({"xl/workbook.xml": b"<not really>", "[Content_Types].xml": b"<Types/>"}),
            "This spreadsheet is damaged or uses a form that cannot be read; open it in Excel and save it again as XLSX or CSV.",
            id="damaged-xlsx",
        ),
        pytest.param(
            compound_file({"WordDocument": b"\xec\xa5" + bytes(600)}),
            "This file is a Microsoft Office document but not an Excel workbook.",
            id="word-97",
        ),
        pytest.param(
            b"<!DOCTYPE html>\n<html><body><table><tr><td>Name</td></tr></table></body></html>\n",
            "This file is a web page (HTML) rather than a real spreadsheet; open it in Excel and save it as XLSX or CSV.",
            id="html-as-xls",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>\n',
            "This file is an Excel 2003 XML spreadsheet; open it in Excel and save it as XLSX or CSV.",
            id="xml-spreadsheet-2003",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n<clients><client name="Ann"/></clients>\n',
            "This file is an XML document, not a spreadsheet or CSV file.",
            id="xml",
        ),
        pytest.param(
            b"{\\rtf1\\ansi Name, Email}\n",
            "This file is a rich-text (RTF) document, not a spreadsheet or CSV file.",
            id="rtf",
        ),
    ],
)
def test_file_is_refused_with_one_sentence(write_file, content, message):
    assert refusal(write_file(content)) == message


def test_password_protected_xlsx_is_refused(tmp_path):
    assert refusal(write_encrypted_xlsx(tmp_path / "locked.xlsx")) == PASSWORD


def test_password_protected_xls_is_refused(tmp_path):
    path = write_xls(tmp_path / "locked.xls", {"S": [["Name"], ["Ann"]]}, password_protected=True)
    assert refusal(path) == PASSWORD


def test_file_over_the_limit_is_refused_naming_the_limit(write_file):
    path = write_file(b"Name\n" + b"Ann Lee\n" * 200_000)  # 1.6 MB
    assert refusal(path, max_bytes=1024 * 1024) == "This file is larger than the 1 MB limit."


class HugeUpload(io.RawIOBase):
    """A 300 MB upload that fails the test if anyone reads it."""

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        return 300 * 1024 * 1024 if whence == io.SEEK_END else 0

    def read(self, size=-1):
        raise AssertionError("the size limit must be checked before reading")

    readinto = read


def test_default_limit_is_checked_before_reading():
    assert refusal(HugeUpload()) == "This file is larger than the 200 MB limit."


def test_explicit_encoding_failure_is_one_sentence(write_file):
    message = refusal(write_file("Name\nCrème\n".encode("cp1252")), encoding="utf-8")
    assert "utf-8" in message


def test_missing_file_is_refused(tmp_path):
    assert refusal(tmp_path / "nowhere.csv") == "This file could not be opened."
    assert refusal(tmp_path) == "This file could not be opened."


def test_not_a_file_is_a_programming_error():
    with pytest.raises(TypeError):
        open_table(12)


def test_header_row_below_one_is_a_programming_error(write_file):
    with pytest.raises(ValueError):
        open_table(write_file("Name\nAnn\n"), ReadOptions(header_row=0))



def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(tmp_path):
    rows = [["Client", "Email"]] + [[f"Client {n}", f"client{n}@example.com"] for n in range(3000)]
    path = write_xlsx(tmp_path / "clients.xlsx", {"Clients": rows})
    unpacked = sum(info.file_size for info in zipfile.ZipFile(path).infolist())

    message = refusal(path, max_unpacked_bytes=unpacked - 1)
    assert message.startswith("This workbook unpacks to ") and "save it as CSV (UTF-8)" in message
    with open_table(path, ReadOptions(max_unpacked_bytes=unpacked)) as table:  # at the limit: read
        assert sum(1 for _ in table.rows()) == 3000
