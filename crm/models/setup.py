"""Firm-defined building blocks: tags, custom fields, folder templates."""

import datetime

from django.db import models

from crm.normalize import normalize_name_key


class Tag(models.Model):
    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100)
    # "VIP" and "vip" are one tag.
    key = models.CharField(max_length=100, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "key"], name="tag_unique_key_per_firm")]
        ordering = ["name"]

    def save(self, *args, **kwargs):
        self.key = normalize_name_key(self.name, 100)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name


class CustomField(models.Model):
    """A firm-defined field. Values live in `custom_values` JSON on the record, keyed by this
    field's id, so a batch import writes any number of custom values with the record itself."""

    class AppliesTo(models.TextChoices):
        ACCOUNT = "account", "Accounts"
        CONTACT = "contact", "Contacts"

    class Type(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        YES_NO = "yes_no", "Yes/No"
        DROPDOWN = "dropdown", "Dropdown"
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        URL = "url", "URL"

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="custom_fields")
    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices)
    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, editable=False)
    field_type = models.CharField(max_length=10, choices=Type.choices, default=Type.TEXT)
    options = models.JSONField(default=list, blank=True, help_text="Choices of a dropdown field.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "applies_to", "key"], name="customfield_unique_key_per_firm")
        ]
        ordering = ["applies_to", "name"]

    def save(self, *args, **kwargs):
        self.key = normalize_name_key(self.name, 100)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name

    @property
    def value_key(self) -> str:
        """The key of this field's value inside a record's `custom_values`."""
        return str(self.pk)


DEFAULT_TAX_YEARS_COUNT = 4
DEFAULT_STANDARD_FOLDERS = ["Permanent", "Engagement letters", "Correspondence"]


class FolderTemplate(models.Model):
    """A named list of folders ("2025/Tax return" style paths) created on new accounts."""

    firm = models.ForeignKey("crm.Firm", on_delete=models.CASCADE, related_name="folder_templates")
    name = models.CharField(max_length=100)
    folders = models.JSONField(default=list, blank=True)
    # The built-in "Default tax years" template computes its years when applied, so it never
    # goes stale at New Year.
    is_builtin = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "name"], name="foldertemplate_unique_name_per_firm")]
        ordering = ["-is_builtin", "name"]

    def __str__(self):
        return self.name

    def folder_paths(self, today: datetime.date | None = None) -> list[str]:
        if not self.is_builtin:
            return list(self.folders)
        year = (today or datetime.date.today()).year
        years = [str(year - offset) for offset in range(1, DEFAULT_TAX_YEARS_COUNT + 1)]
        return years + DEFAULT_STANDARD_FOLDERS
