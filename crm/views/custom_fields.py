"""Settings > Custom fields in bulk: delete the selected fields, merge one field into another.
Both ask for a confirmation page that says what happens to how many records first."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm import custom_fields as field_admin
from crm.models import CustomField
from crm.permissions import firm_admin_required


def _fields(request, ids) -> list[CustomField]:
    """The firm's fields among `ids` (other firms' ids and garbage are ignored)."""
    pks = [int(pk) for pk in ids if str(pk).isdigit()]
    return list(CustomField.objects.filter(firm=request.membership.firm, pk__in=pks).order_by("applies_to", "name"))


@firm_admin_required
@require_POST
def custom_fields_delete(request):
    """The selected fields: a confirmation naming them with the records holding values, then
    the delete (`confirm` posted)."""
    fields = _fields(request, request.POST.getlist("field"))
    if not fields:
        messages.error(request, "Select the custom fields to delete first: none was selected.")
        return redirect("crm:settings_custom_fields")
    if request.POST.get("confirm") != "yes":
        usage = field_admin.custom_field_usage(fields)
        rows = [(f, usage.get(f.pk, 0)) for f in fields]
        return render(request, "crm/settings/custom_fields_delete.html", {
            "section": "custom_fields", "rows": rows, "records": sum(n for _f, n in rows),
        })
    count = field_admin.custom_fields_delete(actor=request.membership, fields=fields)
    messages.success(request, f"{count:,} custom field{'s' if count != 1 else ''} and {'their' if count != 1 else 'its'} "
                              "values deleted.")
    return redirect("crm:settings_custom_fields")


@firm_admin_required
def custom_fields_merge(request):
    """GET: choose the field to merge and the field it goes into; POST: a preview of what
    moves and what conflicts, then (`confirm` posted) the merge and its conflicts listed."""
    firm = request.membership.firm
    all_fields = list(CustomField.objects.filter(firm=firm).order_by("applies_to", "name"))
    context = {"section": "custom_fields", "fields": all_fields, "source_id": "", "target_id": ""}
    if request.method == "POST":
        by_pk = {str(f.pk): f for f in all_fields}
        source, target = by_pk.get(request.POST.get("source", "")), by_pk.get(request.POST.get("target", ""))
        context.update(source_id=request.POST.get("source", ""), target_id=request.POST.get("target", ""))
        if source is None or target is None:
            context["error"] = "Choose the field to merge and the field to merge it into."
        else:
            confirmed = request.POST.get("confirm") == "yes"
            try:
                result = field_admin.custom_field_merge(actor=request.membership, source=source, target=target,
                                                        dry_run=not confirmed)
            except field_admin.MergeRefused as exc:
                context["error"] = str(exc)
            else:
                context.update(result=result, done=confirmed, source=source, target=target)
                if confirmed:
                    messages.success(request, f"“{result.source}” was merged into “{result.target}”: "
                                              f"{result.moved:,} value{'s' if result.moved != 1 else ''} moved.")
    return render(request, "crm/settings/custom_fields_merge.html", context)
