"""Sorting the client lists by their columns, the client ID column, phones in the firm's
format, and numbers with thousands separators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm import services
from crm.models import Account
from crm.templatetags.client_lists import phone
from tests.actors import owner_of

LIST = reverse("crm:account_list")
CONTACTS = reverse("crm:contact_list")


def names_in(response):
    return [account.name for account in response.context["accounts"]]


@pytest.fixture
def three(firm):
    actor = owner_of(firm)
    bravo = services.account_create(actor=actor, name="Bravo Co", type="company", client_id="C-2",
                                    folder_template=None)
    alpha = services.account_create(actor=actor, name="alpha Family", status="inactive", folder_template=None)
    charlie = services.account_create(actor=actor, name="Charlie Trust", type="other", folder_template=None)
    for n in range(2):
        services.contact_create(actor=actor, first_name=f"C{n}", account=charlie)
    services.contact_create(actor=actor, first_name="B", account=bravo)
    return alpha, bravo, charlie


@pytest.mark.parametrize("sort, expected", [
    ("", ["alpha Family", "Bravo Co", "Charlie Trust"]),
    ("name", ["alpha Family", "Bravo Co", "Charlie Trust"]),
    ("-name", ["Charlie Trust", "Bravo Co", "alpha Family"]),
    ("type", ["Bravo Co", "alpha Family", "Charlie Trust"]),  # company, individual, other
    ("-status", ["alpha Family", "Charlie Trust", "Bravo Co"]),  # inactive first; ties reversed too
    ("created", ["Bravo Co", "alpha Family", "Charlie Trust"]),
    ("-created", ["Charlie Trust", "alpha Family", "Bravo Co"]),
    ("contacts", ["alpha Family", "Bravo Co", "Charlie Trust"]),
    ("-contacts", ["Charlie Trust", "Bravo Co", "alpha Family"]),
    ("nonsense", ["alpha Family", "Bravo Co", "Charlie Trust"]),  # unknown: the default order
])
def test_accounts_sort_by_each_column(owner_client, three, sort, expected):
    assert names_in(owner_client.get(LIST, {"sort": sort})) == expected


def test_sorting_keeps_the_filter_and_the_headers_toggle_the_direction(owner_client, three):
    response = owner_client.get(LIST, {"sort": "-contacts", "type": "other", "q": "Trust"})
    assert names_in(response) == ["Charlie Trust"]
    page = response.content.decode()
    assert 'aria-sort="descending"' in page
    assert 'href="?sort=contacts&amp;type=other&amp;q=Trust"' in page or "sort=contacts" in page
    # Name is not the current sort: its link sorts ascending and keeps the filter.
    assert 'href="?sort=name&amp;type=other&amp;q=Trust" data-sort="name"' in page


def test_the_page_counts_contacts_with_one_query_for_the_page_only(owner_client, three):
    with CaptureQueriesContext(connection) as queries:
        response = owner_client.get(LIST)
    assert {a.name: a.contact_count for a in response.context["accounts"]} == {
        "alpha Family": 0, "Bravo Co": 1, "Charlie Trust": 2}
    link_queries = [q["sql"] for q in queries.captured_queries if "crm_accountcontact" in q["sql"]]
    assert len(link_queries) == 1 and "GROUP BY" in link_queries[0] and " IN (" in link_queries[0]
    # The list's count no longer joins the links at all.
    count_sql = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "crm_account" in q["sql"])
    assert "crm_accountcontact" not in count_sql


def test_client_id_has_its_own_column(owner_client, three):
    page = owner_client.get(LIST).content.decode()
    assert '<th scope="col">Client ID</th>' in page and '<span class="client-id">C-2</span>' in page


def test_counts_have_thousands_separators(owner_client, firm):
    Account.objects.bulk_create([Account(firm=firm, name=f"Client {n}", name_key=f"client {n}")
                                 for n in range(1203)])
    page = owner_client.get(LIST).content.decode()
    assert "1,203 accounts" in page and "Select all 1,203 accounts" in page


def test_contacts_sort_by_name_and_created(owner_client, firm):
    actor = owner_of(firm)
    for first, last in (("Zoe", "Adams"), ("Amy", "Brown"), ("Bob", "Adams")):
        services.contact_create(actor=actor, first_name=first, last_name=last)
    names = lambda r: [c.full_name for c in r.context["contacts"]]  # noqa: E731
    assert names(owner_client.get(CONTACTS)) == ["Bob Adams", "Zoe Adams", "Amy Brown"]
    assert names(owner_client.get(CONTACTS, {"sort": "-name"})) == ["Amy Brown", "Zoe Adams", "Bob Adams"]
    assert names(owner_client.get(CONTACTS, {"sort": "-created"})) == ["Bob Adams", "Amy Brown", "Zoe Adams"]


@pytest.mark.parametrize("stored, country, shown", [
    ("+13125550100", "US", "(312) 555-0100"),
    ("+13125550100;ext=12", "US", "(312) 555-0100 ext. 12"),
    ("+442079460958", "US", "+44 20 7946 0958"),
    ("+442079460958", "GB", "020 7946 0958"),
    ("+13125550100", "GB", "+1 312-555-0100"),
])
def test_phones_show_in_the_firms_national_format_with_e164_underneath(stored, country, shown):
    html = str(phone(stored, country))
    assert f">{shown}</span>" in html and f'data-e164="{stored}"' in html


@pytest.mark.parametrize("stored", ["555-CALL-ME", "12", "ask reception", "+1 555 0100"])
def test_a_value_that_is_not_a_phone_is_never_shown_as_one(stored):
    html = str(phone(stored, "US"))
    assert 'class="muted not-a-phone"' in html and "data-e164" not in html


def test_contact_pages_show_formatted_phones_and_escape_what_is_not_one(owner_client, firm):
    contact = services.contact_create(actor=owner_of(firm), first_name="Ann",
                                      phones=["+13125550100", "<b>call me</b>"])
    for url in (CONTACTS, reverse("crm:contact_detail", args=[contact.pk])):
        page = owner_client.get(url).content.decode()
        assert "(312) 555-0100" in page
        assert "not a phone: &lt;b&gt;call me&lt;/b&gt;" in page and "<b>call me</b>" not in page


@pytest.mark.parametrize("search", ["Trust", "C0"])
def test_sorting_by_contacts_with_a_search_counts_every_contact(owner_client, three, search):
    # The search joins the contacts: "C0" matches one of Charlie Trust's two contacts, and the
    # count must still be of both.
    response = owner_client.get(LIST, {"q": search, "sort": "-contacts"})
    assert [(a.name, a.contact_count) for a in response.context["accounts"]] == [("Charlie Trust", 2)]
    assert response.context["page"].count.value == 1
