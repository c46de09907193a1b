from django import forms

from api.models import ApiToken
from api.tokens import NAME_MAX_LENGTH


class TokenForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH, help_text="What uses it, e.g. “Zapier” or “nightly sync”.")
    scopes = forms.MultipleChoiceField(choices=ApiToken.Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=[ApiToken.Scope.READ],
                                       error_messages={"required": "Choose at least one scope."})
    expires_on = forms.DateField(required=False, label="Expires on", widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="Optional. The token stops working at the start of that day (UTC).")
