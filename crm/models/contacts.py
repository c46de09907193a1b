from django.db import models
from django.db.models import F
from django.db.models.functions import Lower

from crm.normalize import contact_name_key, normalize_email_key
from imports.cleaning.values import mask_tax_id


class Contact(models.Model):
    """A person. May belong to several accounts; identified by primary email within the firm."""

    # No index of its own: the (firm, ...) composites below serve every firm lookup.
    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="contacts", db_index=False)
    prefix = models.CharField(max_length=30, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    suffix = models.CharField(max_length=30, blank=True)
    email = models.CharField("primary email", max_length=254, blank=True)
    # Lower-cased primary email: the contact's identity within the firm (docs/crm-rules.md). NULL
    # without an email: NULLs are distinct in a unique index on SQLite and PostgreSQL alike,
    # so one plain unique index serves both the rule and every lookup by email.
    email_key = models.CharField(max_length=254, null=True, blank=True, editable=False)
    # "first last", normalised: identifies a contact without email within its account.
    name_key = models.CharField(max_length=201, blank=True, editable=False)
    additional_emails = models.JSONField(default=list, blank=True)
    phones = models.JSONField(default=list, blank=True)
    street = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField("state/region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # Sensitive: shown only through `tax_id_masked`, never in lists, logs or exports.
    tax_id = models.CharField("SSN/TIN", max_length=20, blank=True)
    notes = models.TextField(blank=True)
    tags = models.ManyToManyField("crm.Tag", blank=True, related_name="contacts")
    custom_values = models.JSONField(default=dict, blank=True)
    created_by_import = models.ForeignKey(
        "imports.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,  # the first column of the (import, name) index below
    )
    # The login this person uses for the client portal, set when they accept an invitation.
    # One user may be the contact of several firms; what they see is decided per link by its
    # *Login* switch (`crm.selectors.portal_links`), so turning Login off closes access at once.
    portal_user = models.ForeignKey(
        "crm.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="client_contacts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "email_key"], name="contact_unique_email_per_firm")]
        indexes = [
            # "Created by import #N" in name order; also every other lookup by the import.
            models.Index(fields=["created_by_import", "last_name", "first_name"], name="contact_import_by_name"),
            models.Index(fields=["firm", "last_name", "first_name"]),
            models.Index(fields=["firm", "name_key"]),
            # Search by last name whatever its case: one range of this index (crm.selectors).
            models.Index(F("firm"), Lower("last_name"), name="contact_last_name_search"),
        ]
        ordering = ["last_name", "first_name", "email"]

    def save(self, *args, **kwargs):
        self.email_key = normalize_email_key(self.email) or None
        self.name_key = contact_name_key(self.first_name, self.last_name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.full_name or self.email or f"Contact #{self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    @property
    def all_emails(self) -> list[str]:
        return ([self.email] if self.email else []) + list(self.additional_emails)

    @property
    def tax_id_masked(self) -> str:
        return mask_tax_id(self.tax_id)

    def __repr__(self):
        # Never let the SSN reach a log line through a repr.
        return f"<Contact {self.pk} {self.full_name!r}>"
