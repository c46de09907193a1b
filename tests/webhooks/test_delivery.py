"""Deliveries as a receiver sees them: signed as docs/webhooks.md says (checked with the
documentation's own snippet), retried with backoff, failed after the last attempt."""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.utils import timezone

from webhooks import events
from webhooks.models import Delivery
from webhooks.sending import MAX_ATTEMPTS, RETRY_DELAYS, attempt
from tests.webhooks.conftest import documented_verifier, make_endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    """A task backend that keeps what is queued (with its run_after) instead of running it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    return task_backends["default"]


def test_the_receiver_verifies_a_delivery_with_the_documented_algorithm(firm, receiver,
                                                                         django_capture_on_commit_callbacks):
    endpoint = make_endpoint(firm, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = events.ping(endpoint)
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.response_code == 200 and delivery.attempts == 1
    [request] = receiver.requests
    verify = documented_verifier()
    header = request.headers["Clientport-Signature"]
    assert verify(endpoint.secret, request.body, header)
    assert request.headers["Clientport-Event"] == "ping"
    assert request.headers["Clientport-Delivery"] == str(delivery.event_id)
    body = json.loads(request.body)
    assert body["id"] == str(delivery.event_id) and body["type"] == "ping" and body["firm"] == firm.slug


def test_a_wrong_secret_a_changed_body_or_an_old_timestamp_is_rejected(firm, receiver,
                                                                      django_capture_on_commit_callbacks):
    endpoint = make_endpoint(firm, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        events.ping(endpoint)
    [request] = receiver.requests
    verify = documented_verifier()
    header = request.headers["Clientport-Signature"]
    sent_at = int(header.split(",")[0].removeprefix("t="))
    assert abs(sent_at - time.time()) < 60
    assert not verify("whsec_not-the-secret", request.body, header)
    assert not verify(endpoint.secret, request.body.replace(b"ping", b"pong"), header)
    # The same delivery replayed six minutes later: outside the 5-minute tolerance.
    assert verify(endpoint.secret, request.body, header, now=sent_at + 299)
    assert not verify(endpoint.secret, request.body, header, now=sent_at + 301)
    # A replay re-dated by the attacker no longer matches its signature.
    redated = header.replace(f"t={sent_at}", f"t={sent_at + 360}")
    assert not verify(endpoint.secret, request.body, redated, now=sent_at + 360)


def test_a_rotated_secret_signs_from_then_on(firm, owner_membership, receiver, django_capture_on_commit_callbacks):
    from webhooks.services import endpoint_rotate_secret

    endpoint = make_endpoint(firm, receiver.url)
    old = endpoint.secret
    endpoint_rotate_secret(actor=owner_membership, endpoint=endpoint)
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    with django_capture_on_commit_callbacks(execute=True):
        events.ping(endpoint)
    [request] = receiver.requests
    verify = documented_verifier()
    assert verify(endpoint.secret, request.body, request.headers["Clientport-Signature"])
    assert not verify(old, request.body, request.headers["Clientport-Signature"])


def test_a_500_is_retried_after_a_minute_then_succeeds(firm, receiver, queue, django_capture_on_commit_callbacks):
    receiver.statuses = [500]
    endpoint = make_endpoint(firm, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = events.ping(endpoint)
    assert len(queue.results) == 1 and queue.results[0].task.run_after is None  # the first try: now
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        attempt(delivery.pk, now=now)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert delivery.last_error == "The endpoint answered 500."
    assert delivery.next_attempt_at == now + datetime.timedelta(minutes=1)
    retry = queue.results[-1]
    assert retry.task.run_after == delivery.next_attempt_at and retry.args == [delivery.pk]

    # Run early (a stray task), nothing is sent; at its time, the retry goes out and succeeds.
    attempt(delivery.pk, now=now + datetime.timedelta(seconds=30))
    assert len(receiver.requests) == 1
    with django_capture_on_commit_callbacks(execute=True):
        attempt(delivery.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 2, 200)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    assert len(receiver.requests) == 2 and len(queue.results) == 2  # no retry after success
    # Both attempts carry the same event id, so the receiver can tell it is the same event.
    assert {r.headers["Clientport-Delivery"] for r in receiver.requests} == {str(delivery.event_id)}


def test_a_delivery_that_keeps_failing_backs_off_then_fails(firm, receiver, queue, django_capture_on_commit_callbacks):
    receiver.statuses = [503] * 10
    endpoint = make_endpoint(firm, receiver.url)
    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={"type": "ping"})
    now = timezone.now()
    waits = []
    for _ in range(MAX_ATTEMPTS):
        with django_capture_on_commit_callbacks(execute=True):
            attempt(delivery.pk, now=now)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - now)
            now = delivery.next_attempt_at
    assert waits == list(RETRY_DELAYS) == [datetime.timedelta(minutes=1), datetime.timedelta(minutes=5),
                                           datetime.timedelta(minutes=30), datetime.timedelta(hours=2),
                                           datetime.timedelta(hours=6)]
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 6, 503)
    assert len(receiver.requests) == 6 and len(queue.results) == 5  # five retries queued, none after
    attempt(delivery.pk, now=now + datetime.timedelta(days=1))
    assert len(receiver.requests) == 6


def test_a_redirect_is_a_failed_attempt_not_followed(firm, receiver, queue):
    receiver.statuses = [302]
    receiver.redirect_to = receiver.url + "-elsewhere"
    endpoint = make_endpoint(firm, receiver.url)
    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={"type": "ping"})
    attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.response_code == 302
    assert len(receiver.requests) == 1


def test_no_answer_is_recorded_as_an_error_and_retried(firm, queue, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True
    import socket

    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    endpoint = make_endpoint(firm, f"http://127.0.0.1:{port}/hook")
    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={"type": "ping"})
    attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.response_code is None
    assert delivery.last_error.startswith("No answer") and delivery.next_attempt_at is not None


def test_a_disabled_endpoints_pending_delivery_fails_unsent(firm, receiver, queue):
    endpoint = make_endpoint(firm, receiver.url, active=False)
    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={"type": "ping"})
    attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.last_error == "The endpoint is disabled."
    assert receiver.requests == [] and queue.results == []
