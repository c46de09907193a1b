"""Tell what an upload is from its content; the file name only breaks no ties.

Users rename files freely ("clients.xls" that is really CSV or HTML, a ".csv" that is an XLSX), so
the magic bytes decide: a ZIP is an XLSX/XLSB/ODS workbook or refused, a compound file (OLE2) is
an XLS workbook (or a password-protected XLSX, refused), known binary formats are refused by name,
and everything else goes to the text reader.
"""

from __future__ import annotations

import re
import zipfile

from .source import Source
from .types import DEFAULT_MAX_UNPACKED_BYTES, UnreadableFile

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

# Binary formats people upload by mistake, named so the refusal says what the file is.
BINARY_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a GZIP archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "a database file"),
)

ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)


def sniff_format(source: Source, *, max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES) -> str:
    """"xlsx", "xlsb", "ods", "xls" or "text"; refuses empty files and files that hold no table."""
    head = source.head()
    if not head:
        raise UnreadableFile("This file is empty.")
    if head.startswith(ZIP_MAGIC):
        return _zip_format(source, max_unpacked_bytes)
    if head.startswith(CFB_MAGIC):
        return "xls"
    for magic, kind in BINARY_MAGIC:
        if head.startswith(magic) and (magic != b"MZ" or b"\x00" in head[:256]):
            raise UnreadableFile(f"This file is {kind}, not a spreadsheet or CSV file.")
    return "text"


def _zip_format(source: Source, max_unpacked_bytes: int) -> str:
    try:
        with source.open() as stream, zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return _within_unpacked_limit(archive, "xlsx", max_unpacked_bytes)
            if "xl/workbook.bin" in names:
                return _within_unpacked_limit(archive, "xlsb", max_unpacked_bytes)
            if "mimetype" in names and archive.read("mimetype").strip() in ODS_MIMETYPES:
                return _within_unpacked_limit(archive, "ods", max_unpacked_bytes)
            if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
                raise UnreadableFile(
                    "This is an Apple Numbers file; "
                    "export it from Numbers as CSV or Excel and upload that file."
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise UnreadableFile(
            "This file is a damaged ZIP archive or workbook, so it cannot be opened."
        ) from exc
    except RuntimeError as exc:
        # zipfile's NotImplementedError (an entry claiming a ZIP version or compression method it
        # does not know, such as AES's 99) and its RuntimeError (an encrypted entry) say the same.
        raise UnreadableFile(
            "This workbook is encrypted or packed in a form spreadsheet programs do not write; "
            "open it in Excel or LibreOffice and save it again as XLSX or CSV."
        ) from exc
    raise UnreadableFile("This file is a ZIP archive but not a spreadsheet (XLSX/ODS).")


def _within_unpacked_limit(archive: zipfile.ZipFile, file_format: str, limit: int) -> str:
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limit:
        mb = 1024 * 1024
        raise UnreadableFile(
            f"This workbook unpacks to {unpacked / mb:,.0f} MB, more than the {limit / mb:,.0f} MB a workbook "
            "may hold; save it as CSV (UTF-8) and upload that file, which is read row by row."
        )
    return file_format


_MARKUP = re.compile(r"\s*(<\?xml|<!doctype|<html|<table|<head|<body|\{\\rtf)", re.IGNORECASE)


def refuse_markup(text_head: str) -> None:
    """Refuse text that is a document rather than a table: HTML "spreadsheets", XML, RTF.

    Several tools export "Excel" files that are really web pages, and Excel 2003 wrote an XML
    format; read as CSV they would turn into nonsense rows instead of a clear answer.
    """
    match = _MARKUP.match(text_head.lstrip("\ufeff"))
    if not match:
        return
    start = match.group(1).lower()
    if start == "{\\rtf":
        raise UnreadableFile("This file is a rich-text (RTF) document, not a spreadsheet or CSV file.")
    if start == "<?xml":
        if "urn:schemas-microsoft-com:office:spreadsheet" in text_head:
            raise UnreadableFile(
                "This file is an Excel 2003 XML spreadsheet; open it in Excel and save it as XLSX or CSV."
            )
        if "<html" not in text_head.lower():
            raise UnreadableFile("This file is an XML document, not a spreadsheet or CSV file.")
    raise UnreadableFile(
        "This file is a web page (HTML) rather than a real spreadsheet; "
        "open it in Excel and save it as XLSX or CSV."
    )
