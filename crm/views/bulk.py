"""The client lists' bulk actions: the ticked rows, or every record matching the list's filter
(docs/crm-rules.md, "Client lists and bulk actions"). The views read the selection and the
form; crm/bulk.py does the work in chunks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm import bulk, invitations, selectors, services
from crm.forms import AccountFilterForm, ListFilterForm
from crm.forms.bulk import BulkActionForm, ContactBulkActionForm
from crm.permissions import client_editor_required


def _plural(count: int, word: str) -> str:
    return f"{intcomma(count)} {word}{'' if count == 1 else 's'}"


class Selection:
    """What a bulk form chose: the ticked ids (`account` / `contact`), or with `all_matching`
    every record matching `filter`, the list's query string. Another firm's id is a 404."""

    def __init__(self, request, kind: str):
        self.kind = kind  # "account" or "contact"
        self.firm = request.membership.firm
        self.filter = request.POST.get("filter", "")
        self.all_matching = bool(request.POST.get("all_matching"))
        self.raw_ids = request.POST.getlist(kind)
        self.list_url = reverse(f"crm:{kind}_list") + (f"?{self.filter}" if self.filter else "")

    @property
    def empty(self) -> bool:
        return not self.all_matching and not self.raw_ids

    def records(self):
        if self.all_matching:
            params = QueryDict(self.filter)
            import_job = selectors.access_import_job(self.firm, params["import"]) if params.get("import") else None
            if self.kind == "account":
                filters = AccountFilterForm(params or None, firm=self.firm).filters()
                return selectors.account_list(firm=self.firm, import_job=import_job, **filters)
            filters = ListFilterForm(params or None, firm=self.firm).filters()
            return selectors.contact_list(firm=self.firm, import_job=import_job, **filters)
        if not all(value.isdigit() for value in self.raw_ids):
            raise Http404(f"Unknown {self.kind}.")
        ids = {int(value) for value in self.raw_ids}
        if self.kind == "account":
            records = selectors.account_list(firm=self.firm, account_ids=ids)
        else:
            records = selectors.contact_list(firm=self.firm, contact_ids=ids)
        if records.count() != len(ids):
            raise Http404(f"Unknown {self.kind}.")  # another firm's, or deleted meanwhile
        return records


@require_POST
@client_editor_required
def accounts_bulk(request):
    return _bulk(request, "account", BulkActionForm)


@require_POST
@client_editor_required
def contacts_bulk(request):
    return _bulk(request, "contact", ContactBulkActionForm)


def _bulk(request, kind: str, form_class):
    selection = Selection(request, kind)
    if selection.empty:
        messages.error(request, f"Select the {kind}s to change, or all {kind}s matching the filter.")
        return redirect(selection.list_url)
    form = form_class(request.POST, firm=selection.firm)
    if not form.is_valid():
        messages.error(request, form.message() or "Choose an action.")
        return redirect(selection.list_url)
    records = selection.records()
    action = form.cleaned_data["action"]
    if action == "delete":
        return _delete(request, selection, records)
    actor = request.membership
    if action == "invite":
        return invite_accounts(request, selection, records)
    data = form.cleaned_data
    if action == "add_tags":
        tags = list(data["tags"])
        if data["new_tag"].strip():
            tags.append(services.tag_get_or_create(firm=selection.firm, name=data["new_tag"]))
        count = bulk.tags_add(actor=actor, records=records, tags=tags)
        done = f"{_tag_names(tags)} added to {_plural(count, kind)}."
    elif action == "remove_tags":
        count = bulk.tags_remove(actor=actor, records=records, tags=data["tags"])
        done = f"{_tag_names(data['tags'])} removed from {_plural(count, kind)}."
    elif action == "set_assignees":
        count = bulk.accounts_set_assignees(actor=actor, accounts=records, members=data["assignees"])
        names = ", ".join(member.display_name for member in data["assignees"])
        done = f"{_plural(count, kind)} now assigned to {names}."
    elif action == "set_type":
        count = bulk.accounts_set_type(actor=actor, accounts=records, type=data["type"])
        done = f"{_plural(count, kind)} set to {dict(form.fields['type'].choices)[data['type']]}."
    else:
        count = bulk.accounts_set_status(actor=actor, accounts=records, status=data["status"])
        done = f"{_plural(count, kind)} set to {dict(form.fields['status'].choices)[data['status']]}."
    messages.success(request, done[0].upper() + done[1:])
    return redirect(selection.list_url)


def _tag_names(tags) -> str:
    names = [f"“{tag.name}”" for tag in tags]
    return ("Tag " if len(names) == 1 else "Tags ") + ", ".join(names)


def invite_accounts(request, selection: Selection, accounts):
    links = selectors.links_of_accounts(firm=selection.firm, accounts=accounts.order_by().values("pk"))
    result = invitations.invitations_queue(actor=request.membership, links=links)
    if not result.queued and not result.accepted and not result.skipped:
        messages.info(request, "These accounts have no contacts to invite.")
    else:
        messages.success(request, "Invite to portal: " + result.message())
    return redirect(selection.list_url)


def _delete(request, selection: Selection, records):
    """First a page naming how many will go (and the first names); deleted only when that page
    is confirmed with the same count, so a filter that now matches more deletes nothing."""
    count = records.order_by().count()
    expected = request.POST.get("expected", "")
    if request.POST.get("confirm") and expected == str(count):
        if selection.kind == "account":
            deletion = bulk.accounts_delete(actor=request.membership, accounts=records)
        else:
            deletion = bulk.contacts_delete(actor=request.membership, contacts=records)
        messages.success(request, f"{_plural(deletion.count, selection.kind)} deleted.")
        return redirect(selection.list_url)
    if selection.kind == "account":
        sample = [str(name) for name in records.order_by("name_key", "pk").values_list("name", flat=True)[:10]]
    else:
        sample = [str(contact) for contact in records.order_by("last_name", "first_name", "pk")[:10]]
    return render(request, "crm/bulk_delete_confirm.html", {
        "selection": selection,
        "count": count,
        "sample": sample,
        "changed": bool(request.POST.get("confirm")),
        "noun": selection.kind if count == 1 else f"{selection.kind}s",
    })
