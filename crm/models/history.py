"""What happened to an account, for the people of the firm: the account page's history."""

from django.conf import settings
from django.db import models


class AccountEvent(models.Model):
    """One entry of an account's history: who did what, when, in a sentence, with details.

    Written by the actions that change an account outside the plain edit form (a client's
    correction in the portal, documents shared or uploaded, invitations, merges, undo) through
    `crm.history.record`; shown newest first on the account page.
    """

    class Actor(models.TextChoices):
        TEAM = "team", "Team member"
        CLIENT = "client", "Client"
        SYSTEM = "system", "Clientport"

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey("crm.Account", on_delete=models.CASCADE, related_name="events", db_index=False)
    contact = models.ForeignKey("crm.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_kind = models.CharField(max_length=8, choices=Actor.choices)
    # The person who acted; kept by name as well, so the entry reads the same after they leave.
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    # A stable code ("contact_corrected", "document_uploaded", "invitation_sent", "merged", ...).
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "-created_at"], name="account_event_history")]

    def __str__(self):
        return self.summary
