"""Settings > Webhooks (owners and admins): the endpoints, one endpoint's page with its secret
and deliveries, and its small POST actions that come back to the page with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm.permissions import firm_admin_required
from webhooks import selectors, services
from webhooks.addresses import RefusedURL
from webhooks.forms import EndpointForm

DELIVERIES_PER_PAGE = 25


def _render(request, template: str, context: dict):
    return render(request, template, {"section": "webhooks", **context})


@firm_admin_required
def endpoint_list(request):
    me = request.membership
    form = EndpointForm(request.POST or None, initial={"events": ["import.finished", "import.failed"]})
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(actor=me, **form.cleaned_data)
        except (RefusedURL, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Endpoint added. Copy its signing secret to verify what it receives.")
            return redirect("webhooks:endpoint", endpoint.pk)
    return _render(request, "webhooks/endpoint_list.html",
                   {"form": form, "endpoints": selectors.endpoints(firm=me.firm)})


@firm_admin_required
def endpoint_detail(request, pk: int):
    me = request.membership
    endpoint = selectors.endpoint(firm=me.firm, pk=pk)
    form = EndpointForm(request.POST or None, current_url=endpoint.url,
                        initial={"url": endpoint.url, "events": endpoint.events})
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(actor=me, endpoint=endpoint, **form.cleaned_data)
        except (RefusedURL, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Endpoint saved.")
            return redirect("webhooks:endpoint", endpoint.pk)
    page = Paginator(selectors.deliveries(endpoint=endpoint), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "webhooks/endpoint_detail.html", {"endpoint": endpoint, "form": form, "page": page})


def _act(request, pk: int, action, success: str):
    endpoint = selectors.endpoint(firm=request.membership.firm, pk=pk)
    try:
        action(endpoint)
    except (PermissionDenied, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return endpoint


@require_POST
@firm_admin_required
def endpoint_toggle(request, pk: int):
    endpoint = selectors.endpoint(firm=request.membership.firm, pk=pk)
    services.endpoint_set_active(actor=request.membership, endpoint=endpoint, active=not endpoint.active)
    messages.success(request, "Endpoint enabled." if endpoint.active else "Endpoint disabled: nothing is sent to it.")
    return redirect("webhooks:endpoint", endpoint.pk)


@require_POST
@firm_admin_required
def endpoint_rotate(request, pk: int):
    endpoint = _act(request, pk, lambda e: services.endpoint_rotate_secret(actor=request.membership, endpoint=e),
                    "New secret made: every delivery is signed with it from now on.")
    return redirect("webhooks:endpoint", endpoint.pk)


@require_POST
@firm_admin_required
def endpoint_ping(request, pk: int):
    endpoint = _act(request, pk, lambda e: services.endpoint_ping(actor=request.membership, endpoint=e),
                    "Test ping queued: it appears in the deliveries below.")
    return redirect("webhooks:endpoint", endpoint.pk)


@require_POST
@firm_admin_required
def endpoint_delete(request, pk: int):
    endpoint = selectors.endpoint(firm=request.membership.firm, pk=pk)
    services.endpoint_delete(actor=request.membership, endpoint=endpoint)
    messages.success(request, f"Endpoint {endpoint.url} deleted.")
    return redirect("webhooks:endpoints")


@require_POST
@firm_admin_required
def delivery_redeliver(request, pk: int, delivery_pk: int):
    endpoint = selectors.endpoint(firm=request.membership.firm, pk=pk)
    delivery = selectors.delivery(endpoint=endpoint, pk=delivery_pk)
    try:
        services.delivery_redeliver(actor=request.membership, delivery=delivery)
    except (PermissionDenied, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The {delivery.event} event is sent again.")
    return redirect("webhooks:endpoint", endpoint.pk)
