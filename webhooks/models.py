"""A firm's webhook endpoints, the deliveries sent to them, and how far an import's new
accounts have been announced (docs/webhooks.md)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models

# The events an endpoint can subscribe to, in the order the settings page lists them.
EVENTS = (
    ("import.finished", "Import finished (or cancelled)"),
    ("import.failed", "Import failed"),
    ("account.created", "Account created"),
)
EVENT_NAMES = tuple(name for name, _label in EVENTS)
# Sent only by "Send test ping", whatever the endpoint subscribes to.
PING = "ping"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Endpoint(models.Model):
    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField("URL", max_length=500)
    events = models.JSONField(default=list)
    # Signs every delivery (HMAC-SHA256); kept readable because signing needs it, shown only to
    # the firm's owners and admins, and rotatable.
    secret = models.CharField(max_length=100, default=new_secret)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.url

    @property
    def event_labels(self) -> list[str]:
        labels = dict(EVENTS)
        return [labels[name] for name in EVENT_NAMES if name in self.events]


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    # The event's id: the same for every endpoint told of the event and for a redelivery, so a
    # receiver can drop what it has already seen (the Clientport-Delivery header).
    event_id = models.UUIDField(default=uuid.uuid4)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_list")]

    def __str__(self):
        return f"{self.event} to {self.endpoint.url}"


class ImportAnnouncement(models.Model):
    """The last account of an import already announced as `account.created`: a resumed import
    that ends again announces only the accounts made since."""

    job = models.OneToOneField("imports.ImportJob", on_delete=models.CASCADE, related_name="+")
    up_to_account_id = models.BigIntegerField(default=0)
