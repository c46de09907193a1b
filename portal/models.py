"""A document in an account's folder: a file the firm shares with (or keeps from) its client, or
a file the client uploaded."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


def document_storage_name(document: Document, filename: str) -> str:
    """The name the file is stored under: chosen by the server, never the uploader's. The
    original name is data (`original_name`), only ever sent back in a Content-Disposition."""
    return f"portal/{document.firm_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Side(models.TextChoices):
        TEAM = "team", "Team"
        CLIENT = "client", "Client"

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey("crm.Account", on_delete=models.CASCADE, related_name="documents", db_index=False)
    # One of the account's folders ("2025/Tax return"), or "" for the top level. Kept as text:
    # a folder later taken off the account keeps its documents, shown under their old path.
    folder = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to=document_storage_name, max_length=255)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    # Guessed from the name for display; never trusted: downloads are always
    # application/octet-stream attachments.
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # Kept by name too, so the list reads the same after the person's login is gone.
    uploaded_by_name = models.CharField(max_length=200, blank=True)
    side = models.CharField(max_length=6, choices=Side.choices)
    # Team uploads only: shared with the account's clients, or kept internal. Client uploads
    # are always visible to the team (and to the account's other clients).
    shared = models.BooleanField(default=False)
    # The files of one upload (one form post): one notification mail per batch.
    batch = models.UUIDField(default=uuid.uuid4)
    # When the notification for this document went out (to the clients for a shared team
    # document, to the team for a client upload): a retried task sends nothing twice.
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "-created_at"], name="document_account_newest")]

    def __str__(self):
        return self.original_name

    def __repr__(self):
        return f"<Document {self.pk} account={self.account_id}>"

    @property
    def folder_label(self) -> str:
        return self.folder or "Top level"

    @property
    def visible_to_client(self) -> bool:
        return self.side == self.Side.CLIENT or self.shared
