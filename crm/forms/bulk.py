"""The lists' bulk-action bar: what to do to the chosen records, and with what."""

from __future__ import annotations

from django import forms

from crm import selectors
from crm.models import Account, Firm, Tag

ACCOUNT_ACTIONS = [
    ("add_tags", "Add tags"),
    ("remove_tags", "Remove tags"),
    ("set_assignees", "Set assignees"),
    ("set_type", "Set type"),
    ("set_status", "Set status"),
    ("invite", "Invite to portal"),
    ("delete", "Delete"),
]
CONTACT_ACTIONS = [("add_tags", "Add tags"), ("remove_tags", "Remove tags"), ("delete", "Delete")]


class BulkActionForm(forms.Form):
    actions = ACCOUNT_ACTIONS

    action = forms.ChoiceField(choices=ACCOUNT_ACTIONS, label="Action")
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.none(), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    new_tag = forms.CharField(required=False, max_length=100, label="New tag")
    assignees = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    type = forms.ChoiceField(choices=[("", "Choose a type")] + Account.Type.choices, required=False)
    status = forms.ChoiceField(choices=[("", "Choose a status")] + Account.Status.choices, required=False)

    def __init__(self, *args, firm: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.fields["action"].choices = self.actions
        self.fields["tags"].queryset = Tag.objects.filter(firm=firm)
        self.fields["assignees"].queryset = selectors.active_members(firm=firm)
        self.fields["assignees"].label_from_instance = lambda member: member.display_name

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "add_tags" and not data.get("tags") and not data.get("new_tag", "").strip():
            self.add_error("tags", "Choose the tags to add, or type a new tag.")
        if action == "remove_tags" and not data.get("tags"):
            self.add_error("tags", "Choose the tags to remove.")
        if action == "set_assignees" and not data.get("assignees"):
            self.add_error("assignees", "Choose the team members to assign.")
        if action == "set_type" and not data.get("type"):
            self.add_error("type", "Choose the type to set.")
        if action == "set_status" and not data.get("status"):
            self.add_error("status", "Choose the status to set.")
        return data

    def message(self) -> str:
        """The first problem, in one sentence for the list's message area."""
        return " ".join(str(error) for errors in self.errors.values() for error in errors[:1])


class ContactBulkActionForm(BulkActionForm):
    actions = CONTACT_ACTIONS
