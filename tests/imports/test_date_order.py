"""A date column whose own values prove their order is read in that order, whatever the firm's."""

import datetime

import pytest

from crm.models import Contact
from imports.extraction import date_order_evidence
from tests.imports.conftest import import_rows


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["04/07/1970", "15/03/1968", "17.12.1970"], "DMY"),  # 15 and 17 can only be days
        (["04/07/1970", "03/15/1968", "12/31/1999"], "MDY"),  # can only be days, second
        (["04/07/1970", "15/03/1968"], None),  # one such value could be a typo
        (["11/02/1955"] * 20 + ["31/12/1979", "13/01/1980"], None),  # two typos among many US dates
        (["04/07/1970", "01.02.1990", "1990-05-06"], None),  # every value allows both
        (["15/03/1968", "16/03/1968", "03/15/1968"], None),  # the column contradicts itself: the firm decides
        (["", "March 4, 1980", "n/a"], None),
        (["31-12-99", "25-12-98"], "DMY"),
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
            ["Chen", "Bo", "bo@chen.example", "15/03/1968"], ["Diaz", "Cy", "cy@diaz.example", "17/12/1970"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert Contact.objects.get(email="ann@lee.example").date_of_birth == datetime.date(1970, 7, 4)
    assert Contact.objects.get(email="bo@chen.example").date_of_birth == datetime.date(1968, 3, 15)
    assert counts["warnings"] == 0


@pytest.mark.django_db
def test_one_day_first_typo_does_not_turn_the_column_around(firm, owner):
    rows = [list(PEOPLE), ["Lee", "Ann", "ann@lee.example", "04/07/1970"],
            ["Chen", "Bo", "bo@chen.example", "31/12/1979"]]
    job, _ = import_rows(firm, owner, rows, PEOPLE)
    assert Contact.objects.get(email="ann@lee.example").date_of_birth == datetime.date(1970, 4, 7)
    assert Contact.objects.get(email="bo@chen.example").date_of_birth is None
    assert list(job.issues.values_list("code", "row_number")) == [("invalid_date", 3)]


@pytest.mark.django_db
def test_a_date_custom_field_column_is_judged_on_its_own_values(firm, owner):
    columns = {**PEOPLE, "Since": "account.custom:Client since:date"}
    rows = [list(columns), ["Lee", "Ann", "ann@lee.example", "04/07/1970", "02/01/2015"],
            ["Chen", "Bo", "bo@chen.example", "05/06/1968", "25/12/2016"],
            ["Diaz", "Cy", "cy@diaz.example", "", "14/02/2017"]]
    import_rows(firm, owner, rows, columns)
    lee = Contact.objects.get(email="ann@lee.example")
    assert lee.date_of_birth == datetime.date(1970, 4, 7)  # its own column proves nothing: month first
    [since] = lee.accounts.get().custom_values.values()
    assert since == "2015-01-02"  # the Since column has 25/12/2016 and 14/02/2017: day first
