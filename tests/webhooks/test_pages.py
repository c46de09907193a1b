"""Settings > Webhooks as an owner uses it, and who may open it: owners and admins only;
another firm's endpoints and deliveries are 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from webhooks.models import Delivery, Endpoint
from tests.webhooks.conftest import make_endpoint

pytestmark = pytest.mark.django_db


def test_an_owner_adds_an_endpoint_and_sees_its_secret(owner_client, firm, public_dns):
    response = owner_client.post(reverse("webhooks:endpoints"), {
        "url": "https://hooks.example.com/clientport", "events": ["import.finished", "account.created"]})
    endpoint = Endpoint.objects.get(firm=firm)
    assert response.status_code == 302 and response.url == reverse("webhooks:endpoint", args=[endpoint.pk])
    assert endpoint.events == ["import.finished", "account.created"] and endpoint.active
    page = owner_client.get(response.url).content.decode()
    assert endpoint.secret in page and "Nothing sent yet" in page
    listing = owner_client.get(reverse("webhooks:endpoints")).content.decode()
    assert "https://hooks.example.com/clientport" in listing and "Account created" in listing
    assert 'href="/settings/webhooks/"' in owner_client.get(reverse("crm:settings")).content.decode()


def test_a_private_address_is_refused_with_a_reason(owner_client, firm, monkeypatch, settings):
    from webhooks import addresses

    settings.WEBHOOKS_ALLOW_LOCAL = False
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["10.0.0.7"])
    response = owner_client.post(reverse("webhooks:endpoints"), {
        "url": "https://intranet.example.com/hook", "events": ["import.finished"]})
    assert response.status_code == 200 and not Endpoint.objects.exists()
    assert "points to a private or local address (10.0.0.7)" in response.content.decode()


def test_http_and_no_events_are_refused(owner_client, public_dns, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    page = owner_client.post(reverse("webhooks:endpoints"), {"url": "http://hooks.example.com/x"}).content.decode()
    assert "HTTPS only" in page and "Choose at least one event" in page
    assert not Endpoint.objects.exists()


def test_edit_disable_enable_rotate_and_delete(owner_client, firm, public_dns):
    endpoint = make_endpoint(firm, "https://hooks.example.com/a", events=["import.finished"])
    url = reverse("webhooks:endpoint", args=[endpoint.pk])
    owner_client.post(url, {"url": "https://hooks.example.com/b", "events": ["import.failed"]})
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == ("https://hooks.example.com/b", ["import.failed"])

    owner_client.post(reverse("webhooks:endpoint_toggle", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert "Disabled" in owner_client.get(url).content.decode()
    owner_client.post(reverse("webhooks:endpoint_toggle", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.active

    old = endpoint.secret
    owner_client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in owner_client.get(url).content.decode()

    owner_client.post(reverse("webhooks:endpoint_delete", args=[endpoint.pk]))
    assert not Endpoint.objects.exists()


def test_ping_lists_the_delivery_and_redeliver_sends_it_again(owner_client, firm, receiver,
                                                              django_capture_on_commit_callbacks):
    endpoint = make_endpoint(firm, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("webhooks:endpoint_ping", args=[endpoint.pk]))
    page = owner_client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).content.decode()
    assert "Test ping queued" in page
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == "sent" and delivery.response_code == 200  # the test's tasks run at once
    assert "<code>ping</code>" in page and ">Sent<" in page and "Redeliver" in page

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("webhooks:delivery_redeliver", args=[endpoint.pk, delivery.pk]))
    again = Delivery.objects.exclude(pk=delivery.pk).get()
    assert again.event_id == delivery.event_id and again.status == "sent"
    assert len(receiver.requests) == 2
    assert receiver.requests[0].headers["Clientport-Delivery"] == receiver.requests[1].headers["Clientport-Delivery"]


def test_deliveries_are_paginated(owner_client, firm):
    endpoint = make_endpoint(firm, "https://hooks.example.com/a")
    Delivery.objects.bulk_create([Delivery(endpoint=endpoint, event="account.created", payload={}, status="sent",
                                           response_code=200 + n % 2) for n in range(30)])
    url = reverse("webhooks:endpoint", args=[endpoint.pk])
    assert owner_client.get(url).content.decode().count("<code>account.created</code>") == 25
    second = owner_client.get(url + "?page=2").content.decode()
    assert second.count("<code>account.created</code>") == 5 and "Page 2 of 2" in second


# --- Who may --------------------------------------------------------------------------------


def endpoint_urls(endpoint: Endpoint, delivery: Delivery) -> list[tuple[str, str]]:
    """(method, url) of every webhooks page and action."""
    pk = endpoint.pk
    return [
        ("get", reverse("webhooks:endpoint", args=[pk])),
        ("post", reverse("webhooks:endpoint", args=[pk])),
        ("post", reverse("webhooks:endpoint_toggle", args=[pk])),
        ("post", reverse("webhooks:endpoint_rotate", args=[pk])),
        ("post", reverse("webhooks:endpoint_ping", args=[pk])),
        ("post", reverse("webhooks:endpoint_delete", args=[pk])),
        ("post", reverse("webhooks:delivery_redeliver", args=[pk, delivery.pk])),
    ]


@pytest.fixture
def mine(firm):
    endpoint = make_endpoint(firm, "https://hooks.example.com/a")
    return endpoint, Delivery.objects.create(endpoint=endpoint, event="ping", payload={}, status="sent")


def unchanged(endpoint: Endpoint) -> bool:
    before = (endpoint.url, endpoint.secret, endpoint.active, endpoint.events)
    fresh = Endpoint.objects.filter(pk=endpoint.pk).first()
    return fresh is not None and (fresh.url, fresh.secret, fresh.active, fresh.events) == before \
        and Delivery.objects.count() == 1


@pytest.mark.parametrize("who", ["plain_member", "manager"])
def test_members_who_are_not_admins_get_403(client, request, mine, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("webhooks:endpoints")).status_code == 403
    assert client.post(reverse("webhooks:endpoints"), {"url": "https://x.example.com", "events": ["ping"]}
                       ).status_code == 403
    for method, url in endpoint_urls(*mine):
        assert getattr(client, method)(url).status_code == 403, url
    assert unchanged(mine[0])


def test_an_admin_may_manage_webhooks(client, admin_user, mine):
    client.force_login(admin_user)
    page = client.get(reverse("webhooks:endpoint", args=[mine[0].pk]))
    assert page.status_code == 200 and mine[0].secret in page.content.decode()


def test_another_firms_endpoints_and_deliveries_are_404(client, other_firm, other_owner, mine, firm):
    client.force_login(other_owner)
    for method, url in endpoint_urls(*mine):
        assert getattr(client, method)(url).status_code == 404, url
    assert unchanged(mine[0])
    assert "hooks.example.com" not in client.get(reverse("webhooks:endpoints")).content.decode()
    # Their own endpoint with my delivery's id is a 404 too.
    theirs = make_endpoint(other_firm, "https://hooks.example.com/theirs")
    assert client.post(reverse("webhooks:delivery_redeliver", args=[theirs.pk, mine[1].pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, mine):
    for method, url in [("get", reverse("webhooks:endpoints")), *endpoint_urls(*mine)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
