"""A whole US address in one cell is split into its parts; anything else is left alone."""

import pytest

from crm.models import Contact
from imports.cleaning.addresses import (
    Address,
    looks_like_street_line,
    split_address,
    split_city_line,
    split_us_address,
)
from tests.imports.conftest import import_rows


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("123 Main St, Boston, MA 02118", Address("123 Main St", "Boston", "MA", "02118")),
        ("123 Main St\nSuite 4\nBoston, MA 02118-1234, USA", Address("123 Main St, Suite 4", "Boston", "MA",
                                                                      "02118-1234", "USA")),
        ("45 Elm Ave Apt 2, New York, NY 10001, United States", Address("45 Elm Ave Apt 2", "New York", "NY",
                                                                         "10001", "United States")),
        ("PO Box 12, Austin TX 78701", Address("PO Box 12", "Austin", "TX", "78701")),
        ("Salt Lake City, ut. 84101", Address("", "Salt Lake City", "UT", "84101")),
        ("123 Main St", None),  # a street alone
        ("12 Elm St Boston, MA 02118", Address("12 Elm St", "Boston", "MA", "02118")),  # QuickBooks Online
        ("12 Main St Apt 4 New York, NY 10001", Address("12 Main St Apt 4", "New York", "NY", "10001")),
        ("PO Box 4412 Boston, MA 02108", Address("PO Box 4412", "Boston", "MA", "02108")),
        ("One Financial Center Boston, MA 02111", Address("One Financial Center", "Boston", "MA", "02111")),
        ("Rural Route 2 Box 5 Salem, NH 03079", Address("Rural Route 2 Box 5", "Salem", "NH", "03079")),
        ("Riverside Apartments North Building Springfield, IL 62701", None),  # where the street ends is a guess
        ("Flat 2, 10 Downing St, London SW1A 2AA", None),  # not a US address
        ("12 Rue de la Paix, 75002 Paris", None),
        ("9 Oak Rd, Springfield, XX 12345", None),  # XX is no state
        ("x" * 400 + ", Boston, MA 02118", None),  # not one address
        # A street that ends in a direction keeps it, and its city stays the city.
        ("500 Main St NW Washington DC 20001", Address("500 Main St NW", "Washington", "DC", "20001")),
        ("500 Main St NW, Washington, DC 20001", Address("500 Main St NW", "Washington", "DC", "20001")),
        ("12 Elm St N Boston, MA 02118", Address("12 Elm St N", "Boston", "MA", "02118")),
        ("1600 Ocean Dr S.E. Miami FL 33139", Address("1600 Ocean Dr S.E.", "Miami", "FL", "33139")),
        ("500 Main St NW Suite 4 Washington DC 20001", Address("500 Main St NW Suite 4", "Washington", "DC", "20001")),
        ("500 Main St NW\nSuite 4\nWashington, DC 20001", Address("500 Main St NW, Suite 4", "Washington", "DC",
                                                                    "20001")),
        # A city's own direction is written out (USPS): it stays the city's.
        ("12 Elm St North Andover MA 01845", Address("12 Elm St", "North Andover", "MA", "01845")),
        ("1 N Main St, North Andover, MA 01845", Address("1 N Main St", "North Andover", "MA", "01845")),
        ("12 Main St Nashua NH 03060", Address("12 Main St", "Nashua", "NH", "03060")),  # N is no direction here
    ],
)
def test_a_one_cell_us_address_is_split_into_its_parts(cell, expected):
    assert split_us_address(cell) == expected


@pytest.mark.django_db
def test_quickbooks_online_billing_address_fills_street_city_state_and_zip(firm, owner):
    rows = [["Customer", "Phone Numbers", "Email", "Full Name", "Billing Address"],
            ["Lee, Ann", "(617) 555-0100", "ann@lee.example", "Ann Lee", "12 Elm St\nBoston, MA 02118"]]
    job, _ = import_rows(firm, owner, rows)  # the automatic mapping
    assert {c["column"]: c["target"] for c in job.mapping["columns"]}["Billing Address"] == "contact.street"

    ann = Contact.objects.get(firm=firm, email="ann@lee.example")
    assert (ann.street, ann.city, ann.state, ann.postal_code) == ("12 Elm St", "Boston", "MA", "02118")


@pytest.mark.django_db
def test_a_city_column_of_its_own_wins_over_the_city_in_the_address(firm, owner):
    rows = [["Client", "Email", "Address", "City"], ["Bo Chen", "bo@chen.example", "9 Oak Rd, Springfield, IL 62701",
                                                      "Chatham"]]
    import_rows(firm, owner, rows, {"Client": "account.name", "Email": "contact.email", "Address": "contact.street",
                                    "City": "contact.city"})
    bo = Contact.objects.get(firm=firm, email="bo@chen.example")
    assert (bo.street, bo.city, bo.state, bo.postal_code) == ("9 Oak Rd", "Chatham", "IL", "62701")


@pytest.mark.django_db
def test_a_number_without_country_code_belongs_to_the_country_the_row_names(firm, owner):
    columns = {"Client": "account.name", "Email": "contact.email", "Mobile": "contact.phone", "Country": "contact.country"}
    rows = [list(columns), ["Aroha Ngata", "aroha@ngata.example", "021 234 5678", "New Zealand"],
            ["Ann Lee", "ann@lee.example", "(312) 555-0142", ""]]
    job, counts = import_rows(firm, owner, rows, columns)  # the Country column comes after the phone

    assert Contact.objects.get(email="aroha@ngata.example").phones == ["+64212345678"]
    assert Contact.objects.get(email="ann@lee.example").phones == ["+13125550142"]  # the firm's country
    assert counts["warnings"] == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Boston, MA 02118", ("Boston", "MA", "02118")),
        ("Boston MA 02118-1234", ("Boston", "MA", "02118-1234")),
        ("Salt Lake City, UT. 84101", ("Salt Lake City", "UT", "84101")),
        ("Toronto, ON M5V 2T6", ("Toronto", "ON", "M5V 2T6")),
        ("Maria Garcia, MD", None),  # a name with a credential: no postal code
        ("Springfield, XX 62701", None),  # XX is no state
        ("Toronto, MA M5V 2T6", None),  # a Canadian postal code needs a province
        ("Suite 4", None),
        ("123 Main St", None),
    ],
)
def test_a_city_state_zip_line_is_told_apart(line, expected):
    assert split_city_line(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [("12 Elm St", True), ("PO Box 4", True), ("P.O. Box 12", True), ("One Financial Center", True),
     ("Rural Route 2", True), ("c/o Wei Chen", False), ("Acme LLC", False), ("Suite 4", False)],
)
def test_a_street_line_starts_like_one(line, expected):
    assert looks_like_street_line(line) is expected


def test_split_address_takes_a_whole_address_or_a_city_line_alone():
    assert split_address("9 Oak Rd, Springfield, IL 62701") == Address("9 Oak Rd", "Springfield", "IL", "62701")
    assert split_address("Toronto, ON M5V 2T6") == Address("", "Toronto", "ON", "M5V 2T6")
    assert split_address("Suite 4") is None
    assert split_address("") is None


@pytest.mark.django_db
def test_quickbooks_bill_to_lines_fill_street_city_state_and_zip(firm, owner):
    """QuickBooks Desktop's customer list: the name first, then the street lines, then "City, ST ZIP"."""
    rows = [["Customer", "Main Email", "Bill to 1", "Bill to 2", "Bill to 3", "Bill to 4"],
            ["Lee, Ann", "ann@lee.example", "Ann Lee", "12 Elm St", "Suite 4", "Boston, MA 02118"],
            ["Acme LLC", "ap@acme.example", "Acme LLC", "500 Main St NW", "", "Washington, DC 20001-1234"]]
    job, counts = import_rows(firm, owner, rows)  # the automatic mapping
    assert counts["warnings"] == 0

    ann = Contact.objects.get(firm=firm, email="ann@lee.example")
    assert (ann.street, ann.city, ann.state, ann.postal_code) == ("12 Elm St, Suite 4", "Boston", "MA", "02118")
    acme = Contact.objects.get(firm=firm, email="ap@acme.example")
    assert (acme.street, acme.city, acme.state, acme.postal_code) == ("500 Main St NW", "Washington", "DC",
                                                                      "20001-1234")


@pytest.mark.django_db
def test_a_city_line_in_a_street_line_column_goes_to_city_state_and_zip(firm, owner):
    """Without samples the first two lines are street and street 2; a row whose second line is
    its city line still gets its city."""
    columns = {"Client": "account.name", "Email": "contact.email", "Line 1": "contact.street",
               "Line 2": "contact.street2"}
    rows = [list(columns), ["Bo Chen", "bo@chen.example", "9 Oak Rd", "Springfield, IL 62701"]]
    import_rows(firm, owner, rows, columns)
    bo = Contact.objects.get(firm=firm, email="bo@chen.example")
    assert (bo.street, bo.city, bo.state, bo.postal_code) == ("9 Oak Rd", "Springfield", "IL", "62701")


@pytest.mark.django_db
def test_a_one_cell_address_with_a_direction_keeps_its_city(firm, owner):
    columns = {"Client": "account.name", "Email": "contact.email", "Address": "contact.street"}
    rows = [list(columns), ["Bo Chen", "bo@chen.example", "500 Main St NW Washington DC 20001"]]
    import_rows(firm, owner, rows, columns)
    bo = Contact.objects.get(firm=firm, email="bo@chen.example")
    assert (bo.street, bo.city, bo.state, bo.postal_code) == ("500 Main St NW", "Washington", "DC", "20001")


@pytest.mark.django_db
def test_a_zip_column_of_its_own_wins_over_the_zip_of_a_city_line(firm, owner):
    columns = {"Client": "account.name", "Email": "contact.email", "City": "contact.city", "ZIP": "contact.postal_code"}
    rows = [list(columns), ["Bo Chen", "bo@chen.example", "Springfield, IL 62701", "62704"]]
    import_rows(firm, owner, rows, columns)
    bo = Contact.objects.get(firm=firm, email="bo@chen.example")
    assert (bo.city, bo.state, bo.postal_code) == ("Springfield", "IL", "62704")
