"""The firm settings pages' forms: the firm itself, team members, tags, custom fields, account roles
and folder templates."""

from __future__ import annotations

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError

from crm.models import CustomField, Firm, FolderTemplate, Membership, Tag
from crm.normalize import normalize_name_key


class FirmForm(forms.Form):
    name = forms.CharField(label="Firm name", max_length=200)
    default_country = forms.CharField(
        label="Default country for phones",
        max_length=2,
        min_length=2,
        help_text="Two-letter country code (US, CA, GB…): numbers without a country code are read as this country's.",
    )
    date_order = forms.ChoiceField(
        label="Date order",
        choices=Firm.DateOrder.choices,
        help_text="How dates like 03/04/2024 in imported files are read.",
    )
    individual_account_names = forms.ChoiceField(
        label="Individual account names",
        choices=Firm.IndividualNames.choices,
        required=False,  # left out: unchanged
        help_text="How a new individual's account is named after its person, by import and by hand.",
    )
    import_file_retention_days = forms.IntegerField(
        label="Keep uploaded client lists for (days)",
        required=False,  # left empty: unchanged
        min_value=1,
        max_value=3650,
        help_text="Then each uploaded file, with the cells of its skipped rows, is deleted (counted from "
        "when the import finished, or from the upload for imports never started).",
    )
    notify_team_on_client_upload = forms.BooleanField(
        label="Email the team when a client uploads a document",
        required=False,
        help_text="Sent to the account's assignees, or to everyone who may edit clients when it has none.",
    )

    portal_invitation_days = forms.IntegerField(
        label="Portal invitations expire after (days)",
        required=False,  # left empty: unchanged
        min_value=1,
        max_value=90,
        help_text="How long the link in a client's portal invitation works; after that, resend it.",
    )

    def clean_default_country(self):
        code = self.cleaned_data["default_country"].strip().upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise ValidationError("Unknown country code.")
        return code


class MemberAddForm(forms.Form):
    email = forms.EmailField()
    full_name = forms.CharField(label="Name", max_length=150, required=False)
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    can_manage_contacts = forms.BooleanField(
        label="Manage contacts", required=False, help_text="May import, create and edit accounts and contacts."
    )

    def __init__(self, *args, firm: Firm, by: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm
        if by.role != Membership.Role.OWNER:
            self.fields["role"].choices = [c for c in Membership.Role.choices if c[0] != Membership.Role.OWNER]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.firm.memberships.filter(user__email__iexact=email, is_active=True).exists():
            raise ValidationError("This person is already on the team.")
        return email


class MemberUpdateForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)
    can_manage_contacts = forms.BooleanField(label="Manage contacts", required=False)


class TagForm(forms.Form):
    name = forms.CharField(max_length=100)

    def __init__(self, *args, firm: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Give the tag a name.")
        if Tag.objects.filter(firm=self.firm, key=normalize_name_key(name)).exists():
            raise ValidationError(f'A tag named "{name}" already exists.')
        return name


class CustomFieldForm(forms.Form):
    name = forms.CharField(max_length=100)
    applies_to = forms.ChoiceField(label="For", choices=CustomField.AppliesTo.choices)
    field_type = forms.ChoiceField(label="Type", choices=CustomField.Type.choices)
    options = forms.CharField(
        label="Dropdown options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line (dropdown fields only).",
    )

    def __init__(self, *args, firm: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_options(self):
        options = []
        for line in (self.cleaned_data["options"] or "").splitlines():
            if line.strip() and line.strip() not in options:
                options.append(line.strip())
        return options

    def clean(self):
        cleaned = super().clean()
        name, applies_to = cleaned.get("name"), cleaned.get("applies_to")
        if name and applies_to:
            if CustomField.objects.filter(firm=self.firm, applies_to=applies_to, key=normalize_name_key(name)).exists():
                self.add_error("name", "A field with this name already exists.")
        if cleaned.get("field_type") == CustomField.Type.DROPDOWN and not cleaned.get("options"):
            self.add_error("options", "A dropdown needs at least one option.")
        if cleaned.get("field_type") != CustomField.Type.DROPDOWN:
            cleaned["options"] = []
        return cleaned


class AccountRoleForm(forms.Form):
    name = forms.CharField(max_length=100)

    def __init__(self, *args, firm: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if self.firm.account_roles.filter(key=normalize_name_key(name)).exists():
            raise ValidationError("This role already exists.")
        return name


class FolderTemplateForm(forms.Form):
    name = forms.CharField(max_length=100)
    folders = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "Tax returns\nTax returns/2024\nPayroll"}),
        help_text="One folder per line; use / for subfolders.",
    )

    def __init__(self, *args, firm: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if self.firm.folder_templates.filter(name=name).exists():
            raise ValidationError("A template with this name already exists.")
        return name

    def clean_folders(self):
        paths = []
        for line in self.cleaned_data["folders"].splitlines():
            path = "/".join(part.strip() for part in line.split("/") if part.strip())
            if path and path not in paths:
                if len(path) > 255:
                    raise ValidationError("A folder path is longer than 255 characters.")
                paths.append(path)
        if not paths:
            raise ValidationError("List at least one folder.")
        return paths


class DefaultFolderTemplateForm(forms.Form):
    template = forms.ChoiceField(label="Default for new accounts")

    def __init__(self, *args, firm: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.fields["template"].choices = [("none", "None (no folders)")] + [
            (str(t.pk), t.name) for t in firm.folder_templates.all()
        ]
        self.initial.setdefault(
            "template", str(firm.default_folder_template_id) if firm.default_folder_template_id else "none"
        )

    def chosen(self) -> FolderTemplate | None:
        value = self.cleaned_data["template"]
        return None if value == "none" else self.firm.folder_templates.get(pk=value)
