"""The contact form (`ContactForm`): names, emails, phones, address, date of birth, SSN/TIN, notes,
tags and custom fields, each read as an import reads the same text."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from crm.forms.custom_fields import CustomFieldsMixin
from crm.forms.fields import DateInput, FirmDateField, WriteOnlyInput, _refuse
from crm.models import Contact, CustomField, Firm, Tag
from crm.normalize import normalize_email_key
from imports import cleaning
from imports.cleaning.addresses import clean_address_fields


class ContactDetailsCleaning:
    """The address and phones of a person's details, read as an import reads them: one rule for
    the team's contact form and the client's *My details* in the portal. The form says which
    country a number without a country code belongs to: its `default_country()` method."""

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
        region = cleaning.region_for_country(cleaned.get("country") or "") or self.default_country()
        phones, problems = cleaning.clean_phones(cleaned.get("phones") or "", default_country=region)
        if problems:
            self.add_error("phones", [problem.reason for problem in problems])
        else:
            cleaned["phones"] = phones


class ContactForm(ContactDetailsCleaning, CustomFieldsMixin, forms.Form):
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

    def default_country(self) -> str:
        return self.firm.default_country

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
