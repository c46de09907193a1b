"""A date column whose own values prove their order is read in that order, whatever the firm's."""

import datetime

import pytest

from crm.models import Contact
from imports.extraction import date_order_evidence
from tests.imports.conftest import import_rows


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["04/07/1970", "15/03/1968"], "DMY"),  # 15 can only be a day
        (["04/07/1970", "03/15/1968"], "MDY"),  # 15 can only be a day, second
        (["04/07/1970", "01.02.1990", "1990-05-06"], None),  # every value allows both
        (["15/03/1968", "03/15/1968"], None),  # the column contradicts itself: the firm decides
        (["", "March 4, 1980", "n/a"], None),
        (["31-12-99"], "DMY"),
    ],
)
def test_date_order_evidence(values, expected):
    assert date_order_evidence(values) == expected


PEOPLE = {"Client": "account.name", "First": "contact.first_name", "Email": "contact.email",
          "Birthday": "contact.date_of_birth"}


@pytest.mark.django_db
def test_a_day_first_column_is_read_day_first_in_a_month_first_firm(firm, owner):
    assert firm.date_order == "MDY"
    rows = [list(PEOPLE), ["Lee", "Ann", "ann@lee.example", "04/07/1970"],
            ["Chen", "Bo", "bo@chen.example", "15/03/1968"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert Contact.objects.get(email="ann@lee.example").date_of_birth == datetime.date(1970, 7, 4)
    assert Contact.objects.get(email="bo@chen.example").date_of_birth == datetime.date(1968, 3, 15)
    assert counts["warnings"] == 0


@pytest.mark.django_db
def test_a_column_that_proves_nothing_is_read_in_the_firms_order(firm, owner):
    rows = [list(PEOPLE), ["Lee", "Ann", "ann@lee.example", "04/07/1970"]]
    import_rows(firm, owner, rows, PEOPLE)
    assert Contact.objects.get(email="ann@lee.example").date_of_birth == datetime.date(1970, 4, 7)


@pytest.mark.django_db
def test_a_date_custom_field_column_is_judged_on_its_own_values(firm, owner):
    columns = {**PEOPLE, "Since": "account.custom:Client since:date"}
    rows = [list(columns), ["Lee", "Ann", "ann@lee.example", "04/07/1970", "02/01/2015"],
            ["Chen", "Bo", "bo@chen.example", "05/06/1968", "25/12/2016"]]
    import_rows(firm, owner, rows, columns)
    lee = Contact.objects.get(email="ann@lee.example")
    assert lee.date_of_birth == datetime.date(1970, 4, 7)  # its own column proves nothing: month first
    [since] = lee.accounts.get().custom_values.values()
    assert since == "2015-01-02"  # the Since column has 25/12/2016: day first
