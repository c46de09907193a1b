"""Every operation of the schema: another firm's ids are 404, a member without rights gets 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.main import api
from crm import services
from imports import jobs
from tests.actors import owner_of
from tests.api.conftest import ApiClient, key_for

pytestmark = pytest.mark.django_db

OPERATIONS = [(method.upper(), path) for path, item in api.get_openapi_schema()["paths"].items()
              for method in item]
WITH_ID = [(method, path) for method, path in OPERATIONS if "{" in path]
IMPORT_OPERATIONS = [(method, path) for method, path in OPERATIONS if path.startswith("/api/v1/imports")]
CLIENT_WRITES = [(method, path) for method, path in OPERATIONS
                 if method in ("POST", "PATCH") and not path.startswith("/api/v1/imports")]


@pytest.fixture
def records(firm, owner):
    actor = owner_of(firm)
    account = services.account_create(actor=actor, name="Acme LLC", type="company")
    contact = services.contact_create(actor=actor, first_name="Ann", last_name="Lee", account=account)
    job = jobs.job_create(actor=actor, file=SimpleUploadedFile("c.csv", b"Name,Email\r\nAnn,ann@x.example\r\n"),
                          original_name="c.csv")
    return {"account_id": account.pk, "contact_id": contact.pk, "import_id": job.pk}


def call(client: ApiClient, method: str, path: str, ids: dict):
    url = path.format(**ids)
    if method == "GET":
        return client.get(url)
    if method == "PUT":
        return client.put_json(url, {"columns": []})
    if method == "PATCH":
        return client.patch_json(url, {"name": "Changed"})
    return client.post_json(url, {"name": "New"})


@pytest.mark.parametrize(("method", "path"), WITH_ID)
def test_another_firms_ids_are_404(method, path, records, other_firm, other_owner):
    response = call(ApiClient(key_for(other_firm, other_owner)), method, path, records)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("method", "path"), IMPORT_OPERATIONS + CLIENT_WRITES)
def test_a_member_without_manage_contacts_gets_403(method, path, records, firm, plain_member):
    response = call(ApiClient(key_for(firm, plain_member)), method, path, records)
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "forbidden"


def test_every_operation_is_covered():
    assert len(OPERATIONS) >= 15 and len(WITH_ID) >= 10
