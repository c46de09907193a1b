"""Portal invitations: Invite / Resend on a contact link, the accounts list's *Invite to portal*,
and the page where an invited client chooses a password (docs/crm-rules.md, "Portal invitations")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from crm import invitations, selectors
from crm.permissions import client_editor_required
from crm.views.bulk import Selection, invite_accounts

# The client portal's pages (the `portal` app, mounted at /portal/): where an accepted
# invitation lands, and where a client who already chose a password signs in.
PORTAL_HOME = "/portal/"
PORTAL_LOGIN = "/portal/login/"


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@require_POST
@client_editor_required
def link_invite(request, pk, link_pk):
    """Invite (or Resend) one contact of an account: queued now, mailed by the worker."""
    link = selectors.access_account_contact(request.membership.firm, account_pk=pk, pk=link_pk)
    result = invitations.invitations_queue(actor=request.membership, links=[link])
    if result.queued:
        messages.success(request, f"Portal invitation to {link.contact} queued: it is mailed within a minute.")
    elif result.accepted:
        messages.info(request, f"{link.contact} already has a portal login: marked accepted.")
    else:
        reason = next(iter(result.skipped))
        messages.error(request, f"No invitation for {link.contact}: {reason}.")
    return redirect(_back(request, reverse("crm:account_detail", args=[pk])))


@require_POST
@client_editor_required
def accounts_invite(request):
    """The accounts list's *Invite to portal*: the ticked accounts, or all that match the
    list's filter. Says how many invitations were queued and what was skipped, and why."""
    selection = Selection(request, "account")
    if selection.empty:
        messages.error(request, "Select the accounts to invite, or all accounts matching the filter.")
        return redirect(selection.list_url)
    return invite_accounts(request, selection, selection.records())


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def invitation_accept(request, uidb64, token):
    """An invited client sets their password: the link must still be invited, with Login on,
    unexpired and unused. Then they are signed in and sent to the portal."""
    check = invitations.invitation_check(uidb64, token)
    if check.invitee is None:
        return render(request, "crm/invitation_invalid.html", {"firm": check.firm, "login_url": PORTAL_LOGIN},
                      status=410)
    form = SetPasswordForm(check.invitee.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                invitations.invitation_accept(invitee=check.invitee)
                user = form.save()
        except invitations.InvitationGone:
            return render(request, "crm/invitation_invalid.html", {"firm": None, "login_url": PORTAL_LOGIN},
                          status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(PORTAL_HOME)
    return render(request, "crm/invitation_accept.html", {"form": form, "firm": check.firm})
