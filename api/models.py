"""Personal API tokens: a team member's key for programs, scoped and revocable."""

from django.db import models


class ApiToken(models.Model):
    """The key itself is shown once and never stored: only its prefix (to find the row) and a
    salted SHA-256 of it (to check it). A token acts as its membership, with that member's
    rights in that firm, re-checked on every request (api/tokens.py)."""

    class Scope(models.TextChoices):
        READ = "read", "Read clients and imports"
        WRITE = "write", "Create and change clients"
        IMPORT = "import", "Run imports"

    membership = models.ForeignKey("crm.Membership", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    salt = models.CharField(max_length=32)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey("crm.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def firm(self):
        return self.membership.firm

    @property
    def user(self):
        return self.membership.user
