"""Clients > Accounts > an account > Merge with another account: pick the other account, compare
the two side by side, choose per field, confirm. The merge itself is `services.account_merge`."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from crm import merging, selectors, services
from crm.forms import AccountMergeForm
from crm.models import Account, CustomField
from crm.permissions import client_editor_required
from crm.views.common import display_custom_value

EMPTY = "—"


@client_editor_required
def account_merge_pick(request, pk):
    """The first step: the namesakes of the account first, then a search of the firm's accounts."""
    account = selectors.access_account(request.membership.firm, pk)
    query = request.GET.get("q", "").strip()
    context = {
        "account": account,
        "query": query,
        "namesakes": services.account_namesakes(account=account),
        "candidates": selectors.merge_candidates(account=account, query=query) if query else [],
    }
    if request.htmx and request.htmx.target == "merge-options":
        return render(request, "crm/includes/merge_options.html", context)
    return render(request, "crm/account_merge_pick.html", context)


@client_editor_required
def account_merge(request, pk, other_pk):
    """The comparison (GET) and the merge (POST) of account `other_pk` into account `pk`."""
    firm = request.membership.firm
    survivor = selectors.access_account(firm, pk)
    other = selectors.access_account(firm, other_pk)
    if survivor.pk == other.pk:
        messages.error(request, "An account cannot be merged with itself: choose another account.")
        return redirect("crm:account_merge_pick", pk=survivor.pk)
    fields = merging.merge_fields(survivor, other)
    custom = {f.value_key: f for f in selectors.custom_fields(firm=firm, applies_to=CustomField.AppliesTo.ACCOUNT)}
    labels = {f.key: (_display(custom, f, survivor, f.survivor_value), _display(custom, f, other, f.other_value))
              for f in fields}
    form = AccountMergeForm(request.POST or None, fields=fields, labels=labels)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.account_merge(actor=request.membership, survivor=survivor, other=other,
                                            choices=form.choices())
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"“{other.name}” was merged into “{result.survivor.name}”: its contacts, "
                                      "tags, roles, folders and history are on this account now.")
            return redirect("crm:account_detail", pk=survivor.pk)
    same = [f.label for f in fields if not f.differs and f.kind in ("field", "address")]
    return render(request, "crm/account_merge.html", {
        "survivor": survivor,
        "other": other,
        "form": form,
        "rows": [form[f.key] for f in form.merge_fields],
        "same": same,
        "summary": merging.merge_summary(survivor, other, form.cleaned_data if form.is_bound and form.is_valid()
                                         else None),
        "swap_url": reverse("crm:account_merge", args=[other.pk, survivor.pk]),
    })


def _display(custom: dict[str, CustomField], field: merging.MergeField, account: Account, value) -> str:
    """A value as the comparison shows it: a tax ID masked, choices by their label."""
    if field.kind == "address":
        return ", ".join(account.address_lines) or EMPTY
    if field.kind == "role":
        return value.display_name if value is not None else "nobody"
    if field.kind == "custom":
        if merging.is_empty(value):
            return EMPTY
        definition = custom.get(field.key.removeprefix(merging.CUSTOM_PREFIX))
        return display_custom_value(definition, value) if definition else str(value)
    if field.key == "tax_id":
        return account.tax_id_masked or EMPTY
    if field.key in ("type", "status"):
        return getattr(account, f"get_{field.key}_display")()
    return value or EMPTY
