"""The portal's forms: an upload (several files into one folder) for the client and for the
team, and a client's own details, read by the same cleaners as the CRM's contact form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from crm.forms.contacts import ContactDetailsCleaning
from crm.models import Account, Contact
from imports import cleaning
from portal.services import CLIENT_EDITABLE_FIELDS, MAX_FILES_PER_UPLOAD


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class UploadForm(forms.Form):
    folder = forms.ChoiceField(label="Folder", required=False)
    files = MultipleFileField(label="Files", required=False,
                              help_text=f"Up to {MAX_FILES_PER_UPLOAD} files at once.")

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = [("", "Top level")] + [(path, path) for path in account.folders or []]

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise ValidationError("Choose at least one file to upload.")
        return files


class TeamUploadForm(UploadForm):
    shared = forms.BooleanField(label="Share with the client", required=False,
                                help_text="Unshared documents stay internal to the firm.")


class ClientDetailsForm(ContactDetailsCleaning, forms.Form):
    """What a client may correct about themselves. Phones and address are read as an import
    and the CRM's contact form read them (imports/cleaning)."""

    first_name = forms.CharField(max_length=100, required=False)
    middle_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    phones = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    street = forms.CharField(max_length=255, required=False)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(label="State/region", max_length=100, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    country = forms.CharField(max_length=100, required=False)

    def __init__(self, *args, contact: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact
        for name in CLIENT_EDITABLE_FIELDS:
            self.initial[name] = "\n".join(contact.phones) if name == "phones" else getattr(contact, name)
        self.fields["phones"].help_text = (
            f"One per line. Numbers without a country code are read as {contact.firm.default_country}'s "
            "(or as the country's below); an extension stays (312 555 0100 ext 12)."
        )

    def clean_postal_code(self):
        return cleaning.clean_postal_code(self.cleaned_data["postal_code"])

    def clean(self):
        cleaned = super().clean()
        for name in ("first_name", "middle_name", "last_name"):
            if name in cleaned:
                cleaned[name] = " ".join(cleaned[name].split())
        if not (cleaned.get("first_name") or cleaned.get("last_name")):
            raise ValidationError("Give your first name or your last name.")
        self._clean_address(cleaned)
        self._clean_phones(cleaned)
        return cleaned

    def default_country(self) -> str:
        return self.contact.firm.default_country

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in CLIENT_EDITABLE_FIELDS if name in self.cleaned_data}
