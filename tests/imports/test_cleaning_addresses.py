"""A whole US address in one cell is split into its parts; anything else is left alone."""

import pytest

from crm.models import Contact
from imports.cleaning.addresses import Address, split_us_address
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
