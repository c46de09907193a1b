"""The merge page's form: per field where the two accounts differ, which value the survivor keeps."""

from __future__ import annotations

from django import forms

from crm.merging import OTHER, SURVIVOR, MergeField


class AccountMergeForm(forms.Form):
    """One required radio choice per differing field, preset to the field's default (the
    survivor's value unless it is empty). Built from `crm.merging.merge_fields`; `labels` gives
    each field's two values as the page shows them."""

    def __init__(self, *args, fields: list[MergeField], labels: dict[str, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.merge_fields = [f for f in fields if f.differs]
        for f in self.merge_fields:
            mine, theirs = labels[f.key]
            self.fields[f.key] = forms.ChoiceField(
                label=f.label, choices=[(SURVIVOR, mine), (OTHER, theirs)], initial=f.default,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose which {f.label} to keep (the accounts may have changed "
                                            "since this page was shown)."},
            )

    def choices(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in self.fields}
