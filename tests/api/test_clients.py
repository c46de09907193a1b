"""Accounts and contacts through the API: the pages' filters, cursor pages, creation with the
pages' cleaning, overwrite and additive updates, and If-Match."""

import pytest

from crm import services
from crm.models import Account, Contact
from tests.actors import owner_of

pytestmark = pytest.mark.django_db


def test_accounts_come_in_cursor_pages_newest_first(owner_api, firm):
    for n in range(5):
        services.account_create(actor=owner_of(firm), name=f"Client {n}")
    first = owner_api.get("/api/v1/accounts", {"limit": 2}).json()
    assert [a["name"] for a in first["items"]] == ["Client 4", "Client 3"]
    second = owner_api.get("/api/v1/accounts", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [a["name"] for a in second["items"]] == ["Client 2", "Client 1"]
    last = owner_api.get("/api/v1/accounts", {"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [a["name"] for a in last["items"]] == ["Client 0"] and last["next_cursor"] is None
    assert owner_api.get("/api/v1/accounts", {"cursor": "garbage"}).json()["error"]["code"] == "invalid_cursor"


def test_account_filters_are_the_pages(owner_api, firm):
    services.account_create(actor=owner_of(firm), name="Acme LLC", type="company")
    services.account_create(actor=owner_of(firm), name="Ann Lee", status="inactive")
    assert [a["name"] for a in owner_api.get("/api/v1/accounts", {"type": "company"}).json()["items"]] == ["Acme LLC"]
    assert [a["name"] for a in owner_api.get("/api/v1/accounts", {"status": "inactive"}).json()["items"]] == ["Ann Lee"]
    assert [a["name"] for a in owner_api.get("/api/v1/accounts", {"q": "acme"}).json()["items"]] == ["Acme LLC"]


def test_a_contact_is_cleaned_as_the_pages_clean_it(owner_api, firm):
    response = owner_api.post_json("/api/v1/contacts", {
        "first_name": "Ann", "last_name": "Lee", "email": "Ann Lee <ANN@Acme.Example>", "phones": ["(312) 555-0100"],
        "tags": ["VIP"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "ANN@acme.example" and body["phones"] == ["+13125550100"] and body["tags"] == ["VIP"]
    bad = owner_api.post_json("/api/v1/contacts", {"first_name": "Bo", "email": "not an email"})
    assert bad.status_code == 422 and "email" in bad.json()["error"]["details"]


def test_a_tag_name_with_a_control_character_or_broken_text_is_refused_naming_the_field(owner_api, firm):
    for name in ("VIP\x00", "a\u0007b", "\udbe7x"):
        response = owner_api.post_json("/api/v1/accounts", {"name": "Acme LLC", "type": "company", "tags": [name]})
        assert response.status_code == 422, (name, response.content)
        assert response.json()["error"]["details"]["field"] == "tags"
    assert not Account.objects.filter(firm=firm).exists()
    # Letters joined by a zero-width joiner are text, not control characters.
    family = owner_api.post_json("/api/v1/accounts", {"name": "Lee family", "type": "other",
                                                      "tags": ["\U0001F468\u200d\U0001F469"]})
    assert family.status_code == 201, family.content


def test_a_search_holding_a_nul_character_is_refused_naming_the_parameter(owner_api, firm):
    response = owner_api.get("/api/v1/accounts", {"q": "ac\x00me"})
    assert response.status_code == 422 and response.json()["error"]["details"] == {"field": "q"}


def test_an_update_changes_only_what_it_names_and_additive_only_fills(owner_api, firm):
    account = services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", city="Chicago",
                                      tags=services.tags_get_or_create(firm=firm, names=["VIP"]))
    url = f"/api/v1/accounts/{account.pk}"
    response = owner_api.patch_json(url, {"client_id": "A-1"})
    assert response.status_code == 200, response.content
    assert response.json()["city"] == "Chicago" and response.json()["client_id"] == "A-1"
    additive = owner_api.patch_json(url, {"mode": "additive", "city": "Boston", "country": "US", "tags": ["2024"]}).json()
    assert additive["city"] == "Chicago" and additive["country"] == "US" and additive["tags"] == ["2024", "VIP"]
    overwrite = owner_api.patch_json(url, {"city": "Boston", "tags": ["2024"]}).json()
    assert overwrite["city"] == "Boston" and overwrite["tags"] == ["2024"]


def test_if_match_refuses_a_stale_update(owner_api, firm):
    contact = services.contact_create(actor=owner_of(firm), first_name="Ann", last_name="Lee")
    url = f"/api/v1/contacts/{contact.pk}"
    etag = owner_api.get(url)["ETag"]
    assert owner_api.patch_json(url, {"notes": "first"}, headers={"If-Match": etag}).status_code == 200
    stale = owner_api.patch_json(url, {"notes": "second"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    assert Contact.objects.get(pk=contact.pk).notes == "first"


def test_a_member_without_rights_reads_but_does_not_write(member_api, firm):
    services.account_create(actor=owner_of(firm), name="Acme LLC")
    assert len(member_api.get("/api/v1/accounts").json()["items"]) == 1
    assert member_api.post_json("/api/v1/accounts", {"name": "New"}).status_code == 403
    assert Account.objects.count() == 1
