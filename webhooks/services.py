"""The firm's webhook endpoints: every change is an action taking `actor` and needing the right
to manage the firm (owners and admins), like the rest of Settings."""

from __future__ import annotations

import logging

from django.db import transaction

from crm.permissions import MANAGE_FIRM, require
from webhooks import events
from webhooks.addresses import check_url
from webhooks.models import EVENT_NAMES, Delivery, Endpoint, new_secret
from webhooks.sending import schedule

logger = logging.getLogger("crm.actions")


def _clean_events(chosen) -> list[str]:
    chosen = [name for name in EVENT_NAMES if name in set(chosen)]
    if not chosen:
        raise ValueError("Choose at least one event to send.")
    return chosen


def endpoint_create(*, actor, url: str, events: list[str]) -> Endpoint:
    """Raises RefusedURL (a ValueError) for a URL webhooks may not go to."""
    require(actor, MANAGE_FIRM)
    url = url.strip()
    check_url(url)
    endpoint = Endpoint.objects.create(firm=actor.firm, url=url, events=_clean_events(events),
                                       created_by=actor.user)
    logger.info("Webhook endpoint #%s added in %s by %s.", endpoint.pk, actor.firm.slug, actor.user.email)
    return endpoint


def endpoint_update(*, actor, endpoint: Endpoint, url: str, events: list[str]) -> Endpoint:
    require(actor, MANAGE_FIRM, firm=endpoint.firm_id)
    url = url.strip()
    if url != endpoint.url:
        check_url(url)
    endpoint.url, endpoint.events = url, _clean_events(events)
    endpoint.save(update_fields=["url", "events"])
    logger.info("Webhook endpoint #%s changed by %s.", endpoint.pk, actor.user.email)
    return endpoint


def endpoint_set_active(*, actor, endpoint: Endpoint, active: bool) -> Endpoint:
    """A disabled endpoint is sent nothing: new events skip it, and its pending retries fail."""
    require(actor, MANAGE_FIRM, firm=endpoint.firm_id)
    endpoint.active = active
    endpoint.save(update_fields=["active"])
    logger.info("Webhook endpoint #%s %s by %s.", endpoint.pk, "enabled" if active else "disabled", actor.user.email)
    return endpoint


def endpoint_delete(*, actor, endpoint: Endpoint) -> None:
    require(actor, MANAGE_FIRM, firm=endpoint.firm_id)
    logger.info("Webhook endpoint #%s (%s) deleted by %s.", endpoint.pk, endpoint.url, actor.user.email)
    endpoint.delete()


def endpoint_rotate_secret(*, actor, endpoint: Endpoint) -> Endpoint:
    """A new secret signs every delivery from now on, retries of older ones included."""
    require(actor, MANAGE_FIRM, firm=endpoint.firm_id)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    logger.info("Webhook endpoint #%s: secret rotated by %s.", endpoint.pk, actor.user.email)
    return endpoint


def endpoint_ping(*, actor, endpoint: Endpoint) -> Delivery:
    require(actor, MANAGE_FIRM, firm=endpoint.firm_id)
    if not endpoint.active:
        raise ValueError("The endpoint is disabled: enable it to send it a ping.")
    return events.ping(endpoint)


@transaction.atomic
def delivery_redeliver(*, actor, delivery: Delivery) -> Delivery:
    """Sends the same event again (same event id, so a receiver can tell) as a new delivery."""
    endpoint = delivery.endpoint
    require(actor, MANAGE_FIRM, firm=endpoint.firm_id)
    if not endpoint.active:
        raise ValueError("The endpoint is disabled: enable it to redeliver.")
    again = Delivery.objects.create(endpoint=endpoint, event=delivery.event, event_id=delivery.event_id,
                                    payload=delivery.payload)
    schedule(again)
    logger.info("Webhook delivery #%s redelivered as #%s by %s.", delivery.pk, again.pk, actor.user.email)
    return again
