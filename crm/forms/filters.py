"""The filters of the account and contact lists: search text, tag, for accounts type and status,
and the column the list is sorted by (not a filter: `filters()` leaves it out)."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from crm.models import Account, Firm, Tag
from crm.selectors import ACCOUNT_SORTS, CONTACT_SORTS


class ListFilterForm(forms.Form):
    # The query-string keys a saved filter keeps (the page number is not one).
    KEYS = ("q", "tag", "sort", "import")
    sorts = CONTACT_SORTS

    q = forms.CharField(required=False, label="Search")
    tag = forms.ModelChoiceField(queryset=Tag.objects.none(), required=False, empty_label="All tags")
    # Checked by `sort()`: an unknown column falls back to the default order, and the filters stay.
    sort = forms.CharField(required=False)

    def __init__(self, *args, firm: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = Tag.objects.filter(firm=firm)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"query": "", "tag_id": None}
        tag = self.cleaned_data.get("tag")
        return {"query": self.cleaned_data.get("q", "").strip(), "tag_id": tag.pk if tag else None}

    def sort_order(self) -> str:
        """The sort asked for ("name", "-created", ...), or "" for the list's default (name)."""
        sort = self.cleaned_data.get("sort", "") if self.is_valid() else ""
        return sort if sort.lstrip("-") in self.sorts else ""

    @classmethod
    def kept_query(cls, query: QueryDict) -> str:
        """The part of a list's query string that makes a filter: its known keys, non-empty."""
        kept = QueryDict(mutable=True)
        for key in cls.KEYS:
            value = query.get(key, "").strip()
            if value:
                kept[key] = value
        return kept.urlencode()


class AccountFilterForm(ListFilterForm):
    KEYS = ("q", "tag", "type", "status", "sort", "import")
    sorts = ACCOUNT_SORTS

    type = forms.ChoiceField(choices=[("", "All types")] + Account.Type.choices, required=False)
    status = forms.ChoiceField(choices=[("", "Any status")] + Account.Status.choices, required=False)

    def filters(self) -> dict:
        filters = super().filters()
        filters["account_type"] = self.cleaned_data.get("type", "") if self.is_valid() else ""
        filters["status"] = self.cleaned_data.get("status", "") if self.is_valid() else ""
        return filters
