"""Save the current filter of a client list under a name, and delete a saved one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm import saved_filters, selectors
from crm.forms import AccountFilterForm, ListFilterForm
from crm.models import ListKind
from crm.permissions import firm_member_required

_FORMS = {ListKind.ACCOUNTS: AccountFilterForm, ListKind.CONTACTS: ListFilterForm}
_LISTS = {ListKind.ACCOUNTS: "crm:account_list", ListKind.CONTACTS: "crm:contact_list"}


@require_POST
@firm_member_required
def saved_filter_save(request, list_kind):
    if list_kind not in _FORMS:
        raise Http404("Unknown list.")
    query = _FORMS[list_kind].kept_query(QueryDict(request.POST.get("filter", "")))
    back = reverse(_LISTS[list_kind]) + (f"?{query}" if query else "")
    try:
        saved = saved_filters.saved_filter_create(actor=request.membership, list_kind=list_kind,
                                                  name=request.POST.get("name", ""), query=query)
    except saved_filters.SavedFilterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Filter “{saved.name}” saved: everyone in the firm sees it above the list.")
    return redirect(back)


@require_POST
@firm_member_required
def saved_filter_delete(request, pk):
    saved = selectors.access_saved_filter(request.membership.firm, pk)
    saved_filters.saved_filter_delete(actor=request.membership, saved=saved)
    messages.success(request, f"Saved filter “{saved.name}” deleted.")
    return redirect(_LISTS[saved.list_kind])
