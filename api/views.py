"""Settings > API tokens: every member creates and revokes their own; owners and admins see and
revoke the whole firm's."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from api import tokens
from api.forms import TokenForm
from crm.permissions import can_manage_firm, firm_member_required


@firm_member_required
def token_list(request):
    actor = request.membership
    form = TokenForm()
    created_key = None
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            expires_on = form.cleaned_data["expires_on"]
            expires_at = (datetime.datetime.combine(expires_on, datetime.time.min, tzinfo=datetime.UTC)
                          if expires_on else None)
            try:
                token, created_key = tokens.token_create(actor=actor, name=form.cleaned_data["name"],
                                                         scopes=form.cleaned_data["scopes"], expires_at=expires_at)
            except ValueError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    context = {
        "section": "api_tokens", "form": form, "created_key": created_key,
        "tokens": tokens.tokens_visible(actor=actor), "sees_firm": can_manage_firm(actor),
    }
    # The key is in this one answer only; NoStoreWhenSignedInMiddleware keeps it out of caches.
    return render(request, "api/tokens.html", context, status=status)


@firm_member_required
def token_revoke(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    token = get_object_or_404(tokens.tokens_visible(actor=request.membership), pk=pk)
    if tokens.token_revoke(actor=request.membership, token=token):
        messages.success(request, f"Revoked the token “{token.name}”: programs using it get 401 from now on.")
    return redirect("api_tokens:list")


