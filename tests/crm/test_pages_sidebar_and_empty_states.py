"""The sidebar's sections (who sees which, which one is current) and the one empty state every
list shows when it has nothing: a title, a sentence, and only the actions the user may take."""

import re

import pytest
from django.urls import reverse

from crm import services
from tests.actors import owner_of


def nav_links(html: str) -> dict[str, bool]:
    """The sidebar's links by label, each with whether it is marked as the current page."""
    nav = re.search(r'<nav class="sidenav" aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return {label: "aria-current" in attrs for attrs, label in re.findall(r"<a ([^>]*)>([^<]+)</a>", nav)}


def empty_state(html: str) -> str:
    match = re.search(r'<div class="empty-state[^"]*" data-testid="empty-state">(.*?)</div>', html, re.S)
    assert match, "no empty state on the page"
    return match.group(1)


@pytest.mark.parametrize("url_name, current", [
    ("crm:account_list", "Accounts"),
    ("crm:contact_list", "Contacts"),
    ("imports:start", "New import"),
    ("imports:history", "History"),
    ("crm:settings_tags", "Settings"),
    ("imports:saved_mappings", "Settings"),
])
def test_the_sidebar_lists_every_section_and_marks_the_current_one(owner_client, url_name, current):
    links = nav_links(owner_client.get(reverse(url_name)).content.decode())
    assert list(links) == ["Accounts", "Contacts", "New import", "History", "Settings"]
    assert [label for label, is_current in links.items() if is_current] == [current]


def test_a_member_who_may_not_import_sees_no_imports_section(client, plain_member):
    client.force_login(plain_member)
    html = client.get(reverse("crm:account_list")).content.decode()
    # No Imports section; their Settings is their own API tokens.
    assert list(nav_links(html)) == ["Accounts", "Contacts", "API tokens"]


def test_the_menu_button_controls_the_sidebar_panel(owner_client):
    html = owner_client.get(reverse("crm:account_list")).content.decode()
    assert 'aria-controls="sidebar-panel"' in html and 'id="sidebar-panel"' in html
    assert 'href="#main"' in html and '<main id="main"' in html


def test_an_empty_firm_offers_import_and_new_account(owner_client):
    state = empty_state(owner_client.get(reverse("crm:account_list")).content.decode())
    assert "No accounts yet" in state
    assert f'href="{reverse("imports:start")}">Import clients' in state
    assert f'href="{reverse("crm:account_create")}">New account' in state


def test_a_member_who_may_not_edit_gets_no_action_buttons(client, plain_member):
    client.force_login(plain_member)
    for url_name in ("crm:account_list", "crm:contact_list"):
        state = empty_state(client.get(reverse(url_name)).content.decode())
        assert "yet" in state and "btn" not in state


def test_a_filter_that_matches_nothing_offers_to_show_all(owner_client, firm):
    services.account_create(actor=owner_of(firm), name="Smith Household")
    state = empty_state(owner_client.get(reverse("crm:account_list"), {"q": "nobody"}).content.decode())
    assert "No account matches these filters" in state
    assert f'href="{reverse("crm:account_list")}">Show all accounts' in state


@pytest.mark.parametrize("url_name, title", [
    ("imports:history", "No imports yet"),
    ("crm:settings_tags", "No tags yet"),
    ("crm:settings_roles", "No roles yet"),
    ("crm:settings_custom_fields", "No account fields yet"),
    ("imports:saved_mappings", "No saved mappings yet"),
])
def test_each_empty_list_says_what_comes_there(owner_client, url_name, title):
    state = empty_state(owner_client.get(reverse(url_name)).content.decode())
    assert title in state and '<p class="empty-state__text">' in state


def test_an_account_without_documents_says_so(owner_client, firm):
    account = services.account_create(actor=owner_of(firm), name="Smith Household")
    state = empty_state(owner_client.get(reverse("crm:account_detail", args=[account.pk])).content.decode())
    assert "No documents yet" in state
