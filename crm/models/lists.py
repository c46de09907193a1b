"""What the client lists keep: a firm's saved filters, and the record of bulk deletions."""

from django.conf import settings
from django.db import models


class ListKind(models.TextChoices):
    ACCOUNTS = "accounts", "Accounts"
    CONTACTS = "contacts", "Contacts"


class SavedFilter(models.Model):
    """A named filter of the accounts or contacts list (its query string: search, tag, type,
    status, sort), saved by one member and offered to the whole firm."""

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="saved_filters", db_index=False)
    list_kind = models.CharField(max_length=10, choices=ListKind.choices)
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "list_kind", "name"], name="savedfilter_unique_name"),
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClientDeletion(models.Model):
    """One bulk deletion from a client list: who, when, how many, and the first names deleted.

    Deletions cannot be undone; this record is what remains of them (shown under the list)."""

    NAMES_KEPT = 50

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="+", db_index=False)
    list_kind = models.CharField(max_length=10, choices=ListKind.choices)
    count = models.PositiveIntegerField()
    # The first NAMES_KEPT names, in name order; `count` says how many there were.
    names = models.JSONField(default=list, blank=True)
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["firm", "list_kind", "-created_at"], name="clientdeletion_recent")]

    @property
    def more(self) -> int:
        return max(self.count - len(self.names), 0)

    def __str__(self):
        return f"{self.count} {self.list_kind} deleted by {self.actor_name}"
