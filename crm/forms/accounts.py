"""The account pages' forms: create or edit an account with its roles, folders and first person
(`AccountForm`), add a contact to it, switch a contact link's portal settings."""

from __future__ import annotations

from django import forms

from crm import selectors
from crm.forms.custom_fields import CustomFieldsMixin
from crm.forms.fields import WriteOnlyInput, _refuse
from crm.models import Account, CustomField, Firm, FolderTemplate, Membership, Tag
from imports import cleaning


def _member_label(membership: Membership) -> str:
    return membership.display_name


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
