"""Tokens: shown once, stored hashed, scoped, expiring, revocable, acting as their member."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.tokens import token_revoke
from crm import services
from crm.models import Account, Membership
from tests.actors import owner_of
from tests.api.conftest import ApiClient, key_for

pytestmark = pytest.mark.django_db


def error_code(response):
    return response.json()["error"]["code"]


def test_a_key_is_stored_only_as_a_hash(firm, owner):
    key = key_for(firm, owner)
    token = ApiToken.objects.get()
    assert key.startswith(f"cpt_{token.prefix}_")
    assert key not in (token.key_hash, token.salt) and key[-20:] not in token.key_hash
    assert ApiClient(key).get("/api/v1/accounts").status_code == 200


def test_without_a_token_or_with_a_wrong_one_the_answer_is_401(firm, owner):
    assert error_code(ApiClient("").get("/api/v1/accounts")) == "unauthenticated"
    key = key_for(firm, owner)
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    response = ApiClient(forged).get("/api/v1/accounts")
    assert response.status_code == 401 and error_code(response) == "unauthenticated"


def test_a_revoked_token_gets_401(firm, owner):
    api = ApiClient(key_for(firm, owner))
    token_revoke(actor=owner_of(firm), token=ApiToken.objects.get())
    response = api.get("/api/v1/accounts")
    assert response.status_code == 401 and error_code(response) == "token_revoked"


def test_an_expired_token_gets_401(firm, owner):
    api = ApiClient(key_for(firm, owner, expires_at=timezone.now() + datetime.timedelta(days=1)))
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api.get("/api/v1/accounts")
    assert response.status_code == 401 and error_code(response) == "token_expired"


def test_a_deactivated_members_token_stops_working(firm, manager):
    api = ApiClient(key_for(firm, manager))
    assert api.get("/api/v1/accounts").status_code == 200
    services.member_deactivate(actor=owner_of(firm), membership=Membership.objects.get(user=manager))
    response = api.get("/api/v1/accounts")
    assert response.status_code == 401 and error_code(response) == "member_inactive"


def test_a_token_without_the_scope_gets_403(firm, owner):
    api = ApiClient(key_for(firm, owner, scopes=["read"]))
    response = api.post_json("/api/v1/accounts", {"name": "Acme LLC", "type": "company"})
    assert response.status_code == 403 and error_code(response) == "scope_missing"
    assert not Account.objects.exists()


def test_last_used_is_written_at_most_once_a_minute(firm, owner):
    api = ApiClient(key_for(firm, owner))
    api.get("/api/v1/tags")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    api.get("/api/v1/tags")
    assert ApiToken.objects.get().last_used_at == first


@override_settings(API_RATE_LIMIT="3/min")
def test_past_the_rate_limit_the_answer_is_429_with_retry_after(firm, owner):
    api = ApiClient(key_for(firm, owner))
    assert [api.get("/api/v1/tags").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/tags")
    assert response.status_code == 429 and error_code(response) == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    # Per token: another token of the firm is not slowed down.
    assert ApiClient(key_for(firm, owner)).get("/api/v1/tags").status_code == 200


def test_settings_page_creates_a_token_shown_once(client, firm, plain_member):
    client.force_login(plain_member)
    response = client.post(reverse("api_tokens:list"), {"name": "Zapier", "scopes": ["read"]})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = response.context["created_key"]
    assert key in response.content.decode()
    assert ApiClient(key).get("/api/v1/accounts").status_code == 200
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "Zapier" in page and key not in page


def test_settings_page_refuses_a_token_without_scopes(client, firm, plain_member):
    client.force_login(plain_member)
    response = client.post(reverse("api_tokens:list"), {"name": "Zapier"})
    assert response.status_code == 400 and "Choose at least one scope." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_members_see_their_own_tokens_and_admins_the_whole_firms(client, firm, owner, plain_member, manager):
    key_for(firm, plain_member)
    key_for(firm, manager)
    mine = ApiToken.objects.get(membership__user=plain_member)
    theirs = ApiToken.objects.get(membership__user=manager)
    client.force_login(plain_member)
    page = client.get(reverse("api_tokens:list"))
    assert [t.pk for t in page.context["tokens"]] == [mine.pk]
    assert client.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    client.force_login(owner)
    assert {t.pk for t in client.get(reverse("api_tokens:list")).context["tokens"]} == {mine.pk, theirs.pk}
    client.post(reverse("api_tokens:revoke", args=[theirs.pk]))
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is not None


def test_another_firms_admin_cannot_revoke_a_token(client, firm, owner, other_firm, other_owner):
    key_for(firm, owner)
    client.force_login(other_owner)
    assert client.post(reverse("api_tokens:revoke", args=[ApiToken.objects.get().pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None
