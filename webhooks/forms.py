"""Settings > Webhooks: the endpoint form (URL and events)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from webhooks.addresses import RefusedURL, check_url
from webhooks.models import EVENTS


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Endpoint URL", max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/clientport-webhook", "autocomplete": "off"}),
        help_text="Clientport POSTs a signed JSON body here. HTTPS only, on a public host.",
    )
    events = forms.MultipleChoiceField(
        label="Events", choices=EVENTS, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
    )

    def __init__(self, *args, current_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current_url = current_url

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url != self.current_url:  # an unchanged URL is not checked (and resolved) again
            try:
                check_url(url)
            except RefusedURL as refusal:
                raise ValidationError(str(refusal)) from None
        return url
