"""Clients > Contacts: list, detail, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render

from crm import selectors, services
from crm.forms import ContactForm, ListFilterForm
from crm.forms.bulk import ContactBulkActionForm
from crm.models import CustomField, ListKind
from crm.permissions import client_editor_required, firm_member_required
from crm.views.common import custom_value_rows, editor_context, list_context
from crm.views.lists import list_page


@firm_member_required
def contact_list(request):
    firm = request.membership.firm
    filter_form = ListFilterForm(request.GET or None, firm=firm)
    filters = filter_form.filters()
    # "Created by import #N", linked from an import's results page.
    import_job = selectors.access_import_job(firm, request.GET["import"]) if request.GET.get("import") else None
    page = list_page(
        request,
        records_for=lambda sort: selectors.contact_list(firm=firm, import_job=import_job, sort=sort, **filters),
        ordering_for=selectors.contact_ordering,
        sort=filter_form.sort_order(),
    )
    return render(
        request,
        "crm/contact_list.html",
        {
            "page": page,
            "contacts": page.object_list,
            "filter_form": filter_form,
            "filtered": any(filters.values()) or import_job is not None,
            "import_job": import_job,
            "bulk_form": ContactBulkActionForm(firm=firm),
            **list_context(request, ListKind.CONTACTS, ListFilterForm),
            **editor_context(request),
        },
    )


@firm_member_required
def contact_detail(request, pk):
    firm = request.membership.firm
    contact = selectors.contact_detail(firm=firm, pk=pk)
    return render(
        request,
        "crm/contact_detail.html",
        {
            "contact": contact,
            "links": list(contact.account_links.all()),
            "custom_rows": custom_value_rows(
                firm=firm, applies_to=CustomField.AppliesTo.CONTACT, values=contact.custom_values
            ),
            **editor_context(request),
        },
    )


@client_editor_required
def contact_create(request):
    """A new contact; with `?account=<id>` it is put on that account straight away."""
    firm = request.membership.firm
    account = None
    account_pk = request.GET.get("account")
    if account_pk:
        if not account_pk.isdigit():
            account_pk = 0
        account = selectors.access_account(firm, account_pk)
    form = ContactForm(request.POST or None, firm=firm)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(actor=request.membership, tags=form.cleaned_data["tags"],
                                              account=account, **form.contact_fields())
        except IntegrityError:
            # The same email was saved by someone else since the form was checked.
            form.add_error("email", "Another contact already has this email address.")
        else:
            if account is not None:
                messages.success(request, f"{contact} created and added to {account}.")
                return redirect("crm:account_detail", pk=account.pk)
            messages.success(request, f"{contact} created.")
            return redirect("crm:contact_detail", pk=contact.pk)
    return render(request, "crm/contact_form.html", {"form": form, "contact": None, "account": account})


@client_editor_required
def contact_edit(request, pk):
    firm = request.membership.firm
    contact = selectors.access_contact(firm, pk)
    form = ContactForm(request.POST or None, firm=firm, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.membership, contact=contact, tags=form.cleaned_data["tags"], **form.contact_fields())
        except IntegrityError:
            form.add_error("email", "Another contact already has this email address.")
            contact.refresh_from_db()
        else:
            messages.success(request, "Changes saved.")
            return redirect("crm:contact_detail", pk=contact.pk)
    return render(request, "crm/contact_form.html", {"form": form, "contact": contact, "account": None})
