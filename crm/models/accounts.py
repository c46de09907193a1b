import datetime

from django.db import models
from django.utils import timezone

from crm.normalize import account_name_key, normalize_name_key
from imports.cleaning.values import mask_tax_id


class Account(models.Model):
    """A client the firm works for and bills: a person, a household or a company."""

    class Type(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        COMPANY = "company", "Company"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        # A source's inactive / hidden / archived flag (QuickBooks, Xero) arrives as inactive:
        # the client stays on file, out of the way of the work lists.
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    # No index of its own: the (firm, ...) composites below serve every firm lookup, and each
    # index is one more B-tree to update for every imported row.
    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="accounts", db_index=False)
    name = models.CharField(max_length=255)
    # The name after NFKC, trimming, whitespace collapsing and case-folding, "Family, Given"
    # keyed as "Given Family" (`account_name_key`). Not unique: two clients may share a name
    # (docs/import-rules.md, "Matching"); the key finds the candidates.
    name_key = models.CharField(max_length=255, editable=False)
    type = models.CharField(max_length=12, choices=Type.choices, default=Type.INDIVIDUAL)
    company_name = models.CharField(max_length=255, blank=True)
    client_id = models.CharField("client ID", max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # A business's EIN / tax number (a person's SSN stays on their contact). Sensitive like the
    # contact's: shown only through `tax_id_masked`, never in lists or logs.
    tax_id = models.CharField("EIN / tax ID", max_length=20, blank=True)
    # A company's own address (a person's lives on their contact); the same shape as the
    # contact's address, so an import's business address fits either.
    street = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField("state/region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    tags = models.ManyToManyField("crm.Tag", blank=True, related_name="accounts")
    assignees = models.ManyToManyField("crm.Membership", blank=True, related_name="assigned_accounts")
    contacts = models.ManyToManyField("crm.Contact", through="crm.AccountContact", related_name="accounts")
    custom_values = models.JSONField(default=dict, blank=True)
    # The account's folder tree as "2025/Tax return" style paths, in order. A short list read
    # and written as a whole: a row per folder made folder templates most of the rows an
    # import of new accounts writes (seven per account with the built-in template).
    folders = models.JSONField(default=list, blank=True)
    # Set when an import created this account: the "created by import #N" filter and undo.
    created_by_import = models.ForeignKey(
        "imports.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,  # the first column of the (import, name) index below
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # "Created by import #N" in name order; also every other lookup by the import.
            models.Index(fields=["created_by_import", "name_key"], name="account_import_by_name"),
            models.Index(fields=["firm", "name_key"], name="account_name_lookup"),
            # The list's type and status filters and sorts, each read in name order from the
            # index itself, so the first page of a million accounts is 51 index entries.
            models.Index(fields=["firm", "type", "name_key"], name="account_type_by_name"),
            models.Index(fields=["firm", "status", "name_key"], name="account_status_by_name"),
            models.Index(fields=["firm", "client_id"], name="account_client_id_lookup"),  # search by client ID
        ]
        ordering = ["name_key"]

    def save(self, *args, **kwargs):
        # Derived, never typed: kept in step with the name on every single save. Bulk writers
        # set it themselves through account_name_key.
        self.name_key = account_name_key(self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def tax_id_masked(self) -> str:
        return mask_tax_id(self.tax_id)

    @property
    def address_lines(self) -> list[str]:
        """The address as it is written on an envelope: street, "City, ST 12345", country."""
        place = " ".join(part for part in (self.state, self.postal_code) if part)
        city_line = ", ".join(part for part in (self.city, place) if part)
        return [line for line in (self.street, city_line, self.country) if line]


class AccountRole(models.Model):
    """A firm-defined role on an account, such as "Tax preparer" or "Reviewer"."""

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="account_roles")
    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "key"], name="accountrole_unique_key_per_firm")]
        ordering = ["name"]

    def save(self, *args, **kwargs):
        self.key = normalize_name_key(self.name, 100)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name


class AccountRoleAssignment(models.Model):
    """A team member holding a role on one account (one holder per role and account)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(AccountRole, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey("crm.Membership", on_delete=models.CASCADE, related_name="account_roles")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "role"], name="roleassignment_unique_per_account")]


class AccountContact(models.Model):
    """The link between an account and one of its contacts, with the portal switches and the
    state of the portal invitation sent through it (docs/crm-rules.md, "Portal invitations")."""

    class Invitation(models.TextChoices):
        NOT_INVITED = "not_invited", "Not invited"
        QUEUED = "queued", "Queued"  # waiting for the background worker to send the mail
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        FAILED = "failed", "Failed"  # the mail could not be sent, after a few attempts

    # Indexed by the (account, contact) unique constraint.
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contact_links", db_index=False)
    contact = models.ForeignKey("crm.Contact", on_delete=models.CASCADE, related_name="account_links")
    login = models.BooleanField(default=False, help_text="May sign in to the client portal.")
    notify = models.BooleanField(default=False, help_text="Receives portal notifications by email.")
    email_sync = models.BooleanField(
        default=False,
        help_text="Not in effect yet: once mailbox sync exists, their emails will show in the firm's inbox.",
    )
    invitation = models.CharField(max_length=12, choices=Invitation.choices, default=Invitation.NOT_INVITED)
    invited_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The last sending failure (an SMTP error), and how many times the worker tried. Defaults in
    # the database too: the importer's plain INSERTs (imports/bulk.py) leave them out.
    invitation_error = models.CharField(max_length=500, blank=True, default="", db_default="")
    invitation_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    # The import that queued this link's invitation: sent when that import finishes, put back to
    # "not invited" when it is cancelled or fails (crm.invitations.invitations_after_import).
    queued_by_import = models.ForeignKey(
        "imports.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "contact"], name="accountcontact_unique_link")]

    def invitation_expired(self, *, days: int, now=None) -> bool:
        """Invited, not accepted, and sent longer ago than the firm's invitation days (the same
        limit the invitation's token has)."""
        return (self.invitation == self.Invitation.INVITED and self.invited_at is not None
                and (now or timezone.now()) - self.invited_at > datetime.timedelta(days=days))

    @property
    def portal_state(self) -> str:
        """What the pages show: "no_access" (Login off), "expired", or the invitation state."""
        if not self.login:
            return "no_access"
        if self.invitation_expired(days=self.account.firm.portal_invitation_days):
            return "expired"
        return self.invitation
