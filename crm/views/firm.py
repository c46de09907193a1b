"""The firm switcher of the page header."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from crm.middleware import SESSION_FIRM_KEY
from crm.permissions import firm_member_required


@firm_member_required
@require_POST
def firm_switch(request):
    """Works in another firm the user belongs to; a firm they are not (or no longer) in is a 404."""
    firm_id = request.POST.get("firm", "")
    membership = None
    if firm_id.isdigit():
        membership = request.user.memberships.filter(firm_id=firm_id, is_active=True).select_related("firm").first()
    if membership is None:
        raise Http404("No such firm.")
    request.session[SESSION_FIRM_KEY] = membership.firm_id
    messages.info(request, f"You are now working in {membership.firm.name}.")
    # Pages of the previous firm would be 404s now: start from the new firm's accounts.
    return redirect("crm:account_list")
