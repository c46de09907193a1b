"""A token for each kind of member, and a client that sends it as a program would."""

import pytest
from django.core.cache import cache
from django.test import Client

from api.tokens import token_create
from crm.models import Membership

ALL_SCOPES = ("read", "write", "import")


class ApiClient:
    """The Django test client with `Authorization: Bearer <key>` on every request."""

    def __init__(self, key: str):
        self.key = key
        self.client = Client()

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.key}", **(headers or {})}

    def get(self, path, params=None, headers=None):
        return self.client.get(path, params or {}, headers=self._headers(headers))

    def post(self, path, data=None, headers=None, **kwargs):
        if "content_type" not in kwargs and not isinstance(data, dict) or kwargs.get("json"):
            kwargs.pop("json", None)
        return self.client.post(path, data, headers=self._headers(headers), **kwargs)

    def post_json(self, path, data=None, headers=None):
        return self.client.post(path, data or {}, content_type="application/json", headers=self._headers(headers))

    def put_json(self, path, data, headers=None):
        return self.client.put(path, data, content_type="application/json", headers=self._headers(headers))

    def patch_json(self, path, data, headers=None):
        return self.client.patch(path, data, content_type="application/json", headers=self._headers(headers))


def key_for(firm, user, scopes=ALL_SCOPES, **kwargs) -> str:
    membership = Membership.objects.get(firm=firm, user=user)
    return token_create(actor=membership, name="test program", scopes=scopes, **kwargs)[1]


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()  # the rate limit's counters must not leak between tests
    yield
    cache.clear()


@pytest.fixture
def owner_api(firm, owner):
    return ApiClient(key_for(firm, owner))


@pytest.fixture
def other_api(other_firm, other_owner):
    return ApiClient(key_for(other_firm, other_owner))


@pytest.fixture
def member_api(firm, plain_member):
    return ApiClient(key_for(firm, plain_member))
