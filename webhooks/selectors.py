"""Reads of webhooks, always from the firm."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from webhooks.models import Delivery, Endpoint


def endpoints(*, firm):
    return Endpoint.objects.filter(firm=firm)


def endpoint(*, firm, pk: int) -> Endpoint:
    """The firm's endpoint; another firm's id is a 404."""
    return get_object_or_404(Endpoint.objects.select_related("firm"), firm=firm, pk=pk)


def deliveries(*, endpoint: Endpoint):
    return Delivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-pk")


def delivery(*, endpoint: Endpoint, pk: int) -> Delivery:
    return get_object_or_404(Delivery.objects.select_related("endpoint__firm"), endpoint=endpoint, pk=pk)
