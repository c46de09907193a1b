"""One attempt at a delivery, and the retries after a failed one.

The worker's task (webhooks.tasks) calls `attempt` with the delivery's id; a 2xx answer is
success. Anything else (another status, a timeout, a refused connection, a redirect) is tried
again after 1 minute, 5 minutes, 30 minutes, 2 hours and 6 hours, then the delivery is failed.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from webhooks.addresses import RefusedURL, check_url
from webhooks.models import Delivery
from webhooks.signing import SIGNATURE_HEADER, signature_header

logger = logging.getLogger(__name__)

RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 10
USER_AGENT = "Clientport-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    code: int | None  # the HTTP status, None when no answer came
    error: str  # why it failed, "" on success
    ms: int | None

    @property
    def ok(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address to post to: following one would let a
    public host send our request into our own network."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No proxies from the environment either: the address check above is about the host we connect to.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def post(delivery: Delivery) -> Outcome:
    """POSTs the delivery's payload, signed, to its endpoint; never raises for the network."""
    endpoint = delivery.endpoint
    try:
        check_url(endpoint.url)
    except RefusedURL as refusal:
        return Outcome(None, str(refusal), None)
    body = body_of(delivery)
    request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(endpoint.secret, body),
        "Clientport-Event": delivery.event,
        "Clientport-Delivery": str(delivery.event_id),
    })
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            code, error = response.status, ""
    except urllib.error.HTTPError as answer:
        code, error = answer.code, f"The endpoint answered {answer.code}."
        answer.close()
    except (urllib.error.URLError, OSError, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        code, error = None, f"No answer: {reason}"[:300]
    ms = int((time.monotonic() - started) * 1000)
    return Outcome(code, error, ms)


def attempt(delivery_id: int, *, now: datetime.datetime | None = None) -> Delivery | None:
    """Sends a pending delivery once and records what happened; schedules the next attempt
    after a failure. A delivery already sent, failed, gone, or not due yet is left alone, and
    two workers given the same attempt send it once (the claim on `attempts`)."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return delivery
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return delivery
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return delivery
    delivery.attempts += 1
    if not delivery.endpoint.active:
        outcome = Outcome(None, "The endpoint is disabled.", None)
    else:
        outcome = post(delivery)
    _record(delivery, outcome, now=now, retry=delivery.endpoint.active)
    return delivery


def _record(delivery: Delivery, outcome: Outcome, *, now: datetime.datetime, retry: bool) -> None:
    delivery.response_code, delivery.last_error, delivery.response_ms = outcome.code, outcome.error, outcome.ms
    delivery.next_attempt_at = None
    if outcome.ok:
        delivery.status, delivery.delivered_at = Delivery.Status.SENT, timezone.now()
    elif not retry or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    delivery.save(update_fields=["status", "response_code", "last_error", "response_ms", "next_attempt_at",
                                 "delivered_at"])
    if delivery.status == Delivery.Status.PENDING:
        schedule(delivery)
    elif delivery.status == Delivery.Status.FAILED:
        logger.warning("Webhook delivery #%s (%s) failed after %s attempt(s): %s",
                       delivery.pk, delivery.event, delivery.attempts, outcome.error)


def schedule(delivery: Delivery) -> None:
    """Queues the delivery's next attempt, at `next_attempt_at` (now when unset), after commit."""
    from webhooks.tasks import deliver_webhook

    task = deliver_webhook
    if delivery.next_attempt_at is not None:
        if not task.get_backend().supports_defer:
            # The immediate backend (tests) cannot wait: the retry stays pending on the row.
            logger.info("Webhook delivery #%s: this task backend cannot run later; not retried.", delivery.pk)
            return
        task = task.using(run_after=delivery.next_attempt_at)
    transaction.on_commit(lambda: task.enqueue(delivery.pk))
