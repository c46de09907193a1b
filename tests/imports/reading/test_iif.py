"""QuickBooks Desktop IIF customer lists."""

import pytest

from imports.reading import UnreadableFile

from .helpers import cells, read

IIF = "\r\n".join([
    "!HDR\tPROD\tVER\tREL\tIIFVER\tDATE\tTIME\tACCNTNT\tACCNTNTSPLITTIME",
    "HDR\tQuickBooks Pro\tVersion 27.0D\tRelease R6P\t1\t2026-11-03\t1762180860\tN\t0",
    "!CUST\tNAME\tREFNUM\tTIMESTAMP\tBADDR1\tBADDR2\tPHONE1\tEMAIL\tCONT1",
    "!ENDGRP",
    "CUST\tMüller GmbH\t12\t1057795893\tMüller GmbH\t\"1 Main St, Suite 2\"\t312-555-0100\tinfo@mueller.example\tHans Müller",
    "CUST\tAcme Inc\t13\t1057795894\tAcme Inc\t2 High St\t\t\tAnn Lee",
    "ENDGRP",
    "!VEND\tNAME\tREFNUM",
    "VEND\tOffice Depot\t40",
    "",
])


def test_iif_customer_list_is_read(write_file):
    info, rows, footer = read(write_file(IIF.encode("cp1252"), name="customers.iif"))
    assert (info.format, info.encoding, info.delimiter) == ("iif", "cp1252", "\t")
    assert info.detected == {"encoding": "cp1252", "delimiter": "\t", "header_row": 3, "sheet": None}
    assert info.header_row == 3
    assert info.headers == ["NAME", "REFNUM", "TIMESTAMP", "BADDR1", "BADDR2", "PHONE1", "EMAIL", "CONT1"]
    assert info.preamble == []
    assert [row.number for row in rows] == [5, 6]  # line numbers of the file
    assert cells(rows) == [
        ["Müller GmbH", "12", "1057795893", "Müller GmbH", "1 Main St, Suite 2", "312-555-0100",
         "info@mueller.example", "Hans Müller"],
        ["Acme Inc", "13", "1057795894", "Acme Inc", "2 High St", "", "", "Ann Lee"],
    ]
    assert footer == []


def test_iif_is_recognised_by_content_whatever_the_name(write_file):
    info, _, _ = read(write_file(IIF, name="customers.txt"))
    assert info.format == "iif"


def test_iif_without_customer_section_is_refused(write_file):
    text = "!VEND\tNAME\tREFNUM\r\nVEND\tOffice Depot\t40\r\n"
    with pytest.raises(UnreadableFile, match=r"^This QuickBooks IIF file has no customer list \(no !CUST section\)\.$"):
        read(write_file(text, name="vendors.iif"))
