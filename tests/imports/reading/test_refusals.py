"""Files that are no table at all are refused with one sentence, before anything is imported."""

import io
import re
import zipfile
from itertools import islice

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


# --- Hostile files: refused early and cheaply ----------------------------------------------------


class CountingFile(io.BytesIO):
    """A real in-memory file that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_a_file_that_is_one_huge_line_is_refused_from_its_start_without_reading_the_rest():
    source = CountingFile(b"Name," + b"x" * (30 * 1024 * 1024))
    message = refusal(source, max_line_chars=100_000)
    assert message.startswith("Its first line is longer than 100,000 characters")
    assert source.bytes_read < 3 * 1024 * 1024  # the head and one buffered chunk, not 30 MB


def test_a_long_line_further_down_stops_the_reading_when_it_is_met(write_file):
    # Below the ~1,000 rows opening reads to find the layout: met while the rows stream.
    body = "".join(f"Client {n},c{n}@example.com\n" for n in range(1500))
    path = write_file("Name,Email\n" + body + "Bob," + "b" * 5000 + "\nCarl,carl@example.com\n")
    with open_table(path, ReadOptions(max_line_chars=1000)) as table:
        rows = table.rows()
        assert sum(1 for _ in islice(rows, 1500)) == 1500
        with pytest.raises(UnreadableFile, match="A line of this file is longer than 1,000 characters"):
            next(rows)


def test_a_line_of_exactly_the_limit_is_read(write_file):
    name = "a" * 995
    with open_table(write_file(f"Name,Id\r\n{name},1\r\n"), ReadOptions(max_line_chars=len(name) + 2)) as table:
        assert [row.cells for row in table.rows()] == [[name, "1"]]


def test_a_spreadsheet_row_longer_than_the_limit_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", {"Clients": [["Name", "Note"], ["Ann", "n" * 3000]]})
    assert refusal(path, max_line_chars=1000).startswith("A row of this sheet is longer than 1,000 characters")


def patch_zip_entry(data: bytes, name: str, *, version=None, flag=None, method=None) -> bytes:
    """The archive with one entry's local and central headers rewritten, as a crafted file has them."""
    out = bytearray(data)
    for signature, name_length_at, name_at, version_at in ((b"PK\x03\x04", 26, 30, 4), (b"PK\x01\x02", 28, 46, 6)):
        pos = out.find(signature)
        while pos >= 0:
            length = int.from_bytes(out[pos + name_length_at:pos + name_length_at + 2], "little")
            if bytes(out[pos + name_at:pos + name_at + length]) == name.encode():
                if version is not None:
                    out[pos + version_at:pos + version_at + 2] = version.to_bytes(2, "little")
                if flag is not None:
                    out[pos + version_at + 2] |= flag
                if method is not None:
                    out[pos + version_at + 4:pos + version_at + 6] = method.to_bytes(2, "little")
            pos = out.find(signature, pos + 4)
    return bytes(out)


def crafted_workbooks(tmp_path) -> dict[str, bytes]:
    """The three crafted files of the hardening review: ZIP version 8.8, an encrypted `mimetype`
    entry, compression method 99 (AES)."""
    from .workbooks import write_ods

    xlsx = write_xlsx(tmp_path / "real.xlsx", {"Clients": [["Name"], ["Ann"]]}).read_bytes()
    ods = write_ods(tmp_path / "real.ods", {"Clients": [["Name"], ["Ann"]]}).read_bytes()
    return {
        "version-8.8.xlsx": patch_zip_entry(xlsx, "xl/workbook.xml", version=88),
        "encrypted-mimetype.ods": patch_zip_entry(ods, "mimetype", flag=0x1),
        "method-99.ods": patch_zip_entry(ods, "mimetype", method=99),
    }


@pytest.mark.parametrize("name", ["version-8.8.xlsx", "encrypted-mimetype.ods", "method-99.ods"])
def test_a_crafted_workbook_is_refused_with_one_sentence(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(crafted_workbooks(tmp_path)[name])
    message = refusal(path)
    assert "save it again as XLSX or CSV" in message
