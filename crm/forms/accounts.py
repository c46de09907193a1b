"""Forms of the CRM pages. They parse and check input; the services in crm/services.py write.

Every form that offers firm data (tags, members, roles, custom fields) is built for one firm,
so a foreign id is simply not a valid choice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import phonenumbers
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, _unicode_ci_compare
from django.core.exceptions import ValidationError

from crm import selectors
from crm.models import Account, Contact, CustomField, Firm, FolderTemplate, Membership, Tag
from crm.normalize import normalize_email_key, normalize_name_key
# The rules for values live once, in the import's cleaners (pure functions, no database): a
# value typed here is stored as an import of the same text stores it, and what an import would
# warn about is refused here with the same words.
from imports import cleaning
from imports.cleaning.addresses import clean_address_fields


def _member_label(membership: Membership) -> str:
    return membership.display_name


class WriteOnlyInput(forms.TextInput):
    """A text input that never renders a value: what is stored (or was typed) stays out of the
    HTML, so a sensitive number cannot leak through a page, its cache or a screenshot."""

    def format_value(self, value):
        return None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _refuse(problems) -> None:
    """The cleaners' problems as this field's errors, without what an import would do about them."""
    if problems:
        raise ValidationError([problem.reason for problem in problems])


class FirmDateField(forms.DateField):
    """A date read as the import reads it (`cleaning.clean_date`): ISO (what the date picker
    sends) always, other writings in the firm's date order, so 03/04/1980 means the same date
    here and in the firm's files."""

    date_order = "MDY"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        date, problems = cleaning.clean_date(str(value), date_order=self.date_order)
        _refuse(problems)
        return date


class CleanedField(forms.CharField):
    """A text input whose value goes through one of the import's cleaners: `rule(text)` gives
    (value, problems), as every cleaner in imports/cleaning does."""

    def __init__(self, *, rule, **kwargs):
        self.rule = rule
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return ""
        cleaned, problems = self.rule(text)
        _refuse(problems)
        return cleaned


# --- Custom fields ----------------------------------------------------------------------------


def custom_field_name(field: CustomField) -> str:
    return f"cf_{field.pk}"


def _custom_form_field(field: CustomField, stored, firm: Firm) -> forms.Field:
    common = {"label": field.name, "required": False}
    kind = field.field_type
    if kind == CustomField.Type.NUMBER:
        return forms.DecimalField(**common, widget=forms.NumberInput(attrs={"step": "any"}))
    if kind == CustomField.Type.DATE:
        date_field = FirmDateField(**common, widget=DateInput())
        date_field.date_order = firm.date_order
        return date_field
    if kind == CustomField.Type.YES_NO:
        widget = forms.NullBooleanSelect()
        widget.choices = [("unknown", "—"), ("true", "Yes"), ("false", "No")]
        return forms.NullBooleanField(**common, widget=widget)
    if kind == CustomField.Type.DROPDOWN:
        options = [str(option) for option in field.options]
        if stored not in (None, "") and str(stored) not in options:
            # An imported value outside the options is shown, not silently dropped on save.
            options.append(str(stored))
        return forms.ChoiceField(**common, choices=[("", "—")] + [(option, option) for option in options])
    if kind in (CustomField.Type.EMAIL, CustomField.Type.URL, CustomField.Type.PHONE):
        def rule(text, kind=str(kind)):
            return cleaning.clean_custom_value(text, field_type=kind, default_country=firm.default_country)

        # A text input for web addresses: a browser's URL input refuses "www.example.com", which
        # the import takes.
        widget = {CustomField.Type.EMAIL: forms.EmailInput(),
                  CustomField.Type.PHONE: forms.TextInput(attrs={"type": "tel"})}.get(kind, forms.TextInput())
        return CleanedField(**common, rule=rule, max_length=1000, widget=widget)
    return forms.CharField(**common, max_length=1000)


def _json_value(field: CustomField, value):
    """The JSON-able value stored for a cleaned form value; None means "no value"."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    return value


class CustomFieldsMixin:
    """Adds one typed input per firm custom field and merges the values into `custom_values`."""

    def add_custom_fields(self, *, firm: Firm, applies_to: str, values: dict) -> None:
        self.custom_field_rows = list(selectors.custom_fields(firm=firm, applies_to=applies_to))
        self._stored_custom_values = dict(values or {})
        for field in self.custom_field_rows:
            stored = self._stored_custom_values.get(field.value_key)
            name = custom_field_name(field)
            self.fields[name] = _custom_form_field(field, stored, firm)
            self.initial.setdefault(name, stored)

    def custom_fields_bound(self):
        return [self[custom_field_name(field)] for field in self.custom_field_rows]

    def custom_values(self) -> dict:
        """The stored values with this form's fields applied; keys of other fields are kept."""
        values = dict(self._stored_custom_values)
        for field in self.custom_field_rows:
            value = _json_value(field, self.cleaned_data.get(custom_field_name(field)))
            if value is None:
                values.pop(field.value_key, None)
            else:
                values[field.value_key] = value
        return values


# --- Accounts ---------------------------------------------------------------------------------


ADDRESS_FIELDS = ("street", "city", "state", "postal_code", "country")


class AccountForm(CustomFieldsMixin, forms.Form):
    name = forms.CharField(max_length=255, required=False)
    type = forms.ChoiceField(choices=Account.Type.choices, initial=Account.Type.INDIVIDUAL)
    company_name = forms.CharField(
        max_length=255, required=False, help_text="Filled from the account name for a company when left blank."
    )
    client_id = forms.CharField(label="Client ID", max_length=64, required=False)
    # Not required: a post without it keeps the account's status (a new one is active).
    status = forms.ChoiceField(
        choices=Account.Status.choices, initial=Account.Status.ACTIVE, required=False,
        help_text="Inactive clients stay on file; the accounts list can hide them.",
    )
    street = forms.CharField(label="Street", max_length=255, required=False)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(label="State/region", max_length=100, required=False)
    postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    country = forms.CharField(max_length=100, required=False)
    tax_id = forms.CharField(
        label="EIN / tax ID",
        max_length=20,
        required=False,
        widget=WriteOnlyInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    assignees = forms.ModelMultipleChoiceField(
        queryset=Membership.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, firm: Firm, account: Account | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.account = account
        members = selectors.active_members(firm=firm)
        self.fields["tags"].queryset = Tag.objects.filter(firm=firm)
        self.fields["assignees"].queryset = members
        self.fields["assignees"].label_from_instance = _member_label
        self.roles = list(firm.account_roles.all())
        held = {}
        if account is not None:
            self.initial.update(
                name=account.name,
                type=account.type,
                company_name=account.company_name,
                client_id=account.client_id,
                status=account.status,
                **{name: getattr(account, name) for name in ADDRESS_FIELDS},
                tags=list(account.tags.all()),
                assignees=list(account.assignees.all()),
            )
            held = {assignment.role_id: assignment.member_id for assignment in account.role_assignments.all()}
        self._add_tax_id_help(account)
        for role in self.roles:
            field = forms.ModelChoiceField(queryset=members, required=False, label=role.name, empty_label="— nobody —")
            field.label_from_instance = _member_label
            self.fields[f"role_{role.pk}"] = field
            self.initial.setdefault(f"role_{role.pk}", held.get(role.pk))
        if account is None:
            self.fields["folder_template"] = forms.ChoiceField(
                label="Folders", choices=self._folder_choices(firm), initial="default", required=False
            )
            # An individual's account is its person: named after them in the firm's form, with
            # them as its first contact.
            example = firm.individual_account_name("Ana", "Rivera")
            self.fields["first_name"] = forms.CharField(label="First name", max_length=100, required=False)
            self.fields["last_name"] = forms.CharField(
                label="Last name", max_length=100, required=False,
                help_text=f"For an individual: leave the account name empty and it is named after this person "
                          f"(“{example}”, as set in Settings), who becomes its contact.",
            )
        self.add_custom_fields(
            firm=firm, applies_to=CustomField.AppliesTo.ACCOUNT, values=account.custom_values if account else {}
        )

    def _add_tax_id_help(self, account: Account | None) -> None:
        # As the contact's SSN/TIN: write-only, the stored number only ever shown masked.
        if account is not None and account.tax_id:
            self.fields["tax_id"].help_text = (
                f"On file: {account.tax_id_masked}. Leave blank to keep it; type a new number to replace it."
            )
            self.fields["clear_tax_id"] = forms.BooleanField(label="Remove the EIN / tax ID on file", required=False)
        else:
            self.fields["tax_id"].help_text = "A business's EIN or tax number. Stored and only ever shown masked."

    def clean_tax_id(self):
        tax_id, problems = cleaning.clean_tax_id(self.cleaned_data["tax_id"], label="EIN / tax ID")
        _refuse(problems)
        return tax_id

    @staticmethod
    def _folder_choices(firm: Firm):
        default = firm.default_folder_template
        choices = [("default", f"Firm default ({default.name})" if default else "Firm default (no folders)")]
        choices.append(("none", "No folders"))
        choices += [(str(template.pk), template.name) for template in firm.folder_templates.all()]
        return choices

    def role_fields(self):
        return [self[f"role_{role.pk}"] for role in self.roles]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        first = " ".join(cleaned.get("first_name", "").split())
        last = " ".join(cleaned.get("last_name", "").split())
        cleaned["first_name"], cleaned["last_name"] = first, last
        if not cleaned.get("name") and "name" not in self.errors:
            if (first or last) and cleaned.get("type") == Account.Type.INDIVIDUAL:
                cleaned["name"] = self.firm.individual_account_name(first, last)
            else:
                self.add_error("name", "Give the account a name (or, for an individual, the person's name below).")
        if cleaned.get("type") == Account.Type.COMPANY and not cleaned.get("company_name") and cleaned.get("name"):
            cleaned["company_name"] = cleaned["name"]
        return cleaned

    def chosen_folder_template(self) -> FolderTemplate | None | str:
        choice = self.cleaned_data.get("folder_template") or "default"
        if choice == "default":
            return "default"
        if choice == "none":
            return None
        return self.firm.folder_templates.get(pk=choice)

    def chosen_roles(self):
        """(role, member or None) for every firm role."""
        return [(role, self.cleaned_data.get(f"role_{role.pk}")) for role in self.roles]

    def person(self) -> dict:
        """The first and last name of a new individual's person, when given."""
        data = self.cleaned_data
        if data.get("type") != Account.Type.INDIVIDUAL or not (data.get("first_name") or data.get("last_name")):
            return {}
        return {"first_name": data["first_name"], "last_name": data["last_name"]}

    def account_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "type": data["type"],
            "company_name": data["company_name"],
            "client_id": data["client_id"],
            "status": data.get("status") or (self.account.status if self.account else Account.Status.ACTIVE),
            **{name: " ".join(data[name].split()) for name in ADDRESS_FIELDS},
            "custom_values": self.custom_values(),
            **self._tax_id_field(),
        }

    def _tax_id_field(self) -> dict:
        # Write-only: blank keeps what is stored; the checkbox is the one way to remove it.
        data = self.cleaned_data
        if data.get("tax_id"):
            return {"tax_id": data["tax_id"]}
        if data.get("clear_tax_id") or self.account is None:
            return {"tax_id": ""}
        return {}


class AddContactToAccountForm(forms.Form):
    contact = forms.IntegerField(widget=forms.HiddenInput)


class LinkSwitchForm(forms.Form):
    field = forms.ChoiceField(choices=[("login", "Login"), ("notify", "Notify"), ("email_sync", "Email sync")])
    value = forms.ChoiceField(choices=[("on", "On"), ("off", "Off")])


# --- Contacts ---------------------------------------------------------------------------------


class ContactForm(CustomFieldsMixin, forms.Form):
    prefix = forms.CharField(max_length=30, required=False)
    first_name = forms.CharField(max_length=100, required=False)
    middle_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    suffix = forms.CharField(max_length=30, required=False)
    email = forms.CharField(label="Primary email", max_length=1000, required=False, widget=forms.EmailInput)
    additional_emails = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line (or separated by , or ;)."
    )
    phones = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line.")
    street = forms.CharField(max_length=255, required=False)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(label="State/region", max_length=100, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    country = forms.CharField(max_length=100, required=False)
    date_of_birth = FirmDateField(required=False, widget=DateInput())
    tax_id = forms.CharField(
        label="SSN/TIN",
        max_length=20,
        required=False,
        widget=WriteOnlyInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, firm: Firm, contact: Contact | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.contact = contact
        self.fields["tags"].queryset = Tag.objects.filter(firm=firm)
        self.fields["phones"].help_text = (
            f"One per line. Numbers without a country code are read as {firm.default_country}'s "
            "(or as the country's below); an extension stays (312 555 0100 ext 12)."
        )
        self.fields["date_of_birth"].date_order = firm.date_order
        if contact is not None:
            for name in (
                "prefix", "first_name", "middle_name", "last_name", "suffix", "email",
                "street", "city", "state", "postal_code", "country", "date_of_birth", "notes",
            ):
                self.initial[name] = getattr(contact, name)
            self.initial["additional_emails"] = "\n".join(contact.additional_emails)
            self.initial["phones"] = "\n".join(contact.phones)
            self.initial["tags"] = list(contact.tags.all())
        if contact is not None and contact.tax_id:
            self.fields["tax_id"].help_text = (
                f"On file: {contact.tax_id_masked}. Leave blank to keep it; type a new number to replace it."
            )
            self.fields["clear_tax_id"] = forms.BooleanField(label="Remove the SSN/TIN on file", required=False)
        else:
            self.fields["tax_id"].help_text = "Stored and only ever shown masked."
        self.add_custom_fields(
            firm=firm, applies_to=CustomField.AppliesTo.CONTACT, values=contact.custom_values if contact else {}
        )

    def clean_email(self):
        # As an import reads an email cell: "Jane Roe <jane@x.example>" is jane@x.example, the
        # domain is lower-cased, and further addresses in the cell are additional ones.
        emails, problems = cleaning.clean_emails(self.cleaned_data["email"])
        _refuse(problems)
        if not emails:
            return ""
        email, self._more_emails = emails[0], emails[1:]
        if len(normalize_email_key(email)) > 254:
            raise ValidationError("This email address is too long to be stored.")
        duplicates = Contact.objects.filter(firm=self.firm, email_key=normalize_email_key(email))
        if self.contact is not None:
            duplicates = duplicates.exclude(pk=self.contact.pk)
        existing = duplicates.first()
        if existing is not None:
            raise ValidationError(f"{existing} already has this email address.", code="duplicate")
        return email

    def clean_additional_emails(self):
        emails, problems = cleaning.clean_emails(self.cleaned_data["additional_emails"])
        _refuse(problems)
        if any(len(normalize_email_key(email)) > 254 for email in emails):
            raise ValidationError("An email address is too long to be stored.")
        return emails

    def clean_tax_id(self):
        tax_id, problems = cleaning.clean_tax_id(self.cleaned_data["tax_id"])
        _refuse(problems)
        return tax_id

    def clean_postal_code(self):
        return cleaning.clean_postal_code(self.cleaned_data["postal_code"])

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("first_name", "last_name", "email")):
            raise ValidationError("Give the contact a first name, a last name or an email address.")
        primary = normalize_email_key(cleaned.get("email") or "")
        if "additional_emails" in cleaned:
            more = [*getattr(self, "_more_emails", []), *cleaned["additional_emails"]]
            kept = []
            for email in more:
                if normalize_email_key(email) != primary and email.casefold() not in {e.casefold() for e in kept}:
                    kept.append(email)
            cleaned["additional_emails"] = kept
        self._clean_address(cleaned)
        self._clean_phones(cleaned)
        return cleaned

    def _clean_address(self, cleaned) -> None:
        names = ("street", "city", "state", "postal_code", "country")
        if any(name in self.errors for name in names):
            return
        address = clean_address_fields(*(cleaned.get(name, "") for name in names))
        for name in names:
            cleaned[name] = getattr(address, name)

    def _clean_phones(self, cleaned) -> None:
        """As an import reads a phone cell: several numbers (one per line, or "/" ";"), E.164 with
        the extension kept, and a number without a country code read as the contact's country's
        when the form names it, else the firm's."""
        if "phones" in self.errors:
            return
        region = cleaning.region_for_country(cleaned.get("country") or "") or self.firm.default_country
        phones, problems = cleaning.clean_phones(cleaned.get("phones") or "", default_country=region)
        if problems:
            self.add_error("phones", [problem.reason for problem in problems])
        else:
            cleaned["phones"] = phones

    def contact_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "prefix", "first_name", "middle_name", "last_name", "suffix", "email", "additional_emails",
                "phones", "street", "city", "state", "postal_code", "country", "date_of_birth", "notes",
            )
        }
        fields["custom_values"] = self.custom_values()
        # Write-only: blank keeps what is stored; the checkbox is the one way to remove it.
        if data.get("tax_id"):
            fields["tax_id"] = data["tax_id"]
        elif data.get("clear_tax_id"):
            fields["tax_id"] = ""
        elif self.contact is None:
            fields["tax_id"] = ""
        return fields


# --- Filters of the lists ---------------------------------------------------------------------


class ListFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    tag = forms.ModelChoiceField(queryset=Tag.objects.none(), required=False, empty_label="All tags")

    def __init__(self, *args, firm: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = Tag.objects.filter(firm=firm)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"query": "", "tag_id": None}
        tag = self.cleaned_data.get("tag")
        return {"query": self.cleaned_data.get("q", "").strip(), "tag_id": tag.pk if tag else None}


class AccountFilterForm(ListFilterForm):
    type = forms.ChoiceField(choices=[("", "All types")] + Account.Type.choices, required=False)
    status = forms.ChoiceField(choices=[("", "Any status")] + Account.Status.choices, required=False)

    def filters(self) -> dict:
        filters = super().filters()
        filters["account_type"] = self.cleaned_data.get("type", "") if self.is_valid() else ""
        filters["status"] = self.cleaned_data.get("status", "") if self.is_valid() else ""
        return filters


# --- Firm settings ----------------------------------------------------------------------------


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


# --- Sign in and password reset --------------------------------------------------------------


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in by email, whatever its case: addresses are stored lower-cased (UserManager)."""

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()



class TeamPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for team members who were added but never chose a password.

    Django skips users without a usable password; here that is exactly the person who lost the
    "set your password" email, and there is no other way (SSO, LDAP) for them to sign in.
    """

    def get_users(self, email):
        user_model = get_user_model()
        candidates = user_model._default_manager.filter(email__iexact=email.strip(), is_active=True)
        # As Django's own form does (CVE-2019-19844): the case-insensitive match must not
        # let a look-alike Unicode address receive someone else's reset link.
        return (user for user in candidates if _unicode_ci_compare(email, user.email))
