"""Webhooks go to public HTTPS hosts only (no SSRF into our own network), unless
WEBHOOKS_ALLOW_LOCAL (DEBUG) allows trying them against a local receiver."""

from __future__ import annotations

import pytest

from webhooks import addresses
from webhooks.addresses import RefusedURL, check_url
from webhooks.models import Delivery
from webhooks.sending import attempt
from tests.webhooks.conftest import make_endpoint


def resolving_to(monkeypatch, *ips):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: list(ips))


def test_a_public_https_host_is_allowed(monkeypatch, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    resolving_to(monkeypatch, "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
    check_url("https://hooks.example.com/clientport")


@pytest.mark.parametrize("ip", [
    "127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.20", "169.254.169.254", "0.0.0.0", "100.64.0.1",
    "::1", "fd00::5", "fe80::1%eth0", "::ffff:127.0.0.1", "224.0.0.1",
])
def test_a_host_resolving_to_a_private_or_local_address_is_refused(monkeypatch, settings, ip):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    resolving_to(monkeypatch, "93.184.216.34", ip)  # one bad address among good ones is enough
    with pytest.raises(RefusedURL, match="private or local address"):
        check_url("https://hooks.example.com/clientport")


@pytest.mark.parametrize("url, reason", [
    ("http://hooks.example.com/x", "HTTPS only"),
    ("ftp://hooks.example.com/x", "starting with https://"),
    ("hooks.example.com/x", "starting with https://"),
    ("https://user:pass@hooks.example.com/x", "user name and password"),
    ("https://hooks.example.com:99999/x", "not a valid URL"),
])
def test_malformed_or_plain_http_urls_are_refused_with_a_reason(monkeypatch, settings, url, reason):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    resolving_to(monkeypatch, "93.184.216.34")
    with pytest.raises(RefusedURL, match=reason):
        check_url(url)


def test_an_unknown_host_is_refused(monkeypatch, settings):
    def no_such_host(host, port):
        raise OSError("Name or service not known")

    monkeypatch.setattr(addresses, "resolve", no_such_host)
    with pytest.raises(RefusedURL, match="could not be found"):
        check_url("https://nowhere.invalid/x")


def test_localhost_over_http_is_allowed_only_when_local_webhooks_are(settings):
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_LOCAL = False
    with pytest.raises(RefusedURL):
        check_url("http://localhost:9000/hook")
    settings.DEBUG = True  # `make run`: trying webhooks against a receiver on this machine
    check_url("http://localhost:9000/hook")


def test_the_settings_default_follows_debug():
    from clientport import settings as production

    assert production.WEBHOOKS_ALLOW_LOCAL == production.DEBUG


@pytest.mark.django_db
def test_a_host_re_pointed_to_a_private_address_is_not_sent_to(firm, monkeypatch, settings, receiver):
    """Checked again before each attempt: a saved endpoint whose name now resolves inside."""
    endpoint = make_endpoint(firm, receiver.url)
    settings.WEBHOOKS_ALLOW_LOCAL = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    endpoint.url = receiver.url.replace("http://127.0.0.1", "https://hooks.example.com")
    endpoint.save()
    resolving_to(monkeypatch, "127.0.0.1")
    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={"type": "ping"})
    attempt(delivery.pk)
    delivery.refresh_from_db()
    assert "private or local address" in delivery.last_error and delivery.response_code is None
    assert receiver.requests == []
