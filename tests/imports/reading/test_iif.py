"""QuickBooks Desktop IIF customer lists."""

import pytest

from imports.mapping import IGNORE
from imports.matching import suggest_mapping
from imports.reading import UnreadableFile
from imports.reading.iif import split_address

from .helpers import cells, read

BILLING = [
    "Billing Attention", "Billing Street", "Billing Street 2", "Billing City", "Billing State", "Billing ZIP",
    "Billing Country",
]

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
    assert info.headers == [
        "NAME", "Customer", "Job", "REFNUM", "TIMESTAMP", *BILLING, "PHONE1", "EMAIL", "CONT1",
    ]
    assert info.preamble == []
    assert [row.number for row in rows] == [5, 6]  # line numbers of the file
    assert cells(rows) == [
        ["Müller GmbH", "Müller GmbH", "", "12", "1057795893", "", "1 Main St, Suite 2", "", "", "", "", "",
         "312-555-0100", "info@mueller.example", "Hans Müller"],
        ["Acme Inc", "Acme Inc", "", "13", "1057795894", "", "2 High St", "", "", "", "", "", "", "", "Ann Lee"],
    ]
    assert footer == []


def test_iif_is_recognised_by_content_whatever_the_name(write_file):
    info, _, _ = read(write_file(IIF, name="customers.txt"))
    assert info.format == "iif"


def test_iif_without_customer_section_is_refused(write_file):
    text = "!VEND\tNAME\tREFNUM\r\nVEND\tOffice Depot\t40\r\n"
    with pytest.raises(UnreadableFile, match=r"^This QuickBooks IIF file has no customer list \(no !CUST section\)\.$"):
        read(write_file(text, name="vendors.iif"))


CUSTOMERS = "\r\n".join([
    "!CUST\tNAME\tREFNUM\tTIMESTAMP\tBADDR1\tBADDR2\tBADDR3\tBADDR4\tBADDR5\tSADDR1\tSADDR2\tSADDR3\tSADDR4"
    "\tSADDR5\tPHONE1\tEMAIL\tCONT1\tCOMPANYNAME\tFIRSTNAME\tLASTNAME",
    "CUST\tAbbott & Sons Plumbing\t12\t1700000001\tAbbott & Sons Plumbing\tFrank Abbott\t12 Elm St"
    "\tBoston, MA 02118\t\tAbbott & Sons Plumbing\t99 Dock Rd\tQuincy, MA 02169\t\t\t(555) 201-3344"
    "\tbilling@abbott.example\tFrank Abbott\tAbbott & Sons Plumbing\tFrank\tAbbott",
    "CUST\tGarcia Dental PC\t14\t1700000003\tGarcia Dental PC\tMaria Garcia, DDS\t900 Route 9"
    "\tFramingham, MA 01701\t\t\t\t\t\t\t508-555-7781\toffice@garcia.example\tMaria Garcia\tGarcia Dental PC"
    "\tMaria\tGarcia",
    "CUST\tGarcia Dental PC:2025 Tax Return\t15\t1700000004\tGarcia Dental PC\t900 Route 9"
    "\tFramingham, MA 01701\t\t\t\t\t\t\t\t508-555-7781\toffice@garcia.example\tMaria Garcia"
    "\tGarcia Dental PC\tMaria\tGarcia",
    "CUST\tPatel Consulting Inc.\t20\t1700000009\tPatel Consulting Inc.\t1 Center Plaza\tSuite 300"
    "\tBoston, MA 02108\tUSA\t\t\t\t\t\t555 410 2233\traj@patel.example\tRaj Patel\tPatel Consulting Inc."
    "\tRaj\tPatel",
    "",
])


def read_customers(write_file):
    info, rows, _ = read(write_file(CUSTOMERS, name="customers.iif"))
    return info, [dict(zip(info.headers, row.cells)) for row in rows]


def test_bill_to_lines_become_street_city_state_and_zip(write_file):
    # The lines are used differently per customer: the street is on line 2 or 3, the city on 3 or 4.
    _, rows = read_customers(write_file)
    address = [[row[header] for header in BILLING] for row in rows]
    assert address == [
        ["", "12 Elm St", "", "Boston", "MA", "02118", ""],  # the company and contact lines repeat names
        ["Maria Garcia, DDS", "900 Route 9", "", "Framingham", "MA", "01701", ""],
        ["", "900 Route 9", "", "Framingham", "MA", "01701", ""],
        ["", "1 Center Plaza", "Suite 300", "Boston", "MA", "02108", "USA"],
    ]


def test_ship_to_lines_become_shipping_columns(write_file):
    info, rows = read_customers(write_file)
    assert not any(header.startswith(("BADDR", "SADDR")) for header in info.headers)
    assert [rows[0][f"Shipping {field}"] for field in ("Street", "City", "State", "ZIP")] == [
        "99 Dock Rd", "Quincy", "MA", "02169",
    ]


def test_a_job_names_its_customer(write_file):
    _, rows = read_customers(write_file)
    assert [(row["NAME"], row["Customer"], row["Job"]) for row in rows] == [
        ("Abbott & Sons Plumbing", "Abbott & Sons Plumbing", ""),
        ("Garcia Dental PC", "Garcia Dental PC", ""),
        ("Garcia Dental PC:2025 Tax Return", "Garcia Dental PC", "2025 Tax Return"),
        ("Patel Consulting Inc.", "Patel Consulting Inc.", ""),
    ]


def test_iif_columns_map_to_account_name_and_address_with_no_clicks(write_file):
    info, rows, _ = read(write_file(CUSTOMERS, name="customers.iif"))
    mapping = suggest_mapping(info.headers, [row.cells for row in rows])
    targets = {column.column: column.target for column in mapping.columns}
    assert mapping.preset == "quickbooks-iif"
    assert targets["Customer"] == "account.name"  # a job joins its customer's account
    assert targets["NAME"] == IGNORE  # Customer and Job say it all
    assert targets["Job"] == "account.custom"
    assert [targets[f"Billing {field}"] for field in ("Street", "Street 2", "City", "State", "ZIP")] == [
        "contact.street", "contact.street2", "contact.city", "contact.state", "contact.postal_code",
    ]
    assert targets["Billing Attention"] == "account.custom"
    assert targets["Shipping Street"] == targets["Shipping City"] == "contact.custom"  # kept, not the address


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Acme Inc", "c/o Wei Chen", "88 Beacon St Apt 4", "Boston, MA 02108"],
         ["c/o Wei Chen", "88 Beacon St Apt 4", "", "Boston", "MA", "02108", ""]),
        (["PO Box 4412", "Toronto, ON M5V 2T6", "Canada"],
         ["", "PO Box 4412", "", "Toronto", "ON", "M5V 2T6", "Canada"]),
        # No street-like line and no city line: the lines are street lines.
        (["Harbor Building", "Pier 4"], ["", "Harbor Building", "Pier 4", "", "", "", ""]),
        # "MD" without a ZIP is a credential, not Maryland.
        (["Maria Garcia, MD", "1 Main St"], ["Maria Garcia, MD", "1 Main St", "", "", "", "", ""]),
        (["", "", ""], ["", "", "", "", "", "", ""]),
    ],
)
def test_address_lines_are_split_without_losing_any(lines, expected):
    assert split_address(lines, {"acme inc"}) == expected
