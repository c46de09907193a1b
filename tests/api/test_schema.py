"""The OpenAPI schema, and schemathesis against it: every operation, generated requests, no
5xx, every answer's status documented and its body matching the schema."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from crm import services
from imports import jobs
from tests.actors import owner_of
from tests.api.conftest import key_for


def test_the_schema_is_served_and_lists_every_operation(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/imports/{import_id}/skipped-rows.zip" in schema["paths"]
    assert schema["components"]["securitySchemes"]


def test_the_docs_page_loads_its_scripts_from_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "data:" in policy


@pytest.fixture
def owner_key(db, firm, owner):
    actor = owner_of(firm)
    account = services.account_create(actor=actor, name="Acme LLC", type="company")
    services.contact_create(actor=actor, first_name="Ann", last_name="Lee", email="ann@acme.example", account=account)
    jobs.job_create(actor=actor, file=SimpleUploadedFile("c.csv", b"Name,Email\r\nAnn,ann@x.example\r\n"),
                    original_name="c.csv")
    cache.clear()
    return key_for(firm, owner)


@pytest.fixture
def requests_keep_the_test_connection():
    """Calls straight into the WSGI app end with request_finished, whose close_old_connections
    closes a connection left inside the test's transaction: harmless on SQLite's in-memory
    database, a closed connection on PostgreSQL. Django's test client unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Read from the app itself, in-process (no server, no network).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_schema(case, owner_key, settings, requests_keep_the_test_connection):
    settings.API_RATE_LIMIT = "100000/min"
    # Every check but "schema-valid data is accepted": a body the schema allows (any bytes as a
    # file, any object as a mapping) is not an importable file or a mapping of it; the API's
    # documented answer to those is 422 with a reason, which the other checks still verify.
    # A generated Authorization header becomes the real token; a case that leaves it out on
    # purpose (a request that must be refused) is sent without one.
    if "Authorization" in (case.headers or {}):
        case.headers["Authorization"] = f"Bearer {owner_key}"
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
