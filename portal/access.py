"""Who may open the portal's pages: a signed-in person with at least one account link whose
*Login* switch is on (`crm.selectors.portal_links`). Which account and which document they reach
is decided by the selectors, per request, from the same links."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse

from crm import selectors


def client_required(view):
    """Anonymous: to the portal's sign-in. Signed in without a client link (a team member who
    is not also a client, or a client whose Login was turned off): a page saying so, 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("portal:login"))
        links = list(selectors.portal_links(user=request.user))
        if not links:
            return render(request, "portal/not_a_client.html", {"is_team_member": bool(request.membership)},
                          status=403)
        request.portal_links = links
        return view(request, *args, **kwargs)

    return wrapped
