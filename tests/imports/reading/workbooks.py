"""Write small but real XLSX, ODS and XLS files for the reader tests.

Neither openpyxl nor odfpy is installed, and fixtures committed as binaries hide what they hold,
so the tests build their workbooks here from plain Python values:

    sheets = {"Clients": [["Name", "Zip"], ["Ann", "02134"], None, ["Bob", 3125550100]]}

A row of `None` is an empty row (not written at all, as Excel does); a cell of `None` is an
empty cell. `str` is a text cell, `bool` a boolean, `int`/`float` a number, `date`/`datetime` a
number with a date format (as spreadsheets store them) and `CellError("#N/A")` an error value.
`first_row`/`first_col` (0-based) move the data away from A1.

The XLS writer produces a BIFF8 workbook inside a minimal compound file (OLE2); it holds only
what a reader needs (BOF, XF, BoundSheet8, Label, Number, BoolErr, EOF).
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

Sheets = dict[str, list[list[object] | None]]

EXCEL_EPOCH = dt.datetime(1899, 12, 30)


@dataclass(frozen=True)
class CellError:
    code: str  # "#N/A", "#DIV/0!", ...


def excel_serial(value: dt.date) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value - EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- XLSX -------------------------------------------------------------------------------------

_XLSX_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
</styleSheet>"""


def _xlsx_cell(ref: str, value: object) -> str:
    if isinstance(value, CellError):
        return f'<c r="{ref}" t="e"><v>{escape(value.code)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="2"><v>{excel_serial(value)!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{excel_serial(value)!r}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _xlsx_sheet(rows: list[list[object] | None], first_row: int, first_col: int) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for r, row in enumerate(rows, start=first_row):
        if row is None:
            continue
        cells = "".join(
            _xlsx_cell(f"{column_letter(c)}{r + 1}", value)
            for c, value in enumerate(row, start=first_col)
            if value is not None
        )
        parts.append(f'<row r="{r + 1}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def write_xlsx(
    path: Path, sheets: Sheets, *, first_row: int = 0, first_col: int = 0, hidden: tuple[str, ...] = ()
) -> Path:
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    hidden_state = ' state="hidden"'
    sheet_entries = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}"'
        f'{hidden_state if name in hidden else ""} r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheet_entries}</sheets></workbook>"
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    styles_id = len(names) + 1
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{sheet_rels}"
        f'<Relationship Id="rId{styles_id}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        zf.writestr("xl/styles.xml", _XLSX_STYLES)
        for i, name in enumerate(names, start=1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", _xlsx_sheet(sheets[name], first_row, first_col))
    return path


# --- ODS --------------------------------------------------------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.2"'
)


def _ods_cell(value: object) -> str:
    if isinstance(value, CellError):
        raise NotImplementedError("error cells are only written to XLSX and XLS")
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
            f"<text:p>{flag.upper()}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.datetime):
        iso = value.isoformat(timespec="seconds")
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
            f"<text:p>{iso}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    if isinstance(value, (int, float)):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value!r}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: Sheets) -> Path:
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row><table:table-cell/></table:table-row>"
            if row is None
            else "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        tables.append(f'<table:table table:name="{escape(name)}">{body}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {_ODS_NS}><office:body><office:spreadsheet>"
        f"{''.join(tables)}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


# --- XLS (BIFF8 in a compound file) -----------------------------------------------------------

_XF_GENERAL, _XF_DATE, _XF_DATETIME = 0, 1, 2
_ERROR_CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D,
                "#NUM!": 0x24, "#N/A": 0x2A}


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(substream: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 0x06))


def _xls_cell(row: int, col: int, value: object) -> bytes:
    if isinstance(value, CellError):
        return _record(0x0205, struct.pack("<HHHBB", row, col, _XF_GENERAL, _ERROR_CODES[value.code], 1))
    if isinstance(value, bool):
        return _record(0x0205, struct.pack("<HHHBB", row, col, _XF_GENERAL, int(value), 0))
    if isinstance(value, dt.datetime):
        return _record(0x0203, struct.pack("<HHHd", row, col, _XF_DATETIME, excel_serial(value)))
    if isinstance(value, dt.date):
        return _record(0x0203, struct.pack("<HHHd", row, col, _XF_DATE, excel_serial(value)))
    if isinstance(value, (int, float)):
        return _record(0x0203, struct.pack("<HHHd", row, col, _XF_GENERAL, float(value)))
    text = str(value)
    encoded = text.encode("utf-16-le")
    return _record(0x0204, struct.pack("<HHHHB", row, col, _XF_GENERAL, len(text), 1) + encoded)


def xls_workbook_stream(sheets: Sheets, *, password_protected: bool = False) -> bytes:
    """The BIFF8 `Workbook` stream: globals, then one substream per sheet."""
    sheet_streams = []
    for rows in sheets.values():
        body = b"".join(
            _xls_cell(r, c, value)
            for r, row in enumerate(rows)
            if row is not None
            for c, value in enumerate(row)
            if value is not None
        )
        sheet_streams.append(_bof(0x0010) + body + _record(0x000A, b""))

    def bound_sheet(offset: int, name: str) -> bytes:
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + name.encode("utf-16-le"))

    head = _bof(0x0005)
    if password_protected:
        # FilePass with RC4 encryption: readers must refuse, they cannot decrypt without the password.
        head += _record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))
    # XF records: only the number format matters to a reader (general, date, date-time).
    head += b"".join(_record(0x00E0, struct.pack("<HH", 0, ifmt) + bytes(16)) for ifmt in (0, 14, 22))
    names = list(sheets)
    globals_len = len(head) + sum(len(bound_sheet(0, n)) for n in names) + 4
    offset = globals_len
    bound = b""
    for name, stream in zip(names, sheet_streams):
        bound += bound_sheet(offset, name)
        offset += len(stream)
    return head + bound + _record(0x000A, b"") + b"".join(sheet_streams)


_SECTOR = 512
_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, start: int, size: int, *, child: int = _NOSTREAM,
               right: int = _NOSTREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded, len(encoded), kind, 1, _NOSTREAM, right, child, bytes(16), 0, 0, 0, start, size,
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding `streams` (each padded to 4096 bytes, so no mini stream)."""
    padded = {name: data.ljust(4096, b"\0") for name, data in streams.items()}
    sector_counts = [-(-len(data) // _SECTOR) for data in padded.values()]
    data_sectors = sum(sector_counts) + 1  # + one directory sector (up to 4 entries)
    assert len(streams) <= 3, "one directory sector holds the root and three streams"
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + data_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "keep test workbooks under ~7 MB"

    fat = [_FATSECT] * fat_sectors
    dir_sector = len(fat)
    fat.append(_ENDOFCHAIN)
    starts = []
    for count in sector_counts:
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + count))
        fat.append(_ENDOFCHAIN)
    fat.extend([_FREESECT] * (fat_sectors * 128 - len(fat)))

    entries = [_dir_entry("Root Entry", 5, _ENDOFCHAIN, 0, child=1)]
    names = list(padded)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else _NOSTREAM
        entries.append(_dir_entry(name, 2, starts[i], len(padded[name]), right=right))
    while len(entries) < 4:
        entries.append(_dir_entry("", 0, _FREESECT, 0))
    directory = b"".join(entries)

    difat = list(range(fat_sectors)) + [_FREESECT] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6),
        0, fat_sectors, dir_sector, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0,
    ) + struct.pack("<109I", *difat)
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    for name in names:
        body += padded[name].ljust(-(-len(padded[name]) // _SECTOR) * _SECTOR, b"\0")
    return header + body


def write_xls(path: Path, sheets: Sheets, *, password_protected: bool = False) -> Path:
    path.write_bytes(compound_file({"Workbook": xls_workbook_stream(sheets, password_protected=password_protected)}))
    return path


def write_encrypted_xlsx(path: Path) -> Path:
    """What Excel writes for an XLSX with a password to open: a compound file, not a ZIP."""
    path.write_bytes(compound_file({
        "EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40) + bytes(64),
        "EncryptedPackage": struct.pack("<Q", 1234) + bytes(2048),
    }))
    return path
