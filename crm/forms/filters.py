"""The filters of the account and contact lists: search text, tag, and for accounts type and status."""

from __future__ import annotations

from django import forms

from crm.models import Account, Firm, Tag


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
