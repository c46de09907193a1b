from django.db import models
from django.utils import timezone


class PasswordResetRequest(models.Model):
    """One reset mail asked for: counted per address and per client address for an hour
    (clientport.auth.reset_refusal), then deleted."""

    email_digest = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["email_digest", "requested_at"], name="reset_request_email_idx"),
            models.Index(fields=["ip_address", "requested_at"], name="reset_request_ip_idx"),
        ]
