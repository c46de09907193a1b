"""Clients > Accounts: list, detail, create, edit, and the contacts on an account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from crm import history, selectors, services
from crm.forms import AccountFilterForm, AccountForm, AddContactToAccountForm, LinkSwitchForm
from crm.forms.bulk import BulkActionForm
from crm.models import CustomField, ListKind
from crm.permissions import client_editor_required, firm_member_required
from crm.views.common import custom_value_rows, editor_context, list_context
from crm.views.lists import list_page


@firm_member_required
def account_list(request):
    firm = request.membership.firm
    filter_form = AccountFilterForm(request.GET or None, firm=firm)
    filters = filter_form.filters()
    # "Created by import #N", linked from an import's results page.
    import_job = selectors.access_import_job(firm, request.GET["import"]) if request.GET.get("import") else None
    page = list_page(
        request,
        records_for=lambda sort: selectors.account_list(firm=firm, import_job=import_job, sort=sort, **filters),
        ordering_for=selectors.account_ordering,
        sort=filter_form.sort_order(),
    )
    page.object_list = selectors.with_contact_counts(page.object_list)
    return render(
        request,
        "crm/account_list.html",
        {
            "page": page,
            "accounts": page.object_list,
            "filter_form": filter_form,
            "filtered": any(filters.values()) or import_job is not None,
            "import_job": import_job,
            "bulk_form": BulkActionForm(firm=firm),
            **list_context(request, ListKind.ACCOUNTS, AccountFilterForm),
            **editor_context(request),
        },
    )


@firm_member_required
def account_detail(request, pk):
    firm = request.membership.firm
    account = selectors.account_detail(firm=firm, pk=pk)
    contact_query = request.GET.get("contact_q", "").strip()
    context = {
        "account": account,
        "links": list(account.contact_links.all()),
        "roles": sorted(account.role_assignments.all(), key=lambda a: a.role.name.casefold()),
        "custom_rows": custom_value_rows(
            firm=firm, applies_to=CustomField.AppliesTo.ACCOUNT, values=account.custom_values
        ),
        "contact_query": contact_query,
        "history": history.account_history(account=account),
        "addable_contacts": selectors.contacts_addable_to(account=account, query=contact_query)
        if contact_query
        else [],
        **editor_context(request),
    }
    if request.htmx and request.htmx.target == "contact-options":
        return render(request, "crm/includes/contact_options.html", context)
    return render(request, "crm/account_detail.html", context)


@client_editor_required
def account_create(request):
    firm = request.membership.firm
    form = AccountForm(request.POST or None, firm=firm)
    if request.method == "POST" and form.is_valid():
        account = services.account_create(
            actor=request.membership,
            tags=form.cleaned_data["tags"],
            assignees=form.cleaned_data["assignees"],
            folder_template=form.chosen_folder_template(),
            person=form.person(),
            roles=form.chosen_roles(),
            **form.account_fields(),
        )
        messages.success(request, f'Account "{account.name}" created.')
        _warn_of_namesakes(request, account)
        return redirect("crm:account_detail", pk=account.pk)
    return render(request, "crm/account_form.html", {"form": form, "account": None})


@client_editor_required
def account_edit(request, pk):
    firm = request.membership.firm
    account = selectors.account_detail(firm=firm, pk=pk)
    form = AccountForm(request.POST or None, firm=firm, account=account)
    if request.method == "POST" and form.is_valid():
        services.account_update(
            actor=request.membership,
            account=account,
            tags=form.cleaned_data["tags"],
            assignees=form.cleaned_data["assignees"],
            roles=form.chosen_roles(),
            **form.account_fields(),
        )
        messages.success(request, "Changes saved.")
        _warn_of_namesakes(request, account)
        return redirect("crm:account_detail", pk=account.pk)
    return render(request, "crm/account_form.html", {"form": form, "account": account})


def _warn_of_namesakes(request, account) -> None:
    """Names are not unique: a second "Mary Smith" is allowed, and the user is shown the others."""
    namesakes = services.account_namesakes(account=account)
    if not namesakes:
        return
    links = format_html_join(
        ", ", '<a href="{}">{}</a>',
        ((reverse("crm:account_detail", args=[other.pk]),
          other.name + (f" (client ID {other.client_id})" if other.client_id else f" (#{other.pk})"))
         for other in namesakes),
    )
    messages.warning(request, format_html(
        "{} other account{} {} this name: {}. Give each a client ID to tell them apart, or merge them if they are "
        "the same client.", len(namesakes), "" if len(namesakes) == 1 else "s",
        "has" if len(namesakes) == 1 else "have", links,
    ))


@client_editor_required
@require_POST
def account_contact_add(request, pk):
    firm = request.membership.firm
    account = selectors.access_account(firm, pk)
    form = AddContactToAccountForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a contact.")
    contact = selectors.access_contact(firm, form.cleaned_data["contact"])
    if account.contact_links.filter(contact=contact).exists():
        messages.info(request, f"{contact} is already on this account.")
    else:
        services.contact_link(actor=request.membership, account=account, contact=contact)
        messages.success(request, f"{contact} added to the account.")
    return redirect("crm:account_detail", pk=account.pk)


@client_editor_required
@require_POST
def account_contact_switch(request, pk, link_pk):
    """Turns one portal switch (Login, Notify, Email sync) of a contact on an account on or off."""
    firm = request.membership.firm
    link = selectors.access_account_contact(firm, account_pk=pk, pk=link_pk)
    form = LinkSwitchForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Unknown switch.")
    switches = {"login": link.login, "notify": link.notify, "email_sync": link.email_sync}
    field, on = form.cleaned_data["field"], form.cleaned_data["value"] == "on"
    error = ""
    if on and field in ("login", "notify") and not link.contact.email:
        error = f"{link.contact} has no email address: add one before turning on {field.capitalize()}."
    else:
        switches[field] = on
        link = services.contact_link(actor=request.membership, account=link.account, contact=link.contact, **switches)
    if request.htmx:
        return render(
            request, "crm/includes/account_contact_row.html", {"link": link, "can_edit": True, "row_error": error}
        )
    if error:
        messages.error(request, error)
    return redirect("crm:account_detail", pk=pk)
