"""The client lists of a big firm (docs/crm-rules.md, "Lists of big firms"): a count that never
scans the table, pages found by their neighbouring row however deep, prefix search through the
indexes, a sort that cannot be afforded refused with a note, and "all matching" still exact.
The exact-count limit is lowered here, so a few dozen records make a "big" firm."""

from html import unescape
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from crm import services
from crm.models import Account, AccountContact, Contact
from tests.actors import owner_of

LIST = reverse("crm:account_list")
CONTACTS = reverse("crm:contact_list")
BULK = reverse("crm:accounts_bulk")
big = override_settings(CLIENT_LIST_EXACT_COUNT=20)


def names_in(response) -> list[str]:
    return [account.name for account in response.context["accounts"]]


def link_of(response, rel: str) -> str | None:
    match = re.search(rf'href="([^"]*)" rel="{rel}"', response.content.decode())
    return unescape(match.group(1)) if match else None


def count_line(response) -> str:
    return re.search(r'data-testid="list-count">([^<]*)<', response.content.decode()).group(1)


def walk(client, url: str, params: dict, rel: str = "next") -> list[list[str]]:
    """Every page from the first, following the `rel` link."""
    response = client.get(url, params)
    seen = [names_in(response)]
    while (link := link_of(response, rel)) is not None:
        response = client.get(url + link)
        seen.append(names_in(response))
        assert len(seen) < 20, "the pages never end"
    return seen


@pytest.fixture
def clients(firm):
    """130 accounts, "Client 000" .. "Client 129", of three types, every fifth inactive."""
    types = ("individual", "company", "other")
    made = Account.objects.bulk_create([
        Account(firm=firm, name=f"Client {n:03}", name_key=f"client {n:03}", client_id=f"C-{n:03}",
                type=types[n % 3], status="inactive" if n % 5 == 0 else "active")
        for n in range(130)])
    return made


def test_a_small_list_is_counted_exactly(owner_client, clients):
    with override_settings(CLIENT_LIST_EXACT_COUNT=1000):
        response = owner_client.get(LIST)
    assert count_line(response) == "130 accounts"
    assert "Select all 130 accounts" in response.content.decode()


@big
def test_beyond_the_limit_the_count_says_more_than_or_about(owner_client, clients):
    response = owner_client.get(LIST)
    page = response.content.decode()
    if connection.vendor == "postgresql":
        estimate = int(re.search(r"about ([\d,]+) accounts", count_line(response)).group(1).replace(",", ""))
        assert estimate > 20 and "Select all about" in page
    else:
        assert count_line(response) == "more than 20 accounts"
        assert "Select all more than 20 accounts" in page


@big
@pytest.mark.parametrize("sort", ["", "-name", "type", "-type", "status", "-status", "created", "-created"])
def test_next_pages_hold_every_account_once_in_the_lists_order(owner_client, firm, clients, sort):
    pages = walk(owner_client, LIST, {"sort": sort})
    assert [len(page) for page in pages] == [50, 50, 30]
    everything = [name for page in pages for name in page]
    from crm import selectors

    expected = [a.name for a in selectors.account_list(firm=firm, sort=sort)]
    assert everything == expected and len(set(everything)) == 130


@big
def test_previous_goes_back_to_the_same_rows(owner_client, clients):
    first = owner_client.get(LIST, {"sort": "-status"})
    second = owner_client.get(LIST + link_of(first, "next"))
    third = owner_client.get(LIST + link_of(second, "next"))
    assert link_of(third, "next") is None
    assert names_in(owner_client.get(LIST + link_of(third, "prev"))) == names_in(second)
    back = owner_client.get(LIST + link_of(second, "prev"))
    assert names_in(back) == names_in(first)
    assert link_of(back, "prev") is None


@big
def test_a_cursor_that_is_not_ours_shows_the_first_page(owner_client, clients):
    for garbage in ("garbage", "W10", "WyJhIl0", "eyJ4IjoxfQ"):
        response = owner_client.get(LIST, {"after": garbage})
        assert response.status_code == 200
        assert names_in(response)[0] == "Client 000"


@big
def test_sorting_by_contacts_is_refused_beyond_the_limit_with_a_note(owner_client, clients):
    response = owner_client.get(LIST, {"sort": "-contacts"})
    assert names_in(response)[:2] == ["Client 000", "Client 001"]
    assert "Sorting by the number of contacts needs 20 accounts or fewer" in response.content.decode()
    # Filtered to a few, it sorts.
    services.contact_create(actor=owner_of(clients[7]), first_name="Pat", account=clients[7])
    few = owner_client.get(LIST, {"sort": "-contacts", "q": "Client 00"})
    assert names_in(few)[0] == "Client 007" and "Sorting by the number" not in few.content.decode()


@pytest.fixture
def people(firm, clients):
    actor = owner_of(firm)
    jane = services.contact_create(actor=actor, first_name="Jane", last_name="McDonald", email="Jane.M@Example.com",
                                   account=clients[42])
    services.contact_create(actor=actor, first_name="Bob", last_name="Stone", email="bob@stone.example",
                            account=clients[43])
    Contact.objects.bulk_create([
        Contact(firm=firm, first_name="Pat", last_name=f"Person {n:03}", email=f"p{n}@bench.example",
                email_key=f"p{n}@bench.example", name_key=f"pat|person {n:03}") for n in range(30)])
    return jane


@big
@pytest.mark.parametrize("query, expected", [
    ("client 12", ["Client 120", "Client 121", "Client 122", "Client 123", "Client 124", "Client 125",
                   "Client 126", "Client 127", "Client 128", "Client 129"]),
    ("CLIENT 05", [f"Client 05{n}" for n in range(10)]),
    ("C-099", ["Client 099"]),
    ("jane.m@ex", ["Client 042"]),  # a contact's email, whatever its case
    ("mcdon", ["Client 042"]),  # a contact's last name, whatever its case
    ("jane mc", ["Client 042"]),  # first and last name
    ("lient", []),  # the middle of a name is not searched in a big firm
])
def test_a_big_firm_searches_accounts_by_the_start_of_names_and_emails(owner_client, people, query, expected):
    assert names_in(owner_client.get(LIST, {"q": query})) == expected


@big
@pytest.mark.parametrize("query, expected", [
    ("jane", ["Jane McDonald"]),
    ("MCDONALD", ["Jane McDonald"]),
    ("bob@", ["Bob Stone"]),
    ("client 043", ["Bob Stone"]),  # the people of the accounts whose name starts so
    ("pat person 02", [f"Pat Person 02{n}" for n in range(10)]),
])
def test_a_big_firm_searches_contacts_by_the_start_of_names_and_emails(owner_client, people, query, expected):
    response = owner_client.get(CONTACTS, {"q": query})
    assert [contact.full_name for contact in response.context["contacts"]] == expected


@big
def test_search_and_filters_combine(owner_client, firm, clients):
    vip = services.tag_get_or_create(firm=firm, name="VIP")
    Account.tags.through.objects.bulk_create([Account.tags.through(account_id=a.pk, tag_id=vip.pk) for a in clients[:60]])
    response = owner_client.get(LIST, {"q": "client 0", "tag": vip.pk, "type": "company", "status": "inactive"})
    # Client 000..059 tagged, companies are n % 3 == 1, inactive n % 5 == 0: 10, 25, 40, 55.
    assert names_in(response) == ["Client 010", "Client 025", "Client 040", "Client 055"]
    assert count_line(response) == "4 accounts match"


@big
def test_all_matching_acts_on_the_exact_set_whatever_the_page_said(owner_client, firm, clients):
    page = owner_client.get(LIST, {"status": "inactive"})
    assert len(names_in(page)) == 26  # more than the limit: the count said "more than 20"
    response = owner_client.post(BULK, {"action": "add_tags", "new_tag": "Dormant", "all_matching": "1",
                                        "filter": "status=inactive"}, follow=True)
    assert response.status_code == 200
    tagged = set(Account.objects.filter(tags__name="Dormant").values_list("name", flat=True))
    assert tagged == {f"Client {n:03}" for n in range(0, 130, 5)}


@big
def test_another_firms_accounts_never_show_on_any_page(owner_client, clients, other_firm):
    Account.objects.bulk_create([Account(firm=other_firm, name=f"Client {n:03}x", name_key=f"client {n:03}x")
                                 for n in range(130)])
    pages = walk(owner_client, LIST, {"q": "client"})
    assert sum(len(page) for page in pages) == 130
    assert not any(name.endswith("x") for page in pages for name in page)


def test_the_account_page_counts_only_its_pages_contacts(owner_client, clients):
    AccountContact.objects.bulk_create([
        AccountContact(account=clients[0], contact=contact) for contact in Contact.objects.bulk_create([
            Contact(firm=clients[0].firm, first_name=f"P{n}", email_key=None, name_key=f"p{n}|") for n in range(3)])])
    response = owner_client.get(LIST)
    assert response.context["accounts"][0].contact_count == 3


@big
def test_a_big_firms_search_and_deep_pages_read_ranges_not_scans(owner_client, people):
    """No substring match (LIKE '%…%', which reads every row) in any query of a search or a deep
    page, and no OFFSET but the one probe of the firm's size (at most the exact-count limit)."""
    from django.test.utils import CaptureQueriesContext

    first = owner_client.get(LIST, {"q": "client"})
    with CaptureQueriesContext(connection) as queries:
        owner_client.get(LIST + link_of(first, "next"))
        owner_client.get(CONTACTS, {"q": "pat"})
    sql = [query["sql"].upper() for query in queries.captured_queries]
    assert not any(" LIKE " in one for one in sql)
    offsets = [one for one in sql if " OFFSET " in one]
    assert offsets and all(one.endswith("LIMIT 1 OFFSET 20") for one in offsets)
